"""Constructs PyYAML's parsers (YAML 1.1 readers) read otherwise than YAML 1.2 does, found in their
tokens, so that a file holding one is refused (DD102) instead of read as another value. libyaml
and the pure-Python parser scan them alike:

* an anchor or alias whose name goes on where PyYAML ends it (``&an:chor``): a YAML 1.2 name runs
  to a space or a flow indicator (``,[]{}``), PyYAML's stops before any of ``:?%@``\\` and the rest
  is read as the value (``key: &an:chor value`` is ``{"key": ":chor value"}`` to PyYAML);
* a ``?`` followed by text in a flow collection (``[?x]``, ``{ ?foo: bar }``): the plain scalar
  ``?x`` to YAML 1.2, a key marked by ``?`` and the text ``x`` to PyYAML;
* a comment (``#``) right after other text, without a space (``"value"# note``, ``[a]#``,
  ``>#``): an error to YAML 1.2, a comment to PyYAML (a file YAML 1.2 readers refuse);
* a ``-`` alone before ``,``, ``]`` or ``}`` in a flow collection (``[-]``, ``[-, a]``): an error
  to YAML 1.2 (a ``-`` starts text only before a character that may follow it), the text ``-``
  to PyYAML;
* a block scalar (``|``, ``>``, not stripped with ``-``) whose last line ends the file without a
  line break: YAML 1.2 readers and PyYAML put different line breaks after that line (a line of
  spaces, say).

The tokens are scanned once, and only for a text that may hold one of these: whose events hold
an anchor or alias, a flow collection (in a text with a ``?``), a block scalar (in a text not
ending with a line break) or a plain ``-`` (in a text with a ``-`` before a flow indicator)
(:meth:`Watch.wanted`), or whose text has a ``#`` right after other text (:func:`may_misread`).
The scan stops at a syntax error, which the reading itself reports.

The watch also feeds every event to :class:`~dispatchdata.read.yaml_indent.Indents`, which finds
the lines YAML 1.2 refuses for their indentation (a scan that comes first looks for them in all
the text's events); the quick reader finds them in its own events, and leaves a text holding
one to the builder.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..display import excerpt
from .yaml_indent import Indents
from .yaml_loaders import yaml_loader

#: Where PyYAML ends an anchor's or alias's name and YAML 1.2 goes on with it.
_NAME_GOES_ON = frozenset(":?%@`")
#: Where YAML 1.2 ends a name or a plain scalar's first word: a space, a line break, a flow indicator.
_WORD_ENDS = frozenset(" \t\r\n,[]{}")
#: A '#' right after other text: a comment without its space, or (most often) text, as in 'C#'.
_HASH_AFTER_TEXT = re.compile(r"[^\s]#")
#: A '-' before a flow indicator: alone, a value YAML 1.2 refuses; or (most often) the end of text.
_DASH_BEFORE_END = re.compile(r"-[,\]}]")
#: A block scalar's header up to a comment: its indicator, chomping and indentation.
_HEADER = re.compile(r"[|>][-+0-9]*")


def may_misread(text: str) -> bool:
    """Whether a text is left to the builder, whose events are watched (:class:`Watch`) whatever
    the quick reader would make of them: it ends without a line break (a block scalar may end the
    file so) or has a '#' right after text. (A '-' alone in a flow collection is a plain scalar's
    event, and a line YAML 1.2 refuses for its indentation is found in the events, by the quick
    reader itself.)"""
    return text[-1:] not in ("", "\n", "\r") or ("#" in text and _HASH_AFTER_TEXT.search(text) is not None)


class Watch:
    """One text's watch for the constructs: which events call for the scan, and the scan."""

    __slots__ = ("content_end", "dash", "found", "hash", "indents", "open_end", "pure", "question", "text")

    def __init__(self, text: str, *, pure: bool) -> None:
        self.text = text
        self.pure = pure
        self.question = "?" in text  # no '?': no key marked by one
        self.open_end = text[-1:] not in ("", "\n", "\r")  # a line break last: no block scalar ends the file
        self.content_end = len(text.rstrip(" \t")) if self.open_end else 0  # then spaces and tabs only
        self.hash = "#" in text and _HASH_AFTER_TEXT.search(text) is not None  # scanned at once
        self.dash = _DASH_BEFORE_END.search(text) is not None  # then a '-' alone may be in a flow
        self.indents: Indents | None = Indents(text)  # fed every event, until the scan
        self.found: tuple[str, int, int] | None = None  # a line it refuses

    def wanted(self, event: Any) -> bool:
        """Whether an event may come from one of the constructs: an anchor or alias, a flow
        collection in a text with a ``?``, a block scalar in a text ending without a line break,
        any event of a text with a '#' right after other text, a plain '-' before a flow indicator;
        and an event that shows a line :class:`~dispatchdata.read.yaml_indent.Indents` refuses."""
        if self.indents is not None and (found := self.indents.feed(event)) is not None:
            self.found = found
            return True
        if self.hash or event.__class__ is yaml.AliasEvent or getattr(event, "anchor", None) is not None:
            return True
        if self.question and getattr(event, "flow_style", False):
            return True
        if self.dash and getattr(event, "value", None) == "-" and event.implicit[0]:  # plain
            return True
        return self.open_end and getattr(event, "style", None) in ("|", ">")

    def scan(self) -> tuple[str, int, int] | None:
        """The first construct in the text: what to say, and its line and column. The scan ends
        the watch of events: a line not yet watched is looked for in all the text's events."""
        tokens = self._tokens()
        lines = self.found if self.found is not None else _indent_problem(self.text, self.pure)
        self.indents = None
        found = [f for f in (tokens, lines) if f is not None]
        return min(found, key=lambda f: (f[1], f[2])) if found else None

    def _tokens(self) -> tuple[str, int, int] | None:
        """The first construct found in the text's tokens."""
        loader = yaml_loader(self.text, pure=self.pure)
        depth, previous = 0, None  # the depth of flow collections; the token before
        try:
            while loader.check_token():
                token = loader.get_token()
                kind = token.__class__
                if kind in (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken):
                    depth += 1
                elif kind in (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken):
                    depth -= 1
                if self.hash and (comment := self._comment(token, previous)) is not None:
                    return comment
                found = self._misread(token, kind, depth)
                if found is not None:
                    mark = token.start_mark
                    return found, mark.line + 1, mark.column + 1
                previous = token
        except yaml.YAMLError:
            return None  # a syntax error, which the reading reports
        finally:
            loader.dispose()
        return None

    def _comment(self, token: Any, previous: Any) -> tuple[str, int, int] | None:
        """A comment's '#' right after the token before this one, or after a block scalar's
        header: what to say, and its line and column."""
        text, mark, at, begin = self.text, None, -1, 0
        if (
            previous is not None
            and previous.start_mark.index < previous.end_mark.index < token.start_mark.index
        ):
            mark, at = previous.end_mark, previous.end_mark.index  # (tokens of no width mark no text)
            begin = previous.start_mark.index
        header = _HEADER.match(text, token.start_mark.index)
        if text[at : at + 1] != "#" and token.__class__ is yaml.ScalarToken and header is not None:
            mark, at, begin = token.start_mark, header.end(), header.start()  # a column further
        if mark is None or text[at : at + 1] != "#":
            return None
        before = text[max(begin, at - 20) : at].split("\n")[-1]  # the token's text
        message = (
            f"'#' right after {excerpt(before)!r} without a space: a comment to YAML 1.1 readers"
            " (PyYAML), an error to YAML 1.2 readers; put a space before the '#'"
        )
        return message, mark.line + 1, mark.column + 1 + at - mark.index

    def _misread(self, token: Any, kind: type, depth: int) -> str | None:
        """What to say of a token that is one of the constructs, or None."""
        text, start, end = self.text, token.start_mark.index, token.end_mark.index
        if kind in (yaml.AnchorToken, yaml.AliasToken):
            if text[end : end + 1] in _NAME_GOES_ON:
                return _name_message(text[start], token.value, text[end : _word_end(text, end)])
        elif kind is yaml.KeyToken:  # '?' in flow, or (no width) where an implicit key starts
            if depth and end == start + 1 and text[end : end + 1] not in _WORD_ENDS:
                word = excerpt(text[end : _word_end(text, end, plain=True)])
                return (
                    f"'?{word}' in a flow collection is the text '?{word}' to YAML 1.2 readers, but a"
                    f" key marked by '?' ({word!r}) to YAML 1.1 readers (PyYAML); quote it, or write"
                    f" '? {word}' for a key"
                )
        elif kind is yaml.ScalarToken and token.plain and token.value == "-" and depth:
            if text[end : end + 1] in (",", "]", "}"):
                return (
                    "'-' alone in a flow collection is text to YAML 1.1 readers (PyYAML), an error to"
                    ' YAML 1.2 readers; quote it: "-"'
                )
        elif (
            kind is yaml.ScalarToken
            and token.style in ("|", ">")
            and self.open_end
            and end >= self.content_end  # then only spaces and tabs, on a last line of the scalar's
            and ("\n" in text[start:end] or "\r" in text[start:end])  # not the header's line only
            and "-" not in text[start + 1 : start + 3]  # stripped ('|-'), its last line break is not kept
        ):
            return (
                f"a block scalar ('{token.style}') ends the file without a line break: YAML 1.2"
                " readers and YAML 1.1 readers (PyYAML) end its last line differently; end the"
                " file with a line break"
            )
        return None


