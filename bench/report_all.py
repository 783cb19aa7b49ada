"""A performance report for every partnership, in one process, timed one by one.

    SAFERHUB_HOME=... python bench/report_all.py PERIOD OUT.json

Builds each partnership's report data (as `saferhub report performance --format json` does) and
serialises it, the reads all the reports share done once (`ReportBatch`: the held force-months,
every partnership's counts in one DuckDB pass of the columnar store, the import runs); writes
that shared time, per-report times and, for the harness's check, each CSP's monthly counts by
crime type (this financial year's months up to PERIOD, and last year's same months).
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")


def main():
    period, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    import django

    django.setup()
    from saferhub.domain.calendar import Month
    from saferhub.domain.policeuk import CRIME_TYPES
    from saferhub.partnerships.models import Partnership
    from saferhub.performance.report import ReportBatch, build_performance_report
    from saferhub.rendering.report_json import report_json

    setup_s = time.perf_counter() - t0
    month = Month.parse(period)
    single = set(CRIME_TYPES.values())
    times, counts = [], {}
    partnerships = list(Partnership.objects.prefetch_related("areas").order_by("slug"))
    t = time.perf_counter()
    batch = ReportBatch.of(partnerships)
    batch_s = time.perf_counter() - t
    for p in partnerships:
        t = time.perf_counter()
        report = report_json(build_performance_report(p, month, batch=batch))  # the JSON document, as the API gives it
        json.dumps(report)
        times.append(time.perf_counter() - t)
        csp = next((a.value for a in p.areas.all() if a.kind == "csp"), p.slug)
        by = {}
        for ind in report["indicators"]:
            if ind["code"] not in single:
                continue
            for row in ind["periods"]:
                if row["value"] is not None:
                    by[f"{row['period']}|{ind['code']}"] = row["value"]
                if row["previous"] is not None:
                    y, m = row["period"].split("-")
                    by[f"{int(y) - 1}-{m}|{ind['code']}"] = row["previous"]
        counts[csp] = by
    with open(out, "w") as f:
        json.dump({"setup_s": setup_s, "batch_s": batch_s, "report_s": times, "counts": counts}, f)
    print(json.dumps({"reports": len(times), "total_s": sum(times), "setup_s": setup_s, "batch_s": batch_s}))


if __name__ == "__main__":
    main()
