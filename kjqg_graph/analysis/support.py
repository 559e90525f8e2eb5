"""Support paths: how innovation nodes stand behind chain links.

An innovation node N (platform, university, institute, talent, team) supports link L when

- ``direct``: N supports L;
- ``expert``: N is expert in L;
- ``via_technology``: L requires technology T and N tackles T or is expert in T;
- ``via_host``: N is a platform hosted by an enterprise that is in L;
- ``inherited``: any of the above holds for a link L is a sub-link of (at any depth).

With a region scope only nodes in scope count (see :mod:`.scope`). :class:`Facts` caches the
per-link and per-technology facts one question needs; the free functions build one for you.
"""
from __future__ import annotations

from ..vocab import A, K, R
from .records import HOW_ORDER, ResourceRow
from .scope import INNOVATION_KINDS, TACKLER_KINDS, Scope, make_scope, node_region
from .order import link_ancestors, link_descendants

__all__ = ["Facts", "facts", "own_support", "link_support", "is_supported"]

_OWN = ("direct", "expert", "via_technology", "via_host")


class Facts:
    """Cached facts about one graph under one scope (and an optional set of removed nodes)."""

    def __init__(self, kg, scope: Scope | None = None, exclude=frozenset()):
        self.kg = kg
        self.scope = scope or Scope(kg)
        self.exclude = frozenset(exclude)
        self.node, self.succ, self.pred = kg._node, kg._succ, kg._pred
        self._own = {}
        self._own_ok = {}
        self._tech_ok = {}
        self._hosts = {}
        self._ents = {}
        self._cover = {}
        self._anc = {}
        self._tacklers = {}
        self._region = {}

    # ---------------------------------------------------------------- membership
    def ok(self, n) -> bool:
        """In scope and not removed."""
        return n not in self.exclude and n in self.scope

    def alive(self, n) -> bool:
        return n not in self.exclude

    def region(self, n) -> str:
        r = self._region.get(n)
        if r is None:
            r = self._region[n] = node_region(self.kg, n)
        return r

    # ---------------------------------------------------------------- enterprises
    def enterprises(self, link) -> list:
        """Enterprises in scope directly in ``link``."""
        e = self._ents.get(link)
        if e is None:
            node = self.node
            e = self._ents[link] = [u for u, kd in self.pred[link].items()
                                    if R.inLink in kd and node[u]["kind"] == K.Enterprise and self.ok(u)]
        return e

    def covering(self, link) -> set:
        """Enterprises in scope in ``link`` or any of its sub-links."""
        c = self._cover.get(link)
        if c is None:
            c = set(self.enterprises(link))
            for d in link_descendants(self.kg, link):
                c.update(self.enterprises(d))
            self._cover[link] = c
        return c

    # ---------------------------------------------------------------- technologies
    def requires(self, link) -> list:
        return [t for t, kd in self.succ[link].items() if R.requires in kd]

    def tacklers(self, tech) -> list:
        """(node, relation) of in-scope nodes that tackle ``tech`` or are expert in it."""
        t = self._tacklers.get(tech)
        if t is None:
            node = self.node
            t = []
            for u, kd in self.pred[tech].items():
                if not self.ok(u):
                    continue
                k = node[u]["kind"]
                if R.tackles in kd and k in TACKLER_KINDS:
                    t.append((u, R.tackles))
                if R.expertIn in kd and k in INNOVATION_KINDS:
                    t.append((u, R.expertIn))
            self._tacklers[tech] = t
        return t

    def tackled(self, tech) -> bool:
        """Someone in scope tackles ``tech`` (experts alone do not count)."""
        return any(rel == R.tackles for _, rel in self.tacklers(tech))

    def _tech_supports(self, tech) -> bool:
        v = self._tech_ok.get(tech)
        if v is None:
            node = self.node
            v = self._tech_ok[tech] = any(
                node[u]["kind"] in INNOVATION_KINDS for u, _ in self.tacklers(tech))
        return v

    def _hosts_platform(self, ent) -> bool:
        v = self._hosts.get(ent)
        if v is None:
            node = self.node
            v = self._hosts[ent] = any(
                R.hostedBy in kd and node[u]["kind"] == K.InnovationPlatform and self.ok(u)
                for u, kd in self.pred[ent].items())
        return v

    # ---------------------------------------------------------------- support
    def supported_own(self, link) -> bool:
        """Some in-scope node supports ``link`` by a path of its own (fast, no rows)."""
        v = self._own_ok.get(link)
        if v is not None:
            return v
        node, ok = self.node, self.ok
        v = False
        for u, kd in self.pred[link].items():
            if (R.supports in kd or R.expertIn in kd) and node[u]["kind"] in INNOVATION_KINDS and ok(u):
                v = True
                break
        if not v:
            v = any(self._tech_supports(t) for t in self.requires(link))
        if not v:
            for u, kd in self.pred[link].items():
                if R.inLink in kd and self.alive(u) and node[u]["kind"] == K.Enterprise and self._hosts_platform(u):
                    v = True
                    break
        self._own_ok[link] = v
        return v

    def ancestors(self, link) -> list:
        a = self._anc.get(link)
        if a is None:
            a = self._anc[link] = link_ancestors(self.kg, link)
        return a

    def supported_inherited(self, link) -> bool:
        return any(self.supported_own(p) for p in self.ancestors(link))

    def supported(self, link) -> bool:
        return self.supported_own(link) or self.supported_inherited(link)

    def own(self, link) -> list:
        """(node, how, via) for every own support path of ``link``, deduplicated, unsorted."""
        o = self._own.get(link)
        if o is not None:
            return o
        node, ok = self.node, self.ok
        seen = set()
        for u, kd in self.pred[link].items():
            if node[u]["kind"] in INNOVATION_KINDS and ok(u):
                if R.supports in kd:
                    seen.add((u, "direct", ""))
                if R.expertIn in kd:
                    seen.add((u, "expert", ""))
        for t in self.requires(link):
            for u, _ in self.tacklers(t):
                if node[u]["kind"] in INNOVATION_KINDS:
                    seen.add((u, "via_technology", t))
        for e, kd in self.pred[link].items():
            if R.inLink in kd and node[e]["kind"] == K.Enterprise and self.alive(e):
                for p, k2 in self.pred[e].items():
                    if R.hostedBy in k2 and node[p]["kind"] == K.InnovationPlatform and ok(p):
                        seen.add((p, "via_host", e))
        o = self._own[link] = list(seen)
        return o

    def paths(self, link) -> list:
        """(node, how, base_how, via, from_link) for every path, own then inherited."""
        out = [(n, how, how, via, "") for n, how, via in self.own(link)]
        for p in self.ancestors(link):
            out.extend((n, "inherited", how, via, p) for n, how, via in self.own(p))
        return out

    def supporters(self, link) -> set:
        return {n for n, _, _ in self.own(link)}


