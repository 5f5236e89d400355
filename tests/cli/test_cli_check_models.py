"""`gd-tutor check LESSON/EXERCISE` on a model fit: the verdict in epochs, and --json keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def gd_tutor(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"GD_TUTOR_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, check=False)


def test_check_json_on_a_model_fit_has_its_numbers(tmp_path: Path) -> None:
    done = gd_tutor(tmp_path, "check", "13/fit-all-three", "--set", "learning_rate=0.3",
                    "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    run = report["run"]
    assert report["passed"] and run["model"] == "linear" and run["status"] == "converged"
    assert run["epochs"] == run["nit"] and run["accuracy"] is None and run["test_cost"] is None
    assert list(run["coefficients"]) == ["size_sqft", "rooms", "age_years"]
    assert round(run["coefficients"]["rooms"], 2) == 9.35
    assert run["x"][0] == run["intercept"] and round(run["intercept"], 1) == 57.4


def test_check_text_on_an_unfinished_logistic_fit_says_epochs(tmp_path: Path) -> None:
    done = gd_tutor(tmp_path, "check", "14/train-logistic", "--set", "learning_rate=0.1")
    assert done.returncode == 0 and done.stderr == ""
    assert "NOT YET" in done.stdout and "stopped at the limit of 3000 epochs" in done.stdout
