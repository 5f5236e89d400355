"""Teachers in `gd-tutor serve`: named by `--teachers` or `gd-tutor-teacher` on their keys, they
get the class dashboard; a learner's key never can, whatever it sends or however it is named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import asyncssh
import pytest
from serve_testkit import FAKE_TUTOR, PtyClient, needs_ssh, ssh_argv

from tutor.errors import UserError
from tutor.serve.auth import Admission, load_authorized_keys

DASHBOARD = (sys.executable, str(FAKE_TUTOR), "teacher-dashboard")


def _line(comment: str, options: str = "") -> str:
    key = asyncssh.generate_private_key("ssh-ed25519")
    return f"{options} {key.export_public_key().decode().strip()} {comment}".strip() + "\n"


def test_the_marker_makes_a_name_a_teacher(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(_line("ada@laptop", "gd-tutor-teacher") + _line("Ada", "restrict,pty,gd-tutor-teacher")
                    + _line("bob"))
    door = Admission(load_authorized_keys(path))
    assert door.is_teacher("ada") and not door.is_teacher("bob") and not door.is_teacher(None)


@pytest.mark.parametrize("lines,number", [
    ([("ada", "gd-tutor-teacher"), ("ada", "")], 2),      # a learner's key with a teacher's name
    ([("Ada@home", ""), ("ada@laptop", "gd-tutor-teacher")], 1),  # the same name, spelt otherwise
])
def test_a_learners_key_may_not_share_a_teachers_name(tmp_path: Path, lines, number) -> None:
    path = tmp_path / "keys"
    path.write_text("".join(_line(comment, options) for comment, options in lines))
    with pytest.raises(UserError) as caught:
        load_authorized_keys(path)
    assert str(caught.value).startswith(f"{path} line {number}: this key names ada, a teacher")


def test_the_same_key_marked_on_one_line_only_is_refused(tmp_path: Path) -> None:
    line = _line("ada")
    (tmp_path / "keys").write_text("gd-tutor-teacher " + line + 'from="10.0.0.0/8" ' + line)
    with pytest.raises(UserError, match="line 2: this key names ada, a teacher"):
        load_authorized_keys(tmp_path / "keys")


def test_teacher_names_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(_line("ada") + _line("bob"))
    door = Admission.load(path, None, False, [" ADA ,"])
    assert door.teachers == {"ada"} and not door.is_teacher("bob")
    for names, words in [(["ada,grace"], "--teachers names grace, but no key or password lets "
                                         "grace in."),
                         (["ada/.."], "--teachers: 'ada/..' is not a name (1 to 32 characters")]:
        with pytest.raises(UserError, match="^" + words.replace("(", r"\(").replace(".", r"\.")):
            Admission.load(path, None, False, names)
    with pytest.raises(UserError, match="^Teachers need a login: with --open anyone could"):
        Admission.load(None, None, True, ["ada"])
    assert not Admission(open_door=True, teachers=frozenset({"ada"})).is_teacher("ada")


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor.cli", "serve", *args],
                          capture_output=True, text=True, timeout=60, check=False)


def test_web_serving_has_no_teachers_and_says_so(tmp_path: Path) -> None:
    done = _serve("--web", "--port", "0", "--data-dir", str(tmp_path), "--teachers", "ada")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("gd-tutor: --teachers is for SSH serving: the web tutor has no "
                           "logins, so teachers open the dashboard over SSH, or with 'gd-tutor "
                           "class' on the server.\n")


def _keys_file(tmp_path: Path, client_keys: dict[str, Path], marked: bool) -> Path:
    pub = {n: client_keys[n].with_suffix(".pub").read_text() for n in ("alice", "bob")}
    path = tmp_path / "keys"
    path.write_text(("gd-tutor-teacher " if marked else "") + pub["alice"] + pub["bob"])
    return path


HOSTILE_ENV = ["-o", "SetEnv=GD_TUTOR_TEACHER=1 GD_TUTOR_ROLE=teacher GD_TUTOR_LEARNER=alice "
               "LC_ALL=gd-tutor-teacher LANG=class"]


@needs_ssh
@pytest.mark.e2e
@pytest.mark.parametrize("marked", [True, False], ids=["marker", "--teachers"])
async def test_only_the_teacher_gets_the_dashboard(make_class, client_keys, tmp_path,
                                                   marked: bool) -> None:
    keys = load_authorized_keys(_keys_file(tmp_path, client_keys, marked))
    door = Admission(keys, teachers=frozenset() if marked else frozenset({"alice"}))
    port, classroom = await make_class(admission=door, teacher_argv=DASHBOARD)
    teacher = await PtyClient.start(ssh_argv(port, "alice", client_keys["alice"]))
    await teacher.expect(r"learner=alice .*args=teacher-dashboard")
    learner = await PtyClient.start(ssh_argv(port, "bob", client_keys["bob"], *HOSTILE_ENV))
    text = await learner.expect(r"learner=bob .*args=\S+")
    assert "args=None" in text and "teacher-dashboard" not in text  # the tutor, env ignored
    for user, extra in [("bob", ("class",)), ("bob", ("gd-tutor", "class")), ("alice", ())]:
        other = await PtyClient.start(ssh_argv(port, user, client_keys["bob"]) + list(extra))
        assert await other.wait() != 0 and "teacher-dashboard" not in other.text
        await other.close()
    for client in (teacher, learner):
        await client.close()


def test_the_start_line_counts_teachers_apart(tmp_path: Path) -> None:
    from tutor.cli import build_parser
    from tutor.commands.serve import _door, _ssh_config

    path = tmp_path / "keys"
    path.write_text(_line("ada", "gd-tutor-teacher") + _line("bob") + _line("cy"))
    args = build_parser().parse_args(["serve", "--data-dir", str(tmp_path), "--authorized-keys",
                                      str(path), "--teachers", "cy"])
    assert _door(_ssh_config(args)) == ("1 learner and 2 teachers may enter (the class "
                                        "dashboard for ada, cy)")


class _Seat:
    """A session as the classroom sees it, idle since time 0."""

    def __init__(self, learner: str, teacher: bool) -> None:
        self.learner, self.teacher, self.last_input, self.ended = learner, teacher, 0.0, False

    def finish(self, message: str | None, status: int | None) -> None:
        self.ended = True


async def test_a_teachers_dashboard_is_never_ended_as_idle(tmp_path: Path) -> None:
    from tutor.serve.classroom import Classroom, ServeConfig

    classroom = Classroom(ServeConfig(data_dir=tmp_path, admission=Admission(),
                                      host_key=asyncssh.generate_private_key("ssh-ed25519"),
                                      idle_timeout=60.0))
    learner, teacher = _Seat("bob", False), _Seat("tess", True)
    classroom.sessions.update({learner, teacher})
    classroom.check_idle(now=3600.0)
    assert learner.ended and not teacher.ended
    classroom.sessions.clear()
    await classroom.shutdown()
