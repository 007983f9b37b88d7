"""Call shapes documented in module docstrings are true to the code.

Most modules under ivr/ open with the calls they offer, one a line, indented:

    start(script, channel, now)                      -> Reply
    Phrases(phrases).find(words)  -> (start, phrase)...

Each such call must name something the module has (or imports), and its arguments must
bind to the real signature: no required parameter left out, no more positional ones
than it takes, keywords it knows, and a documented name that is a parameter in the
place of that parameter. `...` among the arguments (or as all of them) leaves the rest
out on purpose, and `*` marks where keywords start. A call on what a class or call
gives (`Phrases(...).find`) is checked against that class, or the return annotation of
the call; `library.get(id)` names a method of the module's class `Library`.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from support import ROOT

# An indented line that starts with a call: `name(...)`, `a.b(...)`, `C(...).m(...)`.
_LINE = re.compile(r"^ {2,}(?P<chain>[A-Za-z_][\w.]*\([^()]*\)(?:\.[A-Za-z_]\w*\([^()]*\))*)")
_CALL = re.compile(r"(?P<name>[A-Za-z_][\w.]*)\((?P<args>[^()]*)\)")
_ALSO = re.compile(r" / (?P<chain>[A-Za-z_][\w.]*\([^()]*\))")  # a / b / c on one line


def _modules() -> list[str]:
    files = sorted((ROOT / "ivr").rglob("*.py"))
    names = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in files]
    return [n.removesuffix(".__init__") for n in names]


def documented_calls(docstring: str) -> list[str]:
    """The call chains a docstring documents, as written."""
    found = []
    for line in docstring.splitlines():
        match = _LINE.match(line)
        if match:
            found.append(match["chain"])
            found += [m["chain"] for m in _ALSO.finditer(line[match.end() :])]
    return found


def _arguments(text: str) -> tuple[list[str], dict[str, str]]:
    """The positional and keyword arguments of a call as written, split at top-level
    commas (a documented default may hold a dict or a list)."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts = [p.strip() for p in [*parts, current] if p.strip()]
    keywords = dict(p.split("=", 1) for p in parts if re.match(r"^\w+=", p))
    return [p for p in parts if not re.match(r"^\w+=", p)], keywords


def problem_with(chain: str, namespace: dict) -> str | None:
    """Why a documented call chain does not fit the code, or None when it does."""
    target = None
    for i, call in enumerate(_CALL.finditer(chain)):
        name, args = call["name"], call["args"]
        if i == 0:
            found = _resolve(name, namespace)
            if found is None:
                return f"{name} is not in the module"
        else:
            found = _attribute(target, name.lstrip("."))
            if found is None:
                return f"{name} is not an attribute of {target!r}"
        wrong = _binds(found, args, bound=_takes_self(name, namespace, target, i))
        if wrong:
            return f"{call.group(0)}: {wrong} (the code has {name}{_signature(found)})"
        target = found if inspect.isclass(found) else _returns(found)
        if target is None:
            return None  # nothing known of what it gives: the rest cannot be checked
    return None


def _resolve(dotted: str, namespace: dict):
    head, *rest = dotted.split(".")
    found = namespace.get(head)
    if found is None and rest:  # `library.get`: an instance named after its class
        found = _class_named(head, namespace)
    for part in rest:
        found = _attribute(found, part) if found is not None else None
    return found


def _class_named(name: str, namespace: dict):
    """The class an instance is named after: `library` -> Library, `_tiny_one` -> _TinyOne."""
    camel = "_" * name.startswith("_") + "".join(p.capitalize() for p in name.split("_"))
    named = namespace.get(camel)
    return named if inspect.isclass(named) else None


def _attribute(owner, name: str):
    if owner is None:
        return None
    try:
        return inspect.getattr_static(owner, name)
    except AttributeError:
        return None


def _takes_self(name: str, namespace: dict, target, i: int) -> bool:
    """Whether the function found is a plain method reached through its class, so its
    first parameter (self) is not written in the call."""
    if i == 0 and "." in name and name.split(".")[0] not in namespace:
        return True  # `library.get`: called on an instance
    owner = target if i else _resolve(name.rsplit(".", 1)[0], namespace) if "." in name else None
    method = _attribute(owner, name.rsplit(".", 1)[-1]) if inspect.isclass(owner) else None
    return inspect.isfunction(method)


