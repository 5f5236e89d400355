"""The descent loop, generated once per cost function so it runs at hand-written speed.

`lambdify` turns each derivative into a Python function; calling several of
them per iteration, plus an optimizer and a list per recorded point, costs
several times a hand-written loop. So, like `lambdify` itself, this module
prints the (already whitelisted and SymPy-built) expressions into the source of
one loop and compiles it. Plain gradient descent is inlined; other methods
call their pure `update` stepper. `Descent.step()` and `minimize` both run this
same loop (one iteration at a time, or many).

A run diverges when the cost rises on each of the last 10 updates; `ceiling`
adds "and is above this" (-inf for plain descent, the starting cost for
momentum-style methods, whose cost may legitimately rise for a while near a
minimum).

The loop returns `(status, n, x, cost, rising, state, gradient, step, error)`
where `status` is one of the codes below.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable

RUNNING, CONVERGED, NONFINITE = "running", "converged", "nonfinite"
RISING, FAULT = "rising", "fault"
RISING_LIMIT = 10
CHUNK = 256
_BUILTINS = {"abs": abs, "float": float, "min": min, "max": max, "range": range,
             "ArithmeticError": ArithmeticError, "ValueError": ValueError, "TypeError": TypeError}

# Points go into small lists (list.append plus array.fromlist cost less than
# array.append) that move into the caller's array('d') columns every CHUNK updates
# and on every exit.
# The cost is checked for nan/inf on every update, folded into the rising test
# (nan fails both `new > cost` and `NEG_INF < new`; +inf passes the first, so it is
# tested only on that branch). The position is checked every CHUNK updates only: a
# non-finite position stays non-finite (x + step with x = inf or nan is inf or nan),
# so the caller finds the first bad point afterwards (`first_nonfinite`).
_TEMPLATE = """\
def kernel({xs}, cost, lr, precision, limit, rising, ceiling, columns, costs, update,
           state, hypot=hypot, INF=inf, CHUNK=CHUNK):
    {buffer_defs}
    buf_cost = []; put_cost = buf_cost.append
    neg_lr, neg_precision, NEG_INF = -lr, -precision, -INF
    n = 0
    try:
        try:
            while n < limit:
                for n in range(n + 1, min(n + CHUNK, limit) + 1):
{gradient_lines}
{step_lines}
{move_lines}
{value_lines}
{put_lines}
                    put_cost(new)
                    if new > cost:
                        rising += 1
                        if new == INF:
                            return NONFINITE, n, ({xs},), new, rising, state, ({gs},), ({ss},), None
                        if {converged}:
                            return CONVERGED, n, ({xs},), new, rising, state, ({gs},), ({ss},), None
                        if rising >= RISING_LIMIT and new > ceiling:
                            return RISING, n, ({xs},), new, rising, state, ({gs},), ({ss},), None
                    elif NEG_INF < new:
                        rising = 0
                        if {converged}:
                            return CONVERGED, n, ({xs},), new, rising, state, ({gs},), ({ss},), None
                    else:
                        return NONFINITE, n, ({xs},), new, rising, state, ({gs},), ({ss},), None
                    cost = new
                if not ({flush_checks}):
                    raise TypeError("a value that is not a real number")
                if not ({finite_x}):
                    return NONFINITE, n, ({xs},), cost, rising, state, ({gs},), ({ss},), None
            return RUNNING, n, ({xs},), cost, rising, state, ({gs},), ({ss},), None
        except (ArithmeticError, ValueError, TypeError) as exc:
            return FAULT, n, None, cost, rising, state, None, None, exc
    finally:
{final_flush_lines}
"""


def move(column: array, buffer: list) -> bool:
    """Move `buffer` into its array('d') column; False if a value was not a real number.

    Values before the first bad one are kept, so the caller (which trims every
    column to the shortest) ends the run right there.
    """
    try:
        column.fromlist(buffer)  # all or nothing, about 9 ns a value
    except TypeError:
        for value in buffer:
            try:
                column.append(value)
            except TypeError:
                break
        buffer.clear()
        return False
    buffer.clear()
    return True


def build_kernel(value_lines: tuple[str, ...], gradient_lines: tuple[str, ...], dims: int,
                 inline_gd: bool) -> Callable:
    """Compile the loop for a function whose printed code uses v_0, v_1, ... as variables.

    `value_lines` end with "new = <cost>"; `gradient_lines` end with "g_i = ..."
    assignments (earlier lines hold common subexpressions).
    """
    source = kernel_source(value_lines, gradient_lines, dims, inline_gd)
    namespace: dict[str, object] = {k: v for k, v in vars(math).items() if not k.startswith("_")}
    namespace.update(RUNNING=RUNNING, CONVERGED=CONVERGED, NONFINITE=NONFINITE, RISING=RISING,
                     FAULT=FAULT, RISING_LIMIT=RISING_LIMIT, CHUNK=CHUNK, move=move,
                     __builtins__=_BUILTINS)
    exec(compile(source, "<gd-tutor descent kernel>", "exec"), namespace)  # noqa: S102
    return namespace["kernel"]  # type: ignore[return-value]


def kernel_source(value_lines: tuple[str, ...], gradient_lines: tuple[str, ...], dims: int,
                  inline_gd: bool) -> str:
    """The Python source of the loop (public so tests and curious readers can look at it)."""
    xs = [f"v_{i}" for i in range(dims)]
    gs = [f"g_{i}" for i in range(dims)]
    ss = [f"s_{i}" for i in range(dims)]
    pad = " " * 20
    if inline_gd:
        step_lines = [f"s_{i} = neg_lr * g_{i}" for i in range(dims)]
    else:
        step_lines = [f"({', '.join(ss)},), state = update([{', '.join(gs)}], state)"]
    if dims == 1:
        converged = "s_0 < precision and s_0 > neg_precision"
    else:
        converged = f"hypot({', '.join(ss)}) < precision"
    moves = [*(f"move(columns[{i}], buf_x_{i})" for i in range(dims)),
             "move(costs, buf_cost)"]
    return _TEMPLATE.format(
        xs=", ".join(xs), gs=", ".join(gs), ss=", ".join(ss),
        buffer_defs="; ".join(f"buf_x_{i} = []; put_x_{i} = buf_x_{i}.append"
                              for i in range(dims)),
        gradient_lines=_indent(gradient_lines, pad), step_lines=_indent(step_lines, pad),
        move_lines=_indent([f"v_{i} = v_{i} + s_{i}" for i in range(dims)], pad),
        value_lines=_indent(value_lines, pad),
        put_lines=_indent([f"put_x_{i}(v_{i})" for i in range(dims)], pad),
        flush_checks=" & ".join(moves), final_flush_lines=_indent(moves, " " * 8),
        finite_x=" and ".join(f"NEG_INF < v_{i} < INF" for i in range(dims)), converged=converged)


def _indent(lines: list[str] | tuple[str, ...], pad: str) -> str:
    return "\n".join(pad + line for line in lines)


def first_nonfinite(columns: list, start: int) -> int | None:
    """The first index >= start where any column holds nan or inf, or None."""
    for i in range(start, len(columns[0])):
        if not all(math.isfinite(c[i]) for c in columns):
            return i
    return None
