"""Benchmark: the demo's performance report in every format.

Loads the demo into a fresh SQLite home (untimed), then measures three things for each format,
each the median of --repeat runs:

1. **generation**: building the report from the database and rendering it, inside a running
   saferhub process (the web app, a scheduled job), with figures it has not rendered before
   (the report cache is bypassed). The process has rendered one report before, so its
   templates and fonts are loaded, as a server's are. This is the measure the goal applies to.
2. **command, new figures**: `saferhub report performance --partnership safer-plymouth --period
   2016-11 --format F -o FILE --no-cache` as its own process from start to exit, so Python,
   Django and (for the PDF) WeasyPrint's start-up are included.
3. **command, same figures again**: the same command without --no-cache after one run: the
   rendered report comes from the cache (saferhub.performance.cache).

The goal (issue: board performance report) is the PDF in under 2 s.

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
GOALS = {"pdf": 2.0}  # seconds, for generation
PERIOD = "2016-11"

# Run inside a saferhub process (python -c): times build + render for each format, cache bypassed.
IN_PROCESS = """
import json, statistics, sys, time
import django
django.setup()
from saferhub.domain.calendar import Month
from saferhub.partnerships.selectors import partnership_get
from saferhub.performance.report import build_performance_report
from saferhub.rendering import render_report
partnership = partnership_get("safer-plymouth")
month = Month.parse(sys.argv[1])
repeat = int(sys.argv[2])
formats = sys.argv[3].split(",")
# A server has rendered before: templates compiled, fonts and libraries loaded.
warm = build_performance_report(partnership, month.shift(-1))
for fmt in formats:
    render_report(warm, fmt)
out = {}
for fmt in formats:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        render_report(build_performance_report(partnership, month), fmt)
        runs.append(time.perf_counter() - t0)
    out[fmt] = runs
print(json.dumps(out))
"""


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
    env["DJANGO_SETTINGS_MODULE"] = "saferhub.settings"
    subprocess.run([str(exe), "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run(
        [str(exe), "demo", "--no-serve", "--output-dir", str(home / "out")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    results = {"load_at_start": list(os.getloadavg()), "repeat": args.repeat, "formats": {}}

    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, PERIOD, str(args.repeat), ",".join(FORMATS)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    generation = json.loads(done.stdout.strip().splitlines()[-1])

    print(f"Demo report (safer-plymouth, {PERIOD}), median of {args.repeat} runs:")
    print(f"  {'format':6s} {'generation':>11s} {'command, new figures':>21s} {'command, same again':>20s}")
    for fmt in FORMATS:
        out = home / f"report.{fmt}"
        base = [
            str(exe),
            "report",
            "performance",
            "--partnership",
            "safer-plymouth",
            "--period",
            PERIOD,
            "--format",
            fmt,
            "-o",
            str(out),
        ]
        cold = [run(base + ["--no-cache"], env) for _ in range(args.repeat)]
        run(base, env)  # fills the cache
        warm = [run(base, env) for _ in range(args.repeat)]
        gen = generation[fmt]
        goal = GOALS.get(fmt)
        median = statistics.median(gen)
        verdict = (
            "" if goal is None else (" PASS" if median < goal else " FAIL") + f" (goal: generation < {goal:.0f} s)"
        )
        results["formats"][fmt] = {
            "generation_median_s": round(median, 3),
            "generation_runs_s": [round(t, 3) for t in gen],
            "command_new_figures_median_s": round(statistics.median(cold), 3),
            "command_new_figures_runs_s": [round(t, 3) for t in cold],
            "command_same_again_median_s": round(statistics.median(warm), 3),
            "command_same_again_runs_s": [round(t, 3) for t in warm],
            "bytes": out.stat().st_size,
            "goal_s": goal,
        }
        print(
            f"  {fmt:6s} {median:10.2f}s {statistics.median(cold):20.2f}s {statistics.median(warm):19.2f}s"
            f"  {out.stat().st_size:,} bytes{verdict}"
        )
    results["load_at_end"] = list(os.getloadavg())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
