"""Languages: Swedish by default, English per workshop; the strings the JavaScript needs."""
from __future__ import annotations

from typing import Any

from flask import g, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

LANGUAGES = ("sv", "en")

PHASE_NAMES = {
    "collect": _l("Collect"),
    "cluster": _l("Themes"),
    "vote": _l("Vote"),
    "groups": _l("Groups"),
    "closed": _l("Closed"),
}


def select_locale() -> str:
    """The workshop's language on its pages; elsewhere ?lang=, then the visitor's choice, then Swedish."""
    if g.get("workshop_language") in LANGUAGES:
        return g.workshop_language
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    return session.get("lang") if session.get("lang") in LANGUAGES else "sv"


def use_workshop_language(language: str) -> None:
    """Call before anything is translated in a request about one workshop."""
    g.workshop_language = language if language in LANGUAGES else "sv"


def phase_texts() -> dict[str, Any]:
    return {
        "phase_collect": _("Collect"),
        "phase_cluster": _("Themes"),
        "phase_vote": _("Vote"),
        "phase_groups": _("Groups"),
        "phase_closed": _("Closed"),
        "do_collect": _("Choose a box, write one thought, and send it. You can send as many as you like."),
        "do_cluster": _("The facilitator is sorting the notes into themes. Follow along on the big screen."),
        "do_vote": _("Put your dots on the themes that matter most to you."),
        "do_groups": _("Join a group, talk, and write down what you say."),
        "do_closed": _("The workshop is over. Thank you for taking part!"),
        "fac_collect": _("Participants write their notes. Show the projector so that everyone can join."),
        "fac_cluster": _("Sort the notes into themes. The projector shows the themes as you make them."),
        "fac_vote": _("Participants put their dots. Show the results when everyone has voted."),
        "fac_groups": _("Form groups around the top themes. Participants join one on their phones."),
        "fac_closed": _("The workshop is closed. Only the record's texts can still change."),
        "quadrant_strengths": _("Strengths"),
        "quadrant_weaknesses": _("Weaknesses"),
        "quadrant_opportunities": _("Opportunities"),
        "quadrant_threats": _("Threats"),
    }


