"""Severity, reasons and candidate ranking — computed in Python on top of raw rows.

Every backend (memory, Neo4j, RDF) returns the same raw rows for the named questions; this
module turns them into :class:`~.records.Gap` records, so the scoring is one piece of code.

Severity (an integer, its parts kept in ``Gap.severity_parts``)::

    severity = BASE[kind] + 3·chokepoint + STAGE[stage] + bucket(dependents)

    BASE        technology 4, broken 4, innovation 3, missing 2, weak 1, sanwu 1, idle 1
    chokepoint  the technology is 卡脖子 (technology gap, idle achieved technology), or the link
                requires a 卡脖子 technology not yet 已突破 (link gaps)
    STAGE       上游 2, 中游 1, 下游 0, none 0 — an upstream hole starves everything downstream
    dependents  enterprises that depend on it: in the link (and its sub-links) plus in the links
                it supplies; for a technology, in the links requiring it.
                bucket: 0 → 0, 1–2 → 1, 3–9 → 2, 10+ → 3

Candidate score = 10·BASIS[basis] + level bonus, best fact per candidate; ties by name, id.
Level bonus: 国家级/院士/国家级高层次人才/链主 3, 自治区级/八桂学者/特聘专家/高新技术企业 2,
市级/青年人才/规上企业 1.
"""
from __future__ import annotations

from itertools import chain as _concat
from operator import attrgetter, itemgetter

from .records import Candidate, Gap

__all__ = ["BASE", "STAGE_POINTS", "CHOKEPOINT_POINTS", "BASIS", "LEVEL_BONUS", "severity", "bucket",
           "rank_candidates", "assemble_gaps", "gaps_into", "sorted_gaps", "sanwu_gaps_into", "placed_candidates",
           "merged_candidates", "sanwu_records", "reason", "KIND_ORDER"]

BASE = {"technology": 4, "broken": 4, "innovation": 3, "missing": 2, "weak": 1, "sanwu": 1, "idle": 1}
KIND_ORDER = {k: i for i, k in enumerate(["technology", "broken", "innovation", "missing", "weak", "sanwu", "idle"])}
CHOKEPOINT_POINTS = 3
STAGE_POINTS = {"上游": 2, "中游": 1, "下游": 0}

# basis -> (points, why template); {via} is the neighbouring link / technology, {region} the place
BASIS = {
    "supports_link_outside": (3, "区外对接：位于{region}，已支撑本环节"),
    "tackles_tech_outside": (3, "区外对接：位于{region}，正在攻关该技术"),
    "in_link_outside": (3, "招商：位于{region}，已在本环节"),
    "expert_in_tech": (3, "研究方向为该技术，可牵头攻关"),
    "expert_outside": (2, "区外对接：位于{region}，研究方向为该技术"),
    "supports_neighbour": (2, "支撑相邻环节 {via}"),
    "supports_requiring_link": (2, "支撑需要该技术的环节 {via}"),
    "tackles_required_tech": (2, "攻关本环节所需技术 {via}"),
    "supports_enterprise_link": (2, "支撑该企业所在环节 {via}，可共建研发机构"),
    "tackles_related_tech": (1, "攻关相邻环节所需技术 {via}"),
    "in_neighbour_link": (1, "在相邻环节 {via}（链主/高新/规上），可向本环节延伸"),
}
LEVEL_BONUS = {"国家级": 3, "院士": 3, "国家级高层次人才": 3, "链主": 3,
               "自治区级": 2, "八桂学者": 2, "特聘专家": 2, "高新技术企业": 2,
               "市级": 1, "青年人才": 1, "规上企业": 1}


DEPENDENTS_TOP = 10        # bucket() is 3 from here on: a count known to reach it needs no more


def bucket(n: int) -> int:
    return 0 if n <= 0 else 1 if n <= 2 else 2 if n < DEPENDENTS_TOP else 3


_SEVERITY = {}       # (kind, chokepoint points, stage points, dependents bucket) -> the shared answer


def severity(kind: str, chokepoint=False, stage=None, dependents: int = 0) -> tuple[int, tuple]:
    """(severity, ((part, points), ...)) by the formula in the module doc.

    The few distinct answers are made once and shared (gaps of the same parts share one
    ``severity_parts`` tuple: tens of thousands fewer objects to build and to collect)."""
    c, s, d = CHOKEPOINT_POINTS if chokepoint else 0, STAGE_POINTS.get(stage, 0), bucket(dependents)
    key = (kind, c, s, d)
    got = _SEVERITY.get(key)
    if got is None:
        b = BASE[kind]
        got = _SEVERITY[key] = (b + c + s + d, (("base", b), ("chokepoint", c), ("stage", s), ("dependents", d)))
    return got


