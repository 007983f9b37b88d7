"""`ivr report --format html`: one page, opened from a file in Chromium, checked by
axe-core, its tables holding exactly the numbers `ivr report --format json` gives, and
a breakdown for any id-shaped field the log lines carry (a language, a guide)."""

from __future__ import annotations

import json
import re

from browser import no_sideways_scroll, violations
from click.testing import CliRunner

from ivr.cli import main

from support import GUIDE
from support import log_line as line

SCRIPT = "link-claiming-intimate-photo"


def logs() -> str:
    """Calls and texts over three days, some lines carrying a language (as a later version
    of the app writes), one a phone-number-like value the report must never show."""
    out = []
    for day, calls in (("2026-11-24", 3), ("2026-11-25", 1), ("2026-11-26", 2)):
        for n in range(calls):
            c = f"call{day}{n}"
            out.append(line(f"{day}T10:0{n}:00.000Z", c, "main", "start"))
            out.append(line(f"{day}T10:0{n}:05.000Z", c, "main", "wrong"))
            out.append(line(f"{day}T10:0{n}:09.000Z", c, "clicked", "chose"))
            if n == 1:
                out.append(line(f"{day}T10:0{n}:20.000Z", c, "danger", "chose"))
        t = f"text{day}"
        language = "cy" if day == "2026-11-25" else "en"
        extra = {"channel": "sms", "language": language, "caller": "+447700900123"}
        out.append(line(f"{day}T11:00:00.000Z", t, "main", "start", **extra))
        out.append(line(f"{day}T11:01:00.000Z", t, "under-18", "chose", **extra))
        out.append(line(f"{day}T11:02:00.000Z", t, "under-18", "unknown", **extra))
    return "\n".join(out) + "\n"


def report(*args: str) -> str:
    result = CliRunner().invoke(main, ["report", "--script", str(GUIDE), *args], input=logs())
    assert result.exit_code == 0, result.output
    return result.output


def table(page, caption_start: str) -> dict[str, list[str]]:
    """The table whose caption starts so: row name -> its cells, as the page shows them."""
    return page.evaluate(
        """(start) => {
            const t = [...document.querySelectorAll("table")]
              .find((t) => t.caption.textContent.startsWith(start));
            const rows = {};
            for (const tr of [...t.rows].slice(1))
              rows[tr.cells[0].textContent] = [...tr.cells].slice(1).map((c) => c.textContent);
            return rows;
        }""",
        caption_start,
    )


# Each chart's words, as Chromium draws them: none smaller than the page's 14 px, and none
# past the chart's own edges (cut off) at either width.
CHART_TEXT = """() => [...document.querySelectorAll(".chart svg")].flatMap((svg) => {
  const edge = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].flatMap((text) => {
    const box = text.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(text).fontSize);
    const found = [];
    if (size < 14) found.push(`${text.textContent}: ${size} px`);
    if (box.left < edge.left - 0.5 || box.right > edge.right + 0.5)
      found.push(`${text.textContent}: cut off (${box.left}-${box.right})`);
    return found;
  });
})"""


def chart_text_problems(page) -> list[str]:
    return page.evaluate(CHART_TEXT)


def test_the_page_is_whole_in_itself_and_says_nothing_personal():
    page = report("--format", "html")
    assert page.startswith("<!doctype html>")
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", page)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    assert "447700900123" not in page and "caller" not in page


