"""Tests mirror the source tree (tests/README.md): every test file names the source module it
tests by its path, or is one of the cross-cutting tests listed here. ``tools/test_map.py`` says,
for a file that does not, which modules it mainly tests."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src" / "saferhub"

# Tests of the whole application rather than of one module: a folder (ending in "/") or a file,
# relative to the repository. Keep this list short; a new test of one module goes beside its source.
CROSS_CUTTING = {
    "tests/e2e/": "journeys through the browser, across every app",
    "tests/web/": "every page, its permissions and its markup",
    "tests/security/": "attacks and guards across the apps (its module tests mirror security/ too)",
    "tests/data_safety/": "backup, restore, retention and concurrent imports, end to end",
    "tests/ingest/test_fuzz_importers.py": "both importers fuzzed end to end, from the file to the database",
    "tests/test_layers.py": "the layers import in one direction",
    "tests/test_errors.py": "every error raised on purpose is a SaferhubError",
    "tests/test_layout.py": "this file",
}


def _modules_in(package: Path) -> set[str]:
    if not package.is_dir():
        return set()
    found = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    return found | {p.name for p in package.iterdir() if (p / "__init__.py").exists()}


def _commands_in(package: Path) -> set[str]:
    return {p.stem.replace("-", "_") for p in (package / "management" / "commands").glob("*.py")} - {"__init__"}


def mirrored_modules(path: Path) -> list[str]:
    """The source modules a test file's path names: ``tests/<app>/test_<module>.py`` or
    ``test_<module>_<aspect>.py`` for ``saferhub/<app>/<module>.py`` (a package's module nests
    the same way), and ``test_<name>_command.py`` for the app's command ``<name>``."""
    rel = path.resolve().relative_to(TESTS)
    package = SRC.joinpath(*rel.parent.parts)
    dotted = ".".join(["saferhub", *rel.parent.parts])
    stem = rel.stem.removeprefix("test_")
    found = [f"{dotted}.{m}" for m in _modules_in(package) if stem == m or stem.startswith(f"{m}_")]
    found += [
        f"{dotted}.management.commands.{c}"
        for c in _commands_in(package)
        if stem == f"{c}_command" or stem.startswith(f"{c}_command_")
    ]
    # ``test_disclosure_audit`` names disclosure_audit, not disclosure: the longest name wins.
    longest = max((len(m) for m in found), default=0)
    return sorted(m for m in found if len(m) == longest)


def _test_files() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def _cross_cutting(path: Path) -> bool:
    rel = path.resolve().relative_to(TESTS.parent).as_posix()
    return rel in CROSS_CUTTING or any(rel.startswith(d) for d in CROSS_CUTTING if d.endswith("/"))


def test_every_test_file_mirrors_a_source_module_or_is_cross_cutting():
    strays = [
        p.relative_to(TESTS.parent).as_posix()
        for p in _test_files()
        if not mirrored_modules(p) and not _cross_cutting(p)
    ]
    assert not strays, (
        "these test files name no source module (tests/<app>/test_<module>.py); move them beside their "
        f"source (python tools/test_map.py says which modules they test) or list them in CROSS_CUTTING: {strays}"
    )


def test_the_cross_cutting_list_names_files_and_folders_that_exist():
    root = TESTS.parent
    assert all((root / name).exists() for name in CROSS_CUTTING), [n for n in CROSS_CUTTING if not (root / n).exists()]


def test_the_convention_is_read_as_documented():
    # The rule above on known paths, so that a change to it is a change seen here.
    assert mirrored_modules(TESTS / "domain" / "test_returns.py") == ["saferhub.domain.returns"]
    assert mirrored_modules(TESTS / "rendering" / "test_report_json_schema.py") == ["saferhub.rendering.report_json"]
    assert mirrored_modules(TESTS / "performance" / "services" / "test_standard.py") == [
        "saferhub.performance.services.standard"
    ]
    assert mirrored_modules(TESTS / "performance" / "test_spc_command.py") == [
        "saferhub.performance.management.commands.spc"
    ]
    assert mirrored_modules(TESTS / "test_cli.py") == ["saferhub.cli"]
    assert mirrored_modules(TESTS / "domain" / "test_nothing_here.py") == []
