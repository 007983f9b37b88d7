"""/try in a real browser: Debian's Chromium driven by Playwright, checked by axe-core, at a
phone's width (390 px) and a desktop's (1280 px). The fixtures and helpers are in
browser.py; the pictures (the flow drawing, Mermaid) are measured in test_pictures_browser.py.
"""

from __future__ import annotations

import pytest
from browser import MERMAID, TINY_WELCOME, in_view, no_sideways_scroll, submit, violations

from support import FIXTURES, GUIDE


def test_the_page_has_no_accessibility_violations_through_a_call_and_texts(page):
    assert violations(page) == []
    submit(page.get_by_role("button", name="Call", exact=True))
    submit(page.get_by_role("button", name="1", exact=True))
    page.locator("details.meta").last.locator("summary").click()  # the TwiML shown
    assert violations(page) == []
    page.get_by_label("Your message").fill("hello, I need help")
    submit(page.get_by_role("button", name="Send"))
    submit(page.get_by_role("button", name="Start again"))  # it asks first
    assert violations(page) == []
    assert no_sideways_scroll(page)


def test_nothing_scrolls_sideways_and_the_newest_reply_and_hang_up_are_in_view(page):
    submit(page.get_by_role("button", name="Call", exact=True))
    # 3 then 4: the support routes, a reply several screens long on a phone.
    for key in ("1", "3", "1", "0", "3", "4"):
        submit(page.get_by_role("button", name=key, exact=True))
        assert no_sideways_scroll(page), page.viewport_size
        # The newest exchange starts at the top of the screen, Hang up at its foot.
        newest = page.locator("#call-now").bounding_box()
        assert 0 <= newest["y"] < page.viewport_size["height"] / 3, (newest, page.viewport_size)
        assert in_view(page, "#hangup") and in_view(page, "#call-bar"), page.viewport_size


def test_a_reply_is_announced_in_a_live_region(page):
    submit(page.get_by_role("button", name="Call", exact=True))
    live = page.locator("#announce")
    assert live.get_attribute("aria-live") == "polite"
    page.wait_for_function("document.getElementById('announce').textContent.length > 0")
    assert "immediate danger" in live.text_content()
    page.get_by_label("Your message").fill("hi")
    submit(page.get_by_role("button", name="Send"))
    page.wait_for_function("document.getElementById('announce').textContent.length > 0")
    assert "call 999" in page.locator("#announce").text_content()


def test_digits_typed_on_the_keyboard_press_the_keys(page):
    submit(page.get_by_role("button", name="Call", exact=True))
    with page.expect_navigation():
        page.keyboard.press("1")
    page.wait_for_selector("#call li:has-text('You press 1.')")
    with page.expect_navigation():
        page.keyboard.press("*")
    page.wait_for_selector("#call li:has-text('You press star.')")
    # Typing in a text box is typing, not pressing keys.
    page.get_by_label("Your message").press("2")
    assert page.locator("#call li:has-text('You press 2.')").count() == 0


