"""Reading an exported site back, for the site's tests: each page's links, ids and marked
passages, found with the standard library's HTML parser (the pages as a browser gets them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: Elements with no end tag: never on the stack of open elements.
_VOID = {"meta", "link", "br", "img", "input", "hr", "circle", "path"}


@dataclass
class Page:
    """What a page holds: its ids, its links (``href`` values) and the text inside each element
    that carries an attribute named in ``collect`` (by that attribute's value), in order, but
    the labels the page adds to the text (elements with ``data-label``)."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    attributes: list[dict[str, str]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, collect: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.collect = collect
        self.open: list[tuple[str, list[tuple[str, str]]]] = []

    def _record(self, tag: str, attrs: list[tuple[str, str | None]]) -> dict[str, str]:
        """Note an element's attributes, id and link; its attributes."""
        values = {k: v or "" for k, v in attrs}
        self.page.attributes.append({"tag": tag, **values})
        if "id" in values:
            self.page.ids.add(values["id"])
        if "href" in values:
            self.page.links.append(values["href"])
        return values

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = self._record(tag, attrs)
        if tag in _VOID:
            return
        keys = [(name, values[name]) for name in self.collect if name in values]
        if "data-label" in values:  # a label the page adds (a passage's speaker): not the text's
            keys = [("data-label", "")]
        self.open.append((tag, keys))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._record(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if any(keys == [("data-label", "")] for _, keys in self.open):
            return
        for _, keys in self.open:
            for key in keys:
                self.page.texts[key] = self.page.texts.get(key, "") + data


def read_page(path: Path, collect: tuple[str, ...] = ()) -> Page:
    """The page at ``path``; ``collect``: attributes whose elements' text is gathered, keyed
    by (attribute, value), pieces with one value joined in document order."""
    reader = _Reader(collect)
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page
