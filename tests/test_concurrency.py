"""Exact under concurrency: dot budgets, per-theme limits, group capacity and op_id, with threads.

Each thread uses its own Database (its own engine and pool, no shared in-process lock), as
separate server processes would, so the guarantees tested are the database's own."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from facilitation import migrate
from facilitation.database import Database
from facilitation.models import Item, Participant, ThemeGroup, Vote
from facilitation.operations import DomainError, perform
from facilitation.operations import access, workshops
from facilitation.operations.guards import Actor

TRIALS = 12
THREADS = 8


@pytest.fixture
def databases(database_url):
    """A migrated database and one Database object per thread."""
    first = Database()
    first.configure(database_url)
    migrate.upgrade(first.engine)
    others = []
    for _ in range(THREADS):
        other = Database()
        other.configure(database_url)
        others.append(other)
    yield first, others
    for d in [first, *others]:
        d.dispose()


def _workshop(db: Database, **settings) -> tuple[Actor, list[Actor]]:
    """A workshop in phase `vote` with one theme, and THREADS participants."""
    with db.write() as s:
        workshop, _token = workshops.create(s, {"title": "Samtidighet", **settings})
        facilitator = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
        people = []
        for n in range(THREADS):
            actor, _, _ = access.admit(s, {"code": workshop.code, "name": f"Person {n}"})
            people.append(actor)
        perform(s, facilitator, "create_theme", {"title": "Samverkan"})
        perform(s, facilitator, "create_theme", {"title": "Kontinuitet"})
        perform(s, facilitator, "set_phase", {"phase": "vote"})
    return facilitator, people


def _theme_ids(db: Database, workshop_id: int) -> list[int]:
    from facilitation.models import Theme

    with db.write() as s:
        return list(s.scalars(sa.select(Theme.id).where(Theme.workshop_id == workshop_id).order_by(Theme.id)))


def _at_once(dbs: list[Database], calls) -> list[dict | str]:
    """Run each (db, actor, event, data) in its own thread, released together; answers or error codes."""
    barrier = threading.Barrier(len(calls))

    def one(index: int):
        db = dbs[index]
        actor, event, data = calls[index]
        barrier.wait()
        try:
            with db.write() as s:
                return perform(s, actor, event, data).answer
        except DomainError as error:
            return error.code

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, range(len(calls))))


def test_one_persons_dot_budget_holds_when_all_their_connections_vote_at_once(databases):
    first, dbs = databases
    for _ in range(TRIALS):
        _, people = _workshop(first, votes_per_participant=3, max_votes_per_theme=3)
        me = people[0]
        a, b = _theme_ids(first, me.workshop_id)
        answers = _at_once(dbs, [(me, "vote", {"theme_id": a if i % 2 else b}) for i in range(THREADS)])
        assert sum(isinstance(x, dict) for x in answers) == 3, answers
        assert sorted(x for x in answers if isinstance(x, str)) == ["vote_budget"] * (THREADS - 3)
        with first.read() as s:
            assert s.scalar(sa.select(sa.func.count(Vote.id)).where(Vote.participant_id == me.participant_id)) == 3
            assert s.get(Participant, me.participant_id).votes_used == 3
        assert sorted(x["votes_left"] for x in answers if isinstance(x, dict)) == [0, 1, 2]


def test_per_theme_limit_holds_under_simultaneous_votes(databases):
    first, dbs = databases
    for _ in range(TRIALS):
        _, people = _workshop(first, votes_per_participant=10, max_votes_per_theme=2)
        me = people[0]
        theme, _other = _theme_ids(first, me.workshop_id)
        answers = _at_once(dbs, [(me, "vote", {"theme_id": theme})] * THREADS)
        assert sum(isinstance(x, dict) for x in answers) == 2, answers
        assert all(x == "theme_vote_limit" for x in answers if isinstance(x, str))
        with first.read() as s:
            assert s.get(Participant, me.participant_id).votes_used == 2


def test_votes_and_unvotes_racing_keep_budget_and_rows_equal(databases):
    first, dbs = databases
    for _ in range(TRIALS):
        _, people = _workshop(first, votes_per_participant=2, max_votes_per_theme=2)
        me = people[0]
        theme, _other = _theme_ids(first, me.workshop_id)
        calls = [(me, "vote" if i % 2 == 0 else "unvote", {"theme_id": theme}) for i in range(THREADS)]
        _at_once(dbs, calls)
        with first.read() as s:
            rows = s.scalar(sa.select(sa.func.count(Vote.id)).where(Vote.participant_id == me.participant_id))
            used = s.get(Participant, me.participant_id).votes_used
        assert rows == used and 0 <= used <= 2


def test_group_capacity_holds_when_everyone_joins_at_once(databases):
    first, dbs = databases
    for _ in range(TRIALS // 2):
        facilitator, people = _workshop(first, group_capacity=3)
        with first.write() as s:
            perform(s, facilitator, "set_phase", {"phase": "groups"})
            group_id = perform(s, facilitator, "form_groups", {"top": 1}).answer["groups"][0]["id"]
        answers = _at_once(dbs, [(p, "join_group", {"group_id": group_id}) for p in people])
        assert sum(isinstance(x, dict) for x in answers) == 3, answers
        assert all(x == "group_full" for x in answers if isinstance(x, str))
        with first.read() as s:
            assert s.scalar(sa.select(sa.func.count(Participant.id)).where(Participant.group_id == group_id)) == 3
            assert s.get(ThemeGroup, group_id) is not None


def test_same_op_id_at_the_same_instant_posts_once_and_answers_alike(databases):
    first, dbs = databases
    for trial in range(TRIALS):
        facilitator, people = _workshop(first)
        me = people[0]
        with first.write() as s:
            perform(s, facilitator, "set_phase", {"phase": "collect"})
        data = {"quadrant": "threats", "text": "Personal slutar", "op_id": f"retry-{trial}"}
        answers = _at_once(dbs, [(me, "post_item", data)] * THREADS)
        assert all(isinstance(x, dict) for x in answers), answers
        assert len({x["item"]["id"] for x in answers}) == 1
        with first.read() as s:
            assert s.scalar(sa.select(sa.func.count(Item.id)).where(Item.author_id == me.participant_id)) == 1
