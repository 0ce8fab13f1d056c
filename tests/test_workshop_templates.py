"""Workshop templates: a workshop's setup saved under a name, a new workshop started from it on the form
and through the API, the template as a file moved to another server, and only for the site's staff."""
from __future__ import annotations

import io
import json

import lxml.html
import pytest

from facilitation import create_app, record
from facilitation.extensions import db

PASSPHRASE = "hjortron på myren 1983"
SETUP = {
    "title": "Samverkan i fokus", "organisation": "Göteborgs stad", "location": "Scandic Opalen", "date": "2016-09-01",
    "purpose": "Samla kunskap till planen mot missbruk och beroende.",
    "introduction": "Dagen inleddes med några ord av nämndens ordförande.",
    "questions": ["Hur ser samverkansprocesserna ut idag?", "Vilka områden vill vi fokusera?"],
    "round_question": "Hur stärker vi samverkansprocessen?",
    "facilitators": ["Sophia Kaså", "Maria Martini"], "panel": ["Kerstin Nordin, Mini-maria", "Anna Rydén, Järntorgsteamet"],
    "language": "sv", "votes_per_participant": 5, "max_votes_per_theme": 2, "group_capacity": 8, "anonymous_items": False,
}
KEPT = {k: v for k, v in SETUP.items() if k not in ("location", "date")}  # a template's setup: not the day or the place


@pytest.fixture
def make_app(tmp_path):
    """An app as it runs (CSRF on), each on its own database: two calls are two servers."""
    made = []

    def make(name: str = "a", **settings):
        db.dispose()
        app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / name), "SECRET_KEY": "test",
                          "DATABASE_URL": f"sqlite:///{tmp_path / (name + '.db')}", **settings})
        made.append(app)
        return app

    yield make
    db.dispose()


def root(answer) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(answer.get_data(as_text=True))


def submit(client, page, form_xpath: str, **changes):
    """Send the first form `form_xpath` finds in `page` as a browser would, with some fields changed."""
    form = page.xpath(form_xpath)[0]
    fields = {name: value for name, value in form.form_values()}
    fields.update(changes)
    method = (form.get("method") or "get").lower()
    if method == "get":
        return client.get(form.get("action"), query_string=fields)
    return client.post(form.get("action"), data=fields)


def workshop_record(code: str) -> dict:
    with db.read() as s:
        return record.build_for_code(s, code)


def setup_of(built: dict) -> dict:
    return {k: built["workshop"][k] for k in KEPT}


def console(client, ws: dict) -> None:
    assert client.get(f"/console/{ws['code']}?key={ws['facilitator_token']}").status_code == 302


def test_a_workshop_saved_as_a_template_starts_the_next_one_from_the_form(make_app):
    client = make_app().test_client()
    first = client.post("/api/workshops", json=SETUP).get_json()
    console(client, first)
    # On the console: "Save as a template", named after the workshop to begin with.
    page = root(client.get(f"/console/{first['code']}"))
    assert page.xpath("//*[@id='save-template']//input[@name='name']")[0].get("value") == "Samverkan i fokus"
    saved = submit(client, page, "//*[@id='save-template']", name="Samverkan – missbruk och beroende")
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/console/templates")
    listing = root(client.get("/console/templates"))
    assert [n.text_content() for n in listing.xpath("//*[@id='templates']//*[@class='template-name']")] == ["Samverkan – missbruk och beroende"]
    assert "Sparad som mallen ”Samverkan – missbruk och beroende”." in [p.text_content() for p in listing.xpath("//*[@class='notice']")]

    # The new-workshop form offers it; choosing it fills the form in.
    form_page = root(client.get("/console/"))
    options = {o.text_content(): o.get("value") for o in form_page.xpath("//*[@id='template-choice']//option")}
    assert set(options) == {"Ingen: ett tomt formulär", "Samverkan – missbruk och beroende"}
    filled = root(submit(client, form_page, "//*[@id='template-choice']", template=options["Samverkan – missbruk och beroende"]))
    assert filled.xpath("//*[@id='title']")[0].get("value") == "Samverkan i fokus"
    assert filled.xpath("//*[@id='questions']")[0].text_content().strip() == "\n".join(SETUP["questions"])
    assert filled.xpath("//*[@id='panel']")[0].text_content().strip() == "\n".join(SETUP["panel"])
    assert filled.xpath("//*[@id='votes_per_participant']")[0].get("value") == "5"
    assert filled.xpath("//*[@id='anonymous_items']")[0].get("checked") is None
    assert filled.xpath("//*[@id='location']")[0].get("value") in (None, "")  # the place is each workshop's own

    created = submit(client, filled, "//form[@method='post']", location="Stadshuset i Angered", date="2017-03-02",
                     title="Samverkan i fokus – Angered")
    assert created.status_code == 302
    second = workshop_record(created.headers["Location"].split("/")[-2])
    assert setup_of(second) == {**KEPT, "title": "Samverkan i fokus – Angered"}  # the introduction came with the template
    assert (second["workshop"]["location"], second["workshop"]["date"]) == ("Stadshuset i Angered", "2017-03-02")
    assert setup_of(workshop_record(first["code"])) == KEPT  # the first workshop is as it was


