"""WTForms for the pages (CSRF through Flask-WTF): join, find a workshop, create a workshop, the record's texts,
workshop templates."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, HiddenField, IntegerField, PasswordField,
                     SelectField, StringField, SubmitField, TextAreaField, ValidationError)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

SHORT, LONG = 200, 10_000
TEMPLATE_FILE_BYTES = 1_000_000


class Limit(Length):
    """The most characters a field takes, said (the page shows the count and the limit) and checked
    here, never enforced by the browser's maxlength, which cuts a pasted text mid-word without a word."""

    def __init__(self, limit: int, message: Any = None) -> None:
        super().__init__(max=limit, message=message or _l("At most %(max)d characters; this text has %(length)d."))
        self.field_flags = {}  # no maxlength attribute
        self.limit = limit  # _form_field.html renders it as data-limit with a count under the field


class CodeForm(FlaskForm):
    """The code a participant types in to find a workshop."""

    code = StringField(_l("Workshop code"), validators=[DataRequired(_l("Type the code shown on the big screen.")),
                                                       Length(max=32)])
    submit = SubmitField(_l("Go to the workshop"))


class JoinForm(FlaskForm):
    """Joining a workshop: everything optional, so that anonymous is a real choice."""

    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=SHORT)])
    organisation = StringField(_l("Organisation (optional)"), validators=[Optional(), Length(max=SHORT)])
    table = StringField(_l("Table (optional)"), validators=[Optional(), Length(max=SHORT)])
    submit = SubmitField(_l("Join"))


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _one_newline(text: str | None) -> str | None:
    """A textarea's CRLF line ends as the plain newlines the events send."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


class WorkshopForm(FlaskForm):
    """The facilitator's form for a new workshop."""

    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the workshop a title.")), Limit(SHORT)])
    date = DateField(_l("Date"), validators=[Optional()])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Limit(SHORT)])
    location = StringField(_l("Location"), validators=[Optional(), Limit(SHORT)])
    purpose = TextAreaField(_l("Purpose"), filters=[_one_newline], validators=[Optional(), Limit(LONG)])
    questions = TextAreaField(_l("Guiding questions (one per line)"), filters=[_one_newline],
                              validators=[Optional(), Limit(LONG)])
    round_question = TextAreaField(_l("The SWOT round's question"), filters=[_one_newline],
                                   validators=[Optional(), Limit(LONG)], render_kw={"rows": 2})
    facilitators = TextAreaField(_l("Facilitators (one per line)"), filters=[_one_newline],
                                 validators=[Optional(), Limit(LONG)])
    panel = TextAreaField(_l("The panel (one per line: name, role)"), filters=[_one_newline],
                          validators=[Optional(), Limit(LONG)])
    language = SelectField(_l("Language"), choices=[SelectChoice("sv", "Svenska"), SelectChoice("en", "English")], default="sv")
    votes_per_participant = IntegerField(_l("Dots per person"), default=3, validators=[DataRequired(), NumberRange(1, 100)])
    max_votes_per_theme = IntegerField(_l("Most dots one person may put on one theme"), default=3,
                                       validators=[DataRequired(), NumberRange(1, 100)])
    group_capacity = IntegerField(_l("Places per group (empty: no limit)"), validators=[Optional(), NumberRange(1, 10_000)])
    anonymous_items = BooleanField(_l("Notes are anonymous (no one sees who wrote what)"), default=True)
    template_id = HiddenField()  # the template the form was filled in from: what the form lacks comes from it
    submit = SubmitField(_l("Create the workshop"))

    def workshop_fields(self) -> dict[str, Any]:
        """The form as the body of workshops.create (which validates again)."""
        return {
            "title": self.title.data,
            "date": self.date.data.isoformat() if self.date.data else None,
            "organisation": self.organisation.data or "",
            "location": self.location.data or "",
            "purpose": self.purpose.data or "",
            "questions": _lines(self.questions.data),
            "round_question": self.round_question.data or "",
            "facilitators": _lines(self.facilitators.data),
            "panel": _lines(self.panel.data),
            "language": self.language.data,
            "votes_per_participant": self.votes_per_participant.data,
            "max_votes_per_theme": self.max_votes_per_theme.data,
            "group_capacity": self.group_capacity.data,
            "anonymous_items": bool(self.anonymous_items.data),
        }


class StaffWorkshopForm(WorkshopForm):
    """The form for a new workshop on a site that asks for its passphrase (once per browser session)."""

    passphrase = PasswordField(_l("The site's passphrase"),
                               validators=[DataRequired(_l("Type the passphrase you were given.")), Length(max=1000)])


