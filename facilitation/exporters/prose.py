"""The record's generated sentences and small formatting rules, shared by every format (plain text)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from .labels import labels

MONTHS = {
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}
AND = {"sv": "och", "en": "and"}
# How the SWOT rounds went (generated_method): its sentences and the counted words, (one, many).
METHOD = {
    "sv": {"wrote": "Deltagarna skrev {notes} i en SWOT-matris med styrkor, svagheter, möjligheter och hot",
           "on_question": " utifrån frågan", "sorted": "Lapparna sorterades i {themes}.",
           "loose": "{loose} hamnade inte i något tema och finns i bilagan.",
           "dots": "Var och en fick {each} att sätta på de teman som var viktigast att fördjupa samtalen om; "
                   "sammanlagt sattes {dots}.",
           "groups": "Utifrån prioriteringen bildades {groups} som samtalade om möjliga vägar framåt.",
           "note": ("lapp", "lappar"), "loose_note": ("lapp", "lappar"), "theme": ("tema", "teman"),
           "dot": ("prick", "prickar"), "dots_put": ("prick", "prickar"), "group": ("temagrupp", "temagrupper")},
    "en": {"wrote": "The participants wrote {notes} in a SWOT matrix (strengths, weaknesses, opportunities and threats)",
           "on_question": " on the question", "sorted": "The notes were sorted into {themes}.",
           "loose": "{loose} put in no theme: see the appendix.",
           "dots": "Everyone had {each} to put on the themes most important to discuss further; {dots} put in all.",
           "groups": "From these priorities {groups} formed to discuss possible ways forward.",
           "note": ("note", "notes"), "loose_note": ("note was", "notes were"), "theme": ("theme", "themes"),
           "dot": ("dot", "dots"), "dots_put": ("dot was", "dots were"), "group": ("theme group was", "theme groups were")},
}


def paragraphs(text: str | None) -> list[str]:
    """A long text's paragraphs, split at blank lines (CRLF read as LF); line breaks inside one stay."""
    text = (text or "").replace("\r\n", "\n")
    return [part.strip("\n") for part in re.split(r"\n[ \t]*\n", text) if part.strip()]


def language(record: dict[str, Any]) -> str:
    return record["workshop"]["language"] if record["workshop"]["language"] in MONTHS else "sv"


