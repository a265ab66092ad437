"""The run record for auditors: a self-contained HTML report per run, an index of runs, and a terminal summary."""

from pembina.report.render import render_html
from pembina.report.run_report import UnknownRunError, collect_run_data, summarize_run, write_run_report

__all__ = ["UnknownRunError", "collect_run_data", "render_html", "summarize_run", "write_run_report"]
