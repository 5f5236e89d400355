"""The gate's bookkeeping and the log that cannot flood (no network: fake connections)."""

from __future__ import annotations

import asyncio

from tutor.serve.limits import Gate, Limits, Tally, files_needed, open_file_warning


class FakeConnection:
    """Stands in for an SSHServerConnection: only abort() is used by the gate."""

    def __init__(self) -> None:
        self.aborted = False

    def abort(self) -> None:
        self.aborted = True


def _gate(lines: list[str], **limits: int) -> Gate:
    return Gate(Limits(**limits), Tally(write=lines.append))


async def test_per_source_cap_turns_away_the_excess_and_logs_once() -> None:
    lines: list[str] = []
    gate = _gate(lines, max_startups=100, per_source=3)
    admitted = [gate.arrive(FakeConnection(), "10.0.0.1") for _ in range(50)]
    assert admitted.count(True) == 3 and gate.pending == 3
    assert gate.arrive(FakeConnection(), "10.0.0.2")
    assert len(lines) == 1 and "turned away a connection from 10.0.0.1" in lines[0]


async def test_a_full_gate_makes_room_from_the_busiest_address() -> None:
    gate = _gate([], max_startups=4, per_source=3)
    noisy = [FakeConnection() for _ in range(3)]
    for conn in noisy:
        assert gate.arrive(conn, "10.0.0.1")
    assert gate.arrive(FakeConnection(), "10.0.0.2")
    learner = FakeConnection()
    assert gate.arrive(learner, "10.0.0.9")  # the gate is full: the noisiest gives way
    assert noisy[0].aborted and not noisy[1].aborted and gate.pending == 4
    gate.leave(noisy[0])  # its connection_lost arrives later: counted once only
    assert gate.pending == 4


async def test_many_quiet_addresses_cannot_keep_a_newcomer_out() -> None:
    gate = _gate([], max_startups=5, per_source=5)
    quiet = [FakeConnection() for _ in range(5)]
    for i, conn in enumerate(quiet):
        assert gate.arrive(conn, f"10.0.1.{i}")
    assert gate.arrive(FakeConnection(), "10.0.0.9")
    assert quiet[0].aborted and sum(c.aborted for c in quiet) == 1  # the longest-waiting one


async def test_a_newcomer_from_the_busiest_address_is_the_one_turned_away() -> None:
    gate = _gate([], max_startups=3, per_source=3)
    first = [FakeConnection() for _ in range(2)]
    for conn in first:
        assert gate.arrive(conn, "10.0.0.1")
    assert gate.arrive(FakeConnection(), "10.0.0.2")
    assert not gate.arrive(FakeConnection(), "10.0.0.1")
    assert not any(c.aborted for c in first)


async def test_the_log_prints_the_first_of_a_kind_then_one_summary() -> None:
    lines: list[str] = []
    tally = Tally(interval=0.2, write=lines.append)
    for _ in range(1000):
        tally.note("flood", "something happened.")
    assert lines == ["gd-tutor: something happened.\n"]
    await asyncio.sleep(0.3)
    assert lines[1] == "gd-tutor: 999 more like that in the last 0.2 s (flood).\n"
    assert len(lines) == 2


def test_the_open_file_warning_names_the_limit_and_the_fix() -> None:
    limits = Limits()
    assert open_file_warning(limits, 50, files_needed(limits, 50)) is None
    warning = open_file_warning(limits, 50, 256)
    assert warning is not None and "open-file limit is 256" in warning
    assert "LimitNOFILE" in warning and "ulimit -n" in warning
