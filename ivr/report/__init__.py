"""`ivr report`: how scripts are used, counted from the app's private log lines.

    build(lines, since=None, until=None, danger_nodes=None) -> Report
    files.lines_of(paths, progress=None)                                -> lines, from files
    render.text(report) / render.as_json(report) / render.mermaid(report, scripts)

Pure (no flask, no twilio). One pass over the lines, in memory bounded by the
conversations open at once, never by the number of lines (see `tally`). The log lines
carry ids, outcomes and times only, and the reader keeps nothing else (see `reading`),
so the report has no phone number or words to show.

    reading.py   log lines -> webhook turns; other and malformed lines counted, skipped
    tally.py     turns -> per script and channel: conversations, nodes, ends, paths
    render.py    the counts as text, JSON or a Mermaid flowchart
    page.py      the counts as one self-contained HTML page of SVG charts and tables
    files.py     log files (plain or .gz) and standard input, with a progress bar
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from ivr.report.reading import Lines, read
from ivr.report.tally import Group, Tally


@dataclass(frozen=True, slots=True)
class Report:
    lines: Lines
    groups: Mapping[tuple[str, str], Group]  # (script id, channel) -> its counts


def build(
    lines: Iterable[bytes],
    since: datetime | None = None,
    until: datetime | None = None,
    danger_nodes: Mapping[str, str] | None = None,
) -> Report:
    """Count the conversations in `lines` (bytes, one log line each), keeping the webhook
    turns in [since, until). `danger_nodes` maps a script id to its danger node."""
    counts = Lines()
    tally = Tally(danger_nodes)
    add = tally.add
    for turn in read(lines, since, until, counts):
        add(turn)
    return Report(counts, tally.finish())
