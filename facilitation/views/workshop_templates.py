"""Workshop templates for the site's staff: the list page (start from one, download, import, delete),
"save as a template" from a workshop's console, the new-workshop form filled in from one, and the
API (`/api/templates`). Who is staff: views/staff_auth.py."""
from __future__ import annotations

import json
from typing import Any

from flask import (Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for)
from flask_babel import gettext as _

from .. import identity, pipeline
from ..exporters.prose import slug
from ..extensions import db
from ..forms import (DeleteTemplateForm, ImportTemplateForm, SaveTemplateForm, StaffSignInForm, TemplateChoiceForm,
                     WorkshopForm)
from ..operations import access, workshop_templates, workshops
from ..operations.errors import DomainError
from . import api, staff_auth
from .pages import error_page, workshop_page

bp = Blueprint("workshop_templates", __name__, url_prefix="/console")
bp.register_error_handler(404, error_page)
bp.register_error_handler(403, error_page)
api_bp = api.answering_json(Blueprint("templates_api", __name__, url_prefix="/api"))


def _listing() -> list[dict[str, Any]]:
    with db.read() as s:
        return workshop_templates.listing(s)


# The new-workshop form (views/console.py): offered templates, the form filled in from one, the fields to create.

def choice_form() -> TemplateChoiceForm | None:
    """The "start from a template" choice on the new-workshop form: for staff, when the site has templates."""
    if not staff_auth.is_staff():
        return None
    templates = _listing()
    if not templates:
        return None
    form = TemplateChoiceForm(request.args)
    form.template.choices = [("", _("None: an empty form"))] + [(str(t["id"]), t["name"]) for t in templates]
    return form


def _form_data(template_id: int, setup: dict[str, Any]) -> dict[str, Any]:
    """A template's setup as the new-workshop form's fields (the form has no field for the introduction:
    the template id it carries brings that)."""
    lines = {name: "\n".join(setup.get(name) or []) for name in workshops.LIST_FIELDS}
    return {**setup, **lines, "template_id": str(template_id)}


def prefilled() -> dict[str, Any]:
    """The new-workshop form's starting data: the chosen template's setup (`?template=`), else nothing."""
    chosen = request.args.get("template", "")
    if request.method != "GET" or not chosen or not staff_auth.is_staff():
        return {}
    try:
        with db.read() as s:
            template = workshop_templates.by_id(s, chosen)
            return {"data": _form_data(template.id, template.setup)}
    except DomainError:
        flash(_("There is no such template on this server."))
        return {}


def new_workshop_fields(session, form: WorkshopForm) -> dict[str, Any]:
    """What creates the workshop: the form's fields over its template's setup (what the form lacks, e.g. the introduction)."""
    template_id = form.template_id.data if staff_auth.is_staff() else None
    return workshop_templates.with_template(session, {**form.workshop_fields(), "template_id": template_id})


# The list page.

def _page(import_form: ImportTemplateForm | None = None, status: int = 200):
    if not staff_auth.is_staff():
        return render_template("console/templates.html", gate=StaffSignInForm()), 403
    templates = _listing()
    page = render_template("console/templates.html", templates=templates, import_form=import_form or ImportTemplateForm(),
                           delete_form=DeleteTemplateForm())
    return page, status, {"Cache-Control": "no-store"}


def _staff_or_403() -> None:
    if not staff_auth.is_staff():
        abort(403)


@bp.get("/templates")
def index():
    """The site's templates, for staff: start a workshop from one, download it, import one, delete one."""
    return _page()


@bp.post("/templates/sign-in")
def sign_in():
    """The site's passphrase, asked on the templates page of a browser that is not staff yet."""
    form = StaffSignInForm()
    if form.validate_on_submit() and staff_auth.admitted(form):
        return redirect(url_for("workshop_templates.index"))
    return render_template("console/templates.html", gate=form), 403


