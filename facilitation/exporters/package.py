"""Office files as the same bytes for the same record: fixed times in the zip and its properties."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

# Characters XML 1.0 cannot hold (openpyxl and python-docx refuse them); tab and line breaks stay.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.datetime(1980, 1, 1)


def clean(text: str | None) -> str:
    """Text an Office file can hold: control characters removed, never an error."""
    if not text:
        return ""
    return _NOT_XML.sub("", text.encode("utf-8", "replace").decode("utf-8"))


def moment(record: dict[str, Any]) -> dt.datetime:
    """The record's own time for an Office file's properties: when the workshop was created."""
    stamp = record["workshop"].get("created_at")
    if stamp:
        return max(_EPOCH, dt.datetime.fromisoformat(stamp.rstrip("Z")).replace(tzinfo=None, microsecond=0))
    return _EPOCH


def utc(stamp: str | None) -> dt.datetime | None:
    """An ISO time from the record as a naive UTC datetime (what a spreadsheet cell holds)."""
    if not stamp:
        return None
    return dt.datetime.fromisoformat(stamp.rstrip("Z")).replace(tzinfo=None, microsecond=0)


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same archive with every member stamped `when`, in the same order, compressed alike."""
    out = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