def js_messages() -> dict[str, str]:
    """Every string the browser code shows, translated for this request's locale."""
    return {
        **phase_texts(),
        "state_online": _("Connected"),
        "state_connecting": _("Connecting…"),
        "state_offline": _("No connection. What you write is kept and sent when the connection is back."),
        "state_refused": _("Could not connect: {message}"),
        "deleted_title": _("This workshop has been deleted"),
        "deleted_text": _("The facilitator deleted the workshop and everything written in it. Nothing of it is kept."),
        "pending": _("Waiting to send…"),
        "pending_count": _("{n} waiting to send"),
        "send_failed": _("Could not send: {message}"),
        "saved": _("Saved."),
        "sent": _("Sent."),
        "edit": _("Edit"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "delete": _("Delete"),
        "confirm_delete": _("Delete this note?"),
        "my_items": _("What I have written"),
        "no_items_yet": _("You have not written anything yet."),
        "edit_item_label": _("Change your note"),
        "votes_left": _("Dots left: {n} of {total}"),
        "votes_left_one": _("Dots left: 1 of {total}"),
        "votes_none_left": _("You have used all your dots. Take one back to move it."),
        "add_dot": _("Add a dot"),
        "remove_dot": _("Take back a dot"),
        "dots_on_theme": _("Your dots here: {n}"),
        "theme_limit": _("At most {n} dots on one theme."),
        "theme_limit_one": _("At most 1 dot on one theme."),
        "items_in_theme": _("{n} notes"),
        "items_in_theme_one": _("1 note"),
        "votes_count": _("{n} dots"),
        "votes_count_one": _("1 dot"),
        "no_themes": _("No themes yet."),
        "group_members": _("{n} members"),
        "group_members_one": _("1 member"),
        "group_members_cap": _("{n} of {cap} places taken"),
        "group_full": _("Full"),
        "join_group": _("Join this group"),
        "leave_group": _("Leave the group"),
        "my_group": _("Your group"),
        "notes": _("Group notes"),  # a group's written notes; a "note" alone is a sticky note (docs/glossary.md)
        "no_notes": _("No group notes yet."),
        "add_note": _("Add a group note"),
        "summary": _("Summary"),
        "save_summary": _("Save the summary"),
        "no_groups": _("The groups have not been formed yet."),
        "members": _("Members"),
        "no_members": _("No one yet"),
        "timer_label": _("Time left"),
        "timer_done": _("Time is up"),
        "participants": _("{n} joined"),
        "online": _("{n} connected"),
        "unsorted": _("Not in a theme yet"),
        "hidden": _("Hidden from the board"),
        "hide": _("Hide"),
        "show": _("Show"),
        "select_item": _("Select"),
        "selected_count": _("{n} selected"),
        "selected_count_one": _("1 selected"),
        "move_here": _("Move selected here"),
        "take_out": _("Take out of theme"),
        "rename": _("Rename"),
        "merge_into": _("Merge into…"),
        "merge": _("Merge"),
        "delete_theme_confirm": _("Delete the theme? Its notes go back to unsorted and dots are given back."),
        "theme_title": _("Theme title"),
        "group_title": _("Group title"),
        "tallies_hidden": _("The results are shown when the facilitator reveals them."),
        "results": _("Results"),
        "quote_by": _("— {speaker}"),
        # Safe by default and phones with context (issue 10)
        "undo": _("Undo"),
        "undo_nothing": _("Nothing to undo"),
        "undone": _("Undone."),
        "undo_create_theme": _("Undo: new theme “{label}”"),
        "undo_assign_items": _("Undo: notes moved to “{label}”"),
        "undo_assign_items_out": _("Undo: notes taken out of a theme"),
        "undo_rename_theme": _("Undo: theme renamed “{label}”"),
        "undo_delete_theme": _("Undo: theme “{label}” deleted"),
        "undo_merge_themes": _("Undo: themes merged into “{label}”"),
        "undo_hide_item": _("Undo: hiding or showing “{label}”"),
        "reopen_voting": _("Reopen voting"),
        "reopen_hint": _("Participants can move their dots again; the results are hidden until you show them again."),
        "fac_tallies_hidden": _("Participants and the projector do not see the results yet. Showing them closes the voting."),
        "fac_tallies_shown": _("The results are shown and voting is closed."),
        "vote_progress": _("{used} of {total} dots placed · {done} of {people} participants done"),
        "voting_closed": _("Voting is closed. The results are on the big screen."),
        "confirm_close_title": _("Close the workshop?"),
        "confirm_close_text": _("Once it is closed, no one else can join, and participants can no longer write or vote: "
                                "their phones and the projector show a thank-you. You can still edit the record, and "
                                "choose another phase to open the workshop again."),
        "confirm_close_yes": _("Close the workshop"),
        "confirm_groups_title": _("Replace the groups?"),
        "confirm_groups_text": _("The groups already have {what}. Forming the groups again removes all of it, and that "
                                 "cannot be undone."),
        "confirm_groups_yes": _("Replace the groups"),
        "lost_members": _("{n} members"),
        "lost_members_one": _("1 member"),
        "lost_notes": _("{n} group notes"),
        "lost_notes_one": _("1 group note"),
        "lost_summaries": _("{n} summaries"),
        "lost_summaries_one": _("1 summary"),
        "list_and": _("{first} and {last}"),
        "quote_text": _("What was said"),
        "quote_speaker": _("Who said it (optional)"),
        "quote_role": _("Their role or organisation (optional)"),
        "context_question": _("Today's question"),
        "context_questions": _("Today's questions"),
        "context_purpose": _("Purpose"),
        "theme_notes": _("Notes in this theme ({n})"),
        "no_theme_notes": _("No notes in this theme."),
        "chars_over": _("{n} characters too many: shorten the text"),
        "chars_over_one": _("1 character too many: shorten the text"),
        "error_voting_closed": _("Voting is closed: the results are shown."),
        "error_nothing_to_undo": _("There is nothing to undo."),
        "error_bad_request": _("That did not work. Check what you wrote and try again."),
        "error_not_found": _("That no longer exists."),
        "error_forbidden": _("You are not allowed to do that."),
        "error_unauthorized": _("You are not allowed to do that."),
        "error_wrong_phase": _("That is not possible in this part of the workshop."),
        "error_vote_budget": _("You have no dots left."),
        "error_theme_vote_limit": _("This theme already has as many of your dots as it can take."),
        "error_group_full": _("That group is full. Choose another."),
        "error_too_long": _("The text is too long."),
        "error_rate_limited": _("Slow down a little and try again."),
        "error_conflict": _("Something else changed at the same moment. Try again."),
        "error_workshop_full": _("This workshop is full; nothing more can be added."),
        "error_internal": _("Something went wrong on the server. Nothing was changed."),
        "error_offline": _("No connection right now."),
        "error_timeout": _("No answer from the server. Try again."),
        "rejoin": _("Your place in this workshop was not found. Please join again."),
        "chars_left": _("{n} characters left"),
        "chars_left_one": _("1 character left"),
        "choose_quadrant": _("Choose a box first."),
        "write_something": _("Write something first."),
        "no_people": _("No one has joined yet."),
        "person_items": _("{n} written"),
        "person_online": _("connected"),
        "remove_person": _("Remove…"),
        "remove_person_label": _("Remove {name}"),
        "remove_confirm": _("Remove {name} from the workshop? Their phone is disconnected and their link stops working."),
        "remove_items": _("Also delete what they wrote ({n})"),
        "remove_yes": _("Yes, remove"),
        "removed_person": _("{name} was removed."),
        "removed_you": _("The facilitator has removed you from this workshop."),
        # The projector for the back row (issue 10): pages, counts, voting progress, the spotlight
        "page_of": _("Page {n} of {of}"),
        "themes_count": _("{n} themes"),
        "themes_count_one": _("1 theme"),
        "loose_count": _("{n} notes not in a theme yet"),
        "loose_count_one": _("1 note not in a theme yet"),
        "vote_on_phones": _("Put your dots on your phone"),
        "screen_vote_progress": _("{used} of {total} dots · {done} of {people} done"),
        "spotlight_none": _("Nothing is shown large on the projector."),
        "spotlight_now": _("On the projector now: {what}"),
        "spotlight_gone": _("(no longer on the board)"),
        "spotlight_choose": _("Choose…"),
        "more_notes": _("and {n} more"),
    }
