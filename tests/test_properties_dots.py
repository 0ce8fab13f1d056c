"""The dots and the groups of test_properties' random workshops, deeper: the same model and
invariants, with only the events that move dots and people (votes and unvotes, alone and by the
whole room; themes made, deleted and merged; budgets and limits changed; groups formed, joined
and left) and the phases they happen in, so that budgets run out, limits are reached, dots
come back and groups fill up within a few steps. On SQLite and PostgreSQL."""
from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import rule

from .properties_support import database  # noqa: F401  (the fixture)
from .properties_support import run_machine
from .test_properties import WorkshopMachine


class DotsAndGroupsMachine(WorkshopMachine):
    # Items, titles, notes and revealing the tallies (which closes voting) are the wider machine's.
    post_item = edit_item = delete_item = hide_item = assign_items = rename_theme = add_note = None
    reveal_tallies = set_phase = None

    @rule(phase=st.sampled_from(["vote", "groups", "vote", "cluster"]))
    def move_on(self, phase):
        """The facilitator moves between voting and groups (voting opens anew each time)."""
        WorkshopMachine.set_phase(self, "fac", phase)

    @rule()
    def everyone_votes(self):
        """The facilitator opens voting if it is not open, and the whole room taps a theme each."""
        if self.model.phase != "vote":
            WorkshopMachine.set_phase(self, "fac", "vote")
        WorkshopMachine.everyone_votes(self)

    @rule()
    def everyone_joins(self):
        """The facilitator opens the groups (forming them around the top three themes if there
        are none), and the whole room picks a group each."""
        if self.model.phase != "groups":
            WorkshopMachine.set_phase(self, "fac", "groups")
        if not self.model.groups:
            self._form_groups("fac", {"top": 3}, self._by_dots()[:3], set())
        WorkshopMachine.everyone_joins(self)


def test_dots_and_groups_stay_exact(database):
    run_machine(lambda: DotsAndGroupsMachine(database), examples=15, steps=20)
