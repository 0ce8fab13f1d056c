"""openpyxl's workbook writer, with each row of a sheet written as one string: the same XML, far fewer calls."""
from __future__ import annotations

import io
from typing import Any

from openpyxl.cell._writer import _set_attributes
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter


def _text(value: str) -> str:
    """`value` as XML character data; a carriage return as a reference, which a parser keeps."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return value


def _attributes(attrs: dict[str, str]) -> str:
    """A cell's or row's attributes: a coordinate, numbers and type codes, nothing to escape."""
    return "".join([f' {key}="{value}"' for key, value in attrs.items()])


def _plain(cell: Any) -> bool:
    """A cell this writer writes itself: no formula, rich text or comment (openpyxl writes those)."""
    if cell.data_type == "s":
        return isinstance(cell._value, str) and cell._comment is None
    return cell.data_type != "f" and cell._comment is None


class RowWriter(WorksheetWriter):
    """Writes a row as openpyxl's `lxml_write_cell` would, cell by cell, but as one string written straight out."""

    # openpyxl opens and closes an lxml `xmlfile` element for every cell, which costs more than the rest of
    # the export for a sheet of 10,000 rows. Here a row is escaped as libxml2 escapes it (`&`, `<`, `>`, a
    # carriage return, anything past ASCII as `&#N;`), never self-closing (`<c r="A1"></c>`), and written to
    # the output between the `xmlfile`'s own writes (flushed first, so the order holds).

    def write_row(self, xf: Any, row: list[Any], row_idx: int) -> None:
        if not isinstance(self.out, io.BytesIO) or not all(_plain(cell) for cell in row):
            super().write_row(xf, row, row_idx)
            return
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        parts = [f"<row{_attributes(attrs)}>"]
        styles = self.ws.parent._cell_styles
        for cell in row:
            styled = cell.has_style
            if cell._value is None and not styled:
                continue
            if cell.data_type in ("s", "n") and not cell.hyperlink:  # _set_attributes' own steps for text and numbers
                value = cell._value
                attributes = {"r": f"{get_column_letter(cell.column)}{row_idx}"}
                if styled:
                    attributes["s"] = f"{styles.add(cell._style)}"
                attributes["t"] = "inlineStr" if cell.data_type == "s" else "n"
            else:
                value, attributes = _set_attributes(cell, styled)
            if value is None or value == "":
                parts.append(f"<c{_attributes(attributes)}></c>")
            elif cell.data_type == "s":
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(f"<c{_attributes(attributes)}><is><t{space}>{_text(value)}</t></is></c>")
            else:
                parts.append(f"<c{_attributes(attributes)}><v>{_text(safe_string(value))}</v></c>")
        parts.append("</row>")
        xf.flush()
        self.out.write("".join(parts).encode("ascii", "xmlcharrefreplace"))


class FastExcelWriter(ExcelWriter):
    """openpyxl's `ExcelWriter` with `RowWriter` for the sheets, written in memory instead of a temporary file."""

    def write_worksheet(self, ws: Any) -> None:
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        # As ExcelWriter.write_worksheet (openpyxl 3.1), with RowWriter in place of WorksheetWriter.
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = RowWriter(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)
