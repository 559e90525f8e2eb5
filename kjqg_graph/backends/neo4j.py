"""The neo4j backend: the named questions as Cypher on the server (``queries/cypher/NAME.cypher``).

Each question's heavy part — walking enterprises, support paths, technologies, the region scope —
runs on the server with parameters only; what comes back is one row per link / technology /
enterprise. Python then does what the memory backend does on top of the same raw rows: chain
order (:func:`kjqg_graph.analysis.order.order_from_rows` on the ``chain_links`` rows), reach along
``supplies`` inside a chain (a chain's links are few), sorting, and the record types, so both
backends return equal records. Severity, reasons and candidate ranking are the shared
:meth:`Backend.gaps` / :func:`kjqg_graph.analysis.severity.assemble_gaps`.

Rows come back grouped (one record per link, the link's items as a list) where a question has
many: the driver's per-record cost, not the query, is what dominates at 100k.

In Cypher: chain_links, scope, node_regions, enterprise_list, resource_list (own paths; the
inherited rows are the ancestors' own, copied in Python), technology_list, the six raw gap
questions, link_scores / chain_scores (link_scores.cypher + chain_enterprises.cypher, summed in
Python) and leaders (leaders.cypher rows, ranked in Python exactly as
:func:`kjqg_graph.analysis.leaders.leaders` — centrality there is a one-step neighbourhood
share, computed from the rows; no graph algorithm is needed, so no GDS), and ``gap_candidates``:
the sources each basis draws on come from batched queries over the gap subjects only
(gap_candidates_innovation.cypher: a link's neighbours; gap_candidates_links.cypher: what a link
requires, its enterprises and those of its sub-links; gap_candidates_technology.cypher: a
technology's tacklers and experts; gap_candidates_support.cypher: own support paths as [node id, how];
gap_candidate_nodes.cypher: name, kind, level of what is shown), and Python applies the bases,
the region and the exact top-k per basis of :func:`kjqg_graph.analysis.gaps.gap_candidates`.
``what_if`` too: what_if_links.cypher / what_if_techs.cypher (with a removal, only for the links
and technologies what_if_touched.cypher says it can change), the removed nodes resolved by
node_by_name.cypher; Python keeps the impacts as :mod:`kjqg_graph.analysis.whatif` does.

Connection settings come from NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE or the
``uri``/``user``/``password``/``database`` options.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from ..analysis.leaders import rank_leaders
from ..analysis.order import order_from_rows
from ..analysis.scope import INNOVATION_KINDS
from ..analysis.support import candidate_level, min_stage, reach, supply_neighbours
from ..analysis.records import (HOW_ORDER, ChainScore, EnterpriseRow, LinkScore, ResourceRow, IdleRow, InnovationGapRow, LinkRow, MissingLinkRow, SanwuRow,
                                TechnologyGapRow, TechnologyRow, WeakLinkRow)
from .._gc import paused as _paused
from ..errors import NodeNotFoundError
from ..vocab import R
from . import Backend, rows_in_chain_order

__all__ = ["Neo4jBackend", "cypher", "QUERY_DIR"]

_ACHIEVED = "已突破"
_IMPACT_ORDER = {"missing": 0, "unsupported": 1, "untackled": 2}
QUERY_DIR = Path(__file__).resolve().parents[2] / "queries" / "cypher"


@lru_cache(maxsize=None)
def cypher(name: str) -> str:
    """The text of ``queries/cypher/NAME.cypher``."""
    return (QUERY_DIR / f"{name}.cypher").read_text(encoding="utf-8")


def region_text(places) -> str:
    return "、".join(sorted(places))


class Neo4jBackend(Backend):
    name = "neo4j"

    def __init__(self, workspace=None, conn=None, **options):
        super().__init__(workspace, **options)
        self._conn = conn
        self._own_conn = conn is None
        self._scopes = {}
        self._links = {}
        self.pulled = False            # set when the graph is pulled (no named question does that)

    # ------------------------------------------------------------------ plumbing
    @property
    def conn(self):
        if self._conn is None:
            from ..neo4j import Neo4jSettings, connect
            o = self.options
            self._conn = connect(Neo4jSettings.resolve(o.get("uri"), o.get("user"), o.get("password"),
                                                       o.get("database")))
        return self._conn

    def close(self):
        if self._conn is not None and self._own_conn:
            self._conn.close()
            self._conn = None

    def run(self, name: str, **params) -> list:
        """Rows (dicts) of the named query."""
        return self.conn.read(cypher(name), **params)

    def _resolve(self, name, labels, what):
        rows = self.conn.read_values(
            "MATCH (n:KjqgNode) WHERE (n.id = $name OR n.name = $name) AND any(l IN labels(n) WHERE l IN $labels) "
            "RETURN n.id, n.id = $name ORDER BY n.id", name=name, labels=list(labels))
        exact = [i for i, ex in rows if ex]
        if exact:
            return exact[0]
        if len(rows) == 1:
            return rows[0][0]
        if rows:
            raise NodeNotFoundError(f"{len(rows)} {what}s are named {name!r}: {', '.join(i for i, _ in rows)}; "
                                    f"pass the id")
        raise NodeNotFoundError(f"no {what} named {name!r} in Neo4j; check the name, or push the workspace "
                                f"with `kjqg neo4j push`")

    def chains(self, chain) -> list:
        """[(chain id, name)] the question covers, by name."""
        if chain:
            cid = self._resolve(chain, ["IndustryChain"], "chain")
            return self.conn.read_values("MATCH (c:IndustryChain {id: $id}) RETURN c.id, c.name", id=cid)
        return self.conn.read_values("MATCH (c:IndustryChain) RETURN c.id, c.name ORDER BY c.name, c.id")

    def scope(self, region):
        """The in-scope ids (a list, passed as $scope) or None for everything."""
        if not region:
            return None
        s = self._scopes.get(region)
        if s is None:
            rid = self._resolve(region, ["Region", "InnovationZone"], "region")
            s = self._scopes[region] = [r[0] for r in self.conn.read_values(cypher("scope"), region=rid)]
        return s

    def region_name(self, region):
        if not region:
            return None
        rid = self._resolve(region, ["Region", "InnovationZone"], "region")
        return self.conn.read_values("MATCH (n:KjqgNode {id: $id}) RETURN n.name", id=rid)[0][0]

    def _link_rows(self, chain):
        """{chain id: [LinkRow]} for the chains of the question, plus the ordered (chain, link id) list."""
        key = chain or ""
        got = self._links.get(key)
        if got is None:
            cs = self.chains(chain)
            rows = {}
            for r in self.run("chain_links", chains=[c for c, _ in cs]):
                r["parents"], r["supplies"] = sorted(r["parents"]), sorted(r["supplies"])
                rows.setdefault(r["chain"], []).append(LinkRow.from_row(r))
            order, by_id = [], {}
            for _, cname in cs:
                lr = sorted(rows.get(cname, []), key=lambda x: x.link_id)
                by_id.update({(cname, x.link_id): x for x in lr})
                order.extend((cname, l) for l in order_from_rows(lr))
            got = self._links[key] = ([c for c, _ in cs], order, by_id)
        return got

    def _regions(self, ids) -> dict:
        ids = sorted(set(i for i in ids if i))
        if not ids:
            return {}
        return {r["id"]: "、".join(sorted(r["places"])) for r in self.run("node_regions", ids=ids)}

    @staticmethod
    def _empty(cls, by_id):
        """(chain, link_id) -> the row of ``cls`` with empty fields for a link with none."""
        def empty(cname, link_id):
            lr = by_id[(cname, link_id)]
            return cls(cname, lr.link_id, lr.link, lr.stage)
        return empty

    @staticmethod
    def _in_order(rows, order, key=lambda r: ()):
        pos = {cl: i for i, cl in enumerate(order)}
        return sorted(rows, key=lambda r: (pos.get((r.chain, r.link_id), len(pos)), key(r)))

    # ------------------------------------------------------------------ lists
    def chain_links(self, chain):
        cids, order, by_id = self._link_rows(chain)
        return sorted(by_id.values(), key=lambda r: r.link_id)

    @_paused
    def enterprise_list(self, chain=None, region=None):
        cids, order, by_id = self._link_rows(chain)
        scope = self.scope(region)
        # the two queries run at once (two sessions): which link holds which enterprise (ids), and
        # each enterprise's columns once
        with ThreadPoolExecutor(2) as pool:
            links = pool.submit(self.conn.read_values, cypher("enterprise_links"), chains=cids, scope=scope)
            ((ents,),) = self.conn.read_values(cypher("enterprise_list"), chains=cids, scope=scope)
            links = links.result()
        info, key = {}, {}
        for e in ents:
            places = e[3]
            e[3] = "" if not places else places[0] if len(places) == 1 else "、".join(sorted(set(places)))
            info[e[0]] = tuple(e)              # the enterprise's 12 fields, in EnterpriseRow order
            key[e[0]] = (e[4] is not True, e[1], e[0])
        # leaders first, then name, id: ranked once over all enterprises, each link's ids sorted by rank
        rank = {eid: i for i, eid in enumerate(sorted(key, key=key.__getitem__))}
        per = {}
        make = EnterpriseRow._make
        for cname, link_id, ids in links:
            lr = by_id[(cname, link_id)]
            base = (cname, lr.link_id, lr.link, lr.stage)
            ids.sort(key=rank.__getitem__)
            per[(cname, link_id)] = [make(base + info[i]) for i in ids]
        return rows_in_chain_order(order, per, self._empty(EnterpriseRow, by_id))

    @_paused
    def resource_list(self, chain=None, region=None):
        cids, order, by_id = self._link_rows(chain)
        parents = {l: lr.parents for (_, l), lr in by_id.items()}
        anc = {}
        for _, l in order:
            anc[l] = reach(l, lambda x: parents.get(x, ()))
        want = sorted({l for _, l in order} | {a for v in anc.values() for a in v})
        own, names = {}, {}
        for link_id, link, paths in self.conn.read_values(cypher("resource_list"), links=want,
                                                          scope=self.scope(region)):
            own[link_id], names[link_id] = paths, link
        per = {}
        for cname, l in order:
            lr = by_id[(cname, l)]
            base = (cname, l, lr.link, lr.stage)
            rows = [ResourceRow(*base, p[0], p[1], p[2], p[3], p[4], p[5], p[5], p[6] or "", p[7] or "" if p[6] else "")
                    for p in own.get(l, ())]
            for a in anc[l]:
                rows.extend(ResourceRow(*base, p[0], p[1], p[2], p[3], p[4], "inherited", p[5], p[6] or "",
                                        (p[7] or "") if p[6] else "", a, names.get(a, ""))
                            for p in own.get(a, ()))
            per[(cname, l)] = rows
        return rows_in_chain_order(order, per, self._empty(ResourceRow, by_id),
                                   key=lambda r: (HOW_ORDER[r.how], r.node, r.node_id, HOW_ORDER[r.base_how],
                                                  r.from_link, r.from_link_id, r.via, r.via_id))

    @_paused
    def technology_list(self, chain=None, region=None):
        cids, order, by_id = self._link_rows(chain)
        per = {}
        for r in self.run("technology_list", chains=cids, scope=self.scope(region)):
            lr = by_id[(r["chain"], r["link_id"])]
            per.setdefault((r["chain"], r["link_id"]), []).append(TechnologyRow(
                r["chain"], lr.link_id, lr.link, lr.stage, r["tech_id"], r["tech"], r["chokepoint"], r["status"],
                r["mechanism"], r["tackler_id"] or "", r["tackler"] or "", r["tackler_kind"] or "",
                r["relation"] or ""))
        return rows_in_chain_order(order, per, self._empty(TechnologyRow, by_id),
                                   key=lambda r: (r.chokepoint is not True, r.tech, r.tech_id,
                                                  r.relation != R.tackles, r.tackler, r.tackler_id))

    # ------------------------------------------------------------------ gaps
    @_paused
    def raw_gaps(self, chain=None, region=None, kinds=None) -> dict:
        """As :meth:`Backend.raw_gaps`, with the questions asked at once from three sessions: each
        mostly waits on the server, which runs them on threads of its own."""
        questions = self.raw_gap_questions(kinds)
        self._link_rows(chain)             # cached before the threads share them
        self.scope(region)
        with ThreadPoolExecutor(3) as pool:
            jobs = {k: pool.submit(fn, chain, region) for k, fn in questions.items()}
            return {k: job.result() for k, job in jobs.items()}

    @_paused
    def innovation_gaps(self, chain=None, region=None):
        cids, order, _ = self._link_rows(chain)
        rows = [InnovationGapRow.from_row(r) for r in self.run("innovation_gaps", chains=cids,
                                                                  scope=self.scope(region))]
        return self._in_order(rows, order)

    @_paused
    def technology_gaps(self, chain=None, region=None):
        cids, order, by_id = self._link_rows(chain)
        out = []
        for r in self.run("technology_gaps", chains=cids, scope=self.scope(region)):
            ids = tuple(sorted(r["link_ids"]))
            out.append(TechnologyGapRow(r["chain"], r["tech_id"], r["tech"], r["chokepoint"], r["status"],
                                        r["mechanism"], ids, tuple(by_id[(r["chain"], l)].link for l in ids),
                                        min_stage(r["stages"]), r["dependents"], r["experts"]))
        out.sort(key=lambda r: (r.chain, r.chokepoint is not True, r.tech, r.tech_id))
        return out

    @_paused
    def missing_links(self, chain=None, region=None):
        cids, order, by_id = self._link_rows(chain)
        scope = self.scope(region)
        rows = {(r["chain"], r["link_id"]): r for r in self.run("missing_links", chains=cids, scope=scope)}
        out, walks = [], {}
        for cname, l in order:
            r = rows[(cname, l)]
            if r["enterprises"]:
                continue
            walk = walks.get(cname)
            if walk is None:
                members = {k[1] for k in by_id if k[0] == cname}
                walk = walks[cname] = supply_neighbours(members, {m: by_id[(cname, m)].supplies for m in members})
            up = sum(1 for u in walk(l, False) if rows[(cname, u)]["enterprises"])
            down = sum(1 for v in walk(l, True) if rows[(cname, v)]["enterprises"])
            out.append(MissingLinkRow(cname, l, r["link"], r["stage"], bool(up and down), up, down, r["dependents"],
                                      r["everywhere"] if scope is not None else 0, r["chokepoint"]))
        return out

    @_paused
    def weak_links(self, chain=None, region=None):
        cids, order, _ = self._link_rows(chain)
        rows = [WeakLinkRow.from_row(r) for r in self.run("weak_links", chains=cids, scope=self.scope(region))]
        return self._in_order(rows, order)

    @_paused
    def sanwu_enterprises(self, chain=None, region=None):
        cids, order, by_id = self._link_rows(chain)
        out = []
        for cname, ents in self.conn.read_values(cypher("sanwu_enterprises"), chains=cids, scope=self.scope(region)):
            for eid, ename, link_ids, stages, leader, places in ents:
                ids = tuple(sorted(link_ids))
                out.append(SanwuRow(cname, eid, ename, "、".join(sorted(places)), ids,
                                    tuple(by_id[(cname, l)].link for l in ids), min_stage(stages), leader))
        out.sort(key=lambda r: (r.chain, r.enterprise, r.enterprise_id))
        return out

    @_paused
    def idle_innovation(self, chain=None, region=None):
        want = None
        if chain:
            want = self.chains(chain)[0][1]
        raw = self.run("idle_innovation", scope=self.scope(region))
        regions = self._regions(r["subject_id"] for r in raw if r["reason"] == "no_link")
        out = []
        for r in raw:
            if want and want not in r["chains"]:
                continue
            r["chains"] = sorted(r["chains"])
            r["region"] = regions.get(r["subject_id"], "")
            out.append(IdleRow.from_row(r))
        out.sort(key=lambda r: (r.reason, r.subject_kind, r.subject, r.subject_id))
        return out

    # ------------------------------------------------------------------ scores
    def _link_facts(self, chain, region):
        """(order, {(chain, link id): link_scores row}) for the chains of the question."""
        cids, order, _ = self._link_rows(chain)
        rows = {(r["chain"], r["link_id"]): r
                for r in self.run("link_scores", chains=cids, scope=self.scope(region))}
        return order, rows

    @_paused
    def link_scores(self, chain=None, region=None):
        order, rows = self._link_facts(chain, region)
        out = []
        for cl in order:
            r = rows[cl]
            techs = r["techs"]
            out.append(LinkScore(r["chain"], r["link_id"], r["link"], r["stage"], r["enterprises"], r["supporters"],
                                 r["supporters"] > 0, r["supported_inherited"], len(techs),
                                 sum(1 for t in techs if t[3]),
                                 sum(1 for t in techs if t[1] is True and t[2] != _ACHIEVED)))
        return out

    @_paused
    def chain_scores(self, chain=None, region=None):
        order, rows = self._link_facts(chain, region)
        cids = self._link_rows(chain)[0]
        ents = {r["chain"]: r for r in self.run("chain_enterprises", chains=cids, scope=self.scope(region))}
        out = []
        for cid, cname in self.chains(chain):
            links = [rows[cl] for cl in order if cl[0] == cname]
            own = sum(1 for r in links if r["supporters"] > 0)
            inh_only = sum(1 for r in links if r["supporters"] == 0 and r["supported_inherited"])
            techs = {}
            for r in links:
                for t in r["techs"]:
                    techs.setdefault(t[0], t)
            cps = [t for t in techs.values() if t[1] is True]
            open_cps = [t for t in cps if t[2] != _ACHIEVED]
            e = ents.get(cname, {"enterprises": 0, "sanwu": 0, "sanwu_possible": 0})
            out.append(ChainScore(cname, len(links), sum(1 for r in links if r["enterprises"]), own + inh_only, own,
                                  inh_only, len(techs), sum(1 for t in techs.values() if t[3]),
                                  sum(1 for t in techs.values() if t[2] == _ACHIEVED), len(cps), len(open_cps),
                                  sum(1 for t in open_cps if not t[3]), e["enterprises"], e["sanwu"],
                                  e["sanwu_possible"]))
        return out

    @_paused
    def leaders(self, chain, region=None):
        cid = self._resolve(chain, ["IndustryChain"], "chain")
        cname = self.conn.read_values("MATCH (c:IndustryChain {id: $id}) RETURN c.name", id=cid)[0][0]
        _, order, by_id = self._link_rows(chain)
        links = {l: lr for (c, l), lr in by_id.items() if c == cname}
        ents, info = {}, {}
        for link_id, items in self.conn.read_values(cypher("leaders"), chain=cid, scope=self.scope(region)):
            ents[link_id] = [e[0] for e in items]
            for e in items:
                info[e[0]] = e
        rows = [links[l] for _, l in order if l in links]
        of = {}
        for r in rows:
            for e in ents.get(r.link_id, ()):
                of.setdefault(e, []).append(r.link_id)
        return rank_leaders(cname, rows, of, lambda l: ents.get(l, ()),
                            lambda e: (info[e][1], info[e][2], info[e][3]))

    # ------------------------------------------------------------------ what-if
    def resolve_nodes(self, names) -> list:
        """Ids for names (or ids), as :func:`kjqg_graph.analysis.whatif.resolve_nodes`: an id; else
        the nodes whose id is ``Kind:name``; else the nodes called ``name``. Unknown or ambiguous:
        the same one-line errors."""
        out = []
        from ..graph import node_id
        from ..vocab import vocabulary
        kinds = sorted(vocabulary().kinds)
        for name in names:
            rows = self.conn.read_values(cypher("node_by_name"), name=name, keyed=[node_id(k, name) for k in kinds])
            best = min((rank for _, rank in rows), default=None)
            found = sorted({i for i, rank in rows if rank == best})
            if len(found) == 1:
                out.append(found[0])
                continue
            if not found:
                raise NodeNotFoundError(f"no node named {name!r}; check the name with `kjqg show`")
            raise NodeNotFoundError(f"{len(found)} nodes are named {name!r}: {', '.join(sorted(found))}; pass the id")
        return out

    @_paused
    def what_if(self, remove=None, chain=None, region=None) -> list:
        """:func:`kjqg_graph.analysis.whatif.what_if` (with ``remove``) or
        :func:`~kjqg_graph.analysis.whatif.single_points_of_failure` (without), in Cypher:
        what_if_links.cypher per link (enterprises, support paths and what the removal leaves of
        them; with a removal only for the links what_if_touched.cypher names) and
        what_if_techs.cypher per technology; Python keeps the impacts and sorts them."""
        from ..analysis.records import Impact
        gone = self.resolve_nodes(remove) if remove is not None else []
        cids, order, _ = self._link_rows(chain)
        scope = self.scope(region)
        links = techs = None
        if remove is not None:
            links, techs = self.conn.read_values(cypher("what_if_touched"), gone=gone)[0]
        out = []

        def names(pairs):
            return tuple(sorted({i: n for i, n in pairs}.values()))

        if links is None or links:
            rows = {(r["chain"], r["link_id"]): r for r in self.run(
                "what_if_links", chains=cids, scope=scope, gone=gone, links=links)}
            for cl in order:
                r = rows.get(cl)
                if r is None:
                    continue
                cname, l = cl
                if remove is None:
                    if r["cov"] == 1:
                        out.append(Impact("missing", cname, l, r["link"], r["link"], (r["cov_one"],), 1))
                    if r["sup"] == 1:
                        out.append(Impact("unsupported", cname, l, r["link"], r["link"], (r["sup_one"],), 1))
                    continue
                if r["cov"] and len(r["cov_gone"]) == r["cov"]:
                    out.append(Impact("missing", cname, l, r["link"], r["link"], names(r["cov_gone"]), r["cov"]))
                if r["sup"] and not r["sup_alive"]:
                    out.append(Impact("unsupported", cname, l, r["link"], r["link"], names(r["sup_gone"]), r["sup"]))
        if techs is None or techs:
            for r in self.run("what_if_techs", chains=cids, scope=scope, gone=gone, techs=techs):
                who = {i: n for i, n in r["who"]}
                lost = [i for i in who if i in gone] if remove is not None else []
                if (len(who) == 1 and remove is None) or (who and len(lost) == len(who)):
                    out.append(Impact("untackled", r["chain"], r["tech_id"], r["tech"], "、".join(sorted(r["links"])),
                                      tuple(sorted(who.values())) if remove is None else
                                      tuple(sorted(who[i] for i in lost)), len(who)))
        out.sort(key=lambda i: (_IMPACT_ORDER[i.kind], i.chain, i.subject, i.subject_id))
        return out

    def graph(self):
        """The kjqg graph pulled from the server (for the questions that need the whole graph in
        memory; none of the named questions does)."""
        from ..neo4j import pull
        self.pulled = True
        return pull(self.conn)

    # ------------------------------------------------------------------ gap candidates
    @_paused
    def gap_candidates(self, chain=None, region=None, kinds=None, rows=None, per_basis=None):
        """CandidateFact rows as :func:`kjqg_graph.analysis.gaps.gap_candidates`, from the
        gap_candidates_*.cypher rows (neighbours, link enterprises / requirements, technology
        tacklers) and gap_candidates_support.cypher (own support paths); bases, scope and the exact top
        ``per_basis`` pruning in Python."""
        from ..analysis.gaps import GAP_KINDS
        kinds = tuple(kinds or GAP_KINDS)
        rows = rows if rows is not None else self.raw_gaps(chain, region, kinds)
        return _gap_candidates(self, region, kinds, rows, per_basis)


def _strong(e) -> bool:
    return e[1] is True or e[2] is True or e[3] is True


def _gap_candidates(b: "Neo4jBackend", region, kinds, rows, per_basis=None) -> list:
    """The memory algorithm (analysis.gaps.gap_candidates) over rows fetched in a few batched
    Cypher queries: every gap subject, neighbour and technology is asked for once."""
    from ._candidates import candidate_facts, keep_best
    sc = b.scope(region)
    scope = None if sc is None else set(sc)
    regional = scope is not None

    def ok(n):
        return scope is None or n in scope

    def batch(name, key, param, ids, **more):
        ids = sorted(set(ids))
        return {r[key]: r for r in b.run(name, **{param: ids}, **more)} if ids else {}

    # ---- the links and technologies the gaps draw on
    inn = rows.get("innovation", ()) if "innovation" in kinds else ()
    tech_rows = rows.get("technology", ()) if "technology" in kinds else ()
    link_gaps = []
    for kind in ("missing", "broken", "weak"):
        if kind in kinds:
            for g in rows.get("weak" if kind == "weak" else "missing", ()):
                if kind == "weak" or g.broken == (kind == "broken"):
                    link_gaps.append((kind, g))
    san = rows.get("sanwu", ()) if "sanwu" in kinds else ()

    neigh = batch("gap_candidates_innovation", "link_id", "links",
                  [g.link_id for g in inn] + [g.link_id for _, g in link_gaps])
    nbs = {}
    for lid, r in neigh.items():
        d = {}
        for nb, rel in r["neighbours"]:
            if nb != lid:
                d.setdefault(nb, rel)
        nbs[lid] = sorted(d.items())
    inn_nbs = {nb for g in inn for nb, _ in nbs.get(g.link_id, ())}
    trade_nbs = {nb for _, g in link_gaps for nb, rel in nbs.get(g.link_id, ()) if rel in ("supplier", "customer")}
    own_links = set(inn_nbs) | {l for g in tech_rows for l in g.link_ids} | {l for g in san for l in g.link_ids}
    own = {}                       # (link, scoped) -> [(node id, how)]

    def fetch_own(links, scoped):
        links = sorted(set(links))
        if not links:
            return
        for link_id, paths in b.conn.read_values(cypher("gap_candidates_support"), links=links,
                                                 scope=sc if scoped else None):
            own[(link_id, scoped)] = paths

    # the own support paths (the largest of these queries) are fetched while the link and technology
    # rows below are
    with ThreadPoolExecutor(1) as pool:
        own_job = pool.submit(fetch_own, own_links, True)
        linfo = batch("gap_candidates_links", "link_id", "links",
                      list(inn_nbs | trade_nbs) + [g.link_id for _, g in link_gaps],
                      cover=sorted({g.link_id for _, g in link_gaps}), every=regional, trade=sorted(trade_nbs))
        techs = {t for nb in inn_nbs for t in linfo[nb]["requires"]} if inn_nbs else set()
        techs |= {g.tech_id for g in tech_rows}
        techs |= {t for kind, g in link_gaps if kind != "weak" for t in linfo[g.link_id]["requires"]}
        tinfo = batch("gap_candidates_technology", "tech_id", "techs", techs)
        if regional:
            fetch_own([g.link_id for g in inn], False)
        own_job.result()

    def supporters(l, scoped=True):
        return list(dict.fromkeys(n for n, _ in own.get((l, scoped), ())))

    def direct_supporters(l):
        return list(dict.fromkeys(n for n, how in own.get((l, True), ()) if how in ("direct", "expert")))

    def tacklers(t):
        return tinfo[t]["tacklers"] if t in tinfo else []

    # ---- the bases, as analysis.gaps.gap_candidates
    raw = {}

    def add(kind, chain, subject, basis, cands, via="", in_scope=True):
        if not cands:
            return
        entries = raw.setdefault((kind, chain, subject, basis), {})
        for c in cands:
            entries[(c, via, in_scope)] = None

    for r in inn:
        l, c = r.link_id, r.chain
        if regional:
            mine = set(supporters(l))
            add("innovation", c, l, "supports_link_outside",
                [n for n in supporters(l, False) if n not in mine and not ok(n)], "", False)
        for nb, _rel in nbs.get(l, ()):
            add("innovation", c, l, "supports_neighbour", supporters(nb), nb)
            for t in linfo[nb]["requires"]:
                add("innovation", c, l, "tackles_related_tech",
                    list(dict.fromkeys(u for u, rel, k in tacklers(t) if ok(u) and k in INNOVATION_KINDS)), t)
    for r in tech_rows:
        t, c = r.tech_id, r.chain
        add("technology", c, t, "expert_in_tech",
            list(dict.fromkeys(u for u, rel, k in tacklers(t) if rel == "expertIn" and ok(u))))
        if regional:
            out_t, out_e = {}, {}
            for u, rel, k in tacklers(t):
                if not ok(u):
                    (out_t if rel == "tackles" else out_e)[u] = None
            add("technology", c, t, "tackles_tech_outside", list(out_t), "", False)
            add("technology", c, t, "expert_outside", list(out_e), "", False)
        for l in r.link_ids:
            add("technology", c, t, "supports_requiring_link", direct_supporters(l), l)
    for kind, r in link_gaps:
        weak = kind == "weak"
        l, c = r.link_id, r.chain
        every = linfo[l]["covering"]
        cov = {e[0] for e in every if ok(e[0])}
        if regional:
            add(kind, c, l, "in_link_outside",
                [e[0] for e in every if e[0] not in cov and (not weak or _strong(e))], "", False)
        if not weak:
            for t in linfo[l]["requires"]:
                add(kind, c, l, "tackles_required_tech",
                    list(dict.fromkeys(u for u, rel, k in tacklers(t) if rel == "tackles" and k == "Enterprise" and ok(u))), t)
        for nb, rel in nbs.get(l, ()):
            if rel != "supplier" and rel != "customer":
                continue
            add(kind, c, l, "in_neighbour_link",
                [e for e in linfo[nb]["strong"] if ok(e) and e not in cov], nb)
    for r in san:
        for l in r.link_ids:
            key = ("sanwu", r.chain, l, "supports_enterprise_link")
            if key not in raw:
                raw[key] = {(n, l, True): None for n in supporters(l)}

    # ---- the nodes shown, the exact top-k per basis, the records
    ids = {c for cands in raw.values() for c, _, _ in cands} | {v for cands in raw.values() for _, v, _ in cands if v}
    node = {}
    for nid, name, kind, level, talent, leader, high, above in (
            b.conn.read_values(cypher("gap_candidate_nodes"), ids=sorted(ids))[0][0] if ids else ()):
        node[nid] = (name, kind, candidate_level(kind, leader, high, above, level, talent))
    kept = keep_best(raw, node, per_basis)
    regions = b._regions({c for *_, items in kept for c, _, _ in items})    # of what is shown only
    return candidate_facts(kept, node, lambda c: regions.get(c, ""))
