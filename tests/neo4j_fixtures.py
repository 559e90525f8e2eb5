"""Neo4j test fixtures (a plugin module: ``from neo4j_fixtures import *`` in a test module).

The session fixture runs only with KJQG_NEO4J_TESTS=1 (scripts/test.sh sets it) or CI=true, and
connects with NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD (defaults bolt://127.0.0.1:7687, neo4j,
kjqg-test-password). No server: a skip saying how to start one,
but under CI=true a failure. ``neo4j_db`` empties the database before each test.
"""
from __future__ import annotations

import os

import pytest

__all__ = ["neo4j_settings", "neo4j_conn", "neo4j_db", "build_graph", "SKIP_MESSAGE"]

SKIP_MESSAGE = "Neo4j not running: start it with scripts/neo4j.sh start (needs Java 17 + Maven) or run make test"


def _settings():
    from kjqg_graph.neo4j import Neo4jSettings
    return Neo4jSettings(uri=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
                         user=os.environ.get("NEO4J_USERNAME", "neo4j"),
                         password=os.environ.get("NEO4J_PASSWORD", "kjqg-test-password"),
                         database=os.environ.get("NEO4J_DATABASE", "neo4j"))


@pytest.fixture(scope="session")
def neo4j_settings():
    return _settings()


@pytest.fixture(scope="session")
def neo4j_conn(neo4j_settings):
    from kjqg_graph.neo4j import Neo4jError, connect
    if os.environ.get("KJQG_NEO4J_TESTS") != "1" and os.environ.get("CI") != "true":
        # These tests empty the database: never run them against a server just because one answers
        # (a shared machine's benchmark server, someone's data). scripts/test.sh sets the variable.
        pytest.skip("Neo4j tests are off: set KJQG_NEO4J_TESTS=1 (scripts/test.sh does) with a server running "
                    "(scripts/neo4j.sh start)")
    try:
        conn = connect(neo4j_settings)
    except Neo4jError as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Neo4j is required under CI=true and is not reachable: {e}")
        pytest.skip(SKIP_MESSAGE)
    yield conn
    conn.close()


@pytest.fixture
def neo4j_db(neo4j_conn):
    """The connection, with the database emptied first (tests run serially)."""
    from kjqg_graph.neo4j import clear
    clear(neo4j_conn)
    return neo4j_conn


def build_graph(enterprises: int = 200, links: int = 12, seed: int = 1):
    """A fictitious graph built through the model (no loader needed): one chain, regions, links
    in a supply line with sub-links, enterprises, platforms, technologies and their tacklers."""
    import random

    from kjqg_graph.graph import KnowledgeGraph
    from kjqg_graph.vocab import K, R
    rnd = random.Random(seed)
    kg = KnowledgeGraph()
    prov = kg.add_node(K.Region, "虚构省", regionType="自治区")
    cities = [kg.add_node(K.Region, f"虚构市{i}", regionType="设区市") for i in range(4)]
    for c in cities:
        kg.add_edge(c, R.locatedIn, prov, source="test")
    chain = kg.add_node(K.IndustryChain, "虚构产业链", source="test")
    stages = ["上游", "中游", "下游"]
    ls = []
    for i in range(links):
        lid = kg.add_node(K.ChainLink, f"虚构产业链/环节{i}", name=f"环节{i}", stage=stages[i * 3 // links])
        kg.add_edge(lid, R.partOf, chain)
        if ls:
            kg.add_edge(ls[-1], R.supplies, lid, source="test", asOf="2023-01-01")
        if i % 5 == 4:
            kg.add_edge(lid, R.subLinkOf, ls[-1])
        ls.append(lid)
    techs = []
    for i in range(links // 2):
        t = kg.add_node(K.KeyTechnology, f"虚构技术{i}", chokepoint=i % 2 == 0,
                        status=["未攻关", "攻关中", "已突破"][i % 3])
        kg.add_edge(ls[rnd.randrange(links)], R.requires, t)
        kg.add_edge(t, R.concernsChain, chain)
        techs.append(t)
    ents = []
    for i in range(enterprises):
        e = kg.add_node(K.Enterprise, f"虚构企业{i:05d}", highTech=rnd.random() < 0.3, aboveScale=rnd.random() < 0.5,
                        hasRdStaff=rnd.random() < 0.5, hasRdPlatform=False, hasRdFunds=rnd.random() < 0.5,
                        source=f"test.csv:{i + 2}")
        kg.add_edge(e, R.inLink, ls[rnd.randrange(links)], source=f"test.csv:{i + 2}")
        kg.add_edge(e, R.locatedIn, cities[rnd.randrange(4)])
        ents.append(e)
    for i in range(max(2, enterprises // 20)):
        p = kg.add_node(K.InnovationPlatform, f"虚构平台{i}", level="自治区级")
        kg.add_edge(p, R.locatedIn, cities[rnd.randrange(4)])
        if i % 3 == 0:
            kg.add_edge(p, R.supports, ls[rnd.randrange(links)])
        elif i % 3 == 1 and techs:
            kg.add_edge(p, R.tackles, techs[rnd.randrange(len(techs))])
        else:
            kg.add_edge(p, R.hostedBy, ents[rnd.randrange(len(ents))])
    return kg
