"""Benchmark saferhub's police.uk import against plain pandas and bare DuckDB (`make bench`).

    .venv/bin/python bench/run.py [--years 1|2|both] [--repeat N] [--skip-generate] ...

What it does, all on this machine, one process at a time:

1. Generates (once, cached in bench/data/) two national years of police.uk street files with
   ../shared/tools/gen_policeuk.py: 43 forces, 2019-01 to 2020-12, scale 1.0, --eol crlf.
   "1 year" is its 2019 month folders, "2 years" all of it.
2. Reads every file once (`cat`-style) so the page cache is warm for every contender.
3. For each dataset and repetition, runs as child processes and measures (wall clock, and the
   child's own peak RSS from os.wait4):
     - bench/reference_pandas.py  (reference A: plain pandas, as an analyst would write it)
     - bench/reference_duckdb.py  (reference B: one bare DuckDB query, 2 threads)
     - `saferhub import policeuk MONTH_FOLDERS... --partnership plymouth`, in a fresh
       SAFERHUB_HOME (SQLite) where `migrate` and `partnership create` ran first, untimed.
   and checks that all three counted the same rows (month x crime type x local authority).
4. On the largest dataset's database: times `saferhub report performance` and the import of one
   new month for one force (Devon & Cornwall, 2021-01) followed by that month's report.
5. Prints a table with PASS/FAIL for each goal and writes the figures as JSON to
   bench/data/results/latest.json (bench/data/ is not committed).

On a shared machine: each timed run waits for the CPUs to be idle first, records how busy other
processes kept them, and is repeated when they took CPU time. saferhub runs from a snapshot of
src/saferhub taken at the start, so one benchmark never mixes two versions of the code.
See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
DATA = BENCH / "data"
DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# The generated dataset: gen_policeuk.py defaults, plus --eol crlf and 24 months.
GEN_ARGS = {"start": "2019-01", "months": 24, "forces": 43, "scale": 1.0, "seed": 42, "eol": "crlf", "dirty": False}
DATASET_NAME = "policeuk-national-2019-01-24m"
DATASETS = {  # label -> (description, month prefix selecting its folders)
    "1y": ("1 year (2019-01..2019-12)", "2019-"),
    "2y": ("2 years (2019-01..2020-12)", ""),
}
NEW_MONTH = "2021-01"
NEW_MONTH_SOURCE = "2019-01"
PARTNERSHIP = ["--slug", "plymouth", "--name", "Safer Plymouth", "--local-authority", "Plymouth"]

GB = 10**9  # decimal units throughout, as in STACK.md
MB = 10**6
GOALS = {
    "pandas_over_saferhub": ("pandas / saferhub wall time", ">=", 4.0),
    "saferhub_over_duckdb": ("saferhub / DuckDB wall time", "<=", 1.5),
    "saferhub_peak_rss_2y_gb": ("saferhub 2-year import peak RSS (GB)", "<", 2.0),
    "report_s": ("report performance (s)", "<", 1.0),
    "new_month_s": ("import one new month + report (s)", "<", 5.0),
}


class BenchError(Exception):
    """A problem that stops the benchmark, with a message for the person running it."""


# --------------------------------------------------------------------------- measuring


def cpu_busy_s() -> float | None:
    """CPU seconds spent busy by the whole machine since boot (all cores), from /proc/stat."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / CLK_TCK


CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
QUIET_CORES = 0.15  # other processes using more than this (in cores) make timings noisy


def wait_for_quiet(max_wait: float) -> None:
    """Before a timed run, wait (up to ``max_wait`` s) for a 1-second window in which other
    processes use less than QUIET_CORES, so that runs do not share the 2 cores with, say, a test suite."""
    if max_wait <= 0:
        return
    t0 = time.perf_counter()
    told = False
    while True:
        before = cpu_busy_s()
        time.sleep(1)
        after = cpu_busy_s()
        if before is None or after - before < QUIET_CORES:
            if told:
                print(f"  (machine quiet again after {time.perf_counter() - t0:.0f} s)", flush=True)
            return
        waited = time.perf_counter() - t0
        if waited > max_wait:
            print(
                f"  warning: other processes still use {after - before:.1f} cores after {waited:.0f} s; "
                "timing anyway (see other_cores in the results)",
                flush=True,
            )
            return
        if not told:
            print(
                f"  (other processes use {after - before:.1f} cores: waiting up to {max_wait:.0f} s for quiet)",
                flush=True,
            )
            told = True


@dataclass
class Measured:
    name: str
    wall_s: float
    peak_rss_bytes: int
    user_s: float
    sys_s: float
    other_cores: float | None = None  # average cores busy with other processes during the run
    stdout: str = field(repr=False, default="")
    stderr: str = field(repr=False, default="")

    def summary(self) -> dict:
        d = asdict(self)
        d.pop("stdout")
        d.pop("stderr")
        return d


