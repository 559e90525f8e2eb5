"""The gaps (named questions, raw rows) — see DESIGN.md "Gaps — the reference meaning".

Each function returns the raw rows of one named question, sorted; :func:`find_gaps` turns them
into :class:`~.records.Gap` records with severity, reason and ranked candidates through the
shared functions of :mod:`.severity` (which the Neo4j and RDF backends reuse).

Decisions where the reference is silent (also in queries/README.md):

- a link "has" the enterprises in it or in any of its sub-links;
- a technology counts as tackled only through ``tackles`` (an expert alone does not tackle it,
  but is a candidate); a technology already 已突破 is no technology gap;
- broken (断链): a missing link reached along ``supplies`` (transitively, inside its chain)
  from a link with enterprises and reaching one;
- weak (弱链): exactly one enterprise, or every enterprise *known* not 规上, not 高新 and not 链主
  (an absent flag is unknown, so a link with unknown flags is not called weak on size);
- 三无: all three of has R&D staff / platform / funds recorded false, and it hosts no platform;
- idle: a node in scope with no support path to any link of any chain (with --chain: only nodes
  whose technologies concern that chain), or a technology 已突破 that no link requires.
"""
from __future__ import annotations

from heapq import nsmallest
from itertools import chain as _concat, compress, islice, repeat
from operator import attrgetter, is_, itemgetter

from ._vocab import A, K, R
from .order import stage_rank
from .records import (CandidateFact, IdleRow, InnovationGapRow, MissingLinkRow, SanwuRow,
                      TechnologyGapRow, WeakLinkRow)
from .scope import INNOVATION_KINDS, chains_of, resolve_chain
from .severity import LEVEL_BONUS
from .support import Facts, candidate_level, facts, min_stage, supply_neighbours

__all__ = ["innovation_gaps", "technology_gaps", "missing_links", "weak_links", "sanwu_enterprises",
           "idle_innovation", "gap_candidates", "find_gaps", "GAP_KINDS", "RAW_QUESTIONS"]

_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_NAME = itemgetter("name")
GAP_KINDS = ("innovation", "technology", "missing", "broken", "weak", "sanwu", "idle")
ACHIEVED = "已突破"


def _open_chokepoint(d) -> bool:
    return d.get(A.chokepoint) is True and d.get(A.status) != ACHIEVED


def _chokepoint_link(f: Facts, link) -> bool:
    return any(_open_chokepoint(f.node[t]) for t in f.requires(link))


def _dependents(f: Facts, link, cap=None) -> int:
    """Enterprises in ``link`` (and its sub-links) and in the links it supplies, each once
    (exact below ``cap``, see :meth:`.Facts.covering_union`)."""
    links = [link]
    for v, kd in f.succ[link].items():
        if R.supplies in kd and v != link:
            links.append(v)
    return f.covering_union(tuple(links), cap)


# ---------------------------------------------------------------------------- innovation
def innovation_gaps(kg, chain=None, region=None, *, f: Facts | None = None, _cap: int | None = None) -> list[InnovationGapRow]:
    """Links with no support by any path, own or inherited, in chain order."""
    f = f or facts(kg, region)
    node = f.node
    out = []
    for cname, l in f.ordered(chain):
        if f.supported(l):
            continue
        d = node[l]
        out.append(InnovationGapRow(cname, l, d["name"], d.get(A.stage), len(f.covering(l)), _dependents(f, l, _cap),
                                    len(f.requires(l)), _chokepoint_link(f, l)))
    return out


# ---------------------------------------------------------------------------- technology
def _required(f: Facts, kg, chain):
    """{tech: [link, ...]} of the chain's links (chain order)."""
    req = {}
    for _, l in f.ordered(chain):
        for t in f.requires(l):
            req.setdefault(t, []).append(l)
    return req


def technology_gaps(kg, chain=None, region=None, *, f: Facts | None = None, _cap: int | None = None) -> list[TechnologyGapRow]:
    """Technologies required by a chain's links that nobody in scope tackles (and not 已突破)."""
    f = f or facts(kg, region)
    node = f.node
    out = []
    for c in chains_of(kg, chain):
        cname = node[c]["name"]
        for t, links in _required(f, kg, c).items():
            td = node[t]
            if td.get(A.status) == ACHIEVED or f.tackled(t):
                continue
            deps = f.covering_union(tuple(dict.fromkeys(links)), _cap)
            experts = sum(1 for u, rel in f.tacklers(t) if rel == R.expertIn)
            ids = tuple(sorted(links))
            out.append(TechnologyGapRow(cname, t, td["name"], td.get(A.chokepoint), td.get(A.status),
                                        td.get(A.mechanism), ids, tuple(node[l]["name"] for l in ids),
                                        min_stage(node[l].get(A.stage) for l in links), deps, experts))
    out.sort(key=lambda r: (r.chain, r.chokepoint is not True, r.tech, r.tech_id))
    return out


