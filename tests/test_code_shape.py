"""Rooms by concern, kept that way: no function under ivr/ runs past FUNCTION_LINES lines
or nests its blocks more than NESTING deep, and no module runs past MODULE_LINES lines.

Measured with ast over every .py file under ivr/, so a new module is held to it the day it
is added. A function's lines run from its `def` to its last line, docstring and comments
included; an `elif` sits at the depth of its `if`; a function inside a function is measured
on its own. What is over today is named in ALLOWED with the reason it may stay, and may
not grow; the list only shrinks: an entry that is no longer over fails too, so it is taken
off. And every module opens with a docstring: the contract it keeps.
"""

from __future__ import annotations

import ast

import pytest

from support import ROOT

FUNCTION_LINES = 60
MODULE_LINES = 500
NESTING = 4  # blocks inside blocks (if, for, while, with, try, match); a fifth fails

# "path::function" (or "path" for a module) -> what it may be, at most: each with why.
ALLOWED: dict[str, str] = {}

_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)
_BLOCKS += (ast.TryStar, ast.Match)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _functions(tree: ast.AST, prefix: str = ""):
    """(qualified name, node) of every function and method, nested ones included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, _FUNCTIONS):
            yield prefix + node.name, node
            yield from _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def _depth(statements: list[ast.stmt], depth: int = 0) -> int:
    """How deep blocks nest in these statements (a function's body starts at 0)."""
    return max((_statement_depth(s, depth) for s in statements), default=depth)


def _statement_depth(statement: ast.stmt, depth: int) -> int:
    if not isinstance(statement, _BLOCKS):
        return depth  # a nested function or class is measured on its own
    inner = depth + 1
    if isinstance(statement, ast.Match):
        return max([inner, *(_depth(case.body, inner) for case in statement.cases)])
    bodies = [statement.body, getattr(statement, "finalbody", [])]
    bodies += [handler.body for handler in getattr(statement, "handlers", [])]
    orelse = statement.orelse if hasattr(statement, "orelse") else []
    if isinstance(statement, ast.If) and len(orelse) == 1 and isinstance(orelse[0], ast.If):
        found = _statement_depth(orelse[0], depth)  # elif: the same level as its if
    else:
        found = _depth(orelse, inner)
    return max([inner, found, *(_depth(body, inner) for body in bodies)])


def over_limits(source: str, path: str) -> dict[str, str]:
    """What in one module's source is over a limit: name -> what is over."""
    found = {}
    lines = len(source.splitlines())
    if lines > MODULE_LINES:
        found[path] = f"{lines} lines"
    for name, node in _functions(ast.parse(source)):
        length = node.end_lineno - node.lineno + 1
        depth = _depth(node.body)
        said = [f"{length} lines"] if length > FUNCTION_LINES else []
        said += [f"blocks {depth} deep"] if depth > NESTING else []
        if said:
            found[f"{path}::{name}"] = ", ".join(said)
    return found


def _package() -> dict[str, str]:
    found = {}
    for file in sorted((ROOT / "ivr").rglob("*.py")):
        found |= over_limits(file.read_text(), file.relative_to(ROOT).as_posix())
    return found


def test_no_room_in_the_package_is_too_long_or_too_deep():
    over = _package()
    new = {name: what for name, what in over.items() if name not in ALLOWED}
    assert not new, (
        f"Over the limits ({FUNCTION_LINES} lines a function, {MODULE_LINES} a module, "
        f"blocks {NESTING} deep): {new}. Split each into functions (or modules) that do "
        "one thing each; only if that would make it worse, add it to ALLOWED with why."
    )


def test_the_allowed_list_names_only_what_is_still_over_and_none_grows():
    over = _package()
    stale = {name for name in ALLOWED if name not in over}
    assert not stale, f"{stale} are within the limits now: take them off ALLOWED."
    grown = {n: over[n] for n in ALLOWED if n in over and _grew(over[n], ALLOWED[n])}
    assert not grown, f"Allowed rooms grew: {grown}. Shorten them rather than ALLOWED."


def test_every_module_opens_with_its_contract():
    # A newcomer reads a module's docstring first: what it offers and what it keeps true.
    # A module that opens with anything else (an import, a comment) leaves them to guess.
    bare = [
        file.relative_to(ROOT).as_posix()
        for file in sorted((ROOT / "ivr").rglob("*.py"))
        if not (ast.get_docstring(ast.parse(file.read_text())) or "").strip()
    ]
    assert not bare, f"{bare} open with no docstring: say what each offers and keeps true."


def _grew(now: str, allowed: str) -> bool:
    """Whether "70 lines, blocks 5 deep" is more than "68 lines" allows (here: both)."""
    return any(size > _sizes(allowed).get(unit, 0) for unit, size in _sizes(now).items())


def _sizes(said: str) -> dict[str, int]:
    words = said.replace(",", "").split()  # "68 lines" -> lines: 68; "blocks 5 deep" -> deep: 5
    return {words[i + 1]: int(word) for i, word in enumerate(words) if word.isdigit()}


def _function(body_lines: int, nested: int = 0) -> str:
    lines = ["def f(x):"]
    for depth in range(nested):
        lines.append("    " * (depth + 1) + f"if x > {depth}:")
    lines += ["    " * (nested + 1) + "x += 1"] * body_lines
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("source", "over"),
    [
        (_function(FUNCTION_LINES - 1), {}),  # with its def line: exactly the limit
        (_function(FUNCTION_LINES), {"m.py::f": f"{FUNCTION_LINES + 1} lines"}),
        (_function(1, NESTING), {}),
        (_function(1, NESTING + 1), {"m.py::f": f"blocks {NESTING + 1} deep"}),
        # an elif chain is one level, however long
        (
            "def f(x):\n"
            + "".join(f"    {'el' * bool(i)}if x == {i}:\n        x = 0\n" for i in range(9)),
            {},
        ),
        # a method, and a function inside a function, are named and measured on their own
        (
            "class C:\n    def m(self):\n        def inner(x):\n"
            + "".join(f"{'    ' * (3 + d)}for a{d} in x:\n" for d in range(NESTING + 1))
            + "    " * (4 + NESTING)
            + "pass\n",
            {"m.py::C.m.inner": f"blocks {NESTING + 1} deep"},
        ),
        ("x = 1\n" * (MODULE_LINES + 1), {"m.py": f"{MODULE_LINES + 1} lines"}),
    ],
)
def test_the_measure_finds_what_is_over_and_only_that(source, over):
    assert over_limits(source, "m.py") == over
