"""Every command on arbitrary input (issue 18, item 7): the minimal dataset, or its release
bundle, with one file's bytes replaced by arbitrary bytes, arbitrary YAML or JSON, or a mutated
version of itself (bytes flipped, cut or added; a value somewhere in it replaced by any value),
through ``validate``, ``diff``, ``export`` of each format, ``release``, ``cite`` and ``load()``.
Whatever the input, the exit status is 0, 1 or 2, and there is never a traceback.

Fast under the default and ``ci`` profiles; ``--hypothesis-profile thorough`` runs ten times the
examples. Each crash it found is pinned by an ``@example`` or a test of its own below."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.errors import DispatchDataError
from dispatchdata.export import FORMATS
from dispatchdata.release.release import bundle_of, dump_bundle

from ..helpers import examples
from ..test_validate import MINIMAL, SOURCES

runner = CliRunner()

FILES = sorted(p.name for p in MINIMAL.iterdir())
BUNDLE = "bundle.json"
CHANGELOG = "# Changelog\n\n## [1.0.0] - 2024-01-01\n\n- First.\n"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mutation:
    """One file of the minimal dataset (or its bundle, ``BUNDLE``) and the bytes it gets; ``as_json``
    puts them in ``<stem>.json`` in its place, so that the JSON reader reads them."""

    file: str
    content: bytes
    as_json: bool = False
    #: Instead: this token (a whole word: an id, a number) replaced by those bytes in every file,
    #: so that what one file names stays named (a footnote number, say, in a document and in the
    #: statements citing it).
    everywhere: tuple[bytes, bytes] | None = None


# Values as YAML and JSON hold them, with the edges that broke readers: huge and negative
# integers, floats (NaN and infinities too), empty and odd text (controls, surrogate-free).
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def _original(file: str) -> bytes:
    if file == BUNDLE:
        return _bundle_bytes()
    return (MINIMAL / file).read_bytes()


_BUNDLE: list[bytes] = []


def _bundle_bytes() -> bytes:
    """The minimal dataset's release bundle, as ``release`` writes it (made once)."""
    if not _BUNDLE:
        from dispatchdata.read.folder import read_dataset

        _BUNDLE.append(dump_bundle(bundle_of(read_dataset(MINIMAL))))
    return _BUNDLE[0]


def _data_of(file: str) -> Any:
    raw = _original(file)
    return json.loads(raw) if file == BUNDLE else yaml.safe_load(raw)


