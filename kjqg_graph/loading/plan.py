"""From typed rows to a plan: the nodes and edges to add or update, and every problem.

Two passes over the rows of every file in the command. The first *declares* what the rows
define (regions, chains and links, technologies, enterprises, resources, targets) so that a
reference in any file may point at a row of any other; the second resolves references
(parent links, required technologies, hosts, regions…) into edges. ``diff`` then compares the
plan with the graph: added, updated, unchanged — or a conflict the user must settle.
"""
from __future__ import annotations

from collections import Counter, deque
from functools import cached_property
from itertools import chain as _chain, compress, filterfalse, islice, repeat
from operator import add, and_, attrgetter, eq, is_, is_not, itemgetter, mul, not_, or_

from ..graph import node_id
from ..vocab import A, K, R
from .problems import Problem
from .resolve import EnterpriseIndex, LinkIndex, NameIndex, suggest
from .rows import columns_of, prov, provenance
from .values import enterprise_key, enterprise_names_keys, match_key

__all__ = ["Planner", "PlannedNode", "ATTR_FIELD"]

# ontology attribute -> list column field, per row kind (to point a conflict at its column)
ATTR_FIELD = {
    A.stage: "stage", A.note: "note", A.uscc: "uscc", A.chainLeader: "chain_leader",
    A.highTech: "high_tech", A.aboveScale: "above_scale", A.hasRdStaff: "has_rd_staff",
    A.hasRdPlatform: "has_rd_platform", A.hasRdFunds: "has_rd_funds", A.techSME: "tech_sme",
    A.gazelle: "gazelle", A.products: "products", A.chokepoint: "chokepoint", A.status: "status",
    A.mechanism: "mechanism", A.platformKind: "type", A.level: "level", A.talentLevel: "talent_level",
    A.regionType: "type", A.zoneType: "type", A.value: "value", A.unit: "unit", A.year: "year",
    A.comparator: "comparator", A.section: "section",
}
ENTERPRISE_FLAGS = [("chain_leader", A.chainLeader), ("high_tech", A.highTech), ("above_scale", A.aboveScale),
                    ("has_rd_staff", A.hasRdStaff), ("has_rd_platform", A.hasRdPlatform),
                    ("has_rd_funds", A.hasRdFunds), ("tech_sme", A.techSME), ("gazelle", A.gazelle)]
TACKLERS = (K.Enterprise, K.University, K.ResearchInstitute, K.InnovationPlatform, K.Talent, K.TalentTeam,
            K.Project)
HOSTS = (K.Enterprise, K.University, K.ResearchInstitute)
AFFILIATIONS = (K.Enterprise, K.University, K.ResearchInstitute, K.InnovationPlatform)
_FMT = {True: "是", False: "否", None: "(blank)"}
NAME, USCC, PRODUCTS, SOURCE, AS_OF = A.name, A.uscc, A.products, A.source, A.asOf
ENTERPRISE, CHAINLINK = K.Enterprise, K.ChainLink
IN_LINK, LOCATED_IN = R.inLink, R.locatedIn


def show(v):
    return _FMT[v] if isinstance(v, bool) or v is None else str(v)


class PlannedNode:
    """A node the plan adds or updates. A row of an enterprises table gets its ``attrs`` from the
    table's :class:`NodeBlock` (``block``, at position ``i``), made when first asked for: a new
    enterprise nothing else touches is written from the block's columns and never makes one."""
    __slots__ = ("kind", "key", "_attrs", "row", "auto", "block", "i")

    def __init__(self, kind, key, attrs, row, auto=False, block=None, i=None):
        self.kind = kind
        self.key = key
        self._attrs = attrs
        self.row = row
        self.auto = auto
        self.block = block
        self.i = i

    @property
    def attrs(self):
        a = self._attrs
        if a is None and self.block is not None:
            a = self._attrs = self.block.attrs(self.i)
        return a

    @attrs.setter
    def attrs(self, value):
        self._attrs, self.block = value, None


class NodeBlock:
    """The attribute columns of the rows of one enterprises table (``None``: not given; a column
    with no value at all is left out), in the order a node's attribute dict has them."""
    __slots__ = ("names", "cols")

    def __init__(self, names, cols):
        keep = [j for j, c in enumerate(cols) if any(map(is_not, c, repeat(None)))]   # (stops at a value)
        self.names = [names[j] for j in keep]
        self.cols = [cols[j] for j in keep]

    def attrs(self, i) -> dict:
        """Row ``i``'s attribute dict, its ``None`` values left out."""
        return {a: x for a, x in zip(self.names, [c[i] for c in self.cols]) if x is not None}

    def columns(self, idx) -> dict:
        """``{attribute: values}`` of the rows ``idx`` (a ``None`` value: the row lacks it), as
        :meth:`KnowledgeGraph.add_node_columns` takes them; consecutive rows are slices."""
        if idx and idx == list(range(idx[0], idx[-1] + 1)):
            return {a: c[idx[0]:idx[-1] + 1] for a, c in zip(self.names, self.cols)}
        return {a: list(map(c.__getitem__, idx)) for a, c in zip(self.names, self.cols)}


