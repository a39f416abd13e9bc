"""The PyYAML parsers files are read with: libyaml's when it is installed, and the pure-Python
one, made to place an empty flow key or value where libyaml places it."""

from __future__ import annotations

from typing import Any

import yaml


class PureLoader(yaml.SafeLoader):
    """PyYAML's pure-Python reader, placing an empty flow key or value where libyaml places it.

    In ``{a: }``, ``[a: ]`` and ``{? : b}`` the pure parser puts the empty node at the end of the
    ``:`` or ``?`` before it, libyaml at the start of the token after it (the ``}``); in
    ``[? : b]`` and ``[? , b]`` libyaml puts the empty key after that token: a column or two
    apart. libyaml's place is taken, so that a message has the same position whichever reader is
    installed. The methods are PyYAML's own, but for that mark.
    """

    def _empty_before_next_token(self) -> Any:
        parser: Any = self  # PyYAML's parser methods are untyped
        return parser.process_empty_scalar(parser.peek_token().start_mark)

    def parse_flow_mapping_key(self, first: bool = False) -> Any:
        parser: Any = self
        if not parser.check_token(yaml.FlowMappingEndToken):
            if not first:
                if parser.check_token(yaml.FlowEntryToken):
                    parser.get_token()
                else:
                    token = parser.peek_token()
                    raise yaml.parser.ParserError(
                        "while parsing a flow mapping",
                        parser.marks[-1],
                        f"expected ',' or '}}', but got {token.id!r}",
                        token.start_mark,
                    )
            if parser.check_token(yaml.KeyToken):
                parser.get_token()
                if not parser.check_token(yaml.ValueToken, yaml.FlowEntryToken, yaml.FlowMappingEndToken):
                    parser.states.append(parser.parse_flow_mapping_value)
                    return parser.parse_flow_node()
                parser.state = parser.parse_flow_mapping_value
                return self._empty_before_next_token()
            if not parser.check_token(yaml.FlowMappingEndToken):
                parser.states.append(parser.parse_flow_mapping_empty_value)
                return parser.parse_flow_node()
        return super().parse_flow_mapping_key(first)

    def parse_flow_sequence_entry_mapping_key(self) -> Any:
        parser: Any = self
        parser.get_token()
        if not parser.check_token(yaml.ValueToken, yaml.FlowEntryToken, yaml.FlowSequenceEndToken):
            parser.states.append(parser.parse_flow_sequence_entry_mapping_value)
            return parser.parse_flow_node()
        parser.state = parser.parse_flow_sequence_entry_mapping_value
        token = parser.peek_token()  # libyaml: after a ':' or ',', at a ']'
        return parser.process_empty_scalar(
            token.start_mark if isinstance(token, yaml.FlowSequenceEndToken) else token.end_mark
        )

    def _flow_value(self, end: type, after: Any) -> Any:
        """A flow pair's value, or (none written) an empty one placed as libyaml places it; then
        the parser goes on with ``after``. ``end`` closes the collection the pair is in."""
        parser: Any = self
        if parser.check_token(yaml.ValueToken):
            parser.get_token()
            if not parser.check_token(yaml.FlowEntryToken, end):
                parser.states.append(after)
                return parser.parse_flow_node()
        parser.state = after
        return self._empty_before_next_token()

    def parse_flow_mapping_value(self) -> Any:
        return self._flow_value(yaml.FlowMappingEndToken, self.parse_flow_mapping_key)

    def parse_flow_sequence_entry_mapping_value(self) -> Any:
        return self._flow_value(yaml.FlowSequenceEndToken, self.parse_flow_sequence_entry_mapping_end)


try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _FastLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover
    _FastLoader = PureLoader  # type: ignore[assignment,misc]

    HAVE_LIBYAML = False


def yaml_loader(text: str, *, pure: bool) -> Any:
    """A PyYAML loader of ``text``, for its events: :class:`PureLoader` with ``pure`` or where
    libyaml is not installed, else libyaml's. The pure reader may refuse the text here (a
    ``yaml.YAMLError``)."""
    return (PureLoader if pure else _FastLoader)(text)
