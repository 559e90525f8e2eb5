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

from itertools import filterfalse, islice
from operator import itemgetter

from ..vocab import vocabulary
from ._vocab import A, K, R
from .records import HOW_ORDER, ResourceRow
from .scope import INNOVATION_KINDS, TACKLER_KINDS, Scope, make_scope, node_region
from .order import link_ancestors, stage_rank

__all__ = ["Facts", "facts", "own_support", "link_support", "is_supported", "reach"]

_OWN = ("direct", "expert", "via_technology", "via_host")
_FIRST = itemgetter(0)


_INLINK, _SUPPORTS, _EXPERT, _TACKLES, _REQUIRES = R.inLink, R.supports, R.expertIn, R.tackles, R.requires
_HOSTED, _SUBLINK, _PARTOF = R.hostedBy, R.subLinkOf, R.partOf
_PLATFORM, _LINK, _TECH, _ENTERPRISE = K.InnovationPlatform, K.ChainLink, K.KeyTechnology, K.Enterprise
# every kind the ontology lets tackle a technology counts as a tackler: the graph enforces the
# domain, so a tackles edge needs no look at its source node's kind
_ANY_TACKLER = frozenset(vocabulary().relations[_TACKLES]["domain"]) <= TACKLER_KINDS



def reach(start, step) -> list:
    """Every node reachable from ``start`` by repeated ``step(node)`` (start itself excluded),
    depth first. Shared by every backend's sub-link closure."""
    out, seen, todo = [], {start}, [start]
    while todo:
        for c in step(todo.pop()):
            if c not in seen:
                seen.add(c)
                out.append(c)
                todo.append(c)
    return out


def supply_neighbours(members, supplies):
    """For the links of one chain (``members``) and ``supplies[link]`` (the links it supplies),
    a function ``walk(link, forward)`` giving the set of chain links downstream (forward) or
    upstream of ``link`` along supplies, ``link`` itself excluded. The one definition of the
    up/downstream neighbourhood behind missing vs broken links, shared by every backend."""
    down = {l: [v for v in supplies.get(l, ()) if v in members] for l in members}
    up = {l: [] for l in members}
    for u, vs in down.items():
        for v in vs:
            up[v].append(u)
    return lambda link, forward: set(reach(link, (down if forward else up).__getitem__))


def min_stage(stages):
    """The most upstream of ``stages`` (None ignored), or None."""
    stages = [s for s in stages if s]
    return min(stages, key=stage_rank) if stages else None


def candidate_level(kind, chain_leader=None, high_tech=None, above_scale=None, level=None, talent_level=None):
    """The level shown for a candidate: for an enterprise 链主 / 高新技术企业 / 规上企业 (the first that
    holds), for anything else its level or talent level. One rule for every backend."""
    if kind == _ENTERPRISE:
        if chain_leader:
            return "链主"
        if high_tech:
            return "高新技术企业"
        if above_scale:
            return "规上企业"
        return None
    return level or talent_level


