"""Markdown escaping: participant text that renders exactly as written, never as structure.

Every character that can start markup (emphasis, code, links, HTML, headings, tables,
strikethrough; `&` where it would start a character reference) is backslash-escaped; a line that could open a block (heading, list, quote,
fence, setext underline) has its first marker escaped; spaces at a line's ends become
character references so that Markdown does not drop them; a URL or `www.` cannot autolink.
"""
from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]<#|~]|&(?=#?\w+;))")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<![\w.])(www)(\.)")
_BLOCK_START = re.compile(r"^([-+=:>])|^(\d{1,9})([.)])")
_SPACES = {" ": "&#32;", "\t": "&#9;"}


def _edges(line: str) -> str:
    """Leading and trailing spaces and tabs as character references (Markdown would strip them)."""
    body = line.strip(" \t")
    if not body:
        return ""
    start = len(line) - len(line.lstrip(" \t"))
    end = len(line.rstrip(" \t"))
    lead = "".join(_SPACES[c] for c in line[:start])
    trail = "".join(_SPACES[c] for c in line[end:])
    return lead + _escape_line(body) + trail


def _escape_line(line: str) -> str:
    escaped = _INLINE.sub(r"\\\1", line)
    escaped = _AUTOLINK.sub(lambda m: "\\:" if m.group(1) else "www\\.", escaped)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def inline(text: str) -> str:
    """Text for a one-line place (a heading, a name in a list): line breaks become spaces."""
    return _edges(" ".join(line.strip(" \t") for line in _lines(text) if line.strip(" \t")))


def block(text: str, indent: str = "") -> str:
    """Text for a paragraph, list item or quote: a line break stays a line break, a blank line
    a new paragraph; `indent` goes before every following line (`"  "` in a list item, `"> "` in a quote)."""
    paragraphs: list[list[str]] = [[]]
    for line in _lines(text):
        if line.strip(" \t"):
            paragraphs[-1].append(_edges(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    between = "\n" + indent.rstrip() + "\n" + indent
    return between.join(("\\\n" + indent).join(p) for p in paragraphs)


def cell(text: str) -> str:
    """Text for a table cell: a line break becomes `<br>`, the only way a cell can hold one."""
    return "<br>".join(_edges(line) for line in _lines(text)) or " "
