"""Shared fixtures: the real guide, the tiny test script, the app as production runs it,
and for the browser tests Chromium and the app on a loopback port (see browser.py)."""

from __future__ import annotations

import threading

import pytest
from browser import CHROMIUM, SIZES, need_a_browser
from werkzeug.serving import make_server

from ivr.loader import load_script
from ivr.web import create_app

from support import FIXTURES, GUIDE, messages_api, production_env


@pytest.fixture(scope="session")
def tiny():
    return load_script(FIXTURES / "valid.yaml")


@pytest.fixture(scope="session")
def guide():
    return load_script(GUIDE)


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


# -- Browser tests --------------------------------------------------------------------


@pytest.fixture(scope="module")
def try_server():
    """The app, serving the shipped script and the tiny test script, on a loopback port."""
    need_a_browser()
    scripts = f"{GUIDE},{FIXTURES / 'valid.yaml'}"
    app = create_app({"IVR_DEVELOPMENT": "1", "IVR_SCRIPTS": scripts})
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
