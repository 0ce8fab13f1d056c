"""An anonymous workshop leaves no path from a text to a person: no author on a group's notes (on the
phones, the projector, the console, in every export), no participant's table beside their name."""
from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from facilitation import exporters, record
from facilitation.extensions import db, socketio
from facilitation.operations import access

NAME, TABLE, NOTE, ITEM = "Kerstin Nordin", "Bord Blåklint", "Vi behöver en gemensam ingång", "Lång väntan på besked"


def connect(app, auth: dict):
    client = socketio.test_client(app, auth=auth)
    assert client.is_connected(), auth
    return client


def events(client, name: str) -> list:
    return [e["args"][0] for e in client.get_received() if e["name"] == name]


def play(app, client, anonymous: bool) -> dict:
    """Kerstin (at her table) posts an item, joins the group and writes a note; the others watch."""
    ws = client.post("/api/workshops", json={"title": "Anonymt" if anonymous else "Öppet", "anonymous_items": anonymous}).get_json()
    code = ws["code"]
    facilitator = connect(app, {"code": code, "facilitator_token": ws["facilitator_token"]})
    kerstin = connect(app, {"code": code, "name": NAME, "organisation": "Mini-Maria", "table": TABLE})
    other = connect(app, {"code": code, "name": "Olle", "table": "Bord Vitsippa"})
    screen = connect(app, {"code": code, "role": "screen", "screen_key": ws["screen_key"]})
    assert kerstin.emit("post_item", {"quadrant": "weaknesses", "text": ITEM}, callback=True)["ok"]
    theme = facilitator.emit("create_theme", {"title": "Ingången"}, callback=True)["theme"]
    facilitator.emit("set_phase", {"phase": "groups"}, callback=True)
    group = facilitator.emit("form_groups", {"top": 1}, callback=True)["groups"][0]
    for person in (kerstin, other):
        assert person.emit("join_group", {"group_id": group["id"]}, callback=True)["ok"]
    for each in (facilitator, kerstin, other, screen):
        each.get_received()
    answer = kerstin.emit("add_note", {"group_id": group["id"], "text": NOTE}, callback=True)
    assert answer["ok"]
    kerstin_id = kerstin.emit("join_group", {"group_id": group["id"]}, callback=True)["group"]["members"][0]["id"]
    seen = {}
    assert answer["note"]["author_id"] == kerstin_id  # her own answer, to her alone, as with her own items
    for label, each in (("facilitator", facilitator), ("other", other), ("screen", screen)):
        received = each.get_received()
        seen[label] = [e["args"][0] for e in received if e["name"] == "note_added"]
        seen[label] += [n for e in received if e["name"] == "group_updated" for n in e["args"][0]["notes"]]
    assert kerstin.emit("set_summary", {"group_id": group["id"], "text": "Sammanfattat"}, callback=True)["ok"]
    updated = [e["args"][0] for e in screen.get_received() if e["name"] == "group_updated"]
    seen["group_updated"] = [n for g in updated for n in g["notes"]]
    late = connect(app, {"code": code, "role": "screen", "screen_key": ws["screen_key"]})
    seen["snapshot"] = [n for e in late.get_received() if e["name"] == "snapshot" for g in e["args"][0]["groups"] for n in g["notes"]]
    with db.read() as s:
        built = record.build(s, access.workshop_by_code(s, code))
    return {"seen": seen, "record": built, "kerstin_id": kerstin_id}


def exported(built: dict) -> dict:
    return {fmt: exporters.export(built, fmt).data for fmt in exporters.FORMATS}


def test_notes_reach_phones_projector_and_console_without_their_author(app, client):
    played = play(app, client, anonymous=True)
    for where, notes in played["seen"].items():
        assert notes and all(n["text"] == NOTE and n["author_id"] is None for n in notes), where


def test_in_an_open_workshop_notes_still_name_their_author(app, client):
    played = play(app, client, anonymous=False)
    assert {n["author_id"] for notes in played["seen"].values() for n in notes} == {played["kerstin_id"]}


def test_no_export_of_an_anonymous_workshop_links_a_text_or_a_table_to_a_person(app, client):
    built = play(app, client, anonymous=True)["record"]
    files = exported(built)
    archive = json.loads(files["json"])
    assert [p["name"] for p in archive["participants"]] == [NAME, "Olle"]
    assert all(p["table"] == "" for p in archive["participants"])
    assert all(i["author_id"] is None for i in archive["items"])
    assert all(n["author_id"] is None for g in archive["groups"] for n in g["notes"])
    assert [i["table"] for i in archive["items"]] == [TABLE]  # an item keeps its table: a group, not a person
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    people = [list(r) for r in book["Deltagare"].iter_rows(values_only=True)]
    assert people[0] == ["Nr", "Namn", "Organisation", "Grupp"] and all(TABLE not in row for row in people)
    notes = [list(r) for r in book["Anteckningar"].iter_rows(min_row=2, values_only=True)]
    assert notes and all(NAME not in row for row in notes)
    items = [list(r) for r in book["Lappar"].iter_rows(min_row=2, values_only=True)]
    assert items and all(NAME not in row for row in items)
    markdown = files["md"].decode()
    assert NOTE in markdown and all(NAME not in line for line in markdown.splitlines() if NOTE in line or ITEM in line)
    assert TABLE not in markdown
    word = zipfile.ZipFile(io.BytesIO(files["docx"])).read("word/document.xml").decode()
    assert NOTE in word and TABLE not in word
    paragraphs = word.split("</w:p>")
    assert all(NAME not in p for p in paragraphs if NOTE in p or ITEM in p)


def test_an_open_workshops_exports_keep_authors_and_tables(app, client):
    played = play(app, client, anonymous=False)
    archive = json.loads(exported(played["record"])["json"])
    assert [p["table"] for p in archive["participants"]] == [TABLE, "Bord Vitsippa"]
    assert [n["author_id"] for g in archive["groups"] for n in g["notes"]] == [played["kerstin_id"]]
    book = openpyxl.load_workbook(io.BytesIO(exported(played["record"])["xlsx"]))
    assert next(book["Deltagare"].iter_rows(values_only=True)) == ("Nr", "Namn", "Organisation", "Bord", "Grupp")


@pytest.mark.parametrize("anonymous", [True, False])
def test_an_archive_comes_back_as_anonymous_as_it_left(app, client, anonymous):
    built = play(app, client, anonymous=anonymous)["record"]
    imported = client.post("/api/workshops/import", json=json.loads(exporters.export(built, "json").data))
    assert imported.status_code == 201, imported.get_json()
    with db.read() as s:
        again = record.build(s, access.workshop_by_code(s, imported.get_json()["code"]))
    assert all((n["author"] is None) == anonymous for g in again["groups"] for n in g["notes"])
    assert all((p["table"] == "") == anonymous for p in again["participants"])
