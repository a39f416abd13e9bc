"""A statement's ``medium`` is stated in its passage (DD331, a warning).

``medium`` is recorded only where the text states it. The rule: the statement's anchored
passage (its ``anchors``' exact texts) holds one of the medium's words (:data:`MEDIUM_WORDS`),
as a whole word, in any case. "Kommersant columnist Dmitry Drize … He wrote" says who the
writer is, not that the piece was a column: ``columnist`` is not ``column``.
"""

from __future__ import annotations

import re
from typing import Any

from ...codes import Kind, rule, warning
from .context import Anchors, Finding
from .kinds import CODEBOOK_1_1

#: The words that state each medium (whole words, any case); the README and the ``medium``
#: description of the statements schema list them too. A value of the schema's enum must have
#: words here (tests/test_codebook_rules.py checks it).
MEDIUM_WORDS: dict[str, tuple[str, ...]] = {
    "telegram-channel": ("Telegram",),
    "web-poll": ("poll", "polls", "survey"),
    "interview": ("interview", "interviews", "interviewed"),
    "column": ("column", "columns", "op-ed"),
    "written-response": ("response", "reply"),
}

_PATTERNS = {
    medium: re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE)
    for medium, words in MEDIUM_WORDS.items()
}


@rule(
    Kind.RECORD,
    ("statements",),
    warning("DD331", "a statement's medium without a word for it in its anchored passage"),
    when="medium",
    since=CODEBOOK_1_1,
)
def medium_stated(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    """DD331: the passage holds a word for the statement's medium."""
    medium, anchors = data.get("medium"), data.get("anchors")
    pattern = _PATTERNS.get(medium) if type(medium) is str else None
    if pattern is None or type(anchors) is not list:
        return  # no medium, or one the schema does not know (it reports that)
    passages = [a["exact"] for a in anchors if type(a) is dict and type(a.get("exact")) is str]
    if not passages or any(pattern.search(text) for text in passages):
        return
    words = ", ".join(MEDIUM_WORDS[str(medium)])
    message = f"medium {medium!r} is not stated in the anchored passage: it holds none of its words ({words})"
    out.append(Finding(index, "DD331", message, "/medium", False))
