"""Shared fixtures: the real guide, the tiny test script, the shipped script copied with its
guide (`copied`), the app as production runs it, and for the browser tests Chromium and
the app on a loopback port (see browser.py); and SLOW, what `python3 dev.py test --fast`
leaves out."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from browser import CHROMIUM, SIZES, need_a_browser
from fakeredis import TcpFakeServer
from werkzeug.serving import make_server

from ivr.loader import load_script
from ivr.web import create_app

from support import FIXTURES, GUIDE, SEED, messages_api, production_env, serving
from twilio_stand_in import twilio_api

# What the fast loop leaves out, marked `slow` here in one place, each with why: real
# servers, a browser (every test that asks for `chromium` or `try_server`, wherever it
# is), a virtualenv installed afresh from the pins (`fresh_venv`, which then starts a
# real gunicorn), the benchmark, and the sweeps over every phrase, reply or mangled
# script. The full suite (`python3 dev.py test`: CI, land.sh, the README) runs them all.
# A file's name, or file::test; tests/test_fast_loop.py checks each still names a test.
SLOW_FIXTURES = {"chromium", "try_server", "fresh_venv"}
SLOW = {
    "test_benchmark.py": "runs the benchmark itself",
    "test_gunicorn.py": "a real gunicorn",
    "test_handover.py": "real gunicorn masters handing their sockets over",
    "test_serving.py": "a real gunicorn under load, slow clients and restarts",
    "test_walk.py": "thousands of webhooks, twice",
    "test_corpus.py": "every corpus phrase through the app, on both channels",
    "test_robustness.py": "hundreds of mangled scripts and turns",
    "test_faults.py::test_a_real_gunicorn_answers_faults_before_the_view_with_twiml": "gunicorn",
    "test_report.py::test_a_progress_bar_only_on_a_terminal": "70,000 lines through ivr, twice",
    "test_voice.py::test_the_call_never_ends_in_silence_and_every_reachable_response_leads_on":
        "every reply a call can reach",
    "test_sms.py::test_every_reply_the_script_can_produce_is_gsm7_and_at_most_4_segments":
        "every reply a texter can get",
    "test_lint.py::test_every_problem_has_the_whole_shape": "every invalid fixture, linted",
    "test_understanding_trial.py": "the trial tool in a new interpreter, test by test",
    "test_pagination.py::test_what_fits_whole_is_packed_as_cutting_it_would":
        "3,000 texts, cut twice",
    "test_report.py::test_memory_holds_the_open_conversations_not_the_lines": "51,840 lines",
    "test_try_page.py::test_long_conversations_are_trimmed_to_stay_under_the_body_limit":
        "25 turns, each sending the whole conversation back",
    "test_reading_matchers.py::test_patterns_match_where_every_choice_and_gap_tried_matches":
        "every choice and gap of every pattern tried on every message: 5 of the fast loop's"
        " 14 CPU-minutes",
    "test_opaque_state.py::test_no_url_or_cookie_handed_to_twilio_names_anything":
        "every call and text of every script walked",
    "test_precomputed.py::test_remembered_replies_are_the_replies_built_afresh":
        "every reply of every script built twice, once from nothing",
    "test_second_opinion.py::test_the_shipped_weights_are_what_training_on_the_shipped_corpus_makes":
        "the second opinion trained on the whole corpus, fold by fold: 5.5 of the fast loop's"
        " 117 CPU-seconds",
    "test_second_opinion.py::test_it_only_adds_danger_where_the_rules_found_none":
        "every line of the corpus and the development files read twice on both channels,"
        " with the opinion and without: 3.4 of the fast loop's 110 CPU-seconds",
    "test_layering.py::test_the_web_layer_loads_the_rest_edge_only_when_it_sends":
        "a new interpreter that loads, checks and serves the shipped script: 4.5 CPU-seconds",
}  # fmt: skip


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = item.path.name
        fixtures = set(getattr(item, "fixturenames", ()))
        if name in SLOW or f"{name}::{item.originalname}" in SLOW or fixtures & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def tiny():
    return load_script(FIXTURES / "valid.yaml")


@pytest.fixture(scope="session")
def guide():
    return load_script(GUIDE)


@pytest.fixture
def copied(tmp_path) -> tuple[Path, Path]:
    """The shipped script and its guide, copied side by side as the repository has them."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "guides").mkdir()
    script = tmp_path / "scripts" / GUIDE.name
    shutil.copy(GUIDE, script)
    guide = tmp_path / "guides" / SEED.name
    shutil.copy(SEED, guide)
    return script, guide


@pytest.fixture
def app():
    """The app with signature checks on, serving the shipped scripts."""
    return create_app(production_env())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def texts_api(monkeypatch):
    """A stand-in for Twilio's Messages API (support.MessagesApi), reached by the app
    through IVR_TWILIO_API_URL."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # a proxy on the machine must not catch these
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with messages_api() as stand_in:
        yield stand_in


@pytest.fixture
def twilio_rest(monkeypatch):
    """A stand-in for Twilio's REST API as WhatsApp uses it (tests/twilio_stand_in.py: the
    Content API's templates, messages sent), reached through IVR_TWILIO_API_URL."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # a proxy on the machine must not catch these
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with twilio_api() as stand_in:
        yield stand_in


@pytest.fixture
def redis_url():
    """A real Redis-protocol server (fakeredis's TCP server) on a free loopback port: the
    "text me" limit's store and WhatsApp's places."""
    with serving(TcpFakeServer(("127.0.0.1", 0), server_type="redis")) as server:
        yield f"redis://127.0.0.1:{server.server_address[1]}/0"


# -- Browser tests --------------------------------------------------------------------


@pytest.fixture(scope="module")
def try_server():
    """The app, serving the shipped script and the tiny test script, on a loopback port."""
    need_a_browser()
    scripts = f"{GUIDE},{FIXTURES / 'valid.yaml'}"
    app = create_app({"IVR_DEVELOPMENT": "1", "IVR_SCRIPTS": scripts, "IVR_LANGUAGES": "en-GB"})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium():
    need_a_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], timeout=60_000
        )
        yield browser
        browser.close()


@pytest.fixture(params=sorted(SIZES))  # a phone's width and a desktop's
def page(request, chromium, try_server):
    context = chromium.new_context(viewport=SIZES[request.param])
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.goto(try_server + "/try")
    yield tab
    context.close()