@bp.post("/templates/import")
def import_file():
    """A template file from another server, checked whole before it is kept."""
    _staff_or_403()
    form = ImportTemplateForm()
    if form.validate_on_submit():
        try:
            data = json.loads(form.file.data.read())
            template = pipeline.write(lambda s: workshop_templates.import_document(s, data, form.name.data))
        except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError too)
            form.file.errors.append(_("That file is not a template: it is not JSON."))
        except workshop_templates.NameTaken as error:
            form.name.errors.append(_taken(error))
        except DomainError as error:
            form.file.errors.append(_("Not imported: %(reason)s", reason=error.message))
        else:
            flash(_("The template “%(name)s” is imported.", name=template.name))
            return redirect(url_for("workshop_templates.index"))
    return _page(form, 400)


@bp.get("/templates/<int:template_id>.json")
def download(template_id: int):
    """The template as a file for another server."""
    _staff_or_403()
    with db.read() as s:
        try:
            template = workshop_templates.by_id(s, template_id)
        except DomainError:
            abort(404)
        data, name = workshop_templates.document(template), template.name
    response = Response(data, content_type="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(name)}"'
    return response


def _taken(error: workshop_templates.NameTaken) -> str:
    return _("A template named “%(name)s” exists already: choose another name, or delete that one first.", name=error.name)


def _filename(name: str) -> str:
    return f"template-{slug(name) or 'workshop'}.json"


@bp.post("/templates/<int:template_id>/delete")
def delete(template_id: int):
    _staff_or_403()
    if not DeleteTemplateForm().validate_on_submit():
        abort(400)
    try:
        name = pipeline.write(lambda s: workshop_templates.delete(s, template_id))
    except DomainError:
        abort(404)
    flash(_("The template “%(name)s” is deleted.", name=name))
    return redirect(url_for("workshop_templates.index"))


# Saving a workshop's setup, from its console.

def save_form(workshop: dict[str, Any]) -> SaveTemplateForm | None:
    """The console's "save as a template" form (staff only), named after the workshop to begin with."""
    return SaveTemplateForm(data={"name": workshop["title"]}) if staff_auth.is_staff() else None


@bp.post("/<code>/template")
def save(code: str):
    """This workshop's setup as a new template; JSON for the console's script, a redirect for a plain form."""
    workshop_page(code)
    identity.require_console(code)
    _staff_or_403()
    form = SaveTemplateForm()
    wants_json = request.accept_mimetypes.best == "application/json"
    error, status = None, 400
    if not form.validate_on_submit():
        error = next(iter(form.name.errors), None) or _("The form had expired; try again.")
    else:
        try:
            template = pipeline.write(lambda s: workshop_templates.save_from_workshop(
                s, access.workshop_by_code(s, code), form.name.data))
        except workshop_templates.NameTaken as refusal:
            error, status = _taken(refusal), 409
        except DomainError as refusal:
            error = _("Not saved: %(reason)s", reason=refusal.message)
    if error is not None:
        if wants_json:
            return jsonify(error={"message": error}), status
        flash(error)
        return redirect(url_for("workshop_templates.index"))
    message = _("Saved as the template “%(name)s”.", name=template.name)
    if wants_json:
        return jsonify(id=template.id, name=template.name, message=message), 201
    flash(message)
    return redirect(url_for("workshop_templates.index"))


# The API.

@api_bp.get("/templates")
def api_list():
    staff_auth.check_api_request()
    return jsonify(templates=_listing())


@api_bp.get("/templates/<int:template_id>")
def api_document(template_id: int):
    """The template as the file another server imports."""
    staff_auth.check_api_request()
    with db.read() as s:
        return Response(workshop_templates.document(workshop_templates.by_id(s, template_id)),
                        content_type="application/json")


@api_bp.post("/templates")
def api_import():
    """A template from its file (the body); 201 with its id and name."""
    staff_auth.check_api_request()
    data = api.json_body()
    template = pipeline.write(lambda s: workshop_templates.import_document(s, data, request.args.get("name")))
    return jsonify(id=template.id, name=template.name), 201


@api_bp.delete("/templates/<int:template_id>")
def api_delete(template_id: int):
    staff_auth.check_api_request()
    pipeline.write(lambda s: workshop_templates.delete(s, template_id))
    return "", 204