_POINTS = {b: 10 * p for b, (p, _) in BASIS.items()}


def rank_candidates(facts, limit: int | None = 5, _made: dict | None = None) -> list[Candidate]:
    """Best fact per candidate → Candidate, sorted by score (desc), name, id; at most ``limit``."""
    if _made is None:
        _made = {}
    best = {}
    for c in facts:
        score = _POINTS[c.basis] + (LEVEL_BONUS.get(c.level, 0) if c.level else 0)
        key = (-score, c.via, c.basis)
        cur = best.get(c.candidate_id)
        if cur is None or key < cur[0]:
            best[c.candidate_id] = (key, c)
    ranked = sorted(best.values(), key=lambda kc: (kc[0][0], kc[1].candidate, kc[1].candidate_id))
    if limit is not None:
        ranked = ranked[:limit]
    out = []
    for key, c in ranked:
        cand = _made.get(c)
        if cand is None:
            cand = _made[c] = Candidate(c.candidate_id, c.candidate, c.candidate_kind, -key[0], c.in_scope, c.region,
                                        BASIS[c.basis][1].format(via=c.via, region=c.region or "未记录地区"))
        out.append(cand)
    return out


def _in(region):
    return f"在{region}范围内" if region else ""


def reason(kind: str, row, region: str | None = None) -> str:
    """The gap in words: which path is missing."""
    scope = _in(region)
    if kind == "innovation":
        return (f"{row.link}{scope}无任何创新支撑：没有平台、高校、院所、人才直接支撑或以其为研究方向，"
                f"所需的 {row.requires} 项技术没有创新资源攻关或研究，本环节企业未依托平台，上级环节也无支撑")
    if kind == "technology":
        cp = "（卡脖子）" if row.chokepoint else ""
        s = f"{row.tech}{cp} 为 {'、'.join(row.links)} 所需，{scope}无单位攻关"
        if row.status == "攻关中":
            s += "（状态记为攻关中，但未记录攻关单位）"
        if row.experts:
            s += f"；有 {row.experts} 名人才/团队研究方向相关，尚未立项攻关"
        return s
    if kind in ("missing", "broken"):
        s = f"{row.link}{scope}没有企业"
        if row.broken:
            s += f"，而上游 {row.upstream_with_enterprises} 个、下游 {row.downstream_with_enterprises} 个环节有企业：断链"
        if row.elsewhere:
            s += f"；区外有 {row.elsewhere} 家企业在此环节"
        return s
    if kind == "weak":
        parts = []
        if row.single:
            parts.append(f"仅 {row.single_name} 一家企业，单点依赖")
        if row.small_only:
            parts.append(f"{row.enterprises} 家企业均非规上、非高新、非链主")
        return f"{row.link}{scope}：" + "；".join(parts)
    if kind == "sanwu":
        return f"{row.enterprise} 无研发人员、无研发机构、无研发经费（环节：{'、'.join(row.links)}）"
    if kind == "idle":
        if row.reason == "achieved_unused":
            return f"{row.subject} 已突破，但没有环节需要它：成果待转化"
        return f"{row.subject} 未支撑任何环节，也未攻关任何环节所需的技术：待对接产业"
    raise ValueError(kind)


def _gap(kind, row, region, cands):
    if kind == "innovation":
        sev = severity(kind, row.chokepoint, row.stage, row.dependents)
        subj = (row.link_id, row.link, "ChainLink", row.link, row.stage, row.chain)
    elif kind == "technology":
        sev = severity(kind, row.chokepoint is True, row.stage, row.dependents)
        subj = (row.tech_id, row.tech, "KeyTechnology", "、".join(row.links), row.stage, row.chain)
    elif kind in ("missing", "broken", "weak"):
        sev = severity(kind, row.chokepoint, row.stage, row.dependents)
        subj = (row.link_id, row.link, "ChainLink", row.link, row.stage, row.chain)
    elif kind == "sanwu":
        sev = severity(kind, False, row.stage, 0)
        subj = (row.enterprise_id, row.enterprise, "Enterprise", "、".join(row.links), row.stage, row.chain)
    else:
        sev = severity(kind, row.chokepoint, None, 0)
        subj = (row.subject_id, row.subject, row.subject_kind, "", None, "、".join(row.chains))
    sid, sname, skind, link, stage, chain = subj
    return Gap._make((kind, chain, sid, sname, skind, link, stage, sev[0], sev[1], reason(kind, row, region),
                      tuple(cands)))


