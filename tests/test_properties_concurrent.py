"""Random workshops where events arrive at the same instant (Hypothesis, stateful): each step is
either one event from the facilitator, or a burst of two to five events from several people's
connections and the facilitator, each on its own Database (its own engine and pool, as separate
server processes would have), released together.

What interleaves is up to the database, so there is no model of the outcome: every event must
be answered or refused with a refusal of the protocol (never a deadlock or another error), and
after every step dots used equal the vote rows, no one holds more dots than the budget or more
on a theme than the limit, tallies and snapshots count the same rows, every item is in at most
one theme and every person in at most one group, none over its capacity. On SQLite and PostgreSQL."""
from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import Phase
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from facilitation.database import Database
from facilitation.operations import DomainError

from .properties_support import at_once, check_consistent, migrated, open_workshop, read_facts, run_machine, send

PARTICIPANTS = 4
BURST = 5
BUDGET, LIMIT, CAPACITY = 3, 2, 2
REFUSALS = {"bad_request", "not_found", "wrong_phase", "vote_budget", "theme_vote_limit", "voting_closed",
            "group_full", "conflict"}
# What a burst is made of: dots are the most common, beside the facilitator's changes to the board.
KINDS = ["vote"] * 4 + ["unvote"] * 3 + ["delete_theme", "merge_themes", "create_theme", "join_group", "join_group",
                                         "leave_group", "form_groups"]


class RacingMachine(RuleBasedStateMachine):
    def __init__(self, db: Database, racers: list[Database]) -> None:
        super().__init__()
        self.db, self.racers = db, racers
        self.steps = 0

    @initialize(themes=st.integers(2, 4), phase=st.sampled_from(["vote", "groups"]))
    def open(self, themes, phase):
        """A workshop where everyone has spent their dots, voting still open or groups formed."""
        workshop, self.people = open_workshop(
            self.db, {"votes_per_participant": BUDGET, "max_votes_per_theme": LIMIT, "group_capacity": CAPACITY},
            PARTICIPANTS)
        self.workshop_id = workshop.id
        theme_ids = [self.answer(send(self.db, self.people.facilitator, "create_theme", {"title": f"Tema {n}"}))["theme"]["id"]
                     for n in range(themes)]
        self.answer(send(self.db, self.people.facilitator, "set_phase", {"phase": "vote"}))
        for n, person in enumerate(self.people.participants):  # everyone puts their dots on the board
            for dot in range(BUDGET):
                self.answer(send(self.db, person, "vote", {"theme_id": theme_ids[(n + dot) % len(theme_ids)]}))
        if phase == "groups":
            self.answer(send(self.db, self.people.facilitator, "set_phase", {"phase": phase}))
            self.answer(send(self.db, self.people.facilitator, "form_groups", {"top": themes}))

    def answer(self, answer: dict | DomainError) -> dict | None:
        """An answer, or a refusal of the protocol (anything else has failed the test already)."""
        if isinstance(answer, DomainError):
            assert answer.code in REFUSALS, answer
            return None
        return answer

    def facts(self):
        return read_facts(self.db, self.workshop_id)

    def ranked(self) -> tuple[list[int], dict[int, list]]:
        """The themes, most dots first, and for each theme the participants, most dots on it first
        (Hypothesis tries the first choices most, so events gather where the dots are)."""
        on, mine = Counter(), Counter()
        for (owner, theme), n in self.last.dots.items():
            on[theme] += n
            mine[(owner, theme)] = n
        themes = sorted(self.last.themes, key=lambda t: (-on[t], t)) or [10**9]
        people = {t: sorted(self.people.participants, key=lambda p: (-mine[(p.participant_id, t)], p.participant_id))
                  for t in themes}
        return themes, people

    def event(self, data, kind: str) -> tuple[Any, str, dict]:
        """One event of `kind` from whoever sends it, about the themes and groups there are now."""
        themes, people = self.ranked()
        theme = data.draw(st.sampled_from(themes), label="theme")
        person = data.draw(st.sampled_from(people[theme]), label="person")
        if kind in ("vote", "unvote"):
            return person, kind, {"theme_id": theme}
        if kind in ("join_group", "leave_group"):
            group = data.draw(st.sampled_from(sorted(self.last.groups) or [10**9]), label="group")
            return person, kind, {"group_id": group}
        payloads = {"delete_theme": {"theme_id": theme},
                    "merge_themes": {"theme_id": themes[-1], "source_ids": [theme] if theme != themes[-1] else []},
                    "create_theme": {"title": "Nytt"},
                    "form_groups": {"top": data.draw(st.integers(1, 3), label="top"),
                                    "replace": data.draw(st.booleans(), label="replace")}}
        return self.people.facilitator, kind, payloads[kind]

    def at_once(self, calls: list[tuple[Any, str, dict]]) -> None:
        """The events at the same instant, each on its own Database; each answered or refused."""
        for answer in at_once(self.racers, calls):
            self.answer(answer)

    @rule(data=st.data(), size=st.integers(2, BURST))
    def burst(self, data, size):
        """Several events at the same instant."""
        self.at_once([self.event(data, data.draw(st.sampled_from(KINDS), label="kind")) for _ in range(size)])

    @rule()
    def dots_taken_back_as_the_theme_goes(self):
        """The person with the most dots on the top theme takes them back from several phones
        while the facilitator deletes that theme (or, every other time, merges it into another)."""
        themes, people = self.ranked()
        top, person = themes[0], people[themes[0]][0]
        removal = ("delete_theme", {"theme_id": top}) if self.steps % 2 else (
            "merge_themes", {"theme_id": themes[-1], "source_ids": [top] if top != themes[-1] else []})
        self.at_once([(person, "unvote", {"theme_id": top})] * (BURST - 1) + [(self.people.facilitator, *removal)])

    @rule(phase=st.sampled_from(["vote", "groups", "cluster"]))
    def set_phase(self, phase):
        self.answer(send(self.db, self.people.facilitator, "set_phase", {"phase": phase}))

    @rule(top=st.integers(1, 3))
    def form_groups(self, top):
        self.answer(send(self.db, self.people.facilitator, "form_groups", {"top": top, "replace": True}))

    @invariant()
    def exact(self):
        if not hasattr(self, "people"):
            return
        self.steps += 1
        self.last = facts = self.facts()
        watched = self.people.participants[self.steps % PARTICIPANTS]
        check_consistent(self.db, self.workshop_id, facts, watched)
        assert all(used <= BUDGET for used in facts.used.values()), f"over the budget: {facts.used}"
        assert all(n <= LIMIT for n in facts.dots.values()), f"over the limit on a theme: {facts.dots}"


@pytest.fixture
def databases(database_url):
    """A migrated database, and one Database for each event of a burst."""
    with migrated(database_url, others=BURST) as (first, racers):
        yield first, racers


def test_bursts_of_simultaneous_events_keep_the_workshop_exact(databases):
    """Not shrunk: a smaller run of bursts rarely interleaves the same way again."""
    first, racers = databases
    run_machine(lambda: RacingMachine(first, racers), examples=12, steps=12,
                phases=[Phase.explicit, Phase.reuse, Phase.generate])
