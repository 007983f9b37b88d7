"""Benchmarks: `python3 dev.py bench` runs them all and prints ratios, never pass/fail.

    minimal.py       the yardstick: the smallest correct Twilio webhook in Flask
    workloads.py     the four requests measured, signed as Twilio signs them, for both apps
    in_process.py    both apps called through WSGI in one process, interleaved rounds
    loopback.py      both apps under a real gunicorn (this repo's gunicorn.conf.py)
    load_client.py   the closed-loop HTTP client loopback.py starts in its own process
    script_load.py   load and lint time and memory of generated scripts, 10 to 10,000 nodes
    report_day.py    `ivr report` over a day of logs (run on its own, not by dev.py bench)

This machine, like most, is shared and noisy, so every figure that matters is a ratio
between two things measured side by side in the same run, never an absolute time.
"""
