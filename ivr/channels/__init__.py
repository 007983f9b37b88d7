"""Channel renderers: engine replies as Twilio TwiML, built with the twilio package.

`voice` answers phone calls with <Gather>/<Say>; `sms` answers texts with <Message>.
Each also holds what is particular to its channel (STOP words, key presses, speech),
so the web views and the simulator share one path from input to reply.
"""
