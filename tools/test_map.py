"""Which source modules each test file mainly tests, and whether its path mirrors them.

    python tools/test_map.py          # the mismatches only
    python tools/test_map.py --all    # every test file with the modules it exercises

The convention (tests/README.md): a test of ``src/saferhub/<app>/<module>.py`` is
``tests/<app>/test_<module>.py``, or ``tests/<app>/test_<module>_<aspect>.py`` when a module's tests
are split by aspect; subpackages nest the same way (``performance/services/standard.py`` ->
``tests/performance/services/test_standard.py``); a top-level module ``saferhub/<module>.py`` ->
``tests/test_<module>.py``; a management command ``<app>/management/commands/<name>.py`` ->
``tests/<app>/test_<name>_command.py``. Tests that cut across the apps (security, e2e, web, the
layers and the errors) live in the folders and files named in tests/test_layout.py.

A module is "exercised" by a test file when the file imports it (``from saferhub.x import y``,
``import saferhub.x``) or runs its command (``call_command("name")``); its weight is how many times
the names it gave are used. The test file's main modules are the heaviest, leaving out the models,
the calendar and the demo loader, which nearly every test uses to set its scene.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
TESTS = REPO / "tests"
sys.path.insert(0, str(TESTS.parent))

from tests.test_layout import CROSS_CUTTING, mirrored_modules  # noqa: E402

# Modules that set a test's scene rather than being what it tests.
SCENERY = {"saferhub.domain.calendar", "saferhub.demo", "saferhub.domain.problems"}


def _is_module(name: str) -> bool:
    base = SRC / name.replace(".", "/")
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _reexported(package: str, name: str) -> str:
    """The module a package's ``__init__`` takes ``name`` from (``from .formats import x``), or
    the package itself."""
    init = SRC / package.replace(".", "/") / "__init__.py"
    if init.exists():
        for node in ast.parse(init.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                if any((a.asname or a.name) == name for a in node.names):
                    return f"{package}.{node.module}"
    return package


def _commands() -> dict[str, str]:
    """Each management command's name -> its module."""
    found = {}
    for path in SRC.glob("saferhub/*/management/commands/*.py"):
        if path.stem != "__init__":
            # ``import-return`` is the module import-return.py, named import_return in a test's path.
            found[path.stem] = ".".join(path.relative_to(SRC).with_suffix("").parts).replace("-", "_")
    return found


def exercised(path: Path) -> Counter[str]:
    """The saferhub modules a test file uses, weighted by how often it uses the names they gave."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: dict[str, str] = {}  # a local name -> the module that gave it
    weight: Counter[str] = Counter()
    commands = _commands()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("saferhub."):
                    # ``import saferhub.x as y`` names y; a plain ``import saferhub.x`` is read below
                    # from the attribute chains that start at ``saferhub``.
                    if alias.asname:
                        names[alias.asname] = alias.name
                    weight[alias.name] += 1
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("saferhub"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                module = full if _is_module(full) else _reexported(node.module, alias.name)
                names[alias.asname or alias.name] = module
                weight[module] += 1
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "call_command":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and arg.value in commands:
                weight[commands[arg.value]] += 1
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in names and names[node.id] != "saferhub":
            weight[names[node.id]] += 1
        elif isinstance(node, ast.Attribute):
            # ``saferhub.performance.cache.data_version``: the longest module the chain names.
            chain = []
            inner: ast.expr = node
            while isinstance(inner, ast.Attribute):
                chain.append(inner.attr)
                inner = inner.value
            if isinstance(inner, ast.Name) and inner.id == "saferhub":
                dotted = ["saferhub", *reversed(chain)]
                for n in range(len(dotted), 1, -1):
                    if _is_module(".".join(dotted[:n])):
                        weight[".".join(dotted[:n])] += 1
                        break
    return weight


def main_modules(weight: Counter[str]) -> list[str]:
    def scenery(module: str) -> bool:
        return module in SCENERY or module.endswith(".models")

    ranked = [m for m, _ in weight.most_common() if not scenery(m)]
    return ranked[:3] or [m for m, _ in weight.most_common(3)]


def expected_path(module: str) -> str:
    parts = module.split(".")[1:]
    if (SRC / "saferhub" / "/".join(parts) / "__init__.py").exists():
        return "/".join(["tests", *parts, "test_<aspect>.py (the package's __init__)"])
    if "management" in parts and parts[-2] == "commands":
        return f"tests/{parts[0]}/test_{parts[-1].replace('-', '_')}_command.py"
    return "/".join(["tests", *parts[:-1], f"test_{parts[-1]}.py"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--all", action="store_true", help="list every test file, not only the mismatches")
    args = parser.parse_args(argv)
    mismatches = 0
    for path in sorted(TESTS.rglob("test_*.py")):
        rel = path.relative_to(REPO).as_posix()
        weight = exercised(path)
        mains = main_modules(weight)
        mirrors = mirrored_modules(path)
        cross = rel in CROSS_CUTTING or any(rel.startswith(d) for d in CROSS_CUTTING if d.endswith("/"))
        if mirrors:
            verdict = "mirrors " + ", ".join(mirrors)
            if not any(m in weight for m in mirrors):
                # Named by its path but not imported: tested through its pages or its command
                # line, or a name that only looks like a module's.
                verdict += " (imports none of them)"
        elif cross:
            verdict = "cross-cutting"
        else:
            verdict = "MISMATCH"
            mismatches += 1
        if args.all or verdict == "MISMATCH":
            tested = ", ".join(f"{m} ({weight[m]})" for m in mains) or "no saferhub import"
            hint = f" -> {expected_path(mains[0])}" if verdict == "MISMATCH" and mains else ""
            print(f"{rel}: {verdict}; mainly {tested}{hint}")
    print(f"{mismatches} test file(s) whose path mirrors no source module")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
