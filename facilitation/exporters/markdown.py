"""The record as Markdown, rendered from the adaptable Jinja template `exports/record.md.j2`."""
from __future__ import annotations

import re
from itertools import zip_longest
from pathlib import Path
from typing import Any, Iterable

import jinja2

from .. import config
from . import mdtext, prose
from .labels import labels

TEMPLATE = "record.md.j2"


def _environment(template_dirs: Iterable[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=mdtext.block, md_inline=mdtext.inline, md_cell=mdtext.cell, member=prose.member)
    return env


def render(record: dict[str, Any], template_dirs: Iterable[Path] | None = None) -> bytes:
    """The record as UTF-8 Markdown; the first of `template_dirs` holding the template wins."""
    dirs = list(template_dirs) if template_dirs is not None else [config.EXPORTS]
    lang = prose.language(record)
    text = _environment(dirs).get_template(TEMPLATE).render(
        r=record,
        w=record["workshop"],
        t=labels(lang),
        title=prose.title(record),
        intro=prose.intro(record),
        facilitated=prose.facilitated(record),
        votes=lambda n: prose.votes(n, lang),
        pairs=lambda a, b: list(zip_longest(a, b)),
    )
    # The template's own blank lines only: escaped participant text never holds two in a row.
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return text.encode("utf-8")