_first = itemgetter(0)


_GAP_ORDER = attrgetter("chain", "subject", "subject_id")


def assemble_gaps(rows: dict, facts, kinds, region: str | None = None, limit: int | None = 5) -> list[Gap]:
    """Raw rows of the gap questions + candidate facts → Gap records, most severe first.

    Gaps are sorted by (-severity, kind, chain, subject, subject id): collected in buckets of
    equal (severity, kind), each bucket sorted by the rest. 三无 gaps share everything but the
    enterprise: their candidates are ranked once per link (merged once per set of links), and
    each record is a copy of its link set's prototype with the enterprise filled in.
    """
    buckets = {}
    gaps_into(buckets, rows, facts, kinds, region, limit)
    return sorted_gaps(buckets)


def gaps_into(buckets: dict, rows: dict, facts, kinds, region: str | None = None, limit: int | None = 5,
              made: dict | None = None) -> None:
    """:func:`assemble_gaps` without the final sort: the Gap records into ``buckets``
    ({(-severity, kind order): [Gap]}), for :func:`sorted_gaps`."""
    kinds = set(kinds)
    by_subject = {}
    for c in facts:
        key = (c.kind, c.chain, c.subject_id)
        lst = by_subject.get(key)
        if lst is None:
            by_subject[key] = [c]
        else:
            lst.append(c)
    made = {} if made is None else made
    for qkind, rs in rows.items():
        if qkind == "sanwu":
            if "sanwu" in kinds:
                per_link = {}

                def sanwu_ranked(chain, l):
                    t = per_link.get((chain, l))
                    if t is None:
                        t = per_link[(chain, l)] = rank_candidates(by_subject.get(("sanwu", chain, l), ()), limit, made)
                    return t
                groups = {}
                for row in rs:
                    key = (row.chain, row.link_ids, row.stage)
                    g = groups.get(key)
                    if g is None:
                        groups[key] = g = (row.links, [])
                    g[1].append((row.enterprise_id, row.enterprise))
                sanwu_gaps_into(buckets, ((c, ids, names, stage, members)
                                          for (c, ids, stage), (names, members) in groups.items()), sanwu_ranked, limit)
            continue
        for row in rs:
            kind = ("broken" if row.broken else "missing") if qkind == "missing" else qkind
            if kind not in kinds:
                continue
            if kind == "idle":
                ranked = ()
            else:
                sid = row.tech_id if kind == "technology" else row.link_id
                ranked = rank_candidates(by_subject.get((kind, row.chain, sid), ()), limit, made)
            g = _gap(kind, row, region, ranked)
            b = buckets.get((-g.severity, KIND_ORDER[kind]))
            if b is None:
                buckets[(-g.severity, KIND_ORDER[kind])] = [g]
            else:
                b.append(g)


def sorted_gaps(buckets: dict) -> list[Gap]:
    """The gaps of :func:`gaps_into`'s buckets, most severe first (see :func:`assemble_gaps`)."""
    out = []
    for key in sorted(buckets):
        b = buckets[key]
        if b.__class__ is not _Sorted:
            b.sort(key=_GAP_ORDER)
        out.extend(b)
    return out


_KEY3 = itemgetter(0, 1, 2)


# the prototype in sanwu_gaps_into lists Gap's fields in this order
assert tuple(Gap.__dataclass_fields__) == ("kind", "chain", "subject_id", "subject", "subject_kind", "link", "stage",
                                           "severity", "severity_parts", "reason", "candidates")


class _Sorted(list):
    """A bucket :func:`sanwu_gaps_into` filled in order (chain, subject, subject id)."""
    __slots__ = ()


def _merge_plan(groups, ranked):
    """For merging each group's candidates (see :func:`sanwu_gaps_into`): per group its link's
    ranked list (a tuple) or, for several links, their lists; and every candidate of every list
    a multi-link group uses, placed once in one global sort by (-score, name, id, why) (a
    candidate's entries are then adjacent, best first): ``(per group, candidate at position,
    candidate's rank at position, {id(list): its positions})``. Equal keys are equal candidates."""
    lists = {}          # id(ranked list) -> the list
    per_group = []
    for chain, link_ids, _names, _stage, _members in groups:
        if len(link_ids) == 1:
            per_group.append(tuple(ranked(chain, link_ids[0])))
            continue
        rs = [ranked(chain, l) for l in link_ids]
        for r in rs:
            lists[id(r)] = r
        per_group.append(rs)
    cand_at, rank_at, pos = placed_candidates((rid, r) for rid, r in lists.items())
    return per_group, cand_at, rank_at, pos


