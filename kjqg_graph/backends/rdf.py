"""The rdf backend: the named questions as SPARQL 1.1 (``queries/sparql/NAME.rq``).

The workspace graph is loaded into an in-memory pyoxigraph store (``store="oxigraph"``, the
default: bulk load of the lean triples from the fast N-Triples writer, Rust query engine) or an
rdflib graph (``store="rdflib"``, the slow reference). The same .rq files run on both; the
chain and region are bound as parameters, never written into the query text.

What runs where:

- SPARQL (graph patterns): ``chain_links``, ``scope`` (region membership), ``node_regions``,
  ``enterprise_links`` + ``enterprise_flags`` + ``enterprise_innovation_flags`` + ``node_name_map``
  + ``node_uscc_map`` (the enterprise list, attributes in bulk, prefetched two at a time on worker threads),
  ``technology_list``, ``resource_list`` (own support paths by every route) and its light forms
  ``support_paths`` / ``tacklers`` (ids only, for the gap and score questions) with
  ``innovation_nodes`` (name, kind, level of a supporting node, for candidates); the raw
  anti-join questions ``missing_links``, ``technology_gaps``, ``sanwu_enterprises`` (names, 链主
  and places too: the whole 三无 answer), and the ``gap_candidates_*.rq`` files (one anchored
  query per gap subject).
- Python on those rows (as the README allows for derived values): chain order
  (``analysis.order.order_from_rows``), the region filter, inheritance along the ancestors,
  distinct counts, sorting — and from the same rows the gap records ``innovation_gaps``,
  ``technology_gaps``, ``missing_links``, ``weak_links``, ``sanwu_enterprises``.
  ``idle_innovation`` (its own .rq), ``chain_scores`` and ``link_scores`` (the same rows plus
  ``rd_states``). ``gaps`` is :meth:`Backend.gaps` on these rows (not MemoryBackend's).
- Not SPARQL: ``leaders`` (and what-if) are answered by the shared analysis library on the
  workspace graph (inherited from :class:`MemoryBackend`).
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import chain as _chain, repeat

from .. import analysis as an
from .._gc import paused as _paused
from ..analysis.order import order_from_rows
from ..analysis.support import candidate_level, min_stage, reach, supply_neighbours
from ..analysis.scope import INNOVATION_KINDS, chains_of
from ..analysis.records import (ChainScore, EnterpriseRow, HOW_ORDER, IdleRow, InnovationGapRow, LinkRow,
                                LinkScore, MissingLinkRow, ResourceRow, SanwuRow, TechnologyGapRow, TechnologyRow,
                                WeakLinkRow)
from ..rdf.terms import _concepts
from . import Backend, rows_in_chain_order
from .memory import MemoryBackend

__all__ = ["RdfBackend"]

_ACHIEVED = "已突破"


@lru_cache(maxsize=None)
def _pool() -> ThreadPoolExecutor:
    """The worker threads :meth:`RdfBackend.prefetch` runs store queries on (two: this machine's
    cores; made once per process)."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="kjqg-sparql")


_FLAGS = ("chainLeader", "highTech", "aboveScale", "techSME", "gazelle", "hasRdStaff", "hasRdPlatform", "hasRdFunds")


