"""authorized_keys options: from= and expiry-time= are honoured; the rest is refused at start."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import asyncssh
import pytest
from serve_testkit import PtyClient, needs_ssh, ssh_argv

from tutor.errors import UserError
from tutor.serve.auth import Admission, load_authorized_keys
from tutor.serve.keyopts import AddressPatterns, parse_expiry


@pytest.mark.parametrize("patterns,address,allowed", [
    ("10.0.0.0/8", "10.2.3.4", True), ("10.0.0.0/8", "11.0.0.1", False),
    ("192.168.1.*", "192.168.1.77", True), ("192.168.1.?", "192.168.1.77", False),
    ("10.0.0.0/8,!10.6.6.6", "10.6.6.6", False), ("10.0.0.0/8,!10.6.6.6", "10.6.6.7", True),
    ("!10.6.6.6", "1.2.3.4", False),  # only negations: nothing is allowed, as in OpenSSH
    ("2001:db8::/32", "2001:db8::1", True), ("2001:db8::/32", "10.0.0.1", False),
    ("*", "::1", True)])
def test_from_patterns_match_addresses(patterns: str, address: str, allowed: bool) -> None:
    assert AddressPatterns.parse(patterns).allows(address) is allowed


def test_expiry_times_are_local_unless_zulu() -> None:
    utc = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc).timestamp()
    assert parse_expiry("20300102030405Z") == utc
    assert parse_expiry("20300102") == datetime(2030, 1, 2).timestamp()
    assert parse_expiry("203001020304") == datetime(2030, 1, 2, 3, 4).timestamp()


def _key(comment: str) -> tuple[asyncssh.SSHKey, str]:
    key = asyncssh.generate_private_key("ssh-ed25519")
    return key, f"{key.export_public_key().decode().strip()} {comment}"


def test_options_are_kept_per_line(tmp_path: Path) -> None:
    alice, alice_line = _key("alice")
    bob, bob_line = _key("bob")
    path = tmp_path / "keys"
    path.write_text(f'from="10.0.0.0/8,!10.6.6.6",no-agent-forwarding {alice_line}\n'
                    f'restrict,pty,expiry-time="20300101Z" {bob_line}\n'
                    f'expiry-time="20200101" {bob_line}\n')  # an older line for the same key
    door = Admission(load_authorized_keys(path))
    assert door.key_allowed("alice", alice, "10.1.1.1")
    assert not door.key_allowed("alice", alice, "10.6.6.6")
    assert not door.key_allowed("alice", alice, "127.0.0.1")
    before, after = parse_expiry("20291231Z"), parse_expiry("20300102Z")
    assert door.key_allowed("bob", bob, "127.0.0.1", now=before)
    assert not door.key_allowed("bob", bob, "127.0.0.1", now=after)


@pytest.mark.parametrize("options,words", [
    ('command="/bin/sh"', "the option 'command' is not supported"),
    ('environment="A=1"', "the option 'environment' is not supported"),
    ("permitopen=\"host:22\"", "the option 'permitopen' is not supported"),
    ("cert-authority", "the option 'cert-authority' is not supported"),
    ("port-forwarding", "the option 'port-forwarding' is not supported"),
    ("no-pty", "no-pty .* would keep this key from ever opening the tutor"),
    ("restrict", "would keep this key from ever opening the tutor"),
    ('from="*.school.example"', "not an address pattern"),
    ('from="10.0.0.1/8"', "is not a network like"),
    ('expiry-time="2030"', "is not YYYYMMDD"),
    ('expiry-time="20301301"', "not a real date"),
    ("from=10.0.0.1", "must be in double quotes"),
    ('from="10.0.0.1', "no public key follows|not closed")])
def test_options_not_honoured_are_refused_at_start(tmp_path: Path, options: str,
                                                   words: str) -> None:
    _, line = _key("alice")
    path = tmp_path / "keys"
    path.write_text(f"# the class\n{_key('bob')[1]}\n{options} {line}\n")
    with pytest.raises(UserError, match=f"^{path} line 3: .*({words})"):
        load_authorized_keys(path)


def test_quoted_options_may_hold_commas_and_spaces(tmp_path: Path) -> None:
    alice, line = _key("alice@laptop")
    path = tmp_path / "keys"
    path.write_text(f'from="127.0.0.2, 10.0.0.0/8",pty {line}\n')
    door = Admission(load_authorized_keys(path))
    assert door.key_allowed("alice", alice, "127.0.0.2")
    assert not door.key_allowed("alice", alice, "127.0.0.1")


@needs_ssh
@pytest.mark.e2e
async def test_from_and_expiry_time_hold_for_real_clients(make_class, client_keys,
                                                          tmp_path) -> None:
    pub = {n: client_keys[n].with_suffix(".pub").read_text().strip() for n in ("alice", "bob")}
    past = time.strftime("%Y%m%d", time.localtime(time.time() - 2 * 86400))
    auth = tmp_path / "keys-with-options"
    auth.write_text(f'from="127.0.0.2" {pub["alice"]}\nexpiry-time="{past}" {pub["bob"]}\n')
    door = Admission(load_authorized_keys(auth))
    port, classroom = await make_class(admission=door, zygote=False)
    elsewhere = await PtyClient.start(ssh_argv(port, "alice", client_keys["alice"]))
    assert await elsewhere.wait() == 255 and "Permission denied" in elsewhere.text
    expired = await PtyClient.start(ssh_argv(port, "bob", client_keys["bob"], "-b",
                                             "127.0.0.2"))
    assert await expired.wait() == 255 and "Permission denied" in expired.text
    there = await PtyClient.start(ssh_argv(port, "alice", client_keys["alice"], "-b",
                                           "127.0.0.2"))
    await there.expect("learner=alice")
    await there.close()
    assert len(classroom.sessions) <= 1
