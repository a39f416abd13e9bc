"""The canonical layout of a dataset YAML file: the text :func:`canonical` writes, with ruamel.yaml
(the ``edit`` extra), for the data the project's own reader read from it.

* Keys in the order the schema declares them (``properties`` of each object, ``$ref`` s followed,
  :class:`KeyOrder`); a key the schema does not know after them, in the order it had.
* Records and list items never reordered.
* Scalars in one style, chosen by :func:`style`: plain where every reader reads the text as the
  same string; double quotes, with escapes, for a value with a line break, a character that is
  not printable, or whitespace at either end (never a block scalar, whose last lines readers
  end differently); single quotes otherwise, as PyYAML writes them. Numbers, booleans and
  ``null`` as the YAML 1.2 core schema and PyYAML both read them.
* Mappings and non-empty lists in block style, lists not indented past their key (``- x`` under
  ``key:``), empty ones as ``[]`` and ``{}``; no line folded.
* Comments kept: one at the end of a line stays on it; the comment lines directly above a key
  (no blank line between) move with the key, to above its record's ``-`` line (or its
  mapping) where it becomes the first; other whole lines stay at their place (see
  :func:`_mapping`).
* Every line ends with a LF (a CRLF or CR file's comments included).

Values come from the project's reader, never from ruamel.yaml's reading (a YAML 1.2 reader with
other rules): ruamel.yaml gives only the shape and the comments. :mod:`dispatchdata.fmt` reads
the text written back with the project's reader and refuses it unless it holds the same data.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from .check.schema import SCHEMA_FILES, schemas
from .errors import DispatchDataError
from .read.yaml_scalars import plain

#: The extra that installs ruamel.yaml, and how.
EXTRA = "edit"
INSTALL = "pip install 'dispatchdata[edit]'"


class MissingExtraError(DispatchDataError):
    """An optional dependency of a command is not installed: which extra installs it."""


class ShapeError(DispatchDataError):
    """ruamel.yaml read a file into another shape than the project's reader did: at ``pointer``."""

    def __init__(self, pointer: str) -> None:
        super().__init__(pointer)
        self.pointer = pointer


#: What YAML can write unescaped (YAML 1.2's printable characters but the BOM), and never a
#: NEL, LS or PS (line breaks to YAML 1.1 readers, which the project's reader refuses raw: DD102).
_PRINTABLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
#: What a plain scalar may not start with (``-``, ``?`` and ``:`` may, before a non-space).
_INDICATORS = frozenset(",[]{}#&*!|>'\"%@`")


def style(text: str) -> str:
    """How a string is written: ``""`` plain, ``"'"`` single-quoted, ``'"'`` double-quoted."""
    if not _PRINTABLE.fullmatch(text) or text != text.strip():
        return '"'  # a line break, a control character, whitespace at either end
    return "" if _plain_syntax(text) and plain(text) is text else "'"


def _plain_syntax(text: str) -> bool:
    """Whether a printable text without whitespace at its ends can be a plain scalar in a block
    mapping or list, as PyYAML's emitter decides it (and no other type's spelling: see
    :func:`style`)."""
    if not text or text[0] in _INDICATORS or text.startswith(("---", "...")):
        return False
    if text[0] in "-?:" and (len(text) == 1 or text[1] == " "):
        return False
    return ": " not in text and " #" not in text and not text.endswith(":")


