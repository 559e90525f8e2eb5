"""The three lists (三张清单), per chain, per link, optionally per region.

Every link of a chain appears, in chain order (:func:`.order.chain_order`), with its rows; a
link with nothing to list appears once with empty node fields, so the list shows the hole.
"""
from __future__ import annotations

from ._vocab import A, R
from .order import chain_links, order_from_rows
from .records import EnterpriseRow, ResourceRow, TechnologyRow
from .scope import chains_of
from .support import Facts, _resource_rows, facts

__all__ = ["enterprise_list", "resource_list", "technology_list", "three_lists", "ordered_links",
           "LISTS", "sort_by_chain_order"]

LISTS = ("enterprises", "resources", "technologies")


def ordered_links(kg, chain: str | None = None) -> list[tuple]:
    """(chain name, link id) for every link of the chosen chains, chains by name, links in chain order."""
    out = []
    for c in chains_of(kg, chain):
        cname = kg.name(c)
        out.extend((cname, l) for l in order_from_rows(chain_links(kg, c)))
    return out


def sort_by_chain_order(rows, order: list[tuple], key) -> list:
    """Stable sort of rows by the (chain, link id) position in ``order``, then ``key``."""
    pos = {cl: i for i, cl in enumerate(order)}
    return sorted(rows, key=lambda r: (pos.get((r.chain, r.link_id), len(pos)), key(r)))


_FLAG_KEYS = (A.chainLeader, A.highTech, A.aboveScale, A.techSME, A.gazelle, A.hasRdStaff, A.hasRdPlatform,
              A.hasRdFunds)


def enterprise_list(kg, chain: str | None = None, region: str | None = None, *, f: Facts | None = None):
    """企业清单: for every link the enterprises in it (in scope), leaders first, then by name."""
    f = f or facts(kg, region)
    node = f.node
    region_of = f.region
    make = EnterpriseRow._make
    fields, rank = {}, {}               # each enterprise's 12 fields and sort key, made once

    def add(e):
        d = node[e]
        g = d.get
        t = fields[e] = (e, d["name"], g(A.uscc), region_of(e), *map(g, _FLAG_KEYS))
        rank[e] = (t[4] is not True, t[1], e)
    out = []
    for cname, l in f.ordered(chain):
        ld = node[l]
        base = (cname, l, ld["name"], ld.get(A.stage))
        ents = f.enterprises(l)
        if not ents:
            out.append(EnterpriseRow(*base))
            continue
        for e in ents:
            if e not in fields:
                add(e)
        out.extend([make(base + fields[e]) for e in sorted(ents, key=rank.__getitem__)])
    return out


def resource_list(kg, chain: str | None = None, region: str | None = None, *, f: Facts | None = None):
    """创新资源清单: for every link each support path (how, via, inherited from)."""
    f = f or facts(kg, region)
    node = f.node
    out = []
    for cname, l in f.ordered(chain):
        rows = _resource_rows(f, cname, l)
        if not rows:
            rows = [ResourceRow(cname, l, node[l]["name"], node[l].get(A.stage))]
        out.extend(rows)
    return out


def technology_list(kg, chain: str | None = None, region: str | None = None, *, f: Facts | None = None):
    """关键核心技术攻关清单: for every link the technologies it requires and who tackles each (or nobody)."""
    f = f or facts(kg, region)
    node = f.node
    out = []
    for cname, l in f.ordered(chain):
        ld = node[l]
        base = (cname, l, ld["name"], ld.get(A.stage))
        techs = f.requires(l)
        if not techs:
            out.append(TechnologyRow(*base))
            continue
        rows = []
        for t in techs:
            td = node[t]
            tb = (t, td["name"], td.get(A.chokepoint), td.get(A.status), td.get(A.mechanism))
            who = f.tacklers(t)
            if not who:
                rows.append(TechnologyRow(*base, *tb))
            for u, rel in who:
                rows.append(TechnologyRow(*base, *tb, u, node[u]["name"], node[u]["kind"], rel))
        rows.sort(key=lambda r: (r.chokepoint is not True, r.tech, r.tech_id, r.relation != R.tackles,
                                 r.tackler, r.tackler_id))
        out.extend(rows)
    return out


def three_lists(kg, chain: str | None = None, region: str | None = None) -> dict:
    """{"enterprises": [...], "resources": [...], "technologies": [...]} sharing one set of facts."""
    f = facts(kg, region)
    return {"enterprises": enterprise_list(kg, chain, f=f),
            "resources": resource_list(kg, chain, f=f),
            "technologies": technology_list(kg, chain, f=f)}
