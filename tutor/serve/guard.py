"""Password checks that cannot be used to guess quickly, to probe names, or to stall the server.

- Every check hashes (a dummy hash stands in for an unknown name), so the time
  of an answer does not tell whether a name has a password.
- Every "no" takes at least `fail_delay` seconds.
- Failures are counted per learner name and per source address in token
  buckets; an empty bucket answers "no" without checking, until it refills.
- scrypt runs in a small thread pool, never on the event loop, so guessing
  clients do not slow down anyone's keystrokes.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tutor.serve.limits import Limits, Tally
from tutor.serve.names import learner_name
from tutor.serve.passwords import hash_password, verify_password

HASH_THREADS = 2
MAX_PASSWORD = 1024  # characters; longer guesses are refused without hashing


@dataclass
class Bucket:
    """A token bucket: `burst` tokens, one more every `refill` seconds."""

    burst: int
    refill: float
    tokens: float = field(default=-1.0)
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = float(self.burst)

    def _top_up(self) -> None:
        now = time.monotonic()
        self.tokens = min(float(self.burst), self.tokens + (now - self.stamp) / self.refill)
        self.stamp = now

    def has_token(self) -> bool:
        """True while a failure may still be spent."""
        self._top_up()
        return self.tokens >= 1.0

    def spend(self) -> None:
        """Take one token for a failure."""
        self._top_up()
        self.tokens = max(0.0, self.tokens - 1.0)

    def full(self) -> bool:
        """True once the bucket has refilled (it can then be forgotten)."""
        self._top_up()
        return self.tokens >= self.burst


class PasswordGuard:
    """Checks passwords against the file's hashes under the limits above."""

    def __init__(self, passwords: dict[str, str], limits: Limits, tally: Tally) -> None:
        self.passwords = passwords
        self.limits = limits
        self.tally = tally
        self._dummy = _dummy_hash(passwords)
        self._names: dict[str, Bucket] = {}
        self._sources: dict[str, Bucket] = {}
        self._pool = ThreadPoolExecutor(HASH_THREADS, thread_name_prefix="gd-tutor-scrypt")

    async def check(self, username: str, password: str, source: str) -> bool:
        """True when `password` is the learner's; a "no" takes at least `fail_delay` s."""
        started = time.monotonic()
        name = learner_name(username) or username.lower()[:64]
        if self._throttled(name, source) or len(password) > MAX_PASSWORD:
            await _sleep_until(started + self.limits.fail_delay)
            return False
        stored = self.passwords.get(name)
        loop = asyncio.get_running_loop()
        ok = await loop.run_in_executor(self._pool, verify_password, password,
                                        stored or self._dummy)
        if ok and stored is not None:
            return True
        self._bucket(self._names, name, self.limits.name_burst, self.limits.name_refill).spend()
        self._bucket(self._sources, source, self.limits.source_burst,
                     self.limits.source_refill).spend()
        await _sleep_until(started + self.limits.fail_delay)
        return False

    def _throttled(self, name: str, source: str) -> bool:
        for table, key, what in ((self._names, name, f"the name '{name}'"),
                                 (self._sources, source, f"the address {source}")):
            bucket = table.get(key)
            if bucket is not None and not bucket.has_token():
                self.tally.note("password throttle", f"too many wrong passwords for {what}; "
                                "its password logins are refused for a while.")
                return True
        return False

    def _bucket(self, table: dict[str, Bucket], key: str, burst: int,
                refill: float) -> Bucket:
        if len(table) > 10_000:  # forget the ones that have refilled: memory stays bounded
            for stale in [k for k, b in table.items() if b.full()]:
                del table[stale]
        return table.setdefault(key, Bucket(burst, refill))

    def close(self) -> None:
        """Stop the hashing threads (waits for a check in progress)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _dummy_hash(passwords: dict[str, str]) -> str:
    """A hash with the same cost as the file's first entry, for names that have none."""
    first = next(iter(passwords.values()), None)
    if first is None:
        return hash_password("")
    scheme, n, r, p, salt, digest = first.split("$")
    return f"{scheme}${n}${r}${p}${'00' * 16}${'00' * (len(digest) // 2)}"


async def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)
