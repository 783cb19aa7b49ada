"""One base for the application's errors: every exception class saferhub declares is a
SaferhubError (domain/problems.py), and keeps the base an older ``except`` clause names."""

import builtins
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import saferhub
from saferhub.domain.problems import SaferhubError

# The ONS lookups' build script runs on its own, outside the application.
OUTSIDE = {"saferhub.geography_data.build"}


def _modules():
    for info in pkgutil.walk_packages(saferhub.__path__, "saferhub."):
        if ".migrations" in info.name or info.name in OUTSIDE or info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def test_every_error_saferhub_declares_is_a_saferhub_error():
    declared = {
        f"{module.__name__}.{name}": cls
        for module in _modules()
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, BaseException) and cls.__module__ == module.__name__
    }
    assert len(declared) >= 20
    assert [name for name, cls in declared.items() if not issubclass(cls, SaferhubError)] == []


def test_errors_keep_their_older_bases():
    from saferhub.commissioning.selectors import NotFound
    from saferhub.commissioning.services import CommissioningError
    from saferhub.domain.calendar import PeriodError
    from saferhub.domain.workflow import TransitionError
    from saferhub.governance.selectors import BoardNotFound
    from saferhub.security.backup import BackupError, BackupKeyError, RestoreError
    from saferhub.security.query import BadQuery

    assert all(issubclass(e, ValueError) for e in (CommissioningError, PeriodError, TransitionError, BadQuery))
    assert issubclass(NotFound, LookupError) and issubclass(BoardNotFound, LookupError)
    assert issubclass(BackupKeyError, BackupError) and issubclass(BackupKeyError, RestoreError)


# A builtin exception raised on purpose, by file and exception, that must stay as it is.
RAISES_ALLOWED = {
    # Settings load before the application: a missing production secret stops start-up, for the
    # operator, as Django's own configuration errors do.
    ("settings.py", "RuntimeError"),
    # Registering a name twice is a programming error caught at import, never a user's message.
    ("governance/papers.py", "ValueError"),
    ("accounts/permissions.py", "ValueError"),
    # An invariant of the stamping (one stamp per page), a bug if it ever fails.
    ("rendering/pack_pdf.py", "ValueError"),
    # The json module's ``default`` hook protocol: TypeError for a value it cannot write, ValueError
    # for a non-finite number (as json's own allow_nan=False); both are bugs in the caller.
    ("domain/exact_json.py", "TypeError"),
    ("domain/exact_json.py", "ValueError"),
}
# Exceptions, not exits (SystemExit, KeyboardInterrupt) nor warnings.
BUILTIN_ERRORS = sorted(
    name
    for name, obj in vars(builtins).items()
    if isinstance(obj, type) and issubclass(obj, Exception) and not issubclass(obj, Warning)
)
# ``raise ValueError(...)``: a bare ``raise ValueError`` inside its own ``try`` is local control
# flow (govuk_forms.py, commissioning/forms.py) and never leaves the function.
RAISE_BUILTIN = re.compile(rf"\braise ({'|'.join(BUILTIN_ERRORS)})\(")


def test_saferhub_raises_its_own_errors_not_builtins():
    src = Path(saferhub.__file__).parent
    found = set()
    for path in src.rglob("*.py"):
        rel = path.relative_to(src).as_posix()
        if "/migrations/" in rel or rel.startswith("geography_data/build"):
            continue
        for match in RAISE_BUILTIN.finditer(path.read_text()):
            found.add((rel, match.group(1)))
    assert sorted(found - RAISES_ALLOWED) == []
    # Every allowed raise is still there: the list stays as short as the code needs.
    assert sorted(RAISES_ALLOWED - found) == []


def test_deliberate_refusals_are_saferhub_errors_and_still_value_errors():
    import pytest

    from saferhub.domain.calendar import FinancialYear
    from saferhub.domain.commissioning import parse_half
    from saferhub.domain.spc import xmr
    from saferhub.rendering.formats import render_report

    for call in (
        lambda: parse_half("2017-H3"),
        lambda: xmr([], polarity="increase"),
        lambda: render_report(None, "rtf"),  # type: ignore[arg-type]
        lambda: FinancialYear(2024).periods("weekly"),
    ):
        with pytest.raises(SaferhubError) as caught:
            call()
        assert isinstance(caught.value, ValueError)
