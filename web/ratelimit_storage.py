"""In-process rate-limit counters that do not start a thread per request.

The ``limits`` library's ``memory://`` storage drops expired counters from a ``threading.Timer`` of 10 ms,
and starts a new timer thread on the next counter update once the last one has run: on a steadily used
web worker that is a new thread for nearly every resident message (``Thread.start`` waits until the
thread runs: ~0.1 ms of CPU and up to 0.5 ms of the resident's wait, measured with benchmarks/roundtrip.py).
Expired counters are also dropped when they are read, so the sweep only keeps memory small; this
storage does it inline, at most once a second, in the request that updates a counter.

Registered as ``tinget-memory://`` (``limits`` registers every Storage subclass by its scheme) and used
when ``REDIS_URL`` is not set. Checked against the pinned ``limits`` (requirements/app.lock) by
tests/web/test_rate_limit_storage.py: it overrides one private method of ``MemoryStorage``.
"""

from __future__ import annotations

import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class QuietMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["tinget-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)  # starts one 10 ms timer, once
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces MemoryStorage.__schedule_expiry
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()
