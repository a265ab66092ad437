"""The HTML of the run report and of the index of runs, in the language of ``pembina.report.messages``.

Each section is short enough to read on one screen: long lists (checks that passed, every table) are folded in
``<details>``. Every value from the warehouse is escaped; quarantine examples are masked (``mask_record``).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pembina.quality.gx_checks import MISSING_TARGET_EXPECTATION, value_shape
from pembina.quality.suites import UNEXPECTED_ROWS, Check, is_personal_data_column, suite_by_name
from pembina.report.charts import horizontal_bars, paired_columns, rate_line
from pembina.report.messages import Messages
from pembina.report.run_report import (
    FAILED,
    INDEX_NAME,
    LATEST_NAME,
    PERSONAL_DATA_SUITES,
    UNVALIDATED,
    VALIDATED,
    LoadFindings,
    QuarantineRule,
    ResultRecord,
    RunData,
    SuiteRecord,
    when,
)

# Runs of 8 digits or more (a NIP, a NIK, a date of birth written without separators) are masked wherever they
# stand in a quarantine example, besides the values of the personal-data columns.
_LONG_DIGITS = re.compile(r"\d{8,}")
# Columns of the sources that identify a person beyond those pembina.quality.suites lists for the marts: names
# (an assessor's too), titles, birthplace, SIASN's person id, certificate numbers; a survey respondent's phone,
# and residents' free text (SKM suggestions, LAPOR! titles and contents), which may name anyone.
_PERSON_COLUMNS = (
    "nama", "participant_name", "full_name", "gelar_depan", "gelar_belakang", "asesor", "tempat_lahir_nama",
    "pns_id", "certificate_no", "no_hp", "saran", "judul", "isi",
    "nama_fasilitator", "uraian", "rencana_tindak_lanjut", "topik",  # forum workbooks: residents' words
)  # fmt: skip
_RECORD_CHARS = 240
_FILES_SHOWN = 12  # more files than this: a line per source, the files folded

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:1.5rem auto;max-width:1200px;
padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #d8dde6;
padding-bottom:.2rem}h3{font-size:1rem;margin:1rem 0 .4rem}
nav{margin:.3rem 0;font-size:.95rem}nav a{margin-right:1.2rem}
.meta{color:#5a6475}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #d8dde6;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f4f8;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td{background:#fff1f1}tr.warn td{background:#fff9e6}code{font-size:.9em;word-break:break-all}
.mark{font-weight:600;white-space:nowrap}.pass{color:#17702d}.fail{color:#b3141b}.warn-t{color:#8a5a00}
.na{color:#6b7280}code.rule{white-space:nowrap;word-break:normal}
.banner{padding:.8rem 1rem;border-radius:6px;font-weight:600;margin:.8rem 0}
.banner.validated{background:#e8f6ec;border:1px solid #9bd3a9;color:#17521f}
.banner.failed,.banner.unvalidated{background:#c62828;border:1px solid #8e1c1c;color:#fff}
.cards{display:flex;flex-wrap:wrap;gap:.6rem}.card{border:1px solid #d8dde6;border-radius:6px;padding:.5rem .8rem;
min-width:130px}.card b{display:block;font-size:1.25rem}.card.bad{border-color:#f0a3a3;background:#fff1f1}
.card.warn{border-color:#f2d38a;background:#fff9e6}.empty{color:#6b7280;font-style:italic}
.charts{display:flex;flex-wrap:wrap;gap:1rem 1.5rem;align-items:flex-start}.chart{max-width:100%;height:auto}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}details>summary{cursor:pointer;margin:.4rem 0}
footer{margin-top:2.5rem;color:#6b7280;font-size:.85rem}
@media print{body{margin:0;max-width:none}a{color:inherit}details{display:block}}
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _href(target: Path | str | None, base: Path) -> str | None:
    """A link from ``base`` (the report's folder) to a local file, relative when possible."""
    if not target:
        return None
    path = Path(target)
    if not path.exists():
        return None
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive
        return path.resolve().as_uri()
    return quote(Path(rel).as_posix())


def _page(m: Messages, title: str, body: list[str]) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{m.language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _table(table_id: str, headers: list[tuple[str, bool]], rows: list[str]) -> str:
    head = "".join(f'<th class="n">{esc(h)}</th>' if numeric else f"<th>{esc(h)}</th>" for h, numeric in headers)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>' + "".join(rows) + "</tbody></table>"


# ---------------------------------------------------------------------------------------------- checks in words


def check_of(suite: str, result: ResultRecord) -> Check | None:
    """The suite's check behind a recorded result: same expectation and the same arguments."""
    try:
        checks = [c for c in suite_by_name(suite).checks if c.expectation == result.expectation]
    except KeyError:  # a suite that no longer exists
        return None
    expected = (result.observed or {}).get("expected")
    if expected is not None:
        wanted = json.dumps(expected, sort_keys=True, default=str)
        same = [c for c in checks if json.dumps(dict(c.kwargs), sort_keys=True, default=str) == wanted]
        if same:
            return same[0]
    same_column = [c for c in checks if c.column == result.column]
    return same_column[0] if len(same_column) == 1 else None


def expected_text(m: Messages, result: ResultRecord) -> str:
    """What the check expects, in words, from its expectation type and arguments."""
    kwargs: Mapping[str, Any] = (result.observed or {}).get("expected") or {}
    column = (result.column or "").replace(",", " + ")
    kind = result.expectation
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if kind == "expect_column_values_to_not_be_null":
        return m("exp_not_null", column=column)
    if kind == "expect_column_values_to_be_null":
        return m("exp_null", column=column)
    if kind == "expect_column_values_to_be_unique":
        return m("exp_unique", column=column)
    if kind == "expect_compound_columns_to_be_unique":
        return m("exp_compound_unique", column=column)
    if kind == "expect_table_row_count_to_be_between":
        return m("exp_row_count_range", min=low, max=high) if high is not None else m("exp_row_count_min", min=low)
    if kind == "expect_column_values_to_be_between":
        if low is not None and high is not None:
            return m("exp_between", column=column, min=low, max=high)
        return (
            m("exp_at_least", column=column, min=low) if low is not None else m("exp_at_most", column=column, max=high)
        )
    if kind == "expect_column_values_to_be_in_set":
        values = [str(v) for v in kwargs.get("value_set") or []]
        return m("exp_in_set", column=column, values=", ".join(values[:8]) + (" …" if len(values) > 8 else ""))
    if kind == "expect_column_values_to_match_regex":
        return m("exp_regex", column=column, regex=kwargs.get("regex"))
    if kind == "expect_column_values_to_not_match_regex":
        return m("exp_not_regex", column=column)
    if kind == "expect_table_columns_to_match_set":
        return m("exp_columns")
    if kind == MISSING_TARGET_EXPECTATION:
        return m("exp_table_exists")
    if kind == UNEXPECTED_ROWS:
        return m("exp_no_rows_break")
    return m("exp_other", expectation=kind)


def describe_check(m: Messages, suite: str, result: ResultRecord) -> str:
    """The check's plain-language description from its suite, else what it expects."""
    check = check_of(suite, result)
    if check is not None and check.description:
        return m.check_description(check.description)
    text = expected_text(m, result)
    return text[:1].upper() + text[1:]


def observed_text(m: Messages, result: ResultRecord, examples: int = 3) -> str:
    """What the check found, in words and numbers."""
    observed = result.observed or {}
    if observed.get("exception"):
        return m("obs_error", error=str(observed["exception"])[:300])
    res: Mapping[str, Any] = observed.get("result") or {}
    if res.get("unexpected_count") is not None:
        n, total = int(res["unexpected_count"]), res.get("element_count")
        if total is None:
            text = m("obs_unexpected_count", n=m.number(n))
        elif n == 0:
            return m("obs_all_conform", total=m.number(total))
        else:
            pct = float(res.get("unexpected_percent") or 0)
            text = m("obs_unexpected", n=m.number(n), total=m.number(total), pct=m.number(pct, 2))
        values = list(res.get("partial_unexpected_list") or [])[:examples]
        sample = [str(v) for v in values if not isinstance(v, bool)]  # `False` tells nothing
        return text + (f"; {m('obs_examples', values='; '.join(sample))}" if sample else "")
    if "observed_value" in res:
        value = res["observed_value"]
        if result.expectation == UNEXPECTED_ROWS and isinstance(value, int | float):
            return m("obs_rows_break", n=m.number(value))
        if result.expectation == "expect_table_row_count_to_be_between" and isinstance(value, int | float):
            return m("obs_row_count", n=m.number(value))
        if result.success:
            return m("obs_passed")
        return m("obs_value", value=json.dumps(value, default=str)[:300])
    return m("obs_passed") if result.success else m("result_failed")


def observed_summary(result: ResultRecord, limit: int = 5) -> str:
    """A failed check's observation in one line (English), for the terminal and for logs."""
    return "" if result.success else observed_text(Messages("en"), result, examples=limit)


# ---------------------------------------------------------------------------------------------- masking


def _is_personal(column: str) -> bool:
    return is_personal_data_column(column) or column.lower() in _PERSON_COLUMNS


def mask_record(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """A quarantined row with personal data masked: the values of personal-data columns by their shape
    (digits as 9, letters as A), and any run of 8 or more digits elsewhere."""
    masked: dict[str, Any] = {}
    for column, value in (record or {}).items():
        if _is_personal(str(column)):
            masked[column] = value_shape(value)
        elif isinstance(value, str):
            masked[column] = _LONG_DIGITS.sub(lambda match: "9" * len(match.group()), value)
        else:
            masked[column] = value
    return masked


def mask_message(message: str | None, record: Mapping[str, Any] | None) -> str:
    """A quarantine message with the row's personal values, and long runs of digits, masked."""
    text = message or ""
    for column, value in (record or {}).items():
        if _is_personal(str(column)) and isinstance(value, str) and len(value.strip()) >= 3:
            text = text.replace(value, str(value_shape(value)))
    return _LONG_DIGITS.sub(lambda match: "9" * len(match.group()), text)


# ---------------------------------------------------------------------------------------------- the report


def render_html(
    data: RunData,
    out_dir: Path,
    *,
    language: str | None = None,
    last_validated_run: Mapping[str, Any] | None = None,
) -> str:
    m = Messages(language)
    body: list[str] = []
    add = body.append
    crit, warn = data.critical_failures, data.warning_failures
    run = data.validation_run_id

    add(f"<h1>{esc(m('title'))}</h1>")
    meta = m("meta", run=run, database=data.database, when=when(data.generated_at)) if run else None
    add(f'<p class="meta">{esc(meta or m("meta_no_run", database=data.database, when=when(data.generated_at)))}</p>')
    status = data.status
    banner = {
        VALIDATED: m("status_validated", warnings=len(warn)),
        FAILED: m("status_failed", n=len(crit)),
        UNVALIDATED: m("status_unvalidated"),
    }[status]
    add(f'<div class="banner {status}" id="status" data-status="{status}" role="status">{esc(banner)}</div>')
    nav = [f'<a href="{INDEX_NAME}">{esc(m("nav_index"))}</a>']
    if status != VALIDATED:
        if last_validated_run:
            label = m("nav_latest_validated", run=last_validated_run["run_id"])
            nav.append(f'<a href="{esc(quote(last_validated_run["file"]))}" id="last-validated">{esc(label)}</a>')
        else:
            nav.append(f'<span class="na">{esc(m("nav_no_validated"))}</span>')
    add("<nav>" + "".join(nav) + "</nav>")
    publication = data.last_publication
    if publication:
        text = m(
            "publication",
            id=publication.publication_id,
            build=publication.build_id,
            gate=publication.gate_run_id,
            run=publication.airflow_run_id or "–",
            when=when(publication.published_at),
            n=len(publication.relations),
        )
    else:
        text = m("publication_none")
    add(f'<p class="meta" id="publication">{esc(text)}</p>')

    files = data.run_files
    cards = [
        ("card_files_loaded", sum(f.status == "loaded" for f in files), ""),
        ("card_files_rejected", sum(f.status == "rejected" for f in files), "warn"),
        ("card_rows_read", sum(f.rows_read for f in files), ""),
        ("card_rows_loaded", sum(f.rows_loaded for f in files), ""),
        ("card_rows_quarantined", sum(f.rows_quarantined for f in files), "warn"),
        ("card_not_reconciled", sum(f.reconciled is False for f in files), "bad"),
        ("card_checks_passed", sum(r.success for r in data.results), ""),
        ("card_checks_failed", len(crit), "bad"),
        ("card_warnings", len(warn), "warn"),
    ]
    add(
        '<div class="cards" id="cards">'
        + "".join(
            f'<div class="card {kind if n else ""}"><b>{esc(m.number(n))}</b>{esc(m(key))}</div>'
            for key, n, kind in cards
        )
        + "</div>"
    )

    _files_section(m, data, add)
    _findings_section(m, data.load_findings, data, add)
    _quarantine_section(m, data, add)
    _checks_section(m, data, out_dir, add)
    _charts_section(m, data, add)
    _tables_section(m, data, add)
    _personal_data_section(m, data, add)
    add(f"<footer>{esc(m('footer'))}</footer>")
    return _page(m, f"{m('title')} – {run or ''}", body)


def _status_of_file(m: Messages, status: str) -> str:
    return m(f"file_{status}") if status in ("loaded", "rejected", "skipped") else status


def _files_section(m: Messages, data: RunData, add: Callable[[str], None]) -> None:
    add(f'<h2 id="files-section">{esc(m("h_files"))}</h2>')
    if not data.files_recorded:
        add(f'<p class="empty">{esc(m("files_none_recorded"))}</p>')
        return
    files = data.run_files
    if not files:
        add(f'<p class="empty">{esc(m("files_none"))}</p>')
        return
    add(f"<p>{esc(m('files_intro'))}</p>")
    rows = []
    for f in files:
        ok = f.reconciled
        cls = "bad" if ok is False else ("warn" if f.status == "rejected" else "")
        state = "n/a" if ok is None else ("pass" if ok else "fail")
        if ok is None:
            mark = f'<span class="mark na">{esc(m("reconciled_na"))}</span>'
        else:
            word = esc(m("reconciled_yes" if ok else "reconciled_no"))
            mark = f'<span class="mark {"pass" if ok else "fail"}">{word}</span>'

        rows.append(
            f'<tr class="{cls}" data-file-id="{f.file_id}" data-reconciled="{state}">'
            f'<td><code title="sha256 {esc(f.sha256)}">{esc(data.relative_path(f.path))}</code></td>'
            f"<td>{esc(f.source)}</td><td>{esc(_status_of_file(m, f.status))}</td><td>{esc(f.encoding)}</td>"
            f'<td class="n">{m.number(f.rows_read)}</td><td class="n">{m.number(f.rows_loaded)}</td>'
            f'<td class="n">{m.number(f.rows_quarantined)}</td><td>{mark}</td><td>{esc(f.reason)}</td></tr>'
        )
    headers = [
        (m("col_file"), False),
        (m("col_source"), False),
        (m("col_status"), False),
        (m("col_encoding"), False),
        (m("col_read"), True),
        (m("col_loaded"), True),
        (m("col_quarantined"), True),
        (m("col_reconciled"), False),
        (m("col_reason"), False),
    ]
    if len(files) <= _FILES_SHOWN:
        add(_table("files", headers, rows))
        return
    by_source: dict[str, list] = {}
    for f in files:
        by_source.setdefault(f.source, []).append(f)
    summary = []
    for source, group in sorted(by_source.items()):
        unreconciled = sum(f.reconciled is False for f in group)
        rejected = sum(f.status == "rejected" for f in group)
        ok = not unreconciled
        word = esc(m("reconciled_yes" if ok else "reconciled_no"))
        summary.append(
            f'<tr class="{"" if ok else "bad"}{" warn" if rejected else ""}"><td>{esc(source)}</td>'
            f'<td class="n">{m.number(len(group))}</td><td class="n">{m.number(rejected)}</td>'
            f'<td class="n">{m.number(sum(f.rows_read for f in group))}</td>'
            f'<td class="n">{m.number(sum(f.rows_loaded for f in group))}</td>'
            f'<td class="n">{m.number(sum(f.rows_quarantined for f in group))}</td>'
            f'<td><span class="mark {"pass" if ok else "fail"}">{word}</span></td></tr>'
        )
    summary_headers = [
        (m("col_source"), False),
        (m("col_file"), True),
        (m("file_rejected"), True),
        (m("col_read"), True),
        (m("col_loaded"), True),
        (m("col_quarantined"), True),
        (m("col_reconciled"), False),
    ]
    add(_table("files-by-source", summary_headers, summary))
    every = esc(m("files_all", n=m.number(len(files))))
    add(f"<details><summary>{every}</summary>{_table('files', headers, rows)}</details>")


def _findings_section(m: Messages, findings: LoadFindings, data: RunData, add: Callable[[str], None]) -> None:
    """Only when a load met something: failed batches, absent optional columns, rewritten codes."""
    if not findings:
        return
    add(f"<h3>{esc(m('h_findings'))}</h3>")
    if findings.failed_batches:
        add(f"<p>{esc(m('failed_batches_intro'))}</p>")
        rows = [
            f'<tr class="bad" data-batch-id="{batch_id}"><td class="n">{batch_id}</td><td>{esc(source)}</td>'
            f"<td>{esc(when(started))}</td><td>{esc(when(finished))}</td><td>{esc(why)}</td></tr>"
            for batch_id, source, started, finished, why in findings.failed_batches
        ]
        headers = [(m("col_batch"), True), (m("col_source"), False), (m("col_when"), False), (m("col_failed"), False)]
        add(_table("failed-batches", [*headers, (m("col_reason"), False)], rows))
    if findings.absent_columns:
        add(f"<p>{esc(m('absent_intro'))}</p>")
        rows = [
            f"<tr><td><code>{esc(data.relative_path(path))}</code></td><td>{esc(source)}</td>"
            f"<td>{esc(', '.join(columns))}</td></tr>"
            for _, source, path, columns in findings.absent_columns
        ]
        add(
            _table(
                "absent-columns", [(m("col_file"), False), (m("col_source"), False), (m("col_columns"), False)], rows
            )
        )
    if findings.codes_rewritten:
        add(f"<p>{esc(m('rewritten_intro'))}</p>")
        rows = [
            f"<tr><td><code>{esc(data.relative_path(path))}</code></td><td>{esc(source)}</td><td>{esc(column)}</td>"
            f'<td class="n">{m.number(count)}</td></tr>'
            for _, source, path, counts in findings.codes_rewritten
            for column, count in sorted(counts.items())
        ]
        headers = [(m("col_file"), False), (m("col_source"), False), (m("col_columns"), False), (m("col_rows"), True)]
        add(_table("codes-rewritten", headers, rows))


def _example(q: QuarantineRule) -> str:
    record = mask_record(q.record)
    shown = "; ".join(f"{k}={v}" for k, v in record.items() if v not in (None, "") and not str(k).startswith("_"))
    return shown if len(shown) <= _RECORD_CHARS else shown[:_RECORD_CHARS] + " …"


def _quarantine_section(m: Messages, data: RunData, add: Callable[[str], None]) -> None:
    """One line per rule (its meaning, rows, sources, one example); the same per source folded below."""
    add(f'<h2 id="quarantine-section">{esc(m("h_quarantine"))}</h2>')
    if not data.quarantine_available:
        add(f'<p class="empty">{esc(m("quarantine_none_table"))}</p>')
        return
    if not data.run_quarantine:
        add(f'<p class="empty">{esc(m("quarantine_none"))}</p>')
        return
    add(f"<p>{esc(m('quarantine_intro'))}</p>")
    by_rule: dict[str, list[QuarantineRule]] = {}
    for q in data.run_quarantine:
        by_rule.setdefault(q.rule_id, []).append(q)
    rows = []
    for rule_id, group in sorted(by_rule.items(), key=lambda item: -sum(q.rows for q in item[1])):
        first = group[0]
        rows.append(
            f'<tr data-rule="{esc(rule_id)}">'
            f'<td><code class="rule">{esc(rule_id)}</code><br>{esc(m.rule(rule_id))}</td>'
            f'<td class="n">{m.number(sum(q.rows for q in group))}</td>'
            f"<td>{esc(', '.join(q.source for q in group))}</td>"
            f"<td>{esc(mask_message(first.message, first.record))}<br><code>{esc(_example(first))}</code></td></tr>"
        )
    total = sum(q.rows for q in data.run_quarantine)
    rows.append(f'<tr><th>{esc(m("total"))}</th><th class="n">{m.number(total)}</th><th></th><th></th></tr>')
    headers = [(m("col_rule"), False), (m("col_rows"), True), (m("col_source"), False), (m("col_example"), False)]
    add(_table("quarantine-rules", headers, rows))
    rows = [
        f'<tr data-rule="{esc(q.rule_id)}"><td>{esc(q.source)}</td>'
        f'<td><code class="rule">{esc(q.rule_id)}</code></td>'
        f'<td class="n">{m.number(q.rows)}</td><td>{esc(mask_message(q.message, q.record))}</td>'
        f"<td><code>{esc(_example(q))}</code></td></tr>"
        for q in data.run_quarantine
    ]
    headers = [
        (m("col_source"), False),
        (m("col_rule"), False),
        (m("col_rows"), True),
        (m("col_message"), False),
        (m("col_example"), False),
    ]
    summary = esc(m("quarantine_by_source", n=m.number(len(data.run_quarantine))))
    add(f"<details><summary>{summary}</summary>{_table('quarantine', headers, rows)}</details>")


def _check_rows(m: Messages, results: list[tuple[SuiteRecord, ResultRecord]]) -> list[str]:
    rows = []
    for s, r in results:
        if r.success:
            cls, mark = "", f'<span class="mark pass">{esc(m("result_passed"))}</span>'
        elif r.severity == "critical":
            cls, mark = "bad", f'<span class="mark fail">{esc(m("result_failed"))}</span>'
        else:
            cls, mark = "warn", f'<span class="mark warn-t">{esc(m("result_warning"))}</span>'
        severity = m("severity_critical") if r.severity == "critical" else m("severity_warning")
        rows.append(
            f'<tr class="{cls}" data-severity="{esc(r.severity)}" data-success="{str(r.success).lower()}">'
            f"<td>{esc(describe_check(m, s.suite, r))}</td><td><code>{esc(s.target)}</code></td>"
            f"<td>{esc(severity)}</td><td>{mark}</td><td>{esc(expected_text(m, r))}</td>"
            f"<td>{esc(observed_text(m, r))}</td></tr>"
        )
    return rows


def _checks_section(m: Messages, data: RunData, out_dir: Path, add: Callable[[str], None]) -> None:
    add(f'<h2 id="checks-section">{esc(m("h_checks"))}</h2>')
    if not data.validations:
        add(f'<p class="empty">{esc(m("checks_none"))}</p>')
        return
    add(f"<p>{esc(m('checks_intro'))}</p>")
    headers = [
        (m("col_check"), False),
        (m("col_table"), False),
        (m("col_severity"), False),
        (m("col_result"), False),
        (m("col_expected"), False),
        (m("col_observed"), False),
    ]
    all_results = [(s, r) for s in data.validations for r in s.results]
    for table_id, title, empty, chosen in (
        ("checks-failed", "checks_failed_h", "checks_none_failed", data.critical_failures),
        ("checks-warnings", "checks_warning_h", "checks_none_warning", data.warning_failures),
    ):
        add(f"<h3>{esc(m(title))}</h3>")
        add(_table(table_id, headers, _check_rows(m, chosen)) if chosen else f'<p class="empty">{esc(m(empty))}</p>')
    passed = [(s, r) for s, r in all_results if r.success]
    add(
        f"<details><summary>{esc(m('checks_passed_h', n=m.number(len(passed))))}</summary>"
        + _table("checks-passed", headers, _check_rows(m, passed))
        + "</details>"
    )
    # Data Docs' index lists its pages with JavaScript from CDNs: blank offline. A validation page reads without
    # them (unstyled), so those are linked, and this report carries every check itself.
    pages = [(s.suite, _href(s.docs_path, out_dir)) for s in data.validations]
    pages = [(suite, href) for suite, href in pages if href and not href.endswith("/index.html")]
    links = [f'<li><a href="{esc(href)}">{esc(suite)}</a></li>' for suite, href in pages if href]
    if links:
        add(f'<details id="data-docs"><summary>{esc(m("data_docs"))}</summary><ul>{"".join(links)}</ul></details>')


def _charts_section(m: Messages, data: RunData, add: Callable[[str], None]) -> None:
    history = data.history
    add(f'<h2 id="charts-section">{esc(m("h_charts"))}</h2>')
    add(f"<h3>{esc(m('chart_loads'))}</h3>")
    if history.loads:
        add(f'<p class="meta">{esc(m("chart_loads_legend"))}</p>')
        add(
            '<div class="charts" id="chart-loads">'
            + "".join(
                paired_columns(f"loads-{source}", source, columns, lambda v: m.number(v))
                for source, columns in history.loads
            )
            + "</div>"
        )
    else:
        add(f'<p class="empty">{esc(m("chart_empty"))}</p>')
    add(f"<h3>{esc(m('chart_pass_rate'))}</h3>")
    if history.pass_rates:
        points = [(when(started)[5:16], pct, ok) for _, started, pct, ok in history.pass_rates]
        add(rate_line("pass-rate", m("chart_pass_rate"), points, lambda v: f"{m.number(v, 1)}%"))
    else:
        add(f'<p class="empty">{esc(m("chart_empty"))}</p>')
    add('<div class="charts">')
    for name, key, (year, rows), maximum, label in (
        ("jp-by-opd", "chart_jp", history.jp_by_opd, 100.0, lambda v: "–" if v is None else f"{m.number(v, 1)}%"),
        ("ip-asn-by-opd", "chart_ip_asn", history.ip_asn_by_opd, 100.0, lambda v: "–" if v is None else m.number(v, 1)),
    ):
        title = m(key, year=year if year is not None else "–")
        add(f"<figure><figcaption>{esc(title)}</figcaption>")
        if rows:
            add(horizontal_bars(name, title, rows, maximum, label))
        else:
            add(f'<p class="empty">{esc(m("chart_empty" if history.marts_published else "chart_marts_absent"))}</p>')
        add("</figure>")
    add("</div>")


def _tables_section(m: Messages, data: RunData, add: Callable[[str], None]) -> None:
    add(f'<h2 id="tables-section">{esc(m("h_tables"))}</h2>')
    if not data.tables:
        add(f'<p class="empty">{esc(m("tables_none"))}</p>')
        return
    layers = ", ".join(f"{layer} {m.number(n)}" for layer, n in data.layer_totals.items())
    rows = []
    for t in data.tables:
        cell = (
            m.number(t.rows) if t.error is None else f'<span class="fail">{esc(m("count_error", error=t.error))}</span>'
        )
        rows.append(
            f'<tr><td>{esc(t.schema)}</td><td>{esc(t.table)}</td><td>{esc(t.kind)}</td><td class="n">{cell}</td></tr>'
        )
    headers = [(m("col_schema"), False), (m("col_table"), False), (m("col_kind"), False), (m("col_rows"), True)]
    summary = esc(m("tables_summary", layers=layers))
    add(f"<details><summary>{summary}</summary>{_table('tables', headers, rows)}</details>")


def _personal_data_section(m: Messages, data: RunData, add: Callable[[str], None]) -> None:
    add(f'<h2 id="personal-data">{esc(m("h_personal"))}</h2>')
    add(f"<p>{esc(m('personal_intro'))}</p>")
    suites = [s for s in data.validations if s.suite in PERSONAL_DATA_SUITES]
    if suites:
        rows = []
        for s in suites:
            for r in s.results:
                mark = "result_passed" if r.success else "result_failed"
                rows.append(
                    f'<tr class="{"" if r.success else "bad"}" data-suite="{esc(s.suite)}">'
                    f"<td>{esc(describe_check(m, s.suite, r))}</td>"
                    f'<td><span class="mark {"pass" if r.success else "fail"}">{esc(m(mark))}</span></td>'
                    f"<td>{esc(observed_text(m, r))}</td></tr>"
                )
        headers = [(m("col_check"), False), (m("col_result"), False), (m("col_observed"), False)]
        add(_table("personal-data-checks", headers, rows))
    else:
        add(f'<p class="empty">{esc(m("personal_not_run"))}</p>')
    q = data.quasi_identifiers
    if q is None:
        add(f'<p class="empty">{esc(m("personal_q_absent"))}</p>')
        return
    text = m(
        "personal_q",
        employees=m.number(q.employees),
        unique=m.number(q.unique_employees),
        below=m.number(q.employees_below_k),
        pct=m.number(q.below_k_pct, 2),
        k=q.k,
        max=m.number(q.max_below_k_pct, 1),
    )
    add(f'<p id="quasi-identifiers" class="{"fail" if q.breach else ""}">{esc(text)}</p>')
    levels = ", ".join(m("level", level=level, n=m.number(n)) for level, n in q.by_disclosure_level)
    add(f"<p>{esc(m('personal_levels', levels=levels))}</p>")


# ---------------------------------------------------------------------------------------------- the index


def render_index(
    runs: list[Mapping[str, Any]], gate_runs: list[tuple[str, Any, bool]], *, language: str | None = None
) -> str:
    """Every reported run, newest first, with its status and a link to its report; gate runs recorded in the
    warehouse without a report here are listed too."""
    m = Messages(language)
    body = [f"<h1>{esc(m('index_title'))}</h1>", f"<p>{esc(m('index_intro'))}</p>"]
    latest = next((r for r in reversed(runs) if r["status"] == VALIDATED), None)
    if latest:
        link = f'<a href="{LATEST_NAME}" id="latest">{esc(latest["run_id"])}</a>'
        body.append(f"<p>{m('index_latest', link=link)}</p>")
    else:
        body.append(f'<p class="empty">{esc(m("nav_no_validated"))}</p>')
    reported = {r["run_id"] for r in runs}
    rows = []
    entries = [(r["written_at"], i, r) for i, r in enumerate(runs)] + [
        (started.isoformat(timespec="seconds"), -1, {"run_id": run_id, "status": VALIDATED if passed else FAILED})
        for run_id, started, passed in gate_runs
        if run_id not in reported
    ]
    for written, _, r in sorted(entries, key=lambda e: e[:2], reverse=True):
        status = r["status"]
        cls = "" if status == VALIDATED else "bad"
        word = m(f"status_word_{status}")
        report = (
            f'<a href="{esc(quote(r["file"]))}">{esc(r["file"])}</a>'
            if "file" in r
            else f'<span class="na">{esc(m("index_no_report"))}</span>'
        )
        counts = "".join(
            f'<td class="n">{m.number(r[key]) if key in r else ""}</td>'
            for key in ("files", "rows_quarantined", "checks_passed", "critical_failed", "warnings")
        )
        rows.append(
            f'<tr class="{cls}" data-status="{status}"><td><code>{esc(r["run_id"])}</code></td>'
            f"<td>{esc(when(datetime.fromisoformat(written)))}</td>"
            f'<td><span class="mark {"pass" if status == VALIDATED else "fail"}">{esc(word)}</span></td>'
            f"{counts}<td>{report}</td></tr>"
        )
    headers = [
        (m("col_run"), False),
        (m("col_when"), False),
        (m("col_status"), False),
        (m("col_file"), True),
        (m("card_rows_quarantined"), True),
        (m("card_checks_passed"), True),
        (m("card_checks_failed"), True),
        (m("card_warnings"), True),
        (m("col_report"), False),
    ]
    body.append(_table("runs", headers, rows) if rows else f'<p class="empty">{esc(m("index_empty"))}</p>')
    body.append(f"<footer>{esc(m('footer'))}</footer>")
    return _page(m, m("index_title"), body)
