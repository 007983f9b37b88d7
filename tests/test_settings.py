"""Every environment variable is read in ivr/settings.py (each kind of value in
ivr/setting_kinds.py), described there once, and the README's table is made from that
description: they cannot disagree."""

from __future__ import annotations

import ast
import re

import pytest

from ivr import setting_kinds as kinds
from ivr import settings
from ivr.errors import ConfigError
from ivr.settings import SETTINGS

from support import ROOT

# For each kind of value, values it must refuse (the test fails for a kind not listed here,
# so a new kind comes with the values that show its sentence).
REFUSED = {
    kinds.Whole: lambda kind: [str(kind.high + 1), "ten", "³", "-1", "1.5"],
    kinds.Seconds: lambda kind: [str(kind.high + 1), "0.1", "nan", "inf", "four", "٣"],
    kinds.Flag: lambda kind: ["maybe", "2"],
    kinds.OneOf: lambda kind: ["VERBOSE", "inf0"],
    kinds.Secret: lambda kind: (
        (["x" * (kind.shortest - 1)] if kind.shortest > 1 else [])
        + ([f"{'y' * kind.shortest},short"] if kind.many else [])
    ),
    kinds.Numbers: lambda kind: ["07700900123", "+447700900123,44", "+44 7700 900123, abc"],
    kinds.BaseUrl: lambda kind: ["public.example", "https://x.org/helpline", "HTTPS://x.org"],
    kinds.ServiceUrl: lambda kind: ["localhost:6379", "ftp://x.org", "http ://x"],
    kinds.AccountSid: lambda kind: ["SK" + "0" * 32, "AC123", "ac" + "0" * 32],
    kinds.Sender: lambda kind: ["07700900123", "MG123", "+44 7700 900123"],
    kinds.Retired: lambda kind: ["4"],
    kinds.Text: lambda kind: [],
    kinds.Patterns: lambda kind: [],
}


def cases():
    for setting in SETTINGS:
        for raw in REFUSED[type(setting.kind)](setting.kind):
            yield pytest.param(setting, raw, id=f"{setting.name}={raw}")


@pytest.mark.parametrize(("setting", "raw"), list(cases()))
def test_a_value_that_cannot_be_used_gets_one_sentence_naming_the_variable(setting, raw):
    with pytest.raises(ConfigError) as raised:
        settings.read({setting.name: f"  {raw} "}, setting.name)
    said = str(raised.value)
    assert said.startswith(f"{setting.name} is ") and said.endswith(".") and "\n" not in said
    if isinstance(setting.kind, kinds.Secret):
        assert raw not in said  # a secret is never repeated where a log would keep it
    else:
        assert f"'{raw}'" in said


def test_every_kind_of_value_has_values_it_refuses():
    kinds = {type(s.kind) for s in SETTINGS}
    assert kinds <= set(REFUSED), f"Add to REFUSED: {kinds - set(REFUSED)}"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_unset_or_blank_is_the_default(setting):
    assert settings.read({}, setting.name) == setting.default
    assert settings.read({setting.name: "  "}, setting.name) == setting.default
    assert setting.meaning.strip() and setting.name.isupper()


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("IVR_SMS_IDLE_MINUTES", "45", 45),
        ("IVR_DEVELOPMENT", "TRUE", True),
        ("IVR_DEVELOPMENT", "0", False),
        ("IVR_LOG_LEVEL", "debug", "DEBUG"),
        ("IVR_TEXT_TIMEOUT_SECONDS", "0.5", 0.5),
        ("IVR_SCRIPTS", "a.yaml, scripts/*.yaml,", ("a.yaml", "scripts/*.yaml")),
        ("IVR_SCRIPTS", " , ", (settings.DEFAULT_SCRIPTS,)),
        ("PUBLIC_BASE_URL", "https://helpline.example.org/", "https://helpline.example.org"),
        ("IVR_TWILIO_API_URL", "http://127.0.0.1:8123/", "http://127.0.0.1:8123"),
        ("REDIS_URL", "rediss://:pw@redis.example:6380/1", "rediss://:pw@redis.example:6380/1"),
        ("IVR_TEXT_FROM", "+447700900999", "+447700900999"),
        ("SECRET_KEY_FALLBACKS", f" {'a' * 16} , ,{'b' * 20}", ("a" * 16, "b" * 20)),
        (
            "IVR_HELPLINE_NUMBERS",
            "+44 7700 900999, +447700900888,",
            ("+447700900999", "+447700900888"),
        ),
        ("IVR_TEXT_FROM", "MG" + "a" * 32, "MG" + "a" * 32),
        ("TWILIO_ACCOUNT_SID", "AC" + "f" * 32, "AC" + "f" * 32),
    ],
)
def test_a_usable_value_is_read(name, raw, value):
    assert settings.read({name: raw}, name) == value


