"""Every string of the screens is translated to Swedish, and the compiled catalogue is current."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "facilitation" / "translations" / "sv" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
METHODS = {"python": [("facilitation/**.py", "python"), ("templates/**.html", "jinja2")]}


def extracted() -> set[str]:
    found = set()
    for pattern, method in METHODS["python"]:
        folder, glob = pattern.split("/", 1)
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, [(glob, method)], keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_has_a_swedish_translation():
    with open(CATALOGUE / "messages.po", "rb") as f:
        catalogue = read_po(f)
    translated = {m.id: m.string for m in catalogue if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(extracted() - set(translated))
    assert not missing, f"untranslated (run pybabel extract/update, then translate): {missing}"


def test_compiled_catalogue_matches_the_po_file():
    def plain(text):  # a plural's forms come as a tuple from the .po, a list from the .mo
        return tuple(text) if isinstance(text, (list, tuple)) else text

    with open(CATALOGUE / "messages.po", "rb") as f:
        po = {plain(m.id): plain(m.string) for m in read_po(f) if m.id}
    with open(CATALOGUE / "messages.mo", "rb") as f:
        mo = {plain(m.id): plain(m.string) for m in read_mo(f) if m.id}
    assert po == mo, "messages.mo is stale: run `pybabel compile -d facilitation/translations`"


def test_pages_are_swedish_by_default_and_english_per_workshop(client):
    page = client.get("/").get_data(as_text=True)
    assert 'lang="sv"' in page and "Gå med i en workshop" in page
    assert "Join a workshop" in client.get("/?lang=en").get_data(as_text=True)
    for language, expected in (("sv", "Var med från mobilen"), ("en", "Join on your phone")):
        created = client.post("/api/workshops", json={"title": "T", "language": language, "date": "2021-09-14"}).get_json()
        screen = client.get(created["projector_url"], follow_redirects=True).get_data(as_text=True)
        assert f'lang="{language}"' in screen and expected in screen
        assert ("14 september 2021" if language == "sv" else "14 September 2021") in screen
