"""The store keeps where the learner's cursor was (issue 12: resume puts it back)."""

from __future__ import annotations

from store_backends import Opener


def test_place_survives_reopening_and_reset_forgets_it(open_store: Opener) -> None:
    with open_store() as store:
        assert store.place() is None
        store.set_place("counting/how-many#field-answer")
    with open_store() as store:
        assert store.place() == "counting/how-many#field-answer"
        store.set_place("counting/which-way#choices")
        assert store.place() == "counting/which-way#choices"
        store.reset()
        assert store.place() is None