def facts(kg, region: str | None = None, exclude=frozenset()) -> Facts:
    """A :class:`Facts` for ``region`` (a name or id; None for everything)."""
    return Facts(kg, make_scope(kg, region), exclude)


def _resource_rows(f: Facts, chain_name: str, link: str) -> list[ResourceRow]:
    node = f.node
    lname, stage = node[link]["name"], node[link].get(A.stage)
    rows = []
    for n, how, base, via, frm in f.paths(link):
        d = node[n]
        rows.append(ResourceRow(
            chain_name, link, lname, stage, n, d["name"], d["kind"],
            d.get(A.level) or d.get(A.talentLevel), f.region(n), how, base,
            via, node[via]["name"] if via else "", frm, node[frm]["name"] if frm else ""))
    rows.sort(key=lambda r: (HOW_ORDER[r.how], r.node, r.node_id, HOW_ORDER[r.base_how], r.from_link,
                             r.from_link_id, r.via, r.via_id))
    return rows


def link_support(kg, link: str, region: str | None = None, *, f: Facts | None = None) -> list[ResourceRow]:
    """Every support path of ``link`` (own and inherited), sorted by how, node, path."""
    f = f or facts(kg, region)
    chain = next((c for c, kd in kg._succ[link].items() if R.partOf in kd), None)
    return _resource_rows(f, kg.name(chain) if chain else "", link)


def own_support(kg, link: str, region: str | None = None) -> list[ResourceRow]:
    """Only the paths of ``link``'s own (no inheritance)."""
    return [r for r in link_support(kg, link, region) if r.how != "inherited"]


def is_supported(kg, link: str, region: str | None = None) -> bool:
    return facts(kg, region).supported(link)
