"""`ivr graph`: the picture of a script, in Mermaid and DOT, and the copy kept in docs/."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from ivr import graph
from ivr.cli import main
from ivr.loader import load_script
from ivr.script import DIAL, GO, MESSAGING, REPEAT, VOICE

from support import FIXTURES, GUIDE, ROOT

DOCS_PICTURE = ROOT / "docs" / f"flow-{GUIDE.stem}.md"
# A dial option on a node of the tiny script (numbers from Ofcom's drama range).
DIAL_OPTION = (
    '      - {key: "1", keyword: STEPS, label: for the steps, target: steps}\n'
    '      - {key: "2", keyword: CALL, label: \'to be put through, "now"\', '
    'dial: "+44 20 7946 0000"}\n'
)


def arrows(text: str) -> list[tuple[str, str, str]]:
    """(from, label, to) for every arrow of a Mermaid flowchart."""
    found = re.findall(r"^  (\S+) -(?:->|\.->)(?:\|\"(.*)\"\|)? (\S+)$", text, re.M)
    return [(a, label, b) for a, label, b in found]


def boxes(text: str) -> dict[str, str]:
    """Box id -> label for every box of a Mermaid flowchart."""
    return dict(re.findall(r"^  (\w+)[\[\(\{/]+\"(.*?)\"[\]\)\}/]+$", text, re.M))


@pytest.fixture
def with_dial(tmp_path):
    source = (FIXTURES / "valid.yaml").read_text()
    clicked = "    text: Change your passwords from another device.\n    options:\n"
    first = '      - {key: "1", keyword: STEPS, label: for the steps, target: steps}\n'
    assert clicked + first in source
    path = tmp_path / "with-dial.yaml"
    path.write_text(source.replace(clicked + first, clicked + DIAL_OPTION, 1))
    return load_script(path)


def test_every_node_is_a_box_and_every_option_an_arrow_with_key_and_keyword(guide):
    picture = graph.mermaid(graph.flow(guide))
    shown, drawn = boxes(picture), arrows(picture)
    ids = graph.flow(guide).node_box
    for node in guide.nodes.values():
        assert shown[ids[node.id]] == node.id or shown[ids[node.id]].startswith(node.id + "<br/>")
        for option in node.options:
            if option.target is None:  # a call put through, or a text: a box of its own
                continue
            label = " ".join((option.label.voice or option.label.sms).split())
            if option.channels in ((VOICE,), MESSAGING):  # the phone and texts may differ: the
                label += f" ({'voice' if option.channels == (VOICE,) else 'SMS'} only)"  # main
            wanted = (ids[node.id], f"{option.key} {option.keyword}: {label}", ids[option.target])
            assert wanted in drawn, wanted


def test_global_options_are_drawn_once_from_anywhere_not_from_every_node(guide):
    drawn = arrows(graph.mermaid(graph.flow(guide)))
    for option in guide.globals:
        leading = [a for a in drawn if a[1].startswith(f"{option.key} {option.keyword}:")]
        if option.action == GO:
            assert leading == [("anywhere", leading[0][1], f"n_{option.target}")], option.keyword
        else:
            assert option.action == REPEAT and leading == []
    anywhere = boxes(graph.mermaid(graph.flow(guide)))["anywhere"]
    assert "* REPEAT: to hear this again (voice only)" in anywhere


def test_the_steps_chain_reads_in_order_and_leads_to_next(guide):
    picture = graph.mermaid(graph.flow(guide))
    steps = guide.nodes["steps"]
    chain = [("n_steps", "", "n_steps_step_1")]
    chain += [
        (f"n_steps_step_{n}", "1 NEXT: for the next step", f"n_steps_step_{n + 1}")
        for n in range(1, len(steps.steps))
    ]
    chain.append((f"n_steps_step_{len(steps.steps)}", "1 NEXT: to go on", f"n_{steps.next}"))
    drawn = arrows(picture)
    assert all(link in drawn for link in chain)
    assert boxes(picture)["n_steps_step_1"].startswith("step 1 of 7<br/>Stop the interaction")


def test_the_three_safety_roles_are_marked_in_words_and_colour(guide):
    picture = graph.mermaid(graph.flow(guide))
    shown = boxes(picture)
    for role, words in (
        ("danger", "DANGER"),
        ("under_18", "UNDER 18"),
        ("clicked_link", "CLICKED THE LINK"),
    ):
        box = graph.flow(guide).node_box[guide.roles[role]]
        assert words in shown[box]
        assert f"  class {box} {role}\n" in picture
        assert f"  classDef {role} fill:" in picture


def test_each_channel_draws_what_it_offers_in_its_own_words(guide):
    calls = graph.mermaid(graph.flow(guide, "voice"))
    texts = graph.mermaid(graph.flow(guide, "sms"))
    assert "REPEAT" in calls and "REPEAT" not in texts
    under_18 = guide.nodes["main"].options[1].label
    assert under_18.voice != under_18.sms
    assert f"2 UNDER18: {under_18.voice}" in calls and f"2 UNDER18: {under_18.sms}" in texts
    assert "(voice only)" not in calls
    assert "every channel" in graph.mermaid(graph.flow(guide)) and "texts" in texts
    whatsapp = graph.mermaid(graph.flow(guide, "whatsapp"))
    assert "WhatsApp" in whatsapp and "1 CLICKED: I clicked the link" in whatsapp
    assert "1 CLICKED: I clicked the link" not in texts


def test_a_dial_option_leads_to_a_box_with_its_number_and_back(with_dial):
    option = next(o for o in with_dial.nodes["clicked"].options if o.action == DIAL)
    picture = graph.mermaid(graph.flow(with_dial))
    dial = next(a for a in arrows(picture) if a[0] == "n_clicked" and "CALL" in a[1])
    # The quotes in the label are Mermaid entities, so they cannot end the label early.
    assert dial[1] == "2 CALL: to be put through, #quot;now#quot; (voice only)"
    assert boxes(picture)[dial[2]] == f"put through to<br/>{option.dial}"
    assert (dial[2], "after the call", "n_clicked") in arrows(picture)
    assert "CALL" not in graph.mermaid(graph.flow(with_dial, "sms"))


def test_dot_has_the_same_boxes_and_arrows(guide):
    flow = graph.flow(guide)
    text = graph.dot(flow)
    assert text.startswith("digraph flow {\n") and text.endswith("}\n")
    assert len(re.findall(r"^\t\w+ -> \w+", text, re.M)) == len(flow.arrows)
    assert len(re.findall(r"^\t\w+ \[label=<", text, re.M)) == len(flow.boxes)
    # Labels wrap on DOT's own line break, so the layout keeps arrows narrow.
    assert '\tn_main -> n_clicked [label="1 CLICKED: if you\\nalready clicked the\\nlink"' in text
    assert re.search(r'anywhere -> n_danger \[label="9 DANGER: [^"]*"[^]]* style=dashed', text)


def test_folded_the_options_open_everywhere_are_a_line_on_each_box_not_arrows(guide):
    flow = graph.flow(guide, "voice", fold=True)
    assert "anywhere" not in {b.id for b in flow.boxes}
    main, danger = flow.node_box[guide.main.id], flow.node_box[guide.roles["danger"]]
    assert not [a for a in flow.arrows if a.target == main and a.source != "start"]
    notes = {b.id: b.notes for b in flow.boxes}
    assert notes[flow.node_box["clicked"]][0] == "any time: 9 DANGER, 0 MENU, * REPEAT"
    assert notes[danger][0] == "any time: 0 MENU, * REPEAT"  # not itself
    assert notes[main][0] == "any time: 9 DANGER, * REPEAT"
    # The last step's way on, back to the main menu, is a line on that step's box.
    assert "1 NEXT: to main" in notes[f"{flow.node_box['steps']}_step_7"]
    texts = graph.flow(guide, "sms", fold=True)
    assert notes != {b.id: b.notes for b in texts.boxes}
    assert "REPEAT" not in " ".join(n for b in texts.boxes for n in b.notes)


def test_each_channel_draws_only_the_nodes_it_can_reach(guide):
    calls = graph.flow(guide, "voice").node_box
    texts = graph.flow(guide, "sms").node_box
    assert "more" in calls and "text-me" in calls
    assert "more" not in texts and "text-me" not in texts  # a texter never reaches them
    assert set(graph.flow(guide).node_box) == set(guide.nodes)
    assert guide.roles["danger"] in texts  # reached by the global option alone


def test_the_list_names_every_box_its_choices_and_who_is_where(guide):
    flow = graph.flow(guide, "voice", steps=False, fold=True)
    entries = {e.box: e for e in graph.listing(flow, {"Call": "clicked"})}
    assert set(entries) == {b.id for b in flow.boxes}
    clicked = entries[flow.node_box["clicked"]]
    assert clicked.here == ("Call",) and clicked.style == "clicked_link"
    assert [(c.label, c.leads_to) for c in clicked.choices] == [
        ("1 STEPS: for all the steps to take now", "steps"),
        ("2 SUPPORT: for support and reporting routes", "support"),
    ]
    assert [e.box for e in entries.values() if e.here] == [clicked.box]
    # A put-through is named by whom it puts the caller through to, not "put through to".
    support = entries[flow.node_box["support"]]
    assert support.choices[-1].label.startswith("3 CONNECT")
    assert support.choices[-1].leads_to == "put through to the Revenge Porn Helpline"


def test_counts_go_on_the_arrows_that_explain_the_moves(guide):
    flow = graph.flow(guide)
    moves = {("main", "clicked"): 7, ("clicked", "danger"): 2, ("main", "danger"): 1}
    moved = graph.attribute(flow, {**moves, ("main", "nowhere"): 5})
    assert moved == {("main", "clicked"): 7, (graph.ANYWHERE, "danger"): 3}
    picture = graph.mermaid(flow, {"main": 12, "clicked": 7}, moved)
    assert '|"1 CLICKED: if you already clicked the link [7]"| n_clicked' in picture
    assert '|"9 DANGER: if you are in danger or can\'t cope [3]"| n_danger' in picture
    assert 'n_main["main<br/>main menu<br/>reached: 12"]' in picture
    assert "reached: 0" in picture  # a node nobody reached says so


def test_the_docs_picture_is_the_shipped_script_as_it_is_now():
    made = CliRunner().invoke(main, ["graph", str(GUIDE), "--format", "markdown"]).output
    assert "## Calls" in made and "## Texts" in made  # a picture a channel
    assert DOCS_PICTURE.read_text() == made, (
        f"{DOCS_PICTURE.relative_to(ROOT)} is out of date with {GUIDE.relative_to(ROOT)}. "
        f"Make it again: .venv/bin/ivr graph {GUIDE.relative_to(ROOT)} --format markdown "
        f"> {DOCS_PICTURE.relative_to(ROOT)}"
    )


@pytest.mark.parametrize(
    ("args", "first"),
    [
        ((), "---\nconfig:\n"),
        (("--channel", "sms"), "---\nconfig:\n"),
        (("--format", "dot"), "digraph flow {\n"),
        (("--format", "markdown", "--channel", "voice"), '# The flow of "'),
        (("--format", "svg", "--no-steps"), '<svg xmlns="http://www.w3.org/2000/svg"'),
    ],
)
def test_the_command_prints_each_format(args, first):
    result = CliRunner().invoke(main, ["graph", str(GUIDE), *args])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(first)


def test_the_command_draws_one_channel_in_its_words_with_short_arrows():
    calls = CliRunner().invoke(main, ["graph", str(GUIDE)]).output
    texts = CliRunner().invoke(main, ["graph", str(GUIDE), "--channel", "sms"]).output
    assert "%% " in calls and ", calls\n" in calls and ", texts\n" in texts
    assert ("n_main", "1 CLICKED", "n_clicked") in arrows(calls)  # key and keyword only
    assert "anywhere" not in calls and "any time: 9 DANGER" in calls


def test_svg_without_graphviz_says_how_to_install_it(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no `dot` on it
    result = CliRunner().invoke(main, ["graph", str(GUIDE), "--format", "svg"])
    assert result.exit_code == 1
    assert "Graphviz's dot program is not installed" in result.output
    assert "apt-get install graphviz" in result.output and "Traceback" not in result.output


def test_the_command_refuses_a_script_with_errors_in_a_sentence():
    broken = FIXTURES / "invalid" / "missing-target.yaml"
    result = CliRunner().invoke(main, ["graph", str(broken)])
    assert result.exit_code == 1
    assert "This script has errors; fix them first:" in result.output
    assert "'stepz', which is not a node" in result.output
    assert "Traceback" not in result.output


def test_a_transfer_shows_its_number_hours_closed_dates_and_the_way_back():
    handoffs = load_script(FIXTURES / "handoffs.yaml")
    picture = graph.mermaid(graph.flow(handoffs))
    assert boxes(picture)["transfer_line"] == "<br/>".join(
        (
            "put through to",
            "the test line",
            "+441632960000",
            "open Mon-Fri 10:00-16:00",
            "closed on 7 dates listed, to 2027-12-28",
            "adults only: never on the under-18 path",
            "when closed: not offered; says when",
        )
    )
    drawn = arrows(picture)
    connect = "to be put through to the test line now (voice only)"
    # Offered on the main menu, and while step 2 (the one naming the line) is read.
    assert ("n_main", f"4 CONNECT: {connect}", "transfer_line") in drawn
    assert ("n_steps_step_2", f"2 CONNECT: {connect}", "transfer_line") in drawn
    assert ("transfer_line", "not answered: back here", "n_steps_step_2") in drawn
    # One box for the line, however many options lead to it.
    assert picture.count('  transfer_line[["') == 1
    # Text me: the warning node, then sending, then the script's `then` node.
    assert ("n_main", "5 TEXTME: to get these steps by text (voice only)", "n_text_me") in drawn
    assert ("n_text_me", "1 SEND: to send it (voice only)", "text_me") in drawn
    assert ("text_me", "then, how it went", "n_main") in drawn
    texts = graph.mermaid(graph.flow(handoffs, "sms"))
    assert "transfer_line" not in texts and "  text_me[[" not in texts


def test_weekly_hours_read_as_people_write_them():
    hours = load_script(FIXTURES / "handoffs.yaml").transfers["line"].hours
    assert graph.opening(hours) == "Mon-Fri 10:00-16:00"