class StaffSignOutForm(FlaskForm):
    """Staff sign-out (the passphrase or the organisation's sign-in is asked again)."""

    submit = SubmitField(_l("Sign out"))


def _at_most_100_questions(_form: FlaskForm, field: TextAreaField) -> None:
    if len(_lines(field.data)) > 100:
        raise ValidationError(_l("At most 100 questions."))


def _record_text(label, *checks, rows: int = 6) -> TextAreaField:
    return TextAreaField(label, filters=[_one_newline], render_kw={"rows": rows}, validators=[Optional(), Limit(LONG), *checks])


class SummaryForm(Form):
    """One theme group's summary on the record page (part of RecordTextsForm, whose CSRF covers it)."""

    group_id = HiddenField()
    summary = _record_text(_l("Summary"))


class RecordTextsForm(FlaskForm):
    """The record's texts, editable before, during and after the workshop."""

    opening = _record_text(_l("The first paragraph"))
    introduction = _record_text(_l("Your introduction"))
    purpose = _record_text(_l("Purpose"))
    questions = _record_text(_l("Questions of the day (one per line)"), _at_most_100_questions)
    panel = _record_text(_l("The panel (one per line: name, role)"), rows=4)
    round_question = _record_text(_l("The SWOT round's question"), rows=2)
    method = _record_text(_l("How the SWOT rounds went"))
    conclusion = _record_text(_l("Closing text"))
    summaries = FieldList(FormField(SummaryForm))
    loaded = HiddenField()  # fingerprints of the texts as shown: only what the facilitator changed is saved
    submit = SubmitField(_l("Save the texts"))

    def workshop_texts(self) -> dict[str, Any]:
        """The workshop's texts as the body of `update_workshop`."""
        texts = {name: self[name].data or "" for name in ("opening", "introduction", "purpose", "round_question",
                                                          "method", "conclusion")}
        return {**texts, "questions": _lines(self.questions.data), "panel": _lines(self.panel.data)}

    def group_summaries(self) -> dict[int, str]:
        """Group id -> summary, for the groups the form was made for."""
        return {int(entry.group_id.data): entry.summary.data or "" for entry in self.summaries
                if (entry.group_id.data or "").isdigit()}


class ConsoleSignOutForm(FlaskForm):
    """Forget this browser's console session (the console link still opens it again)."""

    submit = SubmitField(_l("Sign out of the console"))


class NewKeyForm(FlaskForm):
    """A new console link; the old one, and every console opened with it, stop working."""

    submit = SubmitField(_l("Make a new console link"))


class RetentionForm(FlaskForm):
    """How many days after closing the workshop is deleted (empty: the site's setting)."""

    retention_days = IntegerField(_l("Days after closing"), validators=[
        Optional(), NumberRange(1, 3650, _l("Between 1 and 3,650 days; empty for the site's setting."))])
    submit = SubmitField(_l("Save"))


class DeleteWorkshopForm(FlaskForm):
    """Deleting a workshop for good, confirmed with a tick."""

    confirm = BooleanField(_l("Yes, delete this workshop and everything in it for good."),
                           validators=[DataRequired(_l("Tick the box to confirm that it may be deleted."))])
    submit = SubmitField(_l("Delete the workshop"))


class TemplateChoiceForm(Form):
    """Start the new-workshop form from a saved template (a GET: it only fills the form in)."""

    template = SelectField(_l("Start from a template"), coerce=str)
    fill = SubmitField(_l("Fill in the form"))


class SaveTemplateForm(FlaskForm):
    """Keep this workshop's setup as a template for new workshops on this site."""

    name = StringField(_l("The template's name"), validators=[DataRequired(_l("Give the template a name.")), Limit(SHORT)])
    submit = SubmitField(_l("Save as a template"))


class ImportTemplateForm(FlaskForm):
    """A template file from another server (what its Download gave)."""

    file = FileField(_l("Template file (JSON)"), validators=[
        FileRequired(_l("Choose the template's file.")),
        FileSize(TEMPLATE_FILE_BYTES, message=_l("That file is too large to be a template."))])
    name = StringField(_l("Name here (optional: the file's own name otherwise)"), validators=[Optional(), Limit(SHORT)])
    submit = SubmitField(_l("Import the template"))


class StaffSignInForm(FlaskForm):
    """The site's passphrase, on a staff page other than the new-workshop form."""

    passphrase = PasswordField(_l("The site's passphrase"),
                               validators=[DataRequired(_l("Type the passphrase you were given.")), Length(max=1000)])
    submit = SubmitField(_l("Sign in"))


class DeleteTemplateForm(FlaskForm):
    """Delete one template (workshops started from it keep their setup)."""

    submit = SubmitField(_l("Delete"))
