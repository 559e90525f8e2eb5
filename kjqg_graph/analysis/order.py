"""Chain order: links upstream → downstream.

Links are ordered by stage (上游, 中游, 下游, then links without a stage); inside a stage,
topologically along ``supplies`` (a supplier before the links it feeds), ties broken by name
then id. A ``supplies`` cycle is broken at the smallest remaining link by (name, id).
"""
from __future__ import annotations

import heapq

from ..vocab import vocabulary
from ._vocab import A, K, R
from .records import LinkRow

__all__ = ["chain_links", "chain_order", "order_from_rows", "stage_rank", "link_parents",
           "link_ancestors", "link_descendants", "neighbours"]

_STAGES = vocabulary().scheme_values("StageScheme")
_RANK = {s: i for i, s in enumerate(_STAGES)}


def stage_rank(stage) -> int:
    return _RANK.get(stage, len(_STAGES))


def chain_links(kg, chain: str) -> list[LinkRow]:
    """chain_links: the links of ``chain`` with stage, parents and supplies (ids), by link id."""
    node, succ, pred = kg._node, kg._succ, kg._pred
    ids = [l for l, kd in pred[chain].items() if R.partOf in kd and node[l]["kind"] == K.ChainLink]
    members = set(ids)
    cname = node[chain]["name"]
    rows = []
    for l in sorted(ids):
        parents, supplies = [], []
        for v, kd in succ[l].items():
            if R.subLinkOf in kd:
                parents.append(v)
            if R.supplies in kd and v in members:
                supplies.append(v)
        rows.append(LinkRow(cname, l, node[l]["name"], node[l].get(A.stage), tuple(sorted(parents)),
                            tuple(sorted(supplies))))
    return rows


def order_from_rows(rows: list[LinkRow]) -> list[str]:
    """Link ids upstream → downstream (see module doc) from chain_links rows."""
    by_id = {r.link_id: r for r in rows}
    key = {r.link_id: (stage_rank(r.stage), r.link, r.link_id) for r in rows}
    indeg = {l: 0 for l in by_id}
    succs = {l: [] for l in by_id}
    for r in rows:
        for v in r.supplies:
            if v in by_id and v != r.link_id and stage_rank(by_id[v].stage) == stage_rank(r.stage):
                succs[r.link_id].append(v)
                indeg[v] += 1
    out, done = [], set()
    for st in sorted({k[0] for k in key.values()}):
        group = [l for l in by_id if key[l][0] == st]
        heap = [key[l] for l in group if indeg[l] == 0]
        heapq.heapify(heap)
        remaining = set(group)
        while remaining:
            if not heap:             # a cycle: break it at the smallest link
                k = min(key[l] for l in remaining)
                indeg[k[2]] = 0
                heap = [k]
            _, _, l = heapq.heappop(heap)
            if l in done:
                continue
            done.add(l)
            remaining.discard(l)
            out.append(l)
            for v in succs[l]:
                if v in remaining:
                    indeg[v] -= 1
                    if indeg[v] == 0:
                        heapq.heappush(heap, key[v])
    return out


def chain_order(kg, chain: str) -> list[str]:
    """The links of ``chain`` (ids), upstream → downstream."""
    return order_from_rows(chain_links(kg, chain))


def link_parents(kg, link: str) -> list:
    return [v for v, kd in kg._succ[link].items() if R.subLinkOf in kd]


def link_ancestors(kg, link: str) -> list:
    """Every link above ``link`` along subLinkOf, nearest first (cycles ignored)."""
    succ = kg._succ
    seen, out, frontier = {link}, [], [link]
    while frontier:
        nxt = []
        for l in frontier:
            for v, kd in succ[l].items():
                if R.subLinkOf in kd and v not in seen:
                    seen.add(v)
                    out.append(v)
                    nxt.append(v)
        frontier = sorted(nxt)
    return out


def link_descendants(kg, link: str) -> list:
    """Every link below ``link`` along subLinkOf."""
    pred = kg._pred
    seen, todo = {link}, [link]
    while todo:
        l = todo.pop()
        for u, kd in pred[l].items():
            if R.subLinkOf in kd and u not in seen:
                seen.add(u)
                todo.append(u)
    seen.discard(link)
    return sorted(seen)


def neighbours(kg, link: str) -> dict:
    """Links next to ``link`` in the same chain: {id: relation} with relation one of
    supplier, customer, parent, child, sibling (the first that applies, in that order)."""
    succ, pred = kg._succ, kg._pred
    out = {}
    for u, kd in pred[link].items():
        if R.supplies in kd:
            out.setdefault(u, "supplier")
    for v, kd in succ[link].items():
        if R.supplies in kd:
            out.setdefault(v, "customer")
    parents = [v for v, kd in succ[link].items() if R.subLinkOf in kd]
    for p in parents:
        out.setdefault(p, "parent")
    for u, kd in pred[link].items():
        if R.subLinkOf in kd:
            out.setdefault(u, "child")
    for p in parents:
        for u, kd in pred[p].items():
            if R.subLinkOf in kd and u != link:
                out.setdefault(u, "sibling")
    out.pop(link, None)
    return out