def measure(name: str, cmd: list[str], *, env: dict | None = None, log_dir: Path) -> Measured:
    """Run ``cmd`` as a child; its wall time and its own peak RSS (os.wait4 of that child only)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        busy0 = cpu_busy_s()
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=REPO)
        except OSError as exc:
            raise BenchError(f"{name}: cannot start {cmd[0]}: {exc}") from None
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): do not leave the child running
            proc.kill()
            os.waitpid(proc.pid, 0)
            proc.returncode = -9
            raise
        wall = time.perf_counter() - t0
        busy1 = cpu_busy_s()
    other = None
    if busy0 is not None and busy1 is not None:
        other = max(0.0, (busy1 - busy0 - usage.ru_utime - usage.ru_stime) / wall)
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    if code != 0:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-15:])
        raise BenchError(f"{name} failed (exit {code}): {' '.join(map(str, cmd))}\n{tail}\n(logs: {log_dir})")
    return Measured(name, wall, usage.ru_maxrss * 1024, usage.ru_utime, usage.ru_stime, other, stdout, stderr)


def run_quiet(cmd: list[str], *, env: dict | None = None, what: str) -> str:
    """Run an untimed set-up step; fail with its output if it fails."""
    try:
        p = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise BenchError(f"{what}: cannot start {cmd[0]}: {exc}") from None
    if p.returncode != 0:
        tail = "\n".join((p.stderr or p.stdout).strip().splitlines()[-15:])
        raise BenchError(f"{what} failed (exit {p.returncode}): {' '.join(map(str, cmd))}\n{tail}")
    return p.stdout


def warm_cache(files: list[Path]) -> tuple[float, int]:
    """Read every file once, as `cat` would, so that every contender starts with a warm page cache."""
    total = 0
    buf = bytearray(1 << 24)
    t0 = time.perf_counter()
    for f in files:
        with open(f, "rb", buffering=0) as fh:
            while n := fh.readinto(buf):
                total += n
    return time.perf_counter() - t0, total


# --------------------------------------------------------------------------- data


def ensure_dataset(shared: Path, skip_generate: bool) -> tuple[Path, dict]:
    target = DATA / DATASET_NAME
    manifest_path = target / "_manifest.json"
    if not manifest_path.exists():
        if skip_generate:
            raise BenchError(
                f"--skip-generate was given but the dataset is missing: {manifest_path} does not exist.\n"
                "Run without --skip-generate to generate it (about 3 GB, under a minute)."
            )
        generate(shared, target)
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as exc:
        raise BenchError(f"cannot read {manifest_path}: {exc}. Delete {target} and re-run.") from None
    args = manifest.get("args", {})
    differ = {k: (args.get(k), v) for k, v in GEN_ARGS.items() if args.get(k) != v}
    if differ:
        raise BenchError(
            f"{target} was generated with other settings ({differ}, as (found, wanted)).\n"
            f"Delete {target} and re-run to regenerate it."
        )
    for entry in manifest["files"]:
        p = target / entry["path"]
        if not p.exists() or p.stat().st_size != entry["bytes"]:
            raise BenchError(
                f"{p} is missing or not the size its manifest says: the dataset is damaged.\n"
                f"Delete {target} and re-run to regenerate it."
            )
    return target, manifest


def generate(shared: Path, target: Path) -> None:
    gen = shared / "tools" / "gen_policeuk.py"
    if not shared.is_dir():
        raise BenchError(
            f"the shared folder {shared} is missing: it holds tools/gen_policeuk.py and the real\n"
            "police.uk sample the benchmark data is generated from. Check it out beside the repository\n"
            "or pass --shared DIR."
        )
    if not gen.exists():
        raise BenchError(f"the generator {gen} is missing (is {shared} the right shared folder? see --shared).")
    for module in ("numpy", "polars"):
        try:
            __import__(module)
        except ImportError:
            raise BenchError(
                f"the generator needs {module}: install the bench requirements with\n"
                "  .venv/bin/uv pip install --python .venv/bin/python -r requirements/bench.txt\n"
                "(`make bench` does it)."
            ) from None
    DATA.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(DATA).free
    if free < 4 * GB:
        raise BenchError(f"only {free / GB:.1f} GB free under {DATA}; the dataset needs about 3 GB.")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    cmd = [
        sys.executable,
        str(gen),
        str(partial),
        "--start",
        GEN_ARGS["start"],
        "--months",
        str(GEN_ARGS["months"]),
        "--forces",
        str(GEN_ARGS["forces"]),
        "--scale",
        str(GEN_ARGS["scale"]),
        "--seed",
        str(GEN_ARGS["seed"]),
        "--eol",
        GEN_ARGS["eol"],
    ]
    print(f"Generating the benchmark data (about 3 GB, once) into {target} ...", flush=True)
    t0 = time.perf_counter()
    p = subprocess.run(
        cmd, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if p.returncode != 0 or not (partial / "_manifest.json").exists():
        raise BenchError(f"the generator failed (exit {p.returncode}): {' '.join(cmd)}\n{p.stderr.strip()[-3000:]}")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    print(f"  generated in {time.perf_counter() - t0:.0f} s", flush=True)


@dataclass
class Selection:
    label: str
    description: str
    folders: list[Path]
    files: list[Path]
    rows: int
    bytes: int
    months: list[str]


def select(root: Path, manifest: dict, label: str) -> Selection:
    description, prefix = DATASETS[label]
    entries = [e for e in manifest["files"] if e["month"].startswith(prefix)]
    if not entries:
        raise BenchError(f"the dataset {root} holds no month starting {prefix!r}")
    months = sorted({e["month"] for e in entries})
    folders = [root / m for m in months]
    files = sorted(root / e["path"] for e in entries)
    return Selection(
        label, description, folders, files, sum(e["rows"] for e in entries), sum(e["bytes"] for e in entries), months
    )


def new_month_source(shared: Path) -> Path:
    source = shared / "data" / "policeuk" / "devon-and-cornwall" / f"{NEW_MONTH_SOURCE}-devon-and-cornwall-street.csv"
    if not source.exists():
        raise BenchError(
            f"the real police.uk sample {source} is missing (needed for the new-month test);\n"
            f"is {shared} the shared folder? (see --shared)"
        )
    return source


def make_new_month(shared: Path) -> Path:
    """The real Devon & Cornwall file of 2019-01, relabelled as 2021-01 (a month not held)."""
    source = new_month_source(shared)
    folder = DATA / "newmonth" / NEW_MONTH
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{NEW_MONTH}-devon-and-cornwall-street.csv"
    raw = source.read_bytes()
    eol = "\r\n" if b"\r\n" in raw[:4096] else "\n"
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    month_col = rows[0].index("Month")
    for row in rows[1:]:
        if row[month_col] != NEW_MONTH_SOURCE:
            raise BenchError(f"{source}: unexpected Month {row[month_col]!r}")
        row[month_col] = NEW_MONTH
    tmp = target.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        csv.writer(fh, lineterminator=eol).writerows(rows)
    tmp.replace(target)
    return folder


# --------------------------------------------------------------------------- saferhub


class Saferhub:
    """Runs the installed ``saferhub`` command, from a snapshot of src/saferhub taken when the
    benchmark starts: the repository may be edited while the benchmark runs, and every run of
    one benchmark must time the same code."""

    def __init__(self, exe: Path, log_dir: Path, snapshot_root: Path | None):
        self.exe = exe
        self.log_dir = log_dir
        self.snapshot_root = snapshot_root

    @classmethod
    def with_snapshot(cls, exe: Path, work: Path) -> "Saferhub":
        root = work / "src"
        shutil.copytree(
            REPO / "src" / "saferhub", root / "saferhub", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
        import compileall

        compileall.compile_dir(root, quiet=2)  # no bytecode compilation inside the timed runs
        sh = cls(exe, work / "logs", root)
        probe = subprocess.run(
            [str(exe.parent / "python"), "-c", "import saferhub; print(saferhub.__file__)"],
            env=sh.env(work),
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        if probe.returncode != 0 or not Path(probe.stdout.strip()).resolve().is_relative_to(root.resolve()):
            print(
                f"  note: cannot run saferhub from a snapshot ({probe.stdout.strip() or probe.stderr.strip()}); "
                "running the live source: keep src/ unchanged while the benchmark runs."
            )
            shutil.rmtree(root, ignore_errors=True)
            sh.snapshot_root = None
        else:
            sys.path.insert(0, str(root))  # the harness's own count check reads the same code
        return sh

    def env(self, home: Path) -> dict:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env["SAFERHUB_HOME"] = str(home)
        if self.snapshot_root is not None:
            env["PYTHONPATH"] = os.pathsep.join(
                [str(self.snapshot_root)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
            )
        return env

    def fresh_home(self, home: Path) -> None:
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        env = self.env(home)
        run_quiet([str(self.exe), "migrate", "--noinput"], env=env, what="saferhub migrate")
        run_quiet([str(self.exe), "partnership", "create", *PARTNERSHIP], env=env, what="saferhub partnership create")

    def import_(self, name: str, home: Path, paths: list[Path]) -> Measured:
        cmd = [str(self.exe), "import", "policeuk", *map(str, paths), "--partnership", "plymouth"]
        return measure(name, cmd, env=self.env(home), log_dir=self.log_dir)

    def report(self, name: str, home: Path, period: str) -> Measured:
        out = self.log_dir / f"{name}.json"
        cmd = [
            str(self.exe),
            "report",
            "performance",
            "--partnership",
            "plymouth",
            "--period",
            period,
            "--format",
            "json",
            "-o",
            str(out),
        ]
        m = measure(name, cmd, env=self.env(home), log_dir=self.log_dir)
        try:
            report = json.loads(out.read_text())
        except (OSError, ValueError) as exc:
            raise BenchError(f"{name}: the report {out} is not readable JSON: {exc}") from None
        if report.get("period") not in (None, period):
            raise BenchError(f"{name}: the report is for {report.get('period')!r}, not {period}")
        return m


def noise_note(m: Measured) -> str:
    if m.other_cores is not None and m.other_cores >= QUIET_CORES:
        return f"  [noisy: other processes used {m.other_cores:.2f} cores]"
    return ""


def rows_read(m: Measured) -> int | None:
    found = re.search(r"([\d,]+) rows read", m.stdout)
    return int(found.group(1).replace(",", "")) if found else None


# --------------------------------------------------------------------------- verification


def read_counts(path: Path) -> dict[tuple[str, str, str], int]:
    counts: dict[tuple[str, str, str], int] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for month, crime_type, la, n in reader:
            counts[(month, crime_type, la)] = counts.get((month, crime_type, la), 0) + int(n)
    return counts


def saferhub_counts(db: Path, slugs: list[str]) -> dict[tuple[str, str, str], int]:
    """saferhub's stored counts as (month, crime type slug, LA or '' for no location) -> rows.

    Reads any layout saferhub has used: long (a crime_type and a count column) or wide
    (one column per crime type, named after its slug with underscores) in the database, or the
    columnar store (Parquet files under SAFERHUB_HOME that each force-month names)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        columns = {r[1] for r in con.execute("PRAGMA table_info(performance_policecount)")}
        held = {r[1] for r in con.execute("PRAGMA table_info(performance_forcemonth)")}
        if not columns and "counts_file" in held:
            return _columnar_counts(db, con, slugs)
        if not columns:
            raise sqlite3.OperationalError("no table performance_policecount")
        out: dict[tuple[str, str, str], int] = defaultdict(int)
        if {"crime_type", "count"} <= columns:
            rows = con.execute("""
                SELECT month, crime_type, CASE WHEN area_kind = 'none' THEN '' ELSE area END, sum(count)
                FROM performance_policecount WHERE area_kind IN ('la', 'none') GROUP BY 1, 2, 3""")
            for month, slug, area, n in rows:
                out[(month, slug, area)] += int(n)
            return dict(out)
        wide = {slug: slug.replace("-", "_") for slug in slugs}
        missing = [c for c in wide.values() if c not in columns]
        if missing:
            raise sqlite3.OperationalError(f"unknown layout: columns {sorted(columns)}")
        select = ", ".join(f'sum("{c}")' for c in wide.values())
        rows = con.execute(f"""
            SELECT month, CASE WHEN area_kind = 'none' THEN '' ELSE area END, {select}
            FROM performance_policecount WHERE area_kind IN ('la', 'lsoa', 'none') GROUP BY 1, 2""")
        for month, area, *counts in rows:
            for slug, n in zip(wide, counts):
                if n:
                    out[(month, slug, area)] += int(n)
        return dict(out)
    finally:
        con.close()


