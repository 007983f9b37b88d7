"""Log lines from files (plain, or gzipped as log rotation leaves them) or standard input.

    lines_of(paths, progress=None) -> Iterator[bytes]

Lines are read as bytes, in order, file after file; "-" is standard input. A file that
cannot be opened raises LogFileError with a sentence naming it. `progress(done, total,
lines)` is told, every PROGRESS_EVERY lines, how many bytes have been read, how many the
plain files hold (0 when that cannot be known: standard input only), and lines so far.
"""

from __future__ import annotations

import contextlib
import gzip
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ivr.errors import IvrError

PROGRESS_EVERY = 65_536


class LogFileError(IvrError):
    """A log file named on the command line cannot be read."""


def lines_of(
    paths: Sequence[str], progress: Callable[[int, int, int], None] | None = None
) -> Iterator[bytes]:
    sources = list(paths) or ["-"]
    total = 0
    for name in sources:
        if name != "-" and not name.endswith(".gz"):
            with contextlib.suppress(OSError):  # reported with a sentence when opened
                total += Path(name).stat().st_size
    done = lines = 0
    for name in sources:
        stream = _open(name)
        try:
            if progress is None:
                yield from stream
                continue
            for line in stream:
                lines += 1
                done += len(line)
                if not lines % PROGRESS_EVERY:
                    progress(done, total, lines)
                yield line
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise LogFileError(f"Reading {name} failed part way: {exc}. Check the file.") from None
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
    if progress is not None:
        progress(done, total, lines)


def _open(name: str):
    if name == "-":
        return sys.stdin.buffer
    path = Path(name)
    try:
        if path.is_dir():
            raise LogFileError(f"{name} is a folder; give the log files in it instead.")
        return gzip.open(path, "rb") if name.endswith(".gz") else path.open("rb")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise LogFileError(f"Cannot read the log file {name}: {reason}. Check the path.") from None
