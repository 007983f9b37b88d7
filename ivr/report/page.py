"""The report as one self-contained HTML page: charts drawn here as SVG, each with the
numbers behind it in a table underneath.

    html(summary) -> str     summary: render.summary(...), the same numbers as the JSON

Nothing is fetched: no script, style sheet, font or picture from anywhere, so the page
works opened from a file or an email attachment. It shows what the JSON shows (counts
under --min-count appear as "<N", and draw no bar), and so nothing personal: ids,
counts and days only.
"""

from __future__ import annotations

from html import escape

CHANNEL_NAMES = {"voice": "calls", "sms": "texts"}
COLOURS = ("#0b3d91", "#1e6b2d", "#8a5a00", "#a4161a", "#5a2d82", "#00626a", "#4a4a4a")
BAR = 22  # a bar's height, px
LABEL_WIDTH = 220  # the space left of horizontal bars for their names
CHART_WIDTH = 640


def html(summary: dict) -> str:
    hidden = summary.get("hidden_below")
    parts = [
        "<h1>How the helpline is used</h1>",
        f"<p>From {_text(summary['from'] or 'no conversations')} to "
        f"{_text(summary['to'] or '-')} (UTC). Counted from the app's private log lines: ids, "
        "counts and days only, never a number or a word anyone sent."
        + (f" Counts under {hidden} are shown as &lt;{hidden} and draw no bar." if hidden else "")
        + "</p>",
        _per_day(summary),
        *(_per_day_by(name, days, hidden) for name, days in summary["per_day_by"].items()),
        _shares(summary, hidden),
        _where_people_leave(summary, hidden),
        _not_understood(summary, hidden),
        _turns(summary),
    ]
    return _PAGE.format(body="\n".join(parts))


def _per_day(summary: dict) -> str:
    days = summary["per_day"]
    channels = sorted({c for counts in days.values() for c in counts})
    names = [CHANNEL_NAMES.get(c, c) for c in channels]
    rows = [(day, [counts.get(c) for c in channels]) for day, counts in days.items()]
    return _stacked("per-day", "Conversations per day, by channel", "Day", names, rows, None)


def _per_day_by(name: str, days: dict, hidden) -> str:
    values = sorted({v for counts in days.values() for v in counts})
    rows = [(day, [counts.get(v) for v in values]) for day, counts in days.items()]
    title = f"Conversations per day, by {name.replace('_', ' ')}"
    return _stacked(f"per-day-{name}", title, "Day", values, rows, hidden)


def _shares(summary: dict, hidden) -> str:
    rows, bars = [], []
    for group in summary["by_script"]:
        who = f"{group['script']}, {CHANNEL_NAMES.get(group['channel'], group['channel'])}"
        total = group["conversations"]
        cells = [_count(total, hidden)]
        for key, name in (("danger", "danger"), ("under_18", "under 18")):
            share = _share(group[key], total)
            cells += [_count(group[key], hidden), "-" if share is None else f"{share:.1f}%"]
            bars.append((f"{CHANNEL_NAMES.get(group['channel'], group['channel'])}: {name}", share))
        rows.append((who, cells))
    chart = _horizontal(bars, "%", 100.0)
    table = _table(
        "The numbers: conversations that reached the danger and the under-18 answers",
        ["Script and channel", "Conversations", "Danger", "Share", "Under 18", "Share"],
        rows,
    )
    return _figure("shares", "Share of conversations reaching danger and under 18", chart, table)


def _where_people_leave(summary: dict, hidden) -> str:
    ended = sorted(summary["ended_at"].items(), key=lambda kv: (-(kv[1] or 0), kv[0]))
    chart = _horizontal([(node, count) for node, count in ended], "", None)
    table = _table(
        "The numbers: conversations by the node they ended at",
        ["Node", "Conversations that ended there"],
        [(node, [_count(count, hidden)]) for node, count in ended],
    )
    return _figure("leave", "Where people leave (the last node reached)", chart, table)


def _not_understood(summary: dict, hidden) -> str:
    at = summary["not_understood_at"]
    ordered = sorted(at.items(), key=lambda kv: (-(kv[1]["count"] or 0), kv[0]))
    chart = _horizontal([(node, n["count"]) for node, n in ordered], "", None)
    rows = [
        (
            node,
            [
                _count(n["inputs"], hidden),
                _count(n["count"], hidden),
                "-" if n["share"] is None else f"{100 * n['share']:.1f}%",
            ],
        )
        for node, n in ordered
    ]
    table = _table(
        "The numbers: inputs (keys, words, texts) made at each node, and those not understood",
        ["Node", "Inputs", "Not understood", "Share"],
        rows,
    )
    return _figure("not-understood", "Inputs not understood, by node", chart, table)


