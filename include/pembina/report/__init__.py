"""The run record for auditors: a self-contained HTML report and a terminal summary."""

from pembina.report.run_report import collect_run_data, render_html, summarize_run, write_run_report

__all__ = ["collect_run_data", "render_html", "summarize_run", "write_run_report"]