class _Facts:
    """The rows one (chain, region) question needs, fetched once per backend and scope."""

    def __init__(self, b: "RdfBackend", region):
        self.b = b
        self.scope = b.scope(region)
        self._links = None

    def ok(self, n) -> bool:
        return self.scope is None or n in self.scope

    # ---------------------------------------------------------------- links of every chain
    def links(self):
        if self._links is None:
            info, by_chain = {}, {}
            for r in self.b.raw("chain_links"):
                d = info.get(r["link"])
                if d is None:
                    d = info[r["link"]] = {"chain": r["chainName"], "name": r["linkName"], "stage": r["stage"],
                                           "parents": set(), "supplies": set(), "supplies_any": set()}
                    by_chain.setdefault(r["chainName"], []).append(r["link"])
                if r["rel"] == "parent":
                    d["parents"].add(r["other"])
                elif r["rel"] == "supplies":
                    d["supplies"].add(r["other"])
                elif r["rel"] == "suppliesAny":
                    d["supplies_any"].add(r["other"])
            self._links = (info, by_chain)
        return self._links

    def ordered(self, chain=None) -> list:
        info, by_chain = self.links()
        kg = self.b.kg
        out = []
        for c in chains_of(kg, chain):
            cname = kg.name(c)
            rows = [LinkRow(cname, l, info[l]["name"], info[l]["stage"], tuple(sorted(info[l]["parents"])),
                            tuple(sorted(info[l]["supplies"]))) for l in sorted(by_chain.get(cname, ()))]
            out.extend((cname, l) for l in order_from_rows(rows))
        return out

    def children(self, link):
        ch = self.b.memo("children", lambda: _children(self.links()[0]))
        return ch.get(link, ())

    def descendants(self, link) -> list:
        return reach(link, self.children)

    def ancestors(self, link) -> list:
        info = self.links()[0]
        seen, out, frontier = {link}, [], [link]
        while frontier:
            nxt = []
            for l in frontier:
                for v in info.get(l, {}).get("parents", ()):
                    if v not in seen:
                        seen.add(v)
                        out.append(v)
                        nxt.append(v)
            frontier = sorted(nxt)
        return out

    # ---------------------------------------------------------------- enterprises
    def enterprises(self, link) -> list:
        """Enterprises (in scope) directly inLink ``link`` (its enterprise_links.rq row)."""
        rows = self.b.memo("ent_by_link", lambda: {r["link"]: r["eSet"] for r in self.b.ent_pairs()})
        es = rows.get(link, ())
        return list(es) if self.scope is None else [e for e in es if e in self.scope]

    def covering(self, link) -> list:
        s = dict.fromkeys(self.enterprises(link))
        for d in self.descendants(link):
            s.update(dict.fromkeys(self.enterprises(d)))
        return list(s)

    def dependents(self, link) -> int:
        deps = set(self.covering(link))
        # every link it supplies, in any chain (chain_links.rq's suppliesAny rows), as the memory reference
        for v in self.links()[0][link]["supplies_any"]:
            deps.update(self.covering(v))
        return len(deps)

    # ---------------------------------------------------------------- technologies
    def tech_rows(self, link) -> list:
        rows = self.b.memo("tech_rows", lambda: _group(self.b.raw("technology_list"), "link"))
        return rows.get(link, ())

    def requires(self, link) -> dict:
        """{technology: its row} for what ``link`` requires: from technology_list.rq rows when this
        backend has them already, else from the lighter link_technologies.rq (no tacklers)."""
        b = self.b
        rows = b._memo.get("tech_rows")
        if rows is None:
            rows = b.memo("req_rows", lambda: _group(b.raw("link_technologies"), "link"))
        out = {}
        for r in rows.get(link, ()):
            out.setdefault(r["t"], r)
        return out

    def who_tackles(self, tech) -> list:
        """[(node, "tackles" / "expertIn")] in scope for ``tech``, from the light tacklers.rq rows
        (no names or kinds: for the questions that only count them)."""
        rows = self.b.memo("tacklers", lambda: _group(self.b.raw("tacklers"), "t"))
        return [(r["who"], r["rel"]) for r in rows.get(tech, ()) if self.ok(r["who"])]

    def tacklers(self, link, tech) -> list:
        return [(r["who"], r["rel"], r) for r in self.tech_rows(link)
                if r["t"] == tech and r["who"] is not None and self.ok(r["who"])]

    def chokepoint(self, link) -> bool:
        return any(r["chokepoint"] is True and r["status"] != _ACHIEVED for r in self.requires(link).values())

    # ---------------------------------------------------------------- support
    def own(self, link) -> list:
        rows = self.b.memo("res_rows", lambda: _group(self.b.raw("resource_list"), "link")).get(link, ())
        return list(rows) if self.scope is None else [r for r in rows if r["n"] in self.scope]

    def own_nodes(self, link) -> list:
        """The innovation nodes (in scope) with an own path to ``link``: from resource_list.rq rows
        when this backend has them already, else from the lighter support_paths.rq (ids only; the
        kind is the id's prefix)."""
        b = self.b
        rows = b._memo.get("res_rows")
        if rows is not None:
            return [r["n"] for r in self.own(link)]
        paths = b.memo("path_rows", lambda: _group(
            [r for r in b.raw("support_paths") if r["n"].partition(":")[0] in INNOVATION_KINDS], "link"))
        ok = self.ok
        return [r["n"] for r in paths.get(link, ()) if ok(r["n"])]

    def supported(self, link) -> bool:
        return bool(self.own_nodes(link)) or any(self.own_nodes(p) for p in self.ancestors(link))

    def own_info(self, link) -> list:
        """The innovation_nodes.rq rows (id, kind, name, level, talent level) of the named nodes in
        :meth:`own_nodes` — what resource_list.rq rows would give a candidate list, for a link."""
        nodes = self.b.innovation_nodes()
        return [nodes[n] for n in self.own_nodes(link) if n in nodes]


def _group(rows, key):
    out = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out


def _records(text, iris):
    """The (IRI, text) pairs of a ``…Map`` column: ``IRI<TAB>text`` records joined by newlines. A
    text holding a newline continues the record before it, unless the line is a record of its own: one
    of the store's node IRIs ``iris``, a tab, text (an IRI holds neither tab nor newline)."""
    pairs = [r.split("\t", 1) for r in text.split("\n")]
    out = []
    for p in pairs:
        if len(p) == 2 and p[0] in iris:
            out.append(p)
        else:
            out[-1][1] += "\n" + "\t".join(p)
    return out


def _put(target: list, keys, values) -> None:
    """``target[k] = v`` for each pair, in C (no Python loop over 10^5 pairs)."""
    deque(map(target.__setitem__, keys, values), 0)


def _children(info):
    ch = {}
    for l, d in info.items():
        for p in d["parents"]:
            ch.setdefault(p, []).append(l)
    return ch


