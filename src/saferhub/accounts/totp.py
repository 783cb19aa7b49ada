"""Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30-second steps), written out
so that no dependency is needed and tests can compute a code: ``totp_code(secret, at=now)``."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
ISSUER = "saferhub"


def new_secret() -> str:
    """160 random bits in base32 (RFC 4226 recommends at least 128)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _step(at: datetime.datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def hotp(secret: str, counter: int) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def totp_code(secret: str, *, at: datetime.datetime) -> str:
    """The code an authenticator app shows at ``at``."""
    return hotp(secret, _step(at))


def totp_match(secret: str, code: str, *, at: datetime.datetime, after_step: int | None = None) -> int | None:
    """The time step the code belongs to (allowing one step of clock drift either way), or None.
    A step at or before ``after_step`` (the last one used) is refused: no replay (ASVS 2.8.4)."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now_step = _step(at)
    for step in (now_step - 1, now_step, now_step + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def otpauth_uri(secret: str, *, account: str) -> str:
    """The URI an authenticator app reads (as a QR code, or typed)."""
    label = quote(f"{ISSUER}:{account}")
    return f"otpauth://totp/{label}?" + urlencode({"secret": secret, "issuer": ISSUER, "digits": DIGITS, "period": STEP_SECONDS})
