"""Finding the source texts that anchors count into, by SHA-256 (file names do not matter), and
saying exactly why one was not found."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..display import excerpt
from ..errors import DataNotFoundError, Problem
from ..read.files import read_bytes
from ..read.frozen import read_sums
from ..resources import sources_dir

#: Files larger than this are not taken for source texts (they would be hashed for nothing).
MAX_SOURCE_BYTES = 64 * 1024 * 1024
#: A recorded SHA-256 this close (hex digits that differ) to a file's is named as a likely typo.
_TYPO_DIGITS = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceLookup:
    """The outcome of looking for the documents' texts: those found, whether each had to be
    (``required``: folders were given, so the user expects them found), the texts the package
    ships (SHA-256 → file name, which must always be found), and, for a text not found, what
    comes closest (a file equal to it but for line endings or normalisation, say)."""

    texts: dict[str, str]
    required: bool = False
    shipped: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    #: SHA-256s not found that are a typo or so away from a shipped text's: a document meant to
    #: count into a text the package ships, so its text must be found (DD411), as the shipped ones.
    near_shipped: frozenset[str] = frozenset()

    def missing(self, document: str, digest: str, skipped: int) -> tuple[str, str] | None:
        """The code and message for the document ``document`` whose text (``digest``) was not
        found, with ``skipped`` anchor checks skipped for want of it; None when that is no
        problem (a text nobody required, and nothing skipped).

        DD411 (an error) when the text had to be found; else DD405 (a warning: another project
        validating its own data without its texts, which ``strict`` makes an error)."""
        name = self.shipped.get(digest)
        required = self.required or name is not None or digest in self.near_shipped
        if not required and not skipped:
            return None
        where = f" (shipped with the package as sources/{name})" if name is not None else ""
        head = f"source text of {excerpt(document)!r} (sha256 {excerpt(digest)}){where} not found"
        head += f": {skipped} anchor check(s) skipped"
        why = self.hints.get(digest)
        if why is None and name is not None:
            why = "the package's copy is missing or changed: reinstall dispatchdata (or restore the file)"
        elif why is None and self.required:
            why = "no file in the --sources folders or among the package's texts has this sha256"
        elif why is None:
            why = "pass the folder holding it with --sources"
        return ("DD411" if required else "DD405"), f"{head}; {why}"


def find_sources(folders: Iterable[str | Path], wanted: Iterable[str] | None = None) -> dict[str, str]:
    """Texts found in ``folders`` (recursively) and among the texts shipped with the package,
    keyed by the SHA-256 of their bytes.

    Only UTF-8 files are kept. With ``wanted``, only those hashes are returned.
    """
    found: dict[str, str] = {}
    want = set(wanted) if wanted is not None else None
    for _, digest, raw in _candidates([*folders, *_packaged()]):
        if (want is None or digest in want) and digest not in found:
            try:
                found[digest] = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
    return found


def look_up_sources(folders: Iterable[str | Path], wanted: Iterable[str]) -> SourceLookup:
    """Look for the texts ``wanted`` (SHA-256s) in ``folders`` and among the package's texts
    (see :func:`find_sources`). A text not found is then looked for again, as a file equal to
    it but for line endings (CRLF, CR) or Unicode normalisation (NFC, NFD, NFKC, NFKD), and as
    a SHA-256 one mistyped digit or so away from a file's: the messages name that file. That
    second reading happens only when a text was not found."""
    folders = list(folders)
    wanted = list(wanted)
    texts = find_sources(folders, wanted) if wanted else {}
    missing = set(wanted) - set(texts)
    shipped = shipped_texts()
    return SourceLookup(
        texts=texts,
        required=bool(folders),
        shipped=shipped,
        hints=_hints(folders, missing) if missing else {},
        near_shipped=frozenset(d for d in missing if any(_typo(d, s) for s in shipped)),
    )


def _typo(digest: str, other: str) -> bool:
    """Whether two SHA-256s differ in a few digits only: one is the other mistyped."""
    return len(other) == len(digest) and sum(map(str.__ne__, digest, other)) <= _TYPO_DIGITS


def _hints(folders: list[str | Path], missing: set[str]) -> dict[str, str]:
    """For each text not found (by SHA-256), the file that comes closest, said as the fix: a
    file that is the text but for its line endings or Unicode normalisation, one with the
    SHA-256 that is not UTF-8, or one whose SHA-256 differs in a few digits (a typo)."""
    near: dict[str, str] = {}
    typo: dict[str, str] = {}
    for path, digest, raw in _candidates([*folders, *_packaged()]):
        if digest in missing:
            near.setdefault(digest, f"{path} has this sha256 but is not UTF-8")
            continue
        for other in missing:
            if _typo(other, digest):
                typo.setdefault(other, f"is the sha256 mistyped? {path} has sha256 {digest}")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        for variant, how in _variants(text):
            variant_digest = hashlib.sha256(variant.encode("utf-8")).hexdigest()
            if variant_digest in missing:
                near.setdefault(variant_digest, f"{path} is that text but for {how}")
    return typo | near


def _endings(text: str) -> str:
    if "\r\n" in text:
        return "CRLF"
    return "CR" if "\r" in text else "LF"


def _variants(text: str) -> Iterator[tuple[str, str]]:
    """The texts ``text`` becomes with other line endings or another Unicode normalisation,
    each with what was changed, said as the fix."""
    unix = text.replace("\r\n", "\n").replace("\r", "\n")
    endings = [(text, "")]
    if unix != text:
        endings.append((unix, f"line endings ({_endings(text)} in the file, LF in the text)"))
    elif "\n" in text:
        endings.append((text.replace("\n", "\r\n"), "line endings (LF in the file, CRLF in the text)"))
    for variant, how in endings:
        if how:
            yield variant, how
        for form in ("NFC", "NFD", "NFKC", "NFKD"):
            normal = unicodedata.normalize(form, variant)
            if normal != variant:
                said = f"Unicode normalisation (the text is the file in {form})"
                yield normal, f"{how} and {said}" if how else said


def _candidates(folders: Iterable[str | Path]) -> Iterator[tuple[Path, str, bytes]]:
    """Every file of ``folders`` (recursively, each folder's files in order) small enough to be
    a source text: its path, SHA-256 and bytes."""
    for folder in folders:
        root = Path(folder)
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            try:
                if path.stat().st_size > MAX_SOURCE_BYTES:
                    continue
                raw = read_bytes(path)
            except OSError:
                continue
            yield path, hashlib.sha256(raw).hexdigest(), raw


@cache
def shipped_texts() -> dict[str, str]:
    """The texts the package ships (SHA-256 → file name), from ``sources/SHA256SUMS`` (read as the
    releases' is, :func:`~dispatchdata.read.frozen.read_sums`): each must always be found, and one that
    is not is an error (a broken install or checkout), never a warning. Empty when the package has
    no usable list."""
    try:
        recorded = read_sums(sources_dir())
    except DataNotFoundError:
        return {}
    return {} if isinstance(recorded, Problem) else {r.digest: r.name for r in recorded.values()}


def _packaged() -> list[Path]:
    """The package's own source folder, when there is one (a wheel, or a checkout)."""
    try:
        folder = sources_dir()
    except DataNotFoundError:
        return []
    return [folder] if folder.is_dir() else []