def merged_candidates(positions, cand_at, rank_at, limit) -> tuple:
    """The best ``limit`` distinct candidates at ``positions`` (sorted; see
    :func:`placed_candidates`): each candidate's first entry, in order."""
    got, seen = [], -1
    for p in positions:
        r = rank_at[p]
        if r != seen:
            seen = r
            got.append(cand_at[p])
            if len(got) == limit:
                break
    return tuple(got)


def placed_candidates(lists) -> tuple:
    """``lists``: (tag, ranked candidates) pairs. Every candidate of every list placed once in
    one stable sort by (-score, name, id, why): ``(candidate at position, candidate's rank at
    position, {tag: its list's positions, ascending})`` — equal ranks are the same candidate
    (another why), a candidate's entries adjacent, best first."""
    entries = [((-c.score, c.candidate, c.candidate_id, c.why), c, tag) for tag, r in lists for c in r]
    entries.sort(key=_first)
    cand_at, rank_at, pos = [], [], {}       # position -> Candidate, candidate's rank; tag -> positions
    last, rank = None, -1
    for p, (key, c, tag) in enumerate(entries):
        k3 = key[:3]
        if k3 != last:
            last, rank = k3, rank + 1
        cand_at.append(c)
        rank_at.append(rank)
        got = pos.get(tag)
        if got is None:
            pos[tag] = [p]
        else:
            got.append(p)
    return cand_at, rank_at, pos


def sanwu_gaps_into(buckets: dict, groups, ranked, limit) -> None:
    """三无 gaps into ``buckets``. ``groups`` yields ``(chain, link ids, link names, stage,
    [(enterprise id, enterprise), ...])``, one per chain and set of links; ``ranked(chain, link)``
    gives a link's ranked candidates (each link ranked once, by the caller), merged here once per
    set of links: the best ``limit`` distinct candidates of their lists (a candidate's best entry:
    highest score, then smallest why; ties by name, id) — a C sort of the positions
    :func:`_merge_plan` gave their entries and a walk keeping each candidate's first entry. Each
    record is a copy of its group's prototype with the enterprise filled in, made in bucket
    order: (chain, enterprise, enterprise id) tuples are sorted first, so the records themselves
    need no sort."""
    order = KIND_ORDER["sanwu"]
    pending = {}    # bucket key -> [(chain, enterprise, enterprise id, prototype, reason tail)]
    by_stage = {}   # stage -> (severity, its parts, adds to the stage's pending list)
    groups = list(groups)
    per_group, cand_at, rank_at, pos = _merge_plan(groups, ranked)
    at = pos.get
    for (chain, link_ids, link_names, stage, members), ranked_ in zip(groups, per_group):
        if ranked_.__class__ is not tuple:
            ranked_ = merged_candidates(sorted(_concat(*[at(id(r), ()) for r in ranked_])), cand_at, rank_at, limit)
        st = by_stage.get(stage)
        if st is None:
            sev, parts = severity("sanwu", False, stage, 0)
            p = pending.get((-sev, order))
            if p is None:
                p = pending[(-sev, order)] = []
            st = by_stage[stage] = (sev, parts, p.append)
        sev, parts, add = st
        links = link_names[0] if len(link_names) == 1 else "、".join(link_names)
        tail = f" 无研发人员、无研发机构、无研发经费（环节：{links}）"
        proto = {"kind": "sanwu", "chain": chain, "subject_id": "", "subject": "", "subject_kind": "Enterprise",
                 "link": links, "stage": stage, "severity": sev, "severity_parts": parts, "reason": "",
                 "candidates": ranked_}
        for eid, name in members:
            add((chain, name, eid, proto, tail))
    for key, items in pending.items():
        items.sort(key=_KEY3)
        b = buckets.get(key)
        if b is None:
            b = buckets[key] = _Sorted()
        elif b:
            b = buckets[key] = list(b)          # no longer in order: sorted_gaps sorts it
        append = b.append
        sanwu_records((append, proto, tail, name, eid) for _chain, name, eid, proto, tail in items)


def sanwu_records(rows) -> None:
    """``rows``: (append, prototype, reason tail, enterprise, enterprise id). Each record is a copy
    of its prototype (a dict of Gap's fields) with the enterprise filled in, made without the
    frozen dataclass' ``__init__``, and handed to ``append``."""
    new, set_dict = object.__new__, object.__setattr__
    for append, proto, tail, name, eid in rows:
        d = proto.copy()
        d["subject_id"] = eid
        d["subject"] = name
        d["reason"] = name + tail
        g = new(Gap)
        set_dict(g, "__dict__", d)
        append(g)

