"""Dots arriving together share one transaction (pipeline.GroupCommit), and stay exact."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from facilitation import create_app, operations, pipeline
from facilitation.extensions import db
from facilitation.models import Participant, Theme, Vote
from facilitation.operations import DomainError, access, workshops
from facilitation.operations.guards import Actor

PEOPLE = 40


@pytest.fixture
def room(database_url, tmp_path):
    """An app on the database, a workshop voting on two themes (3 dots each, at most 2 a theme), PEOPLE people."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test", "DATABASE_URL": database_url})
    with app.app_context():
        with db.write() as s:
            workshop, _ = workshops.create(s, {"title": "Storm", "votes_per_participant": 3, "max_votes_per_theme": 2})
            facilitator = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
            people = [access.admit(s, {"code": workshop.code, "name": f"P{n}"})[0] for n in range(PEOPLE)]
            for title in ("Samverkan", "Kontinuitet"):
                operations.perform(s, facilitator, "create_theme", {"title": title})
            operations.perform(s, facilitator, "set_phase", {"phase": "vote"})
            themes = list(s.scalars(sa.select(Theme.id).where(Theme.workshop_id == workshop.id).order_by(Theme.id)))
        yield people, themes
    db.dispose()


@pytest.fixture
def transactions(monkeypatch):
    """How many write transactions the pipeline opens."""
    opened = []
    real = db.write

    @contextmanager
    def counted():
        opened.append(1)
        with real() as session:
            yield session

    monkeypatch.setattr(db, "write", counted)
    return opened


def storm(people, themes, dots_each: int) -> list[tuple[Actor, int, dict]]:
    """Every person sends `dots_each` dots at once, alternating themes, each from its own thread
    (as python-socketio runs each event); what each got back."""
    answers: list[tuple[Actor, int, dict]] = []
    start = threading.Barrier(len(people) * dots_each)

    def send(person: Actor, n: int) -> None:
        start.wait()
        theme = themes[n % 2] if n < 2 else themes[0]  # the third dot on the first theme: over its limit of 2
        try:
            answer = {"ok": True, **pipeline.perform(person, "vote", {"theme_id": theme, "op_id": f"{person.participant_id}-{n}"}).answer}
        except DomainError as error:
            answer = {"ok": False, "code": error.code}
        answers.append((person, n, answer))

    threads = [threading.Thread(target=send, args=(p, n)) for p in people for n in range(dots_each)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_a_storm_of_dots_is_written_in_fewer_transactions_and_every_dot_is_exact(room, transactions):
    people, themes = room
    answers = storm(people, themes, dots_each=3)
    assert len(answers) == PEOPLE * 3
    refused = [a for _, _, a in answers if not a["ok"]]
    # Each person's third dot arrives in some order among their three: whichever finds two on the
    # first theme already is refused by the theme's limit, and changes nothing.
    assert {a["code"] for a in refused} <= {"theme_vote_limit"}
    with db.read() as s:
        for person in people:
            used = s.scalar(sa.select(Participant.votes_used).where(Participant.id == person.participant_id))
            rows = s.scalar(sa.select(sa.func.count()).where(Vote.participant_id == person.participant_id))
            per_theme = dict(s.execute(sa.select(Vote.theme_id, sa.func.count()).where(
                Vote.participant_id == person.participant_id).group_by(Vote.theme_id)).all())
            accepted = sum(1 for p, _, a in answers if p == person and a["ok"])
            assert used == rows == accepted and max(per_theme.values()) <= 2
    assert len(transactions) < len(answers)  # dots that arrived together shared a transaction


def test_a_retried_dot_in_the_same_batch_is_answered_once_and_counted_once(room):
    people, themes = room
    person = people[0]
    answers = []
    start = threading.Barrier(4)

    def send():
        start.wait()
        answers.append(pipeline.perform(person, "vote", {"theme_id": themes[0], "op_id": "same"}).answer)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a == answers[0] for a in answers) and answers[0]["votes"] == {str(themes[0]): 1}
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).where(Vote.participant_id == person.participant_id)) == 1


def test_a_batch_that_fails_runs_its_dots_again_one_by_one(room, monkeypatch):
    people, themes = room
    real = operations.perform
    failed = []

    def failing_in_a_batch(session, actor, event, data, *, alone=True):
        if not alone and actor == people[3] and not failed:
            failed.append(actor)
            raise sa.exc.OperationalError("INSERT", {}, Exception("the database went away"))
        return real(session, actor, event, data, alone=alone)

    monkeypatch.setattr(operations, "perform", failing_in_a_batch)
    answers = storm(people[:8], themes, dots_each=2)
    assert failed and all(a["ok"] for _, _, a in answers)
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Vote)) == 16
