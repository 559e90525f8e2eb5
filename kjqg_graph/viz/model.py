"""The chain map as data: which nodes and edges a chain's page shows, where, and with which gap marks.

:func:`chain_map` gathers, for one chain (optionally one region scope):

- its links, in chain order (:func:`~kjqg_graph.analysis.chain_order`);
- the enterprises in scope in each link, the innovation nodes with a support path to it
  (:meth:`~kjqg_graph.analysis.Facts.own`), the technologies it requires and who tackles them;
- every edge between those nodes (relations of the ontology, except partOf/locatedIn/concernsChain);
- the gap marks, taken from the analysis functions (no gap logic here);
- positions: links left to right by stage and along ``supplies``; each other node sits with the
  first link (in chain order) it belongs to — technologies and innovation nodes above it,
  enterprises below it;
- enterprise groups: a link with more than ``group_over`` enterprises shows one count node that
  expands on click (the members and their edges travel in the page, not yet in the DataSet).

The result is plain JSON-able data; :mod:`.page` puts it into the page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..vocab import A, K, R, vocabulary

__all__ = ["ChainMap", "chain_map", "FLAGS", "GROUP_OVER", "MAX_VISIBLE"]

GROUP_OVER = 300          # a link with more enterprises than this shows them as one count node
MAX_VISIBLE = 2500        # past this many visible nodes, the biggest links are grouped as well
MIN_GROUP = 20            # ... but never a link with fewer enterprises than this

# gap and role marks, one bit each (the page styles nodes from kind + these bits)
FLAGS = {
    "innovation_gap": 1,  # link: no support by any path (创新链缺口)
    "missing": 2,         # link: no enterprise in scope (缺链)
    "broken": 4,          # link: missing between links with enterprises (断链)
    "weak": 8,            # link: single enterprise or small ones only (弱链)
    "chokepoint": 16,     # technology: 卡脖子; link: requires an open 卡脖子 technology
    "untackled": 32,      # technology: nobody in scope tackles it (攻关空白)
    "leader": 64,         # enterprise: 链主
    "sanwu": 128,         # enterprise: 三无
    "achieved": 256,      # technology: 已突破
}

SHOWN_RELATIONS = (R.inLink, R.supports, R.expertIn, R.requires, R.tackles, R.supplies, R.subLinkOf,
                   R.hostedBy, R.ledBy, R.affiliatedWith)

# layout constants (vis-network canvas units)
LINK_GAP = 110            # between neighbouring link columns
STAGE_GAP = 260           # extra space between stages
CELL_W, CELL_H = 150, 62  # grid cell of satellite nodes
ROW0 = 150                # distance from the link row to the first satellite row
MAX_COLS = 12


@dataclass
class ChainMap:
    chain_id: str
    chain: str
    region: str | None
    ids: list = field(default_factory=list)         # node ids, index = position in the page
    labels: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    xy: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    member_of: list = field(default_factory=list)   # group index for a node hidden in a group, else -1
    info: list = field(default_factory=list)        # lines of the hover details
    edges: list = field(default_factory=list)       # (src index, dst index, relation)
    groups: list = field(default_factory=list)      # {"link": i, "count": n, "x", "y"}
    stages: list = field(default_factory=list)      # (stage, x0, x1)
    gaps: list = field(default_factory=list)        # Gap records (no candidates)

    def index(self, nid: str) -> int:
        return self.ids.index(nid)

    @property
    def visible(self) -> int:
        """Nodes in the DataSet when the page opens (links, satellites not in groups, group nodes)."""
        return sum(1 for g in self.member_of if g < 0) + len(self.groups)

    def to_json(self) -> dict:
        V = vocabulary()
        kinds = sorted(set(self.kinds))
        kidx = {k: i for i, k in enumerate(kinds)}
        rels = sorted({r for _, _, r in self.edges})
        ridx = {r: i for i, r in enumerate(rels)}
        return {
            "chain": self.chain, "region": self.region,
            "kinds": [[k, V.label(k)] for k in kinds],
            "rels": [[r, V.label(r)] for r in rels],
            "flags": FLAGS,
            "nodes": [[self.ids[i], self.labels[i], kidx[self.kinds[i]], self.xy[i][0], self.xy[i][1],
                       self.flags[i], self.member_of[i]] for i in range(len(self.ids))],
            "info": self.info,
            "edges": [[s, t, ridx[r]] for s, t, r in self.edges],
            "groups": [[g["link"], g["count"], g["x"], g["y"]] for g in self.groups],
            "stages": self.stages,
        }


_ROLES = ((A.chainLeader, "链主"), (A.highTech, "高新技术企业"), (A.aboveScale, "规上"),
          (A.techSME, "科技型中小企业"), (A.gazelle, "瞪羚"))
_RD = ((A.hasRdStaff, "研发人员"), (A.hasRdPlatform, "研发机构"), (A.hasRdFunds, "研发经费"))


def _bool_flags(d):
    roles = "、".join(zh for attr, zh in _ROLES if d.get(attr) is True)
    rd = "、".join(f"{zh}{'有' if d[a] else '无'}" for a, zh in _RD if a in d)
    return roles, rd


def _cap(lines, n=14):
    if len(lines) > n:
        return lines[:n] + [f"…另 {len(lines) - n} 条"]
    return lines


def chain_map(kg, chain: str, region: str | None = None, *, group_over: int = GROUP_OVER,
              max_visible: int = MAX_VISIBLE, f=None) -> ChainMap:
    """The map of ``chain`` (name or id), optionally scoped to ``region`` (name or id)."""
    from ..analysis import facts as make_facts
    from ..analysis import resolve_chain
    from ..analysis.gaps import raw_gaps
    from ..analysis.order import chain_order
    from ..analysis.records import HOW_ZH
    from ..analysis.severity import assemble_gaps

    V = vocabulary()
    cid = resolve_chain(kg, chain)
    f = f or make_facts(kg, region)
    node, succ = f.node, f.succ
    m = ChainMap(cid, node[cid]["name"], f.scope.region_name)
    order = chain_order(kg, cid)
    pos_of = {}

    def add(n, home):
        i = pos_of.get(n)
        if i is None:
            i = pos_of[n] = len(m.ids)
            m.ids.append(n)
            m.kinds.append(node[n]["kind"])
            m.flags.append(0)
            m.member_of.append(-1)
            home_of.append(home)
        return i

    home_of = []                    # index of the link a satellite is placed with
    for l in order:
        add(l, None)
    link_ix = {l: pos_of[l] for l in order}
    for l in order:
        li = link_ix[l]
        for t in f.requires(l):
            add(t, li)
        for n, how, via in f.own(l):
            add(n, li)
        for e in f.enterprises(l):
            add(e, li)
    for t in [n for n in m.ids if node[n]["kind"] == K.KeyTechnology]:
        for u, _ in f.tacklers(t):
            add(u, home_of[pos_of[t]])

    # ---- edges between the nodes on the page
    shown = set(SHOWN_RELATIONS)
    for i, u in enumerate(m.ids):
        for v, kd in succ[u].items():
            j = pos_of.get(v)
            if j is None:
                continue
            for rel in kd:
                if rel in shown:
                    m.edges.append((i, j, rel))

    # ---- gaps: from the analysis, never re-derived here
    kinds = ("innovation", "technology", "missing", "broken", "weak", "sanwu")
    rows = raw_gaps(kg, cid, kinds=kinds, f=f)
    F = FLAGS
    for r in rows.get("innovation", ()):
        m.flags[pos_of[r.link_id]] |= F["innovation_gap"]
    for r in rows.get("technology", ()):
        if r.tech_id in pos_of:
            m.flags[pos_of[r.tech_id]] |= F["untackled"]
    for r in rows.get("missing", ()):
        m.flags[pos_of[r.link_id]] |= F["missing"] | (F["broken"] if r.broken else 0)
    for r in rows.get("weak", ()):
        m.flags[pos_of[r.link_id]] |= F["weak"]
    for r in rows.get("sanwu", ()):
        if r.enterprise_id in pos_of:
            m.flags[pos_of[r.enterprise_id]] |= F["sanwu"]
    m.gaps = assemble_gaps(rows, [], kinds, region=f.scope.region_name, limit=0)
    reasons = {}
    for g in m.gaps:
        reasons.setdefault(g.subject_id, []).append(f"缺口[{g.kind}] 严重度 {g.severity}：{g.reason}")

    # ---- labels, role flags, hover details
    paths_of = {}                   # innovation node -> its own support paths, in words
    link_lines = {}
    for l in order:
        lines = []
        for n, how, base, via, frm in f.paths(l):
            via_txt = f"（经 {node[via]['name']}）" if via else ""
            frm_txt = f"（继承自 {node[frm]['name']}）" if frm else ""
            lines.append(f"{node[n]['name']}：{HOW_ZH[base]}{via_txt}{frm_txt}")
            if how != "inherited":
                paths_of.setdefault(n, []).append(f"{HOW_ZH[how]} {node[l]['name']}{via_txt}")
        link_lines[l] = sorted(lines)
    kLink, kTech, kEnt, inLink = K.ChainLink, K.KeyTechnology, K.Enterprise, R.inLink
    for i, n in enumerate(m.ids):
        d = node[n]
        k = d["kind"]
        label = d["name"]
        lines = [f"{V.label(k)} {k}"]
        if k == kLink:
            ents = f.enterprises(n)
            techs = f.requires(n)
            if any(node[t].get(A.chokepoint) is True and node[t].get(A.status) != "已突破" for t in techs):
                m.flags[i] |= F["chokepoint"]
            lines.append(f"阶段：{d.get(A.stage) or '未标注'}；企业 {len(ents)} 家；所需技术 {len(techs)} 项")
            lines.append("支撑路径：" if link_lines[n] else "支撑路径：无（创新链缺口）")
            lines += ["· " + s for s in _cap(link_lines[n])]
        elif k == kTech:
            if d.get(A.chokepoint) is True:
                m.flags[i] |= F["chokepoint"]
                label = "⚠" + label
            if d.get(A.status) == "已突破":
                m.flags[i] |= F["achieved"]
            lines.append(f"卡脖子：{'是' if d.get(A.chokepoint) else '否'}；状态：{d.get(A.status) or '未记录'}"
                         + (f"；方式：{d[A.mechanism]}" if d.get(A.mechanism) else ""))
            who = f.tacklers(n)
            lines.append("攻关：" + ("、".join(f"{node[u]['name']}" + ("（研究方向）" if rel == R.expertIn else "")
                                             for u, rel in who[:12]) if who else "无人攻关"))
        elif k == kEnt:
            if d.get(A.chainLeader) is True:
                m.flags[i] |= F["leader"]
                label = "★" + label
            roles, rd = _bool_flags(d)
            if roles:
                lines.append(roles)
            if rd:
                lines.append(rd)
            links = [node[v]["name"] for v, kd in succ[n].items() if inLink in kd and v in link_ix]
            lines.append("环节：" + "、".join(links))
        else:
            lvl = d.get(A.level) or d.get(A.talentLevel) or d.get(A.platformKind)
            if d.get(A.platformKind) and d.get(A.level):
                lvl = f"{d[A.level]}{d[A.platformKind]}"
            if lvl:
                lines.append(lvl)
            if paths_of.get(n):
                lines.append("支撑：")
                lines += ["· " + s for s in _cap(paths_of[n])]
        reg = f.region(n) if k != kLink else ""
        if reg:
            lines.append(f"地区：{reg}")
        lines += reasons.get(n, [])
        m.labels.append(label if len(label) <= 16 else label[:15] + "…")
        m.info.append([d["name"]] + lines)

    _group(m, f, order, link_ix, home_of, group_over, max_visible)
    _layout(m, order, link_ix, home_of, node)
    return m


def _group(m, f, order, link_ix, home_of, group_over, max_visible):
    """Fold the enterprises of crowded links into one count node per link."""
    ent_home = {}
    for i, k in enumerate(m.kinds):
        if k == K.Enterprise:
            ent_home.setdefault(home_of[i], []).append(i)
    sizes = {link_ix[l]: len(f.enterprises(l)) for l in order}
    chosen = {li for li, n in sizes.items() if n > group_over and ent_home.get(li)}
    visible = len(m.ids) - sum(len(ent_home[li]) for li in chosen) + len(chosen)
    for li in sorted(ent_home, key=lambda li: -len(ent_home[li])):
        if visible <= max_visible:
            break
        if li in chosen or len(ent_home[li]) < MIN_GROUP:
            continue
        chosen.add(li)
        visible -= len(ent_home[li]) - 1
    for li in sorted(chosen):
        gi = len(m.groups)
        m.groups.append({"link": li, "count": sizes[li], "x": 0, "y": 0})
        for i in ent_home[li]:
            m.member_of[i] = gi


def _grid(n, x0, y0, direction):
    """Positions of n nodes in a grid centred on x0, growing from y0 in ``direction`` (+1 down, -1 up)."""
    cols = max(1, min(MAX_COLS, math.ceil(math.sqrt(n * 1.5))))
    out = []
    for k in range(n):
        r, c = divmod(k, cols)
        width = min(cols, n - r * cols)
        out.append((x0 + (c - (width - 1) / 2) * CELL_W, y0 + direction * r * CELL_H))
    return out, cols


def _layout(m, order, link_ix, home_of, node):
    """x by stage column and chain order, y: technologies and innovation nodes above, enterprises below."""
    m.xy = [(0, 0)] * len(m.ids)
    above = {li: [] for li in link_ix.values()}
    techs = {li: [] for li in link_ix.values()}
    below = {li: [] for li in link_ix.values()}
    for i, k in enumerate(m.kinds):
        h = home_of[i]
        if h is None:
            continue
        (techs if k == K.KeyTechnology else below if k in (K.Enterprise, K.Project) else above)[h].append(i)
    for d in (above, techs, below):
        for li in d:
            d[li].sort(key=lambda i: (-(m.flags[i] & (FLAGS["leader"] | FLAGS["chokepoint"])), m.labels[i]))
    widths = {}
    for li in link_ix.values():
        cols = max(_grid(len(x), 0, 0, 1)[1] if x else 1 for x in (above[li], techs[li], below[li]))
        widths[li] = cols * CELL_W
    x = 0.0
    prev_w, prev_stage = None, object()
    stage_span = {}
    for l in order:
        li = link_ix[l]
        st = node[l].get(A.stage) or "未标注"
        if prev_w is not None:
            x += (prev_w + widths[li]) / 2 + LINK_GAP + (STAGE_GAP if st != prev_stage else 0)
        prev_w, prev_stage = widths[li], st
        lo, hi = stage_span.get(st, (x - widths[li] / 2, x + widths[li] / 2))
        stage_span[st] = (min(lo, x - widths[li] / 2), max(hi, x + widths[li] / 2))
        _place(m, li, x, 0)
        tpos, tcols = _grid(len(techs[li]), x, -ROW0, -1)
        for i, p in zip(techs[li], tpos):
            _place(m, i, *p)
        top = -ROW0 - (math.ceil(len(techs[li]) / tcols) if techs[li] else 0) * CELL_H - (40 if techs[li] else 0)
        for i, p in zip(above[li], _grid(len(above[li]), x, top, -1)[0]):
            _place(m, i, *p)
        grouped = [i for i in below[li] if m.member_of[i] >= 0]
        free = [i for i in below[li] if m.member_of[i] < 0]
        y0 = ROW0
        if grouped:
            g = m.groups[m.member_of[grouped[0]]]
            g["x"], g["y"] = round(x), ROW0
            y0 = ROW0 + CELL_H * 1.5
        for i, p in zip(free + grouped, _grid(len(below[li]), x, y0, 1)[0]):
            _place(m, i, *p)
    m.stages = [[st, round(a - 60), round(b + 60)] for st, (a, b) in stage_span.items()]


def _place(m, i, x, y):
    m.xy[i] = (round(x), round(y))
