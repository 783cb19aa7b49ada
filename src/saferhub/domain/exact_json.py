"""JSON with money written exactly. A Decimal is written as a JSON number with its own digits
(``160200.00``, never through a float), which is what 360Giving's ``amountAwarded`` expects."""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal
from typing import Any


def exact_json_dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` that writes each Decimal as a number with exactly its digits. The standard
    encoder has no hook for numbers, so a Decimal goes out as a string carrying a marker made
    afresh for each call (no text in the value can hold it) and the quotes are taken off after."""
    marker = secrets.token_hex(8)

    def default(obj: Any) -> Any:
        if isinstance(obj, Decimal):
            if not obj.is_finite():
                raise ValueError(f"{obj} is not a JSON number")
            return f"{marker}{obj}"
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")

    text = json.dumps(value, default=default, **options)
    return re.sub(f'"{marker}([^"]*)"', r"\1", text)
