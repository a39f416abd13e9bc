"""A stance's holder: the references it makes, and the rule that it is not the speaker itself.

A stance may name its ``holder``, the actor whose position the statement reports (the publisher
reporting that a ministry opposes a measure); absent, the speaker holds it. The holder is a
reference to an actor like the speaker (DD302, DD119: the join resolves it); naming the speaker
as holder says nothing the absence does not, and is more likely a slip for another actor (DD330).
"""

from __future__ import annotations

from typing import Any

from ...codes import Kind, rule, warning
from ...display import excerpt
from .context import REFERENCES, Anchors, Finding, Reference

#: The reference slot of a stance's holder.
HOLDER = REFERENCES.index(("statements", "stances/*/holder", "actors"))


def holder_references(index: int, stances: list[Any]) -> list[Reference]:
    """The holders named by a statement's ``stances`` (a list, as read), as
    :func:`~.context.references_of` gives them: after every proposal of the statement."""
    # Most stances name no holder: one look at each finds that, before any list is built.
    for stance in stances:
        if type(stance) is dict and "holder" in stance:
            return [
                (index, HOLDER, i, item["holder"])
                for i, item in enumerate(stances)
                if type(item) is dict and type(item.get("holder")) is str
            ]
    return []


@rule(
    Kind.RECORD,
    ("statements",),
    warning("DD330", "a stance's holder that is the statement's own speaker (who holds it unsaid)"),
    when="stances",
)
def _own_holders(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    """DD330: a holder is another actor than the speaker."""
    stances = data.get("stances")
    if type(stances) is not list:
        return  # the schema reports it
    for i, stance in enumerate(stances):
        # Most stances name no holder: one look at each finds that, before the speaker is read.
        if type(stance) is dict and "holder" in stance:
            speaker = data.get("speaker")
            if type(speaker) is str and stance["holder"] == speaker:
                message = (
                    f"holder {excerpt(speaker)!r} is the statement's speaker: leave it out "
                    "(the speaker holds a stance that names no holder)"
                )
                out.append(Finding(index, "DD330", message, f"/stances/{i}/holder", False))
