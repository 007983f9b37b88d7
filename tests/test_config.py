"""Start correctly or not at all: settings from the environment, scripts linted at start."""

from __future__ import annotations

import re

import pytest

from ivr.errors import ConfigError
from ivr.web import create_app

from support import FIXTURES, GUIDE, SECRET, TOKEN, Call, production_env


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SECRET_KEY": SECRET}, "TWILIO_AUTH_TOKEN is not set"),
        ({"TWILIO_AUTH_TOKEN": TOKEN}, "SECRET_KEY is not set"),
        ({"TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": "short"}, "SECRET_KEY is too short"),
        (production_env(PUBLIC_BASE_URL="public.example"), "PUBLIC_BASE_URL is 'public.example'"),
        (production_env(PUBLIC_BASE_URL="https://x.org/helpline"), "which has a path"),
        (production_env(IVR_SMS_IDLE_MINUTES="soon"), "IVR_SMS_IDLE_MINUTES is 'soon'"),
        (production_env(IVR_PROXY_HOPS="-1"), "IVR_PROXY_HOPS is '-1'"),
        (production_env(IVR_SCRIPTS="/nowhere/*.yaml"), "No script files match IVR_SCRIPTS"),
        (production_env(IVR_SMS_IDLE_MINUTES="³"), "IVR_SMS_IDLE_MINUTES is '³'"),
        (production_env(IVR_BODY_SECONDS="15"), "IVR_BODY_SECONDS is '15'; set it to a whole"),
        (production_env(IVR_LOG_LEVEL="VERBOSE"), "IVR_LOG_LEVEL is 'VERBOSE'; set it to one of"),
        (production_env(IVR_LOG_LEVEL="verbose"), "IVR_LOG_LEVEL is 'verbose'; set it to one of"),
        (
            production_env(IVR_SCRIPTS=str(FIXTURES)),
            f"IVR_SCRIPTS names {FIXTURES}, which is a folder",
        ),
        (production_env(IVR_SCRIPTS="/nowhere/x.yaml"), "which does not exist"),
    ],
)
def test_a_bad_environment_stops_start_up_naming_the_variable(env, says):
    with pytest.raises(ConfigError, match=re.escape(says)) as raised:
        create_app(env)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "base",
    ["https://helpline.example.org#calls", "https://user:password@helpline.example.org",
     "HTTPS://helpline.example.org", "Https://helpline.example.org", "https://helpline example.org",
     "https://helpline.example.org ?x", "https://helpline.example.org?x=1", "ftp://helpline.example.org",
     "https://", "https://helpline.example.org:99999", "https://helpline.example.org:",
     "https://helpline.example.org:８０", "https://help\tline.example.org",
     "//helpline.example.org", "https://helpline.example.org\\", "https://-bad-.example.org", "https://a..b"],
)  # fmt: skip
def test_public_base_url_must_be_scheme_host_and_port_and_nothing_else(base):
    with pytest.raises(ConfigError) as raised:
        create_app(production_env(PUBLIC_BASE_URL=base))
    message = str(raised.value)
    assert message.startswith("PUBLIC_BASE_URL is ") and "https://helpline.example.org" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "base",
    ["https://helpline.example.org", "https://helpline.example.org/", "http://127.0.0.1:8000",
     "https://abc123.ngrok-free.app", "http://[::1]:8080", "https://Helpline.Example.org"],
)  # fmt: skip
def test_public_base_url_accepts_scheme_host_and_port(base):
    settings = create_app(production_env(PUBLIC_BASE_URL=base)).extensions["ivr"].settings
    assert settings.public_base_url == base.rstrip("/")


def test_a_script_that_cannot_be_read_is_named_in_one_sentence(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)  # reading it fails even for root, unlike a chmod
    with pytest.raises(ConfigError) as raised:
        create_app(production_env(IVR_SCRIPTS=str(loop)))
    assert str(raised.value) == (
        f"IVR_SCRIPTS names {loop}, which cannot be read (Too many levels of symbolic links); "
        "make it a readable file for the user the helpline runs as, or leave it out of IVR_SCRIPTS."
    )


def test_a_broken_script_stops_start_up_with_the_linters_message():
    broken = FIXTURES / "invalid" / "missing-target.yaml"
    with pytest.raises(ConfigError) as raised:
        create_app(production_env(IVR_SCRIPTS=str(broken)))
    message = str(raised.value)
    assert "will not start" in message
    assert f"{broken}, line 69, node 'clicked': G004 Option 1 goes to 'stepz'" in message


def test_an_app_built_again_from_the_same_files_reuses_their_check_and_sees_an_edit(copied):
    """The library remembers a checked script (ivr.library.checked) only while its file,
    its guide's and the date are unchanged: an edit to either is checked afresh."""
    script, guide = copied

    def served():
        return create_app(production_env(IVR_SCRIPTS=str(script))).extensions["ivr"].library

    first = served().default
    assert served().default is first
    script.write_text(script.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert served().default is not first
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("Samaritans on 116 123", "Samaritans on 116 124"), "utf-8")
    with pytest.raises(ConfigError) as raised:
        served()
    assert "W002" in str(raised.value) and "116 124" in str(raised.value)


def test_development_mode_starts_without_secrets_and_warns(capfd):
    create_app({"IVR_DEVELOPMENT": "1"})
    err = capfd.readouterr().err
    assert "TWILIO_AUTH_TOKEN is not set (IVR_DEVELOPMENT is on)" in err
    assert "Never run like this where the internet can reach it" in err


def test_several_scripts_are_served_and_picked_by_the_webhook_url():
    app = create_app(production_env(IVR_SCRIPTS=f"{GUIDE},{FIXTURES / 'valid.yaml'}"))
    client = app.test_client()
    assert client.get("/healthz").get_json()["scripts"] == ["link-claiming-intimate-photo", "tiny"]
    default = Call(client).start()
    assert default.says[0].startswith("If you are in immediate danger")
    tiny = Call(client).start("/voice?script=tiny")
    assert tiny.says[0] == "If you are in danger, hang up and call nine nine nine."
    # the choice of script travels on with the call
    call = Call(client)
    call.start("/voice?script=tiny")
    assert call.press("1").says[0] == "Change your passwords from another device."


def test_an_unknown_script_in_the_url_falls_back_to_the_default(client):
    assert (
        Call(client)
        .start("/voice?script=nope")
        .says[0]
        .startswith("If you are in immediate danger")
    )
