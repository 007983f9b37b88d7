"""`ivr graph`, `ivr report` and /try over a library: two guides behind one number (the
second is the test fixture tests/fixtures/guides/account-link, not a real guide)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ivr.cli import main
from ivr.web import create_app

from support import FIXTURES, GUIDE, Call, Texter, production_env

ACCOUNT = FIXTURES / "guides" / "account-link.yaml"


def test_graph_draws_the_guide_choice_above_both_guides():
    result = CliRunner().invoke(main, ["graph", str(GUIDE), str(ACCOUNT), "--format", "dot"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "\tstart -> guide_choice " in out
    assert 'guide_choice -> g1_n_main [label="1 PHOTO: if you got a\\nlink claiming' in out
    assert 'guide_choice -> g2_n_main [label="2 ACCOUNT: if a\\nmessage says' in out
    assert 'g2_n_main -> guide_choice [label="GUIDES, or the\\nmain-menu key"' in out
    assert "g1_n_danger" in out and "g2_n_danger" in out  # each guide drawn whole
    short = CliRunner().invoke(main, ["graph", str(GUIDE), str(ACCOUNT)]).output
    assert '  guide_choice -->|"1 PHOTO"| g1_n_main' in short and short.count('start(["') == 1


def test_graph_of_one_script_is_as_before():
    one = CliRunner().invoke(main, ["graph", str(GUIDE)]).output
    assert "guide_choice" not in one and "  start --> n_main\n" in one


@pytest.fixture
def app():
    return create_app(production_env(IVR_SCRIPTS=f"{GUIDE},{ACCOUNT}"))


def test_report_counts_conversations_and_paths_by_guide(app, capsys):
    capsys.readouterr()
    call = Call(app.test_client())
    call.start()
    call.press("2")  # the account guide
    call.press("3")  # its other choices
    undecided = Call(app.test_client())
    undecided.start()
    texter = Texter(app)
    texter.send("hi")
    texter.send("1")  # the photo guide
    routed = Texter(app, sender="+447700900456")
    routed.send("my account is locked")  # routed by its words: no choice asked
    switched = Call(app.test_client())
    switched.start()
    switched.press("2")  # the account guide
    switched.press("0")  # back to the choice
    switched.press("1")  # the photo guide
    switched.press("1")  # its clicked-the-link branch
    log = capsys.readouterr().err
    scripts = ["--script", str(GUIDE), "--script", str(ACCOUNT)]
    result = CliRunner().invoke(main, ["report", *scripts, "--format", "json"], input=log)
    assert result.exit_code == 0, result.output
    groups = {(g["script"], g["channel"]): g for g in json.loads(result.output)["by_script"]}
    paths = {k: {p["path"]: p["conversations"] for p in g["paths"]} for k, g in groups.items()}
    # each guide counts its own nodes: the photo guide's main menu and branch are not the
    # account guide's, though one call went through both
    assert paths[("account-link", "voice")] == {
        "_guides > main > more": 1,
        "_guides > main > _guides": 1,
    }
    assert paths[("link-claiming-intimate-photo", "voice")] == {"_guides > main > clicked": 1}
    assert "clicked" not in groups[("account-link", "voice")]["nodes"]
    assert paths[("(guide choice)", "voice")] == {"_guides": 1}
    assert paths[("link-claiming-intimate-photo", "sms")] == {"_guides > main": 1}
    assert paths[("account-link", "sms")] == {"main": 1}


DEVELOPMENT = {"IVR_DEVELOPMENT": "1"}


def test_try_offers_every_guide_as_one_number_and_each_alone():
    app = create_app({**DEVELOPMENT, "IVR_SCRIPTS": f"{GUIDE},{ACCOUNT}"})
    html = app.test_client().get("/try").get_data(as_text=True)
    assert '<option value="" selected>Every guide, as one number offers them (2)</option>' in html
    assert "every guide, as one number offers them</strong>" in html
    assert '<option value="account-link">' in html
    alone = app.test_client().get("/try?script=account-link").get_data(as_text=True)
    assert '<option value="account-link" selected>' in alone
