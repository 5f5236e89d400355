"""What `train` tells its listeners: each update (`on_batch`) and each epoch's weights.

The views draw from these, so they must be the run itself: the batches of an epoch
cover the training rows once, each update starts where the last ended, the last one
ends at the result's weights, and listening changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from tutor.engine import load_table_csv, train

DATA = Path(__file__).resolve().parents[2] / "lessons" / "data"


def passed() -> tuple[list[list[float]], list[float]]:
    table = load_table_csv(DATA / "passed.csv")
    return table.columns, table.ys


def test_each_update_is_reported_and_chains_to_the_result() -> None:
    cols, ys = passed()
    steps: list = []
    result = train(cols, ys, model="logistic", batch_size=4, epochs=3, seed=5,
                   test_fraction=0.2, on_batch=steps.append)
    assert len(steps) == result.nit == 3 * 6  # 24 training rows in batches of 4
    assert [s.update for s in steps] == list(range(1, 19))
    assert [(s.epoch, s.batch) for s in steps[5:7]] == [(1, 6), (2, 1)]
    assert all(s.batches == 6 for s in steps)
    for epoch in range(3):
        drawn = sorted(r for s in steps[6 * epoch:6 * epoch + 6] for r in s.rows)
        assert drawn == list(result.train_rows)  # data row numbers, each once an epoch
    assert all(a.after == b.before for a, b in zip(steps, steps[1:]))
    assert steps[-1].after == result.params
    assert [s.cost for s in steps] == result.batch_costs
    assert all(s.after == tuple(p - 0.1 * g for p, g in zip(s.before, s.gradient))
               for s in steps)


def test_a_full_batch_update_draws_every_row_and_listening_changes_nothing() -> None:
    cols, ys = passed()
    steps: list = []
    heard = train(cols, ys, model="logistic", epochs=4, l2=0.1, on_batch=steps.append)
    quiet = train(cols, ys, model="logistic", epochs=4, l2=0.1)
    assert heard.params == quiet.params and len(steps) == 4
    assert steps[0].rows == tuple(range(30)) and steps[0].batches == 1
    # with l2 the weights move by the rate times the gradient reported: the penalty's
    # slope is in it (without it they would be 0.1 * 2 * l2 * w away)
    assert all(s.after == tuple(p - 0.1 * g for p, g in zip(s.before, s.gradient))
               for s in steps)


def test_each_epoch_report_carries_the_weights_and_predicts_with_them() -> None:
    cols, ys = passed()
    reports: list = []
    result = train(cols, ys, model="logistic", hidden=3, epochs=5, seed=2,
                   callback=reports.append)
    assert [r.epoch for r in reports] == [1, 2, 3, 4, 5]
    assert reports[-1].params == result.params and reports[0].params != result.params
    assert reports[-1].predict([[1.0], [9.0]]) == result.predict([[1.0], [9.0]])