def _replace_somewhere(data: Any, path: list[int], value: Any) -> Any:
    """``data`` with the value at a place chosen by ``path`` (indexes taken modulo each
    container's size) replaced by ``value``."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return value
    step, rest = path[0], path[1:]
    if isinstance(data, dict):
        key = sorted(data)[step % len(data)]
        return {**data, key: _replace_somewhere(data[key], rest, value)}
    index = step % len(data)
    return [*data[:index], _replace_somewhere(data[index], rest, value), *data[index + 1 :]]


def _leaf_at(data: Any, path: list[int]) -> Any:
    """The value :func:`_replace_somewhere` replaces for ``path``."""
    while path and isinstance(data, (dict, list)) and data:
        step, path = path[0], path[1:]
        data = data[sorted(data)[step % len(data)]] if isinstance(data, dict) else data[step % len(data)]
    return data


#: A value of the same kind as the one replaced, so that the data often stays valid and reaches
#: the exports: any text for a text, any integer for an integer.
SAME_KIND: dict[type, st.SearchStrategy[Any]] = {
    str: st.text(max_size=30) | st.sampled_from(["", " ", "2024-02-30", "anna-orlova", "doc-1", "\u202e"]),
    bool: st.booleans(),
    int: st.integers() | st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1]),
    float: st.floats(),
}


#: Pieces of YAML or JSON that broke readers before, or might: huge and edge numbers, deep nesting,
#: tags, aliases and merge keys, directives and document markers, lone surrogates, odd characters.
FRAGMENTS = [
    b"9" * 5000,
    b"-" + b"1" * 4301,
    b"1e400",
    b"-0.0",
    b"177.0",
    b"9223372036854775808",
    b"-9223372036854775809",
    b".nan",
    b"NaN",
    b"Infinity",
    b"0x1F",
    b"0o17",
    b"1_000",
    b"[" * 3000,
    b'{"a":' * 1500,
    b"- " * 1500,
    b'"\\ud800"',
    b'"\\udfff\\ud800"',
    b"!!python/object/apply:os.system ['true']",
    b"!!binary aGk=",
    b"!!set {a, b}",
    b"!!timestamp 2020-01-01",
    b"!custom x",
    b"&a [*a]",
    b"*nothing",
    b"&x {<<: *x}",
    b"{<<: [1, 2]}",
    b"\n%YAML 1.1\n---\n",
    b"\n---\n- a\n",
    b"\n...\n",
    b"? [1, 2]\n: 3",
    b"{[1, 2]: 3}",
    b"{1: 2}",
    b"{null: 1, true: 2}",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xa8",
    b"\xe2\x80\xae",
    b"\xed\xa0\x80",  # a lone surrogate, as UTF-8 would write it
    b"\r\n",
    b"\r",
    b"\t",
    b"|\n  block\n",
    b">-\n  folded\n",
    b"'",
    b'"',
    b"# comment",
    b"@",
    b"`",
    b"",
    b"~",
    b"null",
    b"[]",
    b"{}",
    b"2024-02-30",
    b"12:30:45",
    b"yes",
]


def _tokens() -> list[bytes]:
    """The words of the minimal dataset: ids, numbers, names."""
    words = set()
    for file in FILES:
        words.update(re.findall(rb"[\w.-]+", (MINIMAL / file).read_bytes()))
    return sorted(words)


TOKENS = _tokens()


def _everywhere(raw: bytes, token: bytes, new: bytes) -> bytes:
    return re.sub(rb"(?<![\w.-])" + re.escape(token) + rb"(?![\w.-])", lambda _: new, raw)


def _value_places(raw: bytes) -> list[int]:
    """Where a value starts in a file laid out as ours are: after ``": "`` or ``"- "``."""
    places = [i + 2 for i in range(len(raw) - 1) if raw[i : i + 2] in (b": ", b"- ")]
    return places or [0]


def _dump(data: Any, as_yaml: bool) -> bytes:
    if as_yaml:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8", "surrogatepass")


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    """One file of the minimal dataset or its bundle, broken one of several ways."""
    file = draw(st.sampled_from([*FILES, BUNDLE]))
    as_yaml = file != BUNDLE
    kind = draw(st.sampled_from(["bytes", "yaml", "json", "flip", "fragment", "value", "same", "everywhere"]))
    if kind == "bytes":
        return Mutation(file=file, content=draw(st.binary(max_size=400)))
    if kind == "yaml":
        return Mutation(file=file, content=_dump(draw(VALUES), True) if as_yaml else draw(st.binary()))
    if kind == "json":
        return Mutation(file=file, content=_dump(draw(VALUES), False), as_json=as_yaml)
    if kind == "flip":  # a few bytes replaced, cut or added
        raw = bytearray(_original(file))
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(raw)))
            cut = draw(st.integers(0, 8))
            raw[at : at + cut] = draw(st.binary(max_size=8))
        return Mutation(file=file, content=bytes(raw))
    if kind == "everywhere":  # a word replaced in every file (the bundle: in it)
        token = draw(st.sampled_from(TOKENS))
        new = draw(
            st.sampled_from(FRAGMENTS)
            | st.integers().map(lambda n: str(n).encode())
            | st.text(max_size=12).map(lambda t: t.encode("utf-8"))
        )
        content = _everywhere(_original(file), token, new) if file == BUNDLE else b""
        return Mutation(file=file, content=content, everywhere=(token, new))
    if kind == "fragment":  # a value (the rest of its line) replaced by a fragment, or a few
        text = _original(file)
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.sampled_from(_value_places(text)))
            end = text.find(b"\n", at)
            end = len(text) if end < 0 else end
            if draw(st.booleans()):
                end = at + draw(st.integers(0, end - at))
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[end:]
        return Mutation(file=file, content=text)
    # "value": a value somewhere in the data replaced by any value, the file still well formed;
    # "same": a leaf replaced by another of its kind.
    path = draw(st.lists(st.integers(0, 1000), min_size=6 if kind == "same" else 0, max_size=6))
    original = _data_of(file)
    new = draw(SAME_KIND.get(type(_leaf_at(original, path)), VALUES) if kind == "same" else VALUES)
    data = _replace_somewhere(original, path, new)
    use_json = draw(st.booleans()) if as_yaml else True
    return Mutation(file=file, content=_dump(data, not use_json), as_json=as_yaml and use_json)


def _apply(mutation: Mutation, root: Path) -> Path:
    """The dataset folder (or bundle file) under ``root`` broken as ``mutation`` says."""
    data = root / "data"
    shutil.copytree(MINIMAL, data)
    (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    if mutation.file == BUNDLE:
        (root / BUNDLE).write_bytes(mutation.content)
        return root / BUNDLE
    if mutation.everywhere is not None:
        for path in data.iterdir():
            path.write_bytes(_everywhere(path.read_bytes(), *mutation.everywhere))
        return data
    target = data / mutation.file
    if mutation.as_json:
        target.unlink()
        target = target.with_suffix(".json")
    target.write_bytes(mutation.content)
    return data


def _check(args: list[str]) -> None:
    """The command ends with 0, 1 or 2, as a SystemExit, without a traceback."""
    result = runner.invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output


def _validate(path: Path, root: Path) -> None:
    _check(["validate", str(path), "--sources", str(SOURCES)])


def _diff(path: Path, root: Path) -> None:
    _check(["diff", str(MINIMAL), str(path), "--sources", str(SOURCES), "--check-version"])


def _release(path: Path, root: Path) -> None:
    if path.is_dir():
        _check(
            [
                "release",
                "1.0.0",
                "--dataset",
                str(path),
                "--changelog",
                str(root / "CHANGELOG.md"),
                "--sources",
                str(SOURCES),
            ]
        )


def _cite(path: Path, root: Path) -> None:
    _check(["cite", "--release", str(path)])
    _check(["cite", "--release", str(path), "--format", "bibtex", "--record", "higher-tax"])


def _load(path: Path, root: Path) -> None:
    for strict in (False, True):
        with contextlib.suppress(DispatchDataError):  # (InvalidDatasetError, DataNotFoundError)
            dispatchdata.load(path, strict=strict, sources=[SOURCES])


def _export(fmt: str) -> Callable[[Path, Path], None]:
    def run(path: Path, root: Path) -> None:
        _check(["export", fmt, "--release", str(path), "--output", str(root / "out")])

    return run


COMMANDS: dict[str, Callable[[Path, Path], None]] = {
    "validate": _validate,
    "diff": _diff,
    "release": _release,
    "cite": _cite,
    "load": _load,
    **{f"export-{fmt}": _export(fmt) for fmt in FORMATS},
}


def _run(command: str, mutation: Mutation) -> None:
    with tempfile.TemporaryDirectory(prefix="dispatchdata-fuzz-") as folder:
        root = Path(folder)
        COMMANDS[command](_apply(mutation, root), root)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutations())
def test_no_command_shows_a_traceback_whatever_the_input(command: str, mutation: Mutation) -> None:
    """Any file of the minimal dataset (or its bundle) broken any way: exit 0, 1 or 2, no traceback."""
    _run(command, mutation)


def test_an_anchor_end_above_64_bits_does_not_crash_export_sqlite() -> None:
    """Found by the fuzzer (an anchor's end of 2**63, in a bundle; here in a folder): without the
    document's text the anchor cannot be checked, so the data was valid, and export sqlite
    crashed storing the number; now the integer is refused when read (DD117)."""
    _run(
        "export-sqlite", Mutation(file="actors.yaml", content=b"", everywhere=(b"90", b"9223372036854775808"))
    )
