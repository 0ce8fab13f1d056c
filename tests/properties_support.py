"""For the property tests and the race tests: Hypothesis profiles, a workshop to play in, events
sent alone or at the same instant, and the invariants read back from the database after every step.

Profiles: `ci` (loaded when CI is set: derandomized, so every run tries the same examples; no
example database; not shrunk, which takes minutes against a database: the failing steps and
the blob to reproduce them with @reproduce_failure are printed) and `dev` (the default: random,
shrunk, examples remembered in .hypothesis/). Neither has a deadline. Choose one with
HYPOTHESIS_PROFILE=NAME."""
from __future__ import annotations

import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from facilitation import migrate, snapshot
from facilitation.database import Database
from facilitation.models import Item, Note, Operation, Participant, Theme, ThemeGroup, Vote, Workshop
from facilitation.operations import DomainError, access, perform, workshops
from facilitation.operations.guards import Actor

settings.register_profile("dev", deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", settings.get_profile("dev"), derandomize=True, database=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# Values a client may send where an id belongs that are not ids: refused with bad_request.
NOT_IDS = ("x", 0, -3, True, None, 1.5, [1], "")


@dataclass
class People:
    """The actors of one workshop: its facilitator, a screen and the participants."""

    facilitator: Actor
    screen: Actor
    participants: list[Actor]

    def by_name(self, name: str | int) -> Actor:
        """'fac', 'screen', or a participant's index."""
        if name == "fac":
            return self.facilitator
        if name == "screen":
            return self.screen
        return self.participants[int(name)]


def open_workshop(db: Database, settings_: dict[str, Any], participants: int) -> tuple[Workshop, People]:
    """A new workshop with these settings and `participants` people admitted as their phones join."""
    with db.write() as s:
        workshop, _token = workshops.create(s, {"title": "Egenskaper", **settings_})
        facilitator = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
        people = [access.admit(s, {"code": workshop.code, "name": f"Person {n}"})[0] for n in range(participants)]
    return workshop, People(facilitator, Actor(workshop.id, "screen"), people)


@contextmanager
def migrated(url: str, others: int = 0) -> Iterator[tuple[Database, list[Database]]]:
    """A Database on `url` with the schema upgraded, and `others` more Databases on it (their own
    engines and pools, as other server processes would have); all disposed of afterwards."""
    db = Database()
    db.configure(url)
    migrate.upgrade(db.engine)
    more = [Database() for _ in range(others)]
    for other in more:
        other.configure(url)
    try:
        yield db, more
    finally:
        for each in [db, *more]:
            each.dispose()


@pytest.fixture
def database(database_url):
    """A migrated database, on SQLite and on PostgreSQL (import it into the test module)."""
    with migrated(database_url) as (db, _none):
        yield db


def run_machine(factory: Callable[[], RuleBasedStateMachine], examples: int, steps: int, **more: Any) -> None:
    """Run a state machine with the loaded profile, `examples` workshops of up to `steps` steps."""
    run_state_machine_as_test(factory, settings=settings(settings.default, max_examples=examples,
                                                         stateful_step_count=steps, **more))


def at_once(dbs: list[Database], calls: list[tuple[Actor, str, Any]]) -> list[dict[str, Any] | DomainError]:
    """Each (actor, event, data) in its own thread on its own Database, released together: the
    answers and refusals. Anything else (a deadlock, say) is raised."""
    barrier = threading.Barrier(len(calls))

    def one(index: int) -> dict[str, Any] | DomainError:
        actor, event, data = calls[index]
        barrier.wait()
        return send(dbs[index], actor, event, data)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, range(len(calls))))


def send(db: Database, actor: Actor, event: str, data: Any) -> dict[str, Any] | DomainError:
    """One event in its own write transaction, as pipeline.perform runs it: the answer, or the refusal."""
    try:
        with db.write() as s:
            return perform(s, actor, event, data).answer
    except DomainError as error:
        return error


@dataclass
class Facts:
    """A workshop as the database holds it, and as the snapshot and tallies show it."""

    phase: str
    budget: int
    limit: int
    revealed: bool
    used: dict[int, int]  # participant id -> votes_used
    dots: dict[tuple[int, int], int]  # (participant id, theme id) -> vote rows
    themes: list[int]
    items: dict[int, tuple[int | None, bool, int, str]]  # id -> (theme, hidden, author, text)
    groups: dict[int, int | None]  # id -> capacity
    member: dict[int, int | None]  # participant id -> group id
    notes: Counter  # group id -> notes
    tally: dict[str, int]
    fingerprint: tuple  # every row of the workshop, to see that a refusal changed nothing


