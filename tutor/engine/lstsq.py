"""The exact least-squares fit on several features, in pure Python (no numpy).

Used as the reference printed next to a descent. The features are standardised
and centred first, so the normal equations are solved on the correlation-sized
matrix (condition number about 12,000 for Longley, not 10^16 as in raw units),
by Gaussian elimination with partial pivoting and one step of refinement.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tutor.engine.errors import DataError
from tutor.engine.training import HUGE, Scaling, check_columns, mean_and_spread


def least_squares(columns: Sequence[Sequence[float]], ys: Sequence[float],
                  names: Sequence[str] | None = None) -> tuple[float, list[float]]:
    """Intercept and coefficients (original units) minimising the mean squared error.

    Raises DataError for linearly dependent features or values too large to solve with.
    """
    cols, ys, names = check_columns(columns, ys, names)
    scaling = Scaling.of(cols, names)
    zs = scaling.apply(cols)
    mean_y, spread_y = mean_and_spread(ys)
    if not all(math.isfinite(v) and abs(v) < HUGE for v in (mean_y, spread_y, *ys)):
        raise DataError("the y values are too large for an exact least-squares answer")
    centred = [y - mean_y for y in ys]
    matrix = [[math.fsum(a * b for a, b in zip(zi, zj)) for zj in zs] for zi in zs]
    right = [math.fsum(a * b for a, b in zip(zi, centred)) for zi in zs]
    weights = _solve(matrix, right)
    residual = [r - math.fsum(m * w for m, w in zip(row, weights))
                for row, r in zip(matrix, right)]
    weights = [w + d for w, d in zip(weights, _solve(matrix, residual))]
    return scaling.to_original([mean_y, *weights])


def _solve(matrix: list[list[float]], right: list[float]) -> list[float]:
    """x with matrix @ x = right, by Gaussian elimination with partial pivoting."""
    n = len(right)
    rows = [list(row) + [r] for row, r in zip(matrix, right)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-13 * max(1.0, abs(rows[col][col])):
            raise DataError("the features are linearly dependent (one is a combination of "
                            "the others), so least squares has no single answer")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (rows[r][n] - math.fsum(rows[r][c] * x[c] for c in range(r + 1, n))) / rows[r][r]
    return x
