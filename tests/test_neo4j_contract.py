"""Contract: every named question gives the same answer on the memory backend and on Neo4j.

Graphs: the hand-built 车 chain of the gaps tests (every edge case), a synthetic graph, and the
Guangxi seed (when the loader is there); each without a region and with regions.
"""
from __future__ import annotations

import pytest

from graphs import car_chain
from neo4j_fixtures import *  # noqa: F401,F403
from neo4j_fixtures import build_graph

from kjqg_graph.backends.memory import MemoryBackend
from kjqg_graph.backends.neo4j import Neo4jBackend
from kjqg_graph.neo4j import push

QUESTIONS = ["enterprise_list", "technology_list", "innovation_gaps", "technology_gaps", "missing_links",
             "weak_links", "sanwu_enterprises", "idle_innovation", "resource_list", "chain_scores", "link_scores"]


def _seed():
    from pathlib import Path
    try:
        from kjqg_graph.loading import load_into
    except ImportError:
        pytest.skip("the loader (kjqg_graph.loading.load_into) is not there yet")
    from kjqg_graph.graph import KnowledgeGraph
    kg = KnowledgeGraph()
    load_into(kg, sorted((Path(__file__).parent.parent / "seed_graphs" / "guangxi").glob("*.csv")))
    return kg


def _car_plus():
    """The 车 chain plus what reaches the two bases it lacks and ties for the top-k cut:
    an enterprise tackling a technology a missing link (电机) requires (tackles_required_tech), a
    platform supporting 电芯, which requires a technology gap (supports_requiring_link), and five
    platforms of one level supporting 材料, a neighbour of several gaps (ties broken by name, id)."""
    from kjqg_graph.vocab import K, R
    kg, n = car_chain()
    e = kg.add_node(K.Enterprise, "戊电控", highTech=True)
    kg.add_edge(e, R.locatedIn, n["南宁"])
    kg.add_edge(e, R.tackles, n["电驱控制"])
    kg.add_edge(n["平台Z"], R.supports, n["电芯"])
    for i, name in enumerate(["平台Q", "平台P", "平台Q", "平台R", "平台P"]):
        p = kg.add_node(K.InnovationPlatform, f"tie{i}", name=name, level="自治区级")
        kg.add_edge(p, R.locatedIn, n["柳州" if i % 2 else "湖南"])
        kg.add_edge(p, R.supports, n["材料"])
    return kg


GRAPHS = {
    "car": (lambda: car_chain()[0], [None, "广西", "柳州", "南宁", "柳东高新区"], [None, "车"]),
    "car_plus": (_car_plus, [None, "广西", "柳州", "南宁"], [None, "车"]),
    "synthetic": (lambda: build_graph(400, links=15, seed=5), [None, "虚构市1"], [None]),
    "guangxi": (_seed, [None, "柳州市"], [None]),
}


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def pair(request, neo4j_conn):
    from kjqg_graph.neo4j import clear
    build, regions, chains = GRAPHS[request.param]
    kg = build()
    clear(neo4j_conn)
    push(kg, neo4j_conn)
    with Neo4jBackend(conn=neo4j_conn) as nb:
        yield MemoryBackend(kg=kg), nb, regions, chains


@pytest.mark.parametrize("question", QUESTIONS)
def test_same_answer(pair, question):
    mem, neo, regions, chains = pair
    for chain in chains:
        for region in regions:
            a = getattr(mem, question)(chain, region)
            b = getattr(neo, question)(chain, region)
            assert [r.to_dict() for r in b] == [r.to_dict() for r in a], (question, chain, region)


def test_assembled_gaps_agree(pair):
    mem, neo, regions, chains = pair
    for region in regions:
        assert [g.to_dict() for g in neo.gaps(None, region)] == [g.to_dict() for g in mem.gaps(None, region)]


def test_leaders_agree(pair):
    mem, neo, regions, _ = pair
    for (c, _name) in neo.chains(None):
        for region in regions:
            a = mem.leaders(c, region)
            assert [r.to_dict() for r in neo.leaders(c, region)] == [r.to_dict() for r in a], (c, region)


def test_gap_candidates_agree(pair):
    """Every candidate fact (no pruning), asked in Cypher — never on a pulled graph."""
    mem, neo, regions, chains = pair
    for chain in chains:
        for region in regions:
            rows = mem.raw_gaps(chain, region)
            a = mem.gap_candidates(chain, region, None, rows)
            b = neo.gap_candidates(chain, region, None, neo.raw_gaps(chain, region))
            assert [r.to_dict() for r in b] == [r.to_dict() for r in a], (chain, region)
    assert neo._memory is None, "gap_candidates pulled the graph instead of asking Cypher"


@pytest.mark.parametrize("k", [1, 2])
def test_gap_candidates_top_k_agree(pair, k):
    """The exact top-k per basis (what gaps --limit k keeps) and the assembled gaps at that limit."""
    from kjqg_graph.analysis.gaps import GAP_KINDS, gap_candidates
    mem, neo, regions, chains = pair
    for chain in chains:
        for region in regions:
            a = gap_candidates(mem.kg, chain, region, GAP_KINDS, per_basis=k)
            b = neo.gap_candidates(chain, region, None, None, per_basis=k)
            assert [r.to_dict() for r in b] == [r.to_dict() for r in a], (chain, region, k)
        for region in regions:
            assert ([g.to_dict() for g in neo.gaps(chain, region, limit=k)]
                    == [g.to_dict() for g in mem.gaps(chain, region, limit=k)]), (chain, region, k)
    assert neo._memory is None


def test_gap_candidates_cover_every_basis():
    """The hand-built graphs reach every candidate basis (so the contract above is not vacuous for
    any of them)."""
    from kjqg_graph.analysis.severity import BASIS
    seen = set()
    for name in ("car", "car_plus"):
        build, regions, _ = GRAPHS[name]
        mem = MemoryBackend(kg=build())
        seen |= {c.basis for region in regions for c in mem.gap_candidates(None, region)}
    assert seen == set(BASIS)
