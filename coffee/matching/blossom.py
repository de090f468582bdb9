"""Edmonds' augmenting paths (with blossoms) on the "not yet met" graph: a maximum matching."""

from __future__ import annotations

from collections import deque
from itertools import chain

from coffee.matching.round import Graph, Group


def augment(root: int, nodes: list[int], graph: Graph, mate: dict[int, int]) -> bool:
    """Look for an augmenting path from the exposed ``root`` and flip it if found."""
    if all(v in mate or v == root for v in nodes):
        return False
    return search(root, nodes, graph, mate) is None


def search(root: int, nodes: list[int], graph: Graph, mate: dict[int, int]) -> set[int] | None:
    """Edmonds' search from the exposed ``root`` within ``nodes``.

    Flips the first augmenting path found and returns None; when there is none,
    returns the outer vertices: those an even alternating path reaches from
    ``root``, i.e. who could be left out instead of ``root``. Exposed vertices
    are tried first: in a nearly complete graph a path of length one or three
    then turns up after O(n) look-ups.
    """
    free = [v for v in nodes if v not in mate and v != root]
    parent: dict[int, int] = {}
    base = {v: v for v in nodes}
    outer = {root}
    queue = deque([root])
    while queue:
        v = queue.popleft()
        near = (u for u in free if graph.adjacent(v, u))
        for to in chain(near, graph.neighbors(v)):
            if to not in base or base[v] == base[to] or mate.get(v) == to:
                continue
            if to == root or (to in mate and mate[to] in parent):
                _contract(v, to, nodes, base, mate, parent, outer, queue)
            elif to not in parent:
                parent[to] = v
                if to not in mate:
                    _flip(to, parent, mate)
                    return None
                outer.add(mate[to])
                queue.append(mate[to])
    return outer


def _contract(
    v: int,
    to: int,
    nodes: list[int],
    base: dict[int, int],
    mate: dict[int, int],
    parent: dict[int, int],
    outer: set[int],
    queue: deque[int],
) -> None:
    """Shrink the odd cycle closed by the edge v-to into a blossom."""
    top = _common_base(v, to, base, mate, parent)
    blossom: set[int] = set()
    _mark_path(v, top, to, base, mate, parent, blossom)
    _mark_path(to, top, v, base, mate, parent, blossom)
    for u in nodes:
        if base[u] in blossom:
            base[u] = top
            if u not in outer:
                outer.add(u)
                queue.append(u)


def _common_base(
    a: int, b: int, base: dict[int, int], mate: dict[int, int], parent: dict[int, int]
) -> int:
    seen = set()
    while True:
        a = base[a]
        seen.add(a)
        if a not in mate:
            break
        a = parent[mate[a]]
    while True:
        b = base[b]
        if b in seen:
            return b
        b = parent[mate[b]]


def _mark_path(
    v: int,
    top: int,
    child: int,
    base: dict[int, int],
    mate: dict[int, int],
    parent: dict[int, int],
    blossom: set[int],
) -> None:
    while base[v] != top:
        blossom.add(base[v])
        blossom.add(base[mate[v]])
        parent[v] = child
        child = mate[v]
        v = parent[mate[v]]


def _flip(end: int, parent: dict[int, int], mate: dict[int, int]) -> None:
    v: int | None = end
    while v is not None:
        up = parent[v]
        after = mate.get(up)
        mate[v], mate[up] = up, v
        v = after


def matched_pairs(mate: dict[int, int]) -> list[Group]:
    return sorted((v, w) for v, w in mate.items() if v < w)
