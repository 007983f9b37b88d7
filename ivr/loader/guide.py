"""The `guide:` section: the written guide a script carries, and the words that choose it.

    guide:
      source: ../guides/link-claiming-intimate-photo.txt   # relative to the script file
      label: a link claiming to be a photo of you           # in the guide choice
      keyword: LINK                                          # the texted guide choice
      words: [link, photo of me]                             # route a first text here
      left_out:                                              # said by the guide, not here
        - {item: "...", reason: "..."}

Only `source` is required: a script served alone needs no label, keyword or words (the
library's lint asks for them where one number offers several guides). What the source
says is checked against the script by `ivr.fidelity`.
"""

from __future__ import annotations

from ivr.loader import fields as kind
from ivr.script import Guide, LeftOut
from ivr.yaml_records import Field, listed, record, words

LEFT_OUT_FIELDS = (
    Field("item", words, required=True, add="Add 'item:', what of the guide is left out."),
    Field("reason", words, required=True, add="Add 'reason:', why the script leaves it out."),
)
_left_out = listed(
    record(LEFT_OUT_FIELDS, lambda r, v, at: LeftOut(v["item"], v["reason"], at.line)),
    lambda i: f"Left-out item {i}",
)


def _words(r, value, at):
    """The routing words; left empty (every item deleted) is none, as left out is."""
    return () if value is None else kind.synonyms(r, value, at)


GUIDE_FIELDS = (
    Field("source", words, required=True,
          add="Add 'source:', the guide's text file, relative to this script file."),
    Field("label", kind.text),
    Field("keyword", kind.keyword),
    Field("words", _words, default=()),
    Field("left_out", _left_out, default=()),
)  # fmt: skip


def _guide(r, v: dict, at) -> Guide:
    return Guide(v["source"], v["label"], v["keyword"], v["words"], v["left_out"], at.line)


guide = record(GUIDE_FIELDS, _guide)
