"""Text and call a running helpline as Twilio would (its parameter names, signed with the
auth token for the public address), and exit 1 unless both get the helpline's first
words. .ci/image runs it against the container image it built.

usage: .venv/bin/python .ci/answer.py http://127.0.0.1:PORT https://PUBLIC-ADDRESS TOKEN
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

ACCOUNT = "AC" + "0" * 32
HELPLINE = "+441632960000"  # Ofcom's drama range: no one's real number
CALLER = "+447700900123"


def post(local: str, public: str, token: str, path: str, params: dict) -> ET.Element:
    """POST to the app on `local`, signed for `public` as Twilio signs what it calls."""
    signature = RequestValidator(token).compute_signature(public + path, params)
    request = urllib.request.Request(
        local + path,
        data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": signature},
    )
    try:
        response = urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as refused:
        raise SystemExit(f"{path} answered {refused.code}, not 200: see the app's log.") from None
    with response:
        if not response.headers["Content-Type"].startswith("text/xml"):
            raise SystemExit(f"{path} answered {response.headers['Content-Type']}, not TwiML.")
        return ET.fromstring(response.read())


def main(local: str, public: str, token: str) -> None:
    sid = "SM" + uuid.uuid4().hex
    text = {
        "MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "AccountSid": ACCOUNT,
        "From": CALLER, "To": HELPLINE, "Body": "hello", "NumMedia": "0",
        "NumSegments": "1", "SmsStatus": "received", "ApiVersion": "2010-04-01",
    }  # fmt: skip
    reply = post(local, public, token, "/sms", text).findtext("Message") or ""
    if "999" not in reply:
        raise SystemExit(f"A first text was answered without the danger line: {reply!r}")
    call = {
        "CallSid": "CA" + uuid.uuid4().hex, "AccountSid": ACCOUNT, "From": CALLER,
        "To": HELPLINE, "Caller": CALLER, "Called": HELPLINE, "CallStatus": "ringing",
        "Direction": "inbound", "ApiVersion": "2010-04-01",
    }  # fmt: skip
    answered = post(local, public, token, "/voice", call)
    said = " ".join(answered.itertext())
    danger = "999" in said or "nine nine nine" in said  # numbers are spoken digit by digit
    if answered.find(".//Gather") is None or not danger:
        raise SystemExit(f"A call was answered without a menu and the danger line: {said!r}")
    print(f"answered a signed text ({len(reply)} characters) and a signed call")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