def _columnar_counts(db: Path, con: sqlite3.Connection, slugs: list[str]) -> dict[tuple[str, str, str], int]:
    import duckdb

    held = con.execute("SELECT month, counts_file, counts_part FROM performance_forcemonth").fetchall()
    if not held:
        return {}
    # The store has a folder per database: the one holding the files this database names.
    (folder,) = [f for f in (db.parent / "policeuk-counts").iterdir() if (f / held[0][1]).exists()]
    out: dict[tuple[str, str, str], int] = defaultdict(int)
    duck = duckdb.connect()
    duck.execute(
        "CREATE TABLE held AS SELECT unnest($1::VARCHAR[]) AS month, unnest($2::VARCHAR[]) AS file, "
        "unnest($3::INTEGER[]) AS part",
        [[h[0] for h in held], [str(folder / h[1]) for h in held], [h[2] for h in held]],
    )
    select = ", ".join(f'sum(c."{slug.replace("-", "_")}")' for slug in slugs)
    rows = duck.execute(
        f"""SELECT h.month, CASE WHEN c.area_kind = 'none' THEN '' ELSE c.area END, {select}
        FROM read_parquet($1, filename=true) c JOIN held h ON c.filename = h.file AND c.part = h.part
        GROUP BY 1, 2""",
        [sorted({str(folder / h[1]) for h in held})],
    ).fetchall()
    for month, area, *counts in rows:
        for slug, n in zip(slugs, counts):
            if n:
                out[(month, slug, area)] += int(n)
    return dict(out)


