"""`ivr whatsapp-templates`, against a local stand-in for Twilio's Content API: a template
for every WhatsApp menu to tap, within the Content API's limits, with keyed ids that say
nothing of where they lead; found again rather than made twice; and the one settings line
the app reads."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from ivr.cli import main
from ivr.loader import load_script
from ivr.web import create_app
from ivr.whatsapp import BUTTON_CHARS, DESCRIPTION_CHARS, ITEM_CHARS, LIST_ITEMS

from support import ACCOUNT, GUIDE, SECRET, TOKEN

LINE = re.compile(r"IVR_WHATSAPP_TEMPLATES=((?:[0-9a-f]{16}=HX[0-9a-f]{32},?)+)")


def run(api, *args: str, **env: str):
    settings = {
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        "IVR_SCRIPTS": str(GUIDE),
        "IVR_TWILIO_API_URL": api.url,
        **env,
    }
    return CliRunner().invoke(main, ["whatsapp-templates", *args], env=settings)


def test_a_template_for_each_menu_within_the_twilio_rests_limits(twilio_rest):
    result = run(twilio_rest)
    assert result.exit_code == 0, result.output
    made = [r.form for r in twilio_rest.seen if r.method == "POST"]
    kinds = [next(k for k, v in m["types"].items() if v) for m in made]
    # The guide's menus: the main menu, five other lists (the under-18 menu is one since it
    # offers the adult routes too), and buttons for the rest.
    assert kinds.count("twilio/list-picker") == 7 and kinds.count("twilio/quick-reply") == 3
    for template in made:
        assert template["friendly_name"].startswith("helpline-ivr-")
        assert template["language"] == "en"
        picker = template["types"].get("twilio/list-picker")
        if picker:
            assert picker["body"] == "{{1}}" and len(picker["button"]) <= BUTTON_CHARS
            assert 1 <= len(picker["items"]) <= LIST_ITEMS
            for item in picker["items"]:
                assert len(item["item"]) <= ITEM_CHARS
                assert len(item["description"]) <= DESCRIPTION_CHARS
                assert re.fullmatch(r"[0-9a-f]{20}", item["id"])
        else:
            buttons = template["types"]["twilio/quick-reply"]["actions"]
            assert 1 <= len(buttons) <= 3
            assert all(len(b["title"]) <= BUTTON_CHARS for b in buttons)
    labels = [i["item"] for m in made for i in (m["types"].get("twilio/list-picker") or {})
              .get("items", [])]  # fmt: skip
    assert "I clicked the link" in labels
    # Every menu carries the danger choice.
    for template in made:
        picker = template["types"].get("twilio/list-picker")
        titles = (
            [i["item"] for i in picker["items"]]
            if picker
            else [b["title"] for b in template["types"]["twilio/quick-reply"]["actions"]]
        )
        assert "Danger or can't cope" in titles


def test_no_id_says_where_it_leads(twilio_rest):
    run(twilio_rest)
    said = json.dumps([r.form for r in twilio_rest.seen if r.method == "POST"])
    ids = re.findall(r'"id": "([^"]+)"', said)
    guide = load_script(GUIDE)
    for node in guide.nodes:
        assert all(node not in i for i in ids)
    assert len(set(ids)) < len(ids)  # the same choice has the same id in every menu


def test_the_line_to_add_is_printed_alone_and_the_app_reads_it(twilio_rest):
    result = run(twilio_rest)
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    assert LINE.fullmatch(line)
    assert "Made 10 templates, found 0 already there." in result.stderr
    name, value = line.split("=", 1)
    env = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": SECRET}
    app = create_app({**env, name: value})
    sids = app.extensions["ivr"].whatsapp.tappable.sids
    assert set(sids.values()) == set(twilio_rest.templates)


def test_running_it_again_makes_nothing_twice_and_prune_deletes_the_unused(twilio_rest):
    first = run(twilio_rest)
    twilio_rest.templates["HX" + "9" * 32] = {"friendly_name": "helpline-ivr-0123456789abcdef"}
    twilio_rest.templates["HX" + "8" * 32] = {"friendly_name": "someone-elses-template"}
    posts = len([r for r in twilio_rest.seen if r.method == "POST"])
    again = run(twilio_rest, "--prune")
    assert again.exit_code == 0, again.output
    assert len([r for r in twilio_rest.seen if r.method == "POST"]) == posts
    assert "Made 0 templates, found 10 already there, deleted 1." in again.stderr
    assert again.stdout == first.stdout
    assert "HX" + "8" * 32 in twilio_rest.templates  # not this app's: left alone


def test_a_dry_run_calls_nothing(twilio_rest):
    result = run(twilio_rest, "--dry-run")
    assert result.exit_code == 0 and result.stdout == ""
    assert "10 templates in all; nothing was called." in result.stderr
    assert twilio_rest.seen == []


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"TWILIO_ACCOUNT_SID": ""}, "TWILIO_ACCOUNT_SID is not set"),
        ({"IVR_SCRIPTS": "nowhere/*.yaml"}, "No script files match IVR_SCRIPTS"),
    ],
)
def test_what_is_missing_is_said_in_a_sentence(twilio_rest, env, words):
    result = run(twilio_rest, **env)
    assert result.exit_code == 1
    assert words in result.output and "Traceback" not in result.output


def test_a_refusal_halfway_says_what_was_made_and_a_second_run_finishes(twilio_rest):
    twilio_rest.refuse_templates_after = 2
    refused = run(twilio_rest)
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "refused the request (HTTP 400, error 20001: Invalid types)" in refused.output
    assert "Before that, 2 template(s) were made and 0 deleted" in refused.output
    twilio_rest.refuse_templates_after = None
    finished = run(twilio_rest)
    assert "Made 8 templates, found 2 already there." in finished.stderr