class KeyOrder:
    """The order of each object's keys in one collection's schema (or the metadata's): the
    ``properties`` of the object's schema, ``$ref`` s followed across the schema files."""

    def __init__(self, collection: str) -> None:
        self.documents = schemas()
        self.by_id = {d["$id"]: d for d in self.documents.values() if isinstance(d, dict) and "$id" in d}
        document = self.documents[SCHEMA_FILES[collection]]
        self.root = self.resolve(document, document)

    def resolve(self, node: Any, document: Any) -> tuple[Any, Any]:
        """A schema node with its ``$ref`` s followed, and the document it is in."""
        for _ in range(32):  # a loop of references ends here, unresolved
            if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
                break
            base, _, fragment = node["$ref"].partition("#")
            document = self.by_id.get(base, {}) if base else document
            node = document
            for token in fragment.split("/")[1:]:
                token = token.replace("~1", "/").replace("~0", "~")
                node = node.get(token, {}) if isinstance(node, dict) else {}
        return node, document

    def keys(self, at: tuple[Any, Any]) -> list[str]:
        """The keys the object schema ``at`` declares, in order."""
        node = at[0]
        found = node.get("properties", {}) if isinstance(node, dict) else {}
        return list(found) if isinstance(found, dict) else []

    def member(self, at: tuple[Any, Any], key: str) -> tuple[Any, Any]:
        """The schema of member ``key`` of the object schema ``at``."""
        node, document = at
        found = node.get("properties", {}) if isinstance(node, dict) else {}
        return self.resolve(found.get(key, {}) if isinstance(found, dict) else {}, document)

    def item(self, at: tuple[Any, Any]) -> tuple[Any, Any]:
        """The schema of the items of the array schema ``at``."""
        node, document = at
        return self.resolve(node.get("items", {}) if isinstance(node, dict) else {}, document)


@cache
def key_order(collection: str) -> KeyOrder:
    """The :class:`KeyOrder` of a collection (``dataset`` for the metadata), made once."""
    return KeyOrder(collection)


def ordered(keys: list[str], declared: list[str]) -> list[str]:
    """``keys`` in the order ``declared`` gives, then the keys it does not know in their order."""
    rank = {key: at for at, key in enumerate(declared)}
    return sorted(keys, key=lambda k: rank.get(k, len(rank)))  # stable: unknown keys keep their order


def canonical(text: str, data: Any, collection: str) -> str:
    """The canonical text of a YAML file that the project's reader read as ``data``, comments
    kept. Raises :class:`MissingExtraError` without ruamel.yaml, :class:`ShapeError` where
    ruamel.yaml reads another shape, and ruamel.yaml's own errors where it cannot read the text."""
    writer = _writer()
    tree = writer.load(line_feeds(text))  # ruamel.yaml keeps a comment's CR: none is left to keep
    out = io.StringIO()
    above: list[str] = []
    rebuilt = _rebuild(tree, data, key_order(collection), key_order(collection).root, "", above)
    if above:  # a block that came with the first key of the file's mapping, or of its first record
        _head(rebuilt, "".join(above))
    if data in ([], {}) and rebuilt.ca.comment and rebuilt.ca.comment[1]:
        # ruamel.yaml fails on an empty list or mapping with comments before it: written here
        out.write("".join(token.value for token in rebuilt.ca.comment[1]))
        rebuilt.ca.comment = None
    writer.dump(rebuilt, out)
    return out.getvalue()


