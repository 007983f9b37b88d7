"""Links (L): every web address is https, on the script's checked allow-list, and said well.

A link sent to someone at risk must be one a person has checked; a bare address in a
text may open insecurely; an address read aloud needs a pronunciation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr.errors import WARNING, Problem
from ivr.lint.walk import host, problem, texts, worded
from ivr.script import MESSAGING, Script
from ivr.spoken import addresses


def allow_list_is_https(s: Script) -> Iterator[Problem]:
    for url in s.links:
        if not url.startswith("https://"):
            yield problem(
                s,
                "L001",
                s.line_of.get("links"),
                None,
                f"The allow-list has '{url}', which is not an https link.",
                "Use the https:// address.",
            )


def addresses_in_words(s: Script) -> Iterator[Problem]:
    hosts = {host(u) for u in s.links}
    for node_id, what, text in texts(s):
        for channel in worded(text):
            for address in addresses(text.on(channel)):
                found = _address(s, hosts, address, channel, what)
                if found:
                    yield problem(s, found[0], text.line, node_id, found[1], found[2])


def _address(s: Script, hosts: set[str], address: str, channel: str, what: str):
    """(code, message, fix) for an address that breaks a rule, else None."""
    has_scheme = re.match(r"^https?://", address, re.IGNORECASE)
    if has_scheme and not address.lower().startswith("https://"):
        return (
            "L001",
            f"{what} links to {address}, which is not https.",
            "Use the https:// address.",
        )
    if channel in MESSAGING and not has_scheme:
        return (
            "L003",
            f"{what} ({channel}) mentions {address} without https://, so the phone may open it "
            "insecurely or not at all.",
            "Write the full https:// link.",
        )
    if has_scheme and not any(
        address == a or address.startswith(a.rstrip("/") + "/") for a in s.links
    ):
        return (
            "L002",
            f"{what} links to {address}, which is not on the allow-list.",
            "Add it under links: (after checking it), or remove it.",
        )
    if not has_scheme and host(address) not in hosts:
        return (
            "L002",
            f"{what} names the website {address}, which is not on the allow-list.",
            "Add its https:// address under links:.",
        )
    return None


def pronounced(s: Script) -> Iterator[Problem]:
    spoken = {w.lower() for w in s.pronounce}
    for node_id, what, text in texts(s):
        for address in addresses(text.voice):
            if address.lower() not in spoken:
                yield problem(
                    s,
                    "L004",
                    text.line,
                    node_id,
                    f"{what} (voice) has the address {address} with no pronunciation, "
                    "so it will be read as one long word.",
                    f"Add it under pronounce:, e.g. {address}: words as they are said.",
                    WARNING,
                )


CHECKS = (allow_list_is_https, addresses_in_words, pronounced)
