"""Layers, derived from the package itself: every module under ivr/ is classified, so a
new module is checked the day it is added (anything not named below counts as domain).

    domain    imports neither flask, werkzeug, twilio, requests nor click; nor any outer layer
    channels  TwiML with twilio; never flask, never the web layer
    edge      ivr.twilio_api, ivr.twilio_redact and ivr.twilio_templates, Twilio's REST
              API; never flask
    web       ivr.web.*: the Flask app
    cli       ivr.cli and its command modules: importing it loads the domain only
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys

import pytest

import ivr

from support import ROOT

THIRD_PARTY_EDGES = {"flask", "werkzeug", "twilio", "requests", "click"}
# What each layer may not import: third-party packages and our own outer layers.
EDGE = ("ivr.twilio_api", "ivr.twilio_redact", "ivr.twilio_templates")
FORBIDDEN = {
    "domain": THIRD_PARTY_EDGES | {"ivr.channels", "ivr.web", "ivr.cli", *EDGE},
    "channels": {"flask", "werkzeug", "requests", "click", "ivr.web", "ivr.cli", *EDGE},
    "edge": {"flask", "werkzeug", "click", "ivr.channels", "ivr.web", "ivr.cli"},
    # ivr.twilio_api only lazily (see the test below); deleting records and
    # making templates are the CLI's alone
    "web": {"click", "ivr.cli", "ivr.twilio_redact", "ivr.twilio_templates"},
    "cli": set(),  # checked at import time below: its top level loads the domain only
}


def layer(module: str) -> str:
    if module == "ivr.cli" or module.startswith("ivr.cli."):
        return "cli"
    if module in EDGE:
        return "edge"
    if module.startswith("ivr.channels"):
        return "channels"
    if module.startswith("ivr.web"):
        return "web"
    return "domain"


MODULES = sorted(["ivr"] + [m.name for m in pkgutil.walk_packages(ivr.__path__, prefix="ivr.")])


def _source(module: str):
    path = ROOT / module.replace(".", "/")
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _imports(module: str) -> set[str]:
    tree = ast.parse(_source(module).read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return found


def test_the_package_is_walked_whole():
    # Every .py file under ivr/ is a module the checks below see.
    files = {p.relative_to(ROOT).with_suffix("") for p in (ROOT / "ivr").rglob("*.py")}
    names = {".".join(p.parts).removesuffix(".__init__") for p in files}
    assert names == set(MODULES)
    assert {layer(m) for m in MODULES} == set(FORBIDDEN)


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_only_what_its_layer_may(module):
    banned = FORBIDDEN[layer(module)]
    for name in _imports(module):
        hit = [b for b in banned if name == b or name.startswith(b + ".")]
        assert not hit, f"{module} ({layer(module)}) imports {name}"


def _loaded_after_importing(names: list[str]) -> list[str]:
    # A fresh interpreter, so nothing imported by other tests can hide a leak.
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        f"loaded = {{m.split('.')[0] for m in sys.modules}}\n"
        f"print(sorted(loaded & set({sorted(THIRD_PARTY_EDGES)!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_importing_the_whole_domain_loads_no_web_or_twilio_package():
    domain = [m for m in MODULES if layer(m) == "domain"]
    assert _loaded_after_importing(domain) == "[]"


def test_importing_the_cli_loads_neither_flask_nor_twilio():
    # validate, simulate and graph serve a person at a terminal: no web layer, no Twilio.
    assert _loaded_after_importing(["ivr.cli"]) == "['click']"


def test_the_web_layer_loads_the_rest_edge_only_when_it_sends():
    # Webhook workers start without twilio.rest; the first text imports it.
    for module in [m for m in MODULES if layer(m) == "web"]:
        top = ast.parse(_source(module).read_text()).body
        for node in top:
            names = [a.name for a in getattr(node, "names", [])]
            assert "ivr.twilio_api" not in names and getattr(node, "module", "") != (
                "ivr.twilio_api"
            ), f"{module} imports ivr.twilio_api at the top"
            assert not (getattr(node, "module", "") == "ivr" and "twilio_api" in names), module
    code = (
        "import sys\n"
        "from ivr.web import create_app\n"
        "create_app({'IVR_DEVELOPMENT': '1', 'TWILIO_ACCOUNT_SID': 'AC' + '0' * 32,"
        " 'TWILIO_AUTH_TOKEN': 'x' * 32})\n"
        "print('twilio.rest' in sys.modules, 'ivr.twilio_api' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def _named_modules(module: str) -> set[str]:
    """Our modules that `module` imports by name, anywhere in it (an import inside a
    function is still a dependency): `from ivr.x import y` names ivr.x.y where that is a
    module, else ivr.x; relative imports are resolved."""
    source = _source(module)
    package = module if source.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in MODULES}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                name = f"{base}.{alias.name}"
                found |= {name} if name in MODULES else {base} if base in MODULES else set()
    return found - {module}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle in the graph, as the modules along it (empty where there is none)."""
    state: dict[str, str] = {}  # "open" while on the path being walked, then "done"
    path: list[str] = []

    def walk(module: str) -> list[str]:
        state[module] = "open"
        path.append(module)
        for name in sorted(graph[module]):
            if state.get(name) == "open":
                return [*path[path.index(name) :], name]
            if name not in state and (found := walk(name)):
                return found
        state[module] = "done"
        path.pop()
        return []

    for module in sorted(graph):
        if module not in state and (found := walk(module)):
            return found
    return []


def test_no_module_imports_its_way_back_to_itself():
    # A cycle makes import order matter (the first module imported sees the other half
    # built) and hides which of two layers sits on the other: imports point one way.
    cycle = _cycle({m: _named_modules(m) for m in MODULES})
    assert not cycle, f"Import cycle: {' -> '.join(cycle)}. Move what both need below both."


def test_the_cycle_check_finds_a_cycle_and_passes_a_chain():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []
