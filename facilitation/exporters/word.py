"""The record as a Word document: real heading styles, bullet lists, the SWOT matrix as a table."""
from __future__ import annotations

import io
import re
import weakref
from typing import Any

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from ..quadrant_colours import INK, WASH
from . import prose
from .labels import labels
from .package import clean, moment, normalise_zip

QUADRANT_FILL = dict(WASH)  # the app's colours (quadrant_colours.py)
DRAFT_RED = RGBColor(0xC0, 0x00, 0x00)
W_P, W_PPR, W_PSTYLE, W_VAL, W_SECTPR = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:val"), qn("w:sectPr")
W_R, W_RPR, W_B, W_T, W_TAB, W_BR, XML_SPACE = (qn(tag) for tag in ("w:r", "w:rPr", "w:b", "w:t", "w:tab", "w:br", "xml:space"))
_BREAKS = re.compile(r"([\t\r\n])")
_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[str, str | None]] = weakref.WeakKeyDictionary()


def style_id(container: Any, name: str | None) -> str | None:
    """The id python-docx would give paragraph style `name` (its lookup is an XPath over styles.xml: done once)."""
    if name is None:
        return None
    ids = _STYLE_IDS.setdefault(container.part, {})
    if name not in ids:
        ids[name] = container.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
    return ids[name]


def _run(paragraph: Any, text: str, bold: bool | None) -> None:
    """A `w:r` as python-docx's `add_run(text).bold = bold` writes it: a tab is a `w:tab`, a line break a `w:br`."""
    r = SubElement(paragraph, W_R)
    properties = SubElement(r, W_RPR)
    if bold:
        SubElement(properties, W_B)
    for piece in _BREAKS.split(text):
        if piece == "\t":
            SubElement(r, W_TAB)
        elif piece in ("\n", "\r"):
            SubElement(r, W_BR)
        elif piece:
            t = SubElement(r, W_T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(XML_SPACE, "preserve")


def para(container: Any, text: str, style: str | None = None, *, label: str = "", bold: bool = False) -> Paragraph:
    """A paragraph of `text` (line breaks kept) after an optional bold `label`, as python-docx writes it, built with lxml."""
    # python-docx spends milliseconds a paragraph (a style lookup by name, child searches): a record has thousands.
    parent = container.element.body if isinstance(container, Document) else container._element
    p = SubElement(parent, W_P)
    before = p.getprevious()
    if before is not None and before.tag == W_SECTPR:
        before.addprevious(p)  # the body's section properties stay last
    identifier = style_id(container, style)
    if identifier is not None:
        SubElement(SubElement(p, W_PPR), W_PSTYLE).set(W_VAL, identifier)
    if label:
        _run(p, label + " ", True)
    _run(p, clean(text), bold)
    return Paragraph(p, container._body if isinstance(container, Document) else container)


def prose_block(doc: Document, text: str, label: str = "") -> None:
    for n, part in enumerate(prose.paragraphs(clean(text))):
        para(doc, part, label=label if n == 0 else "")


def shade(cell: Any, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), colour)
    properties.append(fill)


def title_paragraph(doc: Document, record: dict[str, Any]) -> None:
    """The title, its date written with non-breaking hyphens so that a line never ends inside it."""
    title, date = clean(prose.title(record)), record["workshop"]["date"] or ""
    head, _, tail = title.partition(date) if date else (title, "", "")
    paragraph = doc.add_paragraph(head, style="Title")
    if date and date in title:
        run = paragraph.add_run()
        for n, part in enumerate(date.split("-")):
            if n:
                run._r.append(OxmlElement("w:noBreakHyphen"))
            run.add_text(part)
        paragraph.add_run(tail)


def title_block(doc: Document, record: dict[str, Any], t: dict[str, Any]) -> None:
    w = record["workshop"]
    title_paragraph(doc, record)
    if record["draft"]:
        draft = para(doc, t["draft_note"], label=t["draft"].upper() + ":")
        for run in draft.runs:
            run.font.color.rgb = DRAFT_RED
        header = doc.sections[0].header.paragraphs[0]
        header.add_run(t["draft"]).font.color.rgb = DRAFT_RED
    lines = [clean(line).replace("\n", " ") for line in (w["organisation"], w["date"] or "", w["location"]) if line]
    if lines:
        para(doc, "\n".join(lines))


def introduction(doc: Document, record: dict[str, Any], t: dict[str, Any]) -> None:
    w = record["workshop"]
    doc.add_heading(t["introduction"], level=1)
    para(doc, prose.intro(record))
    prose_block(doc, w["introduction"])
    prose_block(doc, w["purpose"], label=t["purpose"] + ":")
    if prose.facilitated(record):
        para(doc, prose.facilitated(record))
    if w["questions"]:
        doc.add_heading(t["questions"], level=1)
        for question in w["questions"]:
            para(doc, question, "List Bullet")


