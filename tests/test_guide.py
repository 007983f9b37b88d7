"""The first script carries the whole seed guide, and the numbers a caller needs.

FACTS is this test's own list, written from the seed guide ("What to do if you receive
a link claiming to be an intimate photo of you"): every fact and every link of it, with
the node that says it on each channel and the words it is said in there (texted as
written, spoken as the voice says them: numbers digit by digit, names as pronounced).
An edit that drops a fact, or moves it where this list does not expect it, fails here;
moving a fact on purpose means moving its row too.

`ivr validate` now checks that every fact of the guide is said somewhere on each channel
(ivr.lint.fidelity), and tests/test_fidelity.py shows it catches every guide fact of this
list taken away. The list stays for what that check does not cover by design: where each
fact is said (the under-18 and danger answers must carry their own), and the facts added
from the checked UK routes (the helpline's hours, which part is free).
"""

from __future__ import annotations

import re

import pytest

from ivr import engine
from ivr.script import SMS, VOICE

from support import NOW

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these

# (fact of the guide, texted at node, texted words, spoken at node, spoken words)
FACTS = [
    # -- Short answer
    ("don't click or engage", "main", "Do not click the link or engage with the sender.",
     "main", "do not click the link or engage with the sender."),
    ("save a record, block, use UK routes", "main",
     "Save a minimal record of what happened, then block and use UK support, removal and "
     "reporting routes to reduce harm quickly.", "more",
     "save a minimal record of what happened, then block, and use UK support, removal and "
     "reporting routes to reduce harm quickly."),
    # -- Do not do these things
    ("don't click or check the link", "dont", 'Don\'t click, preview, or "just check" the link',
     "dont", 'Don\'t click, preview, or "just check" the link.'),
    ("the link may steal passwords", "dont",
     "it may be used to steal passwords, install malware, or escalate threats", "dont",
     "It may be used to steal passwords, install malware, or escalate threats."),
    ("don't pay", "dont", "Don't pay, send gift cards, or bargain", "dont",
     "Don't pay, send gift cards, or bargain."),
    ("payment leads to more demands", "dont",
     "payment often leads to more demands and may not stop anything", "dont",
     "Payment often leads to more demands, and may not stop anything."),
    ("don't delete in a panic", "dont", "Don't delete everything in a panic", "dont",
     "Don't delete everything in a panic."),
    ("keep evidence", "dont", "keep enough evidence to report; avoid wiping chats/accounts",
     "dont", "Keep enough evidence to report, and avoid wiping chats or accounts"),
    ("don't forward it", "dont", 'Don\'t forward the link or image to friends "to confirm"',
     "dont", 'Don\'t forward the link or image to friends "to confirm".'),
    ("forwarding spreads harm", "dont", "that can spread harm and put others at risk", "dont",
     "That can spread harm and put others at risk."),
    ("don't post publicly", "dont", "Don't post about it publicly with identifying details",
     "dont", "Don't post about it publicly with identifying details."),
    ("posting amplifies", "dont", "it can amplify the abuse and make takedown harder", "dont",
     "It can amplify the abuse and make takedown harder."),
    # -- What to do now, step 1
    ("stop and block", "steps", "1. Stop the interaction and block.", "steps",
     "Step 1 of 7. Stop the interaction and block."),
    ("don't reply; block the account", "steps",
     "Don't reply further. Block the account, number or email on the platform where they "
     "contacted you.", "steps",
     "Don't reply further. Block the account, number or email on the platform where they "
     "contacted you."),
    # step 2
    ("record the essentials", "steps", "2. Record the essentials (without opening the link).",
     "steps", "Record the essentials, without opening the link."),
    ("screenshot", "steps",
     "Screenshot the message(s), the sender's profile/username, and the visible URL text.",
     "steps", "Screenshot the messages, the sender's profile or username, and the visible web "
     "address."),
    ("copy the link unopened", "steps",
     "If the platform lets you copy the link without opening it, copy it into a note for "
     "reporting.", "steps",
     "If the platform lets you copy the link without opening it, copy it into a note for "
     "reporting."),
    # step 3 (also the clicked answer)
    ("clicked: a security incident", "clicked",
     "If you already clicked the link, treat it as a security incident", "clicked",
     "If you already clicked the link, treat it as a security incident."),
    ("clicked: close the page, change passwords", "clicked",
     "change those passwords from a different trusted device and turn on 2-step "
     "verification on the affected accounts", "clicked",
     "change those passwords from a different trusted device, and turn on two-step "
     "verification on the affected accounts."),
    ("clicked: security scan", "clicked", "Run a reputable security scan if you have one "
     "available.", "clicked", "Run a reputable security scan if you have one available."),
    ("step 3 in the steps", "steps",
     "3. If you already clicked the link, treat it as a security incident. Close the page.",
     "steps", "Step 3 of 7. If you already clicked the link, treat it as a security "
     "incident. Close the page."),
    # step 4
    ("report in-app, even if unsure", "steps",
     "4. Report it in-app, and use UK takedown support (even if you're not sure it's real)",
     "steps", "Report it in the app, and use UK takedown support, even if you're not sure "
     "it's real."),
    ("report for harassment/extortion/abuse", "steps",
     "report the message/account on the app/site for harassment/extortion/intimate image "
     "abuse", "steps", "Report the message or account on the app or site for harassment, "
     "extortion or intimate image abuse."),
    ("StopNCII for adults", "steps",
     "Adults can consider StopNCII to help limit re-uploads on participating platforms, if "
     "an intimate image/video of you has been shared (or you're worried it will be)",
     "steps", "If an intimate image or video of you has been shared, or you're worried it "
     "will be, adults can consider Stop N C I I dot org to help limit re-uploads on "
     "participating platforms."),
    ("StopNCII's limits", "steps",
     "It does not stop sharing everywhere, and generally does not apply inside encrypted "
     "messaging.", "steps", "It does not stop sharing everywhere, and it generally does not "
     "apply inside encrypted messaging."),
    ("StopNCII's limits, in support", "support",
     "It does not stop sharing everywhere, and generally does not apply inside encrypted "
     "messaging.", "support", "It does not stop sharing everywhere, and generally does not "
     "apply inside encrypted messaging."),
    ("the helpline, free and confidential", "steps",
     "For free, confidential help with reporting and takedown requests, UK adults can "
     "contact the Revenge Porn Helpline", "steps",
     "For free, confidential help with reporting and takedown requests, UK adults can "
     "contact the Revenge Porn Helpline on zero three four five, six zero zero zero, four "
     "five nine. Their help is free; the call costs a normal call rate."),
    ("the helpline: which part is free", "support",
     "the help is free, the call costs a normal call rate", "support",
     "Their help is free; the call itself costs a normal call rate, as it is an 03 number."),
    ("the helpline's hours, beside its number", "support",
     "Mon-Fri 10am-4pm (not bank holidays)", "support",
     "Monday to Friday, 10am to 4pm, except bank holidays"),
    # step 5
    ("reporting routes for threats", "steps",
     "5. Use UK reporting routes if there are threats, demands or ongoing harassment.",
     "steps", "Use UK reporting routes if there are threats, demands or ongoing harassment."),
    ("immediate risk: 999", "steps", "If you feel at immediate risk of harm, call 999.",
     "steps", "If you feel at immediate risk of harm, call nine nine nine."),
    ("local police, 101 or online", "steps",
     "Otherwise, you can report to your local police (often via 101 or online reporting).",
     "steps", "Otherwise, you can report to your local police, often by calling one zero one "
     "or reporting online."),
    ("Report Fraud for extortion", "steps",
     "If it's online extortion/fraud, you can also use the UK Report Fraud sextortion "
     "guidance/reporting route", "steps", "If it's online extortion or fraud, you can also "
     "use the UK Report Fraud sextortion guidance and reporting route."),
    ("keep it simple", "steps", "Keep it simple: stop contact, don't pay, preserve evidence.",
     "steps", "Keep it simple: stop contact, don't pay, preserve evidence."),
    # step 6 (also the under-18 answer)
    ("under 18: child-specific routes", "under-18",
     "If you're under 18, or were under 18 at the time, use child-specific routes promptly. "
     "Tell a trusted adult.", "under-18",
     "If you are under 18, or the image is from when you were under 18, use child-specific "
     "routes, and do it promptly. Tell a trusted adult."),
    ("under 18: CEOP", "under-18", "report to the CEOP Safety Centre", "under-18",
     "You can also report to the see op Safety Centre"),
    ("under 18: Report Remove", "under-18",
     "get help removing images with Report Remove (Childline + IWF)", "under-18",
     "For help removing images, use Report Remove, from Childline and the I W F."),
    ("under 18: an image from then", "under-18",
     "All of this applies too if the image is from when you were under 18.", "under-18",
     "or the image is from when you were under 18"),
    ("step 6 in the steps", "steps",
     "6. If you are under 18, use child-specific routes. Tell a trusted adult. You can also "
     "report to the CEOP Safety Centre. For help removing images, use Report Remove "
     "(Childline and the IWF). The same goes if the image is from when you were under 18.",
     "steps", "Step 6 of 7. If you are under 18 (or the image is from when you were under "
     "18), use child-specific routes. Tell a trusted adult. You can also report to the see "
     "op Safety Centre. For help removing images, use Report Remove (Childline and the I W "
     "F)."),
    # step 7 (also the danger answer)
    ("shock and spiral", "steps", "7. Get support for the shock and spiral right now.",
     "steps", "Step 7 of 7. Get support for the shock and spiral right now."),
    ("NHS 111, mental health option", "danger",
     "If you feel unable to cope or unsafe with your thoughts: England - call NHS 111 and "
     "choose the mental health option, or follow NHS urgent mental health guidance.",
     "danger", "If you feel unable to cope, or unsafe with your thoughts, call NHS one one "
     "one and choose the mental health option. That is in England; you can also follow NHS "
     "urgent mental health guidance."),
    ("Samaritans to talk to", "steps",
     "For someone to talk to right now, you can call Samaritans on 116 123.", "steps",
     "For someone to talk to right now, you can call Samaritans on one one six, one two "
     "three."),
    # -- What can wait
    ("no need to decide now", "can-wait",
     "You do not need to decide right now whether to make a full statement, pursue a case, "
     "or confront anyone.", "can-wait",
     "You do not need to decide right now whether to make a full statement, pursue a case, "
     "or confront anyone."),
    ("no need to identify them", "can-wait", "You do not need to identify who did it today.",
     "can-wait", "You do not need to identify who did it today."),
    ("no need to search", "can-wait",
     "You do not need to search the internet for the image right now; that can be "
     "distressing and often isn't the fastest route to takedown.", "can-wait",
     "you do not need to search the internet for the image right now. That can be "
     "distressing, and often isn't the fastest route to takedown."),
    # -- Important reassurance (on the phone with what can wait, and with the notes)
    ("reactions are common", "about",
     "Receiving a message like this can cause instant panic, nausea and shame - those "
     "reactions are common.", "can-wait",
     "Receiving a message like this can cause instant panic, nausea and shame. Those "
     "reactions are common."),
    ("slowing down is a strong first move", "about",
     "These threats are often designed to rush you into clicking, paying or engaging; "
     "slowing down and using the right support routes is a strong first move.", "about",
     "These threats are often designed to rush you into clicking, paying or engaging. "
     "Slowing down and using the right support routes is a strong first move."),
    # -- Scope note
    ("first steps only", "about",
     "These are first steps only - focused on immediate safety, limiting spread, and "
     "getting you to the right specialist support.", "about",
     "These are first steps only, focused on immediate safety, limiting spread, and getting "
     "you to the right specialist support."),
    ("later decisions need tailored help", "about",
     "Later decisions (legal options, longer-term digital safety, ongoing harassment) may "
     "need tailored help.", "about",
     "Later decisions, such as legal options, longer-term digital safety, or ongoing "
     "harassment, may need tailored help."),
    # -- Important note
    ("general information", "about",
     "This is general information, not legal or medical advice.", "about",
     "This is general information, not legal or medical advice."),
    ("important note: 999", "about", "If you are in immediate danger call 999.", "about",
     "If you are in immediate danger, call nine nine nine."),
    ("important note: under 18 promptly", "about",
     "If you are under 18 (or the content involves someone under 18), use child-specific "
     "reporting/support routes promptly.", "about",
     "If you are under 18, or the content involves someone under 18, use child-specific "
     "reporting and support routes promptly."),
    # -- Additional resources: texted as links; on the phone, the route is named
    ("link: Report Fraud", "support", "https://www.reportfraud.police.uk/sextortion/",
     "support", "report fraud dot police dot U K"),
    ("link: police.uk", "support",
     "https://www.police.uk/advice/advice-and-information/online-safety/online-safety/"
     "intimate-image-abuse-revenge-porn/what-you-can-do-reporting-it-to-us/", "support",
     "report online on your police force's website"),
    ("link: Revenge Porn Helpline", "support", "https://revengepornhelpline.org.uk/",
     "support", "revenge porn helpline dot org dot U K"),
    ("link: StopNCII", "support", "https://stopncii.org/", "support",
     "Stop N C I I dot org can help limit re-uploads"),
    ("link: StopNCII FAQ", "support", "https://stopncii.org/faq/?lang=en-gb", "support",
     "It makes a digital fingerprint of the image on your device, and the image never "
     "leaves it."),
    ("link: CEOP", "under-18", "https://www.ceop.police.uk/Safety-Centre/", "under-18",
     "online at see op dot police dot U K"),
    ("link: Childline Report Remove", "under-18",
     "https://www.childline.org.uk/info-advice/bullying-abuse-safety/online-mobile-safety/"
     "report-remove/", "under-18", "You use it through a Childline account."),
    ("link: IWF Report Remove", "under-18",
     "https://www.iwf.org.uk/our-technology/report-remove/", "under-18",
     "Report Remove, from Childline and the I W F"),
]  # fmt: skip

