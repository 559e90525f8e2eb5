"""Analysis: the three lists, support paths, gaps, chain scores, 链主 ranking and what-if.

Free functions taking the graph first; typed records out (:mod:`.records`), deterministically
sorted. This is the reference implementation the Cypher and SPARQL versions are held to; the
named questions and their row fields are listed in ``queries/README.md``.
"""
from .gaps import (GAP_KINDS, find_gaps, gap_candidates, idle_innovation, innovation_gaps, missing_links,
                   sanwu_enterprises, technology_gaps, weak_links)
from .leaders import leaders
from .lists import LISTS, enterprise_list, ordered_links, resource_list, technology_list, three_lists
from .order import chain_links, chain_order
from .scope import make_scope, region_closure, resolve_chain, resolve_region
from .scores import chain_scores, link_scores
from .severity import assemble_gaps, rank_candidates, severity
from .support import Facts, facts, is_supported, link_support, own_support
from .whatif import single_points_of_failure, what_if

__all__ = [
    "GAP_KINDS", "LISTS", "Facts", "assemble_gaps", "chain_links", "chain_order", "chain_scores",
    "enterprise_list", "facts", "find_gaps", "gap_candidates", "idle_innovation", "innovation_gaps",
    "is_supported", "leaders", "link_scores", "link_support", "make_scope", "missing_links", "ordered_links",
    "own_support", "rank_candidates", "region_closure", "resolve_chain", "resolve_region", "resource_list",
    "sanwu_enterprises", "severity", "single_points_of_failure", "technology_gaps", "technology_list",
    "three_lists", "weak_links", "what_if",
]
