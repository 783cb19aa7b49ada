"""The layers import in one direction (docs/architecture.md, "Layers"): a module may import its
own layer and the layers below it, never one above. The imports are read from the source (ast),
function-level imports included, so an import hidden in a function still counts."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "saferhub"

# Lowest first. A name is a package or module under saferhub; a module belongs to the longest
# name that contains it (``audit.views`` before ``audit``).
LAYERS: list[tuple[str, ...]] = [
    # Plain typed Python: the rules, periods, figures, statistics, the vocabulary.
    ("domain",),
    # Reading outside files, the job queue, and the helpers every page and model shares.
    (
        "ingest",
        "geography_data",
        "jobs",
        "choices",
        "govuk_forms",
        "govuk_pages",
        "security.query",
        "security.uploads",
        "security.middleware",
    ),
    # The renderers: typed values in, HTML/PDF/DOCX/XLSX/JSON out.
    ("rendering",),
    # The audit log that every write records to (its pages come after accounts).
    ("audit",),
    # Soft retirement of set-up records: audited.
    ("retiring",),
    ("partnerships",),
    # Users, sign-in and the one permission door.
    ("accounts",),
    # The audit log's pages and their permission rule (they ask accounts' door).
    ("audit.apps", "audit.views", "audit.urls", "audit.permissions", "audit.forms", "audit.templatetags"),
    # The set-up rules of partnerships, asked through accounts' door.
    ("partnerships.apps", "partnerships.permissions"),
    ("commissioning",),
    ("performance",),
    ("publishing",),
    ("governance",),
    # What puts it all together: the API, the demo, backups and health, the project's settings,
    # URLs and command line.
    (
        "api",
        "demo",
        # The set-up pages and workbook: they create and read every part of the mission.
        "setup",
        "security",
        "context_processors",
        "urls",
        "settings",
        "cli",
        "__main__",
        "wsgi",
        "dbcheck",
        "syscheck",
        "frontend",
    ),
]


def layer_of(module: str) -> int:
    parts = module.split(".")[1:]
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        for index, layer in enumerate(LAYERS):
            if name in layer:
                return index
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS and to docs/architecture.md")


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    base = SRC.parent / name.replace(".", "/")
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def imports_of(path: Path) -> set[str]:
    """The saferhub modules ``path`` imports, relative imports made absolute."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found.add(target)
            # ``from saferhub.demo import users`` imports the module saferhub.demo.users.
            found |= {f"{target}.{a.name}" for a in node.names if _is_module(f"{target}.{a.name}")}
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            # An import by name (importlib) is an import all the same: a literal name, or the
            # package that an f-string's literal start names.
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
                found.add(str(arg.values[0].value).rstrip("."))
    return {m for m in found if m == "saferhub" or m.startswith("saferhub.")}


def arrows() -> set[tuple[str, str]]:
    out = set()
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = module_name(path)
        for target in imports_of(path):
            if target != "saferhub" and layer_of(target) > layer_of(source):
                out.add((source, target))
    return out


def test_no_import_runs_back_up_the_layers():
    assert sorted(arrows()) == [], "imports running back up the layers (docs/architecture.md)"


def test_the_domain_imports_no_django():
    for path in (SRC / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(n.split(".")[0] in {"django", "rest_framework"} for n in names), path


def test_the_layer_check_reads_every_kind_of_import(tmp_path, monkeypatch):
    """Module-level, function-level, relative and importlib imports all count."""
    probe = tmp_path / "saferhub" / "partnerships" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "import importlib\n"
        "from .models import Partnership\n"
        "def f():\n"
        "    from saferhub.performance.models import Indicator\n"
        "    return importlib.import_module('saferhub.governance.papers')\n"
    )
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path / "saferhub")
    assert imports_of(probe) == {
        "saferhub.partnerships.models",
        "saferhub.performance.models",
        "saferhub.governance.papers",
    }
    assert layer_of("saferhub.partnerships.probe") < layer_of("saferhub.performance.models")
