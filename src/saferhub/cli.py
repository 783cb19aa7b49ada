"""The ``saferhub`` command: the project's ``manage.py``, with a guard for a database that has
not been migrated yet."""

from __future__ import annotations

import os
import sys

# Commands that must work before the schema exists.
NO_SCHEMA_NEEDED = {
    "migrate",
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "check",
    "help",
    "version",
    "--help",
    "-h",
    "--version",
    "shell",
    "dbshell",
    "test",
    "collectstatic",
    "spc",
    "compare-counts",
    "diffsettings",
    "startapp",
    "squashmigrations",
    "optimizemigration",
}


def _all_migrations_recorded() -> bool:
    """Whether every migration file of every installed app is recorded as applied: then nothing
    is pending, found without importing and linking every migration (the full check below, a
    tenth of a second before every command). Anything else (a file not recorded, a squashed
    migration, no table yet) is left to the full check."""
    import importlib
    import pkgutil

    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    on_disk = set()
    for app in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(app.label)
        if module_name is None:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        for _finder, name, is_pkg in pkgutil.iter_modules(getattr(module, "__path__", [])):
            if not is_pkg and name[0] not in "_~":  # as MigrationLoader.load_disk reads them
                on_disk.add((app.label, name))
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        recorded = set(cursor.fetchall())
    return on_disk <= recorded


def _schema_problem() -> str | None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    try:
        if _all_migrations_recorded():
            return None
    except Exception:  # noqa: BLE001 - no table, no database: the full check says which
        pass
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as exc:
        return f"cannot open the database ({exc})."
    if plan:
        return "the database has not been migrated (or is behind this version of saferhub)."
    return None


def main(argv: list[str] | None = None) -> None:
    # Cache compiled modules even where PYTHONDONTWRITEBYTECODE is set: without the cache every
    # command spends about a second recompiling Django before it starts.
    sys.dont_write_bytecode = False
    argv = list(sys.argv if argv is None else argv)
    if argv[1:3] == ["import", "policeuk"]:
        # Checksumming starts now, in a child process at low priority, on the core that
        # Django's start-up (below) leaves idle (saferhub.ingest.headstart).
        from saferhub.ingest import headstart

        headstart.start(argv[3:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")
    import django
    from django.conf import settings

    settings.SAFERHUB_HOME.mkdir(parents=True, exist_ok=True)
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    django.setup()
    command = argv[1] if len(argv) > 1 else "help"
    if command not in NO_SCHEMA_NEEDED:
        problem = _schema_problem()
        if problem:
            db = settings.DATABASES["default"]
            where = db.get("NAME")
            sys.stderr.write(
                f"saferhub: {problem}\n"
                f"  database: {db['ENGINE'].rsplit('.', 1)[-1]} {where}\n"
                "  Run `saferhub migrate` first (set DATABASE_URL to choose another database).\n"
            )
            sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
