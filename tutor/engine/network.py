"""A first neural network: one hidden layer of 2-8 units, trained by backpropagation.

    a_u = b_u + sum_j W_uj x_j        (each hidden unit's weighted sum)
    h_u = act(a_u)                    (tanh or sigmoid)
    out = c + sum_u v_u h_u           (the output's weighted sum)
    prediction = out (linear) or sigmoid(out) (logistic)

Backpropagation is the chain rule, applied from the cost back to every weight:
dC/dv_u = dC/dout * h_u, dC/dh_u = dC/dout * v_u, dC/da_u = dC/dh_u * act'(a_u),
dC/dW_uj = dC/da_u * x_j. The parameters are one flat list (so the optimizers
step them like any other): for each unit [b_u, W_u1..W_uk], then [c, v_1..v_h].
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from tutor.engine.errors import EngineInputError
from tutor.engine.losses import Columns, log_loss, sigmoid

ACTIVATIONS = ("tanh", "sigmoid")
MIN_HIDDEN, MAX_HIDDEN = 2, 8


class NetworkProblem:
    """A one-hidden-layer network with a linear (squared error) or logistic (log-loss) output."""

    def __init__(self, features: int, hidden: int, activation: str = "tanh",
                 output: str = "logistic") -> None:
        if isinstance(hidden, bool) or not isinstance(hidden, int) \
                or not MIN_HIDDEN <= hidden <= MAX_HIDDEN:
            raise EngineInputError(f"the hidden layer needs {MIN_HIDDEN} to {MAX_HIDDEN} units, "
                                   f"not {hidden!r}")
        if activation not in ACTIVATIONS:
            raise EngineInputError(f"unknown activation {activation!r}; use tanh or sigmoid")
        self.name = output
        self.features, self.hidden, self.activation = features, hidden, activation
        self.logistic = output == "logistic"
        unit = (False,) + (True,) * features
        self.size = hidden * (features + 1) + hidden + 1
        self.penalised = unit * hidden + (False,) + (True,) * hidden

    def initial(self, rng: random.Random) -> list[float]:
        """Small random weights (zero would make every hidden unit the same), biases 0."""
        params: list[float] = []
        spread = 1.0 / math.sqrt(self.features)
        for _ in range(self.hidden):
            params += [0.0] + [rng.uniform(-spread, spread) for _ in range(self.features)]
        spread = 1.0 / math.sqrt(self.hidden)
        return params + [0.0] + [rng.uniform(-spread, spread) for _ in range(self.hidden)]

    def forward(self, params: Sequence[float], x: Sequence[float]) -> tuple[list[float], float]:
        """The hidden units' outputs h and the output's weighted sum for one example."""
        width = self.features + 1
        act = math.tanh if self.activation == "tanh" else sigmoid
        hs = []
        for u in range(self.hidden):
            base = u * width
            a = params[base] + sum(w * v for w, v in zip(params[base + 1:base + width], x))
            hs.append(act(a))
        top = self.hidden * width
        out = params[top] + sum(v * h for v, h in zip(params[top + 1:top + 1 + self.hidden], hs))
        return hs, out

    def example_loss(self, out: float, y: float) -> float:
        """The cost of one example: log-loss or squared error."""
        return log_loss(out, y) if self.logistic else (out - y) * (out - y)

    def backward(self, params: Sequence[float], x: Sequence[float], hs: list[float],
                 out: float, y: float, grad: list[float]) -> None:
        """Add one example's dC/dparams to `grad`, by the chain rule from the output back."""
        width, top = self.features + 1, self.hidden * (self.features + 1)
        d_out = (sigmoid(out) - y) if self.logistic else 2.0 * (out - y)   # dC/dout
        grad[top] += d_out                                                 # dC/dc
        for u, h in enumerate(hs):
            v = params[top + 1 + u]
            grad[top + 1 + u] += d_out * h                                 # dC/dv_u
            d_h = d_out * v                                                # dC/dh_u
            slope = 1.0 - h * h if self.activation == "tanh" else h * (1.0 - h)
            d_a = d_h * slope                                              # dC/da_u
            base = u * width
            grad[base] += d_a                                              # dC/db_u
            for j, xj in enumerate(x):
                grad[base + 1 + j] += d_a * xj                             # dC/dW_uj

    def loss_grad(self, params: Sequence[float], cols: Columns,
                  ys: Sequence[float]) -> tuple[float, list[float]]:
        """Mean cost of the batch and its gradient, example by example."""
        grad = [0.0] * self.size
        total = 0.0
        for x, y in zip(zip(*cols), ys):
            hs, out = self.forward(params, x)
            total += self.example_loss(out, y)
            self.backward(params, x, hs, out, y, grad)
        m = len(ys)
        return total / m, [g / m for g in grad]

    def loss(self, params: Sequence[float], cols: Columns, ys: Sequence[float]) -> float:
        """Mean cost of the batch."""
        outs = [self.forward(params, x)[1] for x in zip(*cols)]
        return sum(map(self.example_loss, outs, ys)) / len(ys) if ys else math.nan

    def predict(self, params: Sequence[float], cols: Columns) -> list[float]:
        """The network's prediction (a probability for a logistic output) for every row."""
        outs = [self.forward(params, x)[1] for x in zip(*cols)]
        return [sigmoid(o) for o in outs] if self.logistic else outs
