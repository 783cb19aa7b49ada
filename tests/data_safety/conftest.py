import base64
import os

import pytest


def new_backup_key() -> str:
    """A backup key as `saferhub backup --generate-key` writes one: 32 random bytes, base64url."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def backup_key(monkeypatch) -> str:
    """The operator's key, given to the backup and restore commands by environment variable."""
    key = new_backup_key()
    monkeypatch.delenv("SAFERHUB_BACKUP_KEY_FILE", raising=False)
    monkeypatch.setenv("SAFERHUB_BACKUP_KEY", key)
    return key