# ---------------------------------------------------------------------------- missing / broken
def missing_links(kg, chain=None, region=None, *, f: Facts | None = None, _cap: int | None = None) -> list[MissingLinkRow]:
    """Links with no enterprise in scope; broken when links with enterprises lie upstream and downstream."""
    f = f or facts(kg, region)
    node = f.node
    everything = f.unscoped()
    out = []
    order = f.ordered(chain)
    by_chain = {}
    for cname, l in order:
        by_chain.setdefault(cname, set()).add(l)
    rows, walks = f.structure(), {}
    for cname, l in order:
        if f.covering_head(l, 1):
            continue
        walk = walks.get(cname)
        if walk is None:
            members = by_chain[cname]
            walk = walks[cname] = supply_neighbours(members, {m: rows[m].supplies for m in members if m in rows})
        up = sum(1 for u in walk(l, False) if f.covering_head(u, 1))
        down = sum(1 for v in walk(l, True) if f.covering_head(v, 1))
        elsewhere = 0 if everything is f else len(everything.covering(l))
        d = node[l]
        out.append(MissingLinkRow(cname, l, d["name"], d.get(A.stage), bool(up and down), up, down,
                                  _dependents(f, l, _cap), elsewhere, _chokepoint_link(f, l)))
    return out


# ---------------------------------------------------------------------------- weak
_LEADER, _HIGH, _ABOVE = A.chainLeader, A.highTech, A.aboveScale


def _strength(d):
    """'strong', 'small' (known not strong) or 'unknown'."""
    if d.get(_LEADER) is True or d.get(_HIGH) is True or d.get(_ABOVE) is True:
        return "strong"
    if d.get(_HIGH) is False and d.get(_ABOVE) is False:
        return "small"
    return "unknown"


def weak_links(kg, chain=None, region=None, *, f: Facts | None = None, _cap: int | None = None) -> list[WeakLinkRow]:
    """Links carried by one enterprise, or only by enterprises known small and not high-tech."""
    f = f or facts(kg, region)
    node = f.node
    out = []
    for cname, l in f.ordered(chain):
        head = f.covering_head(l, 2)
        if not head:
            continue
        single = len(head) == 1
        if not single:
            # not weak as soon as one enterprise is strong or unknown: stop there (read lazily)
            if any(_strength(node[e]) != "small" for e in f.covering_iter(l)):
                continue
        ents = head if single else f.covering(l)
        kinds = [_strength(node[e]) for e in ents]
        strong, unknown = kinds.count("strong"), kinds.count("unknown")
        small_only = strong == 0 and unknown == 0
        one = ents[0] if single else ""
        d = node[l]
        out.append(WeakLinkRow(cname, l, d["name"], d.get(A.stage), len(ents), strong, unknown, single,
                               small_only, _dependents(f, l, _cap), _chokepoint_link(f, l), one,
                               node[one]["name"] if one else ""))
    return out


# ---------------------------------------------------------------------------- 三无
_RD = (A.hasRdStaff, A.hasRdPlatform, A.hasRdFunds)
_STAFF, _RDP, _FUNDS = _RD


def rd_state(f: Facts, e) -> str:
    """'sanwu' (all three known absent, hosts no platform), 'possible' (none known present, some
    unknown) or 'no'."""
    d = f.node[e]
    a, b, c = d.get(_STAFF), d.get(_RDP), d.get(_FUNDS)
    if a is True or b is True or c is True or f.hosts_any_platform(e):
        return "no"
    return "sanwu" if a is False and b is False and c is False else "possible"


def chain_enterprises(f: Facts, kg, chain_id) -> dict:
    """{enterprise: [link, ...]} in scope for the links of one chain."""
    ents = {}
    for _, l in f.ordered(chain_id):
        for e in f.enterprises(l):
            ents.setdefault(e, []).append(l)
    return ents


def _sanwu_named(f: Facts) -> list:
    """[(name, enterprise)] of the enterprises in scope known to be 三无 (rd_states' 'sanwu'), in
    graph order: the node dicts (only enterprises carry the R&D flags) filtered on the first flag
    in C, the few hits checked further."""
    P, F, ent = _RDP, _FUNDS, K.Enterprise
    node = f.node
    first = compress(node.items(), map(is_, map(dict.get, node.values(), repeat(_STAFF)), repeat(False)))
    hits = [(d["name"], e) for e, d in first if d.get(P) is False and d.get(F) is False and d["kind"] == ent]
    hosts = f.platform_hosts()
    if f.filtering:
        ok = f.ok
        return [h for h in hits if h[1] not in hosts and ok(h[1])]
    return [h for h in hits if h[1] not in hosts]


