"""The last two steps of gap candidates, shared by the query backends (Neo4j, RDF).

A backend's queries give ``raw`` — ``{(gap kind, chain, subject id, basis): [(candidate id, via id,
in_scope), ...]}`` — and ``info`` — ``{node id: (name, kind, level)}``. These functions keep the
best ``per_basis`` candidates of each basis by the candidate's own rank key, exactly as
:func:`kjqg_graph.analysis.gaps.gap_candidates` does, and lay them out as sorted CandidateFacts.
"""
from __future__ import annotations

import heapq

from ..analysis.records import CandidateFact
from ..analysis.severity import LEVEL_BONUS

__all__ = ["keep_best", "candidate_facts"]


def keep_best(raw: dict, info: dict, per_basis: int | None) -> list:
    """``[(kind, chain, subject, basis, items)]`` with at most ``per_basis`` candidates per basis
    (all of them when ``per_basis`` is None); a candidate's key is (-level bonus, name, id)."""
    kept = []
    for (kind, chain, subject, basis), cands in raw.items():
        items = list(cands)
        if per_basis is not None and len(items) > per_basis:
            keys = {}
            for c, _, _ in items:
                if c not in keys:
                    name, _, level = info[c]
                    keys[c] = (-LEVEL_BONUS.get(level or "", 0), name, c)
            best = set(heapq.nsmallest(per_basis, keys, key=keys.__getitem__))
            items = [cv for cv in items if cv[0] in best]
        kept.append((kind, chain, subject, basis, items))
    return kept


def candidate_facts(kept: list, info: dict, region_of) -> list:
    """The kept candidates as CandidateFacts, sorted as the memory backend sorts them."""
    out = []
    make = CandidateFact._make
    for kind, chain, subject, basis, items in kept:
        for c, via, in_scope in items:
            name, ckind, level = info[c]
            out.append(make((kind, chain, subject, c, name, ckind, basis, via, info[via][0] if via else "",
                             in_scope, region_of(c), level)))
    out.sort(key=lambda c: (c.kind, c.chain, c.subject_id, c.candidate_id, c.basis, c.via_id))
    return out