def test_the_page_opens_from_a_file_with_no_axe_violations_and_the_jsons_numbers(
    chromium, tmp_path
):
    numbers = json.loads(report("--format", "json"))
    path = tmp_path / "report.html"
    path.write_text(report("--format", "html"))
    for width in (390, 1280):
        page = chromium.new_page(viewport={"width": width, "height": 900})
        try:
            # Offline, as from an email attachment: any request off the file fails the test.
            asked = []
            page.on("request", lambda r, asked=asked: asked.append(r.url))
            page.goto(path.as_uri())
            assert asked == [path.as_uri()]
            assert violations(page) == [], width
            per_day = table(page, "The numbers: conversations per day, by channel")
            assert per_day == {  # texts (sms), then calls (voice): channels in order
                day: [str(counts.get(c, 0)) for c in ("sms", "voice")] + [str(sum(counts.values()))]
                for day, counts in numbers["per_day"].items()
            }
            assert per_day["2026-11-24"] == ["1", "3", "4"]
            by_language = table(page, "The numbers: conversations per day, by language")
            assert by_language == {
                day: [str(counts.get(v, 0)) for v in ("cy", "en")] + [str(sum(counts.values()))]
                for day, counts in numbers["per_day_by"]["language"].items()
            }
            shares = table(page, "The numbers: conversations that reached the danger")
            for group in numbers["by_script"]:
                channel = {"voice": "calls", "sms": "texts"}[group["channel"]]
                for key, answer in (("danger", "danger"), ("under_18", "under 18")):
                    row = shares[f"{channel}: {answer}"]
                    assert row[:2] == [str(group[key]), str(group["conversations"])]
            assert shares["calls: danger"][2] == "33.3%"  # 2 of 6 calls
            assert numbers["under_18"] == 3 and numbers["danger"] == 2
            ended = table(page, "The numbers: conversations by the node they ended at")
            assert {k: int(v[0]) for k, v in ended.items()} == numbers["ended_at"]
            missed = table(page, "The numbers: inputs")
            assert {k: [int(v[0]), int(v[1])] for k, v in missed.items()} == {
                k: [v["inputs"], v["count"]] for k, v in numbers["not_understood_at"].items()
            }
            assert missed["main"] == ["15", "6", "40.0%"]  # 6 wrong keys of 15 inputs
            turns = table(page, "The numbers: conversations by how many turns")
            assert {k: int(v[0]) for k, v in turns.items()} == {
                k: v for k, v in numbers["turns"].items()
            }
            assert no_sideways_scroll(page), width
            assert chart_text_problems(page) == [], width
        finally:
            page.close()


def test_since_and_until_narrow_the_page_as_they_narrow_the_json():
    numbers = json.loads(report("--format", "json", "--since", "2026-11-25"))
    assert list(numbers["per_day"]) == ["2026-11-25", "2026-11-26"]
    page = report("--format", "html", "--since", "2026-11-25", "--until", "2026-11-26")
    assert "2026-11-25" in page and "2026-11-24" not in page and "2026-11-26" not in page


def test_small_counts_are_hidden_on_the_page_as_in_the_json():
    """--min-count 2: the one text a day shows as <2, and a day's total does not add it in
    (the total with it would tell what it is)."""
    numbers = json.loads(report("--format", "json", "--min-count", "2"))
    assert numbers["per_day"]["2026-11-24"] == {"sms": None, "voice": 3}
    page = report("--format", "html", "--min-count", "2")
    row = re.search(r"<th scope=\"row\">2026-11-24</th>(.*?)</tr>", page).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["&lt;2", "3", "3 or more"]


def test_several_guides_are_charted_by_script_as_the_json_counts_them():
    """Each guide behind one number is a script: with two in the logs the page breaks the
    days down by script too; with one it does not."""
    second = [
        line(f"2026-11-25T12:0{n}:00.000Z", f"g{n}", "main", "start", script="other-guide")
        for n in range(2)
    ]
    given = logs() + "\n".join(second) + "\n"
    run = CliRunner().invoke
    numbers = json.loads(run(main, ["report", "--format", "json"], input=given).output)
    assert numbers["per_day_by"]["script"]["2026-11-25"] == {SCRIPT: 2, "other-guide": 2}
    page = run(main, ["report", "--format", "html"], input=given).output
    assert "Conversations per day, by guide (script)" in page
    guides = page[page.index("by guide") :]
    row = re.search(r'<th scope="row">2026-11-25</th>(.*?)</tr>', guides).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["2", "2", "4"]  # ours, the other, in all
    assert "script" not in json.loads(report("--format", "json"))["per_day_by"]
    assert "by guide" not in report("--format", "html")