def verify(pandas_csv: Path, duckdb_csv: Path, db: Path) -> dict:
    """Did the three count the same thing? Full comparison at month x crime type x LA."""
    result: dict = {}
    p, d = read_counts(pandas_csv), read_counts(duckdb_csv)
    result["pandas_equals_duckdb"] = p == d
    result["groups"] = len(d)
    if p != d:
        diff = sorted(k for k in set(p) | set(d) if p.get(k) != d.get(k))
        result["pandas_vs_duckdb_differences"] = len(diff)
        result["examples"] = [[*k, p.get(k), d.get(k)] for k in diff[:5]]
    try:
        from saferhub.domain.policeuk import CRIME_TYPES  # name -> slug, as saferhub stores it
    except Exception as exc:  # noqa: BLE001 - the check is optional, the timing still stands
        result["saferhub_equals_duckdb"] = None
        result["saferhub_note"] = f"not checked: cannot import saferhub's crime types ({exc})"
        return result
    try:
        s = saferhub_counts(db, list(CRIME_TYPES.values()))
    except sqlite3.Error as exc:
        result["saferhub_equals_duckdb"] = None
        result["saferhub_note"] = f"not checked: cannot read {db} ({exc})"
        return result
    # saferhub keeps counts by LSOA code, not by LA name (issue 14): compare month x crime type.
    d_slug: dict[tuple[str, str, str], int] = defaultdict(int)
    for (month, crime_type, la), n in d.items():
        d_slug[(month, CRIME_TYPES.get(crime_type, crime_type), "")] += n
    collapsed: dict[tuple[str, str, str], int] = defaultdict(int)
    for (month, slug, _area), n in s.items():
        collapsed[(month, slug, "")] += n
    s = dict(collapsed)
    result["saferhub_equals_duckdb"] = s == dict(d_slug)
    if s != d_slug:
        diff = sorted(k for k in set(s) | set(d_slug) if s.get(k) != d_slug.get(k))
        result["saferhub_vs_duckdb_differences"] = len(diff)
        result["saferhub_examples"] = [[*k, s.get(k), d_slug.get(k)] for k in diff[:5]]
    return result


# --------------------------------------------------------------------------- reporting


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count()
    return {
        "nproc": nproc,
        "cpu_model": model,
        "mem_total_bytes": mem,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "loadavg_at_start": list(os.getloadavg()),
    }