def _indent_problem(text: str, pure: bool) -> tuple[str, int, int] | None:
    """The first line :class:`~dispatchdata.read.yaml_indent.Indents` refuses in all the text's
    events (up to a syntax error, which the reading reports)."""
    loader, indents = yaml_loader(text, pure=pure), Indents(text)
    try:
        while loader.check_event():
            if (found := indents.feed(loader.get_event())) is not None:
                return found
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _word_end(text: str, at: int, *, plain: bool = False) -> int:
    """Where the name at ``at`` ends, as YAML 1.2 reads it: at a space or flow indicator; the
    first word of a ``plain`` scalar in a flow collection also at a ``:`` before one (some 80
    characters at most: the word is shown)."""
    end = at
    while end < len(text) and text[end] not in _WORD_ENDS and end - at < 80:
        if plain and text[end] == ":" and text[end + 1 : end + 2] in _WORD_ENDS | {""}:
            break
        end += 1
    return end


def _name_message(sigil: str, name: str, rest: str) -> str:
    """The message for an anchor (``&``) or alias (``*``) PyYAML names ``name`` and YAML 1.2
    ``name + rest``."""
    whole, what = excerpt(name + rest), "the anchor" if sigil == "&" else "an alias of"
    return (
        f"'{sigil}{whole}' is {what} {whole!r} to YAML 1.2 readers, but {what} {excerpt(name)!r}"
        f" followed by the text {excerpt(rest)!r} to YAML 1.1 readers (PyYAML); name anchors with"
        " letters, digits, '-' and '_' only"
    )
