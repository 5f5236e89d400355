"""Number agreement for every sentence gd-tutor says: "1 guess", "2 guesses", "0 updates".

A leaf module with no imports, so every layer (the engine included) may use it and no
message has to spell its own `'s' if n != 1`.
"""

from __future__ import annotations

IRREGULAR = {"epoch": "epochs", "guess": "guesses", "process": "processes", "match": "matches", "is": "are",
             "was": "were", "has": "have"}
"""Words whose plural is not the word plus s (or are verbs that agree with a count)."""


def plural_of(word: str) -> str:
    """The plural of one of gd-tutor's words: `IRREGULAR`, else -es after s/x/z/ch/sh,
    -ies after a consonant and y, else -s."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural(count: int | float, word: str, many: str | None = None, *,
           grouped: bool = False) -> str:
    """The count and the word agreeing with it: plural(1, "guess") == "1 guess",
    plural(41, "guess") == "41 guesses"; `many` gives an irregular plural; `grouped=True`
    writes 1500 as 1,500."""
    if isinstance(count, float) and not count.is_integer():
        shown = f"{count:g}"
    else:
        shown = f"{int(count):,}" if grouped else str(int(count))
    return f"{shown} {word if count == 1 else many or plural_of(word)}"


__all__ = ["plural", "plural_of"]
