"""Citations of a release, or of one record in it: text, BibTeX, biblatex and CITATION.cff.

Everything is generated from the dataset's metadata (``dataset.yaml``) and the release date taken
from the CHANGELOG at release time, so the citation files never drift from the data.

The metadata is text anyone could have written into a dataset: every field is escaped for the
format it is written in (:func:`bibtex_text` for BibTeX and biblatex, the YAML emitter's quoting
for CFF, :func:`~dispatchdata.display.printable` for plain text), so that a title holding
``\\input{…}`` stays a title.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .display import BEYOND_C0, CONTROL, excerpt, printable, printable_line
from .read.folder import COLLECTIONS
from .resources import dataset_dir


def _authors(metadata: dict[str, Any]) -> list[str]:
    return [c["name"] for c in metadata.get("creators", [])]


def _year(bundle: dict[str, Any]) -> str | None:
    released = bundle.get("released")
    return released[:4] if isinstance(released, str) else None


def _record_label(bundle: dict[str, Any], record: str | None) -> str | None:
    """'statement klishas-no-need-to-play-with-words' for a record id; KeyError if it is absent."""
    if record is None:
        return None
    for name in COLLECTIONS:
        if any(isinstance(r, dict) and r.get("id") == record for r in bundle["collections"][name]):
            return f"{name[:-1]} {record}"
    raise KeyError(f"no record {excerpt(record)!r} in release {bundle.get('version')}")


def cite_text(bundle: dict[str, Any], record: str | None = None) -> str:
    """A plain-text citation: authors (year). Title (Version x) [Data set]. License."""
    metadata = bundle["metadata"]
    year = _year(bundle)
    head = f"{'; '.join(_authors(metadata))}{f' ({year})' if year else ''}."
    title = metadata["citation"]["title"]
    text = f"{head} {title} (Version {bundle['version']}) [Data set]. License {metadata['license']}."
    label = _record_label(bundle, record)
    if label:
        text = f"Record '{label}' in: {text}"
    note = metadata["citation"].get("note")
    return f"{printable_line(text)}\n{printable_line(note)}\n" if note else f"{printable_line(text)}\n"


def _key(bundle: dict[str, Any], record: str | None) -> str:
    """The entry's key: the dataset's name, version and record id, with what BibTeX would not
    read in a key (a comma, a brace, a space, ...) made ``_``."""
    base = f"{re.sub(r'[^A-Za-z0-9-]+', '_', bundle['metadata']['name'])}_"
    base += re.sub(r"[^A-Za-z0-9-]+", "_", bundle["version"])
    return f"{base}_{re.sub(r'[^a-z0-9]+', '_', record)}" if record else base


#: LaTeX's special characters, written as text. Braces become ``\textbraceleft{}`` rather than
#: ``\{``: BibTeX counts every brace, escaped or not, to find where a field ends, so an unbalanced
#: ``\{`` would still run the field on into the next.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
}
_LATEX_SPECIAL = re.compile(r"[\\{}^~%&#_$]")


def bibtex_text(value: str) -> str:
    """``value`` as the text of a braced BibTeX or biblatex field: LaTeX's special characters
    ``\\ { } ^ ~ % & # _ $`` written as text (so nothing in it is a command, a group, a comment
    or math), control characters escaped as with :func:`~dispatchdata.display.printable`.
    Accented and other non-ASCII letters stay as they are (biber and modern LaTeX read UTF-8)."""
    return _LATEX_SPECIAL.sub(lambda match: _LATEX[match.group()], printable(value))


def _bib_entry(kind: str, bundle: dict[str, Any], record: str | None, fields: list[tuple[str, str]]) -> str:
    metadata = bundle["metadata"]
    # Each author braced: a name is one name, not split at a comma or an "and".
    authors = " and ".join("{" + bibtex_text(a) + "}" for a in _authors(metadata))
    label = _record_label(bundle, record)
    title = "{" + bibtex_text(metadata["citation"]["title"]) + "}"  # braced: capitals kept
    common = [("author", authors), ("title", title)]
    common += [(k, bibtex_text(v)) for k, v in fields if v]
    if label:
        common.append(("note", bibtex_text(f"Record '{label}'")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in common)
    return f"@{kind}{{{_key(bundle, record)},\n{body}\n}}\n"


def cite_bibtex(bundle: dict[str, Any], record: str | None = None) -> str:
    """A BibTeX ``@misc`` entry."""
    year = _year(bundle) or ""
    return _bib_entry(
        "misc",
        bundle,
        record,
        [
            ("year", year),
            ("version", bundle["version"]),
            ("howpublished", "Data set"),
            ("license", bundle["metadata"]["license"]),
        ],
    )


def cite_biblatex(bundle: dict[str, Any], record: str | None = None) -> str:
    """A biblatex ``@dataset`` entry."""
    return _bib_entry(
        "dataset",
        bundle,
        record,
        [
            ("date", bundle.get("released") or ""),
            ("version", bundle["version"]),
            ("license", bundle["metadata"]["license"]),
        ],
    )


def cite_cff(bundle: dict[str, Any], record: str | None = None) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) for the dataset; with ``record``, the same
    with the record named in the message."""
    metadata = bundle["metadata"]
    label = _record_label(bundle, record)
    message = "If you use this dataset, please cite it as below, with the version you used."
    if label:
        message = f"To cite the record '{label}', cite this release of the dataset and name the record."
    cff: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": message,
        "type": "dataset",
        "title": metadata["citation"]["title"],
        "version": bundle["version"],
    }
    if bundle.get("released"):
        cff["date-released"] = bundle["released"]
    cff["authors"] = [{"name": name} for name in _authors(metadata)]
    cff["license"] = metadata["license"]
    cff["abstract"] = metadata["description"]
    cff["keywords"] = list(metadata.get("keywords", []))
    cff["references"] = _references(bundle)
    header = (
        "# Generated by `dispatchdata cite --format cff` from dataset/dataset.yaml: do not edit by hand.\n"
    )
    return header + _safe_yaml(cff)