def reflecting_team(doc: Document, record: dict[str, Any], t: dict[str, Any]) -> None:
    panel = record["workshop"].get("panel") or []
    if not (panel or record["speakers"] or record["quotes"]["room"]):
        return
    doc.add_heading(t["reflecting_team"], level=1)
    if panel or record["speakers"]:
        doc.add_heading(t["panel"], level=2)
    if panel:
        for run in para(doc, "\n".join(panel)).runs:
            run.italic = True
    for person in record["speakers"]:
        names = [n for n in (person["speaker"], person["role"]) if n]
        speaker = doc.add_paragraph()
        speaker.add_run(clean(names[0])).bold = True
        if len(names) > 1:
            speaker.add_run(", " + clean(names[1]))
        for quote in person["quotes"]:
            para(doc, quote["text"], "Quote")
    if record["quotes"]["room"]:
        doc.add_heading(t["room"], level=2)
        for quote in record["quotes"]["room"]:
            para(doc, quote["text"], "List Bullet")


def swot_rounds(doc: Document, record: dict[str, Any], t: dict[str, Any]) -> None:
    """How the SWOT rounds went, then the themes with their notes (each note once), or the matrix while there are none."""
    doc.add_heading(t["swot_rounds"], level=1)
    prose_block(doc, prose.method(record))
    if record["themes"]:
        ranked_themes(doc, record, t)
    elif any(record["swot"].values()):
        doc.add_heading(t["swot"], level=2)
        matrix(doc, record["swot"], t)


def matrix(doc: Document, notes: dict[str, list[dict[str, Any]]], t: dict[str, Any]) -> None:
    """Notes as the SWOT matrix: a 2×2 table in the quadrants' colours."""
    grid = doc.add_table(rows=2, cols=2)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, quadrant in enumerate(("strengths", "weaknesses", "opportunities", "threats")):
        cell = grid.cell(index // 2, index % 2)
        shade(cell, QUADRANT_FILL[quadrant])
        name = cell.paragraphs[0].add_run(t["quadrants"][quadrant])
        name.bold = True
        name.font.color.rgb = RGBColor.from_string(INK[quadrant])
        for item in notes[quadrant]:
            para(cell, item["text"], "List Bullet")


def ranked_themes(doc: Document, record: dict[str, Any], t: dict[str, Any]) -> None:
    """The themes by dots, each with its notes, each note after its quadrant."""
    doc.add_heading(t["ranked_themes"], level=2)
    for theme in record["themes"]:
        line = doc.add_paragraph(style="List Number")
        line.add_run(clean(theme["title"])).bold = True
        line.add_run(" – " + prose.votes(theme["votes"], prose.language(record)))
        for item in theme["items"]:
            note = para(doc, item["text"], "List Bullet 2")
            note._p.insert(1 if note._p.pPr is not None else 0, _label_run(t["quadrant"][item["quadrant"]] + ": "))


def _label_run(text: str) -> Any:
    """An italic run (`w:r`) holding a note's quadrant, to put before its text."""
    r = OxmlElement("w:r")
    properties = SubElement(r, W_RPR)
    SubElement(properties, qn("w:i"))
    t = SubElement(r, W_T)
    t.text = text
    t.set(XML_SPACE, "preserve")
    return r


def appendix(doc: Document, record: dict[str, Any], t: dict[str, Any]) -> None:
    """The notes in no theme, by quadrant (only when there are themes: otherwise the matrix shows every note)."""
    if not record["themes"] or not any(record["unthemed"].values()):
        return
    doc.add_heading(t["unthemed"], level=1).paragraph_format.page_break_before = True  # an appendix starts a page
    para(doc, t["unthemed_note"])
    for quadrant, notes in record["unthemed"].items():
        if notes:
            doc.add_heading(t["quadrants"][quadrant], level=2)
            for item in notes:
                para(doc, item["text"], "List Bullet")


def ways_forward(doc: Document, record: dict[str, Any], t: dict[str, Any]) -> None:
    if not record["groups"]:
        return
    doc.add_heading(t["ways_forward"], level=1)
    for group in record["groups"]:
        doc.add_heading(clean(t["theme_n"].format(n=group["number"], title=group["title"])), level=2)
        para(doc, prose.members(group, prose.language(record)), label=t["members"])
        prose_block(doc, group["summary"])
        for note in group["notes"]:
            para(doc, note["text"], "List Bullet")


def render(record: dict[str, Any]) -> bytes:
    """The record as .docx bytes; the same record gives the same bytes."""
    t = labels(prose.language(record))
    doc = docx.Document()
    doc.styles["Normal"].font.size = Pt(11)
    title_block(doc, record, t)
    introduction(doc, record, t)
    reflecting_team(doc, record, t)
    swot_rounds(doc, record, t)
    ways_forward(doc, record, t)
    if record["workshop"]["conclusion"]:
        doc.add_heading(t["closing"], level=1)
        prose_block(doc, record["workshop"]["conclusion"])
    appendix(doc, record, t)
    when = moment(record)
    core = doc.core_properties
    core.title = clean(prose.title(record))[:255]
    core.author = core.last_modified_by = "facilitation"
    core.language = record["workshop"]["language"]
    core.created = core.modified = core.last_printed = when
    core.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue(), when)