class RdfBackend(MemoryBackend):
    name = "rdf"
    native = frozenset({"chain_links", "enterprise_list", "technology_list", "resource_list", "innovation_gaps",
                        "technology_gaps", "missing_links", "weak_links", "sanwu_enterprises", "idle_innovation",
                        "gap_candidates", "chain_scores", "link_scores"})

    def __init__(self, workspace=None, kg=None, store: str = "oxigraph", **options):
        super().__init__(workspace, kg=kg, **options)
        self.store_name = store
        self._store = None
        self._memo = {}
        self._sfacts = {}
        self._regions = None
        self._pending = {}

    # ---------------------------------------------------------------- plumbing
    @property
    def store(self):
        if self._store is None:
            from ..rdf.store import open_store
            self._store = open_store(self.kg, self.store_name)
        return self._store

    def ent_pairs(self):
        """enterprise_links.rq rows: one per link, ``eSet`` its enterprises (no attributes)."""
        def build():
            got = self._memo.get("ent_pos")
            if got is None:
                return self.raw("enterprise_links")
            nodes = self.store.nodes
            return [{"link": l, "eSet": frozenset(map(nodes.__getitem__, ps))} for l, ps in got.items()]
        return self.memo("ent_pairs", build)

    def ent_positions(self) -> dict:
        """{link: [the store positions of its enterprises]} from enterprise_links.rq: the enterprise
        list works on positions (each of its 10^5 enterprises mapped to its id once, not once per
        link, and its attributes read from lists by position)."""
        def build():
            got = self._memo.get("ent_pairs")
            if got is None:
                return {r["link"]: r["eSet"] for r in self.raw("enterprise_links", positions=True)}
            index = self.store.index
            return {r["link"]: list(map(index.__getitem__, r["eSet"])) for r in got}
        return self.memo("ent_pos", build)

    def text_list(self, name: str) -> list:
        """Every node's value from ``name``.rq — node_name_map (names) or node_uscc_map (USCCs) — as a
        list by store position (None: none); the enterprise list reads only the nodes it shows."""
        def build():
            out = [None] * len(self.store.nodes)
            for r in self.raw(name, positions=True):
                _put(out, *r["eMap"])
            return out
        return self.memo(("text", name), build)

    def flag_maps(self, name: str) -> dict:
        """{flag: [True/False/None (unknown)] by store position} from ``name``.rq — enterprise_flags
        or enterprise_innovation_flags — one (flag, value) row per recorded value."""
        def build():
            out, n = {}, len(self.store.nodes)
            for r in self.raw(name, positions=True):
                got = out.get(r["flag"])
                if got is None:
                    got = out[r["flag"]] = [None] * n
                _put(got, r["eSet"], repeat(r["value"]))
            return out
        return self.memo(("flags", name), build)

    def prefetch(self, *names: str) -> None:
        """Start the whole-graph .rq files ``names`` (no parameters) on the store now, on two worker
        threads. pyoxigraph evaluates a query without holding Python's lock, so the store answers two
        files on two cores while this thread turns the rows that came first into the answer;
        :meth:`raw` then takes a prefetched file's rows. Nothing for rdflib (pure Python, so its
        threads would only take turns)."""
        store = self.store
        if not getattr(store, "concurrent", False):
            return
        pool = _pool()
        for n in names:
            if n not in self._pending:
                self._pending[n] = pool.submit(store.select_json, n)

    def innovation_nodes(self) -> dict:
        """{node id: its innovation_nodes.rq row} for every named innovation node."""
        return self.memo("innovation_nodes", lambda: {r["n"]: r for r in self.raw("innovation_nodes")})

    def memo(self, key, fn):
        v = self._memo.get(key)
        if v is None:
            v = self._memo[key] = fn()
        return v

    def iri(self, nid: str) -> str:
        return self.store.iris[nid]

    def node_id(self, iri: str) -> str:
        return self.store.ids[iri]

    def raw(self, name: str, chain=None, *, positions: bool = False, **params) -> list[dict]:
        """Rows of ``queries/sparql/<name>.rq`` as dicts: node IRIs become node ids, concept IRIs
        their zh value, class IRIs the kind; a ``…List`` column (a GROUP_CONCAT of node IRIs,
        space-separated) becomes the sorted tuple of their ids, a ``…Set`` column the frozenset of
        them (no sort: for lists of 10^5); a ``…Map`` column (a GROUP_CONCAT of
        ``IRI<TAB>text`` records, newline-separated) the dict {node id: text}. ``positions``: a
        ``…Set`` column becomes the list of its nodes' store positions, a ``…Map`` column the pair
        (positions, texts), for a caller that reads only the nodes it needs from lists (10^5 of
        them, not 8 x 10^5 flag entries)."""
        from ..rdf.store import Iri, position_records
        from ..rdf.store import positions as store_positions
        if chain is not None:
            params["chain"] = Iri(self.iri(an.resolve_chain(self.kg, chain)))
        store = self.store
        if not params and name in self._pending:           # prefetched (whole graph, no parameters)
            from ..rdf.store import rows_from_json
            rows, variables = rows_from_json(self._pending.pop(name).result())
        else:
            rows, variables = store.select(name, **params)
        ids = store.ids
        get = ids.get
        ont = self.kg.vocab.namespace
        cut = len(ont)
        concepts = _concepts()

        def term(v):
            i = get(v)
            if i is not None:
                return i
            if v.startswith(ont):
                c = concepts.get(v)
                return c if c is not None else v[cut:]
            return v

        def id_list(v):
            return tuple(sorted(map(ids.__getitem__, v.split(" ")))) if v else ()

        def id_set(v):
            if positions:
                return store_positions(v)
            return frozenset(map(ids.__getitem__, v.split(" "))) if v else frozenset()

        def id_map(v):
            got = position_records(v, len(store.nodes))
            if got is None:                               # a text holding a tab, or a record-like line
                pairs = _records(v, ids)
                got = [store.index[ids[k]] for k, _ in pairs], [x for _, x in pairs]
            return got if positions else dict(zip(map(store.nodes.__getitem__, got[0]), got[1]))

        if not rows:
            return []
        cols = []                                  # column by column, then one dict per row
        for k, col in zip(variables, zip(*rows)):
            f = id_list if k.endswith("List") else id_set if k.endswith("Set") else id_map if k.endswith("Map") else None
            if f is None:                          # a node IRI (the common case) is one dict lookup
                cols.append([get(v) or term(v) if v.__class__ is str else v for v in col])
            else:
                cols.append([f(v) if v.__class__ is str else v for v in col])
        return list(map(dict, map(zip, repeat(variables), zip(*cols))))

    def scope(self, region):
        """The in-scope node ids for ``region`` (None: everything)."""
        if region is None:
            return None
        from ..rdf.store import Iri
        rid = an.resolve_region(self.kg, region)
        return frozenset(r["n"] for r in self.raw("scope", region=Iri(self.iri(rid))))

    def region_name(self, region):
        return self.kg.name(an.resolve_region(self.kg, region)) if region else None

    def sfacts(self, region) -> _Facts:
        f = self._sfacts.get(region)
        if f is None:
            f = self._sfacts[region] = _Facts(self, region)
        return f

    def node_region(self, n) -> str:
        """The region column of node ``n``: node_regions.rq for its kind, asked once per kind."""
        own, other = self._region_maps(n.partition(":")[0])
        return own.get(n) or other.get(n) or ""

    def _region_map(self, rows) -> dict:
        """{node: its place names sorted and joined by 、} from node_regions.rq rows (one per place)."""
        nodes, names = [], []
        for r in rows:
            nodes.extend(r["nSet"])
            names.extend([r["placeName"]] * len(r["nSet"]))
        out = dict(zip(nodes, names))
        if len(out) < len(nodes):                      # a node in two places (or more)
            many = {}
            for n, p in zip(nodes, names):
                many.setdefault(n, set()).add(p)
            out.update((n, "、".join(sorted(ps))) for n, ps in many.items() if len(ps) > 1)
        return out

    # node_places.rq costs ~0.15 ms a node, node_regions.rq ~4 us per node of the kind: per node when
    # fewer than 1/PER_NODE of the kind's nodes are asked
    PER_NODE = 30

    def own_regions(self) -> dict:
        """{store position: its own place names joined by 、} for every located node, from
        located_nodes.rq (one scan, no class test; ~0.10 s at 100k against 0.50 s for
        node_regions.rq of Enterprise)."""
        return self.memo("own_regions", lambda: self._region_map(self.raw("located_nodes", positions=True)))

    def _region_maps(self, kind):
        if self._regions is None:
            self._regions = {}
        got = self._regions.get(kind)
        if got is None:
            from ..rdf.store import Iri
            rows = self.raw("node_regions", kind=Iri(self.kg.vocab.namespace + kind))
            got = self._regions[kind] = (self._region_map(r for r in rows if r["own"]),
                                         self._region_map(r for r in rows if not r["own"]))
        return got

    def regions_of(self, nodes) -> dict:
        """{node: region column} for ``nodes``: node_regions.rq for a kind when they are more than
        1/PER_NODE of its nodes (or it was already asked), else node_places.rq per node (a few index
        lookups each: the ~100 enterprises a gap list keeps cost 15 ms, their kind ~0.45 s)."""
        by_kind = {}
        for n in nodes:
            by_kind.setdefault(n.partition(":")[0], []).append(n)
        out = {}
        for kind, ns in by_kind.items():
            if len(ns) * self.PER_NODE > self.kg.count(kind) or (self._regions is not None and kind in self._regions):
                out.update((n, self.node_region(n)) for n in ns)
                continue
            for n in ns:
                out[n] = self._places_of(n)
        return out

    def _places_of(self, n) -> str:
        """The region column of one node from node_places.rq (a few index lookups)."""
        from ..rdf.store import Iri
        own, other = set(), set()
        for r in self.raw("node_places", subject=Iri(self.iri(n))):
            (own if r["own"] else other).add(r["placeName"])
        return "、".join(sorted(own or other))

    # ---------------------------------------------------------------- questions
    def chain_links(self, chain):
        f = self.sfacts(None)
        info, by_chain = f.links()
        cname = self.kg.name(an.resolve_chain(self.kg, chain))
        return [LinkRow(cname, l, info[l]["name"], info[l]["stage"], tuple(sorted(info[l]["parents"])),
                        tuple(sorted(info[l]["supplies"]))) for l in sorted(by_chain.get(cname, ()))]

    def _empty(self, f, cls):
        info = f.links()[0]

        def empty(cname, l):
            return cls(cname, l, info[l]["name"], info[l]["stage"])
        return empty

    @_paused
    def enterprise_list(self, chain=None, region=None):
        f = self.sfacts(region)
        # seven whole-graph files, started at once on two threads: the names before the flags (the
        # sort that orders every column waits for them; 1.14 s against 1.19 with flags first), the
        # USCCs in a file of their own after both (0.854 s against 0.895 with the names), located_nodes
        # last (its column is the cheapest to add, so the least work is left when the store is
        # done). The store works while the columns before are built (quiet, 100k)
        self.prefetch(*(name for name, have in (
            ("chain_links", f._links is not None),
            ("enterprise_links", "ent_pairs" in self._memo or "ent_pos" in self._memo),
            ("node_name_map", ("text", "node_name_map") in self._memo),
            ("enterprise_flags", ("flags", "enterprise_flags") in self._memo),
            ("enterprise_innovation_flags", ("flags", "enterprise_innovation_flags") in self._memo),
            ("node_uscc_map", ("text", "node_uscc_map") in self._memo),
            ("located_nodes", "own_regions" in self._memo)) if not have))
        info = f.links()[0]
        ordered = f.ordered(chain)
        # the work is on store positions (ints: the IRIs are QUERY_IRI + position): each enterprise's
        # id is looked up once, its fields are made once (not once per link), column by column, and
        # every attribute is read from a list by position
        members = self.ent_positions()
        if f.scope is None:
            by_link = {l: members[l] for _, l in ordered if l in members}
        else:
            index = self.store.index
            ok = set(map(index.__getitem__, f.scope))
            by_link = {l: [e for e in members[l] if e in ok] for _, l in ordered if l in members}
        e_pos = list(dict.fromkeys(_chain.from_iterable(by_link.values())))
        e_ids = list(map(self.store.nodes.__getitem__, e_pos))
        names = self.text_list("node_name_map")       # taken in the order they were started
        flags = self.flag_maps("enterprise_flags")
        # the order in a link: 链主 first, then by name, then by id. All the enterprises are sorted
        # once; the columns are made in that order, and a link's enterprises become their ranks in
        # it (sorted as ints)
        leader = flags.get("chainLeader")
        first = [leader[p] is not True for p in e_pos] if leader else repeat(True)
        ranked = sorted(zip(first, map(names.__getitem__, e_pos), e_ids, e_pos))
        _, name_col, e_ids, e_pos = zip(*ranked) if ranked else ((),) * 4
        del ranked
        rank = [0] * len(self.store.nodes)
        _put(rank, e_pos, range(len(e_pos)))
        by_link = {l: sorted(map(rank.__getitem__, es)) for l, es in by_link.items() if es}
        del rank
        none = repeat(None)

        def flag_cols(fm):
            return {x: list(map(fm[x].__getitem__, e_pos)) for x in _FLAGS if x in fm}
        cols = flag_cols(flags)
        uscc_col = list(map(self.text_list("node_uscc_map").__getitem__, e_pos))
        cols.update(flag_cols(self.flag_maps("enterprise_innovation_flags")))
        # an enterprise's region is its own places: hostedBy / affiliatedWith / ledBy never leave an
        # Enterprise (the graph refuses such an edge), so one with no locatedIn has none ("")
        region_col = map(self.own_regions().get, e_pos, repeat(""))
        fields = list(zip(e_ids, name_col, uscc_col, region_col, *(cols.get(x, none) for x in _FLAGS)))
        del cols, uscc_col
        new, get = tuple.__new__, fields.__getitem__

        def rows_of(cname, l):
            es = by_link.get(l)
            if es is None:
                return None
            d = info[l]
            base = (cname, l, d["name"], d["stage"])
            return list(map(new, repeat(EnterpriseRow), map(base.__add__, map(get, es))))
        return rows_in_chain_order(ordered, rows_of, self._empty(f, EnterpriseRow))

    @_paused
    def technology_list(self, chain=None, region=None):
        f = self.sfacts(region)
        f.tech_rows(None)                # the tacklers are needed: requires() reads these rows too
        info = f.links()[0]

        def rows_of(cname, l):
            base = (cname, l, info[l]["name"], info[l]["stage"])
            rows = []
            make = TechnologyRow._make   # every field given: one C call per row
            for t, tr in f.requires(l).items():
                tb = base + (t, tr["tName"], tr["chokepoint"], tr["status"], tr["mechanism"])
                who = f.tacklers(l, t)
                if not who:
                    rows.append(make(tb + ("", "", "", "")))
                for u, rel, r in who:
                    rows.append(make(tb + (u, r["whoName"], r["whoKind"], rel)))
            return rows
        return rows_in_chain_order(f.ordered(chain), rows_of, self._empty(f, TechnologyRow),
                                   key=lambda r: (r.chokepoint is not True, r.tech, r.tech_id, r.relation != "tackles",
                                                  r.tackler, r.tackler_id))

    def _own_rows(self, f, cname, link, how=None, frm=""):
        info = f.links()[0]
        rows = []
        make = ResourceRow._make         # every field given: one C call per row
        for r in f.own(frm or link):
            base_how = r["how"]
            via = r["via"] or ""
            rows.append(make((
                cname, link, info[link]["name"], info[link]["stage"], r["n"], r["nName"], r["nKind"],
                r["level"] or r["talentLevel"], self.node_region(r["n"]), how or base_how, base_how,
                via, (r["viaName"] or "") if via else "", frm, info[frm]["name"] if frm else "")))
        return rows

    @_paused
    def resource_list(self, chain=None, region=None):
        f = self.sfacts(region)
        info = f.links()[0]

        def rows_of(cname, l):
            rows = self._own_rows(f, cname, l)
            for p in f.ancestors(l):
                if p in info:
                    rows.extend(self._own_rows(f, cname, l, "inherited", p))
            return rows
        return rows_in_chain_order(f.ordered(chain), rows_of, self._empty(f, ResourceRow), dedupe=True,
                                   key=lambda r: (HOW_ORDER[r.how], r.node, r.node_id, HOW_ORDER[r.base_how],
                                                  r.from_link, r.from_link_id, r.via, r.via_id))

    @_paused
    def innovation_gaps(self, chain=None, region=None):
        f = self.sfacts(region)
        info = f.links()[0]
        return [InnovationGapRow(cname, l, info[l]["name"], info[l]["stage"], len(f.covering(l)), f.dependents(l),
                                 len(f.requires(l)), f.chokepoint(l))
                for cname, l in f.ordered(chain) if not f.supported(l)]

    @_paused
    def technology_gaps(self, chain=None, region=None):
        f = self.sfacts(region)
        info = f.links()[0]
        out = []
        ordered = f.ordered(chain)
        by_chain = {}
        for cname, l in ordered:
            by_chain.setdefault(cname, []).append(l)
        for cname, links in by_chain.items():
            req = {}
            for l in links:
                for t, tr in f.requires(l).items():
                    req.setdefault(t, (tr, []))[1].append(l)
            for t, (tr, ls) in req.items():
                who = f.who_tackles(t)
                if tr["status"] == _ACHIEVED or any(rel == "tackles" for _, rel in who):
                    continue
                deps = set()
                for l in ls:
                    deps.update(f.covering(l))
                experts = sum(1 for _, rel in who if rel == "expertIn")
                ids = tuple(sorted(ls))
                out.append(TechnologyGapRow(cname, t, tr["tName"], tr["chokepoint"], tr["status"], tr["mechanism"],
                                            ids, tuple(info[l]["name"] for l in ids),
                                            min_stage(info[l]["stage"] for l in ls), len(deps), experts))
        out.sort(key=lambda r: (r.chain, r.chokepoint is not True, r.tech, r.tech_id))
        return out

    @_paused
    def missing_links(self, chain=None, region=None):
        f = self.sfacts(region)
        everything = self.sfacts(None)
        info = f.links()[0]
        out = []
        ordered = f.ordered(chain)
        members = {}
        for cname, l in ordered:
            members.setdefault(cname, set()).add(l)
        walks = {c: supply_neighbours(m, {l: info[l]["supplies"] for l in m}) for c, m in members.items()}
        for cname, l in ordered:
            if f.covering(l):
                continue
            up = sum(1 for u in walks[cname](l, False) if f.covering(u))
            down = sum(1 for v in walks[cname](l, True) if f.covering(v))
            elsewhere = 0 if region is None else len(everything.covering(l))
            out.append(MissingLinkRow(cname, l, info[l]["name"], info[l]["stage"], bool(up and down), up, down,
                                      f.dependents(l), elsewhere, f.chokepoint(l)))
        return out

    @_paused
    def weak_links(self, chain=None, region=None):
        f = self.sfacts(region)
        info = f.links()[0]
        out = []
        strength = self._strength_of()
        for cname, l in f.ordered(chain):
            ents = f.covering(l)
            if not ents:
                continue
            kinds = [strength(e) for e in ents]
            single = len(ents) == 1
            if not single and any(k != "small" for k in kinds):
                continue
            strong, unknown = kinds.count("strong"), kinds.count("unknown")
            one = ents[0] if single else ""
            out.append(WeakLinkRow(cname, l, info[l]["name"], info[l]["stage"], len(ents), strong, unknown, single,
                                   strong == 0 and unknown == 0, f.dependents(l), f.chokepoint(l), one,
                                   self._name(one) if one else ""))
        return out

    def _strength_of(self):
        """enterprise id -> 'strong' / 'small' / 'unknown' (as analysis.gaps._strength), from the
        grouped enterprise_flags.rq rows as id sets. (The enterprise list reads the same file keyed by
        IRI, :meth:`flag_maps`; strength from those dicts made weak_links 0.15 s slower at 100k — 0.89-0.97
        against 0.74-0.82 s — so each keeps its form, and a backend asked both reads the file twice.)"""
        def build():
            sets = {(r["flag"], r["value"]): r["eSet"] for r in self.raw("enterprise_flags")}
            none = frozenset()
            strong = sets.get(("chainLeader", True), none) | sets.get(("highTech", True), none) | \
                sets.get(("aboveScale", True), none)
            small = sets.get(("highTech", False), none) & sets.get(("aboveScale", False), none)

            def strength(e):
                return "strong" if e in strong else "small" if e in small else "unknown"
            return strength
        return self.memo("strength", build)

    def _name(self, n) -> str:
        from ..rdf.store import Iri
        rows = self.raw("node_name", subject=Iri(self.iri(n)))
        return rows[0]["name"] if rows else ""

    @_paused
    def sanwu_enterprises(self, chain=None, region=None):
        f = self.sfacts(region)
        info = f.links()[0]
        want = {self.kg.name(c) for c in chains_of(self.kg, chain)}
        by, about = {}, {}
        for r in self.memo("sanwu_raw", lambda: self.raw("sanwu_enterprises")):
            e, cname = r["e"], r["chainName"]
            if cname not in want or not f.ok(e):
                continue
            by.setdefault((cname, e), set()).add(r["link"])
            a = about.get(e)
            if a is None:
                a = about[e] = (r["eName"], r["chainLeader"], set())
            if r["placeName"] is not None:
                a[2].add(r["placeName"])
        out = []
        for (cname, e), links in by.items():
            ids = tuple(sorted(links))
            name, leader, places = about[e]
            out.append(SanwuRow(cname, e, name, "、".join(sorted(places)), ids,
                                tuple(info[l]["name"] for l in ids), min_stage(info[l]["stage"] for l in links),
                                leader))
        out.sort(key=lambda r: (r.chain, r.enterprise, r.enterprise_id))
        return out

    # ---------------------------------------------------------------- candidates
    def candidate_rows(self, which: str, subject: str, chain=None) -> list:
        """Rows of gap_candidates_<which>.rq for one gap subject (any scope; cached)."""
        from ..rdf.store import Iri
        key = ("cand", which, subject, chain)
        v = self._memo.get(key)
        if v is None:
            v = self._memo[key] = self.raw("gap_candidates_" + which, chain, subject=Iri(self.iri(subject)))
        return v

    @_paused
    def gap_candidates(self, chain=None, region=None, kinds=None, rows=None, per_basis=None):
        from ..analysis.gaps import GAP_KINDS
        return _gap_candidates(self, chain, region, tuple(kinds or GAP_KINDS), rows, per_basis)

    # the shared assembly on this backend's own rows: MemoryBackend.gaps (inherited otherwise) would
    # answer ``kjqg gaps --backend rdf`` from the in-memory graph, not from the triple store
    gaps = Backend.gaps

    # ---------------------------------------------------------------- idle, scores
    @_paused
    def idle_innovation(self, chain=None, region=None):
        f = self.sfacts(region)
        want = self.kg.name(an.resolve_chain(self.kg, chain)) if chain else None
        subjects = {}
        for r in self.raw("idle_innovation"):
            d = subjects.get(r["subject"])
            if d is None:
                d = subjects[r["subject"]] = {**r, "chains": set()}
            if r["chainName"] is not None:
                d["chains"].add(r["chainName"])
        out = []
        for n, d in subjects.items():
            chains = tuple(sorted(d["chains"]))
            if want and want not in chains:
                continue
            if d["reason"] == "no_link":
                if not f.ok(n):
                    continue
                out.append(IdleRow(n, d["subjectName"], d["kind"], self.node_region(n), d["level"] or d["talentLevel"],
                                   "no_link", chains))
            else:
                out.append(IdleRow(n, d["subjectName"], d["kind"], "", None, "achieved_unused", chains,
                                   d["chokepoint"] is True))
        out.sort(key=lambda r: (r.reason, r.subject_kind, r.subject, r.subject_id))
        return out

    def _rd_states(self):
        def build():
            states = {}
            for r in self.raw("rd_states"):
                states.update(dict.fromkeys(r["eSet"], r["state"]))
            return states
        return self.memo("rd_states", build)

    @staticmethod
    def _tackled(f, link, t) -> bool:
        return any(rel == "tackles" for _, rel in f.who_tackles(t))

    @_paused
    def chain_scores(self, chain=None, region=None):
        f = self.sfacts(region)
        states_of = self._rd_states()
        by_chain = {}
        for cname, l in f.ordered(chain):
            by_chain.setdefault(cname, []).append(l)
        out = []
        for c in chains_of(self.kg, chain):
            cname = self.kg.name(c)
            links = by_chain.get(cname, [])
            with_ent = sum(1 for l in links if f.covering(l))
            own_ok = {l: bool(f.own_nodes(l)) for l in links}
            inh = {l: any(f.own_nodes(p) for p in f.ancestors(l)) for l in links}
            own = sum(own_ok.values())
            inh_only = sum(1 for l in links if not own_ok[l] and inh[l])
            techs = {}
            for l in links:
                for t, tr in f.requires(l).items():
                    techs.setdefault(t, (tr, l))
            tackled = {t for t, (tr, l) in techs.items() if self._tackled(f, l, t)}
            achieved = sum(1 for tr, _ in techs.values() if tr["status"] == _ACHIEVED)
            cps = [t for t, (tr, _) in techs.items() if tr["chokepoint"] is True]
            open_cps = [t for t in cps if techs[t][0]["status"] != _ACHIEVED]
            untackled = sum(1 for t in open_cps if t not in tackled)
            ents = {}
            for l in links:
                for e in f.enterprises(l):
                    ents[e] = None
            states = [states_of.get(e, "no") for e in ents]
            out.append(ChainScore(cname, len(links), with_ent, own + inh_only, own, inh_only, len(techs),
                                  len(tackled), achieved, len(cps), len(open_cps), untackled, len(ents),
                                  states.count("sanwu"), states.count("possible")))
        return out

    @_paused
    def link_scores(self, chain=None, region=None):
        f = self.sfacts(region)
        info = f.links()[0]
        out = []
        for cname, l in f.ordered(chain):
            techs = f.requires(l)
            own = f.own_nodes(l)
            out.append(LinkScore(
                cname, l, info[l]["name"], info[l]["stage"], len(f.covering(l)), len(set(own)),
                bool(own), any(f.own_nodes(p) for p in f.ancestors(l)), len(techs),
                sum(1 for t in techs if self._tackled(f, l, t)),
                sum(1 for tr in techs.values() if tr["chokepoint"] is True and tr["status"] != _ACHIEVED)))
        return out


