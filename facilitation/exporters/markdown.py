"""The record as Markdown, rendered from the adaptable Jinja template `exports/record.md.j2`.

The template, the shipped one and a municipality's own in `<data dir>/exports/` alike, runs in
Jinja's immutable sandbox: it reads the record and nothing else (no `lipsum.__globals__`, no
attributes starting with `_`, no method that changes a value). A template that cannot be
rendered is refused with `template_error` and a message that says which and why."""
from __future__ import annotations

import re
from itertools import zip_longest
from pathlib import Path
from typing import Any, Iterable

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import config
from ..operations.errors import DomainError
from . import mdtext, prose
from .labels import labels

TEMPLATE = "record.md.j2"
Sandbox = ImmutableSandboxedEnvironment
# What a template's own code can raise while rendering (jinja2.TemplateError covers the sandbox's
# SecurityError, syntax errors and undefined names; the others come from expressions like 1/0).
TEMPLATE_FAILURES = (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError)


def _environment(template_dirs: Iterable[Path]) -> jinja2.Environment:
    env = Sandbox(
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
    context = {
        "r": record,
        "w": record["workshop"],
        "t": labels(lang),
        "title": prose.title(record),
        "intro": prose.intro(record),
        "method": prose.method(record),
        "facilitated": prose.facilitated(record),
        "votes": lambda n: prose.votes(n, lang),
        "members": lambda group: prose.members(group, lang),
        "pairs": lambda a, b: list(zip_longest(a, b)),
    }
    template = None
    try:
        template = _environment(dirs).get_template(TEMPLATE)
        text = template.render(context)
    except TEMPLATE_FAILURES as error:
        raise _refused(error, template.filename if template else getattr(error, "filename", None)) from None
    # The template's own blank lines only: escaped participant text never holds two in a row.
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return text.encode("utf-8")


def _refused(error: Exception, filename: str | None) -> DomainError:
    """`template_error`, naming the template (the data folder's or the shipped one) and the reason."""
    which = "the shipped record template" if filename and Path(filename).parent == config.EXPORTS else \
        "the record template in the data folder (exports/record.md.j2)"
    line = getattr(error, "lineno", None)
    reason = f"{type(error).__name__}: {error}" + (f" (line {line})" if line else "")
    return DomainError("template_error", f"The Markdown record cannot be made: {which} failed: {reason}. "
                                         "The other formats still work; ask the server's administrator.")
