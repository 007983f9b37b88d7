"""SMS parts: line breaks, list items and step numbers survive the cut into parts."""

from __future__ import annotations

import random
import re

import pytest

from ivr import engine, gsm7, pagination
from ivr.pagination import pack
from ivr.script import SMS

from support import NOW

pytestmark = pytest.mark.domain  # fast and pure: no web layer

LIST = "Do not do these things:\n- Don't click it.\n- Don't pay.\n- Don't delete it all."


def test_a_paragraph_that_fits_stays_whole():
    assert pack([(LIST, None)], 200) == ((LIST,),)


def test_a_list_is_cut_between_items_and_keeps_one_item_a_line():
    parts = pack([(LIST, None)], 45)
    assert parts == (
        ("Do not do these things:\n- Don't click it.",),
        ("- Don't pay.\n- Don't delete it all.",),
    )


def test_paragraphs_stay_apart_and_in_order():
    parts = pack([("One two.", None), ("Three four.", None), ("Five six.", None)], 24)
    assert parts == (("One two.", "Three four."), ("Five six.",))


def test_a_step_carried_on_keeps_its_number():
    step = "4. Report it.\n- Report the account on the site.\n- Ask for help to take it down."
    parts = pack([("3. Block them.", 3), (step, 4)], 60, "{number} (continued)")
    assert parts[-1][0].startswith("4 (continued)\n- ")
    assert all(gsm7.septets("\n\n".join(part)) <= 60 for part in parts)


def test_a_step_cut_mid_line_carries_on_after_a_space():
    long = "4. " + " ".join(["Report it to the site."] * 6)
    parts = pack([(long, 4)], 80, "{number} (continued)")
    assert len(parts) > 1
    assert all(p[0].startswith("4 (continued) Report") for p in parts[1:])


def test_a_word_longer_than_a_part_is_cut_rather_than_lost():
    word = "x" * 50
    parts = pack([(word, None)], 20)
    assert "".join(p[0] for p in parts) == word


