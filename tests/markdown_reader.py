"""Reads a Markdown record back with markdown-it-py into blocks of plain text, each in its section.

A block's text is what a reader sees: escapes resolved, line breaks as "\\n", paragraphs of
one list item or quote joined by a blank line. Anything that is markup rather than text
(a link, HTML, code, emphasis, a heading) is collected in `Document.markup` so a test can
assert that participant text never turned into it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

# CommonMark with GitHub's tables and strikethrough: the renderers a record is read with.
PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough")
INERT = {"text", "text_special", "softbreak", "hardbreak"}


@dataclass
class Block:
    kind: str  # heading, paragraph, item (a list item), quote, cell
    text: str
    section: tuple[str, ...]  # the headings above it: (h1, h2, h3)
    depth: int = 0  # list nesting of an item (1: top level)
    ordered: bool = False
    row: int = -1  # table row (0: header) and column of a cell
    col: int = -1
    table: int = -1  # which table of the document (0: the first)
    strong: list[str] = field(default_factory=list)  # texts set in bold in the block


@dataclass
class Document:
    blocks: list[Block]
    markup: list[tuple[str, str]]  # (token type, content) of everything that is not plain text

    def where(self, kind: str, *section: str) -> list[Block]:
        """The blocks of `kind` inside the section whose headings start with `section`."""
        return [b for b in self.blocks if b.kind == kind and b.section[1:1 + len(section)] == section]

    def texts(self, kind: str, *section: str) -> list[str]:
        return [b.text for b in self.where(kind, *section)]

    def headings(self, level: int) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "heading" and len(b.section) == level]


def inline_text(token: Token, markup: list[tuple[str, str]], strong: list[str], in_cell: bool = False) -> str:
    out, bold, in_bold = [], [], False
    for child in token.children or []:
        if child.type in ("text", "text_special"):
            out.append(child.content)
            if in_bold:
                bold.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif in_cell and child.type == "html_inline" and child.content == "<br>":
            out.append("\n")
        elif child.type == "strong_open":
            in_bold, bold = True, []
        elif child.type == "strong_close":
            in_bold = False
            strong.append("".join(bold))
        else:
            markup.append((child.type, child.content))
    return "".join(out)


def read(source: bytes | str) -> Document:
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    tokens = PARSER.parse(text)
    blocks: list[Block] = []
    markup: list[tuple[str, str]] = []
    headings: list[str] = []
    lists: list[bool] = []  # ordered?, per open list
    item_parts: list[list[str]] = []  # paragraphs of each open list item
    item_strong: list[list[str]] = []
    open_items: list[Block] = []  # blocks of the open list items (in document order)
    quote_parts: list[str] | None = None
    row, col, heading_level, table = -1, -1, 0, -1
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_parts.append([])
            item_strong.append([])
            open_items.append(Block("item", "", tuple(headings), len(lists), lists[-1]))
            blocks.append(open_items[-1])
        elif kind == "list_item_close":
            done = open_items.pop()
            done.text, done.strong = "\n\n".join(item_parts.pop()), item_strong.pop()
        elif kind == "blockquote_open":
            quote_parts = []
        elif kind == "blockquote_close":
            blocks.append(Block("quote", "\n\n".join(quote_parts or []), tuple(headings)))
            quote_parts = None
        elif kind == "tr_open":
            row, col = row + 1, -1
        elif kind == "table_open":
            row, table = -1, table + 1
        elif kind in ("th_open", "td_open"):
            col += 1
        elif kind == "inline":
            strong: list[str] = []
            in_cell = heading_level == 0 and index > 0 and tokens[index - 1].type in ("th_open", "td_open")
            content = inline_text(token, markup, strong, in_cell)
            if heading_level:
                headings = headings[:heading_level - 1] + [content]
                blocks.append(Block("heading", content, tuple(headings)))
                heading_level = 0
            elif in_cell:
                blocks.append(Block("cell", content, tuple(headings), row=row, col=col, table=table))
            elif item_parts and (quote_parts is None):
                item_parts[-1].append(content)
                item_strong[-1].extend(strong)
            elif quote_parts is not None:
                quote_parts.append(content)
            else:
                blocks.append(Block("paragraph", content, tuple(headings), strong=strong))
        elif kind in ("html_block", "code_block", "fence", "hr", "image", "link_open"):
            markup.append((kind, token.content))
        if kind == "table_close":
            row, col = -1, -1
    return Document(blocks, markup)

