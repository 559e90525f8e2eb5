"""链主: rank a chain's enterprises by their structural weight in it.

For enterprise E with links Lₑ in the chain (in scope):

- ``links_covered``  = |Lₑ|
- ``downstream_fed`` = chain links reachable from Lₑ along ``supplies``, not in Lₑ (a sub-link
  feeds what its parent links feed)
- ``centrality``     = share of the chain's other enterprises that sit in Lₑ or in a link one
  ``supplies`` step from Lₑ (either direction) — E's neighbourhood in the enterprise–link graph
- ``score`` = 0.4·links_covered/max + 0.3·downstream_fed/max + 0.3·centrality, rounded to 4 places

Ranked by score (desc), name, id. With k = max(3, number of declared leaders): a declared leader
(chainLeader true) ranked below k is flagged ``declared_not_borne_out``; an undeclared enterprise
ranked within k whose score is at least the lowest declared leader's (or any, when none is
declared) is flagged ``strong_undeclared``.
"""
from __future__ import annotations

from ._vocab import A
from .gaps import chain_enterprises
from .order import chain_links
from .records import LeaderRow
from .scope import resolve_chain
from .support import Facts, facts

__all__ = ["leaders", "rank_leaders"]


def leaders(kg, chain: str, region=None, *, f: Facts | None = None) -> list[LeaderRow]:
    f = f or facts(kg, region)
    node = f.node
    c = resolve_chain(kg, chain)
    return rank_leaders(node[c]["name"], chain_links(kg, c), chain_enterprises(f, kg, c), f.enterprises,
                        lambda e: (node[e]["name"], node[e].get(A.chainLeader), f.region(e)))


def rank_leaders(cname, rows, of, link_enterprises, info) -> list[LeaderRow]:
    """The ranking described above, from plain facts (the memory and Neo4j backends share it).

    ``rows`` the chain's LinkRows in chain order; ``of`` {enterprise: its in-scope links of the
    chain}; ``link_enterprises(link)`` the in-scope enterprises of a link; ``info(enterprise)``
    ``(name, chainLeader, region)``.
    """
    by_id = {r.link_id: r for r in rows}

    def eff(l, seen=()):
        """A sub-link feeds what its parents feed: its supplies and its ancestors'."""
        out = set(by_id[l].supplies)
        for p in by_id[l].parents:
            if p in by_id and p not in seen:
                out |= eff(p, seen + (l,))
        return out

    sup = {l: eff(l) for l in by_id}
    adj = {l: set(s) for l, s in sup.items()}
    for l, s in sup.items():
        for v in s:
            adj[v].add(l)
    total = len(of)
    about = {e: info(e) for e in of}
    reach_cache, near_cache = {}, {}

    def reach(l):
        s = reach_cache.get(l)
        if s is None:
            s, todo = set(), [l]
            while todo:
                x = todo.pop()
                for v in sup.get(x, ()):
                    if v not in s:
                        s.add(v)
                        todo.append(v)
            reach_cache[l] = s
        return s

    def near(ls):
        n = near_cache.get(ls)
        if n is None:
            linkset = set(ls)
            for l in ls:
                linkset |= adj.get(l, set())
            people = set()
            for l in linkset:
                people.update(link_enterprises(l))
            n = near_cache[ls] = len(people)
        return n

    raw = []
    for e, ls in of.items():
        key = frozenset(ls)
        down = set()
        for l in key:
            down |= reach(l)
        down -= key
        cen = (near(key) - 1) / (total - 1) if total > 1 else 0.0
        raw.append((e, len(key), len(down), cen))
    mx_l = max((r[1] for r in raw), default=0) or 1
    mx_d = max((r[2] for r in raw), default=0) or 1
    scored = []
    for e, nl, nd, cen in raw:
        score = round(0.4 * nl / mx_l + 0.3 * nd / mx_d + 0.3 * cen, 4)
        scored.append((e, nl, nd, round(cen, 4), score))
    scored.sort(key=lambda r: (-r[4], about[r[0]][0], r[0]))
    declared = [r for r in scored if about[r[0]][1] is True]
    k = max(3, len(declared))
    floor = min((r[4] for r in declared), default=None)
    out = []
    for i, (e, nl, nd, cen, score) in enumerate(scored, 1):
        name, dec, region = about[e]
        flag = ""
        if dec is True and i > k:
            flag = "declared_not_borne_out"
        elif dec is not True and i <= k and (floor is None or score >= floor):
            flag = "strong_undeclared"
        out.append(LeaderRow(cname, i, e, name, region, dec, nl, nd, cen, score, flag))
    return out
