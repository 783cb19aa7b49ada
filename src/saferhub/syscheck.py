"""``python -m saferhub.syscheck``: say plainly which system parts are missing before tests run."""

from __future__ import annotations

import shutil
import sys


def problems() -> list[str]:
    found = []
    if sys.version_info[:2] != (3, 11):
        found.append(f"Python 3.11 is needed; this is {sys.version.split()[0]}.")
    try:
        import weasyprint  # noqa: F401  (loads Pango and HarfBuzz)
    except OSError as exc:
        found.append(
            f"WeasyPrint cannot load its libraries ({exc}): apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
        )
    try:
        import cairocffi  # noqa: F401  (the charts' PNG copies for Word and Excel)
    except OSError as exc:
        found.append(f"cairo is missing ({exc}): apt-get install libcairo2")
    if not shutil.which("pdftotext"):
        found.append("pdftotext is missing (tests read the PDFs): apt-get install poppler-utils")
    import os

    if not os.path.exists("/usr/bin/chromium"):
        found.append("Chromium is missing at /usr/bin/chromium (the browser tests drive it): apt-get install chromium")
    if not (shutil.which("soffice") and os.path.exists("/usr/lib/libreoffice/program/libswlo.so")):
        found.append(
            "LibreOffice Writer is missing (Word papers are converted to PDF): apt-get install libreoffice-writer-nogui"
        )
    if not os.path.exists("/usr/lib/libreoffice/program/libsclo.so"):
        found.append(
            "LibreOffice Calc is missing (tests print the Excel files): apt-get install libreoffice-calc-nogui"
        )
    if not shutil.which("fc-list"):
        found.append("fontconfig is missing: apt-get install fontconfig fonts-liberation2")
    return found


if __name__ == "__main__":
    missing = problems()
    for line in missing:
        print(f"missing: {line}", file=sys.stderr)
    if missing:
        print("Install the above (`.ci/run` does it on Debian), then run `make test` again.", file=sys.stderr)
    sys.exit(1 if missing else 0)
