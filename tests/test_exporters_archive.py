"""The JSON archive and its import: the whole workshop, brought back as a new one with the same record."""
from __future__ import annotations

import copy
import io
import json

import docx
import openpyxl
import pytest
import sqlalchemy as sa

from facilitation.exporters import archive, excel, markdown, word
from facilitation.extensions import db
from facilitation.models import Workshop

from .record_support import played


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def canonical(data: dict) -> dict:
    """An archive with its ids replaced by positions and without its code: what must survive an import."""
    data = copy.deepcopy(data)
    data["workshop"].pop("code")
    people = {p["id"]: n for n, p in enumerate(data["participants"])}
    themes = {t["id"]: n for n, t in enumerate(data["themes"])}
    for n, row in enumerate(data["participants"] + data["themes"] + data["items"] + data["quotes"] + data["groups"]):
        row.pop("id")
    for item in data["items"]:
        item["author_id"] = people.get(item["author_id"], item["author_id"])
        item["theme_id"] = themes.get(item["theme_id"])
    for group in data["groups"]:
        group["theme_id"] = themes.get(group["theme_id"])
        group["member_ids"] = [people[m] for m in group["member_ids"]]
        for note in group["notes"]:
            note.pop("id")
            note["author_id"] = people.get(note["author_id"], note["author_id"])
    return data


def import_archive(client, data) -> dict:
    answer = client.post("/api/workshops/import", json=data)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def workshops_count() -> int:
    with db.write() as session:
        return session.scalar(sa.select(sa.func.count(Workshop.id)))


def test_archive_holds_the_whole_workshop_without_naming_anonymous_authors():
    record = played().record("hemgang")
    data = json.loads(archive.render(record))
    assert data["schema_version"] == archive.SCHEMA_VERSION and data["kind"] == "facilitation.workshop"
    assert data["phase"] == "closed" and data["workshop"]["title"] == "Trygg hemgång – samverkan efter sjukhusvistelse"
    assert len(data["participants"]) == 12 and len(data["items"]) == 16 and len(data["quotes"]) == 2
    assert {i["author_id"] for i in data["items"]} == {None}
    assert sum(t["votes"] for t in data["themes"]) == 36
    assert [len(g["member_ids"]) for g in data["groups"]] == [5, 4, 3]
    named = json.loads(archive.render(played().record("hostile")))
    people = {p["id"] for p in named["participants"]}
    assert {i["author_id"] for i in named["items"]} <= people and named["items"][0]["author_id"] is not None


@pytest.mark.parametrize("name", ["hemgang", "hostile"])
def test_import_gives_a_new_workshop_with_the_same_record(client, name):
    record = played().record(name)
    data = json.loads(archive.render(record))
    answer = import_archive(client, data)
    assert answer["code"] != record["workshop"]["code"]
    assert set(answer) >= {"code", "facilitator_token", "join_url", "console_url", "projector_url"}
    got = {fmt: client.get(f"/api/workshops/{answer['code']}/export.{fmt}", headers=bearer(answer["facilitator_token"]))
           for fmt in ("md", "json", "docx", "xlsx")}
    assert got["md"].data == markdown.render(record)
    again = got["json"].get_json()
    assert again["phase"] == record["phase"] and again["workshop"]["code"] == answer["code"]
    # Every item keeps its table, anonymous ones too (the table is stored with the item).
    assert [i["table"] for i in again["items"]] == [i["table"] for i in data["items"]]
    assert got["xlsx"].data == excel.render(record)
    assert canonical(again) == canonical(data)
    assert got["docx"].data == word.render(record)


def test_an_imported_workshop_counts_votes_and_keeps_its_phase(client):
    record = played().record("hostile")
    answer = import_archive(client, json.loads(archive.render(record)))
    with db.write() as session:
        workshop = session.scalar(sa.select(Workshop).where(Workshop.code == answer["code"]))
        assert workshop.phase == "groups" and workshop.tallies_revealed == record["workshop"]["tallies_revealed"]
    again = client.get(f"/api/workshops/{answer['code']}/export.json", headers=bearer(answer["facilitator_token"])).get_json()
    assert [t["votes"] for t in again["themes"]] == [t["votes"] for t in sorted(record["themes"], key=lambda t: t["id"])]


def _hemgang() -> dict:
    return json.loads(archive.render(played().record("hemgang")))


