"""Where in the learner's code a mistake is, and what kind of loop it has.

Read-only text analysis of the learner's source: `tokenize` and `ast.parse` only
(neither runs anything). A catalogued mistake's line is found by comparing the
learner's lines with the exercise's reference solution (comments, blank lines,
`pass` and spacing ignored): when the code differs in one place, that place is the
mistake; when it differs in several, the mistake's own pattern picks among them, and
the message says "near" when it still cannot be sure.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Spot:
    """A learner's line for a message: `how` is "at", "near" or "below" (a line is missing
    after it)."""

    line: int
    how: str = "at"

    def words(self) -> str:
        """'at line 7', 'near line 7' or 'just below line 7'."""
        return {"at": "at", "near": "near", "below": "just below"}[self.how] + \
            f" line {self.line}"


def code_lines(source: str) -> list[tuple[int, str]]:
    """(line number, the line's code without comments or spaces) for every line that does
    something: blank lines, comment-only lines and `pass` are left out."""
    texts = _without_comments(source)
    found = []
    for number, text in enumerate(texts, start=1):
        squeezed = "".join(text.split())
        if squeezed and squeezed != "pass":
            found.append((number, squeezed))
    return found


def _without_comments(source: str) -> list[str]:
    """The source's lines with every comment cut off (by tokens, so a '#' in a string stays)."""
    lines = source.splitlines()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                row, col = token.start
                lines[row - 1] = lines[row - 1][:col]
    except (tokenize.TokenError, IndentationError, SyntaxError, IndexError):
        return [line.split("#", 1)[0] for line in source.splitlines()]
    return lines


def differences(source: str, reference: str) -> list[tuple[str, list[int]]]:
    """The places where the learner's code differs from the reference: ("changed",
    learner lines) for replaced or added lines, ("missing", [the learner's line above
    the gap]) for reference lines the learner does not have."""
    mine, theirs = code_lines(source), code_lines(reference)
    matcher = SequenceMatcher(None, [t for _, t in theirs], [t for _, t in mine],
                              autojunk=False)
    places: list[tuple[str, list[int]]] = []
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            places.append(("changed", [n for n, _ in mine[j1:j2]]))
        elif tag == "delete":
            places.append(("missing", [mine[j1 - 1][0]] if j1 > 0 else [1]))
    return places


def _matching(lines: list[int], pattern: re.Pattern[str], source: str) -> list[int]:
    texts = dict(enumerate(_without_comments(source), start=1))
    return [n for n in lines if pattern.search(texts.get(n, ""))]


def locate(source: str, reference: str, pattern: str) -> Spot | None:
    """The learner's line where a mistake whose lines match `pattern` most likely is."""
    regex = re.compile(pattern)
    places = differences(source, reference) if reference.strip() else []
    if len(places) == 1:  # one change from the reference: the mistake is there
        how, lines = places[0]
        if how == "missing":
            return Spot(lines[0], "below")
        return Spot((_matching(lines, regex, source) or lines)[0])
    changed = [n for how, lines in places if how == "changed" for n in lines]
    candidates = _matching(changed, regex, source)
    if len(candidates) == 1:
        return Spot(candidates[0])
    anywhere = candidates or _matching([n for n, _ in code_lines(source)], regex, source)
    return Spot(anywhere[0], "near") if anywhere else None


def loops(source: str) -> list[tuple[str, int]]:
    """The code's loops in order, as (kind, line): "while", "range" (a for over range()) or
    "for" (a for over anything else). Empty when there is none or the code cannot be read."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.While):
            found.append(("while", node.lineno))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            call = node.iter
            ranged = (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                      and call.func.id == "range")
            found.append(("range" if ranged else "for", node.lineno))
    return sorted(found, key=lambda loop: loop[1])


def printing_loop(source: str) -> int | None:
    """The line of the innermost loop around the first print() call (None: no print()
    inside a loop)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    loops_ = [n for n in ast.walk(tree) if isinstance(n, (ast.For, ast.AsyncFor, ast.While))]
    prints = sorted(n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call)
                    and isinstance(n.func, ast.Name) and n.func.id == "print")
    for line in prints:
        around = [loop.lineno for loop in loops_
                  if loop.lineno < line <= (loop.end_lineno or loop.lineno)]
        if around:
            return max(around)
    return None


def timeout_question(source: str, wall: str, printed: bool = False) -> str:
    """The sentence for code that ran out of wall time, worded by the loops it has (a while
    loop is the likely one; a for over range() ends, so then it is slow, not endless; a
    loop that printed is named first: printing on every pass is slow)."""
    found = loops(source)
    kinds = {kind: line for kind, line in reversed(found)}  # each kind's first line
    printer = printing_loop(source) if printed else None
    if printer is not None:
        return (f"your loop at line {printer} prints on every pass and did not finish in "
                f"{wall} s: print less (or once, after the loop), and check that it ends")
    if "while" in kinds:
        return (f"your while loop (line {kinds['while']}) did not finish in {wall} s: does "
                "it ever end (a break that is reached, or a condition that turns false)?")
    if "for" in kinds:
        return (f"your for loop (line {kinds['for']}) did not finish in {wall} s: does what "
                "it walks over ever run out?")
    if "range" in kinds:
        return (f"your for loop (line {kinds['range']}) did not finish in {wall} s: is "
                "range() given a huge number, or is something slow repeated inside it?")
    return (f"your code did not finish in {wall} s: does a function call itself without "
            "end, or wait for something?")


__all__ = ["Spot", "code_lines", "differences", "locate", "loops", "printing_loop",
           "timeout_question"]
