"""Helpline IVR: a UK first-steps helpline on SMS and voice through Twilio.

Layers, importing one way only:
    domain    ivr.script, ivr.loader, ivr.lint, ivr.engine (+ gsm7, spoken, matching)
              imports neither flask nor twilio
    channels  ivr.channels.voice, ivr.channels.sms: TwiML with the twilio package
    web       ivr.web: the Flask app; cli: ivr.cli
"""
