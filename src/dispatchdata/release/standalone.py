"""Self-contained JSON Schemas: the canonical schema with the shared definitions inlined.

The canonical schema (``schema/*.schema.json``) refers to its shared definitions by ``$id``
(``urn:dispatchdata:schema:defs#/$defs/id``), which a validator resolves only when it is handed
every file of the schema; generic tools (check-jsonschema, editors' YAML language server) are
handed one file and cannot. The standalone form of each file copies the definitions it uses into
its own ``$defs`` and points at them there (``#/$defs/id``): the same schema, in one file. The
release bundle's standalone schema also checks the bundle's collections and metadata, which the
canonical ``release.schema.json`` leaves to the collections' own schemas: one file checks a whole
release.

The files are written to ``schema/standalone/`` (the canonical schema, which a release carries,
is the ``*.schema.json`` directly in ``schema/``: a subfolder keeps them out of it) and shipped in
the wheel with the rest of ``schema/``. They are derived, never edited: regenerate them with
``python -m dispatchdata.release.standalone`` after changing the canonical schema;
``tests/test_schemas_standalone.py`` fails while they differ, and checks that both forms find the
same problems.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from ..check.schema import SCHEMA_FILES, schemas
from ..errors import DispatchDataError
from ..resources import schema_dir

#: The folder of ``schema/`` the standalone files are written to.
FOLDER = "standalone"
#: The canonical file of the shared definitions, and the ``$id`` it is referred to by.
SHARED = "defs.schema.json"
SHARED_ID = "urn:dispatchdata:schema:defs"
#: The ``$id`` of a standalone schema, from its name: not the canonical one, which a tool holding
#: both forms would otherwise see twice with different contents.
STANDALONE_ID = "urn:dispatchdata:schema:standalone:{name}"
#: What a collection's schema says of itself rather than of the values it checks: left out where
#: the release's standalone schema takes the collection's checks in.
_ABOUT_ITSELF = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description"})
#: Keywords that would make a reference mean something else once moved into another file.
_UNSUPPORTED = frozenset({"$id", "$anchor", "$dynamicRef", "$dynamicAnchor"})


class StandaloneError(DispatchDataError):
    """The canonical schema cannot be made standalone as it is (a ``$ref`` of another form, two
    definitions of one name)."""


def names() -> tuple[str, ...]:
    """The names ``dispatchdata schema NAME`` takes: each collection, the metadata, the release."""
    return tuple(sorted(SCHEMA_FILES))


def standalone_schemas(files: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The standalone form of every schema file but the shared definitions, by file name, from
    the canonical ``files`` (by file name; the package's own by default)."""
    files = schemas() if files is None else files
    shared = files[SHARED]["$defs"]
    result = {}
    for name, file in SCHEMA_FILES.items():
        if name != "release":
            result[file] = _collection(name, files[file], shared)
    result[SCHEMA_FILES["release"]] = _release(files, shared)
    return result


def standalone_texts(files: dict[str, Any] | None = None) -> dict[str, bytes]:
    """The bytes of each standalone file, by file name: two-space indent, keys in the canonical
    order, UTF-8, ``\\n`` at the end. The same canonical schema always gives the same bytes."""
    return {
        name: (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        for name, doc in standalone_schemas(files).items()
    }


def write_standalone(schema: Path) -> list[str]:
    """Write the standalone form of the canonical schema files in the folder ``schema`` into its
    ``standalone/`` (made if missing), replacing what is there; the names written, in order.
    Files of other names are left alone."""
    files = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(schema.glob("*.schema.json"))}
    folder = schema / FOLDER
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in sorted(standalone_texts(files).items()):
        (folder / name).write_bytes(text)
        written.append(name)
    return written