def _sanwu_ids(f: Facts) -> dict:
    """{enterprise: name} of :func:`_sanwu_named`, in graph order."""
    return {e: n for n, e in _sanwu_named(f)}


def _chain_of_links(f: Facts, kg, chain) -> dict:
    """{link: its chain} for the links of the chains asked (a link of two chains: the last by name)."""
    pred, part_of = f.pred, R.partOf
    chain_of = {}
    for c in chains_of(kg, chain):
        for l, kd in pred[c].items():
            if part_of in kd:
                chain_of[l] = c
    return chain_of


def _sanwu_groups(f: Facts, kg, chain) -> dict:
    """{(chain id, link id, ...): [(enterprise, name), ...]}: the 三无 enterprises by chain and the
    set of that chain's links they are in (one link as is, several sorted by id); the enterprises
    of a group in no particular order (every caller sorts)."""
    succ = f.succ
    chain_of = _chain_of_links(f, kg, chain)
    is_link = chain_of.__contains__
    # first by the enterprise's links as its edges list them (a tuple made in C; by the ontology
    # an enterprise's only relation to a link is inLink), then each distinct tuple split by chain
    # and sorted once
    by_edges = {}
    for item in _sanwu_ids(f).items():
        links = tuple(filter(is_link, succ[item[0]]))
        got = by_edges.get(links)
        if got is None:
            by_edges[links] = [item]
        else:
            got.append(item)
    groups = {}
    for links, items in by_edges.items():
        if not links:
            continue
        if len(links) == 1:
            l = links[0]
            parts = ((chain_of[l], l),)
        else:
            c0 = chain_of[links[0]]
            if all(chain_of[l] is c0 for l in links):
                parts = ((c0, *sorted(links)),)
            else:
                by = {}
                for l in links:
                    by.setdefault(chain_of[l], []).append(l)
                parts = [(c, ls[0]) if len(ls) == 1 else (c, *sorted(ls)) for c, ls in by.items()]
        for key in parts:
            g = groups.get(key)
            if g is None:
                groups[key] = items if len(parts) == 1 else list(items)
            else:
                g += items
    return groups


def _link_sets(f: Facts, groups: dict) -> list:
    """For each :func:`_sanwu_groups` group, (chain name, link ids, link names, most upstream
    stage, its enterprises).

    Each link's name and (stage rank, stage) are read once; a set of links then takes its names
    and the first of its most upstream stages (``min`` keeps the first of equal ranks) in C."""
    node = f.node
    name_of, rs_of = {}, {}         # chain or link -> name; link -> (stage rank, stage) or None
    for x in set().union(*groups):
        d = node[x]
        st = d.get(A.stage)
        name_of[x] = d["name"]
        rs_of[x] = (stage_rank(st), st) if st else None
    names, ranked = name_of.__getitem__, rs_of.__getitem__
    out = []
    for key, ents in groups.items():
        ids = key[1:]
        if len(ids) == 1:
            rs = rs_of[ids[0]]
            out.append((name_of[key[0]], ids, (name_of[ids[0]],), rs[1] if rs else None, ents))
        else:
            out.append((name_of[key[0]], ids, tuple(map(names, ids)),
                        min(filter(None, map(ranked, ids)), key=_FIRST, default=_NO_STAGE)[1], ents))
    return out


_NO_STAGE = (None, None)
_NO_RANK = (float("inf"), None)      # a link without a stage, in _sanwu_gaps_into


