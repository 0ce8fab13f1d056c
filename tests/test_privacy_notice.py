"""The privacy notice on the join page: the site's own text or the default, shown before joining."""
from __future__ import annotations

import html
import re

import pytest

from facilitation import create_app
from facilitation.extensions import db


@pytest.fixture
def make_app(tmp_path):
    def make(**settings):
        return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                           "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}", **settings})

    yield make
    db.dispose()


def notice_of(client, language: str = "sv", **fields) -> tuple[str, list[str]]:
    """(summary, paragraphs) of the notice on a new workshop's join page, as a newcomer sees it."""
    body = {"title": "Integritet", "language": language, **fields}
    code = client.post("/api/workshops", json=body).get_json()["code"]
    page = client.get(f"/j/{code}").text
    join = page[page.index('<section id="join"'):page.index("</section>")]
    assert join.index('id="privacy-notice"') < join.index("<form"), "the notice comes before the join form"
    details = re.search(r'<details class="privacy-notice" id="privacy-notice">(.*?)</details>', join, re.S).group(1)
    summary = re.search(r"<summary>(.*?)</summary>", details, re.S).group(1)
    return html.unescape(summary), [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", details, re.S)]


def test_the_default_notice_in_swedish(make_app):
    summary, paragraphs = notice_of(make_app().test_client())
    assert summary == "Om dina uppgifter"
    assert [p.split(":")[0] for p in paragraphs] == ["Vad som sparas", "Varför", "Hur länge", "Vem som ser det",
                                                     "Frågor om dina uppgifter"]
    assert "raderas 30 dagar efter att den har avslutats" in paragraphs[2]
    assert paragraphs[4] == "Frågor om dina uppgifter: fråga processledaren, som kan berätta vem som ansvarar för dem."


def test_the_default_notice_in_an_english_workshop_names_the_sites_contact(make_app):
    client = make_app(PRIVACY_CONTACT="dataskyddsombud@kommun.example, 08-123 45 67").test_client()
    summary, paragraphs = notice_of(client, "en")
    assert summary == "About your data"
    assert paragraphs[0].startswith("What is stored: what you write, and the name, organisation and table you give")
    assert paragraphs[4] == "Questions about your data: dataskyddsombud@kommun.example, 08-123 45 67."


def test_the_notice_names_the_sites_retention(make_app):
    _summary, paragraphs = notice_of(make_app(RETENTION_DAYS=90).test_client(), "en")
    assert "deleted 90 days after it is closed" in paragraphs[2]


def test_a_workshop_kept_longer_than_the_site_says_so(make_app):
    _summary, paragraphs = notice_of(make_app(RETENTION_DAYS=30).test_client(), "en", retention_days=180)
    assert "deleted 180 days after it is closed" in paragraphs[2]


def test_without_automatic_deletion_the_notice_says_so(make_app):
    _summary, paragraphs = notice_of(make_app(RETENTION_DAYS=0).test_client(), "en")
    assert "kept until the organiser deletes it" in paragraphs[2] and "days" not in paragraphs[2]


def test_the_sites_own_text_in_its_paragraphs(make_app):
    own = "Kommunen sparar det du skriver i 14 dagar.\nSedan raderas det.\n\nFrågor: <dpo@kommun.example>"
    _summary, paragraphs = notice_of(make_app(PRIVACY_NOTICE=own, PRIVACY_NOTICE_EN="In English.").test_client())
    assert paragraphs == ["Kommunen sparar det du skriver i 14 dagar.\nSedan raderas det.", "Frågor: <dpo@kommun.example>"]
    _summary, english = notice_of(make_app(PRIVACY_NOTICE=own, PRIVACY_NOTICE_EN="In English.").test_client(), "en")
    assert english == ["In English."]


def test_the_sites_text_from_a_file(monkeypatch, tmp_path):
    path = tmp_path / "integritet.txt"
    path.write_text("Personuppgiftsansvarig: Exempels kommun.\n\nKontakt: dataskyddsombud@kommun.example\n")
    monkeypatch.setenv("FACILITATION_PRIVACY_NOTICE", str(path))
    client = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test"}).test_client()
    try:
        assert notice_of(client)[1] == ["Personuppgiftsansvarig: Exempels kommun.",
                                        "Kontakt: dataskyddsombud@kommun.example"]
    finally:
        db.dispose()


def test_a_notice_file_that_cannot_be_read_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv("FACILITATION_PRIVACY_NOTICE", str(tmp_path / "saknas.txt"))
    with pytest.raises(ValueError, match="FACILITATION_PRIVACY_NOTICE names a file that cannot be read"):
        create_app({"DATA_DIR": str(tmp_path), "SECRET_KEY": "test"})
