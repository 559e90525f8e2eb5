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
    assert not neo.pulled, "gap_candidates pulled the graph instead of asking Cypher"


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
    assert not neo.pulled


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


def _removals(kg):
    """Removal sets that reach every what-if outcome: two nodes of every kind alone, everything
    that carries a link (its enterprises; its supporters and what their paths go through), the
    tacklers of a technology, a link with sub-links, and one mixed set."""
    from kjqg_graph.analysis.support import facts
    from kjqg_graph.analysis.lists import ordered_links
    from kjqg_graph.vocab import R, vocabulary
    sets = [[n] for k in sorted(vocabulary().kinds) for n in sorted(kg.nodes(k))[:2]]
    f = facts(kg)
    for _, l in ordered_links(kg)[:6]:
        sets.append(sorted(f.covering(l)))
        sets.append(sorted({x for n, _, _, via, _ in f.paths(l) for x in (n, via) if x}))
        sets.append(sorted({n for n, _, _, _, _ in f.paths(l)}))
        for t in f.requires(l):
            sets.append(sorted({u for u, rel in f.tacklers(t) if rel == R.tackles}))
    parents = sorted({v for _, l in ordered_links(kg) for v, kd in kg._succ[l].items() if R.subLinkOf in kd})
    sets += [[p] for p in parents[:2]]
    sets.append(sorted({s[0] for s in sets if s})[:12])
    return [s for s in sets if s]


def test_what_if_agrees(pair):
    """what-if in Cypher (every removal set, each region and chain) and the single points of
    failure equal the memory library's; nothing is pulled."""
    mem, neo, regions, chains = pair
    for chain in chains:
        for region in regions:
            assert ([r.to_dict() for r in neo.what_if(None, chain, region)]
                    == [r.to_dict() for r in mem.what_if(None, chain, region)]), (chain, region)
    hits = 0
    for remove in _removals(mem.kg):
        for region in regions[:2]:
            a = mem.what_if(remove, None, region)
            b = neo.what_if(remove, None, region)
            assert [r.to_dict() for r in b] == [r.to_dict() for r in a], (remove, region)
            hits += bool(a)
    assert hits, "no removal broke anything: the contract would be vacuous"
    assert not neo.pulled


def test_what_if_names_and_errors(pair):
    """Names resolve as in memory (id, Kind:name, name); unknown and ambiguous names fail alike."""
    from kjqg_graph.errors import NodeNotFoundError
    mem, neo, _, _ = pair
    kg = mem.kg
    names = sorted({kg.name(n) for n in kg.nodes("Enterprise")})[:3] + sorted(kg.nodes("InnovationPlatform"))[:1]
    assert [r.to_dict() for r in neo.what_if(names)] == [r.to_dict() for r in mem.what_if(names)]
    for bad in (["无此单位"], names[:1] + ["无此单位"]):
        with pytest.raises(NodeNotFoundError) as e1:
            mem.what_if(bad)
        with pytest.raises(NodeNotFoundError) as e2:
            neo.what_if(bad)
        assert str(e2.value) == str(e1.value)
    assert not neo.pulled
