"""The record's file formats: pure functions from the record dict (facilitation.record) to bytes."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .. import config
from . import prose

# format -> (module, content type)
FORMATS: dict[str, tuple[str, str]] = {
    "md": ("markdown", "text/markdown; charset=utf-8"),
    "xlsx": ("excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": ("word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "json": ("archive", "application/json"),
}


@dataclass(frozen=True)
class Export:
    data: bytes
    filename: str
    content_type: str


def template_dirs(data_dir: str | Path | None) -> list[Path]:
    """Where the Markdown template is looked for: the data folder's `exports/` first (a
    municipality's own version), then the one that comes with the app."""
    dirs = [Path(data_dir) / "exports"] if data_dir else []
    return [d for d in dirs if d.is_dir()] + [config.EXPORTS]


def export(record: dict[str, Any], fmt: str, templates: Iterable[Path] | None = None) -> Export:
    """The record in format `fmt` (md, xlsx, docx, json), with its file name and content type."""
    module_name, content_type = FORMATS[fmt]
    module = importlib.import_module(f"{__name__}.{module_name}")
    data = module.render(record, templates) if fmt == "md" else module.render(record)
    return Export(data, prose.filename(record, fmt), content_type)