@pytest.mark.parametrize("wide", sorted(gsm7.EXTENDED - {"\f"}))
@pytest.mark.parametrize("budget", [9, 10])
def test_a_word_cut_inside_counts_two_septets_for_each_extension_character(wide, budget):
    """Finding 4: a word cut inside was cut by characters, so a part of '€' or '{'
    could run to twice its budget. Cut by GSM-7 septets, every part fits, each as full
    as the next character allows, and no character is lost."""
    word = f"ab{wide * 12}cd"  # no space: only a cut inside the word fits it
    parts = pack([(word, None)], budget)
    assert "".join(part[0] for part in parts) == word
    sizes = [gsm7.septets(part[0]) for part in parts]
    assert all(size <= budget for size in sizes), (parts, sizes)
    assert all(size >= budget - 1 for size in sizes[:-1])  # an odd budget leaves one spare
    assert len(parts) == -(-gsm7.septets(word) // (budget - budget % 2))


def test_a_word_of_plain_letters_still_fills_each_part_to_the_budget():
    parts = pack([("x" * 25, None)], 10)
    assert [len(part[0]) for part in parts] == [10, 10, 5]


def test_what_fits_whole_is_packed_as_cutting_it_would():
    # pack() skips the cutting when every paragraph fits one part; it must give exactly
    # what cutting gives, for texts that nearly fit, lines that do not, and steps.
    rng = random.Random(7)
    words = ["a", "bb", "word.", "end!", "x;", "€", "[", "  ", "\n", "d" * 24, "1."]
    for _ in range(3000):
        blocks = [
            (
                " ".join(rng.choice(words) for _ in range(rng.randint(0, 30))).strip(" "),
                rng.choice([None, None, rng.randint(1, 12)]),
            )
            for _ in range(rng.randint(0, 5))
        ]
        budget = rng.choice([1, 20, 40, 80, 153, 200])
        continued = rng.choice(["", "{number} (continued)"])
        marks = [pagination._mark(continued, step, pagination.LINE) for _, step in blocks if step]
        longest = max((gsm7.septets(m) for m in marks), default=0)
        cut = pagination._packed(blocks, budget, continued, longest)
        assert pack(blocks, budget, continued) == cut, (blocks, budget)


def test_the_shipped_long_texts_keep_lists_and_numbers(guide):
    steps = engine.sms_pages(guide, guide.nodes["steps"])
    texts = ["\n\n".join(part) for part in steps]
    carried = [t for t in texts if t.startswith("4 (continued)\n- ")]
    assert carried, texts  # step 4 runs over a part, and keeps its number and its list
    assert not any(" - Don't" in t or "). -" in t for t in texts)  # no list run together
    dont = ["\n\n".join(part) for part in engine.sms_pages(guide, guide.nodes["dont"])]
    assert all(line.startswith(("- Don't", "Do not")) for t in dont for line in t.split("\n"))


def test_the_first_texted_under_18_reply_names_all_three_routes_and_starts_discreetly(guide):
    welcome = engine.start(guide, SMS, NOW)
    reply = engine.advance(guide, welcome.state, engine.typed("UNDER18"), NOW)
    first = "\n\n".join(engine.sms_pages(guide, guide.nodes["under-18"])[0])
    assert reply.text.startswith(first)  # the first part, as a texter gets it
    for route in ("CEOP Safety Centre", "Report Remove", "Childline on 0800 1111"):
        assert route in first
    assert not re.search(r"image|photo|abuse|intimate", reply.text[:100], re.IGNORECASE)


def test_the_texted_danger_answer_serves_deaf_texters_after_999_and_samaritans(guide):
    first = "\n\n".join(engine.sms_pages(guide, guide.nodes["danger"])[0])
    assert first.index("999") < first.index("116 123") < first.index("emergencySMS")
    assert 'texting "register" to 999' in first and "18000 with Relay UK" in first
    assert "This text line cannot reach emergency services." in first


def test_every_texted_reply_and_part_starts_discreetly(guide):
    words = guide.discretion.words
    for what, reply in engine.every_reply(guide, SMS):
        start = reply.text[:100].lower()
        assert not [w for w in words if w in start], what


# -- each part in the encoding it needs -------------------------------------------------

BUDGETS = {gsm7.GSM7: 120, gsm7.UCS2: 50}  # in septets, and in UTF-16 units


def test_each_part_is_counted_in_the_encoding_it_needs():
    plain = [(f"Line {n} of a long plain paragraph, all of it GSM-7.", None) for n in range(6)]
    welsh = ("Peidiwch â thalu, a chadwch dystiolaeth o bopeth.", None)
    parts = pagination.pack_each([*plain[:3], welsh, *plain[3:]], BUDGETS)
    joined = ["\n\n".join(part) for part in parts]
    wide = [text for text in joined if gsm7.encoding(text) == gsm7.UCS2]
    assert wide == ["Peidiwch â thalu, a chadwch dystiolaeth o bopeth."]
    assert all(gsm7.units(text) <= BUDGETS[gsm7.UCS2] for text in wide)
    narrow = [text for text in joined if text not in wide]
    assert all(gsm7.septets(text) <= BUDGETS[gsm7.GSM7] for text in narrow)
    assert max(map(gsm7.septets, narrow)) > BUDGETS[gsm7.UCS2]  # not cut to the UCS-2 size
    assert "\n\n".join(joined) == "\n\n".join(p for p, _ in [*plain[:3], welsh, *plain[3:]])


def test_a_line_with_a_letter_gsm7_lacks_is_cut_in_ucs2_and_its_neighbours_are_not():
    step = "\n".join(["5. Report threats.", "- " + "Call 101. " * 6, "- Peidiwch â thalu."])
    parts = pagination.pack_each([(step, 5)], BUDGETS, "{number} (continued)")
    joined = ["\n\n".join(part) for part in parts]
    assert joined[-1] == "5 (continued)\n- Peidiwch â thalu."
    assert all(
        gsm7.size(text, gsm7.encoding(text)) <= BUDGETS[gsm7.encoding(text)] for text in joined
    )


def test_all_gsm7_packs_as_pack_does():
    blocks = [(LIST, None), ("3. Block them.", 3), ("4. Report it.\n- Tell the site.", 4)]
    for budget in (30, 45, 80, 200):
        budgets = {gsm7.GSM7: budget, gsm7.UCS2: budget // 2}
        assert pagination.pack_each(blocks, budgets, "{number} (continued)") == pack(
            blocks, budget, "{number} (continued)"
        )
