"""Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30-second steps) by ``pyotp``,
a kept library, rather than our own HMAC code. What stays here is saferhub's policy on top of it:
one step of clock drift either way, and a code's step may be used once (``after_step``). Tests
compute a code with ``totp_code(secret, at=now)``. Secrets stored before the change (base32, 160
bits) are read unchanged."""

from __future__ import annotations

import datetime
from urllib.parse import quote, urlencode

import pyotp
from pyotp.utils import strings_equal

STEP_SECONDS = 30
DIGITS = 6
ISSUER = "saferhub"
DRIFT_STEPS = 1  # one step either way: an authenticator whose clock is up to 30 s out still works


def new_secret() -> str:
    """160 random bits in base32 (RFC 4226 recommends at least 128); pyotp draws them from ``secrets``."""
    return pyotp.random_base32(length=32)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def hotp(secret: str, counter: int) -> str:
    """The RFC 4226 code for ``counter`` (a TOTP code is the HOTP code of its time step)."""
    return pyotp.HOTP(secret, digits=DIGITS).at(counter)


def totp_code(secret: str, *, at: datetime.datetime) -> str:
    """The code an authenticator app shows at ``at``."""
    return _totp(secret).at(at)


def totp_match(secret: str, code: str, *, at: datetime.datetime, after_step: int | None = None) -> int | None:
    """The time step the code belongs to (allowing one step of clock drift either way), or None.
    A step at or before ``after_step`` (the last one used) is refused: no replay (ASVS 2.8.4).
    (pyotp's own ``verify`` answers only yes or no; the step is what replay protection stores.)"""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = _totp(secret)
    now_step = totp.timecode(at)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if strings_equal(totp.generate_otp(step), code):  # constant-time comparison
            return step
    return None


def otpauth_uri(secret: str, *, account: str) -> str:
    """The URI an authenticator app reads (as a QR code, or typed), in the Key URI Format. Written
    here rather than by pyotp's ``provisioning_uri`` so that the URI users already scanned keeps
    its form (issuer and account in one encoded label; digits and period stated)."""
    label = quote(f"{ISSUER}:{account}")
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": ISSUER, "digits": DIGITS, "period": STEP_SECONDS}
    )