def versions() -> dict:
    from importlib import metadata

    out = {}
    for dist in ("saferhub", "pandas", "duckdb", "django", "numpy", "polars", "pyarrow"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    if out["pyarrow"]:
        print("note: pyarrow is installed; pandas may use it, and reference A is meant to run without it.")
    return out


def git_state(snapshot_root: Path | None) -> dict:
    def git(*args):
        p = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return p.stdout.strip() if p.returncode == 0 else None

    status = git("status", "--porcelain", "--", "src")
    package = snapshot_root / "saferhub" if snapshot_root else REPO / "src" / "saferhub"
    return {
        "commit": git("rev-parse", "HEAD"),
        "src_fingerprint": source_fingerprint(package),
        "src_uncommitted_changes": None if status is None else len([line for line in status.splitlines() if line]),
    }


def source_fingerprint(package: Path = REPO / "src" / "saferhub") -> str:
    """A hash of saferhub's source files (not bytecode), to identify the code that was timed."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(package.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
            h.update(str(p.relative_to(package)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def judge(value, op, limit) -> str:
    if value is None:
        return "n/a"
    ok = {">=": value >= limit, "<=": value <= limit, "<": value < limit}[op]
    return "PASS" if ok else "FAIL"


def fmt_s(v):
    return "-" if v is None else f"{v:.2f} s"


def fmt_mb(v):
    return "-" if v is None else f"{v / MB:,.0f} MB"


def print_table(results: dict) -> None:
    print()
    print("== Results (median wall time of the repetitions; peak RSS = the highest of the repetitions) ==")
    head = [
        "dataset",
        "rows",
        "CSV",
        "cat",
        "pandas",
        "pandas RSS",
        "DuckDB",
        "DuckDB RSS",
        "saferhub",
        "saferhub RSS",
        "pandas/saferhub",
        "saferhub/DuckDB",
    ]
    lines = [head]
    for label, r in results["datasets"].items():
        t = r["tools"]
        lines.append(
            [
                r["description"].split(" (")[0],
                f"{r['rows'] / 1e6:.2f} M",
                f"{r['bytes'] / GB:.2f} GB",
                fmt_s(r["warmup_s"]),
                fmt_s(t["pandas"]["wall_s"]),
                fmt_mb(t["pandas"]["peak_rss_bytes"]),
                fmt_s(t["duckdb"]["wall_s"]),
                fmt_mb(t["duckdb"]["peak_rss_bytes"]),
                fmt_s(t["saferhub"]["wall_s"]),
                fmt_mb(t["saferhub"]["peak_rss_bytes"]),
                f"{r['ratios']['pandas_over_saferhub']:.2f}",
                f"{r['ratios']['saferhub_over_duckdb']:.2f}",
            ]
        )
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(head))]
    for n, row in enumerate(lines):
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    post = results.get("after_import")
    if post:
        print()
        print(f"On the {post['dataset']} database:")
        print(
            f"  report performance --period {post['report_period']}: {fmt_s(post['report_s'])} "
            f"(runs: {', '.join(f'{x:.2f}' for x in post['report_runs_s'])})"
        )
        print(
            f"  new month {NEW_MONTH} for Devon & Cornwall: import {fmt_s(post['new_month_import_s'])} + "
            f"report {fmt_s(post['new_month_report_s'])} = {fmt_s(post['new_month_s'])} "
            f"(runs: {', '.join(f'{x:.2f}' for x in post['new_month_runs_s'])})"
        )
    print()
    print("== Goals ==")
    for g in results["goals"]:
        print(f"  {g['verdict']:4}  {g['what']} {g['op']} {g['limit']:g}: {g['value_text']}  [{g['dataset']}]")
    print()
    for label, r in results["datasets"].items():
        v = r.get("verification")
        if v is None:
            continue
        ok_pd = "yes" if v.get("pandas_equals_duckdb") else "NO"
        ok_s = {True: "yes", False: "NO", None: "not checked"}[v.get("saferhub_equals_duckdb")]
        print(
            f"Check: {r['description']}: same counts pandas == DuckDB: {ok_pd}; saferhub == DuckDB: {ok_s} "
            f"({v.get('groups', 0):,} month x crime type x LA groups)"
            + (f" - {v['saferhub_note']}" if v.get("saferhub_note") else "")
        )
    noisy = noisy_runs(results)
    if noisy:
        print(
            f"Warning: {len(noisy)} timed run(s) shared the CPUs with other processes "
            f"(>= {QUIET_CORES} cores on average): " + ", ".join(f"{r['name']} ({r['other_cores']:.2f})" for r in noisy)
        )
    else:
        print(f"Noise: no timed run shared the CPUs with other processes (all < {QUIET_CORES} cores on average).")


def noisy_runs(results: dict) -> list[dict]:
    runs = [r for d in results["datasets"].values() for t in d["tools"].values() for r in t["runs"]]
    runs += (results.get("after_import") or {}).get("runs", [])
    runs += list((results.get("national") or {}).get("steps", {}).values())
    return [r for r in runs if (r.get("other_cores") or 0) >= QUIET_CORES]


def goals(results: dict) -> list[dict]:
    out = []
    for label, r in results["datasets"].items():
        for key in ("pandas_over_saferhub", "saferhub_over_duckdb"):
            what, op, limit = GOALS[key]
            value = r["ratios"][key]
            out.append(
                {
                    "goal": key,
                    "dataset": r["description"],
                    "what": what,
                    "op": op,
                    "limit": limit,
                    "value": value,
                    "value_text": f"{value:.2f}",
                    "verdict": judge(value, op, limit),
                }
            )
    if "2y" in results["datasets"]:
        what, op, limit = GOALS["saferhub_peak_rss_2y_gb"]
        value = results["datasets"]["2y"]["tools"]["saferhub"]["peak_rss_bytes"] / GB
        out.append(
            {
                "goal": "saferhub_peak_rss_2y_gb",
                "dataset": results["datasets"]["2y"]["description"],
                "what": what,
                "op": op,
                "limit": limit,
                "value": value,
                "value_text": f"{value:.2f} GB",
                "verdict": judge(value, op, limit),
            }
        )
    post = results.get("after_import")
    if post:
        for key, value in (("report_s", post["report_s"]), ("new_month_s", post["new_month_s"])):
            what, op, limit = GOALS[key]
            out.append(
                {
                    "goal": key,
                    "dataset": post["dataset"],
                    "what": what,
                    "op": op,
                    "limit": limit,
                    "value": value,
                    "value_text": f"{value:.2f} s",
                    "verdict": judge(value, op, limit),
                }
            )
    return out


# --------------------------------------------------------------------------- national: every CSP

NATIONAL_NAME = "policeuk-national-geo-2019-01-24m"
NATIONAL_GOALS = {
    "national_total_s": ("create-all + import + every CSP's report (s)", "<", 60.0),
    "national_import_over_duckdb": ("national import / DuckDB counting every CSP", "<=", 1.5),
    "national_import_peak_rss_gb": ("national import peak RSS (GB)", "<", 2.0),
}


def ensure_national_dataset(shared: Path, skip_generate: bool) -> tuple[Path, dict]:
    """Two national years with real geography (gen_policeuk.py --geography): every force is a
    real police force area writing the real 2011 LSOAs of its area."""
    target = DATA / NATIONAL_NAME
    manifest_path = target / "_manifest.json"
    if not manifest_path.exists():
        if skip_generate:
            raise BenchError(f"--skip-generate was given but {manifest_path} does not exist")
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        cmd = [
            sys.executable,
            str(shared / "tools" / "gen_policeuk.py"),
            str(partial),
            "--start",
            GEN_ARGS["start"],
            "--months",
            str(GEN_ARGS["months"]),
            "--forces",
            "43",
            "--scale",
            str(GEN_ARGS["scale"]),
            "--seed",
            str(GEN_ARGS["seed"]),
            "--eol",
            GEN_ARGS["eol"],
            "--geography",
            str(shared / "data" / "geography"),
        ]
        print(f"Generating the national data with real geography (about 3 GB, once) into {target} ...", flush=True)
        p = subprocess.run(
            cmd, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        if p.returncode != 0 or not (partial / "_manifest.json").exists():
            raise BenchError(f"the generator failed (exit {p.returncode}): {' '.join(cmd)}\n{p.stderr.strip()[-3000:]}")
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    return target, json.loads(manifest_path.read_text())


def write_lsoa_csp(path: Path) -> int:
    """Every LSOA code -> its CSP, from saferhub's shipped geography (for the DuckDB reference)."""
    from saferhub.domain.geography import geography

    geo = geography()
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["lsoa", "csp"])
        n = 0
        for code in sorted(geo.lsoa_lad16):
            csp = geo.csp_of(code)
            if csp:
                w.writerow([code, csp])
                n += 1
    return n


