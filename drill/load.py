"""A bounded surge of signed conversations from a few threads, tallied as it goes.

    surge(port, scripts, seconds, concurrency, seed, stop=None) -> Tally

Each thread keeps one conversation going (a call or a text thread, by turns) and starts
another when it ends. Everything stops at the deadline, or earlier when `stop` is set.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from drill.conversations import Caller, Texter
from ivr.script import Script

REFUSED_PAUSE = 0.05  # a refused connect is instant: don't spin while the server is away


@dataclass
class Tally:
    requests: int = 0  # reached the server (connected)
    answered: int = 0
    server_errors: int = 0  # 5xx
    other_status: int = 0  # 403, 404, 413...: never expected in the drill
    mismatches: int = 0
    lost: int = 0  # connected, and no whole reply came back
    refused: int = 0  # could not connect: never reached the server
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, turn) -> None:
        outcome = turn.outcome
        with self.lock:
            if outcome.refused:
                self.refused += 1
                return
            self.requests += 1
            if outcome.lost:
                self.lost += 1
                return
            self.answered += 1
            self.latencies.append(outcome.ms)
            if outcome.status >= 500:
                self.server_errors += 1
            elif outcome.status != 200:
                self.other_status += 1
            self.mismatches += turn.mismatch

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def surge(
    port: int,
    scripts: list[Script],
    seconds: float,
    concurrency: int,
    seed: int,
    stop: threading.Event | None = None,
) -> Tally:
    tally = Tally()
    stop = stop or threading.Event()
    deadline = time.monotonic() + seconds

    def talk(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        kinds = (Caller, Texter) if index % 2 else (Texter, Caller)
        n = 0
        while time.monotonic() < deadline and not stop.is_set():
            conversation = kinds[n % 2](rng.choice(scripts), rng)
            n += 1
            while not conversation.over and time.monotonic() < deadline and not stop.is_set():
                turn = conversation.turn(port)
                tally.add(turn)
                if turn.outcome.refused:
                    time.sleep(REFUSED_PAUSE)
                    break

    threads = [threading.Thread(target=talk, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    return tally