def _sanwu_gaps_into(f: Facts, kg, chain, buckets: dict, link_candidates, limit, lap=None) -> None:
    """find_gaps' 三无 gaps into ``buckets`` (as :func:`.severity.sanwu_gaps_into` on
    :func:`_link_sets` of :func:`_sanwu_groups` makes them), in one pass over the enterprises.

    ``link_candidates(link)``: the link's ranked candidates (a tuple). The 三无 enterprises are
    sorted once by (name, id); each one's chain links (as its edges list them) are looked up
    once per distinct tuple of links, which gives its (chain, link set) groups; each group's
    record prototype (link names, most upstream stage, severity, candidates merged over its
    links) is made once; then every record is made in that order into a list per (severity
    bucket, chain name), so a bucket is its chains' lists by chain name — in (chain, subject,
    subject id) order, with no sort of the records. ``lap(name)``: called after each step."""
    from .severity import KIND_ORDER, _Sorted, merged_candidates as merged, placed_candidates, sanwu_records, severity
    node, succ = f.node, f.succ
    chain_of = _chain_of_links(f, kg, chain)
    is_link = chain_of.__contains__
    order = _sanwu_named(f)
    order.sort()                    # by (name, id): the records' order inside a chain
    if lap:
        lap("sanwu_ids")
    # each enterprise's chain links as its edges give them (by the ontology an enterprise's only
    # relation to a link is inLink), a tuple made in C; each distinct tuple split into its groups
    tups = list(map(tuple, map(filter, repeat(is_link), map(succ.__getitem__, map(_SECOND, order)))))
    # parts_of: link tuple -> the (append, prototype, reason tail) of each of its groups, filled in
    # below; a tuple of one group (one chain: nearly all) shares its group's list
    parts_of, groups, several = {(): ()}, {}, []
    chain_at = chain_of.__getitem__
    for links in dict.fromkeys(tups):
        if not links:
            continue
        if len(links) == 1:
            key = (chain_of[links[0]], links[0])
        else:
            cs = tuple(map(chain_at, links))
            if cs.count(cs[0]) == len(cs):
                key = (cs[0], *sorted(links))
            else:
                by = {}
                for l in links:
                    by.setdefault(chain_of[l], []).append(l)
                keys = tuple((c, ls[0]) if len(ls) == 1 else (c, *sorted(ls)) for c, ls in by.items())
                for k in keys:
                    if k not in groups:
                        groups[k] = []
                several.append((links, keys))
                continue
        got = groups.get(key)
        if got is None:
            got = groups[key] = []
        parts_of[links] = got
    if lap:
        lap("sanwu_groups")
    # per link: name, (stage rank, stage) and ranked candidates, once
    name_of, rs_of, cands_of = {}, {}, {}
    for key in groups:
        c = key[0]
        if c not in name_of:
            name_of[c] = node[c]["name"]
        for l in key[1:]:
            if l not in name_of:
                d = node[l]
                st = d.get(A.stage)
                name_of[l] = d["name"]
                rs_of[l] = (stage_rank(st), st) if st else _NO_RANK     # no stage: after every stage
                cands_of[l] = link_candidates(l)
    if lap:
        lap("sanwu_links")
    # merging the candidates of several links: every candidate of every list a group merges is
    # placed once (severity.placed_candidates, as sanwu_gaps_into's plan); a group's merge is
    # then a sort of a few positions (a link's are ascending) and a walk keeping each
    # candidate's first entry (equal ranks: the same candidate, another why)
    merging = {}
    for key in groups:
        if len(key) > 2:
            ls = [l for l in key[1:] if cands_of[l]]
            if len(ls) > 1:
                merging.update(dict.fromkeys(ls))
    cand_at, rank_at, pos_of = placed_candidates((l, cands_of[l]) for l in merging)
    del merging
    sanwu = KIND_ORDER["sanwu"]
    slot = {}           # (chain, stage) -> (chain name, severity, its parts, append to its records)
    lists = {}          # (bucket key, chain name) -> the records, in order
    link_name, ranked = name_of.__getitem__, rs_of.__getitem__
    for key in groups:
        c = key[0]
        if len(key) == 2:
            l = key[1]
            links, stage, cands = name_of[l], rs_of[l][1], cands_of[l]
        else:
            ids_ = key[1:]
            links = "、".join(map(link_name, ids_))
            stage = min(map(ranked, ids_), key=_FIRST)[1]      # the first most upstream
            pl = [pos_of[l] for l in ids_ if l in pos_of]
            if len(pl) > 1:
                cands = merged(sorted(_concat(*pl)), cand_at, rank_at, limit)
            else:                       # one list (or none) has candidates: it, as it is
                cands = next(filter(None, map(cands_of.__getitem__, ids_)), ())
        s = slot.get((c, stage))
        if s is None:
            sev, parts = severity("sanwu", False, stage, 0)
            cname = name_of[c]
            out = lists.get(((-sev, sanwu), cname))
            if out is None:
                out = lists[((-sev, sanwu), cname)] = []
            s = slot[(c, stage)] = (cname, sev, parts, out.append)
        cname, sev, parts, add = s
        groups[key].append((add, {"kind": "sanwu", "chain": cname, "subject_id": "", "subject": "",
                                  "subject_kind": "Enterprise", "link": links, "stage": stage, "severity": sev,
                                  "severity_parts": parts, "reason": "", "candidates": cands},
                            f" 无研发人员、无研发机构、无研发经费（环节：{links}）"))
    for links, keys in several:         # an enterprise in links of several chains
        parts_of[links] = [groups[k][0] for k in keys]
    del groups, several
    sanwu_records((add, proto, tail, name, e)
                  for (name, e), parts in zip(order, map(parts_of.__getitem__, tups)) for add, proto, tail in parts)
    opened = set()
    for bkey, cname in sorted(lists):
        b = buckets.get(bkey)
        if bkey not in opened:          # as sanwu_gaps_into: a bucket already filled is sorted later
            opened.add(bkey)
            if b is None:
                b = buckets[bkey] = _Sorted()
            elif b:
                b = buckets[bkey] = list(b)
        b.extend(lists[(bkey, cname)])
    del order, tups, parts_of, slot, lists      # freed here, inside the last lap
    if lap:
        lap("sanwu_gaps")


