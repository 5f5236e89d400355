"""Who may enter the class: authorized keys, the open door, and password files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from tutor.errors import UserError
from tutor.serve.names import content_lines, describe_rule, learner_name
from tutor.serve.passwords import load_password_file, verify_password

_KEY_PREFIXES = ("ssh-", "ecdsa-", "sk-", "rsa-")


def _split_key_line(line: str) -> tuple[str, str, str] | None:
    """Return (key type, base64 blob, comment) of an authorized_keys line, skipping options."""
    words = line.split()
    for i, word in enumerate(words[:-1]):
        if word.startswith(_KEY_PREFIXES):
            return word, words[i + 1], " ".join(words[i + 2:])
    return None


def _key_entry(path: Path, number: int, line: str) -> tuple[bytes, str]:
    parts = _split_key_line(line)
    if parts is None:
        raise UserError(f"{path} line {number}: no public key found on this line.")
    kind, blob, comment = parts
    try:
        key = asyncssh.import_public_key(f"{kind} {blob}")
    except (asyncssh.KeyImportError, ValueError):
        raise UserError(f"{path} line {number}: the public key cannot be read.") from None
    name = learner_name(comment.split("@")[0]) if comment else None
    if name is None:
        raise UserError(f"{path} line {number}: the key's comment must name its learner "
                        f"({describe_rule()}), e.g. 'ssh-ed25519 AAAA... alice'.")
    return key.public_data, name


def load_authorized_keys(path: str | Path) -> dict[bytes, str]:
    """Read an OpenSSH authorized_keys file into {public key blob: learner name}.

    Each key's comment names its learner (`alice` or `alice@laptop` both mean
    alice). A learner may have several keys; one key may not name two learners.
    """
    path = Path(path)
    owners: dict[bytes, str] = {}
    for number, line in content_lines(path, "authorized keys file"):
        blob, name = _key_entry(path, number, line)
        if owners.get(blob, name) != name:
            raise UserError(f"{path} line {number}: this key already belongs to {owners[blob]}.")
        owners[blob] = name
    return owners


@dataclass(frozen=True)
class Admission:
    """The door policy: which key or password logs in as which learner."""

    key_owners: dict[bytes, str] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    open_door: bool = False

    @classmethod
    def load(cls, authorized_keys: str | Path | None, passwords: str | Path | None,
             open_door: bool) -> Admission:
        """Build the policy from the files given to `gd-tutor serve`."""
        keys = load_authorized_keys(authorized_keys) if authorized_keys else {}
        table = load_password_file(passwords) if passwords else {}
        return cls(key_owners=keys, passwords=table, open_door=open_door)

    def needs_auth(self, username: str) -> bool:
        """False only for the open door, where the SSH user name is the learner."""
        return not self.open_door

    def key_allowed(self, username: str, key: asyncssh.SSHKey) -> bool:
        """True when `key` belongs to the learner named by `username`."""
        owner = self.key_owners.get(key.public_data)
        return owner is not None and owner == learner_name(username)

    def password_allowed(self, username: str, password: str) -> bool:
        """True when `password` matches the learner's stored hash."""
        stored = self.passwords.get(learner_name(username) or "")
        return stored is not None and verify_password(password, stored)