class Facts:
    """Cached facts about one graph under one scope (and an optional set of removed nodes).

    Hot loops rely on the ontology's domains, which the graph enforces: only enterprises have
    ``inLink`` edges, only innovation resources ``supports``, only talents/teams ``expertIn``,
    only platforms ``hostedBy``, only links ``requires``/``subLinkOf``.
    """

    def __init__(self, kg, scope: Scope | None = None, exclude=frozenset()):
        self.kg = kg
        self.scope = scope or Scope(kg)
        self.exclude = frozenset(exclude)
        self.filtering = bool(self.exclude) or not self.scope.everything
        self.node, self.succ, self.pred = kg._node, kg._succ, kg._pred
        self._ents = {}
        self._support = None
        self._cover = {}
        self._anc = {}
        self._tacklers = {}
        self._region = {}
        self._order = {}
        self._chain_order = {}      # chain id -> [(chain name, link)] in chain order
        self._chain_rows = {}       # chain id -> chain_links rows
        self._hosted = None
        self._hosted_any = None
        self._children = None
        self._struct = None
        self._suppliers = None
        self._not_ent = None
        self._cover_set = {}
        self._union = {}
        self._supporters = {}
        self._pair = {}
        self._rank_key = {}         # gap candidates: node -> its rank key inside a basis
        self._cand_sources = {}     # gap candidates: per_basis -> {(what, id): best candidate ids}
        self._unscoped = None
        self._using = None

    # ---------------------------------------------------------------- membership
    def ok(self, n) -> bool:
        """In scope and not removed."""
        return n not in self.exclude and n in self.scope

    def alive(self, n) -> bool:
        return n not in self.exclude

    def unscoped(self) -> "Facts":
        """The same facts without the region scope (same removed nodes): ``self`` without a
        region, else made once and kept (missing links and gap candidates share it)."""
        if self.scope.everything:
            return self
        g = self._unscoped
        if g is None:
            g = self._unscoped = Facts(self.kg, Scope(self.kg), self.exclude)
        return g

    def region(self, n) -> str:
        r = self._region.get(n)
        if r is None:
            r = self._region[n] = node_region(self.kg, n)
        return r

    def ordered(self, chain=None) -> list:
        """(chain name, link) in chain order for the chosen chains (cached): what
        :func:`.lists.ordered_links` gives, each chain's order made once from its
        :meth:`chain_rows` (every chain's, then one chain's, read the chain's edges once)."""
        o = self._order.get(chain)
        if o is None:
            from .order import order_from_rows
            from .scope import chains_of
            o = []
            for c in chains_of(self.kg, chain):
                got = self._chain_order.get(c)
                if got is None:
                    cname = self.kg.name(c)
                    got = self._chain_order[c] = [(cname, l) for l in order_from_rows(self.chain_rows(c))]
                o.extend(got)
            self._order[chain] = o
        return o

    def chain_rows(self, chain) -> list:
        """:func:`.order.chain_links` of the chain ``chain`` (an id; cached)."""
        r = self._chain_rows.get(chain)
        if r is None:
            from .order import chain_links
            r = self._chain_rows[chain] = chain_links(self.kg, chain)
        return r

    # ---------------------------------------------------------------- structure
    def structure(self) -> dict:
        """{link: LinkRow} for every link of every chain, plus ``suppliers`` (cached)."""
        if self._struct is None:
            rows = {}
            for c in self.kg.nodes(K.IndustryChain):
                for r in self.chain_rows(c):
                    rows[r.link_id] = r
            sup_of = {}
            for r in rows.values():
                for v in r.supplies:
                    sup_of.setdefault(v, []).append(r.link_id)
            self._struct = rows
            self._suppliers = sup_of
        return self._struct

    def neighbours(self, link) -> dict:
        """Links next to ``link`` in its chain: {id: supplier | customer | parent | child | sibling}."""
        rows = self.structure()
        r = rows.get(link)
        if r is None:
            from .order import neighbours
            return neighbours(self.kg, link)
        out = {}
        for u in self._suppliers.get(link, ()):
            out.setdefault(u, "supplier")
        for v in r.supplies:
            out.setdefault(v, "customer")
        for p in r.parents:
            out.setdefault(p, "parent")
        for c in self.children(link):
            out.setdefault(c, "child")
        for p in r.parents:
            for c in self.children(p):
                if c != link:
                    out.setdefault(c, "sibling")
        out.pop(link, None)
        return out

    def children(self, link) -> list:
        if self._children is None:
            ch = {}
            succ = self.succ
            for l in self.kg.nodes(_LINK):
                for p, kd in succ[l].items():
                    if _SUBLINK in kd:
                        ch.setdefault(p, []).append(l)
            self._children = ch
        return self._children.get(link, ())

    def descendants(self, link) -> list:
        return reach(link, self.children)

    def hosted(self, ent) -> list:
        """In-scope platforms hosted by ``ent``."""
        if self._hosted is None:
            h, a = {}, {}
            succ, ok, alive = self.succ, self.ok, self.alive
            for p in self.kg.nodes(_PLATFORM):
                if self.filtering and not alive(p):
                    continue
                for e, kd in succ[p].items():
                    if _HOSTED in kd:
                        got = a.get(e)
                        if got is None:
                            a[e] = [p]
                        else:
                            got.append(p)
                        if self.filtering and ok(p):
                            h.setdefault(e, []).append(p)
            self._hosted, self._hosted_any = (h if self.filtering else a), a
        return self._hosted.get(ent, ())

    def platform_hosts(self) -> set:
        """Every enterprise hosting a platform anywhere (the set behind :meth:`hosts_any_platform`)."""
        self.hosted(None)
        return self._hosted_any

    def hosts_any_platform(self, ent) -> bool:
        """``ent`` hosts a platform (anywhere: an R&D platform is one wherever it is)."""
        self.hosted(ent)
        return ent in self._hosted_any

    # ---------------------------------------------------------------- enterprises
    def _non_enterprises(self) -> set:
        """Every node that is not an enterprise (a small set next to the enterprises)."""
        if self._not_ent is None:
            kg = self.kg
            non = set()
            for k in kg.vocab.kinds:
                if k != _ENTERPRISE:
                    non.update(kg.nodes(k))
            self._not_ent = non
        return self._not_ent

    def enterprises(self, link) -> list:
        """Enterprises in scope directly in ``link``.

        By the ontology the only relation from an enterprise to a link is ``inLink``, so the
        enterprises among the link's predecessors are exactly its ``inLink`` edges; telling them
        from the (few) other predecessors by a set of non-enterprises reads no edge dict — about
        twice as fast as testing every edge for ``inLink``."""
        e = self._ents.get(link)
        if e is None:
            non = self._not_ent if self._not_ent is not None else self._non_enterprises()
            pred = self.pred[link]
            if self.filtering:
                ok = self.ok
                e = [u for u in pred if u not in non and ok(u)]
            else:
                e = list(filterfalse(non.__contains__, pred))
            self._ents[link] = e
        return e

    def covering(self, link) -> list:
        """Enterprises in scope in ``link`` or any of its sub-links (no repeats)."""
        c = self._cover.get(link)
        if c is None:
            desc = self.descendants(link)
            if not desc:
                c = self.enterprises(link)
            else:
                s = dict.fromkeys(self.enterprises(link))
                for d in desc:
                    s.update(dict.fromkeys(self.enterprises(d)))
                c = list(s)
            self._cover[link] = c
        return c

    def _own_iter(self, link):
        """The enterprises of :meth:`enterprises`, lazily (the list when made)."""
        e = self._ents.get(link)
        if e is not None:
            return iter(e)
        non = self._not_ent if self._not_ent is not None else self._non_enterprises()
        pred = self.pred[link]
        if self.filtering:
            ok = self.ok
            return (u for u in pred if u not in non and ok(u))
        return filterfalse(non.__contains__, pred)

    def covering_iter(self, link):
        """The enterprises of :meth:`covering`, in its order, lazily: a question that stops at
        the first few (is there one? more than one? one not small?) reads no more."""
        c = self._cover.get(link)
        if c is not None:
            return iter(c)
        desc = self.descendants(link)
        if not desc:
            return self._own_iter(link)
        return self._distinct(link, desc)

    def _distinct(self, link, desc):
        seen = set()
        for src in (link, *desc):
            for u in self._own_iter(src):
                if u not in seen:
                    seen.add(u)
                    yield u

    def covering_head(self, link, n: int) -> list:
        """The first ``n`` (at most) of :meth:`covering`."""
        c = self._cover.get(link)
        if c is not None:
            return c[:n]
        return list(islice(self.covering_iter(link), n))

    def covering_set(self, link) -> frozenset:
        s = self._cover_set.get(link)
        if s is None:
            s = self._cover_set[link] = frozenset(self.covering(link))
        return s

    def covering_union(self, links, cap: int | None = None) -> int:
        """How many distinct enterprises cover any of ``links`` (a tuple of distinct links; cached).

        ``cap``: exact only below ``cap``; from there ``cap`` itself comes back when one link
        alone reaches it (read lazily, no set built) — for a severity bucket that is flat from
        ``cap`` on.

        Two or three links by inclusion–exclusion over their covering sets, whose pairwise
        intersections are cached (technologies share links): an intersection only probes the
        smaller set, while a union copies and inserts them all — at 10^6 enterprises, 10^3
        questions over sets of 10^4 ids each. More links: the union."""
        n = self._union.get(links)
        if n is None:
            if cap is not None:
                for l in links:
                    if len(self.covering_head(l, cap)) == cap:
                        return cap
            if len(links) == 1:
                n = len(self.covering(links[0]))
            elif len(links) == 2:
                a, b = links
                n = len(self.covering_set(a)) + len(self.covering_set(b)) - len(self._both(a, b))
            elif len(links) == 3:
                a, b, c = links
                ab, ac, bc = self._both(a, b), self._both(a, c), self._both(b, c)
                abc = len(ab & self.covering_set(c)) if ab else 0
                n = (len(self.covering_set(a)) + len(self.covering_set(b)) + len(self.covering_set(c))
                     - len(ab) - len(ac) - len(bc) + abc)
            else:
                sets = sorted((self.covering_set(l) for l in links), key=len, reverse=True)
                n = len(sets[0].union(*sets[1:]))
            self._union[links] = n
        return n

    def _both(self, a, b) -> frozenset:
        """Enterprises covering both ``a`` and ``b`` (cached per pair)."""
        key = (a, b) if a < b else (b, a)
        s = self._pair.get(key)
        if s is None:
            sa, sb = self.covering_set(a), self.covering_set(b)
            s = self._pair[key] = sa & sb if len(sa) <= len(sb) else sb & sa
        return s

    # ---------------------------------------------------------------- technologies
    def requires(self, link) -> list:
        return [t for t, kd in self.succ[link].items() if _REQUIRES in kd]

    def tacklers(self, tech) -> list:
        """(node, relation) of in-scope nodes that tackle ``tech`` or are expert in it."""
        t = self._tacklers.get(tech)
        if t is None:
            node, ok, filtering = self.node, self.ok, self.filtering
            t = []
            for u, kd in self.pred[tech].items():
                if filtering and not ok(u):
                    continue
                if _TACKLES in kd and (_ANY_TACKLER or node[u]["kind"] in TACKLER_KINDS):
                    t.append((u, _TACKLES))
                if _EXPERT in kd:
                    t.append((u, _EXPERT))
            self._tacklers[tech] = t
        return t

    def tackled(self, tech) -> bool:
        """Someone in scope tackles ``tech`` (experts alone do not count)."""
        return any(rel == _TACKLES for _, rel in self.tacklers(tech))

    # ---------------------------------------------------------------- support
    def _build_support(self) -> dict:
        """{link: {(node, how, via): None}} of own support paths, built from the innovation side:
        every in-scope innovation node's supports / expertIn / tackles edges and hosts — far
        fewer edges than the links' incoming ``inLink`` edges.

        By the ontology's domains and ranges, the only relation from a link to a technology is
        ``requires`` and from an enterprise to a link ``inLink``: those edges are recognised by
        their end alone."""
        sup = {}
        kg = self.kg
        node, succ, pred, ok, alive = self.node, self.succ, self.pred, self.ok, self.alive
        filtering = self.filtering
        links = set(kg.nodes(_LINK))
        techs = set(kg.nodes(_TECH))
        req = {}

        def requiring(t):
            """The path dicts of the links (alive) that require ``t``."""
            r = req.get(t)
            if r is None:
                r = req[t] = [at[l] for l in pred[t] if l in links and (not filtering or alive(l))]
            return r

        at = {l: {} for l in kg.nodes(_LINK)}      # every link's paths; the empty ones dropped below
        link_paths = at.get                         # a link's paths; None: not a link
        # a hostedBy edge's end is an enterprise unless it is among the (few) other nodes: told
        # without reading its dict
        non_ent = self._not_ent if self._not_ent is not None else self._non_enterprises()
        # without a scope or removals every platform's hostedBy edges pass here: :meth:`hosted`'s
        # map is made on the way (only platforms have hostedBy edges, in the same order)
        hosts = {} if not filtering and self._hosted is None else None
        for kind in sorted(INNOVATION_KINDS):
            for n in kg.nodes(kind):
                if filtering and not ok(n):
                    continue
                for v, kd in succ[n].items():
                    if filtering and not alive(v):
                        continue
                    paths = link_paths(v)
                    if paths is not None:
                        if _SUPPORTS in kd:
                            paths[(n, "direct", "")] = None
                        if _EXPERT in kd:
                            paths[(n, "expert", "")] = None
                    elif v in techs:
                        if _TACKLES in kd or _EXPERT in kd:
                            path = (n, "via_technology", v)
                            for paths in requiring(v):
                                paths[path] = None
                    elif _HOSTED in kd:
                        if hosts is not None:
                            got = hosts.get(v)
                            if got is None:
                                hosts[v] = [n]
                            else:
                                got.append(n)
                        if v not in non_ent:
                            path = (n, "via_host", v)
                            for l in succ[v]:
                                paths = link_paths(l)
                                if paths is not None and (not filtering or alive(l)):
                                    paths[path] = None
        sup = {l: paths for l, paths in at.items() if paths}
        self._support = sup
        if hosts is not None:
            self._hosted = self._hosted_any = hosts
        return sup

    def supported_own(self, link) -> bool:
        """Some in-scope node supports ``link`` by a path of its own."""
        sup = self._support if self._support is not None else self._build_support()
        return link in sup

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
        sup = self._support if self._support is not None else self._build_support()
        return list(sup.get(link, ()))

    def paths(self, link) -> list:
        """(node, how, base_how, via, from_link) for every path, own then inherited."""
        out = [(n, how, how, via, "") for n, how, via in self.own(link)]
        for p in self.ancestors(link):
            out.extend((n, "inherited", how, via, p) for n, how, via in self.own(p))
        return out

    def own_paths(self, link):
        """The own support paths of ``link`` as a read-only view (no copy): for hot loops."""
        sup = self._support if self._support is not None else self._build_support()
        return sup.get(link, {}).keys()

    def supporting_nodes(self) -> set:
        """Every in-scope node with a support path of its own to some link (cached)."""
        s = self._using
        if s is None:
            sup = self._support if self._support is not None else self._build_support()
            s = set()
            for paths in sup.values():
                s.update(map(_FIRST, paths))
            self._using = s
        return s

    def supporters(self, link) -> frozenset:
        """Distinct in-scope nodes with a support path of their own to ``link`` (cached)."""
        s = self._supporters.get(link)
        if s is None:
            s = self._supporters[link] = frozenset(map(_FIRST, self.own_paths(link)))
        return s


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