def _collection(name: str, canonical: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    """One collection's schema (or the metadata's), standalone."""
    used: set[str] = set()
    document: dict[str, Any] = _rewritten(canonical, used, SCHEMA_FILES[name], top=True)
    document["$id"] = STANDALONE_ID.format(name=name)
    own = document.pop("$defs", {})
    document["$comment"] = _comment(SCHEMA_FILES[name])
    document["$defs"] = _merged_defs([own], _closure(used, shared), SCHEMA_FILES[name])
    return document


def _release(files: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    """The release bundle's schema, standalone, checking the collections and the metadata too:
    each takes the checks of its own schema, beside what the bundle's schema says of it."""
    file = SCHEMA_FILES["release"]
    used: set[str] = set()
    document: dict[str, Any] = _rewritten(files[file], used, file, top=True)
    document["$id"] = STANDALONE_ID.format(name="release")
    properties = document["properties"]
    targets = {"dataset": properties["metadata"]}
    targets.update(properties["collections"]["properties"])
    defs = [document.pop("$defs", {})]
    for name, target in targets.items():
        canonical = _rewritten(files[SCHEMA_FILES[name]], used, SCHEMA_FILES[name], top=True)
        defs.append(canonical.get("$defs", {}))
        for key, value in canonical.items():
            if key in _ABOUT_ITSELF:
                continue
            if key in target and target[key] != value:
                raise StandaloneError(f"{file}: {name}'s {key!r} differs from {SCHEMA_FILES[name]}'s")
            target[key] = value
    document["$comment"] = _comment(file) + " It checks the collections and the metadata too."
    document["$defs"] = _merged_defs(defs, _closure(used, shared), file)
    return document


def _comment(file: str) -> str:
    return (
        f"Generated from schema/{file} and schema/{SHARED} (python -m dispatchdata.release.standalone): "
        "edit those, not this file."
    )


def _rewritten(node: Any, used: set[str], file: str, *, top: bool = False) -> Any:
    """A copy of ``node`` (a whole file's schema when ``top``) with each reference to a shared
    definition made local, the names of those definitions added to ``used``."""
    if isinstance(node, list):
        return [_rewritten(item, used, file) for item in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    result = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            value = _local(value, used, file)
        elif key in _UNSUPPORTED and not (top and key == "$id"):
            raise StandaloneError(f"{file}: {key!r} inside the schema cannot be moved into another file")
        result[key] = _rewritten(value, used, file)
    return result


def _local(reference: str, used: set[str], file: str) -> str:
    """``reference`` as a reference inside the standalone file."""
    shared = f"{SHARED_ID}#/$defs/"
    if reference.startswith(shared) and "/" not in reference[len(shared) :]:
        used.add(reference[len(shared) :])
        return "#/$defs/" + reference[len(shared) :]
    if reference.startswith("#/$defs/") and "/" not in reference[len("#/$defs/") :]:
        return reference
    raise StandaloneError(f"{file}: $ref {reference!r} is neither a local nor a shared definition")


def _closure(used: set[str], shared: dict[str, Any]) -> dict[str, Any]:
    """The shared definitions ``used`` names and those they refer to, in the shared file's order."""
    needed: set[str] = set()
    pending = sorted(used)
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        if name not in shared:
            raise StandaloneError(f"{SHARED} has no definition {name!r}")
        needed.add(name)
        inner: set[str] = set()
        _rewritten(shared[name], inner, SHARED)
        pending.extend(sorted(inner - needed))
    return {name: _rewritten(shared[name], set(), SHARED) for name in shared if name in needed}


def _merged_defs(owns: list[dict[str, Any]], shared: dict[str, Any], file: str) -> dict[str, Any]:
    """The definitions of a standalone file: its own (and, for the release, its collections'),
    then the shared ones it needs; one name defined twice differently is refused."""
    merged: dict[str, Any] = {}
    for defs in [*owns, shared]:
        for name, definition in defs.items():
            if name in merged and merged[name] != definition:
                raise StandaloneError(f"{file}: two definitions named {name!r}")
            merged[name] = definition
    return merged


def main() -> int:
    """``python -m dispatchdata.release.standalone``: regenerate ``schema/standalone/`` of the
    checkout the package is imported from (exit 0); exit 2, saying why on standard error (the
    one place of the core that writes there: it is a command of its own), when the package is
    installed rather than a checkout (its files are the ones it was built with) or the schema
    cannot be made standalone."""
    folder = schema_dir()
    if not (folder.parent / "pyproject.toml").is_file():
        sys.stderr.write(f"dispatchdata: error: {folder} is not the schema folder of a checkout\n")
        return 2
    try:
        write_standalone(folder)
    except (StandaloneError, OSError, ValueError, KeyError) as error:
        sys.stderr.write(f"dispatchdata: error: {folder}: cannot make the standalone schemas: {error}\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
