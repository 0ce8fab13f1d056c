"""Migrations keep the data: a workshop stored under 0002 comes through 0003 whole."""
from __future__ import annotations

import sqlalchemy as sa

from facilitation import migrate
from facilitation.database import Database
from facilitation.models import Item, Note, Participant, Theme, ThemeGroup, Vote
from facilitation.operations import access, perform, workshops
from facilitation.operations.guards import Actor


def _played_workshop(db: Database) -> dict[str, int]:
    """A workshop with items in a theme, dots, a group with a member and a note."""
    with db.write() as s:
        workshop, _ = workshops.create(s, {"title": "Före uppgraderingen", "group_capacity": 5})
        facilitator = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
        person, _, _ = access.admit(s, {"code": workshop.code, "name": "Kerstin Nordin", "table": "3"})
        item = perform(s, person, "post_item", {"quadrant": "strengths", "text": "Under samma tak"}).answer["item"]
        theme = perform(s, facilitator, "create_theme", {"title": "Samlokalisering", "item_ids": [item["id"]]}).answer["theme"]
        perform(s, facilitator, "set_phase", {"phase": "vote"})
        perform(s, person, "vote", {"theme_id": theme["id"]})
        perform(s, facilitator, "set_phase", {"phase": "groups"})
        group = perform(s, facilitator, "form_groups", {"top": 1}).answer["groups"][0]
        perform(s, person, "join_group", {"group_id": group["id"]})
        perform(s, person, "add_note", {"group_id": group["id"], "text": "Dela lokaler"})
        return {"participant": person.participant_id, "theme": theme["id"], "group": group["id"], "item": item["id"]}


def test_upgrade_from_0002_keeps_every_row_and_fills_in_item_tables(database_url):
    db = Database()
    db.configure(database_url)
    migrate.upgrade(db.engine, "0002")
    # Written with the models of 0002's time: no item.table column yet.
    with db.engine.connect() as c:
        assert "table" not in {col["name"] for col in sa.inspect(c).get_columns("item")}
    ids = _played_workshop_without_item_table(db)
    migrate.upgrade(db.engine)
    with db.write() as s:
        assert s.scalar(sa.select(Item.table).where(Item.id == ids["item"])) == "3"
        assert s.scalar(sa.select(Item.theme_id).where(Item.id == ids["item"])) == ids["theme"]
        assert s.scalar(sa.select(sa.func.count(Vote.id)).where(Vote.theme_id == ids["theme"])) == 1
        assert s.get(Participant, ids["participant"]).group_id == ids["group"]
        assert [n.text for n in s.scalars(sa.select(Note).where(Note.group_id == ids["group"]))] == ["Dela lokaler"]
        assert s.get(Theme, ids["theme"]).title == "Samlokalisering"
        assert s.get(ThemeGroup, ids["group"]) is not None
    db.dispose()


def _played_workshop_without_item_table(db: Database) -> dict[str, int]:
    """Insert rows with plain SQL, as a 0002 database holds them."""
    with db.engine.begin() as c:
        c.execute(sa.text("INSERT INTO workshop (code, title, organisation, location, language, purpose, introduction, "
                          "conclusion, questions, facilitators, votes_per_participant, max_votes_per_theme, anonymous_items, "
                          "phase, tallies_revealed, created_at) VALUES ('ACDEFH', 'Före', '', '', 'sv', '', '', '', '[]', '[]', "
                          "3, 3, true, 'groups', false, '2026-01-01 10:00:00')"))
        w = c.execute(sa.text("SELECT id FROM workshop WHERE code = 'ACDEFH'")).scalar()
        c.execute(sa.text("INSERT INTO participant (workshop_id, role, token_hash, name, organisation, \"table\", number, "
                          "votes_used, joined_at) VALUES (:w, 'participant', 'h1', 'Kerstin', '', '3', 1, 1, '2026-01-01 10:00:00')"), {"w": w})
        p = c.execute(sa.text("SELECT id FROM participant WHERE token_hash = 'h1'")).scalar()
        c.execute(sa.text("INSERT INTO theme (workshop_id, title, created_at) VALUES (:w, 'Samlokalisering', '2026-01-01 10:00:00')"), {"w": w})
        t = c.execute(sa.text("SELECT id FROM theme WHERE workshop_id = :w"), {"w": w}).scalar()
        c.execute(sa.text("INSERT INTO item (workshop_id, author_id, quadrant, text, theme_id, hidden, created_at) "
                          "VALUES (:w, :p, 'strengths', 'Under samma tak', :t, false, '2026-01-01 10:00:00')"), {"w": w, "p": p, "t": t})
        i = c.execute(sa.text("SELECT id FROM item WHERE workshop_id = :w"), {"w": w}).scalar()
        c.execute(sa.text("INSERT INTO vote (participant_id, theme_id, created_at) VALUES (:p, :t, '2026-01-01 10:00:00')"), {"p": p, "t": t})
        c.execute(sa.text("INSERT INTO theme_group (workshop_id, theme_id, position, title, summary) VALUES (:w, :t, 0, 'Samlokalisering', '')"), {"w": w, "t": t})
        g = c.execute(sa.text("SELECT id FROM theme_group WHERE workshop_id = :w"), {"w": w}).scalar()
        c.execute(sa.text("UPDATE participant SET group_id = :g WHERE id = :p"), {"g": g, "p": p})
        c.execute(sa.text("INSERT INTO note (group_id, author_id, text, created_at) VALUES (:g, :p, 'Dela lokaler', '2026-01-01 10:00:00')"), {"g": g, "p": p})
    return {"participant": p, "theme": t, "group": g, "item": i}


def test_a_deleted_newest_id_is_never_given_out_again(database_url):
    db = Database()
    db.configure(database_url)
    migrate.upgrade(db.engine)
    ids = _played_workshop(db)
    with db.write() as s:
        s.execute(sa.delete(ThemeGroup).where(ThemeGroup.id == ids["group"]))
        s.execute(sa.delete(Theme).where(Theme.id == ids["theme"]))
        s.commit()
        workshop_id = s.get(Participant, ids["participant"]).workshop_id
        theme = Theme(workshop_id=workshop_id, title="Ny")
        s.add(theme)
        s.flush()
        group = ThemeGroup(workshop_id=workshop_id, title="Ny", position=0)
        s.add(group)
        s.commit()
        assert theme.id > ids["theme"] and group.id > ids["group"]
    db.dispose()


def test_processes_starting_together_on_postgresql_migrate_one_at_a_time(postgres_url):
    """Four servers started at once on an empty database (each its own engine, as its own process
    would have): every upgrade succeeds, and the schema ends at the newest migration."""
    import threading
    import time

    engines = [Database() for _ in range(4)]
    for each in engines:
        each.configure(postgres_url)
    start, failures = threading.Barrier(len(engines)), []

    def upgrade(each: Database) -> None:
        start.wait()
        try:
            migrate.upgrade(each.engine)
        except Exception as error:  # collected: the assertion below names it
            failures.append(error)

    threads = [threading.Thread(target=upgrade, args=(each,), daemon=True) for each in engines]
    for thread in threads:
        thread.start()
    give_up = time.monotonic() + 60  # without the lock, concurrent DDL can wait on each other for ever
    for thread in threads:
        thread.join(max(0.0, give_up - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "the upgrades are stuck waiting for each other"
    assert failures == []
    assert migrate.current(engines[0].engine) == migrate.head()
    for each in engines:
        each.dispose()
