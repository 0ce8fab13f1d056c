"""Migration 0005: workshops made before the screen key each get a key of their own."""
from __future__ import annotations

import sqlalchemy as sa

from facilitation import migrate
from facilitation.database import Database
from facilitation.operations import access


def test_workshops_made_before_0005_each_get_their_own_screen_key(database_url):
    db = Database()
    db.configure(database_url)
    migrate.upgrade(db.engine, "0004")
    with db.engine.begin() as c:
        for code in ("AAAAAA", "CCCCCC"):
            c.execute(sa.text(
                "INSERT INTO workshop (code, title, organisation, location, language, purpose, introduction, conclusion,"
                " questions, facilitators, votes_per_participant, max_votes_per_theme, anonymous_items, phase,"
                " tallies_revealed, created_at) VALUES (:code, 'Före', '', '', 'sv', '', '', '', '[]', '[]', 3, 3,"
                " true, 'collect', false, '2026-01-01')"), {"code": code})
    migrate.upgrade(db.engine)
    with db.write() as s:
        keys = {code: access.workshop_by_code(s, code).screen_key for code in ("AAAAAA", "CCCCCC")}
        assert len(set(keys.values())) == 2 and all(len(key) == 22 for key in keys.values())
        access.check_screen_key(access.workshop_by_code(s, "AAAAAA"), keys["AAAAAA"])
    db.dispose()
