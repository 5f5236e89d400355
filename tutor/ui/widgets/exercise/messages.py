"""Messages the pane's worker threads post back to it (never seen outside the pane)."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class WorkerMessage(Message, bubble=False):
    """Base: tagged with the run it belongs to, so late messages of old runs are dropped."""

    def __init__(self, run_id: int) -> None:
        super().__init__()
        self.run_id = run_id


class RunProgress(WorkerMessage):
    """A long run's iteration count; a newer one replaces an unprocessed older one."""

    def __init__(self, run_id: int, done: int, total: int) -> None:
        super().__init__(run_id)
        self.done, self.total = done, total

    def can_replace(self, message: Message) -> bool:
        """Collapse queued progress messages into the latest."""
        return isinstance(message, RunProgress)


class RunFinished(WorkerMessage):
    """A run, compare or fit is done; `mode` says which of the three `outcome` is."""

    def __init__(self, run_id: int, mode: str, outcome: Any) -> None:
        super().__init__(run_id)
        self.mode, self.outcome = mode, outcome


class RunFailed(WorkerMessage):
    """The inputs could not be run; `sentence` says why."""

    def __init__(self, run_id: int, sentence: str) -> None:
        super().__init__(run_id)
        self.sentence = sentence


class StepTaken(WorkerMessage):
    """One iteration of step mode; `result` is set once the descent is done."""

    def __init__(self, run_id: int, report: Any, objective: Any, result: Any, fresh: bool,
                 request: Any) -> None:
        super().__init__(run_id)
        self.report, self.objective, self.result = report, objective, result
        self.fresh, self.request = fresh, request


class Checked(WorkerMessage):
    """The lesson check's verdict on an attempt."""

    def __init__(self, run_id: int, inputs: dict, passed: bool | None, message: str) -> None:
        super().__init__(run_id)
        self.inputs, self.passed, self.message = inputs, passed, message
