"""Races between people and the facilitator, each thread on its own Database (its own engine and
pool, as separate server processes would have), all released together, 20 trials each.

- Dots given back while their owner takes them back: a participant with a budget of 5 has 3
  dots on X and 2 on Y; from four connections they take dots off X while the facilitator
  deletes X (or merges it into Z). Afterwards the dots they hold are exactly the vote rows, and
  however many more they try to put on the board, they never hold more than their budget.
- Groups formed anew while people join groups, and a theme merged into one being deleted:
  every event is answered or refused as the protocol says (on PostgreSQL these deadlocked, or
  failed on a row gone meanwhile, and answered `internal`)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from facilitation.database import Database
from facilitation.models import Participant, Theme, ThemeGroup, Vote
from facilitation.operations import DomainError, perform
from facilitation.operations import access, workshops
from facilitation.operations.guards import Actor

from .properties_support import at_once, migrated

TRIALS = 20
UNVOTES = 4
BUDGET = 5


@pytest.fixture
def databases(database_url):
    """A migrated database, and one Database per racing thread (four people and the facilitator)."""
    with migrated(database_url, others=UNVOTES + 1) as (first, racers):
        yield first, racers


def _dots_on_x_and_y(db: Database) -> tuple[Actor, Actor, dict[str, int]]:
    """A workshop in `vote` with themes X, Y, Z; one participant has put 3 dots on X and 2 on Y."""
    with db.write() as s:
        workshop, _token = workshops.create(
            s, {"title": "Kapplöpning", "votes_per_participant": BUDGET, "max_votes_per_theme": BUDGET})
        facilitator = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
        me, _, _ = access.admit(s, {"code": workshop.code, "name": "Ylva"})
        themes = {title: perform(s, facilitator, "create_theme", {"title": title}).answer["theme"]["id"]
                  for title in ("X", "Y", "Z")}
        perform(s, facilitator, "set_phase", {"phase": "vote"})
    for title, dots in (("X", 3), ("Y", 2)):
        for _ in range(dots):
            with db.write() as s:
                perform(s, me, "vote", {"theme_id": themes[title]})
    return facilitator, me, themes


def _at_once(dbs: list[Database], calls: list[tuple[Actor, str, dict]]) -> list[dict | str]:
    """The events at the same instant, each on its own Database: the answers, or the codes of the
    refusals. Anything else (a deadlock, say) fails the test."""
    return [a.code if isinstance(a, DomainError) else a for a in at_once(dbs, calls)]


def _dots(db: Database, participant_id: int) -> tuple[int, int]:
    """(votes_used, vote rows) of one participant."""
    with db.read() as s:
        rows = s.scalar(sa.select(sa.func.count(Vote.id)).where(Vote.participant_id == participant_id))
        return s.get(Participant, participant_id).votes_used, rows


def _spend_the_rest(db: Database, me: Actor, theme_id: int) -> None:
    """Vote until the server refuses, as a participant tapping a theme would."""
    for _ in range(BUDGET + 1):
        try:
            with db.write() as s:
                perform(s, me, "vote", {"theme_id": theme_id})
        except DomainError as error:
            assert error.code == "vote_budget", error
            return
    pytest.fail("the server never refused a dot")


@pytest.mark.parametrize("removal", ["delete_theme", "merge_themes"])
def test_dots_stay_exact_when_a_theme_goes_while_its_dots_are_taken_back(databases, removal):
    first, racers = databases
    for _ in range(TRIALS):
        facilitator, me, themes = _dots_on_x_and_y(first)
        x, z = themes["X"], themes["Z"]
        removing = {"theme_id": x} if removal == "delete_theme" else {"theme_id": z, "source_ids": [x]}
        answers = _at_once(racers, [(me, "unvote", {"theme_id": x})] * UNVOTES + [(facilitator, removal, removing)])
        assert isinstance(answers[-1], dict), answers
        assert all(isinstance(a, dict) or a in ("bad_request", "not_found") for a in answers[:-1]), answers
        with first.read() as s:
            assert s.get(Theme, x) is None
        assert _dots(first, me.participant_id) == (2, 2)  # X's dots all came back; Y's two stay
        _spend_the_rest(first, me, z)
        assert _dots(first, me.participant_id) == (BUDGET, BUDGET)


def test_groups_formed_anew_while_people_join_groups(databases):
    first, racers = databases
    for _ in range(TRIALS):
        with first.write() as s:
            workshop, _token = workshops.create(s, {"title": "Grupper", "group_capacity": 2})
            facilitator = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
            people = [access.admit(s, {"code": workshop.code, "name": f"Person {n}"})[0] for n in range(UNVOTES)]
            for title in ("A", "B"):
                perform(s, facilitator, "create_theme", {"title": title})
            perform(s, facilitator, "set_phase", {"phase": "groups"})
            groups = [g["id"] for g in perform(s, facilitator, "form_groups", {"top": 2}).answer["groups"]]
        joins = [(person, "join_group", {"group_id": groups[n % 2]}) for n, person in enumerate(people)]
        answers = _at_once(racers, [*joins, (facilitator, "form_groups", {"top": 2, "replace": True})])
        assert all(isinstance(a, dict) or a in ("group_full", "not_found") for a in answers), answers
        assert isinstance(answers[-1], dict), answers
        with first.read() as s:
            members = s.execute(sa.select(Participant.group_id, sa.func.count(Participant.id))
                                .where(Participant.workshop_id == workshop.id, Participant.group_id.is_not(None))
                                .group_by(Participant.group_id)).all()
            now = set(s.scalars(sa.select(ThemeGroup.id).where(ThemeGroup.workshop_id == workshop.id)))
        assert all(group in now and n <= 2 for group, n in members), members


@pytest.mark.parametrize("removal", ["delete_theme", "merge_themes"])
def test_a_theme_merged_into_one_being_deleted(databases, removal):
    first, racers = databases
    for _ in range(TRIALS):
        facilitator, me, themes = _dots_on_x_and_y(first)
        x, y, z = themes["X"], themes["Y"], themes["Z"]
        gone = {"theme_id": x} if removal == "delete_theme" else {"theme_id": z, "source_ids": [x]}
        calls = [(me, "unvote", {"theme_id": y}), (facilitator, "merge_themes", {"theme_id": x, "source_ids": [y]}),
                 (facilitator, removal, gone)]
        answers = _at_once(racers, calls)
        assert all(isinstance(a, dict) or a in ("bad_request", "not_found") for a in answers), answers
        used, rows = _dots(first, me.participant_id)
        assert used == rows <= BUDGET
