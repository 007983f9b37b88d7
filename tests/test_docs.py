"""The documentation, checked like code: every relative link in the README and under docs/
(and the results pages beside the tools) leads to a file and heading that exist, every YAML
example in docs/script-format.md loads and passes `ivr validate`, every page under docs/ is
in its contents, every `ivr` command named in the docs exists and every command is named,
and the README stays an operator's page.

A YAML example in docs/script-format.md is either a whole script (it has `format:`) or a
piece of one. A piece says where it goes with an HTML comment on the line before its
fence, which GitHub does not show:

    <!-- example into: nodes.young -->            the piece is merged into that mapping of
                                                  the document's complete example
    <!-- example into: . -->                      ... at the top level
    <!-- example into: nodes.steps, with: transfers -->
                                                  ... after the top-level piece that
                                                  defines `transfers` is merged too
    <!-- example from: ivr/understanding/lexicons/en-GB.yaml -->
                                                  an excerpt of that file: every phrase it
                                                  shows is in the same list there
    <!-- example into: nodes.young, base: tests/fixtures/languages/bilingual.yaml -->
                                                  merged into that script instead (a
                                                  translation needs a script whose every
                                                  other text has that language too)

Merging is deep for mappings; anything else is replaced. The result must load and have no
error (warnings are allowed: some examples show what a warning is about).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from ivr import lint
from ivr.cli import main

from support import FIXTURES, ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
FORMAT = DOCS / "script-format.md"
README_MOST_LINES = 230  # about 200: an operator reads it top to bottom in ten minutes


def _pages() -> list[Path]:
    """Every Markdown file the repository holds (tracked or about to be), not tools' caches."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted(ROOT / name for name in listed if (ROOT / name).is_file())


PAGES = _pages()

# -- Links ---------------------------------------------------------------------------------

# A fence: three or more backticks (with no backtick after them) or tildes, indented < 4
FENCE = re.compile(r"^ {0,3}(`{3,}(?=[^`]*$)|~{3,})")
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")


def outside_code(text: str) -> list[tuple[int, str]]:
    """(line number, line) of everything outside fenced code blocks."""
    lines, fence = [], ""
    for number, line in enumerate(text.splitlines(), 1):
        match = FENCE.match(line)
        if match and not fence:
            fence = match[1]
        elif match and match[1].startswith(fence) and not line.strip().strip(fence[0]):
            fence = ""  # closed by the same character, at least as many, and nothing else
        elif not fence:
            lines.append((number, line))
    return lines


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to -."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its words
    text = text.replace("`", "").strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in ("L", "N", "M"))
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found, seen = set(), {}
    for _, line in outside_code(page.read_text(encoding="utf-8")):
        found |= set(HTML_ANCHOR.findall(line))
        match = HEADING.match(line)
        if match:
            base = slug(match[2])
            n = seen.get(base, 0)
            seen[base] = n + 1
            found.add(base if n == 0 else f"{base}-{n}")
    return found


