"""Every sentence a run or a fit can end with, in one table (scipy style)."""

from __future__ import annotations

from tutor.wording import plural

MESSAGES: dict[str, str] = {
    "converged": "Converged: the last step was shorter than the precision {precision:g} "
                 "after {updates}.",
    "max_iterations": "Stopped at the limit of {updates} before the steps got shorter "
                      "than {precision:g}.",
    "all_iterations": "Stopped after all {updates}: with precision 0 a run never stops early.",
    "rising": "Diverged: the cost grew on each of the last 10 steps.",
    "nonfinite": "Diverged: the position or the cost became too large for the computer "
                 "(infinite or not a number) after {updates}.",
    "fault": "Stopped after {updates}: the next step hit {fault}.",
    "start_fault": "Cannot start: at the starting point the function gives {fault}; "
                   "pick another start.",
    "stopped": "Stopped by request after {updates}.",
    "running": "Running: {updates} so far.",
}

# The public status for each ending (the `reason`).
STATUS: dict[str, str] = {
    "converged": "converged",
    "max_iterations": "max_iterations",
    "rising": "diverged",
    "nonfinite": "diverged",
    "fault": "diverged",
    "start_fault": "diverged",
    "stopped": "stopped",
    "running": "running",
}


def message_for(reason: str, *, nit: int, precision: float, fault: str = "") -> str:
    """The sentence for `reason`, filled in with the number of updates, precision and fault."""
    updates = plural(nit, "update")
    if reason == "max_iterations" and precision == 0:
        reason = "all_iterations"
    return MESSAGES[reason].format(updates=updates, precision=precision, fault=fault)