def test_the_focus_ring_stands_out_three_to_one_against_white(page):
    page.get_by_role("button", name="Call", exact=True).focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"""
    )
    style, width, colour = ring
    assert style == "solid" and float(width.removesuffix("px")) >= 2
    assert contrast(colour, "rgb(255, 255, 255)") >= 3, colour


def contrast(first: str, second: str) -> float:
    def luminance(rgb: str) -> float:
        parts = [int(p) / 255 for p in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_start_again_asks_first(page):
    submit(page.get_by_role("button", name="Call", exact=True))
    submit(page.get_by_role("button", name="Start again"))
    assert page.get_by_role("heading", name="Start again?").is_visible()
    assert page.locator("#call li").count() > 0  # nothing wiped yet
    submit(page.get_by_role("button", name="No, keep them"))
    assert page.locator("#call li").count() > 0
    submit(page.get_by_role("button", name="Start again"))
    submit(page.get_by_role("button", name="Yes, start again"))
    assert page.locator("#call li").count() == 0


def test_a_second_script_can_be_chosen_and_played(page):
    page.get_by_label("Script", exact=True).select_option("tiny")
    submit(page.get_by_role("button", name="Play this script"))
    assert "A tiny script for tests" in page.locator("header").text_content()
    submit(page.get_by_role("button", name="Call", exact=True))
    assert TINY_WELCOME in page.locator("#call").text_content()
    page.get_by_label("Your message").fill("hello")
    submit(page.get_by_role("button", name="Send"))
    assert "Hello." in page.locator("#text").text_content()  # the tiny script's first line


def test_each_turn_shows_its_node_segments_and_on_request_its_twiml(page):
    page.get_by_label("Your message").fill("Café?")
    submit(page.get_by_role("button", name="Send"))
    sent = page.locator("#text li.you").last
    assert "5 characters, GSM-7, 1 segment" in sent.text_content()  # é is in GSM-7
    reply = page.locator("#text li.app").last
    assert "Node: main" in reply.text_content()
    assert "GSM-7" in reply.text_content() and "segments" in reply.text_content()
    submit(page.get_by_role("button", name="Call", exact=True))
    submit(page.get_by_role("button", name="1", exact=True))
    turn = page.locator("#call li.app").last
    assert "Node: clicked" in turn.text_content()
    twiml = turn.locator("details pre").last
    assert not twiml.is_visible()
    turn.locator("summary").click()
    assert twiml.is_visible() and "<Gather" in twiml.text_content()
    assert "Digits=1" in turn.locator("details pre").first.text_content()


def test_the_flow_picture_marks_where_the_call_and_the_texts_are(page):
    drawing = page.locator("#picture-voice svg")
    assert drawing.get_attribute("role") == "img"
    assert page.locator("svg .here, .flow-list li.here").count() == 0
    submit(page.get_by_role("button", name="Call", exact=True))
    submit(page.get_by_role("button", name="1", exact=True))
    page.get_by_label("Your message").fill("under 18")
    submit(page.get_by_role("button", name="Send"))
    assert "Call is here" in page.locator("#flow_voice_n_clicked").text_content()
    assert "Texts is here" in page.locator("#flow_sms_n_under_18").text_content()
    assert "Call is at node clicked." in page.locator("#flow_voice-desc").text_content()
    assert "Call is here" in page.locator("#list-voice li.here").text_content()
    # The drawing at a desktop's width, the list at a phone's: never both, never neither.
    wide = page.viewport_size["width"] > 768
    assert page.locator("#picture-voice").is_visible() == wide
    assert page.locator("#list-voice").is_visible() != wide
    assert no_sideways_scroll(page)  # the drawing scrolls inside its own box


@pytest.mark.parametrize("script", [GUIDE, FIXTURES / "handoffs.yaml"])
def test_ivr_graph_draws_in_mermaid_itself(chromium, script):
    """The Mermaid `ivr graph` prints is drawn by Mermaid (the library GitHub uses),
    with a box for every node and the words of every arrow."""
    from ivr import graph
    from ivr.loader import load_script

    flow = graph.flow(load_script(script))
    tab = chromium.new_page()
    try:
        tab.set_content("<!doctype html><html><body><div id=out></div></body></html>")
        tab.add_script_tag(path=str(MERMAID))
        drawn = tab.evaluate(
            """async (source) => {
                mermaid.initialize({startOnLoad: false});
                try {
                    const {svg} = await mermaid.render("flow", source);
                    document.getElementById("out").innerHTML = svg;
                    return "drawn";
                } catch (error) { return "failed: " + error.message; }
            }""",
            graph.mermaid(flow),
        )
        assert drawn == "drawn"
        text = " ".join(tab.locator("#out svg").text_content().split())
        for node in load_script(script).nodes:
            assert node in text, node
        assert "9 DANGER" in text and "from anywhere" in text
        assert len(tab.locator("#out svg .node").all()) == len(flow.boxes)
    finally:
        tab.close()


def test_whatsapp_menus_are_buttons_to_tap_and_the_page_stays_accessible(page):
    # The server is shared by the tests here: Start again forgets its WhatsApp place.
    submit(page.get_by_role("button", name="Start again"))
    page.get_by_label("Your WhatsApp message").fill("hello")
    submit(page.get_by_role("button", name="WhatsApp the helpline"))
    assert "*If you are in immediate danger, call 999.*" in page.locator("#whatsapp").text_content()
    taps = page.locator("#whatsapp-taps button")
    assert taps.count() == 8 and taps.first.text_content().strip() == "I clicked the link"
    assert violations(page) == []
    submit(taps.first)
    assert "You tap 'I clicked the link'." in page.locator("#whatsapp").text_content()
    assert "Node: clicked" in page.locator("#whatsapp li.app").last.text_content()
    assert violations(page) == [] and no_sideways_scroll(page)
