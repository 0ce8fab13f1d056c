"""`facilitation export CODE --format md|xlsx|docx|json [-o FILE]`: the record, the same bytes as the download."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from . import exporters, record
from .extensions import db
from .operations.errors import DomainError


@click.command("export")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(list(exporters.FORMATS)), default="md", show_default=True,
              help="The record's file format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file (default: standard output); `-o .` uses the download's file name.")
@with_appcontext
def export(code: str, fmt: str, output: str | None) -> None:
    """Write the record of the workshop CODE (Markdown, Excel, Word or the JSON archive)."""
    try:
        with db.read() as session:
            built = record.build_for_code(session, code)
        made = exporters.export(built, fmt, exporters.template_dirs(current_app.config.get("DATA_DIR")))
    except DomainError as error:  # an unknown code, or a record template that cannot be rendered
        raise click.ClickException(error.message) from None
    if output == ".":
        output = made.filename
    if output:
        with open(output, "wb") as handle:
            handle.write(made.data)
        click.echo(f"wrote {output} ({len(made.data)} bytes)", err=True)
        return
    if fmt in ("xlsx", "docx") and sys.stdout.isatty():
        raise click.ClickException(f"A .{fmt} file is binary; give -o FILE (or -o . for {made.filename}).")
    stream = click.get_binary_stream("stdout")
    stream.write(made.data)
    stream.flush()
