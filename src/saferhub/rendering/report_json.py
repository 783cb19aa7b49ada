"""The performance report as JSON, and back: the one writer (``report_json``, what the JSON download,
the API and ``saferhub report --format json`` give) and the one reader (``read_report``, for the
report cache and anything else stored), which upgrades an older schema in one place.

The JSON's keys and values are those of schema 1, unchanged: a figure held whole is a JSON integer
and any other a JSON number with its decimals; SPC limits and statistics are the floats computed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Mapping, Optional, Sequence

from saferhub.domain.calendar import Month, Period, parse_period
from saferhub.domain.indicators import Frequency, Source, TargetKind, Unit
from saferhub.domain.problems import SaferhubError
from saferhub.domain.report import (
    Adjusted,
    Dataset,
    Decision,
    Dispersion,
    FileEntry,
    ForceFile,
    ForcesMonth,
    IndicatorEntry,
    PerformanceReport,
    PeriodRow,
    Significance,
    SourceRun,
    Spc,
    SpcPoint,
    SpcSegment,
    YearToDate,
    is_measured,
)
from saferhub.domain.status import Polarity, Status

SCHEMA_VERSION = 1
Json = dict[str, Any]


class ReportSchemaError(SaferhubError, ValueError):
    """Stored JSON that is not a performance report this reader knows."""


# --- numbers ---------------------------------------------------------------------------------


def json_figure(value: Optional[Decimal]) -> int | float | None:
    """A report figure as JSON (and as a spreadsheet number): whole numbers as integers."""
    if value is None:
        return None
    return float(value) if is_measured(value) else int(value)


def json_real(value: Optional[Decimal]) -> float | None:
    """A computed value (an SPC limit, a statistic) as the float it was computed as."""
    return None if value is None else float(value)


def _decimal(value: Any) -> Optional[Decimal]:
    """A JSON number as the report holds it: an integer whole, a float with its decimals."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ReportSchemaError(f"a number was expected, not {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def _period(label: Optional[str]) -> Optional[Period]:
    return parse_period(label) if label else None


def _month(label: Optional[str]) -> Optional[Month]:
    return Month.parse(label) if label else None


# --- writing ---------------------------------------------------------------------------------


def report_json(report: PerformanceReport) -> Json:
    """The report as the JSON document of schema 1 (a dict ready for ``json.dumps``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "partnership": report.partnership,
        "partnership_name": report.partnership_name,
        "period": report.period.label,
        "period_name": report.period_name,
        "financial_year": report.financial_year.label,
        "indicators": [indicator_json(ind) for ind in report.indicators],
        "sources": [_source_json(s) for s in report.sources],
        "datasets": [_dataset_json(d) for d in report.datasets],
        "police_forces_by_month": [_forces_json(m) for m in report.police_forces_by_month],
    }


def indicator_json(ind: IndicatorEntry) -> Json:
    return {
        "code": ind.code,
        "title": ind.title,
        "polarity": ind.polarity.value,
        "frequency": ind.frequency,
        "unit": ind.unit,
        "source": ind.source,
        "source_label": ind.source_label,
        "crime_types": list(ind.crime_types),
        "owner": ind.owner,
        "notes": ind.notes,
        "target_kind": ind.target_kind,
        "periods": [_row_json(p) for p in ind.periods],
        "ytd": _ytd_json(ind.ytd),
        "cumulative_pooled": ind.cumulative_pooled,
        "status": ind.status.value,
        "status_label": ind.status_label,
        "commentary": ind.commentary,
        "spc_reading": ind.spc_reading,
        "spc": spc_json(ind.spc),
        "significance": significance_json(ind.significance),
        "missing_periods": [p.label for p in ind.missing_periods],
        "data_notes": list(ind.data_notes),
        "analyst_comment": ind.analyst_comment,
    }


def _row_json(p: PeriodRow) -> Json:
    row: Json = {
        "period": p.period.label,
        "value": json_figure(p.value),
        "previous": json_figure(p.previous),
        "change": json_figure(p.change),
        "cumulative": json_figure(p.cumulative),
        "previous_cumulative": json_figure(p.previous_cumulative),
        "target": json_figure(p.target),
        "target_cumulative": json_figure(p.target_cumulative),
        "gap": json_figure(p.gap),
        "due": p.due,
    }
    if p.numerator is not None:
        row["numerator"] = json_figure(p.numerator)
        row["denominator"] = json_figure(p.denominator)
    return row


def _ytd_json(y: YearToDate) -> Json:
    out: Json = {
        "to_period": y.to_period.label if y.to_period is not None else None,
        "value": json_figure(y.value),
        "previous": json_figure(y.previous),
        "change": json_figure(y.change),
        "change_pct": json_figure(y.change_pct),
        "change_unit": y.change_unit,
        "target": json_figure(y.target),
        "gap": json_figure(y.gap),
    }
    if y.numerator is not None:
        out.update(
            numerator=json_figure(y.numerator),
            denominator=json_figure(y.denominator),
            previous_numerator=json_figure(y.previous_numerator),
            previous_denominator=json_figure(y.previous_denominator),
        )
    return out


def spc_json(spc: Optional[Spc]) -> Optional[Json]:
    if spc is None:
        return None
    return {
        "segments": [
            {
                "start": s.start,
                "end": s.end,
                "mean": json_real(s.mean),
                "lpl": json_real(s.lpl),
                "upl": json_real(s.upl),
                "lower_2sigma": json_real(s.lower_2sigma),
                "upper_2sigma": json_real(s.upper_2sigma),
                "start_period": s.start_period.label if s.start_period else None,
                "end_period": s.end_period.label if s.end_period else None,
                "trial_limits": s.trial_limits,
            }
            for s in spc.segments
        ],
        "points": [
            {
                "i": p.i,
                "value": json_real(p.value),
                "special_cause": p.special_cause,
                "rules": list(p.rules),
                "point_type": p.point_type,
                "period": p.period.label if p.period else None,
            }
            for p in spc.points
        ],
        "variation_icon": spc.variation_icon,
        "assurance": spc.assurance,
        "target": json_real(spc.target),
    }


def _ci(ci: tuple[Optional[Decimal], Optional[Decimal]]) -> list[float | None]:
    return [json_real(ci[0]), json_real(ci[1])]


def significance_json(s: Optional[Significance]) -> Optional[Json]:
    if s is None:
        return None
    d, disp, adj = s.decision, s.dispersion, s.adjusted
    return {
        "previous": s.previous,
        "current": s.current,
        "exposure_previous": json_real(s.exposure_previous),
        "exposure_current": json_real(s.exposure_current),
        "rate_ratio": json_real(s.rate_ratio),
        "p_value": json_real(s.p_value),
        "ci95": _ci(s.ci95),
        "expected_current": json_real(s.expected_current),
        "significant": s.significant,
        "method": s.method,
        "dispersion": None
        if disp is None
        else {
            "n": disp.n,
            "mean": json_real(disp.mean),
            "variance": json_real(disp.variance),
            "index": json_real(disp.index),
            "chi_square": json_real(disp.chi_square),
            "df": disp.df,
            "p_value": json_real(disp.p_value),
            "overdispersed": disp.overdispersed,
            "method": disp.method,
        },
        "adjusted": None
        if adj is None
        else {
            "phi": json_real(adj.phi),
            "rate_ratio": json_real(adj.rate_ratio),
            "p_value": json_real(adj.p_value),
            "ci95": _ci(adj.ci95),
            "method": adj.method,
        },
        "decision": {
            "words": d.words,
            "test": d.test,
            "rate_ratio": json_real(d.rate_ratio),
            "p_value": json_real(d.p_value),
            "ci95": _ci(d.ci95),
            "significant": d.significant,
        },
        "words": s.words,
        "summary": s.summary,
    }


def _source_json(s: SourceRun) -> Json:
    out: Json = {
        "run": s.run,
        "kind": s.kind,
        "imported_at": s.imported_at.isoformat(),
        "files": s.files,
        "files_unchanged": s.files_unchanged,
        "rows_read": s.rows_read,
        "rows_without_location": s.rows_without_location,
        "rows_in_area": s.rows_in_area,
        "rows_outside_area": s.rows_outside_area,
    }
    if s.file_list is not None:
        out["file_list"] = [
            {
                "name": f.name,
                "checksum": f.checksum,
                "checksum_algorithm": f.checksum_algorithm,
                "outcome": f.outcome,
                "month": f.month,
            }
            for f in s.file_list
        ]
    return out


def _dataset_json(d: Dataset) -> Json:
    return {
        "name": d.name,
        "source": d.source,
        "owner": d.owner,
        "received": d.received.isoformat() if d.received else None,
        "indicators": list(d.indicators),
    }


def _forces_json(m: ForcesMonth) -> Json:
    return {
        "month": m.month,
        "held": m.held,
        "forces": [
            {"force": f.force, "polices_area": f.polices_area, "file_held": f.file_held, "rows_in_area": f.rows_in_area}
            for f in m.forces
        ],
        "policing_forces_missing": list(m.policing_forces_missing),
        "forces_without_rows": list(m.forces_without_rows),
    }


# --- reading ---------------------------------------------------------------------------------

# Each older schema's step up to the next, applied in turn: the one place an old document is
# upgraded. Schema 1 is the first (and a document without a version is schema 1).
UPGRADES: dict[int, Callable[[Json], Json]] = {}


def upgrade(data: Mapping[str, Any]) -> Json:
    """A stored document brought up to the current schema."""
    doc = dict(data)
    version = doc.get("schema_version", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ReportSchemaError(f"performance report schema {version!r} is newer than this saferhub reads")
    while version < SCHEMA_VERSION:
        doc = UPGRADES[version](doc)
        version += 1
        doc["schema_version"] = version
    return doc


def read_report(data: Mapping[str, Any]) -> PerformanceReport:
    """The typed report from its JSON document (of any schema this saferhub has written)."""
    doc = upgrade(data)
    return PerformanceReport(
        partnership=doc["partnership"],
        partnership_name=doc["partnership_name"],
        period=Month.parse(doc["period"]),
        indicators=tuple(read_indicator(i) for i in doc["indicators"]),
        sources=tuple(_read_source(s) for s in doc.get("sources") or ()),
        datasets=tuple(_read_dataset(d) for d in doc.get("datasets") or ()),
        police_forces_by_month=tuple(_read_forces(m) for m in doc.get("police_forces_by_month") or ()),
    )


def read_indicator(i: Mapping[str, Any]) -> IndicatorEntry:
    unit = Unit(i["unit"])
    return IndicatorEntry(
        code=i["code"],
        title=i["title"],
        polarity=Polarity(i["polarity"]),
        frequency=Frequency(i["frequency"]),
        unit=unit,
        source=Source(i["source"]),
        source_label=i["source_label"],
        crime_types=tuple(i.get("crime_types") or ()),
        owner=i.get("owner") or "",
        notes=i.get("notes") or "",
        target_kind=TargetKind(i["target_kind"]) if i.get("target_kind") else None,
        periods=tuple(read_row(p, unit) for p in i["periods"]),
        ytd=_read_ytd(i["ytd"], unit),
        cumulative_pooled=bool(i.get("cumulative_pooled", True)),
        status=Status(i["status"]),
        commentary=i.get("commentary") or "",
        spc_reading=i.get("spc_reading"),
        spc=read_spc(i.get("spc"), unit),
        significance=read_significance(i.get("significance")),
        missing_periods=tuple(parse_period(p) for p in i.get("missing_periods") or ()),
        data_notes=tuple(i.get("data_notes") or ()),
        analyst_comment=i.get("analyst_comment"),
    )


def read_row(p: Mapping[str, Any], unit: Unit) -> PeriodRow:
    return PeriodRow(
        period=parse_period(p["period"]),
        value=_decimal(p.get("value")),
        previous=_decimal(p.get("previous")),
        change=_decimal(p.get("change")),
        cumulative=_decimal(p.get("cumulative")),
        previous_cumulative=_decimal(p.get("previous_cumulative")),
        target=_decimal(p.get("target")),
        target_cumulative=_decimal(p.get("target_cumulative")),
        gap=_decimal(p.get("gap")),
        due=bool(p.get("due")),
        numerator=_decimal(p.get("numerator")),
        denominator=_decimal(p.get("denominator")),
        unit=unit,
    )


def _read_ytd(y: Mapping[str, Any], unit: Unit) -> YearToDate:
    return YearToDate(
        to_period=_period(y.get("to_period")),
        value=_decimal(y.get("value")),
        previous=_decimal(y.get("previous")),
        change=_decimal(y.get("change")),
        change_pct=_decimal(y.get("change_pct")),
        change_unit=y.get("change_unit") or ("percentage_points" if unit == "percentage" else unit),
        target=_decimal(y.get("target")),
        gap=_decimal(y.get("gap")),
        numerator=_decimal(y.get("numerator")),
        denominator=_decimal(y.get("denominator")),
        previous_numerator=_decimal(y.get("previous_numerator")),
        previous_denominator=_decimal(y.get("previous_denominator")),
        unit=unit,
    )


def read_spc(spc: Optional[Mapping[str, Any]], unit: Unit) -> Optional[Spc]:
    """An XmR chart from its JSON."""
    if not spc:
        return None
    return Spc(
        segments=tuple(
            SpcSegment(
                start=s["start"],
                end=s["end"],
                mean=Decimal(repr(float(s["mean"]))),
                lpl=_real(s.get("lpl")),
                upl=_real(s.get("upl")),
                lower_2sigma=_real(s.get("lower_2sigma")),
                upper_2sigma=_real(s.get("upper_2sigma")),
                start_period=_month(s.get("start_period")),
                end_period=_month(s.get("end_period")),
                trial_limits=bool(s.get("trial_limits")),
                unit=unit,
            )
            for s in spc["segments"]
        ),
        points=tuple(
            SpcPoint(
                i=p["i"],
                value=Decimal(repr(float(p["value"]))),
                special_cause=bool(p.get("special_cause")),
                rules=tuple(p.get("rules") or ()),
                point_type=p["point_type"],
                period=_month(p.get("period")),
            )
            for p in spc["points"]
        ),
        variation_icon=spc["variation_icon"],
        assurance=spc.get("assurance"),
        target=_real(spc.get("target")),
    )


def _real(value: Any) -> Optional[Decimal]:
    """A computed value: the float it was, whether JSON wrote it with decimals or not."""
    return None if value is None else Decimal(repr(float(value)))


def _real_pair(values: Sequence[Any]) -> tuple[Optional[Decimal], Optional[Decimal]]:
    return _real(values[0]), _real(values[1])


def read_significance(s: Optional[Mapping[str, Any]]) -> Optional[Significance]:
    """The significance test from its JSON."""
    if not s:
        return None
    disp, adj, d = s.get("dispersion"), s.get("adjusted"), s["decision"]
    return Significance(
        previous=s["previous"],
        current=s["current"],
        exposure_previous=Decimal(repr(float(s["exposure_previous"]))),
        exposure_current=Decimal(repr(float(s["exposure_current"]))),
        rate_ratio=_real(s.get("rate_ratio")),
        p_value=Decimal(repr(float(s["p_value"]))),
        ci95=_real_pair(s["ci95"]),
        expected_current=Decimal(repr(float(s["expected_current"]))),
        significant=bool(s["significant"]),
        method=s["method"],
        dispersion=None
        if not disp
        else Dispersion(
            n=disp["n"],
            mean=_real(disp.get("mean")),
            variance=_real(disp.get("variance")),
            index=_real(disp.get("index")),
            chi_square=_real(disp.get("chi_square")),
            df=disp.get("df"),
            p_value=_real(disp.get("p_value")),
            overdispersed=bool(disp.get("overdispersed")),
            method=disp["method"],
        ),
        adjusted=None
        if not adj
        else Adjusted(
            phi=Decimal(repr(float(adj["phi"]))),
            rate_ratio=_real(adj.get("rate_ratio")),
            p_value=Decimal(repr(float(adj["p_value"]))),
            ci95=_real_pair(adj["ci95"]),
            method=adj["method"],
        ),
        decision=Decision(
            words=d["words"],
            test=d.get("test"),
            rate_ratio=_real(d.get("rate_ratio")),
            p_value=_real(d.get("p_value")),
            ci95=_real_pair(d["ci95"]),
            significant=bool(d["significant"]),
        ),
        words=s["words"],
        summary=s["summary"],
    )


def _read_source(s: Mapping[str, Any]) -> SourceRun:
    files = s.get("file_list")
    return SourceRun(
        run=s["run"],
        kind=s["kind"],
        imported_at=datetime.fromisoformat(s["imported_at"]),
        files=s.get("files"),
        files_unchanged=s.get("files_unchanged"),
        rows_read=s.get("rows_read"),
        rows_without_location=s.get("rows_without_location"),
        rows_in_area=s.get("rows_in_area"),
        rows_outside_area=s.get("rows_outside_area"),
        file_list=None
        if files is None
        else tuple(
            FileEntry(
                name=f["name"],
                checksum=f["checksum"],
                checksum_algorithm=f["checksum_algorithm"],
                outcome=f["outcome"],
                month=f.get("month"),
            )
            for f in files
        ),
    )


def _read_dataset(d: Mapping[str, Any]) -> Dataset:
    received = d.get("received")
    return Dataset(
        name=d["name"],
        source=d["source"],
        owner=d["owner"],
        received=date.fromisoformat(received[:10]) if received else None,
        indicators=tuple(d.get("indicators") or ()),
    )


def _read_forces(m: Mapping[str, Any]) -> ForcesMonth:
    return ForcesMonth(
        month=m["month"],
        held=bool(m["held"]),
        forces=tuple(
            ForceFile(
                force=f["force"],
                polices_area=bool(f["polices_area"]),
                file_held=bool(f["file_held"]),
                rows_in_area=f["rows_in_area"],
            )
            for f in m.get("forces") or ()
        ),
        policing_forces_missing=tuple(m.get("policing_forces_missing") or ()),
        forces_without_rows=tuple(m.get("forces_without_rows") or ()),
    )