def test_the_readme_table_is_made_from_the_settings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings.with_table(readme) == readme, (
        "README.md's configuration table differs from ivr/settings.py; run "
        "`.venv/bin/python -m ivr.settings README.md` to write it again."
    )
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in readme


def test_an_api_key_without_its_secret_is_refused_and_the_key_wins_over_the_token():
    with pytest.raises(ConfigError, match="TWILIO_API_SECRET is not set, but its partner is"):
        settings.credentials({"TWILIO_API_KEY": "SK1"})
    account = "AC" + "0" * 32
    both = settings.credentials(
        {"TWILIO_ACCOUNT_SID": account, "TWILIO_AUTH_TOKEN": "t", "TWILIO_API_KEY": "SK1",
         "TWILIO_API_SECRET": "s"}
    )  # fmt: skip
    assert both.login == ("SK1", "s") and not both.missing
    token = settings.credentials({"TWILIO_ACCOUNT_SID": account, "TWILIO_AUTH_TOKEN": "t"})
    assert token.login == (account, "t")
    assert settings.credentials({"TWILIO_AUTH_TOKEN": "t"}).missing.startswith(
        "TWILIO_ACCOUNT_SID is not set."
    )


# -- Read in one place ---------------------------------------------------------------------

READERS = sorted([*(ROOT / "ivr").rglob("*.py"), ROOT / "app.py", ROOT / "gunicorn.conf.py"])


def _reads_the_environment(tree: ast.AST) -> list[int]:
    """Lines that take a value out of os.environ (or os.getenv), or out of a mapping named
    env, as create_app and the REST edge call theirs. (WSGI's `environ` is a request.)"""
    found = []
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "getenv":
                found.append(node.lineno)
            elif node.func.attr in ("get", "pop", "setdefault", "__getitem__"):
                target = node.func.value
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            target = node.value
        named = isinstance(target, ast.Name) and target.id == "env"
        environ = (
            isinstance(target, ast.Attribute)
            and target.attr == "environ"
            and isinstance(target.value, ast.Name)
            and target.value.id == "os"
        )
        if named or environ:
            found.append(node.lineno)
    return found


@pytest.mark.parametrize("path", READERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_settings_module_reads_the_environment(path):
    if path == ROOT / "ivr" / "settings.py":
        return
    lines = _reads_the_environment(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, (
        f"{path.relative_to(ROOT)} reads the environment at lines {lines}: add the variable "
        "to SETTINGS in ivr/settings.py and use settings.read(env, NAME)."
    )


def test_the_environment_reader_finds_what_it_looks_for():
    code = "a = env.get('X')\nb = os.environ['Y']\nc = environ['Z']\nd = os.getenv('W')"
    assert sorted(_reads_the_environment(ast.parse(code))) == [1, 2, 4]


def test_the_phone_number_pattern_is_written_once():
    pattern = re.compile(r"6,14\}")
    holders = [p.relative_to(ROOT).as_posix() for p in READERS if pattern.search(p.read_text())]
    assert holders == ["ivr/phone_numbers.py"]
