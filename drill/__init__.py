"""The drill: a real gunicorn on loopback, driven the way a bad day would drive it.

    python3 dev.py drill [--short] [--seed N] [--only bad-day|flood]

Phases, each against `gunicorn app:app` with this repo's gunicorn.conf.py (drill.server):
a surge of signed voice and SMS conversations, each reply checked against the engine's
own answer (drill.conversations); the same surge while a worker is SIGKILLed; while 200
connections stall mid-body and 200 sit idle (drill.attack); while the master is sent
SIGTERM; and (full run only) SIGTERM again at saturation. It prints one table: requests,
5xx, mismatches, lost replies, refused connections, p50/p99. A second table floods a
fresh server with new slow connections at rising rates (drill.flood) and times texts and
calls beside each (drill.run.flood_row). Loopback only, bounded in
time, and every process it starts is stopped before it returns (drill.run).
"""