def line_feeds(text: str) -> str:
    """``text`` with every line break a LF: a CRLF or a CR alone is one line break to YAML, so the
    data and the comments read the same."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _writer() -> Any:
    """A round-trip ruamel.yaml reader and writer set for the canonical layout."""
    try:
        # deferred: ruamel.yaml, the optional `edit` extra, needed only to format
        from ruamel.yaml import YAML
    except ImportError:
        raise MissingExtraError(
            f"formatting needs ruamel.yaml, which is not installed: install the {EXTRA!r} extra ({INSTALL})"
        ) from None
    writer = YAML(typ="rt")
    writer.width = 1 << 30  # never fold a line
    writer.indent(mapping=2, sequence=2, offset=0)
    writer.allow_unicode = True
    representer: Any = writer.representer
    null: Callable[[Any, Any], Any] = lambda r, _d: r.represent_scalar("tag:yaml.org,2002:null", "null")  # noqa: E731
    representer.add_representer(type(None), null)
    representer.add_representer(float, lambda r, d: r.represent_scalar("tag:yaml.org,2002:float", _float(d)))
    return writer


def _float(number: float) -> str:
    """A finite float as YAML 1.2 and PyYAML both read it: a '.' before any exponent."""
    text = repr(number)
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}{'' if '.' in mantissa else '.0'}{e}{exponent}"


def _rebuild(
    node: Any,
    value: Any,
    order: KeyOrder,
    schema: tuple[Any, Any],
    pointer: str,
    above: list[str],
    first: str = "",
) -> Any:
    """ruamel.yaml's ``node`` made anew from the reader's ``value``: keys in the schema's order,
    each string in its :func:`style`, the comments of each collection carried over (see
    :func:`_mapping`; ``first``: the comment block above a mapping's first key, which goes with
    it); the comment lines to write above it (a block that came with its key, now its first)
    added to ``above``."""
    # deferred: ruamel.yaml, with _writer
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        if not isinstance(node, CommentedMap) or len(node) != len(value):
            raise ShapeError(pointer)
        return _mapping(node, value, order, schema, pointer, above, first)
    if isinstance(value, list):
        if not isinstance(node, CommentedSeq) or len(node) != len(value):
            raise ShapeError(pointer)
        sequence = CommentedSeq()
        _comments(node, sequence, None)
        item = order.item(schema)
        lifted: list[list[str]] = [[] for _ in value]
        pairs = enumerate(zip(node, value, strict=True))
        sequence.extend(_rebuild(n, v, order, item, f"{pointer}/{i}", lifted[i]) for i, (n, v) in pairs)
        # a block lifted above an item's '-' line, below what is there (above the list for the
        # first), indented as the '-' is: two columns left of the item's keys
        lines = [re.sub(r"(?m)^  ", "", "".join(block)) for block in lifted]
        above += lines[:1] if lines and lines[0] else []
        for at, block in enumerate(lines[1:], 1):
            if block:
                entry = sequence.ca.items.setdefault(at, [None, None, None, None])
                entry[1] = [*(entry[1] or []), *_tokens(block)]
        return sequence
    if isinstance(node, (CommentedMap, CommentedSeq)):
        raise ShapeError(pointer)
    return _scalar(value)


def _mapping(
    node: Any,
    value: dict[str, Any],
    order: KeyOrder,
    schema: tuple[Any, Any],
    pointer: str,
    above: list[str],
    first: str,
) -> Any:
    """A mapping made anew with its keys in the schema's order (see :func:`_rebuild`).

    The whole lines between two keys (see :func:`_lines_after`) end with the comment block
    directly above the second key (its comment lines, no blank line between them and the key):
    that block moves with its key; the lines before it stay at their place (the i-th key's stay
    after the i-th key), as do the lines after the last key (before the next record). A block
    that comes with the key now first goes above the mapping (``above``)."""
    # deferred: ruamel.yaml, with _writer
    from ruamel.yaml.comments import CommentedMap

    keys = list(value)  # the reader's keys, in the file's order as ruamel.yaml's are
    by_key = dict(zip(keys, node, strict=True))
    stay = [_lines_after(node, old, take=True) for old in node]
    for at, old in enumerate(list(node)[1:]):  # after a flow collection they are the next key's
        stay[at] += _lines_before(node, old)
    blocks = {keys[0]: first} if keys else {}
    for at in range(len(keys) - 1):
        stay[at], blocks[keys[at + 1]] = _comment_block(stay[at])
    mapping = CommentedMap()
    _comments(node, mapping, {old: new for new, old in by_key.items()})
    new_order = ordered(keys, order.keys(schema))
    for key in new_order:
        inner = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
        lifted: list[str] = []
        lead = _lead_block(node, by_key[key]) if isinstance(value[key], dict) else ""
        child = _rebuild(node[by_key[key]], value[key], order, order.member(schema, key), inner, lifted, lead)
        mapping[_scalar(key)] = child
        if lifted:  # above the key's value: after the key's line
            _comment_lines(mapping, key, "".join(lifted))
    following = [*new_order[1:], None]
    for key, lines, next_key in zip(mapping, stay, following, strict=True):
        lines += blocks.get(next_key, "") if next_key is not None else ""
        if lines:
            _lines_after(mapping, key, put=lines)
    if blocks.get(new_order[0]):
        above.append(blocks[new_order[0]])
    return mapping


def _lines_before(mapping: Any, key: Any) -> str:
    """The whole lines ruamel.yaml keeps before a key of a mapping (after a flow collection, not
    after the last scalar before them), removed."""
    entry = mapping.ca.items.get(key)
    if entry is None or not entry[1]:
        return ""
    tokens, entry[1] = entry[1], None
    return _text(tokens)


def _text(tokens: list[Any]) -> str:
    """The whole lines of ruamel.yaml's comment tokens (each indented as its column says)."""
    return "".join(" " * t.column + t.value if t.value.strip() else t.value for t in tokens)


