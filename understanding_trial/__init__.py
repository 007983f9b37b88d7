"""What the line understands, measured on phrases nobody tuned it on (issue 19).

`python3 dev.py understanding` (or `python -m understanding_trial`) sends every phrase of
each held-out file, tests/corpus/held-out/en-GB*.txt, through the real signed webhooks in
four contexts (a first text, a text part-way through the steps, spoken at the main menu,
spoken in the steps) and prints, per class, how many replies were right, crisis recall,
and false alarms: ordinary messages taken for danger, adults taken for children.

A held-out file is written by someone who has not seen the lexicon. One whose header says
SEALED is never tuned against: the tool prints its rates only, and `--misses` (which
lists the phrases got wrong) refuses it. A file unsealed after a final measurement is a
development set; its header says so.
Results, dated, are kept in RESULTS.md beside this package.

    phrase_file.py     reading the ANSWER<TAB>PHRASE file and its classes
    conversations.py   the webhooks, signed as Twilio signs, and where each reply left someone
    measure.py         judging each reply against its answer, and the tables
"""
