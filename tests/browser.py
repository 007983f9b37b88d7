"""What the browser tests share: Debian's Chromium driven by Playwright, axe-core, mermaid,
and helpers that measure a page. The fixtures (`chromium`, `try_server`, `page`) are in
conftest.py.

The app runs in a real server on a free loopback port for the length of a module.
Chromium is the system's (Playwright's `executable_path`; never `playwright install`),
and axe-core and mermaid come from npm (`npm ci` in tests/npm/ installs the versions its
package.json pins; not at the root, where a package.json would make a buildpack platform
take the app for a Node.js one). Where any is missing these tests skip with a sentence on
how to install it, except in CI (CI=true), where a skip would hide them and so is a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest

from support import ROOT

NODE_MODULES = ROOT / "tests" / "npm" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
MERMAID = NODE_MODULES / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM = os.environ.get("IVR_CHROMIUM") or next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
TINY_WELCOME = "Welcome to the test line."


def _missing() -> str | None:
    if CHROMIUM is None:
        return (
            "No Chromium is installed, so the browser tests cannot run. Install it with "
            "'sudo apt-get install chromium' (Debian, Ubuntu) or point IVR_CHROMIUM at a "
            "Chromium or Chrome binary."
        )
    if not AXE.exists() or not MERMAID.exists():
        return (
            "axe-core or mermaid is not installed, so the browser tests cannot run. "
            "Run 'npm ci' in tests/npm/ (python3 dev.py test does, where npm is)."
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: run 'python3 dev.py test', which installs it."
    return None


def need_a_browser() -> None:
    """Skip (fail, in CI) with a sentence on what to install when a browser test cannot run."""
    why = _missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests. {why}")
        pytest.skip(why)


def submit(button) -> None:
    """Press a button that submits a form, and wait for the page that comes back."""
    with button.page.expect_navigation():
        button.click()


def violations(tab) -> list[str]:
    """axe-core's violations on the page as it is now, one sentence each."""
    tab.add_script_tag(path=str(AXE))
    found = tab.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in found
    ]


def no_sideways_scroll(tab) -> bool:
    return tab.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def in_view(tab, selector: str) -> bool:
    box = tab.locator(selector).bounding_box()
    size = tab.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"] + 1
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"] + 1
    )
