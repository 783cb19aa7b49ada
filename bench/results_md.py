"""Print the Markdown tables of docs/benchmarks.md from a results file written by bench/run.py.

    .venv/bin/python bench/results_md.py [bench/data/results/latest.json]

Copy the output into docs/benchmarks.md so that the figures there are the measured ones,
not transcribed by hand.
"""

import json
import sys
from pathlib import Path

GB, MB = 10**9, 10**6


def s(v):
    return f"{v:.2f} s"


def mb(v):
    return f"{v / MB:,.0f} MB"


def main():
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "data" / "results" / "latest.json")
    r = json.loads(path.read_text())
    m = r["machine"]
    print(
        f"Run started {r['started']}, finished {r.get('finished', '?')}; "
        f"{m['nproc']} cores ({m['cpu_model']}), {m['mem_total_bytes'] / GB:.1f} GB RAM, Linux {m['kernel']}, "
        f"Python {m['python']}; saferhub at commit `{r['git']['commit'][:10]}` "
        f"(+{r['git']['src_uncommitted_changes']} uncommitted changes in src/, source fingerprint "
        f"`{r['git']['src_fingerprint']}`); pandas {r['versions']['pandas']}, DuckDB {r['versions']['duckdb']}, "
        f"Django {r['versions']['django']}, pyarrow {r['versions']['pyarrow'] or 'not installed'}; "
        f"{r['options']['repeat']} repetitions."
    )
    print()
    print(
        "| dataset | rows | CSV | `cat` | pandas | pandas peak RSS | DuckDB | DuckDB peak RSS | saferhub import "
        "| saferhub peak RSS | pandas / saferhub | saferhub / DuckDB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for d in r["datasets"].values():
        t = d["tools"]
        print(
            f"| {d['description']} | {d['rows']:,} | {d['bytes'] / GB:.2f} GB | {s(d['warmup_s'])} "
            f"| {s(t['pandas']['wall_s'])} | {mb(t['pandas']['peak_rss_bytes'])} "
            f"| {s(t['duckdb']['wall_s'])} | {mb(t['duckdb']['peak_rss_bytes'])} "
            f"| {s(t['saferhub']['wall_s'])} | {mb(t['saferhub']['peak_rss_bytes'])} "
            f"| {d['ratios']['pandas_over_saferhub']:.2f} | {d['ratios']['saferhub_over_duckdb']:.2f} |"
        )
    print()
    print(
        "Every kept run (wall time; CPU = user + system time of the child; other processes = average cores "
        "other processes kept busy during the run):"
    )
    print()
    print("| run | wall | CPU | peak RSS | other processes (cores) |")
    print("|---|---:|---:|---:|---:|")
    runs = [x for d in r["datasets"].values() for t in d["tools"].values() for x in t["runs"]]
    runs += r.get("after_import", {}).get("runs", [])
    for x in runs:
        print(
            f"| {x['name']} | {s(x['wall_s'])} | {s(x['user_s'] + x['sys_s'])} | {mb(x['peak_rss_bytes'])} | {x.get('other_cores') or 0:.2f} |"
        )
    post = r.get("after_import")
    if post:
        print()
        print(
            f"On the {post['dataset']} database: `report performance --period {post['report_period']}` "
            f"{s(post['report_s'])} (runs {', '.join(f'{x:.2f}' for x in post['report_runs_s'])}); "
            f"new month {post['new_month']}: import {s(post['new_month_import_s'])} + report "
            f"{s(post['new_month_report_s'])} = {s(post['new_month_s'])} "
            f"(runs {', '.join(f'{x:.2f}' for x in post['new_month_runs_s'])})."
        )
    print()
    print("| goal | limit | measured | verdict |")
    print("|---|---|---:|---|")
    for g in r["goals"]:
        print(f"| {g['what']} ({g['dataset']}) | {g['op']} {g['limit']:g} | {g['value_text']} | **{g['verdict']}** |")
    noisy = r.get("noisy_runs") or []
    discarded = [x["name"] for d in r["datasets"].values() for x in d.get("discarded_noisy_runs", [])]
    discarded += [x["name"] for x in (post or {}).get("discarded_noisy_runs", [])]
    print()
    print(
        f"Runs kept although other processes used the CPUs: {', '.join(noisy) or 'none'}. "
        f"Runs discarded and repeated for that reason: {len(discarded)}."
    )


if __name__ == "__main__":
    main()
