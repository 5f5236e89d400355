"""The server's SSH host key: the teacher's file, or one generated once and kept."""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh

from tutor.errors import UserError

DEFAULT_HOST_KEY_NAME = "ssh_host_ed25519_key"


def load_or_create_host_key(path: Path | None, data_dir: Path) -> asyncssh.SSHKey:
    """Read the host key at `path`, or the data dir's own key, generating it on first start."""
    if path is not None:
        try:
            return asyncssh.read_private_key(path)
        except (OSError, asyncssh.KeyImportError, ValueError) as exc:
            raise UserError(f"Cannot read the host key {path}: {exc}.") from None
    kept = data_dir / DEFAULT_HOST_KEY_NAME
    if kept.exists():
        return asyncssh.read_private_key(kept)
    key = asyncssh.generate_private_key("ssh-ed25519", comment="gd-tutor class server")
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key.export_private_key())
    kept.with_name(kept.name + ".pub").write_bytes(key.export_public_key())
    return key