def test_the_api_starts_a_workshop_from_a_template_its_own_fields_over_it(make_app):
    client = make_app().test_client()
    first = client.post("/api/workshops", json=SETUP).get_json()
    console(client, first)
    saved = client.post(f"/console/{first['code']}/template", data={"name": "Göteborg 2016"},
                        headers={"Accept": "application/json"})
    assert saved.status_code == 400  # CSRF: a form without its token changes nothing
    assert client.get("/api/templates").get_json() == {"templates": []}
    token = root(client.get(f"/console/{first['code']}")).xpath("//*[@id='save-template']//input[@name='csrf_token']")[0].get("value")
    saved = client.post(f"/console/{first['code']}/template", data={"name": "Göteborg 2016", "csrf_token": token},
                        headers={"Accept": "application/json"})
    assert saved.status_code == 201 and saved.get_json()["message"] == "Sparad som mallen ”Göteborg 2016”."
    template_id = saved.get_json()["id"]
    [listed] = client.get("/api/templates").get_json()["templates"]
    assert (listed["id"], listed["name"], listed["setup"]) == (template_id, "Göteborg 2016", KEPT)

    answer = client.post("/api/workshops", json={"template_id": template_id, "location": "Frölunda", "votes_per_participant": 3})
    assert answer.status_code == 201
    built = workshop_record(answer.get_json()["code"])
    assert setup_of(built) == {**KEPT, "votes_per_participant": 3} and built["workshop"]["location"] == "Frölunda"

    for body, status, code in (({"template_id": 999_999}, 404, "not_found"), ({"template_id": "x"}, 400, "bad_request"),
                               ({"template_id": template_id, "votes_per_participant": 0}, 400, "bad_request")):
        refused = client.post("/api/workshops", json=body)
        assert (refused.status_code, refused.get_json()["error"]["code"]) == (status, code), body
    again = client.post(f"/console/{first['code']}/template", data={"name": "Göteborg 2016", "csrf_token": token},
                        headers={"Accept": "application/json"})
    assert again.status_code == 409 and "finns redan" in again.get_json()["error"]["message"]
    assert len(client.get("/api/templates").get_json()["templates"]) == 1


def test_a_template_file_moves_to_another_server(make_app):
    client = make_app("a").test_client()
    ws = client.post("/api/workshops", json=SETUP).get_json()
    console(client, ws)
    submit(client, root(client.get(f"/console/{ws['code']}")), "//*[@id='save-template']", name="Samverkan")
    listing = root(client.get("/console/templates"))
    download = client.get(listing.xpath("//*[@id='templates']//a[@download]")[0].get("href"))
    assert download.status_code == 200 and 'filename="template-samverkan.json"' in download.headers["Content-Disposition"]
    document = download.data
    assert json.loads(document)["setup"] == KEPT

    other = make_app("b").test_client()  # another municipality's server
    page = root(other.get("/console/templates"))
    assert page.xpath("//*[@id='no-templates']")
    form = page.xpath("//form[@enctype]")[0]
    token = form.xpath(".//input[@name='csrf_token']")[0].get("value")

    def upload(data: bytes, name: str = ""):
        return other.post(form.get("action"), content_type="multipart/form-data",
                          data={"csrf_token": token, "name": name, "file": (io.BytesIO(data), "mall.json")})

    for bad, says in ((b"not json", "inte JSON"), (b'{"kind": "facilitation.workshop", "schema_version": 1}', "not a workshop template"),
                      (document.replace(b'"votes_per_participant": 5', b'"votes_per_participant": 500'), "between 1 and 100")):
        refused = upload(bad)
        assert refused.status_code == 400 and says in root(refused).xpath("//*[@id='file-error']")[0].text_content(), bad[:40]
    assert other.get("/api/templates").get_json() == {"templates": []}  # nothing kept from a refused file
    assert upload(document).status_code == 302
    taken = upload(document)
    assert "finns redan" in root(taken).xpath("//*[@id='name-error']")[0].text_content()
    assert upload(document, name="Samverkan (från Göteborg)").status_code == 302
    names = [t["name"] for t in other.get("/api/templates").get_json()["templates"]]
    assert names == ["Samverkan", "Samverkan (från Göteborg)"]
    [first, _] = other.get("/api/templates").get_json()["templates"]
    answer = other.post("/api/workshops", json={"template_id": first["id"], "location": "Malmö"})
    assert setup_of(workshop_record(answer.get_json()["code"])) == KEPT
    # Deleting a template leaves the workshops started from it as they are.
    listing = root(other.get("/console/templates"))
    assert submit(other, listing, f"//li[@data-template-id='{first['id']}']//form").status_code == 302
    assert [t["name"] for t in other.get("/api/templates").get_json()["templates"]] == ["Samverkan (från Göteborg)"]
    assert setup_of(workshop_record(answer.get_json()["code"])) == KEPT


