"""Who answers whom, for ``export site``: the actors on a circle in id order, an edge for each
statement that ``responds_to`` a statement of another actor (solid) or ``targets`` one (dashed).

The layout is arithmetic on the ids' order, with coordinates rounded to one decimal: the same
data gives the same drawing, byte for byte. Edges between one pair are bowed apart by their rank,
so none hides another; an edge from an actor to itself is a small loop outside the circle.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Actor, Statement

#: The drawing's size, the circle's radius and the nodes' radius, in SVG units.
SIZE = 760
RADIUS = 250
NODE = 7


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """An actor on the circle: where it is, and where its label goes (and how it is aligned)."""

    actor: Actor
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Edge:
    """One link: the statement (``statement``) of ``source`` that answers (``kind``
    ``responds_to``, naming the statement answered in ``answered``) or targets ``target``;
    ``path`` is its SVG path."""

    statement: Statement
    source: str
    target: str
    kind: str
    answered: str | None
    path: str


Link = tuple[Statement, str, str, "str | None"]


def iter_links(statements: Iterable[Statement], speakers: dict[str, str]) -> list[Link]:
    """Every (statement, target actor, kind, statement answered) link, statements in id order,
    each statement's responses before its targets, in the order it lists them."""
    links: list[Link] = []
    for s in sorted(statements, key=lambda s: s.id):
        links.extend((s, speakers[answered], "responds_to", answered) for answered in s.responds_to)
        links.extend((s, target, "targets", None) for target in s.targets)
    return links


def _f(value: float) -> str:
    return f"{value:.1f}"


def layout(actors: Iterable[Actor], statements: Iterable[Statement]) -> tuple[list[Node], list[Edge]]:
    """The nodes (every actor with an edge, in id order) and edges of the drawing."""
    statements = list(statements)
    speakers = {s.id: s.speaker for s in statements}
    links = iter_links(statements, speakers)
    involved = {a for s, t, _, _ in links for a in (s.speaker, t)}
    placed = sorted((a for a in actors if a.id in involved), key=lambda a: a.id)
    centre = SIZE / 2
    nodes: dict[str, Node] = {}
    for i, actor in enumerate(placed):
        angle = 2 * math.pi * i / max(len(placed), 1) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        nodes[actor.id] = Node(
            actor=actor,
            x=round(centre + RADIUS * cos, 1),
            y=round(centre + RADIUS * sin, 1),
            label_x=round(centre + (RADIUS + 14) * cos, 1),
            label_y=round(centre + (RADIUS + 14) * sin + 4, 1),
            anchor="start" if cos > 0.01 else "end" if cos < -0.01 else "middle",
        )
    ranks: dict[tuple[str, str], int] = {}
    edges = []
    for statement, target, kind, answered in links:
        pair = (statement.speaker, target)
        rank = ranks[pair] = ranks.get(pair, -1) + 1
        path = _path(nodes[statement.speaker], nodes[target], rank, centre)
        edges.append(
            Edge(statement=statement, source=pair[0], target=target, kind=kind, answered=answered, path=path)
        )
    return list(nodes.values()), edges


def _path(a: Node, b: Node, rank: int, centre: float) -> str:
    """A quadratic curve from ``a`` to ``b`` bowed towards the centre (more for each further
    edge of the pair); a loop outside the circle when ``a`` is ``b``."""
    if a is b:
        dx, dy = a.x - centre, a.y - centre
        norm = math.hypot(dx, dy) or 1.0
        ux, uy = dx / norm, dy / norm
        reach = 34 + 10 * rank
        c1 = (a.x + ux * reach - uy * 18, a.y + uy * reach + ux * 18)
        c2 = (a.x + ux * reach + uy * 18, a.y + uy * reach - ux * 18)
        return f"M{_f(a.x)},{_f(a.y)} C{_f(c1[0])},{_f(c1[1])} {_f(c2[0])},{_f(c2[1])} {_f(a.x)},{_f(a.y)}"
    pull = 0.35 + 0.12 * rank
    mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
    cx, cy = mx + (centre - mx) * pull, my + (centre - my) * pull
    # Stop short of the target node, so the arrowhead stays visible.
    dx, dy = b.x - cx, b.y - cy
    norm = math.hypot(dx, dy) or 1.0
    ex, ey = b.x - dx / norm * (NODE + 2), b.y - dy / norm * (NODE + 2)
    return f"M{_f(a.x)},{_f(a.y)} Q{_f(cx)},{_f(cy)} {_f(ex)},{_f(ey)}"
