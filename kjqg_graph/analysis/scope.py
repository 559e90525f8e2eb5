"""Which chains and which nodes a question is about.

A region scope R holds the nodes located in R or in any place inside R (``locatedIn`` is
followed transitively through regions and zones). A node without a ``locatedIn`` of its own
takes the location of its host (``hostedBy``), organisation (``affiliatedWith``) or lead
(``ledBy``), one step only. Without a region every node is in scope.
"""
from __future__ import annotations

from difflib import get_close_matches

from ..errors import NodeNotFoundError
from ._vocab import K, R

__all__ = ["Scope", "resolve_chain", "resolve_region", "region_closure", "make_scope",
           "chains_of", "node_region", "INNOVATION_KINDS", "TACKLER_KINDS"]

INNOVATION_KINDS = frozenset({K.InnovationPlatform, K.University, K.ResearchInstitute, K.Talent, K.TalentTeam})
TACKLER_KINDS = INNOVATION_KINDS | {K.Enterprise, K.Project}
_PLACES = (K.Region, K.InnovationZone)
_FALLBACK = (R.hostedBy, R.affiliatedWith, R.ledBy)
_LOCATED = R.locatedIn


def _resolve(kg, name, kinds, what):
    for k in kinds:
        if kg.has_node(name) and kg.kind(name) == k:
            return name
    found = [n for k in kinds for n in kg.find(name, k)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise NodeNotFoundError(f"{len(found)} {what}s are named {name!r}: {', '.join(sorted(found))}; pass the id")
    names = sorted({kg.name(n) for k in kinds for n in kg.nodes(k)})
    close = get_close_matches(name, names, n=5, cutoff=0.3)
    hint = f"; did you mean {'、'.join(close)}?" if close else (
        f"; the graph has: {'、'.join(names[:12])}" if names else "; the graph has none")
    raise NodeNotFoundError(f"no {what} named {name!r}{hint}")


def resolve_chain(kg, name: str) -> str:
    """The id of the chain called ``name`` (or with that id)."""
    return _resolve(kg, name, (K.IndustryChain,), "chain")


def resolve_region(kg, name: str) -> str:
    """The id of the region or innovation zone called ``name`` (or with that id)."""
    return _resolve(kg, name, _PLACES, "region")


def region_closure(kg, region: str) -> frozenset:
    """``region`` and every place located inside it, at any depth."""
    pred, node = kg._pred, kg._node
    seen, todo = {region}, [region]
    while todo:
        p = todo.pop()
        for u, kd in pred[p].items():
            if R.locatedIn in kd and node[u]["kind"] in _PLACES and u not in seen:
                seen.add(u)
                todo.append(u)
    return frozenset(seen)


class Scope:
    """The nodes a question counts. ``region is None`` means every node."""

    def __init__(self, kg, region: str | None = None):
        self.region = region
        self.region_name = kg.name(region) if region else None
        self.members = None
        if region is None:
            return
        succ, pred = kg._succ, kg._pred
        members = set()
        places = region_closure(kg, region)
        for p in places:
            members.update(u for u, kd in pred[p].items() if R.locatedIn in kd)
        members.update(places)
        fallback = set()
        for o in list(members):
            for u, kd in pred[o].items():
                if u in members or not any(r in kd for r in _FALLBACK):
                    continue
                if not any(R.locatedIn in k2 for k2 in succ[u].values()):
                    fallback.add(u)
        members |= fallback
        self.members = frozenset(members)

    def __contains__(self, n) -> bool:
        return self.members is None or n in self.members

    @property
    def everything(self) -> bool:
        return self.members is None


def make_scope(kg, region: str | None) -> Scope:
    """A scope from a region name or id (None: everything)."""
    return Scope(kg, resolve_region(kg, region) if region else None)


def chains_of(kg, chain: str | None) -> list:
    """The chain ids a question covers: the one named, or all by name."""
    if chain:
        return [resolve_chain(kg, chain)]
    return sorted(kg.nodes(K.IndustryChain), key=lambda c: (kg.name(c), c))


def node_region(kg, n: str) -> str:
    """Names of the places a node is located in (its own, else its host's), joined by 、."""
    succ, node = kg._succ, kg._node
    own = [p for p, kd in succ[n].items() if _LOCATED in kd]
    if own:
        if len(own) == 1:                       # the usual case: one place, no sort or join
            return node[own[0]]["name"]
        return "、".join(sorted(node[p]["name"] for p in own))
    names = {node[p]["name"] for o, kd in succ[n].items() if any(r in kd for r in _FALLBACK)
             for p, k2 in succ[o].items() if R.locatedIn in k2}
    return "、".join(sorted(names))
