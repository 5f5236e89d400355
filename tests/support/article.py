"""The article's `gradient_descent` (the reference solution of the code lessons) and the
article's own call, x^2 from 3 at 0.1, which gives 41 guesses.

Shared by the sandbox tests and benchmarks/bench_sandbox.py, so both time and check the
same code. Plain data: importing it pulls in nothing else.
"""

from __future__ import annotations

REFERENCE = '''\
from sympy import Symbol, lambdify

x = Symbol("x")


def gradient_descent(cost_fn, initial_guess, learning_rate, precision=0.0001,
                     max_iterations=100):
    df = lambdify(x, cost_fn.diff(x))
    new_x = initial_guess
    guesses = [new_x]
    for _ in range(max_iterations):
        previous_x = new_x
        slope = df(previous_x)
        new_x = previous_x - learning_rate * slope
        guesses.append(new_x)
        if abs(new_x - previous_x) < precision:
            break
    return guesses
'''
ARTICLE_CASE = {"args": [{"sympy": "x^2"}, 3, 0.1]}
"""The article's call: 41 guesses, from 3 down to 3 * 0.8**40."""
