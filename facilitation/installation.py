"""What the app needs from its installation: the pages' templates, the socket.io browser bundle and the
record's template, whether it runs from a checkout (the folders beside the package) or the wheel (inside it)."""
from __future__ import annotations

from pathlib import Path

from .config import EXPORTS, ROOT, STATIC, TEMPLATES

# The pages the views render (what they extend, include or import is followed from them).
PAGES = ("participant/home.html", "participant/phone.html", "screen/projector.html", "console/start.html",
         "console/created.html", "console/run.html", "console/record.html", "console/record_edit.html",
         "console/data.html", "console/deleted.html", "console/sign_in.html", "console/signed_out.html",
         "console/templates.html", "error.html", "thanks.html")
# The socket.io browser bundle (committed; `make vendor` refreshes it), the script that imports it, the record.
FILES = (STATIC / "vendor" / "socket.io.esm.min.js", STATIC / "js" / "realtime.js", EXPORTS / "record.md.j2")


class MissingFiles(RuntimeError):
    """Files the app cannot serve its pages without are not where they were installed."""


def missing_files() -> list[Path]:
    """The pages (and what they build on), the browser bundle and the record's template that are not there."""
    from jinja2 import Environment, FileSystemLoader, TemplateNotFound, meta

    jinja = Environment(loader=FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"])
    missing, seen, names = [], set(), list(PAGES)
    while names:
        name = names.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source = jinja.loader.get_source(jinja, name)[0]  # type: ignore[union-attr]
        except TemplateNotFound:
            missing.append(TEMPLATES / name)
            continue
        names.extend(filter(None, meta.find_referenced_templates(jinja.parse(source))))
    return missing + [path for path in FILES if not path.is_file()]


def check() -> None:
    """MissingFiles, in one line naming each missing file, when the installation is incomplete."""
    missing = missing_files()
    if missing:
        names = ", ".join(str(path.relative_to(ROOT)) for path in missing)
        raise MissingFiles(f"cannot start: {names} missing in {ROOT} (reinstall the package; "
                           "in a checkout, restore them with git or `make vendor`)")