def bench_national(args, sh: Saferhub, work: Path, python: str) -> dict:
    root, manifest = ensure_national_dataset(args.shared, args.skip_generate)
    months = sorted({e["month"] for e in manifest["files"]})
    folders = [root / m for m in months]
    files = sorted(root / e["path"] for e in manifest["files"])
    rows = sum(e["rows"] for e in manifest["files"])
    size = sum(e["bytes"] for e in manifest["files"])
    print(
        f"\n== Every CSP of England and Wales: {len(files)} files, {rows:,} rows, {size / GB:.2f} GB "
        f"(real force areas and LSOAs) ==",
        flush=True,
    )
    warm_s, _ = warm_cache(files)
    print(f"  warm-up read (cat): {warm_s:.2f} s", flush=True)
    mapping = work / "lsoa_csp.csv"
    write_lsoa_csp(mapping)
    period = args.period or months[-2]
    home = work / "homes" / "national"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = sh.env(home)
    run_quiet([str(sh.exe), "migrate", "--noinput"], env=env, what="saferhub migrate")
    out_dir = work / "national"
    out_dir.mkdir(parents=True, exist_ok=True)
    steps: dict[str, Measured] = {}
    wait_for_quiet(args.max_wait)
    steps["create_all"] = measure(
        "national-create-all", [str(sh.exe), "partnership", "create-all"], env=env, log_dir=sh.log_dir
    )
    # The import and the reference, as pairs, --repeat times: each import into a fresh copy of
    # the home as create-all left it, the reference straight after it. On this virtual machine
    # the same query varies by a third from one run to the next even when idle (3.3 to 4.7 s on
    # 3 December), so the goal is judged on the medians, as the other datasets' are.
    pristine = work / "homes" / "national-created"
    shutil.rmtree(pristine, ignore_errors=True)
    shutil.copytree(home, pristine)
    duck_csv = out_dir / "duckdb_csp.csv"
    imports: list[Measured] = []
    references: list[Measured] = []
    for rep in range(args.repeat):
        if rep:
            shutil.rmtree(home)
            shutil.copytree(pristine, home)
        wait_for_quiet(args.max_wait)
        imports.append(
            measure(
                "national-import", [str(sh.exe), "import", "policeuk", *map(str, folders)], env=env, log_dir=sh.log_dir
            )
        )
        if rows_read(imports[-1]) != rows:
            raise BenchError(f"the national import read {rows_read(imports[-1])} rows; the data has {rows:,}")
        wait_for_quiet(args.max_wait)
        references.append(
            measure(
                "national-duckdb-csp",
                [python, str(BENCH / "reference_duckdb_csp.py"), str(duck_csv), str(mapping), *map(str, folders)],
                log_dir=sh.log_dir,
            )
        )
        print(
            f"  pair {rep + 1}: import {imports[-1].wall_s:.2f} s, DuckDB {references[-1].wall_s:.2f} s: "
            f"{imports[-1].wall_s / references[-1].wall_s:.2f}",
            flush=True,
        )
    shutil.rmtree(pristine, ignore_errors=True)
    steps["import"] = sorted(imports, key=lambda m: m.wall_s)[len(imports) // 2]
    wait_for_quiet(args.max_wait)
    reports_json = out_dir / "reports.json"
    env_py = dict(env)
    steps["reports"] = measure(
        "national-reports",
        [python, str(BENCH / "report_all.py"), period, str(reports_json)],
        env=env_py,
        log_dir=sh.log_dir,
    )
    steps["duckdb"] = sorted(references, key=lambda m: m.wall_s)[len(references) // 2]
    for name, m in steps.items():
        print(
            f"  {name:12} {m.wall_s:7.2f} s  peak RSS {m.peak_rss_bytes / MB:7,.0f} MB  "
            f"CPU {m.user_s + m.sys_s:6.1f} s{noise_note(m)}",
            flush=True,
        )
    reports = json.loads(reports_json.read_text())
    # Check: every CSP's counts in its report equal DuckDB's, for the months the reports show.
    from saferhub.domain.policeuk import CRIME_TYPES

    duck: dict[tuple[str, str, str], int] = defaultdict(int)
    with open(duck_csv, newline="") as fh:
        for r in csv.DictReader(fh):
            duck[(r["csp"], f"{r['month']}|{CRIME_TYPES[r['crime_type']]}")] += int(r["n"])
    compared = differ = 0
    examples = []
    for csp, by in reports["counts"].items():
        for key, value in by.items():
            compared += 1
            if duck.get((csp, key), 0) != value:
                differ += 1
                if len(examples) < 5:
                    examples.append([csp, key, value, duck.get((csp, key), 0)])
    per = reports["report_s"]
    total = steps["create_all"].wall_s + steps["import"].wall_s + steps["reports"].wall_s
    result = {
        "dataset": {
            "path": str(root),
            "files": len(files),
            "rows": rows,
            "bytes": size,
            "months": [months[0], months[-1]],
            "generator_args": manifest["args"],
        },
        "period": period,
        "partnerships": len(per),
        "steps": {k: m.summary() for k, m in steps.items()},
        "total_s": total,
        "report_mean_s": statistics.mean(per) if per else None,
        "report_median_s": statistics.median(per) if per else None,
        "report_max_s": max(per) if per else None,
        "reports_setup_s": reports["setup_s"],
        # The reads every report shares, done once (ReportBatch: one DuckDB pass for all the counts).
        "reports_batch_s": reports.get("batch_s"),
        # Medians of the --repeat pairs (each pair's own ratio below).
        "import_over_duckdb": steps["import"].wall_s / steps["duckdb"].wall_s,
        "pairs": [
            {"import_s": i.wall_s, "duckdb_s": d.wall_s, "ratio": i.wall_s / d.wall_s}
            for i, d in zip(imports, references)
        ],
        "import_peak_rss_bytes": max(m.peak_rss_bytes for m in imports),
        # By CPU (user + system of each child): on a shared machine, less swayed by other load.
        "import_over_duckdb_cpu": (steps["import"].user_s + steps["import"].sys_s)
        / (steps["duckdb"].user_s + steps["duckdb"].sys_s),
        "verification": {"cells_compared": compared, "cells_differing": differ, "examples": examples},
    }
    print(
        f"  total (create-all + import + {len(per)} reports): {total:.2f} s; per report: mean {result['report_mean_s']:.3f} s, "
        f"median {result['report_median_s']:.3f} s, max {result['report_max_s']:.3f} s; "
        f"shared reads once {result['reports_batch_s'] or 0:.2f} s",
        flush=True,
    )
    print(
        f"  import / DuckDB counting every CSP (medians of {len(imports)}): {result['import_over_duckdb']:.2f} wall, "
        f"{result['import_over_duckdb_cpu']:.2f} by CPU; "
        f"check: {compared:,} CSP x month x crime type cells compared, {differ} differ {examples}",
        flush=True,
    )
    return result


def national_goals(n: dict) -> list[dict]:
    out = []
    values = {
        "national_total_s": n["total_s"],
        "national_import_over_duckdb": n["import_over_duckdb"],
        "national_import_peak_rss_gb": n.get("import_peak_rss_bytes", n["steps"]["import"]["peak_rss_bytes"]) / GB,
    }
    for key, value in values.items():
        what, op, limit = NATIONAL_GOALS[key]
        out.append(
            {
                "goal": key,
                "dataset": "every CSP, 2 national years",
                "what": what,
                "op": op,
                "limit": limit,
                "value": value,
                "value_text": f"{value:.2f}",
                "verdict": judge(value, op, limit),
            }
        )
    return out


# --------------------------------------------------------------------------- main


def timed(args, once, discarded: list[dict]) -> list[Measured]:
    """``once()`` runs and measures; redo it (up to --noisy-retries times) if another process
    took CPU time during it, keeping the discarded runs on record."""
    for attempt in range(args.noisy_retries + 1):
        ms = once()
        if attempt < args.noisy_retries and any(noise_note(m) for m in ms):
            print("    (another process took CPU during that run: discarding it and running again)", flush=True)
            discarded.extend(m.summary() for m in ms)
            continue
        return ms
    raise AssertionError("unreachable")


def bench_dataset(sel: Selection, args, sh: Saferhub, work: Path, python: str) -> tuple[dict, Path]:
    print(f"\n== {sel.description}: {len(sel.files)} files, {sel.rows:,} rows, {sel.bytes / GB:.2f} GB ==", flush=True)
    warm_s, warm_bytes = warm_cache(sel.files)
    if warm_bytes != sel.bytes:
        raise BenchError(f"read {warm_bytes:,} bytes but the manifest says {sel.bytes:,}: the dataset changed?")
    print(f"  warm-up read (cat): {warm_s:.2f} s, {warm_bytes / MB / warm_s:,.0f} MB/s", flush=True)
    out_dir = work / sel.label
    out_dir.mkdir(parents=True, exist_ok=True)
    folders = [str(f) for f in sel.folders]
    runs: dict[str, list[Measured]] = {"pandas": [], "duckdb": [], "saferhub": []}
    discarded: list[dict] = []
    home = None
    order = ["pandas", "duckdb", "saferhub"]
    for rep in range(args.repeat):
        rotated = order[rep % 3 :] + order[: rep % 3]  # vary who goes first between repetitions
        for tool in rotated:
            name = f"{sel.label}-{tool}-{rep + 1}"

            def once():
                nonlocal home
                if tool == "saferhub":
                    home = work / "homes" / f"{sel.label}-{rep + 1}"
                    sh.fresh_home(home)  # untimed: migrate and create the partnership
                wait_for_quiet(args.max_wait)
                if tool == "saferhub":
                    m = sh.import_(name, home, sel.folders)
                    got = rows_read(m)
                else:
                    script = BENCH / f"reference_{tool}.py"
                    m = measure(name, [python, str(script), str(out_dir / f"{tool}.csv"), *folders], log_dir=sh.log_dir)
                    got = json.loads(m.stdout.strip().splitlines()[-1])["rows"]
                if got != sel.rows:
                    raise BenchError(
                        f"{name} counted {got} rows; the dataset has {sel.rows:,} (log: {sh.log_dir / name}.out)"
                    )
                print(
                    f"  {name:22} {m.wall_s:7.2f} s  peak RSS {m.peak_rss_bytes / MB:7,.0f} MB  "
                    f"CPU {m.user_s + m.sys_s:6.1f} s{noise_note(m)}",
                    flush=True,
                )
                return [m]

            (m,) = timed(args, once, discarded)
            runs[tool].append(m)
    tools = {}
    for tool, ms in runs.items():
        tools[tool] = {
            "wall_s": statistics.median(m.wall_s for m in ms),
            "peak_rss_bytes": max(m.peak_rss_bytes for m in ms),
            "runs": [m.summary() for m in ms],
        }
    result = {
        "description": sel.description,
        "months": [sel.months[0], sel.months[-1]],
        "files": len(sel.files),
        "rows": sel.rows,
        "bytes": sel.bytes,
        "warmup_s": warm_s,
        "tools": tools,
        "discarded_noisy_runs": discarded,
        "ratios": {
            "pandas_over_saferhub": tools["pandas"]["wall_s"] / tools["saferhub"]["wall_s"],
            "saferhub_over_duckdb": tools["saferhub"]["wall_s"] / tools["duckdb"]["wall_s"],
        },
    }
    if not args.no_verify:
        result["verification"] = verify(out_dir / "pandas.csv", out_dir / "duckdb.csv", home / "saferhub.sqlite3")
    return result, home


def after_import(sel: Selection, home: Path, args, sh: Saferhub, work: Path, shared: Path) -> dict:
    period = args.period or sel.months[-2]
    print(f"\n== On the {sel.description} database: report and one new month ==", flush=True)
    n = max(3, args.repeat)
    discarded: list[dict] = []
    report_runs = []
    for rep in range(n):

        def once_report():
            wait_for_quiet(args.max_wait)
            m = sh.report(f"report-{period}-{rep + 1}", home, period)
            print(
                f"  report {period} #{rep + 1}: {m.wall_s:.2f} s  peak RSS {m.peak_rss_bytes / MB:,.0f} MB"
                f"{noise_note(m)}",
                flush=True,
            )
            return [m]

        report_runs += timed(args, once_report, discarded)

    folder = make_new_month(shared)
    snapshot = work / "homes" / f"{sel.label}-snapshot"
    trial = work / "homes" / f"{sel.label}-newmonth"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(home, snapshot)  # every repetition starts from the database as the import left it
    imports, reports = [], []
    for rep in range(n):

        def once_new_month():
            shutil.rmtree(trial, ignore_errors=True)
            shutil.copytree(snapshot, trial)
            wait_for_quiet(args.max_wait)
            imp = sh.import_(f"newmonth-import-{rep + 1}", trial, [folder])
            if not re.search(r"\b1 files \(1 loaded\)", imp.stdout):
                raise BenchError(f"the new-month import did not load exactly one new file:\n{imp.stdout}")
            rep_m = sh.report(f"newmonth-report-{rep + 1}", trial, NEW_MONTH)
            print(
                f"  new month #{rep + 1}: import {imp.wall_s:.2f} s + report {rep_m.wall_s:.2f} s = "
                f"{imp.wall_s + rep_m.wall_s:.2f} s{noise_note(imp)}{noise_note(rep_m)}",
                flush=True,
            )
            return [imp, rep_m]

        imp, rep_m = timed(args, once_new_month, discarded)
        imports.append(imp)
        reports.append(rep_m)
    totals = [i.wall_s + r.wall_s for i, r in zip(imports, reports)]
    if not args.keep_homes:
        shutil.rmtree(trial, ignore_errors=True)
        shutil.rmtree(snapshot, ignore_errors=True)
    return {
        "dataset": sel.description,
        "report_period": period,
        "report_s": statistics.median(m.wall_s for m in report_runs),
        "report_runs_s": [m.wall_s for m in report_runs],
        "report_peak_rss_bytes": max(m.peak_rss_bytes for m in report_runs),
        "new_month": NEW_MONTH,
        "new_month_file": str(folder / f"{NEW_MONTH}-devon-and-cornwall-street.csv"),
        "new_month_import_s": statistics.median(m.wall_s for m in imports),
        "new_month_report_s": statistics.median(m.wall_s for m in reports),
        "new_month_s": statistics.median(totals),
        "new_month_runs_s": totals,
        "runs": [m.summary() for m in report_runs + imports + reports],
        "discarded_noisy_runs": discarded,
    }


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--years",
        choices=["1", "2", "both"],
        default="both",
        help="which dataset(s) to run: 1 year, 2 years or both (default both)",
    )
    ap.add_argument(
        "--repeat", type=int, default=3, help="repetitions of each timed run; the median is reported (default 3)"
    )
    ap.add_argument(
        "--skip-generate",
        action="store_true",
        help="never run the generator: fail if bench/data does not hold the dataset",
    )
    ap.add_argument("--period", help="the month for the timed report (default: the second-last month of the data)")
    ap.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"the shared folder with tools/gen_policeuk.py and data/policeuk (default {DEFAULT_SHARED})",
    )
    ap.add_argument(
        "--max-wait",
        type=float,
        default=300,
        help="before each timed run, wait up to this many seconds for other processes to leave "
        "the CPUs idle (default 300; 0 = never wait)",
    )
    ap.add_argument(
        "--noisy-retries",
        type=int,
        default=2,
        help="run a timed step again (up to this many times) when other processes took CPU during it (default 2)",
    )
    ap.add_argument("--strict", action="store_true", help="exit with status 3 if any goal fails")
    ap.add_argument("--no-verify", action="store_true", help="do not cross-check the three tools' counts")
    ap.add_argument(
        "--keep-homes",
        action="store_true",
        help="keep the SAFERHUB_HOME folders under bench/data/work/homes for inspection",
    )
    ap.add_argument(
        "--national",
        choices=["yes", "no", "only"],
        default="yes",
        help="also (or only) run every CSP on two national years with real geography (default yes)",
    )
    ap.add_argument(
        "--json",
        type=Path,
        default=DATA / "results" / "latest.json",
        help="where to write the figures (default bench/data/results/latest.json)",
    )
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    exe_dir = Path(sys.executable).parent
    saferhub_exe = exe_dir / "saferhub"
    if not saferhub_exe.exists():
        saferhub_exe = REPO / ".venv" / "bin" / "saferhub"
    if not saferhub_exe.exists():
        raise BenchError(f"no saferhub command beside {sys.executable} or in {REPO / '.venv/bin'}: run `make install`.")
    import importlib.util

    for module in ("pandas", "duckdb"):
        if importlib.util.find_spec(module) is None:
            raise BenchError(
                f"{module} is not installed in {sys.executable}: run `make bench`, or\n"
                "  .venv/bin/uv pip install --python .venv/bin/python -r requirements/bench.txt"
            ) from None
    started = dt.datetime.now().astimezone()
    info = machine()
    print(
        f"saferhub benchmark, {started:%Y-%m-%d %H:%M %Z}: {info['nproc']} cores ({info['cpu_model']}), "
        f"{(info['mem_total_bytes'] or 0) / GB:.1f} GB RAM, load {info['loadavg_at_start'][0]:.2f}",
        flush=True,
    )

    if args.national != "only":
        root, manifest = ensure_dataset(args.shared, args.skip_generate)
        new_month_source(args.shared)  # fail now rather than after the long runs
    else:
        root, manifest = ensure_national_dataset(args.shared, args.skip_generate)
    labels = {"1": ["1y"], "2": ["2y"], "both": ["1y", "2y"]}[args.years]
    work = DATA / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sh = Saferhub.with_snapshot(saferhub_exe, work)

    results = {
        "started": started.isoformat(timespec="seconds"),
        "machine": info,
        "versions": versions(),
        "git": git_state(sh.snapshot_root),
        "options": {"years": args.years, "repeat": args.repeat},
        "dataset": {"path": str(root), "generator_args": manifest["args"], "totals": manifest["totals"]},
        "datasets": {},
    }
    last_home, last_sel = None, None
    if args.national != "only":
        for label in labels:
            sel = select(root, manifest, label)
            results["datasets"][label], last_home = bench_dataset(sel, args, sh, work, sys.executable)
            last_sel = sel
        results["after_import"] = after_import(last_sel, last_home, args, sh, work, args.shared)
    results["goals"] = goals(results)
    if args.national != "no":
        results["national"] = bench_national(args, sh, work, sys.executable)
        results["goals"] += national_goals(results["national"])
    results["noisy_runs"] = [r["name"] for r in noisy_runs(results)]
    results["loadavg_at_end"] = list(os.getloadavg())
    results["saferhub_ran_from_snapshot"] = sh.snapshot_root is not None
    results["src_fingerprint_at_end"] = source_fingerprint()
    results["src_changed_during_run"] = results["src_fingerprint_at_end"] != results["git"]["src_fingerprint"]
    results["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=1)
    args.json.write_text(text + "\n")
    stamped = args.json.parent / f"{started:%Y%m%dT%H%M%S}.json"
    if args.json.resolve().parent == (DATA / "results").resolve():
        stamped.write_text(text + "\n")
    print_table(results)
    if results["src_changed_during_run"]:
        if results["saferhub_ran_from_snapshot"]:
            print(
                f"Note: src/saferhub changed while the benchmark ran; every saferhub run used the snapshot "
                f"taken at the start (fingerprint {results['git']['src_fingerprint']}, commit {results['git']['commit'][:10]}"
                f" + {results['git']['src_uncommitted_changes']} uncommitted changes)."
            )
        else:
            print(
                "Warning: saferhub's source (src/saferhub) changed while the benchmark ran: "
                "its figures may mix two versions of the code. Run it again."
            )
    print(f"\nFigures written to {args.json}")
    if not args.keep_homes:
        shutil.rmtree(work / "homes", ignore_errors=True)
    if args.strict and any(g["verdict"] == "FAIL" for g in results["goals"]):
        return 3
    return 0


def _terminate(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"\nbench: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        sys.exit(130)
