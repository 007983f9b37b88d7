"""Make the screenshots in this folder again. Needs Chromium, Graphviz and the test tools
(`python3 dev.py test` installs them once):

    .venv/bin/python docs/pictures/shoot.py

- flow-calls.png: `ivr graph --format svg` of the shipped script, calls;
- mermaid-900.png: `ivr graph` (Mermaid) drawn by mermaid at 900 px, about GitHub's width;
- try-390.png, try-1280.png: /try on a call after 3 then 4 (the support routes, the
  longest reply): the newest exchange at the top, Hang up and Stay silent at the foot;
- try-390-flow.png, try-1280-flow.png: the same moment further down the page: where the
  call is, marked in the list (a phone) or the drawing (a desktop);
- report.png, report-390.png: `ivr report --format html` from made-up log lines (no real
  conversation), whole at 1280 px and its first screen at 390 px.

The app runs on a loopback port for the length of the run, and stops with it.
"""

from __future__ import annotations

import json
import random
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
MERMAID = ROOT / "tests" / "npm" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
IVR = [sys.executable, "-c", "from ivr.cli import main; main()"]  # this checkout's ivr

# Made-up conversations for the report: (node, outcome) turn by turn, and how often each
# happens. Names are the shipped script's nodes.
CALLS = (
    (5, [("main", "start"), ("clicked", "chose"), ("steps", "chose")]),
    (3, [("main", "start"), ("main", "wrong"), ("clicked", "chose")]),
    (2, [("main", "start"), ("more", "chose"), ("support", "chose")]),
    (1, [("main", "start"), ("under-18", "chose"), ("support", "chose")]),
    (1, [("main", "start"), ("danger", "chose")]),
    (1, [("main", "start"), ("main", "silence"), ("main", "goodbye")]),
)
TEXTS = (
    (4, [("main", "start"), ("clicked", "chose"), ("steps", "chose")]),
    (2, [("main", "start"), ("main", "unknown"), ("support", "chose")]),
    (2, [("main", "start"), ("under-18", "chose")]),
    (1, [("main", "start"), ("more", "chose"), ("more", "unknown"), ("dont", "chose")]),
)


def made_up_log() -> str:
    pick = random.Random(27)  # the same pictures every run
    lines = []
    for day in range(16, 23):
        date = f"2026-11-{day}"
        for channel, kinds, count in (("voice", CALLS, (4, 9)), ("sms", TEXTS, (2, 6))):
            weights = [w for w, _ in kinds]
            for n in range(pick.randint(*count)):
                turns = pick.choices([turns for _, turns in kinds], weights)[0]
                for i, (node, outcome) in enumerate(turns):
                    record = {"time": f"{date}T{9 + n:02d}:{10 * i:02d}:00.000Z",
                              "level": "INFO", "logger": "ivr", "event": "webhook",
                              "channel": channel, "script": GUIDE.stem, "node": node,
                              "outcome": outcome, "conversation": f"{channel}-{date}-{n}",
                              "ms": 1.0}  # fmt: skip
                    lines.append(json.dumps(record))
    return "\n".join(sorted(lines, key=lambda line: json.loads(line)["time"])) + "\n"


def ivr(*args: str, given: str = "") -> str:
    done = subprocess.run([*IVR, *args], input=given.encode(), capture_output=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"ivr {' '.join(args)} failed: {done.stderr.decode()}")
    return done.stdout.decode()


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not MERMAID.exists():
        sys.exit(
            "shoot.py needs Chromium (apt-get install chromium) and mermaid (npm ci in tests/npm/)."
        )
    svg = ivr("graph", str(GUIDE), "--format", "svg", "--no-steps")
    mermaid = ivr("graph", str(GUIDE))
    report = HERE / "report.html"
    report.write_text(
        ivr("report", "--script", str(GUIDE), "--format", "html", given=made_up_log())
    )
    app = create_app({"IVR_DEVELOPMENT": "1"})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            shoot_drawings(browser, svg, mermaid)
            shoot_report(browser, report)
            for width, height in ((390, 844), (1280, 900)):
                shoot_try(browser, f"http://127.0.0.1:{httpd.server_port}/try", width, height)
            browser.close()
    finally:
        httpd.shutdown()
        report.unlink()


def shoot_drawings(browser, svg: str, mermaid: str) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.set_content(f"<!doctype html><html><body>{svg}</body></html>")
    tab.locator("svg").screenshot(path=HERE / "flow-calls.png")
    tab = browser.new_page(viewport={"width": 900, "height": 900})
    tab.set_content("<!doctype html><html><body style='margin:0'><div id=out></div></body></html>")
    tab.add_script_tag(path=str(MERMAID))
    tab.evaluate(
        """async (source) => {
            mermaid.initialize({startOnLoad: false});
            document.getElementById("out").innerHTML = (await mermaid.render("f", source)).svg;
        }""",
        mermaid,
    )
    tab.locator("#out").screenshot(path=HERE / "mermaid-900.png")


def shoot_report(browser, report: Path) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(report.as_uri())
    tab.screenshot(path=HERE / "report.png", full_page=True)
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    tab.goto(report.as_uri())
    tab.screenshot(path=HERE / "report-390.png")


def shoot_try(browser, address: str, width: int, height: int) -> None:
    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.goto(address)
    for name in ("Call", "3", "4"):
        with tab.expect_navigation():
            tab.get_by_role("button", name=name, exact=True).click()
    tab.wait_for_load_state("load")
    tab.screenshot(path=HERE / f"try-{width}.png")
    # Where the call is: the drawing's own box has already scrolled its marked box into
    # the middle; the page is brought to it as a reader would scroll down.
    drawn = tab.locator("#picture-voice")
    shown = drawn if drawn.is_visible() else tab.locator("#list-voice li.here")
    shown.evaluate("(element) => element.scrollIntoView({block: 'center'})")
    tab.screenshot(path=HERE / f"try-{width}-flow.png")


if __name__ == "__main__":
    main()
