"""A class on several machines, end to end with the real parts on loopback.

One throwaway PostgreSQL, two `gd-tutor serve --database URL` nodes sharing one host key,
HAProxy (mode tcp, balance leastconn) in front. Learners use the real `ssh` client with
strict host key checking against a known_hosts file naming the balancer's port, and type
into the real tutor. Progress must follow a learner from one node to the other, survive
a PostgreSQL restart during the class, and survive the death of the node they were on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from tutor.commands.serve import _database_url
from tutor.serve.child import learner_env


def test_the_database_url_reaches_every_learner_and_only_from_the_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"PATH": "/bin", "GD_TUTOR_DATABASE": "postgresql://stale@elsewhere/old"}
    client = {"GD_TUTOR_DATABASE": "postgresql://evil@attacker/db", "LANG": "C"}
    env = learner_env(base, client, term="xterm", learner="ann", data_dir=tmp_path,
                      database="postgresql://tutor@db.school/class")
    assert env["GD_TUTOR_DATABASE"] == "postgresql://tutor@db.school/class"
    assert env["GD_TUTOR_LEARNER"] == "ann"
    assert "GD_TUTOR_DATABASE" not in learner_env(base, client, term="xterm", learner="ann",
                                                  data_dir=tmp_path)
    monkeypatch.setenv("GD_TUTOR_DATABASE", "postgresql://from@env/class")
    assert _database_url(argparse.Namespace()) == "postgresql://from@env/class"
    assert _database_url(argparse.Namespace(database="postgresql://flag/x")) == \
        "postgresql://flag/x"
    monkeypatch.delenv("GD_TUTOR_DATABASE")
    assert _database_url(argparse.Namespace()) is None
