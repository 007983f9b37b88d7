"""Make the screenshots in this folder again: the flow drawing, /try at a phone's width and
a desktop's, and the usage report page. Needs Chromium, Graphviz and the test tools:

    .venv/bin/python docs/pictures/shoot.py

The app runs on a loopback port for the length of the run; the report is drawn from a
few made-up log lines (no real conversation).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from ivr.web import create_app

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GUIDE = ROOT / "scripts" / "link-claiming-intimate-photo.yaml"
IVR = [sys.executable, "-c", "from ivr.cli import main; main()"]  # this checkout's ivr


def made_up_log() -> str:
    lines = []
    for day, calls in (("2026-11-24", 5), ("2026-11-25", 3), ("2026-11-26", 4)):
        for n in range(calls):
            for second, node, outcome in ((0, "main", "start"), (6, "clicked", "chose")):
                record = {"time": f"{day}T10:{n:02d}:{second:02d}.000Z", "level": "INFO",
                          "logger": "ivr", "event": "webhook", "channel": "voice",
                          "script": GUIDE.stem, "node": node, "outcome": outcome,
                          "conversation": f"c{day}{n}", "ms": 1.0}  # fmt: skip
                lines.append(json.dumps(record))
    return "\n".join(lines) + "\n"


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    svg = subprocess.run(
        [*IVR, "graph", GUIDE, "--format", "svg", "--no-steps"],
        capture_output=True,
        check=True,
        cwd=ROOT,
    ).stdout.decode()
    report = subprocess.run(
        [*IVR, "report", "--script", GUIDE, "--format", "html"],
        input=made_up_log().encode(),
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    (HERE / "report.html").write_text(report)
    app = create_app({"IVR_DEVELOPMENT": "1"})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.set_content(f"<!doctype html><html><body>{svg}</body></html>")
            tab.screenshot(path=HERE / "flow-calls.png", full_page=True)
            tab.goto((HERE / "report.html").as_uri())
            tab.screenshot(path=HERE / "report.png", full_page=True)
            for width, height in ((390, 844), (1280, 900)):
                tab = browser.new_page(viewport={"width": width, "height": height})
                tab.goto(f"http://127.0.0.1:{httpd.server_port}/try")
                for name in ("Call", "3", "4"):
                    with tab.expect_navigation():
                        tab.get_by_role("button", name=name, exact=True).click()
                tab.screenshot(path=HERE / f"try-{width}.png")
                tab.locator("#flow-heading").scroll_into_view_if_needed()
                tab.screenshot(path=HERE / f"try-{width}-flow.png")
            browser.close()
    finally:
        httpd.shutdown()
        (HERE / "report.html").unlink()


if __name__ == "__main__":
    main()