def sanwu_enterprises(kg, chain=None, region=None, *, f: Facts | None = None) -> list[SanwuRow]:
    """Enterprises of the chain known to have no R&D staff, no R&D platform and no R&D funds."""
    f = f or facts(kg, region)
    node = f.node
    out = []
    make = SanwuRow._make
    leader = A.chainLeader
    groups = _sanwu_groups(f, kg, chain)
    for cname, ids, names, stage, ents in _link_sets(f, groups):
        for e, name in ents:
            out.append(make((cname, e, name, f.region(e), ids, names, stage, node[e].get(leader))))
    out.sort(key=attrgetter("chain", "enterprise", "enterprise_id"))
    return out


# ---------------------------------------------------------------------------- idle
def _required_anywhere(f: Facts, t, cache) -> bool:
    v = cache.get(t)
    if v is None:
        v = cache[t] = any(R.requires in kd and f.alive(l) for l, kd in f.pred[t].items())
    return v


def _uses_link(f: Facts, n, cache, links, techs) -> bool:
    """``links``/``techs``: the sets of every link / technology (kinds told without a node read)."""
    node, succ = f.node, f.succ
    for v, kd in succ[n].items():
        if v in links:
            if R.supports in kd or R.expertIn in kd:
                return True
        elif v in techs:
            if (R.tackles in kd or R.expertIn in kd) and _required_anywhere(f, v, cache):
                return True
        elif R.hostedBy in kd and node[v]["kind"] == K.Enterprise and f.alive(v):
            if any(R.inLink in k2 for k2 in succ[v].values()):
                return True
    return False


def _concerns(f: Facts, t) -> set:
    return {f.node[c]["name"] for c, kd in f.succ[t].items() if R.concernsChain in kd}


def idle_innovation(kg, chain=None, region=None, *, f: Facts | None = None) -> list[IdleRow]:
    """Innovation nodes in scope that no link uses, and achieved technologies no link requires."""
    f = f or facts(kg, region)
    node = f.node
    want = node[resolve_chain(kg, chain)]["name"] if chain else None
    out = []
    cache = {}
    links, techs = set(kg.nodes(K.ChainLink)), set(kg.nodes(K.KeyTechnology))
    # with nothing removed, "uses a link" is "has a support path of its own to some link"
    using = None if f.exclude else f.supporting_nodes()
    for kind in sorted(INNOVATION_KINDS):
        for n in kg.nodes(kind):
            if not f.ok(n) or ((n in using) if using is not None else _uses_link(f, n, cache, links, techs)):
                continue
            chains = set()
            for t, kd in f.succ[n].items():
                if (R.tackles in kd or R.expertIn in kd) and node[t]["kind"] == K.KeyTechnology:
                    chains |= _concerns(f, t)
            if want and want not in chains:
                continue
            d = node[n]
            out.append(IdleRow(n, d["name"], kind, f.region(n), d.get(A.level) or d.get(A.talentLevel),
                               "no_link", tuple(sorted(chains))))
    for t in kg.nodes(K.KeyTechnology):
        d = node[t]
        if d.get(A.status) != ACHIEVED or not f.alive(t):
            continue
        if any(R.requires in kd and node[l]["kind"] == K.ChainLink for l, kd in f.pred[t].items()):
            continue
        chains = _concerns(f, t)
        if want and want not in chains:
            continue
        out.append(IdleRow(t, d["name"], K.KeyTechnology, "", None, "achieved_unused", tuple(sorted(chains)),
                           d.get(A.chokepoint) is True))
    out.sort(key=lambda r: (r.reason, r.subject_kind, r.subject, r.subject_id))
    return out


# ---------------------------------------------------------------------------- candidates
def _ranker(f: Facts, k):
    """``ranked(cands, extra=0)``: the distinct ids ``cands`` as given, or with ``k`` (per_basis)
    not None only the best ``k + extra`` by (-level bonus, name, id) — a candidate's rank inside
    one basis. The rank keys are cached on ``f``."""
    node = f.node
    rank_key = f._rank_key

    def ranked(cands, extra=0):
        if k is None or len(cands) <= k + extra:
            return cands
        for c in cands:
            if c not in rank_key:
                rank_key[c] = _rank_key(node, c)
        # the best few of tens (100k) to hundreds (1M): a heap beats sorting them all
        # (supporters of every link: 8.4 -> 7.0 ms at 100k, 195 -> 142 ms at 1M)
        return nsmallest(k + extra, cands, key=rank_key.__getitem__)
    return ranked