BAD = [
    (lambda d: d.update(schema_version=99), "schema_version"),
    (lambda d: d.pop("schema_version"), "schema_version"),
    (lambda d: d.update(kind="something.else"), "kind"),
    (lambda d: d.update(surprise=1), "unknown field"),
    (lambda d: d["workshop"].pop("title"), "title"),
    (lambda d: d["workshop"].update(title="x" * 201), "title"),
    (lambda d: d["workshop"].update(language="fi"), "language"),
    (lambda d: d.update(phase="party"), "phase"),
    (lambda d: d["items"][3].update(quadrant="middle"), "items[3].quadrant"),
    (lambda d: d["items"][0].update(text=""), "items[0].text"),
    (lambda d: d["items"][0].update(text="x" * 501), "items[0].text"),
    (lambda d: d["items"][0].update(text="a\x00b"), "control characters"),
    (lambda d: d["items"][1].update(theme_id=123456789), "items[1].theme_id"),
    (lambda d: d["items"][1].update(author_id=123456789), "items[1].author_id"),
    (lambda d: d["items"][1].update(created_at="yesterday"), "items[1].created_at"),
    (lambda d: d["participants"][1].update(id=d["participants"][0]["id"]), "participants[1].id"),
    (lambda d: d["participants"][2].update(name=["list"]), "participants[2].name"),
    (lambda d: d["themes"][0].update(votes=-1), "themes[0].votes"),
    (lambda d: d["themes"][0].update(votes=10_000), "more votes"),
    (lambda d: d["groups"][1]["member_ids"].append(d["groups"][0]["member_ids"][0]), "groups[1].member_ids"),
    (lambda d: d["groups"][0]["notes"][2].update(text=None), "groups[0].notes[2].text"),
    (lambda d: d["groups"][0].update(capacity=0), "groups[0].capacity"),
    (lambda d: d["quotes"][0].update(speaker=7), "quotes[0].speaker"),
    (lambda d: d.update(items="many"), "items"),
    (lambda d: d.clear(), "schema_version"),
]


@pytest.mark.parametrize("spoil, where", BAD, ids=[w for _s, w in BAD])
def test_a_bad_archive_is_refused_clearly_and_creates_nothing(client, spoil, where):
    data = _hemgang()
    spoil(data)
    before = workshops_count()
    answer = client.post("/api/workshops/import", json=data)
    assert answer.status_code == 400, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] in ("bad_request", "too_long") and where in error["message"]
    assert workshops_count() == before


def test_import_refuses_what_is_not_json(client):
    assert client.post("/api/workshops/import", data="{not json", content_type="application/json").status_code == 400
    assert client.post("/api/workshops/import", json=[1, 2]).status_code == 400
    assert client.get("/api/workshops/import").status_code == 405
    assert workshops_count() == 0


def test_a_hidden_item_stays_out_of_the_document_but_in_the_data(client):
    data = _hemgang()
    hidden = data["items"][0]
    hidden["hidden"] = True
    answer = import_archive(client, data)
    files = {fmt: client.get(f"/api/workshops/{answer['code']}/export.{fmt}", headers=bearer(answer["facilitator_token"])).data
             for fmt in ("md", "docx", "xlsx", "json")}
    assert hidden["text"].encode() not in files["md"]
    document = docx.Document(io.BytesIO(files["docx"]))
    cells = [p.text for table in document.tables for row in table.rows for c in row.cells for p in c.paragraphs]
    assert not any(hidden["text"] in text for text in [p.text for p in document.paragraphs] + cells)
    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))["Lappar"]
    assert [(r[2], r[7]) for r in sheet.iter_rows(min_row=2, max_row=3, values_only=True)] == [
        (hidden["text"], "ja"), (data["items"][1]["text"], None)]
    assert json.loads(files["json"])["items"][0]["hidden"] is True


def test_import_and_export_agree_on_sqlite_and_postgresql(database_url, tmp_path):
    from facilitation import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test", "DATABASE_URL": database_url})
    try:
        client = app.test_client()
        for name in ("hemgang", "hostile"):
            record = played().record(name)
            answer = import_archive(client, json.loads(archive.render(record)))
            md = client.get(f"/api/workshops/{answer['code']}/export.md", headers=bearer(answer["facilitator_token"]))
            assert md.data == markdown.render(record)
    finally:
        db.dispose()
