"""``python -m saferhub.dbcheck URL``: exit 0 if the PostgreSQL at URL answers, 1 if not.

Used by ``make test`` to decide whether to run the suite a second time on PostgreSQL."""

from __future__ import annotations

import sys


def reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


if __name__ == "__main__":
    sys.exit(0 if reachable(sys.argv[1]) else 1)
