"""Query-string parameters, read one way: typed, bounded, and refused with a message.

Every ``request.GET`` / ``query_params`` read in saferhub goes through these parsers (a test
greps the source to keep it so: tests/security/test_query_params.py). A missing or empty
parameter is ``None`` (no filter); anything else that is not a value of the parameter's type and
range raises ``BadQuery``, which a page answers as a 400 page and the API as a 400 JSON body,
both naming the parameter and saying what it must be. Unknown parameters are ignored.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Callable, Mapping

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.domain.calendar import FinancialYear, Month, PeriodError
from saferhub.domain.problems import SaferhubError

MAX_LENGTH = 200
# Ids are positive and fit PostgreSQL's integer (Django's AutoField is 32-bit there; SQLite and
# BigAutoField go further, but no id of this application comes near).
MAX_ID = 2**31 - 1
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")  # as Django's SlugField, at the partnership's max_length
FIRST_YEAR, LAST_YEAR = 1990, 2100


class BadQuery(SaferhubError, ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message


def _text(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if len(value) > MAX_LENGTH:
        raise BadQuery(name, f"must be at most {MAX_LENGTH} characters")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in value):
        raise BadQuery(name, "must not hold control characters")
    return str(value)


def query_int(params: Mapping[str, Any], name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    value = _text(params, name)
    if value is None:
        return None
    # ASCII digits only: str.isdigit() accepts "²" and other digits int() refuses or reads oddly.
    if not re.fullmatch(r"-?[0-9]{1,12}", value) or not minimum <= int(value) <= maximum:
        raise BadQuery(name, f"must be a whole number from {minimum} to {maximum}")
    return int(value)


def query_id(params: Mapping[str, Any], name: str) -> int | None:
    return query_int(params, name, minimum=1, maximum=MAX_ID)


def query_year(params: Mapping[str, Any], name: str) -> int | None:
    return query_int(params, name, minimum=FIRST_YEAR, maximum=LAST_YEAR)


def query_slug(params: Mapping[str, Any], name: str) -> str | None:
    value = _text(params, name)
    if value is not None and not SLUG_RE.fullmatch(value):
        raise BadQuery(name, "must be a short name of letters, digits, hyphens and underscores, e.g. safer-plymouth")
    return value


def month_in_range(label: str) -> Month:
    """A month written in ASCII as ``YYYY-MM`` from FIRST_YEAR to LAST_YEAR (the report of year 0
    or 9999 cannot be built); else PeriodError. Also for months in an address (a 404 there)."""
    if not label.isascii():
        raise PeriodError(f"{label!r} is not a month like 2016-11")
    month = Month.parse(label)
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise PeriodError(f"{label!r} is not a month from {FIRST_YEAR} to {LAST_YEAR}")
    return month


def query_month(params: Mapping[str, Any], name: str) -> Month | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        return month_in_range(value)
    except PeriodError:
        raise BadQuery(name, f"must be a month like 2016-11, from {FIRST_YEAR} to {LAST_YEAR}") from None


def query_financial_year(params: Mapping[str, Any], name: str) -> FinancialYear | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        year = FinancialYear.parse(value) if value.isascii() else None
    except PeriodError:
        year = None
    if year is None or not FIRST_YEAR <= year.start_year <= LAST_YEAR:
        raise BadQuery(name, "is not a financial year like 2019/20")
    return year


def query_choice(params: Mapping[str, Any], name: str, choices: tuple[str, ...]) -> str | None:
    value = _text(params, name)
    if value is not None and value not in choices:
        raise BadQuery(name, f"must be one of {', '.join(choices)}")
    return value


def bad_query_response(request: HttpRequest, error: BadQuery) -> HttpResponse:
    return render(request, "bad_query.html", {"parameter": error.name, "message": error.message}, status=400)


def query_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page view whose query parameters are read with these parsers: a bad one is a 400 page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadQuery as error:
            return bad_query_response(request, error)

    return wrapped
