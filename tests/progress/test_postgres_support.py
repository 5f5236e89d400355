"""The throwaway cluster itself: it serves, keeps data across a restart, and leaves nothing."""

from __future__ import annotations

import pytest

from support import postgres
from support.postgres import PostgresCluster, postgres_cluster, process_alive


def test_cluster_serves_keeps_data_over_restart_and_is_removed() -> None:
    with postgres_cluster() as cluster:
        url = cluster.create_database("support_check")
        assert url == f"postgresql://postgres@127.0.0.1:{cluster.port}/support_check"
        cluster.sql("CREATE TABLE t (n int); INSERT INTO t VALUES (41), (1)", "support_check")
        cluster.restart()
        assert cluster.sql("SELECT sum(n) FROM t", "support_check").strip() == "42"
        root, pid = cluster.root, cluster._postmaster_pid()
        assert pid is not None and cluster.running()
    assert not root.exists()
    assert not process_alive(pid), f"the postmaster {pid} is still running"


def test_session_fixture_gives_fresh_databases(postgres_server: PostgresCluster) -> None:
    first, second = postgres_server.create_database(), postgres_server.create_database()
    assert first != second
    assert postgres_server.sql("SELECT 1", first.rsplit("/", 1)[1]).strip() == "1"


def test_without_postgresql_the_cluster_skips_with_a_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "find_bindir", lambda: None)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL is not installed"):
        with postgres_cluster():
            pass
