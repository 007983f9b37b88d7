"""The report as text for a person, JSON for a program, or Mermaid with counts.

    text(report, min_count=1)                    -> str
    as_json(report, min_count=1, under_18_nodes=None) -> str  (one object: summary())
    summary(report, min_count=1, under_18_nodes=None) -> dict (what JSON and HTML show)
    mermaid(report, scripts, min_count=1)        -> str  (one flowchart per script)

`min_count` hides small counts, which could single out one person when the report
travels: a count from 1 to min_count - 1 is shown as "<N" (text, Mermaid) or left out
(JSON: null for a number, missing from a table), and so is any share worked out from one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from ivr import graph
from ivr.report.tally import Group
from ivr.script import Script

CHANNEL_NAMES = {"voice": "calls", "sms": "texts"}
TOP_PATHS = 10


class _Hide:
    """Applies --min-count."""

    def __init__(self, min_count: int):
        self.min_count = max(1, min_count)

    def hidden(self, count: int | None) -> bool:
        return count is not None and 0 < count < self.min_count

    def show(self, count: int | None) -> str:
        if count is None:
            return "unknown"
        return f"<{self.min_count}" if self.hidden(count) else f"{count:,}"

    def conversations(self, count: int) -> str:
        # "1 conversation" would tell what "<5" hides: the noun follows what is shown.
        return f"{self.show(count)} conversation{'' if self.show(count) == '1' else 's'}"

    def value(self, count: int | None) -> int | None:
        return None if self.hidden(count) else count

    def table(self, counts: Mapping) -> dict:
        return {k: v for k, v in counts.items() if not self.hidden(v)}


def text(report, min_count: int = 1) -> str:
    hide = _Hide(min_count)
    lines = report.lines
    out = [
        f"Read {_n(lines.read, 'line')}: {_n(lines.webhook, 'webhook line')} counted, "
        f"{_n(lines.other, 'other line')} skipped, {_n(lines.malformed, 'malformed line')} "
        "skipped"
        + (f", {_n(lines.outside, 'line')} outside the times asked for." if lines.outside else ".")
    ]
    if lines.first:
        out.append(f"From {lines.first} to {lines.last} (UTC).")
    if hide.min_count > 1:
        out.append(f"Counts under {hide.min_count} are hidden.")
    if not report.groups:
        out.append("No conversations found.")
    for group in report.groups.values():
        out += ["", *_group_text(group, hide)]
    return "\n".join(out) + "\n"


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _group_text(group: Group, hide: _Hide) -> list[str]:
    total = group.conversations
    title = f"{group.script}, {CHANNEL_NAMES.get(group.channel, group.channel)}"
    out = [f"{title}: {hide.conversations(total)}"]
    turns = _turn_stats(group.turns)
    if turns:
        out.append(
            "  turns per conversation: median {median}, mean {mean:.1f}, "
            "90th percentile {p90}, longest {longest}".format(**turns)
        )
    nu = group.not_understood
    share = _share(nu, group.inputs, hide)
    out.append(
        f"  not understood: {share} of inputs ({hide.show(nu)} of {hide.show(group.inputs)})"
    )
    danger = group.danger
    if danger is None:
        out.append("  reached the danger answer: unknown (give the script with --script)")
    else:
        out.append(
            f"  reached the danger answer ({group.danger_node}): "
            f"{hide.conversations(danger)} ({_share(danger, total, hide)})"
        )
    out += _table("conversations that reached each node", group.reached, hide)
    out += _table(
        "where conversations ended (the last node: where people left)", group.ended_at, hide
    )
    out += _table(
        "most common paths", Counter(group.paths).most_common(TOP_PATHS), hide, sort=False
    )
    return out


def _table(title: str, counts, hide: _Hide, sort: bool = True) -> list[str]:
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if sort else list(counts)
    if not rows:
        return [f"  {title}: none"]
    width = max(len(f"{c:,}") for _, c in rows)
    width = max(width, len(f"<{hide.min_count}"))
    return [f"  {title}:"] + [f"    {hide.show(count):>{width}}  {name}" for name, count in rows]


def _share(part: int, whole: int, hide: _Hide) -> str:
    if not whole or hide.hidden(part) or hide.hidden(whole):
        return "-"
    return f"{100 * part / whole:.1f}%"


def _turn_stats(turns: Counter) -> dict | None:
    total = sum(turns.values())
    if not total:
        return None
    ordered = sorted(turns.items())

    def at(fraction: float) -> int:
        rank = max(1, round(fraction * total + 0.4999))
        running = 0
        for value, count in ordered:
            running += count
            if running >= rank:
                return value
        return ordered[-1][0]

    mean = sum(value * count for value, count in ordered) / total
    return {"median": at(0.5), "mean": mean, "p90": at(0.9), "longest": ordered[-1][0]}


def as_json(report, min_count: int = 1, under_18_nodes: Mapping[str, str] | None = None) -> str:
    return json.dumps(summary(report, min_count, under_18_nodes), indent=2) + "\n"


def summary(report, min_count: int = 1, under_18_nodes: Mapping[str, str] | None = None) -> dict:
    """Every number the report gives, as one dict: the JSON, and what the HTML page draws.
    `under_18_nodes` maps a script id to its under-18 node (unknown scripts: None)."""
    hide = _Hide(min_count)
    under = dict(under_18_nodes or {})
    total = _Totals()
    scripts = []
    for group in report.groups.values():
        under_18 = group.reached[under[group.script]] if group.script in under else None
        total.add(group, under_18)
        scripts.append(_group_json(group, hide, under.get(group.script), under_18))
    lines = report.lines
    return {
        "conversations": {c: hide.value(n) for c, n in sorted(total.conversations.items())},
        "nodes": hide.table(dict(sorted(total.nodes.items()))),
        "ended_at": hide.table(dict(sorted(total.ended.items()))),
        "danger": hide.value(total.danger),
        "under_18": hide.value(total.under_18) if report.groups else None,
        "not_understood": _nu_json(total.not_understood, total.inputs, hide),
        "not_understood_at": {
            node: _nu_json(total.not_understood_at[node], count, hide)
            for node, count in sorted(total.inputs_at.items())
            if not hide.hidden(count)
        },
        "turns": {str(n): c for n, c in sorted(total.turns.items()) if not hide.hidden(c)},
        "per_day": _days_json(total.per_day, hide),
        "per_day_by": _per_day_by(total, hide),
        "by_script": scripts,
        "lines": {
            "read": lines.read,
            "webhook": lines.webhook,
            "other": lines.other,
            "malformed": lines.malformed,
            "outside_times": lines.outside,
        },
        "from": lines.first or None,
        "to": lines.last or None,
        "hidden_below": hide.min_count if hide.min_count > 1 else None,
    }


@dataclass
class _Totals:
    """Every group's counts added up. A total stays None (unknown) once any group's is."""

    conversations: Counter = field(default_factory=Counter)  # channel -> conversations
    nodes: Counter = field(default_factory=Counter)
    ended: Counter = field(default_factory=Counter)
    turns: Counter = field(default_factory=Counter)
    inputs_at: Counter = field(default_factory=Counter)
    not_understood_at: Counter = field(default_factory=Counter)
    per_day: dict = field(default_factory=dict)  # day -> channel -> conversations
    per_day_by: dict = field(default_factory=dict)  # dimension -> day -> value -> count
    per_day_script: dict = field(default_factory=dict)  # day -> script -> conversations
    not_understood: int = 0
    inputs: int = 0
    danger: int | None = 0
    under_18: int | None = 0

    def add(self, group: Group, under_18: int | None) -> None:
        self.conversations[group.channel] += group.conversations
        self.nodes.update(group.reached)
        self.ended.update(group.ended_at)
        self.turns.update(group.turns)
        self.inputs_at.update(group.inputs_at)
        self.not_understood_at.update(group.not_understood_at)
        for day, count in group.days.items():
            self.per_day.setdefault(day, Counter())[group.channel] += count
            self.per_day_script.setdefault(day, Counter())[group.script] += count
        for name, counts in group.by_day.items():
            days = self.per_day_by.setdefault(name, {})
            for (day, value), count in counts.items():
                days.setdefault(day, Counter())[value] += count
        self.not_understood += group.not_understood
        self.inputs += group.inputs
        self.danger = _plus(self.danger, group.danger)
        self.under_18 = _plus(self.under_18, under_18)


def _per_day_by(total: _Totals, hide: _Hide) -> dict:
    """Each dimension the log lines carry, and the script (each guide behind one number
    is a script) when there are several: day -> value -> conversations."""
    found = {name: _days_json(days, hide) for name, days in sorted(total.per_day_by.items())}
    if len({s for counts in total.per_day_script.values() for s in counts}) > 1:
        found["script"] = _days_json(total.per_day_script, hide)  # never a line's field
    return found


def _plus(total: int | None, more: int | None) -> int | None:
    return None if total is None or more is None else total + more


def _days_json(days: dict[str, Counter], hide: _Hide) -> dict:
    return {
        day: {key: hide.value(n) for key, n in sorted(counts.items())}
        for day, counts in sorted(days.items())
    }


def _nu_json(count: int, inputs: int, hide: _Hide) -> dict:
    share = None
    if inputs and not hide.hidden(count) and not hide.hidden(inputs):
        share = round(count / inputs, 4)
    return {"count": hide.value(count), "inputs": hide.value(inputs), "share": share}


def _group_json(group: Group, hide: _Hide, under_18_node: str | None, under_18) -> dict:
    return {
        "script": group.script,
        "channel": group.channel,
        "conversations": hide.value(group.conversations),
        "nodes": hide.table(dict(sorted(group.reached.items()))),
        "ended_at": hide.table(dict(sorted(group.ended_at.items()))),
        "danger": hide.value(group.danger),
        "danger_node": group.danger_node,
        "under_18": hide.value(under_18),
        "under_18_node": under_18_node,
        "not_understood": _nu_json(group.not_understood, group.inputs, hide),
        "turns": _turn_stats(group.turns),
        "paths": [
            {"path": path, "conversations": count}
            for path, count in Counter(group.paths).most_common(TOP_PATHS)
            if not hide.hidden(count)
        ],
    }


def mermaid(report, scripts: Mapping[str, Script], min_count: int = 1) -> str:
    """The flowchart of each script in the logs with counts on its boxes and arrows,
    both channels together. A script the report was not given is left out, said so."""
    hide = _Hide(min_count)
    reached: dict[str, Counter] = {}
    moves: dict[str, Counter] = {}
    for group in report.groups.values():
        reached.setdefault(group.script, Counter()).update(group.reached)
        moves.setdefault(group.script, Counter()).update(group.moves)
    pictures = []
    for script_id in sorted(reached):
        script = scripts.get(script_id)
        if script is None:
            pictures.append(f"%% {script_id}: not drawn; give its file with --script\n")
            continue
        flow = graph.flow(script)
        moved = graph.attribute(flow, moves[script_id])
        pictures.append(graph.mermaid(flow, _Shown(reached[script_id], hide), _Shown(moved, hide)))
    return "\n".join(pictures) if pictures else "%% No conversations found.\n"


class _Shown(Mapping):
    """Counts as the picture shows them: small ones as "<N"."""

    def __init__(self, counts: Mapping, hide: _Hide):
        self.counts, self.hide = counts, hide

    def __getitem__(self, key):
        return self.hide.show(self.counts[key])

    def get(self, key, default=None):
        return self.hide.show(self.counts.get(key, 0))

    def __iter__(self):
        return iter(self.counts)

    def __len__(self):
        return len(self.counts)
