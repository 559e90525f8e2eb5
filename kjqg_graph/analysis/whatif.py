"""What-if: which links would lose all enterprises or all support, and which technologies all
tacklers, if some nodes were removed — and, without a removal, the single points of failure."""
from __future__ import annotations

from ..errors import NodeNotFoundError
from ._vocab import R
from .lists import ordered_links
from .records import Impact
from .scope import make_scope
from .support import Facts

__all__ = ["what_if", "single_points_of_failure", "resolve_nodes"]

_ORDER = {"missing": 0, "unsupported": 1, "untackled": 2}


def resolve_nodes(kg, names) -> list:
    """Ids for names (or ids); an unknown or ambiguous name is an error listing the choices."""
    out = []
    for name in names:
        if kg.has_node(name):
            out.append(name)
            continue
        found = kg.find(name)
        if not found:
            raise NodeNotFoundError(f"no node named {name!r}; check the name with `kjqg show`")
        if len(found) > 1:
            raise NodeNotFoundError(f"{len(found)} nodes are named {name!r}: {', '.join(sorted(found))}; pass the id")
        out.append(found[0])
    return out


def _path_nodes(f: Facts, link) -> set:
    s = set()
    for n, _, _, via, _ in f.paths(link):
        s.add(n)
        if via:
            s.add(via)
    return s


def _techs(kg, f, order):
    techs = {}
    for cname, l in order:
        for t in f.requires(l):
            techs.setdefault((cname, t), []).append(l)
    return techs


def what_if(kg, remove, chain=None, region=None) -> list[Impact]:
    """What removing ``remove`` (names or ids) would break, by kind, chain, subject."""
    ids = resolve_nodes(kg, remove)
    scope = make_scope(kg, region)
    before, after = Facts(kg, scope), Facts(kg, scope, exclude=ids)
    gone = set(ids)
    name = kg.name
    order = ordered_links(kg, chain)
    out = []
    for cname, l in order:
        if l in gone:
            continue
        cov = before.covering(l)
        if cov and not after.covering(l):
            out.append(Impact("missing", cname, l, name(l), name(l), tuple(sorted(name(x) for x in set(cov) & gone)),
                              len(cov)))
        if before.supported(l) and not after.supported(l):
            carried = _path_nodes(before, l)
            sup = {n for n, *_ in before.paths(l)}
            out.append(Impact("unsupported", cname, l, name(l), name(l),
                              tuple(sorted(name(x) for x in carried & gone)), len(sup)))
    for (cname, t), links in _techs(kg, before, order).items():
        if t in gone:
            continue
        if before.tackled(t) and not after.tackled(t):
            who = {u for u, rel in before.tacklers(t) if rel == R.tackles}
            out.append(Impact("untackled", cname, t, name(t), "、".join(sorted(name(l) for l in links)),
                              tuple(sorted(name(x) for x in who & gone)), len(who)))
    out.sort(key=lambda i: (_ORDER[i.kind], i.chain, i.subject, i.subject_id))
    return out


def single_points_of_failure(kg, chain=None, region=None) -> list[Impact]:
    """Links carried by one enterprise or one innovation node, technologies tackled by one node."""
    f = Facts(kg, make_scope(kg, region))
    name = kg.name
    order = ordered_links(kg, chain)
    out = []
    for cname, l in order:
        cov = f.covering(l)
        if len(cov) == 1:
            out.append(Impact("missing", cname, l, name(l), name(l), (name(cov[0]),), 1))
        sup = {n for n, *_ in f.paths(l)}
        if len(sup) == 1:
            out.append(Impact("unsupported", cname, l, name(l), name(l), (name(next(iter(sup))),), 1))
    for (cname, t), links in _techs(kg, f, order).items():
        who = {u for u, rel in f.tacklers(t) if rel == R.tackles}
        if len(who) == 1:
            out.append(Impact("untackled", cname, t, name(t), "、".join(sorted(name(l) for l in links)),
                              (name(next(iter(who))),), 1))
    out.sort(key=lambda i: (_ORDER[i.kind], i.chain, i.subject, i.subject_id))
    return out
