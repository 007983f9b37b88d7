"""Helpline IVR: a UK first-steps helpline on SMS and voice through Twilio.

Layers, importing one way only (tests/test_layering.py classifies every module):
    domain    ivr.script, ivr.loader, ivr.lint, ivr.engine, ivr.turns, ivr.fault
              (+ gsm7, spoken, keywords, pagination, graph): imports neither flask nor twilio
    channels  ivr.channels.voice, ivr.channels.sms: TwiML with the twilio package
    edge      ivr.twilio_api: Twilio's REST API, for `ivr configure-number`
    web       ivr.web: the Flask app
    cli       ivr.cli: the `ivr` command; loads channels, web or edge only in the
              commands that need them
"""

from pathlib import Path

SCRIPTS_DIR = Path(__file__).resolve().parent.parent / "scripts"  # the shipped scripts
