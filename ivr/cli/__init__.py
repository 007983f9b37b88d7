"""The `ivr` command: check scripts, try them in a terminal, connect a Twilio number.

    ivr validate [PATH...] [--tables]          lint scripts (default scripts/; exit 1 on error)
    ivr simulate --channel sms|voice|whatsapp [SCRIPT]
                                               a conversation through the real engine
    ivr configure-number NUMBER --base-url URL point a Twilio number at the app
    ivr whatsapp-templates [--prune]           make WhatsApp's menus to tap (Content API)
    ivr graph SCRIPT [--format mermaid|dot|markdown] [--channel voice|sms|whatsapp]
                                               draw a script's flow
    ivr import GUIDE [--output SCRIPT]         draft a script from a written guide
    ivr report [LOGFILE...] [--format text|json|mermaid] [--since T] [--until T]
                                               how scripts are used, from the app's logs
    ivr stamp SCRIPT --language TAG            mark a language's checked translations
    ivr redact [--number N...] [--older-than 4h] [--dry-run]
                                               delete the helpline's records at Twilio
    ivr understand TEXT [--channel sms|voice] [--at NODE] [--script PATH]
                                               which words and rules decided a meaning

One module per command (validate.py, simulate.py, ...), each registering itself on the
group in group.py; common.py holds what several share. Domain errors become
click.ClickException at this edge, so people see a sentence and never a traceback.
Only the domain is imported up front: no command module loads flask or twilio at import;
configure-number and redact import the Twilio REST edge when they run.
"""

# Imported for their side effect: each adds its command to `main`.
from ivr.cli import (  # noqa: F401
    configure_number,
    graph,
    import_guide,
    redact,
    report,
    simulate,
    stamp,
    understand,
    validate,
    whatsapp,
)
from ivr.cli.group import main

__all__ = ["main"]
