"""Who may enter: learner names, authorized_keys, password files, the child's environment."""

from __future__ import annotations

import argparse
from pathlib import Path

import asyncssh
import pytest

from tutor.commands.serve import _authorized_keys
from tutor.errors import UserError
from tutor.serve.auth import Admission, load_authorized_keys
from tutor.serve.child import (child_command, clamp_size, clean_term, client_env_allowed,
                               learner_env)
from tutor.serve.hostkey import load_or_create_host_key
from tutor.serve.names import learner_name
from tutor.serve.passwords import hash_password, load_password_file, verify_password


@pytest.mark.parametrize("raw,name", [("alice", "alice"), ("Bob_2", "bob_2"), ("x-y", "x-y"),
                                      ("../etc", None), ("a b", None), ("", None),
                                      ("a.b", None), ("é", None), ("a" * 33, None)])
def test_learner_names_are_safe_folder_names(raw: str, name: str | None) -> None:
    assert learner_name(raw) == name


def _key_line(comment: str, options: str = "") -> tuple[asyncssh.SSHKey, str]:
    key = asyncssh.generate_private_key("ssh-ed25519")
    line = key.export_public_key().decode().strip()
    return key, f"{options}{line} {comment}".strip() + "\n"


def test_authorized_keys_map_each_key_to_its_comment(tmp_path: Path) -> None:
    alice, alice_line = _key_line("alice@laptop")
    bob, bob_line = _key_line("bob", options='restrict,pty ')
    path = tmp_path / "authorized_keys"
    path.write_text("# class of 2026\n\n" + alice_line + bob_line)
    table = load_authorized_keys(path)
    assert table.owners == {alice.public_data: "alice", bob.public_data: "bob"}
    door = Admission(table)
    here = "127.0.0.1"
    assert door.key_allowed("alice", alice, here) and door.key_allowed("Bob", bob, here)
    assert not door.key_allowed("bob", alice, here)
    assert not door.key_allowed("alice", asyncssh.generate_private_key("ssh-ed25519"), here)


@pytest.mark.parametrize("text,words", [(_key_line("")[1], "comment must name"),
                                        (_key_line("Dr. Who")[1], "comment must name"),
                                        ("hello world\n", "no public key"),
                                        ("ssh-ed25519 !!notbase64!! bob\n", "cannot be read")])
def test_bad_authorized_keys_lines_are_one_sentence(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "keys"
    path.write_text(text)
    with pytest.raises(UserError, match=f"line 1: .*{words}"):
        load_authorized_keys(path)


def test_one_key_cannot_name_two_learners(tmp_path: Path) -> None:
    _, line = _key_line("alice")
    path = tmp_path / "keys"
    path.write_text(line + line.replace(" alice", " bob"))
    with pytest.raises(UserError, match="line 2: this key already belongs to alice"):
        load_authorized_keys(path)


def test_missing_keys_file_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Cannot read the authorized keys file"):
        load_authorized_keys(tmp_path / "missing")


def test_password_hashes_verify_only_the_right_password() -> None:
    stored = hash_password("correct horse", salt=b"0123456789abcdef")
    assert stored.startswith("scrypt$16384$8$1$" + b"0123456789abcdef".hex() + "$")
    assert verify_password("correct horse", stored)
    assert not verify_password("correct horsE", stored)
    assert not verify_password("x", "scrypt$bad") and not verify_password("x", "md5$1$2$3$4$5")
    assert hash_password("same") != hash_password("same")  # fresh salt each time


def test_password_file_round_trip_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "passwords"
    path.write_text(f"# learners\nalice:{hash_password('pw1')}\n\n")
    table = load_password_file(path)
    assert list(table) == ["alice"] and verify_password("pw1", table["alice"])
    path.write_text("alice:plaintext\n")
    with pytest.raises(UserError, match="line 1: the password is not an scrypt hash"):
        load_password_file(path)
    path.write_text(f"Not A Name:{hash_password('x')}\n")
    with pytest.raises(UserError, match="line 1: expected 'name:scrypt"):
        load_password_file(path)


def test_child_env_keeps_sizes_out_and_whitelists_client(tmp_path: Path) -> None:
    base = {"PATH": "/bin", "COLUMNS": "80", "LINES": "24", "TERM": "dumb", "LC_ALL": "C",
            "SSH_AUTH_SOCK": "/x", "GD_TUTOR_DATA_DIR": "/teacher"}
    client = {"LANG": "de_DE.UTF-8", "LC_TIME": "C", "NO_COLOR": "1", "COLORTERM": "truecolor",
              "LD_PRELOAD": "/evil.so", "COLUMNS": "5", "PATH": "/evil", "LC_X-Y": "1"}
    env = learner_env(base, client, term="xterm", learner="ann", data_dir=tmp_path)
    assert env == {"PATH": "/bin", "LANG": "de_DE.UTF-8", "LC_TIME": "C", "NO_COLOR": "1",
                   "COLORTERM": "truecolor", "TERM": "xterm", "GD_TUTOR_LEARNER": "ann",
                   "GD_TUTOR_DATA_DIR": str(tmp_path / "learners" / "ann")}
    assert client_env_allowed("LC_ALL") and not client_env_allowed("LC_")
    assert child_command("/l")[1:] == ["-m", "tutor.cli", "--lessons-dir", "/l"]


def test_host_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_or_create_host_key(None, tmp_path)
    again = load_or_create_host_key(None, tmp_path)
    assert first.public_data == again.public_data
    assert (tmp_path / "ssh_host_ed25519_key").stat().st_mode & 0o777 == 0o600
    with pytest.raises(UserError, match="Cannot read the host key"):
        load_or_create_host_key(tmp_path / "nope", tmp_path)


def _serve_args(**kw: object) -> argparse.Namespace:
    return argparse.Namespace(**{"authorized_keys": None, "open": False, "passwords": None, **kw})


def test_who_may_enter_must_be_said(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Say who may enter"):
        _authorized_keys(_serve_args(), tmp_path)
    assert _authorized_keys(_serve_args(open=True), tmp_path) is None
    assert _authorized_keys(_serve_args(passwords="p"), tmp_path) is None
    (tmp_path / "authorized_keys").write_text("")
    assert _authorized_keys(_serve_args(), tmp_path) == str(tmp_path / "authorized_keys")


def test_client_terminal_names_and_sizes_are_bounded() -> None:
    assert clean_term("xterm-256color") == "xterm-256color" and clean_term("rxvt-unicode") == \
        "rxvt-unicode"
    assert clean_term("x\x1b]0;pwn\x07") == "xterm-256color" and clean_term("") == "xterm-256color"
    assert clamp_size(0, 0) == (80, 24) and clamp_size(120, 40) == (120, 40)
    assert clamp_size(65535, 65535) == (1000, 500)
