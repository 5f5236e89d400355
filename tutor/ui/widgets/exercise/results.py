"""Everything a run shows below the status: cost plot, f or level view or fit, and the table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from tutor.practice.running import sample_indices
from tutor.ui.widgets.exercise.contour_plot import LevelView
from tutor.ui.widgets.exercise.cost_plot import LEGEND_LINE, CostPlot
from tutor.ui.widgets.exercise.decision_map import DecisionMap
from tutor.ui.widgets.exercise.fit_plot import FitPlot
from tutor.ui.widgets.exercise.function_plot import FunctionPlot
from tutor.ui.widgets.exercise.iteration_table import (
    IterationTable, rows_from_path, rows_from_reports,
)
from tutor.ui.widgets.exercise.model_views import (
    Series, curve_of, model_series, result_series,
)
from tutor.practice import CompareOutcome, derivative_of

PATH_POINTS = 400
"""Most path points handed to a plot (they thin again to their own width)."""


def cost_series(label: str, path: Any) -> tuple[str, list[int], list[float]]:
    """(label, iterations, costs) for at most PATH_POINTS points of a path."""
    picked = sample_indices(len(path), PATH_POINTS)
    return label, picked, [path[i].cost for i in picked]


class ResultView(Vertical):
    """The plots side by side over the iteration table; hidden until there is a result."""

    DEFAULT_CSS = """
    ResultView { height: auto; display: none; }
    ResultView.-shown { display: block; }
    ResultView > #derivative { padding: 0 1; }
    ResultView > #plots { height: 13; }
    ResultView > #plots > * { display: none; }
    ResultView > #plots > .-shown { display: block; }
    """

    def compose(self) -> ComposeResult:
        """The derivative, cost plot and one of the right-hand views, then the table."""
        yield Static("", id="derivative")
        with Horizontal(id="plots"):
            yield CostPlot()
            yield FunctionPlot()
            yield LevelView()
            yield FitPlot()
            yield DecisionMap()
        yield IterationTable()

    def _reveal(self, *widgets: Any) -> None:
        for child in self.query_one("#plots").children:
            child.set_class(child in widgets, "-shown")
        self.add_class("-shown")

    def _derivative(self, function: str | None) -> None:
        """The slope SymPy worked out (`f'(x) = 2*x`): the 'calculate the error' formula."""
        text = derivative_of(function) if function else ""
        label = self.query_one("#derivative", Static)
        word = "gradient" if text.startswith("df/d") else "slope"
        label.update(Text(f"{word}: {text}" if text else ""))
        label.display = bool(text)

    def clear(self) -> None:
        """Hide every output (new inputs, reset)."""
        self.remove_class("-shown")
        self.query_one(IterationTable).show_rows([])

    def show_run(self, outcome: Any) -> None:
        """One descent: costs, f or the level view, and the table."""
        result = outcome.result
        path, names = result.path, tuple(result.variables)
        self.query_one(CostPlot).show_series([cost_series("", path)])
        picked = sample_indices(len(path), PATH_POINTS)
        self._derivative(outcome.settings.function)
        self._show_shape(outcome.objective, [tuple(path[i].x) for i in picked],
                         [path[i].cost for i in picked], names)
        self.query_one(IterationTable).show_rows(rows_from_path(path, outcome.objective.gradient), names)

    def show_steps(self, objective: Any, reports: Sequence[Any], names: tuple[str, ...],
                   function: str | None = None) -> None:
        """Single steps so far: the same views, grown one iteration at a time."""
        points = [tuple(r.x) for r in reports] + [tuple(reports[-1].new_x)]
        costs = [r.cost for r in reports] + [reports[-1].new_cost]
        self.query_one(CostPlot).show_series([("", list(range(len(costs))), costs)])
        self._derivative(function)
        self._show_shape(objective, points, costs, names)
        self.query_one(IterationTable).show_rows(rows_from_reports(reports), names)

    def show_compare(self, outcome: CompareOutcome) -> None:
        """Several runs on one cost plot with a legend; the table lists each run's ending."""
        runs = outcome.runs
        self.query_one(CostPlot).show_series([cost_series(o.label, o.result.path) for o in runs])
        self._derivative(runs[0].settings.function if runs else None)
        self._reveal(self.query_one(CostPlot))
        self.query_one(IterationTable).show_rows([])

    def show_fit(self, outcome: Any) -> None:
        """Data with the fitted line, and the fit's cost curve."""
        data, result = outcome.data, outcome.result
        costs = list(result.costs)
        self.query_one(CostPlot).show_series([("", list(range(len(costs))), costs)])
        self._derivative(None)
        fit_plot = self.query_one(FitPlot)
        fit_plot.show_fit(data.xs, data.ys, result.intercept, result.slope,
                          (getattr(data, "x_name", "x"), getattr(data, "y_name", "y")))
        self._reveal(self.query_one(CostPlot), fit_plot)
        self.query_one(IterationTable).show_rows([])

    def show_model(self, outcome: Any) -> None:
        """A trained model: its costs, and its map or curve where it has one."""
        result = outcome.result
        self._show_model(outcome.data, result.model, result.predict, *result_series(result))

    def show_model_progress(self, progress: Any) -> None:
        """A model part-way through training (the same views, redrawn as it learns)."""
        series, unit = model_series(progress.train_costs, progress.test_costs, (), 0, 0, 1,
                                    progress.at)
        self._show_model(progress.data, progress.settings.model, progress.report.predict,
                         series, unit)

    def show_model_step(self, walk: Any) -> None:
        """Step mode on a model: the cost of each batch so far."""
        costs = list(walk.batch_costs)
        self.query_one(CostPlot).show_series([("", list(range(len(costs))), costs)], "update")
        self._derivative(None)
        self._reveal(self.query_one(CostPlot))
        self.query_one(IterationTable).show_rows([])

    def _show_model(self, table: Any, model: str, predict: Any, series: Series,
                    unit: str) -> None:
        self.query_one(CostPlot).show_series(series, unit)
        self._derivative(None)
        view = self._model_view(table, model, predict)
        self._reveal(self.query_one(CostPlot), *((view,) if view is not None else ()))
        self.query_one(IterationTable).show_rows([])

    def _model_view(self, table: Any, model: str, predict: Any) -> Any:
        """The map of a two-feature classifier, the curve along one feature, predicted
        against actual for a linear model on several (None: the costs say it all)."""
        cols, names, y_name = table.columns, table.x_names, table.y_name
        if model == "logistic" and len(cols) == 2:
            decision = self.query_one(DecisionMap)
            decision.show_model(predict, cols[0], cols[1], table.ys, (*names, y_name))
            return decision
        plot = self.query_one(FitPlot)
        if len(cols) == 1:
            what = f"P({y_name}=1)" if model == "logistic" else y_name
            plot.show_curve(cols[0], table.ys, curve_of(predict, cols[0]), (names[0], y_name),
                            f"{what} against {names[0]}: o data, {LEGEND_LINE} model")
            return plot
        if model == "linear":  # a plot shows ~2 points a column: predict only those
            picked = sample_indices(len(table.ys), PATH_POINTS)
            actual = [table.ys[i] for i in picked]
            predicted = predict([[col[i] for col in cols] for i in picked])
            ends = [min(table.ys), max(table.ys)]
            plot.show_curve(actual, predicted, (ends, ends), (f"actual {y_name}", "predicted"),
                            f"o predicted vs actual, {LEGEND_LINE} exact")
            return plot
        return None

    def _show_shape(self, objective: Any, points: list[tuple[float, ...]],
                    costs: list[float], names: tuple[str, ...]) -> None:
        if len(names) == 1:
            view: Any = self.query_one(FunctionPlot)
            view.show_guesses(lambda x: objective.value((x,)), [p[0] for p in points], costs,
                              names[0])
        else:
            view = self.query_one(LevelView)
            view.show_path(objective.value, points, names)
        self._reveal(self.query_one(CostPlot), view)
