"""The SMTP server fixture (``smtp_server``) and ``body_of`` live in tests/conftest.py, shared with
the set-up workbook's and the notifications' tests."""

from tests.conftest import body_of

__all__ = ["body_of"]
