"""The shipped guide's Welsh, texted through the real SMS webhook (Twilio-shaped requests
signed with RequestValidator), with every reply counted as Twilio counts it: in UCS-2
(70 characters in one segment, 67 a part) where it has a letter GSM-7 lacks, else in
GSM-7. The budget is the operator's line as configured: IVR_LANGUAGES naming the draft,
in production. A first text, the main menu, each menu choice and every page of every
node stay within four segments.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from freezegun import freeze_time

from ivr import gsm7
from ivr.lint import MAX_SMS_SEGMENTS
from ivr.web import create_app

from support import GUIDE, Texter, production_env

EVENING = "2026-12-07 20:30:00"  # a Monday, UTC: the Welsh Language Line is open
MORE = "(NESAF)"  # listed under every page that has another after it
MAIN_KEYS = [str(n) for n in range(1, 8)]  # the texted main menu: 1 to 7


def welsh_line(path: Path = GUIDE):
    env = production_env(IVR_SCRIPTS=str(path), IVR_LANGUAGES="cy-GB,en-GB")
    return create_app(env)


def within_budget(reply: str | None) -> str:
    assert reply is not None
    count = gsm7.segments(reply)
    assert count <= MAX_SMS_SEGMENTS, (count, gsm7.encoding(reply), reply)
    return reply


def every_page(texter: Texter, first: str) -> list[str]:
    """The reply to `first`, then NESAF until the last page: each within the budget."""
    pages = [within_budget(texter.send(first))]
    while MORE in pages[-1]:
        assert len(pages) < 20, "a node that never ends"
        pages.append(within_budget(texter.send("NESAF")))
    return pages


@freeze_time(EVENING)
def test_a_welsh_first_text_and_the_main_menu_fit_four_segments():
    texter = Texter(welsh_line())
    opening = within_budget(texter.send("helo"))
    assert opening.startswith("Rhai camau cyntaf:")
    assert "Atebwch gyda rhif neu air:" in opening
    assert "7 - cysur a nodiadau (CYSUR)" in opening
    again = within_budget(texter.send("DEWISLEN"))
    assert "1 - os ydych chi wedi clicio'r ddolen (CLICIO)" in again


@freeze_time(EVENING)
@pytest.mark.parametrize(
    "first",
    [
        "helo, dw i wedi clicio ar y ddolen",
        "dw i o dan 18 oed",
        "beth ddylwn i ei wneud nawr",
        "ddylwn i dalu",
        "dw i eisiau marw",
        "dw i ddim mewn perygl ond dw i wedi clicio",
    ],
)
def test_a_welsh_first_text_that_names_a_need_is_answered_within_four_segments(first):
    pages = every_page(Texter(welsh_line()), first)
    assert all("Atebwch gyda rhif neu air:" in page for page in pages)


@freeze_time(EVENING)
@pytest.mark.parametrize("key", MAIN_KEYS)
def test_every_page_of_every_welsh_menu_choice_fits_four_segments(key):
    texter = Texter(welsh_line())
    within_budget(texter.send("helo"))
    pages = every_page(texter, key)
    assert MORE not in pages[-1]


@freeze_time(EVENING)
def test_every_welsh_step_page_fits_four_segments():
    texter = Texter(welsh_line())
    within_budget(texter.send("helo"))
    pages = every_page(texter, "CAMAU")
    said = "\n".join(pages)
    for number in range(1, 8):
        assert f"\n{number}. " in f"\n{said}" or said.startswith(f"{number}. "), number
    assert len(pages) >= 7
