"""The record end to end: the Trygg hemgång scenario replayed through real Socket.IO clients against a live
server, downloaded in all four formats, read back, imported again, and exported by the CLI."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import docx
import openpyxl
import pytest
import requests

from facilitation.exporters.prose import join_names
from tests.markdown_reader import read
from tests.record_support import HOSTILE, nfc, played, scenario_facts

FORMATS = ("md", "xlsx", "docx", "json")


@pytest.fixture(scope="module")
def world():
    return played()


def download(world, name: str, fmt: str, token: str | None = None) -> requests.Response:
    ws = world.workshops[name]
    return requests.get(f"{world.server.url}/api/workshops/{ws['code']}/export.{fmt}",
                        headers={"Authorization": f"Bearer {token or ws['facilitator_token']}"}, timeout=20)


@pytest.fixture(scope="module")
def hemgang_files(world):
    files = {}
    for fmt in FORMATS:
        answer = download(world, "hemgang", fmt)
        assert answer.status_code == 200, answer.text
        files[fmt] = answer.content
    return files


def test_markdown_download_holds_everything_in_its_section_and_order(world, hemgang_files):
    facts = scenario_facts(world.scenario)
    doc = read(hemgang_files["md"])
    assert doc.markup == []
    ranked = doc.texts("item", "Samtalsrundor med SWOT och prioriteringar", "Teman efter antal prickar")
    appendix = doc.texts("item", "Bilaga: lappar utan tema")
    assert ranked[0] == f"{facts['themes'][0]['title']} – {facts['themes'][0]['votes']} prickar"
    notes = [t.split(": ", 1)[1] for t in ranked if ": " in t] + appendix  # every note once: its theme, else the appendix
    assert sorted(notes) == sorted(t for _q, t in facts["items"].values())
    assert doc.texts("quote", "Reflekterande team", "Panelen") == [q["text"] for q in facts["quotes"]]
    for n, (group, members) in enumerate(zip(facts["groups"], facts["members"]), 1):
        section = ("Möjliga vägar framåt", f"Tema {n}: {group['title']}")
        assert doc.texts("paragraph", *section) == ["Deltagare: " + join_names(members, "sv")] + (
            [group["summary"]] if group["summary"] else [])
        assert doc.texts("item", *section) == group["notes"]


def test_excel_download_holds_everything_as_text(world, hemgang_files):
    facts = scenario_facts(world.scenario)
    wb = openpyxl.load_workbook(io.BytesIO(hemgang_files["xlsx"]))
    items = list(wb["Lappar"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in items] == [t for _q, t in facts["items"].values()]
    assert [r[4] for r in wb["Citat"].iter_rows(min_row=2, values_only=True)] == [q["text"] for q in facts["quotes"]]
    assert [r[3] for r in wb["Anteckningar"].iter_rows(min_row=2, values_only=True)] == [x for g in facts["groups"] for x in g["notes"]]
    groups = list(wb["Grupper"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3].split("\n"), r[4] or "") for r in groups] == [
        (g["title"], m, g["summary"]) for g, m in zip(facts["groups"], facts["members"])]


def test_word_download_holds_everything_under_real_headings(world, hemgang_files):
    facts = scenario_facts(world.scenario)
    document = docx.Document(io.BytesIO(hemgang_files["docx"]))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    quotes = [text for style, text in paragraphs if style == "Quote"]
    assert quotes == [q["text"] for q in facts["quotes"]]
    for n, (group, members) in enumerate(zip(facts["groups"], facts["members"]), 1):
        start = paragraphs.index(("Heading 2", f"Tema {n}: {group['title']}"))
        end = next((i for i in range(start + 1, len(paragraphs)) if paragraphs[i][0].startswith("Heading")), len(paragraphs))
        body = paragraphs[start + 1:end]
        assert body[0] == ("Normal", "Deltagare: " + join_names(members, "sv"))
        assert [t for s, t in body if s == "List Bullet"] == group["notes"]
        assert [t for s, t in body[1:] if s == "Normal"] == ([group["summary"]] if group["summary"] else [])
    themed = [t.split(": ", 1)[1] for s, t in paragraphs if s == "List Bullet 2"]
    start = paragraphs.index(("Heading 1", "Bilaga: lappar utan tema"))
    appendix = [t for s, t in paragraphs[start:] if s == "List Bullet"]
    assert sorted(themed + appendix) == sorted(t for _q, t in facts["items"].values()) and document.tables == []


def test_hostile_texts_come_out_inert_in_every_download(world):
    texts = [nfc(t) for t in HOSTILE]
    doc = read(download(world, "hostile", "md").content)
    assert doc.markup == []
    assert doc.texts("item", "Possible ways forward", f"Theme 1: {texts[0]}") == texts
    wb = openpyxl.load_workbook(io.BytesIO(download(world, "hostile", "xlsx").content))
    cells = [row[2] for row in wb["Notes"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == texts and {c.data_type for c in cells} == {"s"}
    document = docx.Document(io.BytesIO(download(world, "hostile", "docx").content))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    in_themes = [p.text.split(": ", 1)[1] for p in document.paragraphs if p.style.name == "List Bullet 2"]
    assert all(t in bullets and t in in_themes for t in texts)
    assert [i["text"] for i in download(world, "hostile", "json").json()["items"]] == texts


def test_downloads_need_the_facilitator(world):
    code = world.workshops["hemgang"]["code"]
    url = f"{world.server.url}/api/workshops/{code}/export.md"
    assert requests.get(url, timeout=10).status_code == 401
    assert download(world, "hemgang", "md", token=world.workshops["hostile"]["facilitator_token"]).status_code == 403
    unknown = requests.get(f"{world.server.url}/api/workshops/QQQQQQ/export.md",
                           headers={"Authorization": f"Bearer {world.workshops['hemgang']['facilitator_token']}"}, timeout=10)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


def cli(world, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["FACILITATION_DATA_DIR"] = str(world.server.data_dir)
    return subprocess.run([sys.executable, "-m", "facilitation", "export", *args], env=env, capture_output=True, timeout=60)


def test_cli_export_gives_the_same_bytes_as_the_download(world, hemgang_files, tmp_path):
    code = world.workshops["hemgang"]["code"]
    for fmt in FORMATS:
        target = tmp_path / f"out.{fmt}"
        done = cli(world, code, "--format", fmt, "-o", str(target))
        assert done.returncode == 0, done.stderr.decode()
        assert target.read_bytes() == hemgang_files[fmt], fmt
    printed = cli(world, code.lower())  # Markdown to standard output by default
    assert printed.returncode == 0 and printed.stdout == hemgang_files["md"]
    missing = cli(world, "QQQQQQ", "--format", "json")
    assert missing.returncode != 0 and b"No workshop has that code" in missing.stderr


def test_importing_the_json_gives_back_the_same_record_in_the_same_phase(world, hemgang_files, sockets):
    answer = requests.post(f"{world.server.url}/api/workshops/import", data=hemgang_files["json"],
                           headers={"Content-Type": "application/json"}, timeout=20)
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["code"] != world.workshops["hemgang"]["code"] and made["join_url"].endswith("/j/" + made["code"])
    again = requests.get(f"{world.server.url}/api/workshops/{made['code']}/export.md",
                         headers={"Authorization": f"Bearer {made['facilitator_token']}"}, timeout=20)
    assert again.content == hemgang_files["md"]
    facilitator = sockets(world.server.url, {"code": made["code"], "facilitator_token": made["facilitator_token"]})
    snapshot = facilitator.snapshot
    assert snapshot["phase"] == "closed" and snapshot["participants"] == 12
    assert [g["title"] for g in snapshot["groups"]] == [g["title"] for g in world.scenario["expect"]["groups"]]
    refused = requests.post(f"{world.server.url}/api/workshops/import", json={"schema_version": 1}, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_request"