def _safe_yaml(data: dict[str, Any]) -> str:
    """``data`` as YAML by PyYAML's safe emitter, which quotes whatever would read back as another
    value; a string holding a control, bidi or separator character is written double-quoted, with
    each such character as an escape (the emitter would leave a bidi override raw)."""
    # deferred: PyYAML, needed only to write a CFF citation (the CLI imports this module to start)
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = '"' if CONTROL.search(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, represent)
    text = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    # Only inside the double-quoted strings above can such a character remain; there an escape
    # means the same character.
    return BEYOND_C0.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _references(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The source documents, as CFF references (publisher named from the actors)."""
    names = {a["id"]: a["name"] for a in bundle["collections"]["actors"] if isinstance(a, dict)}
    references = []
    for document in bundle["collections"]["documents"]:
        publisher = names.get(document["publisher"], document["publisher"])
        references.append(
            {
                "type": "report",
                "title": document["title"],
                "authors": [{"name": publisher}],
                "publisher": {"name": publisher},
                "collection-title": document["series"],
                "number": document["number"],
                "date-published": document["published"],
            }
        )
    return references


CITERS: dict[str, Callable[[dict[str, Any], str | None], str]] = {
    "text": cite_text,
    "bibtex": cite_bibtex,
    "biblatex": cite_biblatex,
    "cff": cite_cff,
}


def cite(release: str | None = None, format: str = "text", record: str | None = None) -> str:
    """The citation of a release, or of one record in it.

    Without ``release``: the installed dataset's version, from its frozen release (which carries the
    release date) when that version has been released, else from the data as it is.
    """
    # deferred: the release reader and the validator (the CLI imports this module to start)
    from .release.release import open_bundle, releases

    if release is None:
        bundle = open_bundle(dataset_dir())
        if bundle["version"] in releases():
            bundle = open_bundle(bundle["version"])
    else:
        bundle = open_bundle(release)
    return CITERS[format](bundle, record)