def long_date(iso_date: str | None, lang: str) -> str:
    """`2021-09-14` as `14 september 2021` (Swedish) or `14 September 2021` (English)."""
    if not iso_date:
        return ""
    day = dt.date.fromisoformat(iso_date)
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def join_names(names: list[str], lang: str) -> str:
    """`A, B och C` / `A, B and C` (`A; B och C` when a name holds a comma)."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    comma = "; " if any("," in n for n in names) else ", "
    return f"{comma.join(names[:-1])} {AND[lang]} {names[-1]}"


def title(record: dict[str, Any]) -> str:
    """`Dokumentation workshop <date> <title>`."""
    w = record["workshop"]
    return " ".join(part for part in (labels(language(record))["title"], w["date"] or "", w["title"]) if part)


def votes(count: int, lang: str) -> str:
    """`1 prick`, `12 prickar` (the glossary's word for a vote: docs/glossary.md)."""
    words = labels(lang)
    return counted(count, words["vote"], words["votes"])


def member(person: dict[str, Any]) -> str:
    """A group member as the record names them: `Name (Organisation)`."""
    return f"{person['name']} ({person['organisation']})" if person["organisation"] else person["name"]


def counted(n: int, one: str, many: str) -> str:
    """`1 lapp`, `3 lappar`."""
    return f"{n} {one if n == 1 else many}"


def intro(record: dict[str, Any]) -> str:
    """The introduction's first paragraph: the facilitator's own words, else written from the data."""
    return record["workshop"].get("opening") or generated_intro(record)


def generated_intro(record: dict[str, Any]) -> str:
    """The introduction's first paragraph written from the data: what, when, where, who came."""
    lang, w = language(record), record["workshop"]
    when = long_date(w["date"], lang)
    count = len(record["participants"])
    orgs = record["organisations"]
    if lang == "en":
        text = f"This document summarises the workshop “{w['title']}”"
        text += f", held at {w['location']}" if w["location"] else ""
        text += f" on {when}" if when else ""
        if not count:  # before anyone has joined: nothing to count
            return text + "."
        text += f". The workshop brought together {count} participant{'' if count == 1 else 's'}"
        if orgs:
            text += f" from {len(orgs)} organisation{'' if len(orgs) == 1 else 's'}: {join_names(orgs, lang)}"
        return text + "."
    text = f"Det här dokumentet sammanfattar workshopen ”{w['title']}”"
    text += f" som hölls på {w['location']}" if w["location"] else ""
    text += f" den {when}" if when else ""
    if not count:
        return text + "."
    text += f". Workshopen samlade {count} deltagare"
    if orgs:
        text += f" från {len(orgs)} {'organisation' if len(orgs) == 1 else 'organisationer'}: {join_names(orgs, lang)}"
    return text + "."


def method(record: dict[str, Any]) -> str:
    """How the SWOT rounds went: the facilitator's own words, else written from what happened."""
    return record["workshop"].get("method") or generated_method(record)


def _sentence(text: str, question: str, opening_quote: str) -> str:
    """`text` with the question quoted at its end, and a full stop unless the question ends the sentence."""
    quoted = f"{text} {opening_quote}{question}”" if question else text
    return quoted if quoted.endswith(("?”", "!”", ".”")) else quoted + "."


def generated_method(record: dict[str, Any]) -> str:
    """How the SWOT rounds went, from the record's counts: notes, themes, dots, theme groups ("" before any note)."""
    lang, w = language(record), record["workshop"]
    notes = sum(len(q) for q in record["swot"].values())
    if not notes:
        return ""
    loose = sum(len(q) for q in record["unthemed"].values())
    themes, groups = len(record["themes"]), len(record["groups"])
    dots = sum(th["votes"] for th in record["themes"])
    question = " ".join((w.get("round_question") or "").split())
    say = METHOD[lang]

    def n(count: int, word: str) -> str:
        return counted(count, *say[word])

    wrote = say["wrote"].format(notes=n(notes, "note")) + (say["on_question"] if question else "")
    out = [_sentence(wrote, question, "”" if lang == "sv" else "“")]
    if themes:
        out.append(say["sorted"].format(themes=n(themes, "theme")))
        if loose:
            out.append(say["loose"].format(loose=n(loose, "loose_note")))
    if dots:
        out.append(say["dots"].format(each=n(w["votes_per_participant"], "dot"), dots=n(dots, "dots_put")))
    if groups:
        out.append(say["groups"].format(groups=n(groups, "group")))
    return " ".join(out)


def member_names(group: dict[str, Any], lang: str) -> list[str]:
    """A group's members as the record names them: those who gave a name, then how many did not
    (`4 anonyma deltagare`), never a made-up label such as "Deltagare 2"."""
    words = labels(lang)
    named = [member(m) for m in group["members"] if not m.get("anonymous")]
    unnamed = sum(1 for m in group["members"] if m.get("anonymous"))
    if unnamed:
        named.append(words["anonymous_members_one" if unnamed == 1 else "anonymous_members"].format(n=unnamed))
    return named


def members(group: dict[str, Any], lang: str) -> str:
    """`A (Org), B och 4 anonyma deltagare`; `inga` for a group without members."""
    return join_names(member_names(group, lang), lang) or labels(lang)["no_members"]


def facilitated(record: dict[str, Any]) -> str:
    """`Workshopen processleddes av A och B.`, or nothing when no facilitator is named."""
    lang, names = language(record), record["workshop"]["facilitators"]
    if not names:
        return ""
    if lang == "en":
        return f"The workshop was facilitated by {join_names(names, lang)}."
    return f"Workshopen processleddes av {join_names(names, lang)}."


def slug(text: str, limit: int = 40) -> str:
    """Lower-case ASCII words joined by dashes (å, ä, ö become a, a, o)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit and out:
            break
        out = f"{out}-{word}" if out else word[:limit]
    return out


def filename(record: dict[str, Any], extension: str) -> str:
    """`dokumentation-2021-09-14-lotsen.md`: the title's head (before a dash or colon), slugged."""
    w = record["workshop"]
    head = re.split(r"\s[–—-]\s|:\s", w["title"], maxsplit=1)[0]
    prefix = "dokumentation" if language(record) == "sv" else "record"
    parts = [prefix, w["date"] or "", slug(head) or slug(w["title"]) or "workshop"]
    return "-".join(p for p in parts if p) + "." + extension