# From "UK support routes: checked facts for the scripts": what a caller must be able
# to write down, as the voice says it.
SPOKEN_NUMBERS = [
    "nine nine nine",  # 999
    "one one six, one two three",  # Samaritans
    "zero three four five, six zero zero zero, four five nine",  # Revenge Porn Helpline
    "zero three zero zero, one two three, two zero four zero",  # Report Fraud
    "zero eight zero zero, one one one one",  # Childline
    "zero eight zero eight, eight zero eight, eight zero zero zero",  # Lifeline (NI)
    "eight five two five eight",  # Shout
    "one zero one",  # police non-emergency
]


def everything(script, channel):
    return "\n".join(
        "\n".join(reply.paragraphs) for _, reply in engine.every_reply(script, channel)
    )


def said_at(script, channel: str, node: str) -> str:
    """Everything a node says on a channel (every step or part), as one line of words."""
    said = [
        "\n".join(reply.paragraphs)
        for what, reply in engine.every_reply(script, channel)
        if reply.state.node == node and "after" not in what and "again" not in what
    ]
    return " ".join(" ".join(said).split())


@pytest.mark.parametrize(
    ("texted_at", "texted", "spoken_at", "spoken"),
    [row[1:] for row in FACTS],
    ids=[row[0] for row in FACTS],
)
def test_every_fact_of_the_guide_is_texted_and_spoken_where_this_list_says(
    guide, texted_at, texted, spoken_at, spoken
):
    assert " ".join(texted.split()) in said_at(guide, SMS, texted_at)
    assert " ".join(spoken.split()) in said_at(guide, VOICE, spoken_at)


def test_the_list_has_every_link_of_the_guide_and_the_script_allows_exactly_those(guide):
    listed = [row[2] for row in FACTS if row[0].startswith("link: ")]
    assert len(listed) == 8  # the guide's Additional Resources, all of them
    assert sorted(listed) == sorted(guide.links)


@pytest.mark.parametrize("number", SPOKEN_NUMBERS)
def test_callers_hear_each_number_digit_by_digit(guide, number):
    assert number in everything(guide, VOICE)


def test_no_number_is_spoken_as_a_quantity(guide):
    spoken = everything(guide, VOICE)
    assert "hundred" not in spoken and "thousand" not in spoken
    assert re.findall(r"\d{3,}", spoken) == []  # every long number is read digit by digit


def test_the_main_menu_offers_the_three_safety_branches_by_key(guide):
    keys = {c.target: c.key for c in engine.start(guide, VOICE, NOW).choices}
    assert keys["clicked"] == "1" and keys["under-18"] == "2" and keys["danger"] == "9"