def _signature(found) -> inspect.Signature:
    if isinstance(found, staticmethod | classmethod):
        found = found.__func__
    return inspect.signature(found)


def _binds(found, args: str, bound: bool) -> str | None:
    positional, keywords = _arguments(args)
    partial = "..." in positional  # the rest left out on purpose
    positional = [a for a in positional if a not in ("...", "*")]
    if isinstance(found, classmethod):
        bound = True
    try:
        signature = _signature(found)
    except (TypeError, ValueError):
        return None  # a builtin without a signature: nothing to hold it to
    params = list(signature.parameters.values())[1 if bound else 0 :]
    try:
        signature = inspect.Signature(params)
        (signature.bind_partial if partial else signature.bind)(*positional, **keywords)
    except TypeError as exc:
        return str(exc)
    for i, written in enumerate(positional):
        named = [p.name for p in params]
        if written.isidentifier() and written in named and named.index(written) != i:
            return f"'{written}' is written where '{named[i]}' goes"
    return None


def _returns(found):
    """The class a function's return annotation names, where it can be found."""
    function = found.__func__ if isinstance(found, staticmethod | classmethod) else found
    function = inspect.unwrap(function)
    annotation = getattr(function, "__annotations__", {}).get("return")
    if not isinstance(annotation, str) or not annotation.isidentifier():
        return annotation if inspect.isclass(annotation) else None
    module = importlib.import_module(function.__module__)
    found = getattr(module, annotation, None)
    return found if inspect.isclass(found) else None


DOCUMENTED = [
    (module, chain)
    for module in _modules()
    for chain in documented_calls(importlib.import_module(module).__doc__ or "")
]


def test_modules_document_their_calls():
    assert len(DOCUMENTED) > 50, "the reader of documented calls finds too few"


def _example(a, b, c=1, *, d=2):
    return a


class _Thing:
    def __init__(self, words):
        self.words = words

    def find(self, word: str) -> _Thing:
        return self

    @classmethod
    def made(cls, words) -> _Thing:
        return cls(words)


@pytest.mark.parametrize(
    ("chain", "wrong"),
    [
        ("_example(a, b)", None),
        ("_example(a, b, c, d=4)", None),
        ("_example(x, y)", None),  # names that describe the arguments, not the parameters
        ("_example(a)", "missing a required argument: 'b'"),
        ("_example(a, b, c, d)", "too many positional arguments"),
        ("_example(a, b, e=1)", "got an unexpected keyword argument 'e'"),
        ("_example(b, a)", "'b' is written where 'a' goes"),
        ("_missing(a)", "_missing is not in the module"),
        ("_Thing(words).find(word)", None),
        ("_Thing(words).find(word).find(word)", None),  # what find gives, from its annotation
        ("_Thing().find(word)", "missing a required argument: 'words'"),
        ("_Thing(words).find()", "missing a required argument: 'word'"),
        ("_Thing(words).lose(word)", "lose is not an attribute of"),
        ("_Thing.made(words).find(word)", None),
        ("_Thing.find(word)", None),  # a method named through its class: self is not written
        ("_thing.find(word)", None),  # a method of an instance named after its class
        ("_thing.find(word, more)", "too many positional arguments"),
        ("_example(a, ...)", None),  # the rest left out on purpose
        ("_example(...)", None),
        ("_example(a, b, *, d=3)", None),
        ("_example(a, ..., e=1)", "got an unexpected keyword argument 'e'"),
        ("_Thing(...).find(word)", None),
    ],
)
def test_the_check_finds_what_does_not_fit_and_only_that(chain, wrong):
    found = problem_with(chain, globals())
    assert (found is None) if wrong is None else (found is not None and wrong in found), found


@pytest.mark.parametrize(("module", "chain"), DOCUMENTED, ids=[f"{m}: {c}" for m, c in DOCUMENTED])
def test_a_documented_call_fits_the_code(module, chain):
    namespace = vars(importlib.import_module(module))
    wrong = problem_with(chain, namespace)
    assert wrong is None, f"{module}'s docstring documents {chain}, which does not fit: {wrong}."
