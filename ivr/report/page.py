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
# A chart is as wide as the page and its text the page's own size at any width: each
# bar's name on a line above it, bars and their numbers placed in percent of the width
# (no viewBox, so nothing is shrunk to fit a phone).
ROW = 46  # one bar: its name, the bar, a gap (px)
BAR = 18  # a bar's height (px)
LONGEST = 78.0  # the longest bar, in percent of the width: room for its number after it
LONGEST_NAME = 40  # characters of a name drawn above a bar (the table has them whole)


def html(summary: dict) -> str:
    hidden = summary.get("hidden_below")
    parts = [
        "<h1>How the helpline is used</h1>",
        f"<p>From {_text(summary['from'] or 'no conversations')} to "
        f"{_text(summary['to'] or '-')} (UTC). Counted from the app's private log lines: ids, "
        "counts and days only, never a number or a word anyone sent."
        + (f" Counts under {hidden} are shown as &lt;{hidden} and draw no bar." if hidden else "")
        + "</p>",
        _per_day(summary, hidden),
        *(_per_day_by(name, days, hidden) for name, days in summary["per_day_by"].items()),
        _shares(summary, hidden),
        _where_people_leave(summary, hidden),
        _not_understood(summary, hidden),
        _turns(summary),
    ]
    return _PAGE.format(body="\n".join(parts))


def _per_day(summary: dict, hidden) -> str:
    # A day's counts name only what it had: one missing is 0, one that is None is hidden.
    days = summary["per_day"]
    channels = sorted({c for counts in days.values() for c in counts})
    names = [CHANNEL_NAMES.get(c, c) for c in channels]
    rows = [(day, [counts.get(c, 0) for c in channels]) for day, counts in days.items()]
    return _stacked("per-day", "Conversations per day, by channel", "Day", names, rows, hidden)


def _per_day_by(name: str, days: dict, hidden) -> str:
    values = sorted({v for counts in days.values() for v in counts})
    rows = [(day, [counts.get(v, 0) for v in values]) for day, counts in days.items()]
    shown = "guide (script)" if name == "script" else name.replace("_", " ")
    title = f"Conversations per day, by {shown}"
    return _stacked(f"per-day-{name}", title, "Day", values, rows, hidden)


def _shares(summary: dict, hidden) -> str:
    groups = summary["by_script"]
    several = len({group["script"] for group in groups}) > 1
    rows, bars = [], []
    for group in groups:
        channel = CHANNEL_NAMES.get(group["channel"], group["channel"])
        who = f"{group['script']}, {channel}" if several else channel
        total = group["conversations"]
        for key, answer in (("danger", "danger"), ("under_18", "under 18")):
            share = _share(group[key], total)
            name = f"{who}: {answer}"
            shown = "-" if share is None else f"{share:.1f}%"
            bars.append((name, [share], shown))
            rows.append((name, [_count(group[key], hidden), _count(total, hidden), shown]))
    first = "Script, channel and answer" if several else "Channel and answer"
    table = _table(
        "The numbers: conversations that reached the danger and the under-18 answers",
        [first, "Reached it", "Of all", "Share"],
        rows,
    )
    chart = _bars(bars, top=100.0)
    return _figure("shares", "Share of conversations reaching danger and under 18", chart, table)


def _where_people_leave(summary: dict, hidden) -> str:
    ended = sorted(summary["ended_at"].items(), key=lambda kv: (-(kv[1] or 0), kv[0]))
    chart = _bars([(node, [count], _count(count, hidden)) for node, count in ended])
    table = _table(
        "The numbers: conversations by the node they ended at",
        ["Node", "Conversations that ended there"],
        [(node, [_count(count, hidden)]) for node, count in ended],
    )
    return _figure("leave", "Where people leave (the last node reached)", chart, table)