def _rank_key(node, c) -> tuple:
    """(-level bonus, name, id): ``(-LEVEL_BONUS.get(_level(d) or "", 0), d["name"], c)``
    without the general level rule's call."""
    d = node[c]
    if d["kind"] == _ENTERPRISE:
        b = _B_LEADER if d.get(_LEADER) else _B_HIGH if d.get(_HIGH) else _B_ABOVE if d.get(_ABOVE) else 0
    else:
        b = _BONUS(d.get(_LEVEL) or d.get(_TALENT_LEVEL) or "", 0)
    return (-b, d["name"], c)


_B_LEADER, _B_HIGH, _B_ABOVE = LEVEL_BONUS["链主"], LEVEL_BONUS["高新技术企业"], LEVEL_BONUS["规上企业"]
_ENTERPRISE, _LEVEL, _TALENT_LEVEL, _BONUS = K.Enterprise, A.level, A.talentLevel, LEVEL_BONUS.get


def _sanwu_link_facts(f: Facts, cname, l, k) -> list[CandidateFact]:
    """The candidate facts of a 三无 gap in link ``l``: the link's own supporters (the best ``k``),
    as :func:`gap_candidates` gives them (basis supports_enterprise_link, via the link)."""
    sources = f._cand_sources.setdefault(k, {})
    got = sources.get(("supporters", l))
    if got is None:
        got = sources[("supporters", l)] = _ranker(f, k)(list(f.supporters(l)))
    node = f.node
    lname = node[l]["name"]
    out = []
    for n in got:
        d = node[n]
        out.append(CandidateFact("sanwu", cname, l, n, d["name"], d["kind"], "supports_enterprise_link", l, lname,
                                 True, f.region(n), _level(d)))
    return out


def _sanwu_link_candidates(f: Facts, l, k) -> tuple:
    """``rank_candidates(_sanwu_link_facts(f, chain, l, k), k)``, made without the facts: every
    fact of the link has the same basis and via, so the candidates rank by the rank key (level
    bonus, name, id) and each one's score is the basis' points plus its level bonus."""
    from .records import Candidate
    from .severity import _POINTS, BASIS
    basis = "supports_enterprise_link"
    sources = f._cand_sources.setdefault(k, {})
    got = sources.get(("supporters", l))
    if got is None:
        got = sources[("supporters", l)] = _ranker(f, k)(list(f.supporters(l)))
    node, rank_key = f.node, f._rank_key
    for c in got:
        if c not in rank_key:
            rank_key[c] = _rank_key(node, c)
    order = sorted(got, key=rank_key.__getitem__)
    if k is not None:
        order = order[:k]
    lname = node[l]["name"]
    points, why = _POINTS[basis], BASIS[basis][1]
    same = None if "{region}" in why else why.format(via=lname)      # the words, when the place is not in them
    make = Candidate._make
    out = []
    for n in order:
        key = rank_key[n]
        region = f.region(n)
        out.append(make((n, key[1], node[n]["kind"], points - key[0], True, region,
                         same if same is not None else why.format(via=lname, region=region or "未记录地区"))))
    return tuple(out)


def _level(d):
    return candidate_level(d["kind"], d.get(_LEADER), d.get(_HIGH), d.get(_ABOVE), d.get(A.level), d.get(A.talentLevel))


