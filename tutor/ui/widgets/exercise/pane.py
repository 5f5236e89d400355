"""ExercisePane: fields, run / step / compare, plots, checks, hints and skip for one exercise.

`ExercisePane(None)` is the free pane of the playground: every field editable, no goal.
Runs happen in thread workers; the pane never imports SymPy on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.worker import get_current_worker

from tutor.practice import (
    CompareOutcome, DataPolicy, FitOutcome, ModelStepper, judged_on_run, main_mode,
)
from tutor.ui.widgets.exercise import code_editor, jobs, messages
from tutor.ui.widgets.exercise.button_row import ButtonRow
from tutor.ui.widgets.exercise.choices import ChoiceList
from tutor.ui.widgets.exercise.cost_plot import hidden_curves
from tutor.ui.widgets.exercise.fields import ExerciseFields, FieldInput
from tutor.ui.widgets.exercise.hint_box import HintBox
from tutor.ui.widgets.exercise.model_views import describe_batch_step, describe_model
from tutor.ui.widgets.exercise.results import ResultView
from tutor.ui.widgets.exercise.specs import (
    asks_answer, asks_choice, compare_set, default_values, field_specs, first_prompt, offers, trains_model,
)
from tutor.ui.widgets.exercise.status import RunStatus, describe_fit, describe_result
from tutor.ui.widgets.exercise.step_view import StepView
from tutor.wording import plural

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise

SAVE_DELAY_S = 0.6
RUNNING_NOTE_S = 0.15
EARLIER = {
    "done": "Done before: you passed this one. Try it again any time.",
    "attempted": "Tried before, not passed yet: what you last typed is back in the fields.",
    "skipped": "Skipped before: give it another go when you are ready.",
}
"""What the status says at first about the learner's earlier work (progress store states)."""
CODE_RUN_LABEL = "Run F5"
"""A code exercise's Run button: Enter in its editor starts a new line, F5 runs."""
BUTTONS = (("run", "Run ⏎"), ("step", "Step ^t"), ("compare", "Compare ^f"),
           ("hint", "Hint ^g"), ("skip", "Skip ^o"), ("reset", "Reset ^r"), ("cancel", "Cancel Esc"))


class ActionButton(Button):
    """A compact button whose label starts with `▶` while it has focus (seen without colour)."""

    def __init__(self, label: str, **options: Any) -> None:
        super().__init__(f" {label}", compact=True, **options)
        self._text = label

    def on_focus(self) -> None:
        """Mark the button."""
        self.label = f"▶{self._text}"

    def on_blur(self) -> None:
        """Unmark the button."""
        self.label = f" {self._text}"


def _button(label: str, name: str) -> Button:
    """A clickable action button. Only Run is in the Tab order (an exercise with nothing to
    type still needs one stop that Enter runs); the others have their own keys."""
    if name == "run":
        return ActionButton(label, id="run-button")
    button = Button(label, id=f"{name}-button", compact=True)
    button.can_focus = False
    return button


