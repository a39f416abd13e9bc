"""The ``schema`` command: print a self-contained JSON Schema the package ships."""

from __future__ import annotations

from .shell import fail, interrupted

try:  # Ctrl-C while the command line loads
    import click

    from ..resources import schema_dir
except KeyboardInterrupt:
    interrupted()

#: The names the command takes: one a schema file. Written out rather than read from the schema
#: machinery, which every run would then import at start-up; tests/test_schemas_standalone.py
#: checks that they are the standalone files' names.
NAMES = ("actors", "dataset", "documents", "proposals", "release", "statements")

_HELP = f"""Print the self-contained JSON Schema of NAME: a collection's, the metadata's
(dataset) or a whole release bundle's (release).

NAME is one of: {", ".join(NAMES)}.

Each is one file, with every definition it uses inside it, for tools that are given one schema
file (check-jsonschema --schemafile, an editor's YAML language server): the same checks as the
schema in the package's schema/ folder, which refers to its shared definitions by $id. The
release schema also checks the bundle's collections and metadata. The files are in
schema/standalone/ of a checkout, and in the installed package.

Exit codes: 0 printed; 2 a NAME not among these (the message lists them), or a file of the
package that cannot be read.
"""


@click.command(
    name="schema", help=_HELP, short_help="Print a self-contained JSON Schema (for editors and other tools)."
)
@click.argument("name", metavar="NAME", type=click.Choice(NAMES))
def schema_command(name: str) -> None:
    path = schema_dir() / "standalone" / f"{name}.schema.json"
    try:
        text = path.read_bytes()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}; reinstall dispatchdata")
    click.echo(text, nl=False)