def _turns(summary: dict) -> str:
    turns = summary["turns"]
    chart = _horizontal([(f"{n} turns", count) for n, count in turns.items()], "", None)
    table = _table(
        "The numbers: conversations by how many turns they took",
        ["Turns", "Conversations"],
        [(n, [str(count)]) for n, count in turns.items()],
    )
    return _figure("turns", "Turns per conversation", chart, table)


# -- drawing ---------------------------------------------------------------------------------


def _stacked(anchor, title, first, series, rows, hidden) -> str:
    """Bars per row (a day), stacked by series, with a legend in words and a table."""
    widest = max((sum(v or 0 for v in values) for _, values in rows), default=0) or 1
    height = len(rows) * (BAR + 8) + 30
    shapes = []
    for i, (day, values) in enumerate(rows):
        y, x = 8 + i * (BAR + 8), LABEL_WIDTH
        shapes.append(_label(day, y))
        for j, value in enumerate(values):
            if not value:
                continue
            width = (CHART_WIDTH - LABEL_WIDTH - 60) * value / widest
            shapes.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
            x += width
        total = sum(v or 0 for v in values)
        shapes.append(f'<text x="{x + 6:.1f}" y="{y + 16}">{total}</text>')
    legend = "".join(
        f'<li><span class="swatch" style="background:{COLOURS[j % len(COLOURS)]}"></span>'
        f"{_text(name)}</li>"
        for j, name in enumerate(series)
    )
    chart = _svg(title, height, shapes) + f'<ul class="legend">{legend}</ul>'
    table = _table(
        f"The numbers: {title[0].lower() + title[1:]}",
        [first, *series, "Total"],
        [
            (day, [*(_count(v, hidden) for v in values), str(sum(v or 0 for v in values))])
            for day, values in rows
        ],
    )
    return _figure(anchor, title, chart, table)


def _horizontal(bars, unit: str, top: float | None) -> str:
    widest = top or max((v or 0 for _, v in bars), default=0) or 1
    shapes = []
    for i, (name, value) in enumerate(bars):
        y = 8 + i * (BAR + 8)
        shapes.append(_label(name, y))
        width = (CHART_WIDTH - LABEL_WIDTH - 70) * (value or 0) / widest
        shapes.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR}" '
            f'fill="{COLOURS[0]}"/>'
        )
        shown = "-" if value is None else (f"{value:.1f}{unit}" if unit else str(value))
        shapes.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 16}">{shown}</text>')
    return _svg("", len(bars) * (BAR + 8) + 16, shapes)


def _label(name: str, y: int) -> str:
    short = name if len(name) <= 30 else name[:29] + "..."
    return f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{_text(short)}</text>'


def _svg(title: str, height: int, shapes: list[str]) -> str:
    # The chart is a picture of the table under it: hidden from screen readers, which
    # read the table instead.
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'width="{CHART_WIDTH}" height="{height}" aria-hidden="true" focusable="false">'
        + "".join(shapes)
        + "</svg>"
    )


def _figure(anchor: str, title: str, chart: str, table: str) -> str:
    return (
        f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{_text(title)}</h2>'
        f'<div class="chart">{chart}</div>{table}</section>'
    )


def _table(caption: str, heads: list[str], rows) -> str:
    head = "".join(f'<th scope="col">{_text(h)}</th>' for h in heads)
    body = "".join(
        f'<tr><th scope="row">{_text(name)}</th>'
        + "".join(f"<td>{_text(cell)}</td>" for cell in cells)
        + "</tr>"
        for name, cells in rows
    )
    if not rows:
        body = f'<tr><td colspan="{len(heads)}">None in this time.</td></tr>'
    return f"<table><caption>{_text(caption)}</caption><tr>{head}</tr>{body}</table>"


def _count(value, hidden) -> str:
    if value is None:
        return f"<{hidden}" if hidden else "-"
    return str(value)


def _share(part, whole) -> float | None:
    if part is None or not whole:
        return None
    return 100 * part / whole


def _text(value) -> str:
    return escape(str(value))


_PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>How the helpline is used</title>
<style>
  body {{ margin: 0 auto; max-width: 52rem; padding: 1rem; color: #1b1b1b; background: #fff;
         font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }}
  h1 {{ font-size: 1.8rem; }} h2 {{ font-size: 1.3rem; margin-top: 2rem; }}
  .chart {{ overflow-x: auto; }}
  .chart svg {{ max-width: 100%; height: auto; font: 14px system-ui, sans-serif; fill: #1b1b1b; }}
  .legend {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }}
  .swatch {{ display: inline-block; width: 1rem; height: 1rem; margin-right: 0.4rem;
            vertical-align: middle; border: 1px solid #1b1b1b; }}
  table {{ border-collapse: collapse; margin: 0.5rem 0 1rem; }}
  caption {{ text-align: left; font-weight: 700; padding: 0.25rem 0; }}
  th, td {{ border: 1px solid #b1b4b6; padding: 0.25rem 0.6rem; text-align: left; }}
  td {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""
