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
from collections.abc import Callable

RUNNING, CONVERGED, NONFINITE, RISING, FAULT = "running", "converged", "nonfinite", "rising", "fault"
RISING_LIMIT = 10
_BUILTINS = {"abs": abs, "float": float, "min": min, "max": max, "ArithmeticError": ArithmeticError,
             "ValueError": ValueError, "TypeError": TypeError}

_TEMPLATE = '''\
def kernel({xs}, cost, lr, precision, limit, rising, ceiling, append_x, append_cost, update, state):
    {append_defs}
    n = 0
    try:
        while n < limit:
{gradient_lines}
{step_lines}
{move_lines}
            new = {value}
            n += 1
{append_lines}
            append_cost(new)
            if not (new - new == 0.0{finite_x}):
                return NONFINITE, n, ({xs},), new, rising, state, ({gs},), ({ss},), None
            if {converged}:
                return CONVERGED, n, ({xs},), new, rising, state, ({gs},), ({ss},), None
            if new > cost:
                rising += 1
                if rising >= RISING_LIMIT and new > ceiling:
                    return RISING, n, ({xs},), new, rising, state, ({gs},), ({ss},), None
            else:
                rising = 0
            cost = new
        return RUNNING, n, ({xs},), cost, rising, state, ({gs},), ({ss},), None
    except (ArithmeticError, ValueError, TypeError) as exc:
        return FAULT, n, None, cost, rising, state, None, None, exc
'''


def build_kernel(value_code: str, gradient_codes: tuple[str, ...], inline_gd: bool) -> Callable:
    """Compile the loop for a function whose printed code uses v_0, v_1, ... as variables."""
    source = kernel_source(value_code, gradient_codes, inline_gd)
    namespace: dict[str, object] = {k: v for k, v in vars(math).items() if not k.startswith("_")}
    namespace.update(RUNNING=RUNNING, CONVERGED=CONVERGED, NONFINITE=NONFINITE, RISING=RISING,
                     FAULT=FAULT, RISING_LIMIT=RISING_LIMIT, __builtins__=_BUILTINS)
    exec(compile(source, "<gd-tutor descent kernel>", "exec"), namespace)  # noqa: S102
    return namespace["kernel"]  # type: ignore[return-value]


def kernel_source(value_code: str, gradient_codes: tuple[str, ...], inline_gd: bool) -> str:
    """The Python source of the loop (public so tests and curious readers can look at it)."""
    d = len(gradient_codes)
    xs = [f"v_{i}" for i in range(d)]
    gs = [f"g_{i}" for i in range(d)]
    ss = [f"s_{i}" for i in range(d)]
    pad = " " * 12
    gradient_lines = "\n".join(f"{pad}g_{i} = {code}" for i, code in enumerate(gradient_codes))
    if inline_gd:
        step_lines = "\n".join(f"{pad}s_{i} = -lr * g_{i}" for i in range(d))
    else:
        step_lines = f"{pad}({', '.join(ss)},), state = update([{', '.join(gs)}], state)"
    move_lines = "\n".join(f"{pad}v_{i} = v_{i} + s_{i}" for i in range(d))
    append_lines = "\n".join(f"{pad}append_x_{i}(v_{i})" for i in range(d))
    append_defs = "; ".join(f"append_x_{i} = append_x[{i}]" for i in range(d))
    if d == 1:
        converged = "-precision < s_0 < precision"
    else:
        converged = f"hypot({', '.join(ss)}) < precision"
    return _TEMPLATE.format(
        xs=", ".join(xs), gs=", ".join(gs), ss=", ".join(ss),
        append_defs=append_defs, gradient_lines=gradient_lines, step_lines=step_lines,
        move_lines=move_lines, value=value_code, append_lines=append_lines,
        finite_x="".join(f" and v_{i} - v_{i} == 0.0" for i in range(d)), converged=converged)
