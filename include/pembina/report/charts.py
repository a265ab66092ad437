"""Small charts as inline SVG: no script, no network, printable. Every chart is an ``<svg>`` with a ``<title>``
and ``data-chart`` naming it, and holds its numbers as text, so that it reads without colour too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

BLUE, RED, GREEN, GREY = "#2f6db5", "#c62828", "#2e7d32", "#9aa3b2"


def _svg(name: str, title: str, width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg class="chart" data-chart="{escape(name)}" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 11, fill: str = "#1d2330") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def horizontal_bars(
    name: str,
    title: str,
    rows: Sequence[tuple[str, float | None]],
    maximum: float,
    label: Callable[[float | None], str],
) -> str:
    """One bar per row (e.g. per OPD), its value written beside it; a missing value (suppressed) has no bar."""
    row_height, label_width, bar_width = 18, 120, 300
    height = row_height * len(rows) + 8
    body = []
    for i, (category, value) in enumerate(rows):
        y = 4 + i * row_height
        body.append(_text(label_width - 6, y + 13, category, "end"))
        if value is not None and maximum > 0:
            width = max(1.0, bar_width * min(value, maximum) / maximum)
            body.append(f'<rect x="{label_width}" y="{y + 3}" width="{width:.1f}" height="12" fill="{BLUE}"/>')
        else:
            width = 0.0
        body.append(
            _text(label_width + width + 4, y + 13, label(value), fill="#5a6475" if value is None else "#1d2330")
        )
    return _svg(name, title, label_width + bar_width + 70, height, body)


def paired_columns(
    name: str,
    title: str,
    columns: Sequence[tuple[int, int]],
    label: Callable[[float | None], str],
) -> str:
    """Per run (oldest left) a blue column of rows loaded and a red one of rows quarantined, each on its own
    scale (quarantine is a small share of the rows), with the numbers of the latest run written out."""
    width, height, gap = 230, 96, 4
    slot = (width - 10) / max(len(columns), 1)
    top_loaded = max((loaded for loaded, _ in columns), default=0) or 1
    top_quarantined = max((quarantined for _, quarantined in columns), default=0) or 1
    body = [_text(0, 12, title, size=12)]
    for i, (loaded, quarantined) in enumerate(columns):
        x = 5 + i * slot
        column = max(2.0, (slot - gap) / 2 - 1)
        h_loaded = 56 * loaded / top_loaded
        h_quarantined = 56 * quarantined / top_quarantined
        body.append(
            f'<rect x="{x:.1f}" y="{76 - h_loaded:.1f}" width="{column:.1f}" height="{h_loaded:.1f}" fill="{BLUE}"/>'
        )
        body.append(
            f'<rect x="{x + column + 1:.1f}" y="{76 - h_quarantined:.1f}" width="{column:.1f}" '
            f'height="{h_quarantined:.1f}" fill="{RED}"/>'
        )
    body.append(f'<line x1="0" y1="76.5" x2="{width}" y2="76.5" stroke="{GREY}"/>')
    if columns:
        loaded, quarantined = columns[-1]
        body.append(_text(0, 91, f"{label(loaded)} / {label(quarantined)}", size=11))
    return _svg(name, title, width, height, body)


def rate_line(name: str, title: str, points: Sequence[tuple[str, float, bool]], label: Callable[[float], str]) -> str:
    """A share (0-100 %) per run, oldest left; a run whose gate failed is a red point, a passed one green."""
    width, height, left, top, plot_h = 560, 160, 40, 20, 100
    step = (width - left - 20) / max(len(points) - 1, 1)
    body = []
    for pct in (0, 50, 100):
        y = top + plot_h * (1 - pct / 100)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#e3e7ee"/>')
        body.append(_text(left - 4, y + 4, f"{pct}%", "end", size=10))
    coordinates = [(left + i * step, top + plot_h * (1 - pct / 100)) for i, (_, pct, _) in enumerate(points)]
    if len(coordinates) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for (x, y), (run_label, pct, passed) in zip(coordinates, points, strict=True):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{GREEN if passed else RED}"/>')
        body.append(_text(x, y - 7, label(pct), "middle", size=10))
        body.append(_text(x, top + plot_h + 16, run_label, "middle", size=9, fill="#5a6475"))
    return _svg(name, title, width, height, body)