def _lead_block(mapping: Any, key: Any) -> str:
    """The comment block directly above the first key of the mapping that is the value of
    ``key`` (which ruamel.yaml keeps with ``key``), removed; the lines before it stay."""
    entry = mapping.ca.items.get(key)
    if entry is None or not entry[3]:
        return ""
    stay, block = _comment_block(_text(entry[3]))
    entry[3] = _tokens(stay) or None
    return block


def _comment_block(lines: str) -> tuple[str, str]:
    """Whole lines split before the comment lines at their end (no blank line among them)."""
    parts = re.findall(r"[^\n]*\n|[^\n]+$", lines)
    at = len(parts)
    while at and parts[at - 1].lstrip(" ").startswith("#"):
        at -= 1
    return "".join(parts[:at]), "".join(parts[at:])


def _comment_lines(mapping: Any, key: Any, lines: str) -> None:
    """Whole comment lines written between a key's line and its value (a list or mapping)."""
    entry = mapping.ca.items.setdefault(key, [None, None, None, None])
    entry[3] = [*(entry[3] or []), *_tokens(lines)]


def _head(root: Any, lines: str) -> None:
    """Whole comment lines written at the end of the comments that start the file."""
    comment = root.ca.comment or [None, None]
    root.ca.comment = [comment[0], [*(comment[1] or []), *_tokens(lines)]]


def _tokens(lines: str) -> list[Any]:
    """ruamel.yaml's comment tokens for whole lines (each its comment and its indentation)."""
    # deferred: ruamel.yaml, with _writer
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    return [
        CommentToken(line.lstrip(" ") or "\n", CommentMark(len(line) - len(line.lstrip(" "))), None)
        for line in re.findall(r"[^\n]*\n", lines)
    ]


def _lines_after(collection: Any, key: Any, *, take: bool = False, put: str = "") -> str:
    """The whole lines (comments, blank lines) after the member ``key`` of a ruamel.yaml
    collection and before the next one, which ruamel.yaml keeps with the last scalar written
    before them, after the comment on its line: removed (``take``) or given (``put``).

    A mapping's keys are reordered; the comment at the end of a key's line goes with it, and the
    lines after the i-th key are placed by :func:`_mapping`."""
    # deferred: ruamel.yaml, with _writer
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
    from ruamel.yaml.tokens import CommentToken

    value = collection[key]
    while isinstance(value, (CommentedMap, CommentedSeq)) and len(value):  # the last scalar written
        collection, key = value, (list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1)
        value = collection[key]
    slot = 2 if isinstance(collection, CommentedMap) else 0
    entry = collection.ca.items.setdefault(key, [None, None, None, None])
    token = entry[slot]
    if put:
        if token is None:
            entry[slot] = CommentToken("\n" + put, CommentMark(0), None)
        else:
            token.value = token.value.partition("\n")[0] + "\n" + put
        return put
    if token is None:
        return ""
    whole: str = token.value
    line, _, rest = whole.partition("\n")
    if isinstance(value, (LiteralScalarString, FoldedScalarString)):  # its last line break ends
        line, rest = "", whole  # the scalar: the comment after it has a line of its own
    if take:
        token.value = line + "\n"
    return rest


def _comments(old: Any, new: Any, keys: dict[Any, Any] | None) -> None:
    """Carry the comments of ruamel.yaml's collection ``old`` over to ``new``: those before and
    after it, and each key's or item's (``keys`` maps a mapping's keys to the new ones)."""
    new.ca.comment = old.ca.comment
    new.ca.end = old.ca.end
    for key, comment in old.ca.items.items():
        new.ca.items[key if keys is None else keys.get(key, key)] = comment
    if not len(old):
        new.fa.set_flow_style()
    else:
        new.fa.set_block_style()


def _scalar(value: Any) -> Any:
    """A scalar as ruamel.yaml is to write it: a string in its :func:`style`."""
    # deferred: ruamel.yaml, with _writer
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if not isinstance(value, str):
        return value
    chosen = style(value)
    if chosen == '"':
        return DoubleQuotedScalarString(value)
    return SingleQuotedScalarString(value) if chosen == "'" else value