def links(page: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in outside_code(page.read_text(encoding="utf-8")):
        line = INLINE_CODE.sub("", line)  # `[x](y)` in code is not a link
        found += [(number, target) for target in LINK.findall(line)]
        found += [(number, target) for target in REFERENCE.findall(line)]
    return found


def _relative(target: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) and not target.startswith(
        "//"
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for number, target in links(page):
        if not _relative(target):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        where = f"{page.relative_to(ROOT)}, line {number}: '{target}'"
        if not dest.exists():
            broken.append(f"{where} leads to no file")
        elif not dest.is_relative_to(ROOT):
            broken.append(f"{where} leads out of the repository")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{where}: {dest.relative_to(ROOT)} has no heading '#{anchor}'")
    assert not broken, "Fix these links (or the headings they name):\n" + "\n".join(broken)


def test_the_link_checker_sees_links_and_anchors_as_github_does(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# The flow of a script: `ivr graph`\n## Hand-offs\n## Hand-offs\n"
        "See [a](other.md#x) and [b][ref] and `[not](a-link.md)`.\n"
        "```\n[nor](this.md)\n# not a heading\n```\n[ref]: https://example.org/\n"
        "Inside ```` ```mermaid ```` is no fence, so [this](counts.md) counts.\n"
        "````markdown\n```\n[in](code.md)\n```\n````\n"
    )
    assert anchors(page) == {"the-flow-of-a-script-ivr-graph", "hand-offs", "hand-offs-1"}
    assert links(page) == [(4, "other.md#x"), (9, "https://example.org/"), (10, "counts.md")]


def test_every_docs_page_is_in_the_contents():
    contents = (DOCS / "README.md").read_text(encoding="utf-8")
    listed = {target.partition("#")[0] for _, target in links(DOCS / "README.md")}
    pages = [p.relative_to(DOCS).as_posix() for p in sorted(DOCS.rglob("*.md"))]
    missing = [p for p in pages if p != "README.md" and p not in listed]
    assert not missing, f"Add a line for each to docs/README.md: {missing}"
    assert "(../README.md)" in contents


def test_the_readme_stays_an_operators_page():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MOST_LINES, (
        f"README.md is {len(lines)} lines; keep it near 200: give a feature one line and a "
        "link, and its prose a page under docs/ (listed in docs/README.md)."
    )
    # The operator's path, in the order they need it
    headings = [line[3:] for line in lines if line.startswith("## ")]
    order = ["Quick start", "Try it without a phone", "Edit the script"]
    order += ["Try it with a real number", "Deploy", "Configuration", "Pitfalls"]
    assert [h for h in headings if h in order] == order
    quick = "\n".join(lines[lines.index("## Quick start") : lines.index(f"## {order[1]}")])
    assert re.findall(r"^python3 dev\.py \w+$", quick, re.MULTILINE) == [
        "python3 dev.py run",
        "python3 dev.py test",
    ]


def test_the_docs_write_ivr_as_the_readme_says_they_do():
    # The README has the operator activate .venv once and type `ivr`, "as the rest of this
    # page and the docs do": a page writing .venv/bin/ivr instead reads as another command.
    assert ". .venv/bin/activate" in README.read_text(encoding="utf-8")
    written = [
        f"{page.relative_to(ROOT)}:{number}"
        for page in PAGES
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if ".venv/bin/ivr " in line
    ]
    assert not written, f"Write `ivr ...` (the README has .venv activated) at: {written}"


# -- The ivr commands the docs name ----------------------------------------------------------

COMMAND = re.compile(r"`(?:\.venv/bin/)?ivr ([a-z][a-z-]*)")


def test_every_command_the_docs_name_exists_and_every_command_is_documented():
    named = {}
    for page in PAGES:
        for name in COMMAND.findall(page.read_text(encoding="utf-8")):
            named.setdefault(name, page.relative_to(ROOT))
    unknown = {name: str(page) for name, page in named.items() if name not in main.commands}
    assert not unknown, f"The docs name ivr commands that do not exist: {unknown}"
    undocumented = sorted(set(main.commands) - set(named))
    assert not undocumented, f"Document these commands under docs/: {undocumented}"


# -- YAML examples in the script format ------------------------------------------------------

MARKER = re.compile(
    r"<!--\s*example into:\s*([\w.-]+)\s*(?:,\s*with:\s*([\w, -]+?))?"
    r"\s*(?:,\s*base:\s*(\S+?))?\s*-->"
)
EXCERPT = re.compile(r"<!--\s*example from:\s*(\S+)\s*-->")


@dataclass(frozen=True)
class Example:
    line: int  # of the opening fence
    text: str
    into: str | None  # None: a whole script, or an excerpt
    needs: tuple[str, ...] = ()
    excerpt_of: Path | None = None
    base: Path | None = None  # merged into this script, not the complete example

    def __str__(self) -> str:
        return f"docs/script-format.md, the YAML example at line {self.line}"


def examples() -> list[Example]:
    lines = FORMAT.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```yaml":
            end = lines.index("```", i + 1)
            before = lines[i - 1] if i else ""
            marker, excerpt = MARKER.search(before), EXCERPT.search(before)
            needs = tuple(n.strip() for n in marker[2].split(",")) if marker and marker[2] else ()
            body = "\n".join(lines[i + 1 : end]) + "\n"
            source = ROOT / excerpt[1] if excerpt else None
            base = ROOT / marker[3] if marker and marker[3] else None
            found.append(Example(i + 1, body, marker[1] if marker else None, needs, source, base))
            i = end
        i += 1
    return found


EXAMPLES = examples()
WHOLE = [e for e in EXAMPLES if "format" in yaml.safe_load(e.text)]


def merge(base: dict, piece: dict) -> dict:
    merged = dict(base)
    for key, value in piece.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def placed(piece: dict, into: str) -> dict:
    for key in reversed([] if into == "." else into.split(".")):
        piece = {key: piece}
    return piece


def script_for(example: Example) -> dict:
    (whole,) = WHOLE
    base = example.base.read_text(encoding="utf-8") if example.base else whole.text
    script = yaml.safe_load(base)
    for name in example.needs:
        (setup,) = [e for e in EXAMPLES if e.into == "." and name in yaml.safe_load(e.text)]
        script = merge(script, yaml.safe_load(setup.text))
    return merge(script, placed(yaml.safe_load(example.text), example.into or "."))


def test_the_format_has_one_complete_example_and_it_is_the_test_fixture():
    assert len(WHOLE) == 1, "docs/script-format.md should have one whole script as its example"
    assert yaml.safe_load(WHOLE[0].text) == yaml.safe_load(
        (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    ), "The complete example says it is tests/fixtures/valid.yaml: make them the same again."


def test_every_example_is_a_whole_script_or_says_where_it_goes():
    assert len(EXAMPLES) > 10
    for example in EXAMPLES:
        data = yaml.safe_load(example.text)
        assert isinstance(data, dict), f"{example} is not a YAML mapping."
        placed_somewhere = example.into is not None or example.excerpt_of is not None
        assert placed_somewhere != ("format" in data), (
            f"{example}: a piece of a script needs '<!-- example into: PATH -->' on the line "
            "before its fence (see tests/test_docs.py); a whole script has 'format:'."
        )


def phrase_lists(data: dict, path: tuple[str, ...] = ()):
    """(path, phrases) of every list of phrases in a lexicon's mapping."""
    for key, value in data.items():
        if key == "phrases" and isinstance(value, list):
            yield path, value
        elif isinstance(value, dict):
            yield from phrase_lists(value, (*path, key))


EXCERPTS = [e for e in EXAMPLES if e.excerpt_of is not None]


@pytest.mark.parametrize("example", EXCERPTS, ids=lambda e: f"line-{e.line}")
def test_every_excerpt_shows_what_its_file_holds(example):
    shipped = dict(phrase_lists(yaml.safe_load(example.excerpt_of.read_text(encoding="utf-8"))))
    shown = list(phrase_lists(yaml.safe_load(example.text)))
    assert shown, f"{example} shows no phrases"
    for path, phrases in shown:
        name = ".".join(path)
        assert path in shipped, f"{example}: {example.excerpt_of.name} has no list {name}"
        missing = [p for p in phrases if p not in shipped[path]]
        assert not missing, f"{example}: {name} in {example.excerpt_of.name} lacks {missing}"


SCRIPT_EXAMPLES = [e for e in EXAMPLES if e.excerpt_of is None]


@pytest.mark.parametrize("example", SCRIPT_EXAMPLES, ids=lambda e: f"line-{e.line}")
def test_every_yaml_example_loads_and_validates(example, tmp_path):
    # Beside the written guides an example's guide: source names, as in the repository.
    (tmp_path / "scripts").mkdir()
    shutil.copytree(ROOT / "guides", tmp_path / "guides")
    for written in (FIXTURES / "guides").glob("*.txt"):
        shutil.copy(written, tmp_path / "guides")
    path = tmp_path / "scripts" / "example.yaml"
    text = example.text if example.into is None else yaml.safe_dump(script_for(example))
    path.write_text(text, encoding="utf-8")
    report = lint.check(path)
    assert report.script is not None and report.ok, f"{example} does not validate:\n" + "\n".join(
        map(str, report.errors)
    )
