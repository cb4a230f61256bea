"""A limit on guessing workshop join codes: a few wrong codes a minute per browser session and per address.

A join code is 40 bits (proofing.workshop.new_code), and this makes guessing slower still: after ``LIMIT`` wrong
codes within ``WINDOW_SECONDS`` from one browser session, or from one network address (whatever session it uses),
every try from it is refused, right or wrong, until the oldest wrong code is a window old. The page says how long
to wait, in words. The counts live in this server process's memory (a restart forgets them; behind a load
balancer each process counts its own tries, so the limit is per process).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

from proofing.errors import N_
from proofing.workshop import Workshop
from proofing.workshop_store import WorkshopError, Workshops

LIMIT = 5  # wrong codes allowed within the window
WINDOW_SECONDS = 60.0
MAX_KEYS = 100_000  # sessions and addresses remembered at once; the oldest are forgotten past this


class TooManyTries(WorkshopError):
    """Too many wrong join codes from this browser session or address: wait `wait_seconds` before trying again."""

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(N_("too many wrong join codes from here: wait {n} seconds, then try again"), n=wait_seconds)


class JoinGuard:
    """Wrong join codes counted per key (a browser session, an address) over a sliding window; thread-safe."""

    def __init__(
        self, limit: int = LIMIT, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._wrong: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, keys: Iterable[str]) -> int:
        """Whole seconds until these keys may try a code again (0: now)."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.limit:
                    longest = max(longest, times[-self.limit] + self.window - now)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, keys: Iterable[str]) -> None:
        """Count one wrong code against each of these keys."""
        now = self.clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            while len(self._wrong) > MAX_KEYS:
                self._wrong.pop(next(iter(self._wrong)))

    def find(self, workshops: Workshops, code: str, keys: Iterable[str], participant: str | None = None) -> Workshop:
        """The workshop this join code opens, for a person known by `keys`; TooManyTries while they must wait,
        WorkshopError (counted as a wrong code) when no workshop answers to it."""
        keys = [key for key in keys if key]
        waiting = self.wait(keys)
        if waiting:
            raise TooManyTries(waiting)
        found = workshops.find(code, participant)
        if found is None:
            self.failed(keys)
            raise WorkshopError(N_("no workshop has this join code"))
        return found

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._wrong.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times


__all__ = ["LIMIT", "WINDOW_SECONDS", "JoinGuard", "TooManyTries"]