def gap_candidates(kg, chain=None, region=None, kinds=GAP_KINDS, *, f: Facts | None = None,
                   rows: dict | None = None, per_basis: int | None = None) -> list[CandidateFact]:
    """Facts about nodes that could close each gap (see severity.BASIS for the bases).

    For 三无 gaps the facts are keyed by link (subject_id = a link of the enterprise), shared by
    every 三无 enterprise of that link. ``per_basis`` keeps, for each gap and basis, only the best
    that many by (points + level bonus, name, id) — which leaves the top ``per_basis`` of
    :func:`.severity.rank_candidates` unchanged, and saves the work on large graphs.

    Each basis draws its candidates from *sources* (the supporters of a neighbouring link, the
    tacklers of a technology, the strong enterprises of a neighbouring link, ...); a source's
    best-first list is computed once and shared by every gap that draws on it. With
    ``per_basis`` = k only a source's best k (after excluding the gap's own enterprises) are
    taken: a candidate among a basis' best k has fewer than k others ahead of it in every
    source it comes from, so it and all its facts are kept.
    """
    f = f or facts(kg, region)
    g = f.unscoped()                  # the same facts without a region (f itself without one)
    node = f.node
    rows = rows if rows is not None else raw_gaps(kg, chain, region, kinds, f=f)
    k = per_basis
    raw = {}                       # (kind, chain, subject, basis) -> {(candidate, via, in_scope): None}
    ranked = _ranker(f, k)
    sources = f._cand_sources.setdefault(k, {})   # (what, id) -> candidate ids, best first when pruning
    neigh_cache = {}
    scope = f.scope

    def source(what, x, make):
        got = sources.get((what, x))
        if got is None:
            got = sources[(what, x)] = ranked(make())
        return got

    def add(kind, chain, subject, basis, cands, via="", in_scope=True):
        if not cands:
            return
        key = (kind, chain, subject, basis)
        entries = raw.get(key)
        if entries is None:
            entries = raw[key] = {}
        for c in cands:
            entries[(c, via, in_scope)] = None

    def neigh(l):
        n = neigh_cache.get(l)
        if n is None:
            n = neigh_cache[l] = sorted(f.neighbours(l).items())
        return n

    def supporters(l):
        return source("supporters", l, lambda: list(f.supporters(l)))

    def innovation_tacklers(t):
        return source("innovation_tacklers", t, lambda: list(dict.fromkeys(
            u for u, _ in f.tacklers(t) if node[u]["kind"] in INNOVATION_KINDS)))

    def enterprise_tacklers(t):
        return source("enterprise_tacklers", t, lambda: list(dict.fromkeys(
            u for u, rel in f.tacklers(t) if rel == R.tackles and node[u]["kind"] == K.Enterprise)))

    def direct_supporters(l):
        return source("direct_supporters", l, lambda: list(dict.fromkeys(
            n for n, how, _ in f.own_paths(l) if how == "direct" or how == "expert")))

    strong_cache = {}
    by_name = {}

    def strong(l, cov):
        """Strong enterprises in scope in link ``l`` not in ``cov``: all of them, or with
        ``per_basis`` the best k (by rank key: level bonus 链主 3, 高新 2, 规上 1, then name, id).
        The link's strong enterprises are kept by level, so only the needed level is ranked."""
        by = strong_cache.get(l)
        if by is None:
            # one pass, each enterprise's dict read once (at 10^6 enterprises a read is a cache
            # miss: three passes in C, one per flag, were slower there than this loop)
            L, H, S = _LEADER, _HIGH, _ABOVE
            lead, high, above = [], [], []
            for e in f.enterprises(l):
                d = node[e]
                if d.get(L) is True:
                    lead.append(e)
                elif d.get(H) is True:
                    high.append(e)
                elif d.get(S) is True:
                    above.append(e)
            by = strong_cache[l] = (lead, high, above)
        out = []
        for i, level in enumerate(by):
            cands = [e for e in level if e not in cov] if cov else level
            if k is None or len(out) + len(cands) <= k:
                out.extend(cands)
                continue
            # the best k - len(out) of one level: its enterprises share the level bonus, so their
            # rank is by (name, id) alone — the level sorted once, by names read in C
            srt = by_name.get((l, i))
            if srt is None:
                srt = by_name[(l, i)] = [e for _, e in sorted(zip(map(_NAME, map(node.__getitem__, level)), level))]
            need = k - len(out)
            out.extend(islice((e for e in srt if e not in cov), need) if cov else srt[:need])
            break
        return out

    if "innovation" in kinds:
        for r in rows.get("innovation", ()):
            l, c = r.link_id, r.chain
            if g is not f:
                add("innovation", c, l, "supports_link_outside",
                    ranked([n for n in g.supporters(l) - f.supporters(l) if n not in scope]), "", False)
            for nb, _rel in neigh(l):
                add("innovation", c, l, "supports_neighbour", supporters(nb), nb)
                for t in f.requires(nb):
                    add("innovation", c, l, "tackles_related_tech", innovation_tacklers(t), t)
    if "technology" in kinds:
        for r in rows.get("technology", ()):
            t, c = r.tech_id, r.chain
            add("technology", c, t, "expert_in_tech",
                ranked(list(dict.fromkeys(u for u, rel in f.tacklers(t) if rel == R.expertIn))))
            if g is not f:
                out_t, out_e = {}, {}
                for u, rel in g.tacklers(t):
                    if u not in scope:
                        (out_t if rel == R.tackles else out_e)[u] = None
                add("technology", c, t, "tackles_tech_outside", ranked(list(out_t)), "", False)
                add("technology", c, t, "expert_outside", ranked(list(out_e)), "", False)
            for l in r.link_ids:
                add("technology", c, t, "supports_requiring_link", direct_supporters(l), l)
    for kind in ("missing", "broken", "weak"):
        if kind not in kinds:
            continue
        weak = kind == "weak"
        for r in rows.get("weak" if weak else "missing", ()):
            if not weak and (r.broken != (kind == "broken")):
                continue
            l, c = r.link_id, r.chain
            cov = f.covering_set(l)
            if g is not f:
                if weak:
                    outside = [e for e in g.covering(l) if e not in cov and _strength(node[e]) == "strong"]
                else:
                    outside = [e for e in g.covering(l) if e not in cov]
                add(kind, c, l, "in_link_outside", ranked(outside), "", False)
            if not weak:
                for t in f.requires(l):
                    add(kind, c, l, "tackles_required_tech", enterprise_tacklers(t), t)
            for nb, rel in neigh(l):
                if rel != "supplier" and rel != "customer":
                    continue
                if cov:
                    cands = strong(nb, cov)
                else:
                    cands = source("strong", nb, lambda: strong(nb, None))
                add(kind, c, l, "in_neighbour_link", cands, nb)
    if "sanwu" in kinds:
        for r in rows.get("sanwu", ()):
            c = r.chain
            for l in r.link_ids:
                key = ("sanwu", c, l, "supports_enterprise_link")
                if key not in raw:
                    raw[key] = {(n, l, True): None for n in supporters(l)}
    out = []
    for (kind, chain, subject, basis), cands in raw.items():
        items = list(cands)
        if k is not None and len(items) > k:
            seen = set(ranked(list(dict.fromkeys(cv[0] for cv in items))))
            items = [cv for cv in items if cv[0] in seen]
        for cand, via, in_scope in items:
            d = node[cand]
            out.append(CandidateFact(kind, chain, subject, cand, d["name"], d["kind"], basis, via,
                                     node[via]["name"] if via else "", in_scope, f.region(cand), _level(d)))
    out.sort(key=lambda c: (c.kind, c.chain, c.subject_id, c.candidate_id, c.basis, c.via_id))
    return out


