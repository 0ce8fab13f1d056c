"""The record template, shipped or a municipality's own in <data dir>/exports/, renders in Jinja's
immutable sandbox: it reads the record and reaches nothing else; a template that cannot be
rendered is answered with a message the facilitator can read, and the shipped one renders as before."""
from __future__ import annotations

import jinja2
import pytest

from facilitation import exporters, record
from facilitation.exporters import markdown
from facilitation.extensions import db
from facilitation.operations.errors import DomainError

from .record_support import played

ATTACKS = [
    '{{ lipsum.__globals__["os"].popen("echo PWNED-$((6*7))").read() }}',
    "{{ lipsum.__globals__.os.system('touch {marker}') }}",
    "{{ cycler.__init__.__globals__.os.system('touch {marker}') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ w.title | attr('__class__') }}",
    "{{ self._TemplateReference__context }}",
    "{% set _ = w.update({'title': 'forged'}) %}{{ w.title }}",
    "{% set _ = r['items'].append(1) %}",
]


def created(client) -> dict:
    answer = client.post("/api/workshops", json={"title": "Samverkan"})
    assert answer.status_code == 201
    return answer.get_json()


def export(client, workshop: dict, fmt: str):
    return client.get(f"/api/workshops/{workshop['code']}/export.{fmt}",
                      headers={"Authorization": f"Bearer {workshop['facilitator_token']}"})


def override(data_dir, text: str) -> None:
    folder = data_dir / "exports"
    folder.mkdir(exist_ok=True)
    (folder / "record.md.j2").write_text(text, encoding="utf-8")


def test_the_facilitator_downloading_the_record_is_told_the_template_was_refused(client, tmp_path):
    marker = tmp_path / "reached-os"
    workshop = created(client)
    for attack in ATTACKS[:2]:
        override(tmp_path, "# {{ title }}\n" + attack.replace("{marker}", str(marker)) + "\n")
        answer = export(client, workshop, "md")
        assert answer.status_code == 500 and answer.is_json, answer.get_data(as_text=True)[:300]
        error = answer.get_json()["error"]
        assert error["code"] == "template_error"
        assert "data folder" in error["message"] and "SecurityError" in error["message"], error
        assert "PWNED-42" not in answer.get_data(as_text=True) and not marker.exists()
    assert export(client, workshop, "xlsx").status_code == 200  # the other formats still work


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_template_that_reaches_past_the_record_is_refused(client, tmp_path, attack):
    marker = tmp_path / "reached-os"
    code = created(client)["code"]
    with db.read() as session:
        built = record.build_for_code(session, code)
    override(tmp_path, "# {{ title }}\n" + attack.replace("{marker}", str(marker)) + "\n")
    with pytest.raises(DomainError) as refusal:
        markdown.render(built, exporters.template_dirs(tmp_path))
    assert refusal.value.code == "template_error" and "SecurityError" in refusal.value.message
    assert not marker.exists() and built["workshop"]["title"] == "Samverkan"


def test_a_template_with_a_mistake_names_it_and_its_line(client, tmp_path):
    workshop = created(client)
    override(tmp_path, "# {{ title }}\n\n{% for item in r['items'] %}\n{{ item.text }}\n")
    error = export(client, workshop, "md").get_json()["error"]
    assert error["code"] == "template_error" and "TemplateSyntaxError" in error["message"] and "(line " in error["message"]
    with db.read() as session:
        built = record.build_for_code(session, workshop["code"])
    for mistake, named in (("{{ r.no_such_thing }}", "UndefinedError"), ("{{ range(10**9) | list }}", "OverflowError"),
                           ("{{ 1 / 0 }}", "ZeroDivisionError")):
        override(tmp_path, mistake)
        with pytest.raises(DomainError, match=named):
            markdown.render(built, exporters.template_dirs(tmp_path))


def test_a_municipality_template_that_only_reads_the_record_still_works(client, tmp_path):
    workshop = created(client)
    override(tmp_path, "# {{ w.title | md_inline }}\n{% for name, value in w.items() %}{% endfor %}{{ t | length > 0 }}\n")
    answer = export(client, workshop, "md")
    assert answer.status_code == 200 and answer.data == "# Samverkan\nTrue\n".encode()


def test_the_export_command_says_what_is_wrong_with_the_template(client, runner, tmp_path):
    workshop = created(client)
    override(tmp_path, ATTACKS[0])
    result = runner.invoke(args=["export", workshop["code"], "--format", "md"])
    assert result.exit_code == 1 and "SecurityError" in result.output and "PWNED" not in result.output


def test_the_shipped_template_renders_byte_for_byte_as_without_the_sandbox(monkeypatch):
    records = {name: played().record(name) for name in played().workshops}  # the scenario and the hostile texts
    sandboxed = {name: markdown.render(record) for name, record in records.items()}
    monkeypatch.setattr(markdown, "Sandbox", jinja2.Environment)
    assert {name: markdown.render(record) for name, record in records.items()} == sandboxed
