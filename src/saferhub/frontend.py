"""``python -m saferhub.frontend``: copy the GOV.UK Frontend build from node_modules into the
package's static files, making its asset URLs relative so they work under any STATIC_URL.

Run by ``make install`` after ``npm ci``; nothing is fetched at run time."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TARGET = PACKAGE_DIR / "static" / "govuk"
FILES = ("govuk-frontend.min.css", "govuk-frontend.min.css.map", "govuk-frontend.min.js", "govuk-frontend.min.js.map")


def build(node_modules: Path) -> Path:
    source = node_modules / "govuk-frontend" / "dist" / "govuk"
    if not source.is_dir():
        raise SystemExit(f"GOV.UK Frontend is not installed at {source}: run `npm ci` (make install does).")
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    for name in FILES:
        shutil.copy2(source / name, TARGET / name)
    css = TARGET / "govuk-frontend.min.css"
    # The CSS asks for /assets/...; relative to the CSS file they are in ./assets/.
    css.write_text(css.read_text(encoding="utf-8").replace("url(/assets/", "url(assets/"), encoding="utf-8")
    shutil.copytree(source / "assets", TARGET / "assets")
    return TARGET


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd() / "node_modules"
    print(f"GOV.UK Frontend copied to {build(root)}")
