"""Password logins cannot be guessed quickly, cannot probe names, and cannot stall the server.

Real asyncssh clients against an in-process server on loopback; small limits
and cheap delays keep each test to a few seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import statistics
import time

import asyncssh
import pytest
from serve_testkit import asyncssh_options

from tutor.serve.auth import Admission
from tutor.serve.limits import Limits
from tutor.serve.passwords import hash_password

pytestmark = pytest.mark.e2e

FAST = dict(fail_delay=0.0, name_burst=1000, source_burst=1000)


class Guesser(asyncssh.SSHClient):
    """Tries one password after another on the same connection."""

    def __init__(self, guesses: list[str]) -> None:
        self.guesses = list(guesses)
        self.tried = 0

    def password_auth_requested(self) -> str | None:
        if not self.guesses:
            return None
        self.tried += 1
        return self.guesses.pop(0)


async def _login(port: int, user: str, password: str, source: str = "127.0.0.1") -> bool:
    """True when `user` logs in with `password` from `source`."""
    try:
        conn = await asyncssh.connect(**asyncssh_options(port, username=user, password=password,
                                                         local_addr=(source, 0)))
    except (asyncssh.PermissionDenied, asyncssh.DisconnectError):
        return False
    conn.close()
    await conn.wait_closed()
    return True


async def _door(make_class, **limits: object) -> int:
    door = Admission(passwords={"dana": hash_password("s3cret")})
    port, _ = await make_class(admission=door, limits=Limits(**limits), zygote=False)
    return port


async def test_one_connection_gets_a_few_guesses_not_a_hundred(make_class) -> None:
    port = await _door(make_class, auth_tries=3, **FAST)
    guesser = Guesser([f"guess{i}" for i in range(100)])
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError,
                        asyncssh.ConnectionLost)):
        await asyncssh.connect(**asyncssh_options(port, username="dana"),
                               client_factory=lambda: guesser)
    assert guesser.tried == 3


async def test_wrong_passwords_throttle_the_name_then_it_recovers(make_class) -> None:
    port = await _door(make_class, name_burst=3, name_refill=1.5, fail_delay=0.0,
                       source_burst=1000)
    for i, source in enumerate(["127.0.0.2", "127.0.0.3", "127.0.0.4"]):
        assert not await _login(port, "dana", f"wrong{i}", source)
    assert not await _login(port, "dana", "s3cret", "127.0.0.5")  # the name is throttled
    await asyncio.sleep(1.6)
    assert await _login(port, "dana", "s3cret", "127.0.0.5")


async def test_wrong_passwords_throttle_the_source_whatever_the_name(make_class) -> None:
    port = await _door(make_class, source_burst=3, source_refill=60.0, fail_delay=0.0,
                       name_burst=1000)
    for name in ("ann", "bea", "cy"):
        assert not await _login(port, name, "s3cret", "127.0.0.7")
    assert not await _login(port, "dana", "s3cret", "127.0.0.7")  # this address waits
    assert await _login(port, "dana", "s3cret", "127.0.0.8")  # others do not


async def test_every_no_takes_the_failure_delay(make_class) -> None:
    port = await _door(make_class, fail_delay=0.4, name_burst=1000, source_burst=1000)
    for user in ("dana", "nobody"):
        started = time.monotonic()
        assert not await _login(port, user, "wrong")
        assert time.monotonic() - started >= 0.4


async def _time_failure(port: int, user: str) -> float:
    started = time.perf_counter()
    assert not await _login(port, user, "wrong")
    return time.perf_counter() - started


async def test_an_unknown_name_answers_as_slowly_as_a_known_one(make_class) -> None:
    """No delay floor here: the hashing alone must not tell names apart."""
    port = await _door(make_class, **FAST)
    known, unknown = [], []
    for _ in range(5):
        known.append(await _time_failure(port, "dana"))
        unknown.append(await _time_failure(port, "nobody"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.6 < ratio < 1.6, (known, unknown)


async def test_password_hashing_does_not_stall_the_event_loop(make_class) -> None:
    """Two slow hashes at once; the server's loop must keep ticking meanwhile.

    On the loop, each would stall it for a whole hash; the bound is half of one
    hash's time, measured here, so a slow machine slows both sides alike."""
    started = time.perf_counter()
    stored = _slow_hash("s3cret")
    one_hash = time.perf_counter() - started
    port, _ = await make_class(admission=Admission(passwords={"dana": stored}),
                               limits=Limits(**FAST), zygote=False)
    gaps: list[float] = []

    async def tick() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = asyncio.get_running_loop().create_task(tick())
    try:
        results = await asyncio.gather(*[_login(port, "dana", f"wrong{i}") for i in range(2)])
    finally:
        ticker.cancel()
    assert results == [False] * 2
    assert max(gaps) < one_hash / 2, f"stalled {max(gaps):.3f} s; a hash: {one_hash:.3f} s"


def _slow_hash(password: str) -> str:
    """An scrypt hash costing about four times the default (N = 2^16, 64 MiB)."""
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**16, r=8, p=1, dklen=32,
                            maxmem=256 * 1024 * 1024)
    return f"scrypt${2**16}$8$1${salt.hex()}${digest.hex()}"
