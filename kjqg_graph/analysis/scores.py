"""Chain scores: how far each chain's links have enterprises, innovation and tackled technologies."""
from __future__ import annotations

from ._vocab import A
from .gaps import ACHIEVED, chain_enterprises, rd_state
from .lists import ordered_links
from .records import ChainScore, LinkScore
from .scope import chains_of
from .support import Facts, facts

__all__ = ["chain_scores", "link_scores"]


def chain_scores(kg, chain=None, region=None, *, f: Facts | None = None) -> list[ChainScore]:
    """chain_scores: one row per chain (chains by name)."""
    f = f or facts(kg, region)
    node = f.node
    out = []
    for c in chains_of(kg, chain):
        links = [l for _, l in ordered_links(kg, c)]
        with_ent = sum(1 for l in links if f.covering(l))
        own = sum(1 for l in links if f.supported_own(l))
        inh_only = sum(1 for l in links if not f.supported_own(l) and f.supported_inherited(l))
        techs = {t for l in links for t in f.requires(l)}
        tackled = sum(1 for t in techs if f.tackled(t))
        achieved = sum(1 for t in techs if node[t].get(A.status) == ACHIEVED)
        cps = [t for t in techs if node[t].get(A.chokepoint) is True]
        open_cps = [t for t in cps if node[t].get(A.status) != ACHIEVED]
        untackled = sum(1 for t in open_cps if not f.tackled(t))
        ents = chain_enterprises(f, kg, c)
        states = [rd_state(f, e) for e in ents]
        out.append(ChainScore(node[c]["name"], len(links), with_ent, own + inh_only, own, inh_only, len(techs),
                              tackled, achieved, len(cps), len(open_cps), untackled, len(ents),
                              states.count("sanwu"), states.count("possible")))
    return out


def link_scores(kg, chain=None, region=None, *, f: Facts | None = None) -> list[LinkScore]:
    """Per-link detail, in chain order."""
    f = f or facts(kg, region)
    node = f.node
    out = []
    for cname, l in ordered_links(kg, chain):
        techs = f.requires(l)
        d = node[l]
        out.append(LinkScore(
            cname, l, d["name"], d.get(A.stage), len(f.covering(l)), len(f.supporters(l)), f.supported_own(l),
            f.supported_inherited(l), len(techs), sum(1 for t in techs if f.tackled(t)),
            sum(1 for t in techs if node[t].get(A.chokepoint) is True and node[t].get(A.status) != ACHIEVED)))
    return out
