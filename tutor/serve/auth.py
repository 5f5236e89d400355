"""Who may enter the class: authorized keys, the open door, and password files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from tutor.errors import UserError
from tutor.serve.keyopts import (KEY_TYPE_PREFIXES, KeyOptionError, KeyRules, key_rules,
                                 split_options)
from tutor.serve.names import content_lines, describe_rule, learner_name
from tutor.serve.passwords import load_password_file


def _key_entry(path: Path, number: int, line: str) -> tuple[bytes, str, KeyRules]:
    if not any(word.startswith(KEY_TYPE_PREFIXES) for word in line.split()):
        raise UserError(f"{path} line {number}: no public key found on this line.")
    try:
        options, rest = split_options(line)
        rules = key_rules(options)
    except KeyOptionError as exc:
        raise UserError(f"{path} line {number}: {exc}.") from None
    words = rest.split()
    if len(words) < 2 or not words[0].startswith(KEY_TYPE_PREFIXES):
        raise UserError(f"{path} line {number}: no public key found on this line.")
    kind, blob, comment = words[0], words[1], " ".join(words[2:])
    try:
        key = asyncssh.import_public_key(f"{kind} {blob}")
    except (asyncssh.KeyImportError, ValueError):
        raise UserError(f"{path} line {number}: the public key cannot be read.") from None
    name = learner_name(comment.split("@")[0]) if comment else None
    if name is None:
        raise UserError(f"{path} line {number}: the key's comment must name its learner "
                        f"({describe_rule()}), e.g. 'ssh-ed25519 AAAA... alice'.")
    return key.public_data, name, rules


@dataclass(frozen=True)
class KeyTable:
    """authorized_keys as read: each key's learner, and the options of each line it is on."""

    owners: dict[bytes, str] = field(default_factory=dict)
    rules: dict[bytes, list[KeyRules]] = field(default_factory=dict)


def load_authorized_keys(path: str | Path) -> KeyTable:
    """Read an OpenSSH authorized_keys file into a KeyTable.

    Each key's comment names its learner (`alice` or `alice@laptop` both mean
    alice). A learner may have several keys; one key may not name two learners.
    A key on several lines may log in under the options of any of them.
    """
    path = Path(path)
    table = KeyTable()
    for number, line in content_lines(path, "authorized keys file"):
        blob, name, rules = _key_entry(path, number, line)
        if table.owners.get(blob, name) != name:
            raise UserError(f"{path} line {number}: this key already belongs to "
                            f"{table.owners[blob]}.")
        table.owners[blob] = name
        table.rules.setdefault(blob, []).append(rules)
    return table


@dataclass(frozen=True)
class Admission:
    """The door policy: which key or password logs in as which learner."""

    keys: KeyTable = field(default_factory=KeyTable)
    passwords: dict[str, str] = field(default_factory=dict)
    open_door: bool = False

    @classmethod
    def load(cls, authorized_keys: str | Path | None, passwords: str | Path | None,
             open_door: bool) -> Admission:
        """Build the policy from the files given to `gd-tutor serve`."""
        keys = load_authorized_keys(authorized_keys) if authorized_keys else KeyTable()
        table = load_password_file(passwords) if passwords else {}
        return cls(keys=keys, passwords=table, open_door=open_door)

    @property
    def key_owners(self) -> dict[bytes, str]:
        """{public key blob: learner name}."""
        return self.keys.owners

    def needs_auth(self, username: str) -> bool:
        """False only for the open door, where the SSH user name is the learner."""
        return not self.open_door

    def key_allowed(self, username: str, key: asyncssh.SSHKey, address: str,
                    now: float | None = None) -> bool:
        """True when `key` belongs to the learner named by `username` and its line's options
        (from=, expiry-time=) allow a login from `address` now."""
        blob = key.public_data
        owner = self.keys.owners.get(blob)
        if owner is None or owner != learner_name(username):
            return False
        return any(rules.allows(address, now) for rules in self.keys.rules.get(blob, []))
