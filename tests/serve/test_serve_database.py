"""`gd-tutor serve --database URL` on one node, without the rest of the cluster.

The URL reaches every learner's tutor from the server only; the node's start line says
where progress is kept and never the password; a node keeps its tutors' journals while
the database is away; the README's HAProxy configuration is the one the cluster test runs.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

import pytest
from cluster_kit import DOWN_PORT, haproxy_config, leave_unsaved

from tutor.commands.serve import _database_url
from tutor.serve.child import learner_env
from tutor.serve.classdb import database_line, send_left, where


def test_the_database_url_reaches_every_learner_from_the_server_never_the_client(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"PATH": "/bin", "GD_TUTOR_DATABASE": "postgresql://stale@elsewhere/old"}
    client = {"GD_TUTOR_DATABASE": "postgresql://evil@attacker/db", "LANG": "C"}
    env = learner_env(base, client, term="xterm", learner="ann", data_dir=tmp_path,
                      database="postgresql://tutor@db.school/class")
    assert env["GD_TUTOR_DATABASE"] == "postgresql://tutor@db.school/class"
    assert env["GD_TUTOR_LEARNER"] == "ann"
    inherited = learner_env(base, client, term="xterm", learner="ann", data_dir=tmp_path)
    assert inherited["GD_TUTOR_DATABASE"] == "postgresql://stale@elsewhere/old"
    assert "GD_TUTOR_DATABASE" not in learner_env({}, client, term="xterm", learner="ann",
                                                  data_dir=tmp_path)
    monkeypatch.setenv("GD_TUTOR_DATABASE", "postgresql://from@env/class")
    assert _database_url(argparse.Namespace()) == "postgresql://from@env/class"
    assert _database_url(argparse.Namespace(database="postgresql://flag/x")) == \
        "postgresql://flag/x"
    monkeypatch.delenv("GD_TUTOR_DATABASE")
    assert _database_url(argparse.Namespace()) is None


def test_the_readme_shows_the_haproxy_configuration_these_tests_run() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    shown = haproxy_config(":22", {"node1": "10.0.0.11:2222", "node2": "10.0.0.12:2222"},
                           "/run/haproxy/admin.sock", "2s")
    assert textwrap.indent(shown, "    ") in readme


def test_while_the_database_is_away_a_node_keeps_the_journals(tmp_path: Path) -> None:
    url = f"postgresql://postgres@127.0.0.1:{DOWN_PORT}/class"
    leave_unsaved(tmp_path, "ann", url)
    assert send_left(url, tmp_path) == 0
    assert list((tmp_path / "learners" / "ann").glob("pending-*.jsonl"))
    assert send_left(url, tmp_path / "nowhere") == 0


def test_a_node_says_where_progress_is_kept_never_the_password() -> None:
    line = database_line(f"postgresql://tutor:SECRET@127.0.0.1:{DOWN_PORT}/gdtutor")
    assert line.startswith(f"gd-tutor: the database tutor@127.0.0.1:{DOWN_PORT}/gdtutor does "
                           "not answer yet (") and line.endswith("saves them once it does.")
    assert "SECRET" not in line and "\n" not in line
    assert where("postgresql://tutor:SECRET@db.school:5432/gd") == "tutor@db.school:5432/gd"
    assert "SECRET" not in database_line("postgresql://tutor:SECRET@127.0.0.1:x/gd")