class ExercisePane(Vertical):
    """One exercise (or the playground): type, run, step, compare, check, hint, skip."""

    DEFAULT_CSS = """
    ExercisePane { height: auto; padding: 0 0; }
    ExercisePane > #prompt { padding: 0 1; }
    ExercisePane > #buttons { height: auto; margin: 0 0 0 1; }
    ExercisePane > #buttons > Button { min-width: 0; width: auto; margin: 0 1 0 0; }
    ExercisePane > #choices { height: auto; max-height: 8; border: none; padding: 0 1; }
    ExercisePane > #choices:focus { border-left: outer $accent; padding: 0 1 0 0; }
    """

    # Not in the footer: the buttons name these keys, and the footer keeps room at 80
    # columns for moving on (f3), the lessons and help. F1 lists them all.
    BINDINGS = [
        Binding("enter", "run", "Run", show=False),
        Binding("ctrl+t", "step", "Step", show=False),
        Binding("ctrl+f", "compare", "Compare", show=False),
        Binding("ctrl+g", "hint", "Hint", show=False),
        Binding("ctrl+o", "skip", "Skip", show=False),
        Binding("ctrl+r", "reset", "Reset", show=False),
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+y", "show_python", "Show the Python", show=False),
    ]

    RunProgress = messages.RunProgress
    RunFinished = messages.RunFinished
    RunFailed = messages.RunFailed
    StepTaken = messages.StepTaken
    ModelSnapshot = messages.ModelSnapshot
    ModelStepTaken = messages.ModelStepTaken
    Checked = messages.Checked
    Attempted = messages.Attempted
    Skipped = messages.Skipped
    HintShown = messages.HintShown
    InputsChanged = messages.InputsChanged

    def __init__(self, exercise: Exercise | None, *, saved_inputs: dict | None = None,
                 state: str | None = None, hints_shown: int = 0,
                 data_policy: DataPolicy | None = None, id: str | None = None,
                 overrides: dict[str, str | None] | None = None) -> None:
        super().__init__(id=id)
        self.exercise = exercise
        self.saved_inputs = dict(saved_inputs or {})
        self.state = state
        self.hints_shown = hints_shown
        self.data_policy = data_policy or DataPolicy()
        self.overrides = dict(overrides or {})
        self.stepper = jobs.Stepper()
        self.model_stepper = ModelStepper()
        self.reports: list[Any] = []
        self.run_id = 0
        self._run_active = False
        self._save_timer: Timer | None = None
        self._last_inputs: dict | None = None
        self._passed_inputs: dict | None = None  # the inputs of the last pass (Enter moves on)
        self._attempted_inputs: dict | None = None  # the inputs the last run or check read

    # ----- layout -----------------------------------------------------------------------

    @property
    def key(self) -> str:
        """The progress key of the exercise ('' for the free pane)."""
        return self.exercise.key if self.exercise is not None else ""

    @property
    def kind(self) -> str:
        """The exercise kind ('run' for the free pane)."""
        return self.exercise.kind if self.exercise is not None else "run"

    def compose(self) -> ComposeResult:
        """Prompt, fields, answer options, buttons, status, step, hints and results."""
        ex = self.exercise
        if ex is not None and ex.prompt:
            yield Static(ex.prompt, id="prompt")
        yield ExerciseFields(field_specs(ex, self.saved_inputs, self.overrides))
        if ex is not None and ex.code is not None:
            yield code_editor.editor_for(ex, self.saved_inputs)
        runs_first = self.offers("run")  # run, look, then answer; a quiz answers at once
        if asks_choice(ex) and not runs_first:
            yield self._options()
        with ButtonRow(id="buttons"):
            for name, label in BUTTONS:
                if self.offers(name):
                    code_run = name == "run" and self.kind == "code"
                    yield _button(CODE_RUN_LABEL if code_run else label, name)
        if asks_choice(ex) and runs_first:
            yield self._options()
        yield RunStatus()
        if ex is not None and ex.code is not None:
            yield code_editor.PrintedView()
        yield StepView()
        yield HintBox(ex.hints if ex else (), ex.solution if ex else {}, self.hints_shown)
        yield ResultView()

    def first_prompt(self) -> str:
        """What the status line says before anything happens: the key to press first."""
        return first_prompt(self.exercise)

    def _options(self) -> ChoiceList:
        options = self.exercise.options if self.exercise is not None else ()
        return ChoiceList(options, id="choices")

    def on_mount(self) -> None:
        """Remember the starting inputs; say what happened last time, if anything."""
        if not self.query(ExerciseFields):  # removed before its children mounted (lesson left)
            return
        self._choose_saved_option()
        self._last_inputs = self.inputs()
        self.status.show_text(self.first_prompt())
        if self.state:
            self.status.show_text(EARLIER.get(self.state, f"Earlier: {self.state}."))
        if self.exercise is not None and self.exercise.code is not None:
            self._prepare_code(self.data_policy.served)

    @work(thread=True, exclusive=True, group="prepare")
    def _prepare_code(self, served: bool) -> None:
        """Check the sandbox and warm a child off the UI thread; say so if code is off."""
        line = code_editor.prepare_sandbox(served)
        if line is not None:
            self.app.call_from_thread(self.status.show_error, line)

    def _choose_saved_option(self) -> None:
        """No option highlighted until the learner moves (Enter alone must not answer 1),
        unless they chose one before."""
        for options in self.query("#choices").results(OptionList):
            saved = str(self.saved_inputs.get("choice", "")).strip()
            count = len(options.options)
            options.highlighted = int(saved) - 1 if saved.isdigit() and 1 <= int(saved) <= count else None

    @property
    def running(self) -> bool:
        """True while a run, compare or fit is working in a thread."""
        return self._run_active

    @running.setter
    def running(self, value: bool) -> None:
        if value != self._run_active:
            self._run_active = value
            if self.is_mounted:
                self.refresh_bindings()

    @property
    def passed(self) -> bool:
        """Passed, in this sitting or an earlier one."""
        return self.state == "done" or self._passed_inputs is not None

    @property
    def ready_to_move_on(self) -> bool:
        """True after a pass while the inputs are still the ones that passed: Enter moves on
        to the next exercise instead of running this one again."""
        return (self._passed_inputs is not None and not self.running and self.kind != "code"
                and self.inputs() == self._passed_inputs)

    def entry(self) -> Widget | None:
        """Where the cursor goes on arriving: a code exercise's editor, else the first field
        the exercise asks to change (its `editable:`), else the first editable one, else the
        options, else Run."""
        editor = next(iter(self.query(code_editor.CodeArea)), None)
        if editor is not None:  # a code exercise: straight into the editor
            return editor
        asked = set(self.exercise.editable) if self.exercise is not None else set()
        first = self.fields.first_editable(asked) or self.fields.first_editable()
        if first is not None:
            return first
        return next(iter(self.query("#choices, #run-button").results(Widget)), None)

    @property
    def fields(self) -> ExerciseFields:
        """The fields widget."""
        return self.query_one(ExerciseFields)

    @property
    def status(self) -> RunStatus:
        """The status line."""
        return self.query_one(RunStatus)

    @property
    def results(self) -> ResultView:
        """Plots and table."""
        return self.query_one(ResultView)

    def inputs(self) -> dict[str, str]:
        """The inputs dict as typed (strings), with the chosen option for choice kinds."""
        values = self.fields.values()
        for editor in self.query(code_editor.CodeEditor):
            values.update(editor.values())
        if asks_choice(self.exercise):
            index = self.query_one("#choices", OptionList).highlighted
            values["choice"] = "" if index is None else str(index + 1)
        return values

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys for the actions this exercise offers; Esc only while something runs."""
        if action == "cancel":
            return self.running
        return self.offers(action)

    def offers(self, action: str) -> bool:
        """Whether this kind of exercise has the action (and its button)."""
        return offers(self.exercise, action)

    @property
    def _advice(self) -> bool:
        """Whether the run's status line adds the engine's advice (not when a check follows)."""
        return not judged_on_run(self.exercise)

    # ----- actions ----------------------------------------------------------------------

    def action_run(self) -> None:
        """Run the exercise's main action: descent, compare, fit or check the answer."""
        self._start(main_mode(self.exercise))

    def action_compare(self) -> None:
        """Run every learning rate or method in the compare set on one cost plot."""
        self._start("compare")

    def action_check_answer(self) -> None:
        """Check the typed answer or chosen option."""
        self._start("answer")

    def action_step(self) -> None:
        """Take ONE iteration: predict, calculate the error, learn (on a model fit: one
        update from one batch)."""
        self.run_id += 1
        if self.kind == "fit":
            self._model_step_worker(self.run_id, self.inputs())
        else:
            self._step_worker(self.run_id, self.inputs())

    def action_hint(self) -> None:
        """Show the next hint, or the solution after the last."""
        box = self.query_one(HintBox)
        if box.revealed:
            self.notify("The solution is already shown.")
            return
        self.hints_shown = box.next_hint()
        self.post_message(self.HintShown(self, self.key, self.hints_shown))

    def action_skip(self) -> None:
        """Skip the exercise (recorded as skipped, not done)."""
        if self.exercise is not None:
            self.status.show_text("Skipped. You can come back to it any time.")
            self.post_message(self.Skipped(self, self.key))

    def action_run_code(self) -> None:
        """F5 in a code exercise (its editor's key; on the buttons, see `on_key`): run."""
        if self.kind == "code":
            self.action_run()

    def on_key(self, event: events.Key) -> None:
        """Every key that reaches the pane (not typed text) brings it into view. F5 on a code exercise's buttons runs it too, as the Run button's label says (a
        key, not a binding: the help lists F5 once, with the editor that shows it)."""
        self.keep_in_view()
        if event.key == "f5" and self.kind == "code":
            event.stop()
            self.action_run()

    def keep_in_view(self) -> None:
        """A key aimed at this exercise (Ctrl+T, Enter, Down...; typing scrolls by itself)
        shows its focused field and then its status: after PgUp the learner sees it act."""
        focused = self.screen.focused
        if (focused is None or self not in focused.ancestors
                or isinstance(focused, (TextArea, ChoiceList))):
            return  # a code editor keeps its cursor in view; a choice list shows itself first
        focused.scroll_visible(animate=False, immediate=True)
        self.call_after_refresh(self.status.scroll_visible, animate=False)

    def action_cancel(self) -> None:
        """Stop a long run; the partial run is shown as cancelled (a code run has nothing
        to show: its sandbox child is killed and the status says so)."""
        if self.running:
            self.workers.cancel_group(self, "run")
        if self.running and self.kind == "code":
            self.run_id += 1  # what the killed run still posts is not this run's
            self.running = False
            self.status.show_text("You cancelled the run: your code was stopped.")

    def action_show_python(self) -> None:
        """Show the current settings as a standalone SymPy script (read off the UI thread)."""
        self._python_worker(self.inputs())

    @work(thread=True, exclusive=True, group="python")
    def _python_worker(self, inputs: dict) -> None:
        from tutor.practice import one_sentence, read
        from tutor.practice.script import python_script
        from tutor.ui.widgets.exercise.python_view import PythonScreen

        try:
            script = python_script(read(self.exercise, inputs, "run"))  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - one sentence, never a traceback
            # a notification, not the status line: a PASS or NOT YET there stays
            self.app.call_from_thread(self.notify, one_sentence(exc), severity="warning")
            return
        self.app.call_from_thread(self.app.push_screen, PythonScreen(script))

    def action_reset(self) -> None:
        """Back to the exercise defaults."""
        self.reset()

    def reset(self) -> None:
        """Restore the default inputs and clear every output."""
        self.workers.cancel_group(self, "run")
        self.run_id += 1
        self.running = False
        self.fields.set_values(default_values(self.exercise) | {
            k: v for k, v in self.overrides.items() if v is not None})
        self.stepper.forget()
        self.model_stepper.forget()
        self._passed_inputs = None
        self.reports = []
        self.query_one(StepView).clear()
        self.results.clear()
        self.status.show_text(self.first_prompt())
        for printed in self.query(code_editor.PrintedView):
            printed.show("")
        for editor in self.query(code_editor.CodeEditor):
            editor.reset()
            editor.area.focus()
            return
        first = self.fields.first_editable()
        if first is not None:
            first.focus()

    # ----- workers ----------------------------------------------------------------------

    def _start(self, mode: str) -> None:
        if mode == "answer" and not self._has_answer():
            return
        if mode == "answer" and (self.status.has_class("-error")
                                 or self.status.outcome_text in self._notes()):
            self.status.show_text("")  # the problem or the first note is answered by this attempt
        self.run_id += 1
        self.running = mode != "answer"
        self._attempted_inputs = self.inputs()
        inputs = dict(self._attempted_inputs)
        if mode == "compare":  # a lesson's run exercise has no compare field: ^f picks a set
            inputs["compare"] = compare_set(self.exercise, inputs)
        if self.running:  # only runs that take a while say so (no flicker, no extra layout)
            self.set_timer(RUNNING_NOTE_S, lambda run_id=self.run_id: self._note_running(run_id))
        self._run_worker(self.run_id, mode, inputs)

    def _ready_to_retype(self) -> None:
        """After a run or check, select the text of the field the cursor is in (when nothing
        was typed meanwhile): the next character replaces the value, as on first entry."""
        focused = self.screen.focused if self.is_attached else None
        if (isinstance(focused, FieldInput) and focused in self.query(FieldInput)
                and self.inputs() == self._attempted_inputs):
            focused.select_all()

    def _notes(self) -> set[str]:
        """The status texts that only say what to do (first prompt, earlier work)."""
        return {self.first_prompt(), *EARLIER.values()}

    def _note_running(self, run_id: int) -> None:
        if run_id == self.run_id and self.running and not self.status.outcome_text.startswith("Running"):
            self.status.show_text("Running... (Esc cancels)")

    def _answer_next(self) -> list[str]:
        """After a compare that asks a question, say how to answer it (else nothing): the
        options and the answer field are above the status line."""
        if asks_choice(self.exercise):
            return ["Then pick the answer above (Tab)."]
        if asks_answer(self.exercise):
            return ["Then type the answer in the answer field above (Shift+Tab)."]
        return []

    def _has_answer(self) -> bool:
        values = self.inputs()
        if asks_answer(self.exercise) and not values.get("answer", "").strip():
            self.status.show_error("Type your answer in the answer field, then press Enter.")
            return False
        if asks_choice(self.exercise) and not values.get("choice"):
            self.status.show_error("Choose one of the options with the arrow keys, then press Enter.")
            return False
        return True

    @work(thread=True, exclusive=True, group="run")
    def _run_worker(self, run_id: int, mode: str, inputs: dict) -> None:
        worker = get_current_worker()
        jobs.run_job(self.post_message, run_id, mode, inputs, self.exercise, self.data_policy,
                     lambda: worker.is_cancelled)

    @work(thread=True, exclusive=False, group="step")
    def _step_worker(self, run_id: int, inputs: dict) -> None:
        jobs.step_job(self.post_message, run_id, self.stepper, inputs, self.exercise)

    @work(thread=True, exclusive=False, group="step")
    def _model_step_worker(self, run_id: int, inputs: dict) -> None:
        jobs.model_step_job(self.post_message, run_id, self.model_stepper, inputs,
                            self.exercise, self.data_policy)

    # ----- worker messages --------------------------------------------------------------

    @on(messages.RunProgress)
    def _progress(self, message: messages.RunProgress) -> None:
        """Show how far a long run has got."""
        if message.run_id == self.run_id and self.running:
            self.status.show_progress(message.done, message.total,
                                      "epochs" if trains_model(self.exercise) else "updates")

    @on(messages.RunFailed)
    def _failed(self, message: messages.RunFailed) -> None:
        """One clear sentence instead of output."""
        if message.run_id == self.run_id:
            self.running = False
            self.status.show_error(message.sentence)
            self._ready_to_retype()
            self.results.clear()
            for printed in self.query(code_editor.PrintedView):
                printed.show("")

    @on(messages.RunFinished)
    def _finished(self, message: messages.RunFinished) -> None:
        """Status in words and the plots for the finished run, compare or fit."""
        if message.run_id != self.run_id:
            return
        self.running = False
        self.query_one(StepView).clear()
        outcome = message.outcome
        if code_editor.is_code_outcome(outcome):
            self.status.show_text(code_editor.describe_code_run(outcome))
            for printed in self.query(code_editor.PrintedView):
                printed.show(code_editor.printed_text(outcome))
            self.results.clear()
        elif isinstance(outcome, FitOutcome) and outcome.settings.trains_model:
            self.status.show_text(describe_model(outcome.result))
            self.results.show_model(outcome)
        elif isinstance(outcome, FitOutcome):
            self.status.show_text(describe_fit(outcome.result, outcome.data.x_name,
                                               outcome.data.y_name))
            self.results.show_fit(outcome)
        elif isinstance(outcome, CompareOutcome):
            lines = [f"{o.label}: {describe_result(o.result).split('. ')[0]}" for o in outcome.runs]
            note = hidden_curves([(o.label, [p.cost for p in o.result.path]) for o in outcome.runs])
            self.status.show_text("\n".join(lines + ([note] if note else []) + self._answer_next()))
            self.results.show_compare(outcome)
        else:
            self.status.show_text(describe_result(outcome.result, self._advice))
            self.results.show_run(outcome)
        if self.exercise is not None and not judged_on_run(self.exercise):
            self.post_message(self.Attempted(self, self.key, self.inputs(), None, ""))
        self._ready_to_retype()

    @on(messages.StepTaken)
    def _stepped(self, message: messages.StepTaken) -> None:
        """Show the step's three numbers and grow the plots by one iteration (the verdict on
        a finished walk follows as its own message)."""
        if message.run_id != self.run_id:
            return
        self.reports = [] if message.fresh else self.reports
        self.reports.append(message.report)
        settings, names = message.settings, tuple(message.objective.variables)
        self.query_one(StepView).show_step(message.report, settings.learning_rate,
                                           settings.method, names)
        self.results.show_steps(message.objective, self.reports, names, settings.function)
        if message.outcome is None:
            self.status.show_text(f"Step {message.report.n} done. Press ^t for the next one.")
            return
        self.status.show_text(describe_result(message.outcome.result, self._advice))

    @on(messages.ModelSnapshot)
    def _snapshot(self, message: messages.ModelSnapshot) -> None:
        """Redraw a model's costs and map while it trains."""
        if message.run_id == self.run_id and self.running:
            self.results.show_model_progress(message.progress)

    @on(messages.ModelStepTaken)
    def _model_stepped(self, message: messages.ModelStepTaken) -> None:
        """One update of a model fit: the batch drawn, its gradient, the weights moved."""
        if message.run_id != self.run_id:
            return
        walk, step_view = message.walk, self.query_one(StepView)
        if walk.step is None:
            step_view.clear()
            self.status.show_text(f"The run is over after "
                                  f"{plural(walk.updates, 'update', grouped=True)}. Press ^t "
                                  "to start again, or Enter to run it all.")
            return
        settings = walk.settings
        step_view.show_text(describe_batch_step(walk.step, settings.learning_rate,
                                                settings.method, walk.data.x_names))
        self.results.show_model_step(walk)
        self.status.show_text(f"Step {walk.step.update} done. Press ^t for the next one.")

    @on(messages.Checked)
    def _checked(self, message: messages.Checked) -> None:
        """Show PASS / NOT YET and tell the screen about the attempt."""
        if message.run_id != self.run_id:
            return
        self.running = False
        verdict = message.verdict
        text = verdict.message
        if verdict.passed and verdict.explain:
            text = f"{text} {verdict.explain}".strip()
        elif not verdict.passed and self.offers("hint") and not self.query_one(HintBox).revealed:
            text = f"{text} Press ^g for a hint."
        self._passed_inputs = dict(message.inputs) if verdict.passed else None
        if verdict.passed and hasattr(self.screen, "move_to_exercise"):  # (Enter is a new line
            text = f"{text} {'F3' if self.kind == 'code' else 'Enter'}: next exercise."  # in code)
        self.status.drop_lines(*self._answer_next())  # answered: "Then pick..." is done
        self.status.show_check(verdict.passed, text)
        self._ready_to_retype()
        self.status.bring_into_view()  # the verdict is never below the fold
        self.post_message(self.Attempted(self, self.key, message.inputs, verdict.passed,
                                         verdict.message, verdict.diagnosis))

    # ----- input events -----------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "field-answer":
            self.action_check_answer()
        else:
            self.action_run()

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_check_answer()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = (event.button.id or "").removesuffix("-button")
        getattr(self, f"action_{name}")()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Input.Changed | TextArea.Changed) -> None:
        if self.exercise is None:
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY_S, self._emit_inputs)

    def _emit_inputs(self) -> None:
        inputs = self.inputs()
        if inputs != self._last_inputs:
            self._last_inputs = inputs
            self.post_message(self.InputsChanged(self, self.key, inputs))