def test_templates_are_for_the_sites_staff_only(make_app):
    app = make_app(STAFF_PASSPHRASE=PASSPHRASE)
    staff, facilitator = app.test_client(), app.test_client()
    made = staff.post("/api/workshops", json=SETUP, headers={"X-Staff-Passphrase": PASSPHRASE}).get_json()
    console(facilitator, made)  # someone with the console link who is not staff
    page = root(facilitator.get(f"/console/{made['code']}"))
    assert page.xpath("//*[@id='save-template']") == []
    token = page.xpath("//input[@name='csrf_token']")[0].get("value")  # the session's token, from another form
    assert facilitator.post(f"/console/{made['code']}/template", data={"name": "x", "csrf_token": token}).status_code == 403
    assert facilitator.get("/console/templates").status_code == 403
    assert facilitator.get("/api/templates").status_code == 401
    assert facilitator.get("/api/templates", headers={"X-Staff-Passphrase": "gissning"}).status_code == 403
    assert root(facilitator.get("/console/")).xpath("//*[@id='template-choice']") == []

    template = staff.post("/api/templates", data=json.dumps({"kind": "facilitation.workshop_template", "schema_version": 1,
                                                              "name": "Mall", "setup": KEPT}),
                          content_type="application/json", headers={"X-Staff-Passphrase": PASSPHRASE})
    assert template.status_code == 201
    answer = facilitator.post("/api/workshops", json={"template_id": template.get_json()["id"]})
    assert answer.status_code == 401  # creating is for staff too
    gate = root(facilitator.get("/console/templates"))
    wrong = submit(facilitator, gate, "//form", passphrase="gissning")
    assert wrong.status_code == 403 and root(wrong).xpath("//*[@id='passphrase-error']")
    assert submit(facilitator, gate, "//form", passphrase=PASSPHRASE).status_code == 302
    listing = root(facilitator.get("/console/templates"))
    assert [n.text_content() for n in listing.xpath("//*[@id='templates']//*[@class='template-name']")] == ["Mall"]
    assert root(facilitator.get(f"/console/{made['code']}")).xpath("//*[@id='save-template']")


def test_a_template_round_trip_on_sqlite_and_postgresql(database_url, tmp_path):
    db.dispose()
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test", "DATABASE_URL": database_url})
    client = app.test_client()
    document = {"kind": "facilitation.workshop_template", "schema_version": 1, "name": "Samverkan", "setup": KEPT}
    made = client.post("/api/templates", json=document)
    assert made.status_code == 201
    assert client.post("/api/templates", json=document).status_code == 409  # the name is the site's once
    assert json.loads(client.get(f"/api/templates/{made.get_json()['id']}").data) == document
    answer = client.post("/api/workshops", json={"template_id": made.get_json()["id"], "location": "Borås"})
    assert setup_of(workshop_record(answer.get_json()["code"])) == KEPT
    assert client.delete(f"/api/templates/{made.get_json()['id']}").status_code == 204
    assert client.get("/api/templates").get_json() == {"templates": []}
