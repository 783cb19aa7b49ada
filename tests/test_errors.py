"""One base for the application's errors: every exception class saferhub declares is a
SaferhubError (domain/problems.py), and keeps the base an older ``except`` clause names."""

import importlib
import inspect
import pkgutil

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