def read_facts(db: Database, workshop_id: int) -> Facts:
    with db.read() as s:
        workshop = s.get(Workshop, workshop_id)
        people = s.execute(sa.select(Participant.id, Participant.votes_used, Participant.group_id)
                           .where(Participant.workshop_id == workshop_id).order_by(Participant.id)).all()
        votes = s.execute(sa.select(Vote.id, Vote.participant_id, Vote.theme_id).join(Participant)
                          .where(Participant.workshop_id == workshop_id).order_by(Vote.id)).all()
        items = s.execute(sa.select(Item.id, Item.theme_id, Item.hidden, Item.author_id, Item.text, Item.quadrant)
                          .where(Item.workshop_id == workshop_id).order_by(Item.id)).all()
        groups = s.execute(sa.select(ThemeGroup.id, ThemeGroup.capacity, ThemeGroup.theme_id, ThemeGroup.title,
                                     ThemeGroup.position, ThemeGroup.summary)
                           .where(ThemeGroup.workshop_id == workshop_id).order_by(ThemeGroup.id)).all()
        notes = s.execute(sa.select(Note.id, Note.group_id, Note.author_id, Note.text).join(ThemeGroup)
                          .where(ThemeGroup.workshop_id == workshop_id).order_by(Note.id)).all()
        operations = s.execute(sa.select(Operation.participant_id, Operation.op_id, Operation.answer).join(Participant)
                               .where(Participant.workshop_id == workshop_id).order_by(Operation.id)).all()
        themes = s.execute(sa.select(Theme.id, Theme.title).where(Theme.workshop_id == workshop_id).order_by(Theme.id)).all()
        settings_ = (workshop.phase, workshop.votes_per_participant, workshop.max_votes_per_theme,
                     workshop.group_capacity, workshop.tallies_revealed, workshop.revision)
        return Facts(
            phase=workshop.phase, budget=workshop.votes_per_participant, limit=workshop.max_votes_per_theme,
            revealed=workshop.tallies_revealed,
            used={p.id: p.votes_used for p in people},
            dots=dict(Counter((v.participant_id, v.theme_id) for v in votes)),
            themes=[t.id for t in themes],
            items={i.id: (i.theme_id, i.hidden, i.author_id, i.text) for i in items},
            groups={g.id: g.capacity for g in groups},
            member={p.id: p.group_id for p in people},
            notes=Counter(n.group_id for n in notes),
            tally=snapshot.tally(s, workshop_id),
            fingerprint=(settings_, tuple(people), tuple(themes), tuple(votes), tuple(items), tuple(groups),
                         tuple(notes), tuple((o.participant_id, o.op_id, repr(o.answer)) for o in operations)),
        )


def check_consistent(db: Database, workshop_id: int, facts: Facts, watched: Actor) -> None:
    """What holds in every state, whatever happened before: dots used are the vote rows; tallies,
    `my_votes` and the snapshots count the same rows; an item in at most one theme, a person in at
    most one group and no group over its capacity. `watched`: the participant whose own dots and
    snapshot are checked."""
    rows = Counter()
    for (person, _theme), n in facts.dots.items():
        rows[person] += n
    assert {p: u for p, u in facts.used.items() if u} == {p: n for p, n in rows.items() if n}, "votes_used != vote rows"
    per_theme = Counter()
    for (_person, theme), n in facts.dots.items():
        assert theme in facts.themes, f"a dot on theme {theme}, which is gone"
        per_theme[theme] += n
    assert facts.tally == {str(t): per_theme[t] for t in facts.themes}, "tally != vote rows"
    for item, (theme, *_rest) in facts.items.items():
        assert theme is None or theme in facts.themes, f"item {item} in theme {theme}, which is gone"
    members = Counter(g for g in facts.member.values() if g is not None)
    for group, n in members.items():
        assert group in facts.groups, f"{n} people in group {group}, which is gone"
        capacity = facts.groups[group]
        assert capacity is None or n <= capacity, f"group {group} has {n} members, capacity {capacity}"
    mine = {str(t): n for (person, t), n in facts.dots.items() if person == watched.participant_id and n}
    _check_snapshots(db, workshop_id, facts, watched,
                     {"votes_left": max(0, facts.budget - rows[watched.participant_id]), "votes": mine})


def _check_snapshots(db: Database, workshop_id: int, facts: Facts, actor: Actor, dots: dict[str, Any]) -> None:
    """The facilitator's snapshot, a participant's `my_votes` and, while the workshop is open, their
    snapshot show what the rows say (`dots`: that participant's `my_votes` by the rows)."""
    with db.read() as s:
        workshop = s.get(Workshop, workshop_id)
        assert snapshot.my_votes(s, facts.budget, actor.participant_id) == dots, f"my_votes of {actor.participant_id}"
        board = snapshot.shared(s, workshop, "facilitator")
        mine = snapshot.personal(s, board, "facilitator")
        assert [t["id"] for t in mine["themes"]] == facts.themes
        shown = {t["id"]: t["votes"] for t in mine["themes"]}
        assert shown == {t: facts.tally[str(t)] for t in facts.themes}, f"the facilitator sees {shown}, tally {facts.tally}"
        in_themes = [i for t in mine["themes"] for i in t["item_ids"]]
        assert len(in_themes) == len(set(in_themes)), "an item in two themes"
        assert {i: t["id"] for t in mine["themes"] for i in t["item_ids"]} == {
            i: theme for i, (theme, *_r) in facts.items.items() if theme is not None}
        assert sorted(i["id"] for i in mine["items"]) == sorted(facts.items)
        in_groups = [m["id"] for g in mine["groups"] for m in g["members"]]
        assert len(in_groups) == len(set(in_groups)), "a person in two groups"
        assert {m: g["id"] for g in mine["groups"] for m in (x["id"] for x in g["members"])} == {
            p: g for p, g in facts.member.items() if g is not None}
        if facts.phase == "closed":
            return
        viewers = snapshot.shared(s, workshop, "viewer")
        hidden_votes = facts.phase == "vote" and not facts.revealed
        seen = snapshot.personal(s, viewers, "participant", actor.participant_id)
        shown = sorted(i for i, (_t, hidden, author, _x) in facts.items.items() if not hidden or author == actor.participant_id)
        assert sorted(i["id"] for i in seen["items"]) == shown, "hidden items shown, or shown ones missing"
        votes = {t["id"]: t["votes"] for t in seen["themes"]}
        assert votes == {t: None if hidden_votes else facts.tally[str(t)] for t in facts.themes}
        assert {k: seen["me"][k] for k in ("votes_left", "votes")} == dots
        assert seen["me"]["group_id"] == facts.member[actor.participant_id]
