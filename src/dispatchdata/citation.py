"""Citations of a release, or of one record in it: text, BibTeX, biblatex and CITATION.cff.

Everything is generated from the dataset's metadata (``dataset.yaml``) and its identity
(:func:`~dispatchdata.identity.identity_of`): the release it is, with the release's date, or
unreleased data labelled ``<version>+unreleased.<hash>`` and given no date, so the citation files
never drift from the data, and never pass data off as a release it is not. The plain-text
citation is :func:`~dispatchdata.model.citation_text`, the one ``ds.info.citation`` and the
exports' metadata give too.

The metadata is text anyone could have written into a dataset: every field is escaped for the
format it is written in (:func:`bibtex_text` for BibTeX and biblatex, the YAML emitter's quoting
for CFF, :func:`~dispatchdata.display.printable` for plain text), so that a title holding
``\\input{…}`` stays a title.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .display import BEYOND_C0, CONTROL, excerpt, printable
from .identity import Identity, identified, identity_of, releases_of
from .model import citation_text
from .read.folder import COLLECTIONS
from .resources import dataset_dir
from .suggest import did_you_mean


def _authors(metadata: dict[str, Any]) -> list[str]:
    return [c["name"] for c in metadata.get("creators", [])]


def _named(identity: Identity) -> str:
    """What the data is called in a message: ``release 1.1.0``, or ``1.1.0+unreleased.<hash>``."""
    return f"release {identity.label}" if identity.released else identity.label


def _record_label(bundle: dict[str, Any], record: str | None) -> str | None:
    """'statement klishas-no-need-to-play-with-words' for a record id; KeyError if it is absent,
    with the closest id there is."""
    if record is None:
        return None
    ids: list[str] = []
    for name in COLLECTIONS:
        for r in bundle["collections"][name]:
            if isinstance(r, dict) and isinstance(r.get("id"), str):
                if r["id"] == record:
                    return f"{name[:-1]} {record}"
                ids.append(r["id"])
    where = _named(identity_of(bundle))
    raise KeyError(f"no record {excerpt(record)!r} in {where}{did_you_mean(record, ids)}")


def cite_text(bundle: dict[str, Any], record: str | None = None) -> str:
    """The plain-text citation (:func:`~dispatchdata.model.citation_text`): the very string
    ``ds.info.citation`` and the exports' metadata give, with no line end of its own (the
    command line ends the line when it prints it)."""
    metadata = bundle["metadata"]
    identity = identity_of(bundle)
    return citation_text(
        authors=_authors(metadata),
        title=metadata["citation"]["title"],
        label=identity.label,
        released=identity.released,
        license=metadata["license"],
        note=metadata["citation"].get("note"),
        record=_record_label(bundle, record),
    )


def _key(bundle: dict[str, Any], record: str | None) -> str:
    """The entry's key: the dataset's name, version label and record id, with what BibTeX would
    not read in a key (a comma, a brace, a space, a plus, ...) made ``_``."""
    base = f"{re.sub(r'[^A-Za-z0-9-]+', '_', bundle['metadata']['name'])}_"
    base += re.sub(r"[^A-Za-z0-9-]+", "_", identity_of(bundle).label)
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


def _bib_entry(
    kind: str, bundle: dict[str, Any], record: str | None, fields: list[tuple[str, str]], note: str = ""
) -> str:
    """An entry: author and title, ``fields`` that have a value, and a ``note`` (``note``, then
    the record cited)."""
    metadata = bundle["metadata"]
    # Each author braced: a name is one name, not split at a comma or an "and".
    authors = " and ".join("{" + bibtex_text(a) + "}" for a in _authors(metadata))
    label = _record_label(bundle, record)
    title = "{" + bibtex_text(metadata["citation"]["title"]) + "}"  # braced: capitals kept
    common = [("author", authors), ("title", title)]
    common += [(k, bibtex_text(v)) for k, v in fields if v]
    notes = [note] if note else []
    if label:
        notes.append(f"Record '{label}'")
    if notes:
        common.append(("note", bibtex_text(". ".join(notes))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in common)
    return f"@{kind}{{{_key(bundle, record)},\n{body}\n}}\n"


def cite_bibtex(bundle: dict[str, Any], record: str | None = None) -> str:
    """A BibTeX ``@misc`` entry. The standard styles print no ``version`` field (``@misc`` has
    none), so the version is in ``note`` too, which they print; ``version`` stays for biber."""
    identity = identity_of(bundle)
    return _bib_entry(
        "misc",
        bundle,
        record,
        [
            ("year", identity.year or ""),
            ("version", identity.label),
            ("howpublished", "Data set"),
            ("license", bundle["metadata"]["license"]),
        ],
        note=f"Version {identity.label}",
    )


def cite_biblatex(bundle: dict[str, Any], record: str | None = None) -> str:
    """A biblatex ``@dataset`` entry (its styles print ``version``)."""
    identity = identity_of(bundle)
    return _bib_entry(
        "dataset",
        bundle,
        record,
        [
            ("date", identity.released or ""),
            ("version", identity.label),
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
    identity = identity_of(bundle)
    cff: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": message,
        "type": "dataset",
        "title": metadata["citation"]["title"],
        "version": identity.label,
    }
    if identity.released:
        cff["date-released"] = identity.released
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
    """The citation of a release (a version, a dataset folder or a bundle file; by default the
    installed dataset), or of one record in it.

    Data equal to the release its version names is cited as that release, with its date; any
    other data as unreleased (see :mod:`dispatchdata.identity`). The text citation is
    ``load(...).info.citation`` exactly (no line end); the other formats are files, each line ended.
    """
    # deferred: the release reader and the validator (the CLI imports this module to start)
    from .release.release import open_bundle

    spec = dataset_dir() if release is None else release
    bundle = identified(open_bundle(spec), releases_of(spec))
    return CITERS[format](bundle, record)