def _not_understood(summary: dict, hidden) -> str:
    at = summary["not_understood_at"]
    ordered = sorted(at.items(), key=lambda kv: (-(kv[1]["count"] or 0), kv[0]))
    chart = _bars([(node, [n["count"]], _count(n["count"], hidden)) for node, n in ordered])
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
    chart = _bars([(f"{n} turns", [count], str(count)) for n, count in turns.items()])
    table = _table(
        "The numbers: conversations by how many turns they took",
        ["Turns", "Conversations"],
        [(n, [str(count)]) for n, count in turns.items()],
    )
    return _figure("turns", "Turns per conversation", chart, table)


# -- drawing ---------------------------------------------------------------------------------


def _stacked(anchor, title, first, series, rows, hidden) -> str:
    """Bars per row (a day), stacked by series, with a legend in words and a table."""
    rows = [(day, values, _total(values, hidden)) for day, values in rows]
    chart = _bars(rows)
    legend = "".join(
        f'<li><span class="swatch" style="background:{COLOURS[j % len(COLOURS)]}"></span>'
        f"{_text(name)}</li>"
        for j, name in enumerate(series)
    )
    table = _table(
        f"The numbers: {title[0].lower() + title[1:]}",
        [first, *series, "Total"],
        [(day, [*(_count(v, hidden) for v in values), total]) for day, values, total in rows],
    )
    return _figure(anchor, title, chart + f'<ul class="legend">{legend}</ul>', table)


def _total(values, hidden) -> str:
    """A row's total. A hidden count is not added in, so the total says "or more" (its
    true value would give the hidden count away)."""
    shown = sum(v or 0 for v in values)
    return f"{shown} or more" if hidden and any(v is None for v in values) else str(shown)


def _bars(rows, top: float | None = None) -> str:
    """rows: (name, [value of each series], number shown after the bar). A None value
    (hidden, or unknown) draws nothing. `top` is the value of the longest bar possible
    (100 for shares); otherwise the largest row is."""
    widest = top or max((sum(v or 0 for v in values) for _, values, _ in rows), default=0) or 1
    shapes = []
    for i, (name, values, shown) in enumerate(rows):
        y = i * ROW
        short = name if len(name) <= LONGEST_NAME else name[: LONGEST_NAME - 3] + "..."
        shapes.append(f'<text x="0" y="{y + 14}">{_text(short)}</text>')
        x = 0.0
        for j, value in enumerate(values):
            if not value:
                continue
            width = LONGEST * value / widest
            shapes.append(
                f'<rect x="{x:.2f}%" y="{y + 20}" width="{width:.2f}%" height="{BAR}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
            x += width
        shapes.append(f'<text x="{x + 1:.2f}%" y="{y + 34}">{_text(shown)}</text>')
    # The chart is a picture of the table under it: hidden from screen readers, which
    # read the table instead.
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{len(rows) * ROW}" '
        'aria-hidden="true" focusable="false">' + "".join(shapes) + "</svg>"
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
    # A wide table (many languages, say) scrolls inside its own box, never the page;
    # the box takes the focus so a keyboard can scroll it.
    return (
        f'<div class="numbers" tabindex="0" role="region" aria-label="{_text(caption)}">'
        f"<table><caption>{_text(caption)}</caption><tr>{head}</tr>{body}</table></div>"
    )


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
  .chart svg {{ display: block; font: 14px system-ui, sans-serif; fill: #1b1b1b; }}
  .numbers {{ overflow-x: auto; }}
  .legend {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }}
  .swatch {{ display: inline-block; width: 1rem; height: 1rem; margin-right: 0.4rem;
            vertical-align: middle; border: 1px solid #1b1b1b; }}
  table {{ border-collapse: collapse; margin: 0.5rem 0 1rem; }}
  caption {{ text-align: left; font-weight: 700; padding: 0.25rem 0; }}
  th, td {{ border: 1px solid #b1b4b6; padding: 0.25rem 0.6rem; text-align: left; }}
  td {{ text-align: right; font-variant-numeric: tabular-nums; }}
  @media (max-width: 30rem) {{ th, td {{ padding: 0.25rem 0.3rem; }} }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""
