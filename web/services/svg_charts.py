"""Small server-rendered SVG charts: no script, no CDN, no inline style (the app's CSP forbids both).

Each chart is ``role="img"`` labelled by its own ``<title>`` and ``<desc>``; pages put the same numbers
in a table beside it for screen readers and copying.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

INK = "#1b1b1b"
GRID = "#d0d0d0"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _axis(top: float, integer: bool) -> tuple[float, float]:
    """(axis maximum, tick step) for values up to ``top``: at most four steps of 1, 2, 2.5 or 5 times a power
    of ten; whole steps for counts (no tick at "1.2 conversations")."""
    if top <= 0:
        return 1.0, 1.0
    raw = top / 4
    exp = 10.0 ** math.floor(math.log10(raw))
    step = 10 * exp
    for m in (1, 2, 2.5, 5, 10):
        candidate = m * exp
        if integer and (candidate < 1 or not float(candidate).is_integer()):
            continue
        if candidate >= raw:
            step = candidate
            break
    if integer:
        step = max(step, 1.0)
    return step * math.ceil(top / step - 1e-9), step


def _fmt(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.3g}"


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
            f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
            f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>']


LEGEND_ROW = 18


def _legend_rows(series: Sequence[tuple[str, str]], x: int, max_x: int | None) -> list[list[tuple[int, str, str]]]:
    """Legend entries placed left to right, on a new row when one would pass ``max_x``."""
    rows: list[list[tuple[int, str, str]]] = [[]]
    start = cur = x
    for name, color in series:
        step = 30 + 7 * len(name)
        if max_x is not None and rows[-1] and cur + step > max_x:
            rows.append([])
            cur = start
        rows[-1].append((cur, name, color))
        cur += step
    return rows


def _legend(series: Sequence[tuple[str, str]], x: int, y: int, max_x: int | None = None) -> list[str]:
    out = []
    for r, row in enumerate(_legend_rows(series, x, max_x)):
        for lx, name, color in row:
            ly = y + r * LEGEND_ROW
            out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{color}"/>')
            out.append(f'<text x="{lx + 17}" y="{ly}" {FONT} fill="{INK}">{escape(name)}</text>')
    return out


def bar_chart(chart_id: str, title: str, desc: str, labels: Sequence[str],
              series: Sequence[tuple[str, Sequence[float], str]], *, width: int = 720, height: int = 260) -> Markup:
    """Vertical stacked bars: one bar per label, one segment per series (name, values, colour)."""
    left, right, top, bottom = 44, 10, 28, 46
    legend = [(n, c) for n, _, c in series]
    extra_rows = len(_legend_rows(legend, left, width - right)) - 1  # a long legend wraps; the plot moves down
    top += LEGEND_ROW * extra_rows
    height += LEGEND_ROW * extra_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s[1][i] for s in series) for i in range(len(labels))]
    counts = all(float(v).is_integer() for _, values, _ in series for v in values)
    ymax, step = _axis(max(totals, default=0), counts)
    out = _open(chart_id, title, desc, width, height)
    out += _legend(legend, left, 14, width - right)
    for k in range(round(ymax / step) + 1):  # grid lines and y ticks
        v = step * k
        y = top + plot_h - plot_h * v / ymax
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT} fill="{INK}">{_fmt(v)}</text>')
    n = max(len(labels), 1)
    slot = plot_w / n
    bar_w = max(slot * 0.75, 1)
    every = max(1, math.ceil(n / 12))  # at most ~12 x labels
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar_w) / 2
        base = top + plot_h
        for name, values, color in series:
            h = plot_h * values[i] / ymax
            if h > 0:
                out.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                           f'fill="{color}"><title>{escape(label)}: {escape(name)} {_fmt(values[i])}</title></rect>')
            base -= h
        if i % every == 0:
            out.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" {FONT} '
                       f'fill="{INK}">{escape(label)}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{INK}"/>')
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704  # nosec B704 - every text and label above went through escape()


def share_chart(chart_id: str, title: str, desc: str, rows: Sequence[tuple[str, Sequence[int]]],
                series: Sequence[tuple[str, str]], *, width: int = 720, empty: str = "No data") -> Markup:
    """Horizontal 100 % bars: one row per label, segments in proportion, the counts written at the end.
    With nothing counted in any row, one line saying ``empty`` (the caller's translation of "No data"):
    an empty bar with "n=0" read as a chart that failed to draw."""
    label_w, right, top, row_h = 190, 70, 28, 24
    if not any(sum(values) for _label, values in rows):
        out = _open(chart_id, title, desc, width, row_h + 8)
        out.append(f'<text x="8" y="20" {FONT} fill="{INK}">{escape(empty)}</text>')
        out.append("</svg>")
        return Markup("".join(out))  # noqa: S704  # nosec B704 - the one text went through escape()
    height = top + row_h * max(len(rows), 1) + 8
    plot_w = width - label_w - right
    out = _open(chart_id, title, desc, width, height)
    out += _legend(series, label_w, 14)
    for r, (label, values) in enumerate(rows):
        y = top + r * row_h
        total = sum(values)
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" {FONT} fill="{INK}">'
                   f'{escape(label[:28])}</text>')
        x = float(label_w)
        for (name, color), v in zip(series, values, strict=True):
            w = plot_w * v / total if total else 0
            if w > 0:
                pct = 100 * v / total
                out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{color}">'
                           f'<title>{escape(label)}: {escape(name)} {v} ({pct:.0f} %)</title></rect>')
                if w > 34:
                    out.append(f'<text x="{x + 4:.1f}" y="{y + 16}" {FONT} fill="#fff">{pct:.0f} %</text>')
            x += w
        out.append(f'<text x="{label_w + plot_w + 6}" y="{y + 16}" {FONT} fill="{INK}">n={total}</text>')
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704  # nosec B704 - every text and label above went through escape()
