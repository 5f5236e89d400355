"""PostgreSQL-only behaviour of the store: migration, two sessions at once, the conflict rule.

Each test gets a fresh database on the session's throwaway cluster (tests/support).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest

from tutor.progress import ProgressStore
from tutor.progress import pgschema

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e .[test]")

Opener = Callable[..., ProgressStore]


def test_an_old_schema_is_migrated_on_start_and_keeps_its_rows(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert pgschema.migrate(conn, upto=1) == 0
        conn.execute("INSERT INTO gd_exercises (learner, key, state, attempts, last_inputs, "
                     "hints_shown, updated) VALUES ('ada', 'l/e', 'attempted', 4, "
                     "'{\"answer\": \"3\"}', 1, 1.0)")
        conn.execute("INSERT INTO gd_facts (learner, name, value) VALUES ('ada', 'place', 'l/e#a')")
    with ProgressStore.open(database=postgres_url, learner="ada") as store:
        assert store.warning is None and store.saving
        assert store.exercise("l/e").attempts == 4 and store.place() == "l/e#a"
        store.record_attempt("l/e", {"answer": "4"}, True)
        store.save_inputs("l/e", {"answer": "5"})
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert pgschema.schema_version(conn) == pgschema.SCHEMA_VERSION == 3
        assert conn.execute("SELECT state, attempts, last_inputs FROM gd_exercises").fetchall() == [
            ("done", 5, '{"answer": "5"}')]
        assert conn.execute("SELECT count(*) FROM gd_attempts").fetchone()[0] == 1


def test_a_newer_schema_is_left_alone_and_the_session_is_not_saved(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        pgschema.migrate(conn)
        conn.execute("UPDATE gd_schema SET version = 99")
    with ProgressStore.open(database=postgres_url, learner="ada") as store:
        assert not store.saving and "schema version 99" in (store.warning or "")
        store.record_attempt("l/e", {}, True)
        assert store.completed() == ["l/e"]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM gd_exercises").fetchone()[0] == 0


def test_two_sessions_of_one_learner_lose_no_write(pg_opener: Opener) -> None:
    """Two real connections writing at once: attempts add up, the history keeps all,
    a pass is never undone, and per field the later write wins."""
    first, second = pg_opener(), pg_opener()
    go = threading.Barrier(2)

    def play(store: ProgressStore, tag: str, passes_at: int | None) -> None:
        go.wait()
        for n in range(30):
            store.record_attempt("l/e", {"by": tag, "n": n}, n == passes_at, "d")
            store.set_hints_shown(f"l/{tag}", n)
            store.set_place(f"{tag}-{n}")

    threads = [threading.Thread(target=play, args=(first, "a", 10)),
               threading.Thread(target=play, args=(second, "b", None))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first.set_place("a-last")  # made after everything else: it wins
    first.close()
    second.close()
    with pg_opener() as store:
        record = store.exercise("l/e")
        assert record.attempts == 60 and record.state == "done"
        history = store.attempt_history("l/e")
        assert len(history) == 60
        assert [a.inputs["n"] for a in history if a.inputs["by"] == "a"] == list(range(30))
        assert [a.inputs["n"] for a in history if a.inputs["by"] == "b"] == list(range(30))
        assert store.place() == "a-last"
        assert (store.exercise("l/a").hints_shown, store.exercise("l/b").hints_shown) == (29, 29)


def test_a_late_arriving_older_write_does_not_overwrite_a_newer_one(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        pgschema.migrate(conn)
        pgschema.apply(conn, "ada", ("fact", "place", "new", 200.0))
        pgschema.apply(conn, "ada", ("inputs", "l/e", '{"x": "new"}', 200.0))
        pgschema.apply(conn, "ada", ("attempt", "l/e", '{"x": "old"}', True, None, "", 100.0))
        pgschema.apply(conn, "ada", ("fact", "place", "old", 100.0))
        pgschema.apply(conn, "ada", ("attempt", "l/e", '{"x": "older"}', False, None, "", 50.0))
        assert conn.execute("SELECT value FROM gd_facts WHERE name = 'place'").fetchone()[0] == "new"
        assert conn.execute("SELECT state, attempts, last_inputs FROM gd_exercises").fetchone() == (
            "done", 2, '{"x": "new"}')


def test_a_write_replayed_after_a_lost_reply_lands_once(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        pgschema.migrate(conn)
        for _ in range(2):
            with conn.transaction():
                if pgschema.first_time(conn, "s1", "ada", 1, 1.0):
                    pgschema.apply(conn, "ada", ("attempt", "l/e", "{}", False, None, "", 1.0))
        assert conn.execute("SELECT attempts FROM gd_exercises").fetchone()[0] == 1


def test_learner_names_keep_their_rows_apart(pg_opener: Opener) -> None:
    with pg_opener("ada") as ada, pg_opener("bo") as bo:
        ada.record_attempt("l/e", {}, True)
        bo.set_current_lesson("l")
    with pg_opener("ada") as ada, pg_opener("bo") as bo:
        assert (ada.completed(), ada.current_lesson()) == (["l/e"], None)
        assert (bo.completed(), bo.current_lesson()) == ([], "l")


def test_the_learner_comes_from_the_environment(postgres_url: str, monkeypatch) -> None:
    monkeypatch.setenv("GD_TUTOR_LEARNER", "cy")
    monkeypatch.setenv("GD_TUTOR_DATABASE", postgres_url)
    with ProgressStore.open() as store:
        assert store.replica is not None and store.replica.name == "cy"
        store.set_place("here")
    with ProgressStore.open(database=postgres_url, learner="cy") as again:
        assert again.place() == "here"


def test_hostile_text_is_stored_not_refused(pg_opener: Opener) -> None:
    with pg_opener() as store:
        store.record_attempt("l/e", {"answer": "'; DROP TABLE gd_facts; --\x00"}, False,
                             "x\x00", "m\x00")
        store.set_place("p\x00")
    with pg_opener() as store:
        assert store.exercise("l/e").last_inputs == {"answer": "'; DROP TABLE gd_facts; --\x00"}
        assert store.place() == "p\ufffd" and store.attempt_history()[0].message == "m\ufffd"


def test_sqlite_never_imports_psycopg(tmp_path) -> None:
    code = ("import sys; from tutor.progress import ProgressStore; "
            f"s = ProgressStore.open({str(tmp_path)!r}); s.set_place('x'); s.close(); "
            "import tutor.commands.lessons; print('psycopg' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"}, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_without_psycopg_a_database_url_says_so_in_one_sentence(tmp_path) -> None:
    code = ("import sys; sys.modules['psycopg'] = None; from tutor.progress import ProgressStore; "
            "s = ProgressStore.open(database='postgresql://127.0.0.1:1/x'); s.set_place('x'); "
            "print(s.saving, s.place()); print(s.warning)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    lines = out.stdout.splitlines()
    assert lines[0] == "False x" and "needs psycopg" in lines[1], out.stderr


def test_the_progress_command_reads_the_database_named_on_the_command_line(
        pg_opener: Opener, postgres_url: str) -> None:
    with pg_opener("ada") as store:
        store.record_attempt("l/e", {}, True)
        store.set_current_lesson("l")
    env = {"PATH": "/usr/bin:/bin", "GD_TUTOR_LEARNER": "ada", "HOME": "/nonexistent"}
    for argv in (["--database", postgres_url, "progress", "--json"],
                 ["progress", "--json", "--database", postgres_url]):
        out = subprocess.run([sys.executable, "-m", "tutor.cli", *argv], capture_output=True,
                             text=True, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        assert (report["completed"], report["current_lesson"]) == (["l/e"], "l")
        assert report["store"] == postgres_url.replace("postgres@", "") + " (learner ada)"
