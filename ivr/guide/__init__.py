"""Written guides: reading one, drafting a script from it, and keeping a script faithful.

    written.py    read_guide(path): a guide in the series' fixed shape, or GuideError
    facts.py      facts(written): every sentence, service, number and link it says
    fidelity.py   what of those a channel of a script never says (ivr.lint.fidelity)
    draft.py      draft(...): a script saying the guide in its own words (`ivr import`)
    routes.py     the danger answer and the resources, as a draft says them
    yaml_out.py   the draft written as YAML a person edits, its decisions marked
    importing.py  import_guide(guide, script): the draft, linted as if decided, and any
                  rule the guide's own words break marked as a decision too

Pure domain: no flask, no twilio.
"""
