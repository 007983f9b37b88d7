"""What the line understands, measured on phrases nobody tuned it on (issue 19).

`python3 dev.py understanding` (or `python -m understanding_trial`) sends every phrase of
the held-out file, tests/corpus/held-out/en-GB.txt, through the real signed webhooks in
four contexts (a first text, a text part-way through the steps, spoken at the main menu,
spoken in the steps) and prints, per class, how many replies were right, crisis recall,
and false alarms: ordinary messages taken for danger, adults taken for children.

The held-out file is sealed: it is written by someone who has not seen the lexicon, and
nothing is tuned against it. So the tool prints rates only; `--misses` lists the phrases
it got wrong, for the notes of a final measurement, never for adding them to the lexicon.
Results, dated, are kept in RESULTS.md beside this package.

    phrase_file.py     reading the ANSWER<TAB>PHRASE file and its classes
    conversations.py   the webhooks, signed as Twilio signs, and where each reply left someone
    measure.py         judging each reply against its answer, and the tables
"""