RAW_QUESTIONS = {"innovation": innovation_gaps, "technology": technology_gaps, "missing": missing_links,
                 "weak": weak_links, "sanwu": sanwu_enterprises, "idle": idle_innovation}
_CAPPED = {"innovation", "technology", "missing", "weak"}      # take _cap: dependents exact below it


def raw_gaps(kg, chain=None, region=None, kinds=GAP_KINDS, *, f: Facts | None = None) -> dict:
    """{question kind: rows} for the kinds asked (missing and broken share missing_links)."""
    f = f or facts(kg, region)
    want = set(kinds)
    if "broken" in want:
        want.add("missing")
    return {k: fn(kg, chain, f=f) for k, fn in RAW_QUESTIONS.items() if k in want}


def find_gaps(kg, chain=None, region=None, kinds=GAP_KINDS, *, limit: int = 5, candidates: bool = True,
              exclude=frozenset(), f: Facts | None = None, _parts: dict | None = None) -> list:
    """Every gap of the kinds asked, with severity, reason and up to ``limit`` ranked candidates.

    The same records as :func:`~.severity.assemble_gaps` on :func:`raw_gaps` and
    :func:`gap_candidates` (what the query backends do), made more directly: 三无 gaps are built
    from the enterprises grouped by their set of links, without the raw rows or a candidate
    fact per enterprise. ``f``: the facts to use (made for ``region``/``exclude`` otherwise).
    ``_parts`` (benchmarks): a dict that receives the seconds of each part."""
    from time import perf_counter

    from .._gc import gc_paused
    from .severity import DEPENDENTS_TOP, gaps_into, sorted_gaps
    t = [perf_counter()]

    def lap(name):
        if _parts is not None:
            now = perf_counter()
            _parts[name] = _parts.get(name, 0.0) + now - t[0]
            t[0] = now

    with gc_paused():     # tens of thousands of acyclic records: a full collection would rescan the graph
        f = f or facts(kg, region, exclude)
        kinds = tuple(kinds)
        rest = tuple(k for k in kinds if k != "sanwu")
        want = set(rest) | ({"missing"} if "broken" in rest else set())
        rows = {}
        for k, fn in RAW_QUESTIONS.items():
            if k in want:
                # the rows stay inside: their dependents only feed a severity bucket
                rows[k] = fn(kg, chain, f=f, _cap=DEPENDENTS_TOP) if k in _CAPPED else fn(kg, chain, f=f)
                lap(k)
        cands = gap_candidates(kg, chain, region, rest, f=f, rows=rows, per_basis=limit) if candidates else []
        lap("candidates")
        buckets = {}
        made = {}
        gaps_into(buckets, rows, cands, rest, region=f.scope.region_name, limit=limit, made=made)
        del rows, cands
        lap("assemble")
        if "sanwu" in kinds:
            _sanwu_gaps_into(f, kg, chain, buckets, (lambda l: _sanwu_link_candidates(f, l, limit)) if candidates
                             else (lambda l: ()), limit, lap)
        made = f = None     # the facts and their caches go before the collector resumes
        out = sorted_gaps(buckets)
        lap("sort")
    lap("gc")
    return out