class Planner:
    def __init__(self, kg, *, update=False):
        self.kg = kg
        self.update = update
        self.nodes = {}           # nid -> PlannedNode
        self.edges = {}           # (u, rel, v) -> the attribute dict (source, asOf) of the row it came from
        self._block = None        # or, before it, edges planned a column at a time: [(rel, us, vs, sources,
        #                           asOfs)] with no key twice (see _connect_enterprises); _spill moves them
        self.from_planned = False   # (see edge_groups)
        self.problems = []
        self.bad = set()          # (id(table), row number) of rows with a problem
        self.merged = []          # notes: names merged with another spelling
        self.auto_regions = []
        self.chains = NameIndex.of(kg, [K.IndustryChain])
        self.places = NameIndex.of(kg, [K.Region, K.InnovationZone])
        self.links = LinkIndex(kg)
        self.ents = EnterpriseIndex(kg)
        self._file_uscc = {}      # uscc -> (nid, row) declared by the files
        self._file_ekey = {}      # enterprise key -> (nid, row)
        self._plain = []          # plain enterprises of the tables so far, not yet in the indexes above
        self._fresh = []          # the ids of the plain enterprises (lists): not in the graph, by their making
        self._ids = {}            # id(rows) -> (rows, the node each row of an enterprises table declared)

    # the technologies and the resources (10^4-10^5 at 1M) indexed when first asked for: a list of
    # enterprises never asks (the graph does not change while a plan is made)
    @cached_property
    def techs(self):
        return NameIndex.of(self.kg, [K.KeyTechnology])

    @cached_property
    def orgs(self):
        return {k: NameIndex.of(self.kg, [k]) for k in
                (K.University, K.ResearchInstitute, K.InnovationPlatform, K.Talent, K.TalentTeam, K.Project)}

    # ------------------------------------------------------------------ problems
    def problem(self, row, column_field, reason):
        header = None
        if column_field is not None:
            header = row.table.header_of.get(column_field, column_field)
        self.problems.append(Problem(row.table.file, row.table.sheet, row.num, header, reason))
        self.bad.add((id(row.table), row.num))

    # ------------------------------------------------------------------ declaring nodes
    def declare(self, kind, key, attrs, row, nid=None):
        nid = nid or node_id(kind, key)
        pn = self.nodes.get(nid)
        if pn is None:
            self.nodes[nid] = PlannedNode(kind, key, {a: v for a, v in attrs.items() if v is not None}, row)
            return nid
        if pn.auto:
            pn.auto = False
            pn.row = row
        for a, v in attrs.items():
            if v is None:
                continue
            old = pn.attrs.get(a)
            if old is None:
                pn.attrs[a] = v
            elif old != v and a != A.name:
                where = pn.row.table.label + f":row {pn.row.num}" if pn.row.table is not row.table else f"row {pn.row.num}"
                self.problem(row, ATTR_FIELD.get(a), f"{show(v)} here but {show(old)} on {where} for the same "
                                                     f"{pn.attrs.get(A.name, key)}; make the rows agree")
        return nid

    def declare_rows(self, kind, rows):
        getattr(self, f"_declare_{kind}")(rows)

    def _declare_regions(self, rows):
        for r in rows:
            v = r.v
            kind, attr, value = v["type"]
            hits = [n for n in self.places.get(v["name"]) if self.kg_kind(n) == kind]
            nid = hits[0] if hits else None
            nid = self.declare(kind, v["name"], {A.name: v["name"], attr: value}, r, nid)
            self.places.add(v["name"], nid)

    def _chain_id(self, name, row):
        hits = self.chains.get(name)
        if hits:
            return self.declare(K.IndustryChain, name, {A.name: name}, row, hits[0])
        if "/" in name:
            self.problem(row, "chain", f"产业链 {name!r} contains /, which separates chain and link; rename it")
            return None
        nid = self.declare(K.IndustryChain, name, {A.name: name}, row)
        self.chains.add(name, nid)
        return nid

    def _declare_links(self, rows):
        prefix = len(K.IndustryChain) + 1
        for r in rows:
            v = r.v
            cid = self._chain_id(v["chain"], r)
            if cid is None:
                continue
            link = v["link"]
            nid = self.links.in_chain.get((cid, _mk(link)))
            chain_key = cid[prefix:]
            nid = self.declare(K.ChainLink, f"{chain_key}/{link}",
                               {A.name: link, A.stage: v["stage"], A.note: v.get("note")}, r, nid)
            self.links.add(nid, cid, chain_key, link)
            r.v["_link"] = nid
            r.v["_chain"] = cid

    def _declare_technologies(self, rows):
        for r in rows:
            v = r.v
            hits = self.techs.get(v["name"])
            nid = self.declare(K.KeyTechnology, v["name"],
                               {A.name: v["name"], A.chokepoint: v.get("chokepoint"), A.status: v.get("status"),
                                A.mechanism: v.get("mechanism"), A.note: v.get("note")}, r,
                               hits[0] if hits else None)
            self.techs.add(v["name"], nid)
            v["_id"] = nid

    def _declare_enterprises(self, rows):
        """Declare the enterprises of one table. A row is *plain* when nothing can match it: no USCC
        or one that is new to the workspace, the files so far and the rest of this table, and the
        same for its name key. Plain rows (a list of new enterprises: all of them) are declared a
        column at a time; the others go through the resolution below, in row order."""
        if not rows:
            return
        self._index_plain()
        ents, fu, fk = self.ents, self._file_uscc, self._file_ekey
        upd = self.update
        nodes, name_of = self.nodes, ents.name_of
        prefix = node_id(ENTERPRISE, "")
        n = len(rows)
        cols = columns_of(rows, ["name", "uscc", "products", *(f for f, _ in ENTERPRISE_FLAGS)])
        flags = [(f, a) for f, a in ENTERPRISE_FLAGS if cols[f] is not None]
        names, keys = enterprise_names_keys(cols["name"])
        usccs = cols["uscc"] or [None] * n
        if cols["products"] is None:
            prods = [None] * n
        else:                       # rows with one 主要产品 text share its list: joined once
            pcol = cols["products"]
            joined = {i: "、".join(p) if p else None for i, p in dict(zip(map(id, pcol), pcol)).items()}
            prods = list(map(joined.__getitem__, map(id, pcol)))
            del joined
        nids = [prefix + name for name in names]
        by_uscc = ents.by_uscc if any(usccs) else {}        # (indexed when first asked for)
        kset = set(keys)
        dup_keys = _repeated(keys) if len(kset) != n else set()
        dup_usccs = _repeated([u for u in usccs if u])
        hit = ents.known_keys(kset)         # (the workspace's keys made a dict only when one is hit)
        del kset
        taken = list(map(hit.__contains__, keys)) if hit else [False] * n      # what could match a row,
        del hit                                                                 # a column at a time
        for found in (name_of.__contains__, nodes.__contains__):
            taken = list(map(or_, taken, map(found, nids)))
        for found in (fk, dup_keys):
            if found:
                taken = list(map(or_, taken, map(found.__contains__, keys)))
        if any(usccs):
            for found in (by_uscc, fu, dup_usccs):
                if found:
                    taken = list(map(or_, taken, map(found.__contains__, usccs)))
        plain = list(map(not_, taken))
        # a row is *known* when it names, as written, the one workspace enterprise of its key (and
        # its USCC, if any, is that enterprise's): what the resolution below finds, without a note
        # (and no other row of the table reaches that enterprise by its USCC)
        known, ids = [False] * n, list(nids)
        by_key, more = (ents.by_key, ents.more_by_key) if any(taken) else ({}, {})
        uscc_of = ents.uscc_of if any(usccs) else {}
        reached = Counter(map(by_uscc.get, filter(None, usccs))) if any(usccs) else {}
        for i in compress(range(n), taken):
            k, u = keys[i], usccs[i]
            nid = by_key.get(k)
            if (nid is None or k in more or k in fk or k in dup_keys or nid in nodes or name_of[nid] != names[i]
                    or reached.get(nid, 0) != (1 if u else 0)
                    or (u and (u in fu or u in dup_usccs or by_uscc.get(u) != nid or uscc_of.get(nid) != u))):
                ids[i] = None
                continue
            known[i], ids[i] = True, nid
        del taken
        quick = list(map(or_, plain, known))
        if any(quick):          # a new enterprise's attrs carry its provenance (see _NOT_COMPARED)
            sources, as_ofs = provenance(rows)
            for i in compress(range(n), map(not_, plain)):
                sources[i] = as_ofs[i] = None
            block = NodeBlock([SOURCE, AS_OF, NAME, USCC, *(a for _, a in flags), PRODUCTS],
                              [sources, as_ofs, names, usccs, *(cols[f] for f, _ in flags), prods])
            pns = list(map(PlannedNode, repeat(ENTERPRISE), names, repeat(None), rows, repeat(False), repeat(block),
                           range(n)))
        self._ids[id(rows)] = (rows, ids)
        if all(quick):
            nodes.update(zip(ids, pns))
        else:
            for i, r in enumerate(rows):
                if quick[i]:
                    nodes[ids[i]] = pns[i]
                    continue
                name, ekey, uscc = names[i], keys[i], usccs[i]
                nid = None
                if uscc:
                    hit = fu.get(uscc)
                    if hit is not None:
                        nid, first = hit
                        if enterprise_key(self.nodes[nid].attrs[A.name]) != ekey:
                            self.problem(r, "uscc", f"{uscc} is given to {self.nodes[nid].attrs[A.name]} on "
                                                    f"{_at(first, r)} and to {name} here; one code, one enterprise")
                            continue
                        self._merged_in_lists(r, name, nid, first, "same code")
                    else:
                        wid = ents.by_uscc.get(uscc)
                        if wid is not None:
                            nid = wid
                            if enterprise_key(ents.name_of[wid]) != ekey and not upd:
                                self.problem(r, "name", f"{name} has 统一社会信用代码 {uscc}, which the workspace gives "
                                                        f"to {ents.name_of[wid]}; fix the name or the code (or pass "
                                                        "--update to keep the code and the workspace name)")
                                continue
                if nid is None:
                    hit = fk.get(ekey)
                    if hit is not None:
                        nid, first = hit
                        other = self.nodes[nid].attrs.get(A.uscc)
                        if uscc and other and other != uscc:
                            self.problem(r, "uscc", f"{name} has {uscc} here but {other} on {_at(first, r)}; "
                                                    "one enterprise, one code")
                            continue
                        self._merged_in_lists(r, name, nid, first, "same name" if uscc else "same name, no code")
                    else:
                        cands = ents.matches(ekey)
                        if len(cands) > 1:
                            listed = "、".join(f"{ents.name_of[c]} ({ents.uscc_of.get(c, 'no code')})"
                                              for c in cands[:5])
                            self.problem(r, "name", f"{name} matches {len(cands)} enterprises in the workspace: "
                                                    f"{listed}; add its 统一社会信用代码 to say which")
                            continue
                        if cands:
                            nid = cands[0]
                            other = ents.uscc_of.get(nid)
                            if uscc and other and other != uscc:
                                if not upd:
                                    self.problem(r, "uscc", f"{name} has {uscc} here but {other} in the workspace "
                                                            f"({ents.name_of[nid]}); fix the code, or pass --update "
                                                            "to let the file win")
                                    continue
                        if nid is not None and ents.name_of[nid] != name:
                            self.merged.append(f"{name} ({r.table.label}:row {r.num}) is {ents.name_of[nid]}"
                                               f"{'' if uscc else ' (same name, no code)'}")
                attrs = {NAME: name, USCC: uscc}
                for fld, attr in flags:
                    attrs[attr] = cols[fld][i]
                if prods[i] is not None:
                    attrs[PRODUCTS] = prods[i]
                if nid is not None:
                    attrs[NAME] = self.nodes[nid].attrs[NAME] if nid in self.nodes else ents.name_of[nid]
                    nid = self.declare(ENTERPRISE, name, attrs, r, nid)
                else:
                    nid = nids[i]
                    if nid in nodes:
                        nid = self.declare(ENTERPRISE, name, attrs, r, nid)
                    else:
                        if None in attrs.values():
                            attrs = {a: x for a, x in attrs.items() if x is not None}
                        nodes[nid] = PlannedNode(ENTERPRISE, name, attrs, r)
                if uscc and uscc not in fu:
                    fu[uscc] = (nid, r)
                if ekey not in fk:
                    fk[ekey] = (nid, r)
                if nid not in name_of:
                    ents.add(nid, attrs[NAME], uscc, ekey)
                ids[i] = nid
        if any(plain):              # nothing in this table can match a plain row: indexed when asked
            pick = list if all(plain) else (lambda c: list(compress(c, plain)))
            self._fresh.append(pick(nids))
            self._plain.append([True, *map(pick, (keys, nids, rows, usccs, names))])
        if any(known):              # the enterprise index has them already
            self._plain.append([False, *(list(compress(c, known)) for c in (keys, ids, rows, usccs, names))])

    def _index_plain(self):
        """Put the plain enterprises declared so far into the indexes (before anything looks them up)."""
        fu, fk = self._file_uscc, self._file_ekey
        for new, keys, nids, rows, usccs, names in self._plain:
            fk.update(zip(keys, zip(nids, rows)))
            if any(usccs):
                fu.update((u, (nid, r)) for u, nid, r in zip(usccs, nids, rows) if u)
            if new:
                self.ents.add_new(nids, names, usccs, keys)
        self._plain = []

    def _merged_in_lists(self, r, name, nid, first, why):
        """Two spellings of one enterprise in the lists: merged (as ``first`` declared it), and said."""
        seen = self.nodes[nid].attrs[A.name]
        if seen != name:
            self.merged.append(f"{name} ({r.table.label}:row {r.num}) is {seen} ({_at(first, r)}, {why})")

    def _declare_resources(self, rows):
        for r in rows:
            v = r.v
            kind, pkind = v["type"]
            idx = self.orgs[kind]
            hits = idx.get(v["name"])
            attrs = {A.name: v["name"]}
            if kind == K.InnovationPlatform:
                attrs[A.platformKind] = pkind
            if v.get("level"):
                if kind in (K.Talent, K.TalentTeam):
                    self.problem(r, "level", f"级别 applies to platforms, universities and institutes; for a "
                                             f"{'人才' if kind == K.Talent else '团队'} use 人才层次")
                    continue
                attrs[A.level] = v["level"]
            if v.get("talent_level"):
                if kind not in (K.Talent, K.TalentTeam):
                    self.problem(r, "talent_level", "人才层次 applies to 人才 and 团队 only; leave it blank here")
                    continue
                attrs[A.talentLevel] = v["talent_level"]
            nid = self.declare(kind, v["name"], attrs, r, hits[0] if hits else None)
            idx.add(v["name"], nid)
            v["_id"] = nid
            v["_kind"] = kind

    def _declare_targets(self, rows):
        for r in rows:
            v = r.v
            v["_id"] = self.declare(K.Target, v["name"], {
                A.name: v["name"], A.value: v["value"], A.unit: v.get("unit"), A.year: v.get("year"),
                A.comparator: v.get("comparator"), A.section: v.get("section")}, r)

    def kg_kind(self, nid):
        pn = self.nodes.get(nid)
        return pn.kind if pn is not None else self.kg.kind(nid)

    # ------------------------------------------------------------------ references
    def edge(self, u, rel, v, row):
        if self._block is not None:
            self._spill()
        if (u, rel, v) not in self.edges:
            self.edges[(u, rel, v)] = prov(row)

    def _spill(self):
        """Move the edges planned as columns into ``edges`` (before anything else is planned there:
        they stay first, in their order)."""
        block, self._block = self._block, None
        for rel, us, vs, sources, as_ofs in block:
            self.edges.update(zip(zip(us, repeat(rel), vs), ({SOURCE: s, AS_OF: a} for s, a in zip(sources, as_ofs))))

    def edge_groups(self) -> list:
        """The planned edges by relation, each relation in the order it was first planned and its
        edges in the order planned: ``[(rel, us, vs, {attribute: values})]`` (``None``: that edge
        lacks the attribute). The plan lets them go. ``from_planned`` says afterwards whether every
        edge's source is a planned node (edges planned as columns: an enterprises table's)."""
        block, self._block = self._block, None
        self.from_planned = block is not None
        if block is not None:
            return [(rel, us, vs, {SOURCE: sources, AS_OF: as_ofs}) for rel, us, vs, sources, as_ofs in block if us]
        keys, datas = list(self.edges), list(self.edges.values())
        self.edges = {}
        us, rels, vs = (list(map(itemgetter(j), keys)) for j in (0, 1, 2))
        del keys
        groups = []
        for rel in dict.fromkeys(rels):
            idx = list(compress(range(len(rels)), map(rel.__eq__, rels))) if len(groups) or rels.count(rel) != len(rels) \
                else range(len(rels))
            pdatas = list(map(datas.__getitem__, idx))
            names = dict.fromkeys(_chain.from_iterable(dict(zip(map(id, pdatas), pdatas)).values()))
            groups.append((rel, list(map(us.__getitem__, idx)), list(map(vs.__getitem__, idx)),
                           {a: list(map(dict.get, pdatas, repeat(a))) for a in names}))
        return groups

    def chain(self, name, row, field="chain"):
        hits = self.chains.get(name)
        if hits:
            return hits[0]
        self.problem(row, field, f"产业链 {name!r} is in no links list of this load and not in the workspace"
                                 f"{suggest(name, self.chains.names())}; load its 产业链环节表 too, or fix the name")
        return None

    def _link_key(self, text, chain_id):
        """``(chain_id, text, match key)`` of a 环节 cell: 产业链/环节 names its chain."""
        if "/" in text:
            c, _, l = text.partition("/")
            hits = self.chains.get(c.strip())
            if hits:
                chain_id, text = hits[0], l.strip()
        return chain_id, text, _mk(text)

    def _find_link(self, text, chain_id):
        """What ``link`` returns when it finds the link, else ``None`` (and no problem is added)."""
        chain_id, text, mk = self._link_key(text, chain_id)
        if chain_id is not None:
            return self.links.in_chain.get((chain_id, mk))
        cands = self.links.by_name.get(mk, [])
        return cands[0] if len(cands) == 1 else None

    def link(self, text, chain_id, row, field):
        """The link id for ``text`` (环节 or 产业链/环节), inside ``chain_id`` when given; else ``None``
        after saying why (not found, or in several chains)."""
        nid = self._find_link(text, chain_id)
        if nid is not None:
            return nid
        links = self.links
        chain_id, text, mk = self._link_key(text, chain_id)
        if chain_id is not None:
            cname = self.chain_name(chain_id)
            self.problem(row, field, f"环节 {text!r} is not a link of 产业链 {cname} in the lists or the workspace"
                                     f"{suggest(text, links.names_in(chain_id))}; add it to the 产业链环节表 or "
                                     "fix the name")
            return None
        cands = links.by_name.get(mk, [])
        if cands:
            listed = "、".join(links.label[c] for c in cands[:6])
            self.problem(row, field, f"环节 {text!r} is in {len(cands)} chains: {listed}; write it as 产业链/环节")
            return None
        self.problem(row, field, f"环节 {text!r} is in no links list of this load and not in the workspace"
                                 f"{suggest(text, list(links.labels()))}; add it to the 产业链环节表 or fix the name")
        return None

    def chain_name(self, cid):
        pn = self.nodes.get(cid)
        return pn.attrs[A.name] if pn is not None else self.kg.name(cid)

    def tech(self, text, row, field):
        hits = self.techs.get(text)
        if hits:
            return hits[0]
        self.problem(row, field, f"关键核心技术 {text!r} is in no technologies list of this load and not in the "
                                 f"workspace{suggest(text, self.techs.names())}; add it to the 关键核心技术攻关清单 "
                                 "or fix the name")
        return None

    def place(self, text, row):
        nid = self.places.exact.get(text)
        if nid is not None:
            return nid
        hits = self.places.get(text)
        if hits:
            return hits[0]
        nid = node_id(K.Region, text)
        self.nodes[nid] = PlannedNode(K.Region, text, {A.name: text}, row, auto=True)
        self.places.add(text, nid)
        self.auto_regions.append(text)
        return nid

    def org(self, text, kinds, row, field, what):
        self._index_plain()
        found = []
        for k in kinds:
            if k == K.Enterprise:
                found += [n for n in self.ents.by_name(text) if n not in found]
            else:
                found += [n for n in self.orgs[k].get(text) if n not in found]
        if len(found) == 1:
            return found[0]
        if found:
            listed = "、".join(f"{self.node_label(n)} ({self.kg_kind(n)})" for n in found[:5])
            self.problem(row, field, f"{text!r} names {len(found)} different nodes: {listed}; rename one of them")
            return None
        pool = [n for k in kinds if k != K.Enterprise for n in self.orgs[k].names()]
        if len(self.ents.name_of) <= 5000:
            pool += list(self.ents.names())
        self.problem(row, field, f"{what} {text!r} is in no list of this load and not in the workspace"
                                 f"{suggest(text, pool)}; add it to the 企业清单 or 创新资源清单, or fix the name")
        return None

    def node_label(self, nid):
        pn = self.nodes.get(nid)
        return pn.attrs[A.name] if pn is not None else self.kg.name(nid)

    def connect_rows(self, kind, rows):
        getattr(self, f"_connect_{kind}")(rows)

    def _connect_regions(self, rows):
        for r in rows:
            v = r.v
            if v.get("parent"):
                me = self.places.get(v["name"])[0]
                p = self.place(v["parent"], r)
                if p != me:
                    self.edge(me, R.locatedIn, p, r)

    def _connect_links(self, rows):
        for r in rows:
            v = r.v
            if "_link" not in v:
                continue
            me, cid = v["_link"], v["_chain"]
            self.edge(me, R.partOf, cid, r)
            if v.get("parent"):
                p = self.link(v["parent"], cid, r, "parent")
                if p is not None:
                    self.edge(me, R.subLinkOf, p, r)
            for s in v["supplies"]:
                t = self.link(s, cid, r, "supplies")
                if t is not None:
                    self.edge(me, R.supplies, t, r)
            for t in v["requires"]:
                tid = self.tech(t, r, "requires")
                if tid is not None:
                    self.edge(me, R.requires, tid, r)

    def _connect_technologies(self, rows):
        for r in rows:
            v = r.v
            if "_id" not in v:
                continue
            me = v["_id"]
            cid = None
            if v.get("chain"):
                cid = self.chain(v["chain"], r)
                if cid is None:
                    continue
                self.edge(me, R.concernsChain, cid, r)
            for l in v["required_by"]:
                lid = self.link(l, cid, r, "required_by")
                if lid is not None:
                    self.edge(lid, R.requires, me, r)
            for o in v["tackled_by"]:
                oid = self.org(o, TACKLERS, r, "tackled_by", "牵头单位")
                if oid is not None:
                    self.edge(oid, R.tackles, me, r)

    def _connect_enterprises(self, rows):
        """The 所在环节 and 位于 edges of an enterprises table. When every row declared its enterprise
        and every 产业链 and 环节 named is found, the edges are made a column at a time; otherwise
        row by row, saying what is not found."""
        n = len(rows)
        cols = columns_of(rows, ["chain", "links", "region"])
        chain_col = cols["chain"] or [None] * n
        link_col = cols["links"] or [()] * n
        region_col = cols["region"] or [None] * n
        if not rows:
            return
        ids = self._ids[id(rows)][1]
        if None in ids:
            return self._connect_enterprises_rows(rows, ids, chain_col, link_col, region_col)
        cmap = {None: None, "": None}
        for c in set(chain_col):
            if c not in cmap:
                hits = self.chains.get(c)
                if not hits:
                    return self._connect_enterprises_rows(rows, ids, chain_col, link_col, region_col)
                cmap[c] = hits[0]
        cids = list(map(cmap.__getitem__, chain_col))
        rix, lids = self._link_columns(cids, link_col)
        if lids is None:
            return self._connect_enterprises_rows(rows, ids, chain_col, link_col, region_col)
        first = dict(zip(reversed(region_col), range(n - 1, -1, -1)))    # each region's first row
        first.pop(None, None)
        first.pop("", None)
        pmap = {reg: self.place(reg, rows[i]) for reg, i in sorted(first.items(), key=itemgetter(1))}
        if self._block is None and not self.edges and len(set(ids)) == n:
            # the first edges planned, one row per enterprise: no key can repeat, so they are kept as
            # columns (a row's 环节 edges, then every 位于 edge), in the order the dict below would have
            sources, as_ofs = provenance(rows)
            has = list(map(bool, region_col))
            self._block = [
                (IN_LINK, list(map(ids.__getitem__, rix)), lids, list(map(sources.__getitem__, rix)),
                 list(map(as_ofs.__getitem__, rix))),
                (LOCATED_IN, list(compress(ids, has)), list(map(pmap.__getitem__, compress(region_col, has))),
                 list(compress(sources, has)), list(compress(as_ofs, has)))]
            return
        if self._block is not None:
            self._spill()
        pvs = [{SOURCE: r.source, AS_OF: r.as_of} for r in rows]
        edges = self.edges
        # an edge already planned keeps its first row; with none planned and one row per enterprise,
        # a key repeats only inside a row (one attribute dict): update does the same
        keep = (lambda ks, ds: edges.update(zip(ks, ds))) if not edges and len(set(ids)) == n else \
            (lambda ks, ds: deque(map(edges.setdefault, ks, ds), 0))
        keep(list(zip(map(ids.__getitem__, rix), repeat(IN_LINK), lids)), list(map(pvs.__getitem__, rix)))
        del lids, rix
        keep([(me, LOCATED_IN, pmap[reg]) for me, reg in zip(ids, region_col) if reg],
             [pv for pv, reg in zip(pvs, region_col) if reg])

    def _link_columns(self, cids, link_col):
        """``(rix, lids)``: flat, the id of each link the rows name (a row's in its order, none twice)
        and the row it is on; ``lids`` is ``None`` when one is not found. Each distinct (产业链, 环节
        text) is looked up once, by one int (text number * chains + chain number); the rest is done a
        column at a time."""
        lens = list(map(len, link_col))
        rix = _spread(lens)
        texts = list(_chain.from_iterable(link_col))
        tnum = {t: j for j, t in enumerate(dict.fromkeys(texts))}
        cnum = {c: j for j, c in enumerate(dict.fromkeys(cids))}
        nc = len(cnum)
        rowc = list(map(cnum.__getitem__, cids))
        codes = list(map(add, map(mul, map(tnum.__getitem__, texts), repeat(nc)), map(rowc.__getitem__, rix)))
        del texts, rowc
        tlist, clist = list(tnum), list(cnum)
        found = {}
        for code in dict.fromkeys(codes):
            t, c = divmod(code, nc)
            lid = found[code] = self._find_link(tlist[t], clist[c])
            if lid is None:
                return rix, None
        lids = list(map(found.__getitem__, codes))
        if len(set(found.values())) != len(found):      # two texts name one link: a row names it once
            it = iter(lids)
            lists = [list(dict.fromkeys(islice(it, k))) for k in lens]
            rix = _spread(list(map(len, lists)))
            lids = list(_chain.from_iterable(lists))
        return rix, lids

    def _connect_enterprises_rows(self, rows, ids, chain_col, link_col, region_col):
        if self._block is not None:
            self._spill()
        edges = self.edges
        chains, links, places = {}, {}, {}      # what a text resolved to, looked up once per load
        for r, me, c, ls, reg in zip(rows, ids, chain_col, link_col, region_col):
            if me is None:
                continue
            pv = prov(r)
            cid = None
            if c:
                cid = chains.get(c)
                if cid is None:
                    cid = chains[c] = self.chain(c, r)
                    if cid is None:
                        del chains[c]
                        continue
            for l in ls:
                lid = links.get((cid, l))
                if lid is None:
                    lid = self.link(l, cid, r, "links")
                    if lid is None:
                        continue
                    links[(cid, l)] = lid
                e = (me, IN_LINK, lid)
                if e not in edges:
                    edges[e] = pv
            if reg:
                p = places.get(reg)
                if p is None:
                    p = places[reg] = self.place(reg, r)
                e = (me, LOCATED_IN, p)
                if e not in edges:
                    edges[e] = pv

    def _connect_resources(self, rows):
        for r in rows:
            v = r.v
            if "_id" not in v:
                continue
            me, kind = v["_id"], v["_kind"]
            if v.get("host"):
                if kind == K.InnovationPlatform:
                    h = self.org(v["host"], HOSTS, r, "host", "依托单位")
                    if h is not None:
                        self.edge(me, R.hostedBy, h, r)
                elif kind in (K.Talent, K.TalentTeam):
                    h = self.org(v["host"], AFFILIATIONS, r, "host", "所在单位")
                    if h is not None:
                        self.edge(me, R.affiliatedWith, h, r)
                else:
                    self.problem(r, "host", "依托单位 applies to platforms, 人才 and 团队; leave it blank for "
                                            "高校 and 科研院所")
            cid = self.chains.get(v["chain"])[0] if v.get("chain") and self.chains.get(v["chain"]) else None
            for l in v["supports"]:
                lid = self.link(l, cid, r, "supports")
                if lid is not None:
                    self.edge(me, R.supports, lid, r)
            for t in v["tackles"]:
                tid = self.tech(t, r, "tackles")
                if tid is not None:
                    self.edge(me, R.tackles, tid, r)
            if v["expert_in"] and kind not in (K.Talent, K.TalentTeam):
                self.problem(r, "expert_in", "研究方向 applies to 人才 and 团队; use 支撑环节 or 攻关技术 for others")
            else:
                for x in v["expert_in"]:
                    hits = self.techs.get(x)
                    if hits:
                        self.edge(me, R.expertIn, hits[0], r)
                        continue
                    lid = self.link(x, cid, r, "expert_in")
                    if lid is not None:
                        self.edge(me, R.expertIn, lid, r)
            if v.get("region"):
                self.edge(me, R.locatedIn, self.place(v["region"], r), r)

    def _connect_targets(self, rows):
        for r in rows:
            v = r.v
            if "_id" not in v:
                continue
            if v.get("chain"):
                cid = self.chain(v["chain"], r)
                if cid is not None:
                    self.edge(v["_id"], R.concernsChain, cid, r)

    # ------------------------------------------------------------------ comparing with the graph
    def diff(self):
        """``(added, updated, unchanged, changes)``: node ids, {nid: {attr: value}}, changes listed.

        A value that differs from the graph's is a conflict (a problem) unless ``update``.
        """
        kg, nodes = self.kg, self.nodes
        updated, unchanged, changes = {}, [], []
        n_fresh = sum(map(len, self._fresh))       # known to be new: not asked (disjoint lists)
        if n_fresh == len(nodes):                   # (every planned node)
            have = [False] * len(nodes)
        elif n_fresh:
            fresh = set(_chain.from_iterable(self._fresh))
            ask = list(filterfalse(fresh.__contains__, nodes))
            there = set(compress(ask, map(kg.has_node, ask)))
            have = list(map(there.__contains__, nodes))
            del fresh, ask, there
        else:
            have = list(map(kg.has_node, nodes))    # (a column at a time: most planned nodes are new)
        added = list(compress(nodes, map(not_, have)))
        there = list(compress(nodes, have))
        for nid, same in zip(there, self._same_columns(there)):
            if same:                                # (known from the columns: as below, the usual case)
                unchanged.append(nid)
                continue
            pn = nodes[nid]
            old = kg.attrs(nid)
            if pn.attrs.items() <= old.items():     # every value as the workspace has it (the usual case)
                unchanged.append(nid)
                continue
            new = {}
            for a, v in pn.attrs.items():
                if a in _NOT_COMPARED:
                    continue
                o = old.get(a)
                if o == v:
                    continue
                if o is not None and not self.update:
                    self.problem(pn.row, ATTR_FIELD.get(a),
                                 f"{show(v)} here but {show(o)} in the workspace for {old['name']}"
                                 f"{' (from ' + old['source'] + ')' if old.get('source') else ''}; "
                                 "fix the file, or pass --update to let the file win")
                    continue
                new[a] = v
                if o is not None:
                    changes.append(f"{old['name']}: {a} {show(o)} → {show(v)} ({pn.row.table.label}:row {pn.row.num})")
            if new:
                updated[nid] = new
            else:
                unchanged.append(nid)
        return added, updated, unchanged, changes

    def _same_columns(self, nids) -> list:
        """For each planned node of ``nids`` (all in the graph) whether every value it has is the graph's
        (``attrs.items() <= kg.attrs(nid).items()``), compared a column at a time when they are rows of
        one enterprises table whose dicts were never made; else ``False`` each (``diff`` then looks)."""
        pns = list(map(self.nodes.__getitem__, nids))
        blocks = set(map(attrgetter("block"), pns))
        if len(blocks) != 1 or None in blocks or any(map(attrgetter("_attrs"), pns)):
            return [False] * len(nids)
        block = blocks.pop()
        idx = list(map(attrgetter("i"), pns))
        olds = list(map(self.kg.attrs, nids))
        same = [True] * len(nids)
        for a, col in zip(block.names, block.cols):        # (a value None: the node does not have it)
            vals = list(map(col.__getitem__, idx))
            same = list(map(and_, same, map(or_, map(is_, vals, repeat(None)),
                                            map(eq, vals, map(dict.get, olds, repeat(a), repeat(_ABSENT))))))
        return same


_mk = match_key
_ABSENT = object()
_NOT_COMPARED = frozenset([A.name, A.source, A.asOf])   # a plain new enterprise's attrs carry its provenance


def _spread(lens) -> list:
    """Each position ``i`` of ``lens`` repeated ``lens[i]`` times (the row of each flat item)."""
    return list(_chain.from_iterable(map(repeat, range(len(lens)), lens)))


def _repeated(values) -> set:
    """The values that occur more than once."""
    if len(set(values)) == len(values):
        return set()
    return {v for v, m in Counter(values).items() if m > 1}


def _at(first_row, row):
    return f"row {first_row.num}" if first_row.table is row.table else f"{first_row.table.label}:row {first_row.num}"