# ---------------------------------------------------------------------------- gap candidates
def _strong_row(r) -> bool:
    return r["chainLeader"] is True or r["highTech"] is True or r["aboveScale"] is True


def _gap_candidates(b: "RdfBackend", chain, region, kinds, rows, per_basis=None) -> list:
    """CandidateFact rows (as :func:`kjqg_graph.analysis.gaps.gap_candidates`): one
    gap_candidates_*.rq query per gap subject, plus own support paths (support_paths.rq ids with
    innovation_nodes.rq names and levels); the region decides in / outside scope."""
    from ._candidates import candidate_facts, keep_best
    f = b.sfacts(region)
    every = b.sfacts(None)
    ok = f.ok
    regional = f.scope is not None
    rows = rows if rows is not None else b.raw_gaps(chain, region, kinds)
    raw = {}                       # (kind, chain, subject, basis) -> {(candidate, via, in_scope): None}
    info = {}                      # candidate / via id -> (name, kind, level)

    def add(kind, cname, subject, c, name, ckind, level, basis, via="", via_name="", in_scope=True):
        if c not in info:
            info[c] = (name, ckind, level)
        if via and via not in info:
            info[via] = (via_name, None, None)
        raw.setdefault((kind, cname, subject, basis), {})[(c, via, in_scope)] = None

    def add_row(kind, cname, subject, r, basis, via="", in_scope=True, ckind=None):
        ckind = ckind or r["candKind"]
        add(kind, cname, subject, r["cand"], r["candName"], ckind, candidate_level(ckind, r.get("chainLeader"), r.get("highTech"), r.get("aboveScale"), r.get("level"), r.get("talentLevel")), basis, via,
            r.get("viaName") or "", in_scope)

    def add_own(kind, cname, subject, r, basis, via="", via_name="", in_scope=True):
        add(kind, cname, subject, r["n"], r["nName"], r["nKind"], r["level"] or r["talentLevel"], basis, via,
            via_name, in_scope)

    if "innovation" in kinds:
        for g in rows.get("innovation", ()):
            l = g.link_id
            if regional:
                for r in every.own_info(l):
                    if not ok(r["n"]):
                        add_own("innovation", g.chain, l, r, "supports_link_outside", "", "", False)
            for r in b.candidate_rows("innovation", l):
                if ok(r["cand"]):
                    add_row("innovation", g.chain, l, r, r["basis"], r["via"])
    if "technology" in kinds:
        for g in rows.get("technology", ()):
            t = g.tech_id
            for r in b.candidate_rows("technology", t, g.chain):
                basis = r["basis"]
                if basis == "supports_requiring_link":
                    if ok(r["cand"]):
                        add_row("technology", g.chain, t, r, basis, r["via"])
                elif ok(r["cand"]):
                    if basis == "expertIn":
                        add_row("technology", g.chain, t, r, "expert_in_tech")
                elif regional:
                    add_row("technology", g.chain, t, r,
                            "tackles_tech_outside" if basis == "tackles" else "expert_outside", "", False)
    for kind in ("missing", "broken", "weak"):
        if kind not in kinds:
            continue
        for g in rows.get("weak" if kind == "weak" else "missing", ()):
            if kind != "weak" and g.broken != (kind == "broken"):
                continue
            l = g.link_id
            cov = set(f.covering(l)) if kind == "weak" else ()
            for r in b.candidate_rows("links", l):
                basis, c = r["basis"], r["cand"]
                if basis == "in_link":
                    if regional and not ok(c) and (kind != "weak" or _strong_row(r)):
                        add_row(kind, g.chain, l, r, "in_link_outside", "", False, "Enterprise")
                elif basis == "tackles_required_tech":
                    if kind != "weak" and ok(c):
                        add_row(kind, g.chain, l, r, basis, r["via"], True, "Enterprise")
                elif ok(c) and c not in cov:
                    add_row(kind, g.chain, l, r, basis, r["via"], True, "Enterprise")
    if "sanwu" in kinds:
        links = f.links()[0]
        done = set()
        for g in rows.get("sanwu", ()):
            for l in g.link_ids:
                if (g.chain, l) in done:
                    continue
                done.add((g.chain, l))
                for r in f.own_info(l):
                    add_own("sanwu", g.chain, l, r, "supports_enterprise_link", l, links[l]["name"])
    kept = keep_best(raw, info, per_basis)
    return candidate_facts(kept, info, b.regions_of({c for *_, items in kept for c, _, _ in items}).__getitem__)
