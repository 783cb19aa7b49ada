"""Benchmark: the demo's performance report in every format, as a user runs it.

Loads the demo into a fresh SQLite home (untimed), then times
`saferhub report performance --partnership safer-plymouth --period 2016-11 --format F -o FILE`
for each format, each as its own process from start to exit (so start-up is included), and
reports the median of --repeat runs. The goal (issue: board performance report) is the PDF in
under 2 s.

    .venv/bin/python bench/report_formats.py [--repeat 5] [--json bench/data/results/report_formats.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data"
FORMATS = ("json", "html", "pdf", "docx", "xlsx")
GOALS = {"pdf": 2.0}  # seconds


def run(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", type=Path, default=DATA / "results" / "report_formats.json")
    args = ap.parse_args(argv)
    exe = Path(sys.executable).parent / "saferhub"
    home = DATA / "work" / "report-formats-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SAFERHUB_HOME"] = str(home)
    subprocess.run([str(exe), "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([str(exe), "demo", "--no-serve", "--output-dir", str(home / "out")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    results = {"load_at_start": list(os.getloadavg()), "repeat": args.repeat, "formats": {}}
    print(f"Demo report (safer-plymouth, 2016-11), median of {args.repeat} runs, start-up included:")
    for fmt in FORMATS:
        out = home / f"report.{fmt}"
        cmd = [str(exe), "report", "performance", "--partnership", "safer-plymouth", "--period", "2016-11",
               "--format", fmt, "-o", str(out)]
        times = [run(cmd, env) for _ in range(args.repeat)]
        median = statistics.median(times)
        goal = GOALS.get(fmt)
        verdict = "" if goal is None else (" PASS" if median < goal else " FAIL") + f" (goal < {goal:.0f} s)"
        results["formats"][fmt] = {"median_s": round(median, 3), "runs_s": [round(t, 3) for t in times],
                                   "bytes": out.stat().st_size, "goal_s": goal}
        print(f"  {fmt:5s} {median:6.2f} s  ({', '.join(f'{t:.2f}' for t in times)})  {out.stat().st_size:,} bytes{verdict}")
    results["load_at_end"] = list(os.getloadavg())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
