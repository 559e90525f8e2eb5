"""The bulk API (add_nodes / add_edges) builds what add_node / add_edge build and refuses the same."""
import pytest

from kjqg_graph.errors import (InvalidValueError, NodeNotFoundError, UnknownAttributeError,
                               UnknownKindError, UnknownRelationError, WrongEndpointError)
from kjqg_graph.graph import KnowledgeGraph
from kjqg_graph.vocab import K, R

ENTS = [("虚构甲公司", {"uscc": "91350100M000100Y43", "highTech": True, "source": "e.csv:row 2", "asOf": "2026-11-27"}),
        ("虚构乙公司", {"name": "乙", "chainLeader": False, "products": "电池", "note": None}),
        ("虚构丙公司", {})]
LINKS = [("链/上", {"name": "上", "stage": "上游"}), ("链/下", {"name": "下", "stage": "下游", "note": "含整车"})]


def _one_by_one():
    kg = KnowledgeGraph()
    c = kg.add_node(K.IndustryChain, "链")
    for key, attrs in LINKS:
        kg.add_node(K.ChainLink, key, **attrs)
    for key, attrs in ENTS:
        kg.add_node(K.Enterprise, key, **attrs)
    kg.add_edge("ChainLink:链/上", R.partOf, c, source="l.csv:row 2")
    kg.add_edge("ChainLink:链/下", R.partOf, c)
    kg.add_edge("ChainLink:链/上", R.supplies, "ChainLink:链/下", asOf="2026-11-27", note=None)
    kg.add_edge("Enterprise:虚构甲公司", R.inLink, "ChainLink:链/上")
    kg.add_edge("Enterprise:虚构乙公司", R.inLink, "ChainLink:链/上", source="e.csv:row 3")
    return kg


def _bulk(kg=None):
    kg = kg or KnowledgeGraph()
    [c] = kg.add_nodes(K.IndustryChain, [("链", {})])
    assert kg.add_nodes(K.ChainLink, LINKS) == ["ChainLink:链/上", "ChainLink:链/下"]
    kg.add_nodes(K.Enterprise, iter(ENTS))
    assert kg.add_edges(R.partOf, [("ChainLink:链/上", c, {"source": "l.csv:row 2"}), ("ChainLink:链/下", c)]) == 2
    kg.add_edges(R.supplies, [("ChainLink:链/上", "ChainLink:链/下", {"asOf": "2026-11-27", "note": None})])
    kg.add_edges(R.inLink, [("Enterprise:虚构甲公司", "ChainLink:链/上", {}),
                            ("Enterprise:虚构乙公司", "ChainLink:链/上", {"source": "e.csv:row 3"})])
    return kg


def test_bulk_builds_what_one_by_one_builds():
    a, b = _one_by_one(), _bulk()
    assert a == b
    assert a.counts() == b.counts()
    assert b.attrs("Enterprise:虚构乙公司") == {"kind": "Enterprise", "name": "乙", "chainLeader": False,
                                                "products": "电池"}
    assert b.inn("ChainLink:链/上", R.inLink) == ["Enterprise:虚构甲公司", "Enterprise:虚构乙公司"]
    assert b.edge_attrs("ChainLink:链/上", R.supplies, "ChainLink:链/下") == {"asOf": "2026-11-27"}


def test_bulk_merges_into_existing_nodes_and_edges():
    kg = _bulk()
    kg.add_nodes(K.Enterprise, [("虚构甲公司", {"highTech": None, "gazelle": True}),
                                ("虚构丁公司", {"products": "甲"}), ("虚构丁公司", {"products": "乙"})])
    assert kg.attrs("Enterprise:虚构甲公司") == {"kind": "Enterprise", "name": "虚构甲公司",
                                                 "uscc": "91350100M000100Y43", "source": "e.csv:row 2",
                                                 "asOf": "2026-11-27", "gazelle": True}
    assert kg.get("Enterprise:虚构丁公司", "products") == "乙"
    assert kg.count(K.Enterprise) == 4
    assert kg.add_edges(R.inLink, [("Enterprise:虚构甲公司", "ChainLink:链/上", {"source": "x"}),
                                   ("Enterprise:虚构丁公司", "ChainLink:链/下"),
                                   ("Enterprise:虚构丁公司", "ChainLink:链/下", {"note": "再"})]) == 1
    assert kg.edge_attrs("Enterprise:虚构甲公司", R.inLink, "ChainLink:链/上") == {"source": "x"}
    assert kg.edge_attrs("Enterprise:虚构丁公司", R.inLink, "ChainLink:链/下") == {"note": "再"}
    assert kg.edge_count(R.inLink) == 3


@pytest.mark.parametrize("kind, rows, error, message", [
    ("Company", [("x", {})], UnknownKindError, "unknown node kind 'Company'"),
    (K.Enterprise, [("a", {}), ("b", {"stage": "上游"})], UnknownAttributeError, "a Enterprise has no attribute 'stage'"),
    (K.Enterprise, [("a", {"kind": "Region"})], UnknownAttributeError, "'kind' is set when the node is created"),
    (K.Enterprise, [("a", {"highTech": True}), ("b", {"highTech": "yes"})], InvalidValueError,
     "highTech must be true or false, not 'yes'"),
    (K.Target, [("t", {"year": 2023}), ("u", {"year": True})], InvalidValueError, "year must be a whole number"),
    (K.Target, [("t", {"year": "2023"})], InvalidValueError, "year must be a whole number, not '2023'"),
    (K.ChainLink, [("l", {"stage": "上游"}), ("m", {"stage": "顶游"})], InvalidValueError,
     "stage of a ChainLink must be one of 上游、中游、下游, not '顶游'"),
    (K.Enterprise, [("a", {"asOf": "2026-11-27"}), ("b", {"asOf": "27/11/2026"})], InvalidValueError,
     "asOf must be a date YYYY-MM-DD"),
    (K.Enterprise, [("a", {"products": ["list"]})], InvalidValueError, "products must be text"),
    (K.Enterprise, [("a", {"name": None})], InvalidValueError, "a node must keep its name"),
])
def test_bulk_nodes_refuse_what_add_node_refuses_and_change_nothing(kind, rows, error, message):
    kg = _bulk()
    before = kg.copy()
    with pytest.raises(error, match=message):
        kg.add_nodes(kind, rows)
    assert kg == before and kg.counts() == before.counts()


@pytest.mark.parametrize("rel, edges, error, message", [
    ("likes", [("Enterprise:虚构甲公司", "ChainLink:链/下")], UnknownRelationError, "unknown relation 'likes'"),
    (R.inLink, [("Enterprise:虚构丙公司", "ChainLink:链/下"), ("Enterprise:虚构丙公司", "IndustryChain:链")],
     WrongEndpointError, "inLink cannot join a Enterprise to a IndustryChain"),
    (R.inLink, [("Enterprise:虚构丙公司", "ChainLink:链/下"), ("Enterprise:无", "ChainLink:链/下")],
     NodeNotFoundError, "no node 'Enterprise:无'"),
    (R.inLink, [("Enterprise:虚构丙公司", "ChainLink:链/下", {"stage": "上游"})], UnknownAttributeError,
     "an edge has no attribute 'stage'"),
    (R.inLink, [("Enterprise:虚构丙公司", "ChainLink:链/下", {"asOf": "soon"})], InvalidValueError,
     "asOf must be a date"),
    (R.inLink, [("Enterprise:虚构丙公司", "ChainLink:链/下", {"source": 3})], InvalidValueError,
     "source must be text"),
])
def test_bulk_edges_refuse_what_add_edge_refuses_and_change_nothing(rel, edges, error, message):
    kg = _bulk()
    before = kg.copy()
    with pytest.raises(error, match=message):
        kg.add_edges(rel, edges)
    assert kg == before and kg.counts() == before.counts()


def test_bulk_into_a_workspace_graph_round_trips(ws):
    ws.save(_bulk())
    kg = ws.load()
    kg.add_nodes(K.Enterprise, [(f"虚构{i}号公司", {"highTech": i % 2 == 0, "source": f"e.csv:row {i}"})
                                for i in range(50)])
    kg.add_edges(R.inLink, [(f"Enterprise:虚构{i}号公司", "ChainLink:链/下", {"source": f"e.csv:row {i}"})
                            for i in range(50)])
    ws.save(kg)
    back = ws.load()
    assert back == kg
    assert back.count(K.Enterprise) == 53 and back.edge_count(R.inLink) == 52
    assert len(back.inn("ChainLink:链/下", R.inLink)) == 50
    assert back.get("Enterprise:虚构7号公司", "highTech") is False


def _read_back(ws, kg):
    ws.save(kg)
    return ws.load()


def test_edges_of_new_nodes_wait_unwired_and_round_trip(ws):
    base = _bulk()
    ws.save(base)
    lazy, eager = ws.load(), ws.load()
    eager._succ                                                    # the same steps on a walked graph
    for g in (lazy, eager):
        ids = g.add_nodes(K.Enterprise, [(f"虚构{i}号公司", {"source": f"e.csv:row {i}"}) for i in range(5)])
        assert g.add_edges(R.inLink, [(n, "ChainLink:链/下", {"source": "x", "note": None}) for n in ids]) == 5
        assert g.add_edges(R.inLink, [(ids[0], "ChainLink:链/下", {"asOf": "2026-11-28"}),
                                      (ids[1], "ChainLink:链/上")]) == 1
        assert g.edge_count(R.inLink) == 8
    assert lazy._lazy_edges is not None and len(lazy._lazy_extra) == 6       # nothing was wired
    back = _read_back(ws, lazy)                                    # saved from the unwired table + the extras
    assert lazy._lazy_edges is not None
    assert back == eager and back.counts() == eager.counts()
    assert back.edge_attrs("Enterprise:虚构0号公司", R.inLink, "ChainLink:链/下") == {"source": "x",
                                                                                    "asOf": "2026-11-28"}
    assert lazy == eager                                           # walking it wires the extras in too
    assert lazy.inn("ChainLink:链/下", R.inLink)[-5:] == [f"Enterprise:虚构{i}号公司" for i in range(5)]


def test_edges_between_old_nodes_are_checked_on_the_unwired_table(ws):
    ws.save(_bulk())
    lazy, eager = ws.load(), ws.load()
    eager._succ                                                    # the same steps on a walked graph
    for g in (lazy, eager):
        [n] = g.add_nodes(K.Enterprise, [("虚构新公司", {})])
        assert g.add_edges(R.inLink, [(n, "ChainLink:链/上")]) == 1
        assert g.add_edges(R.inLink, [("Enterprise:虚构丙公司", "ChainLink:链/上", {"source": "y"}),    # new, both old
                                      ("Enterprise:虚构乙公司", "ChainLink:链/上",                      # exists: merged
                                       {"source": "e2.csv:row 9", "asOf": "2026-11-28", "note": None})]) == 1
        assert g.add_edges(R.inLink, [("Enterprise:虚构丙公司", "ChainLink:链/上", {"asOf": "2026-11-29"})]) == 0
        assert g.add_edges(R.supplies, [("ChainLink:链/上", "ChainLink:链/下")]) == 0
        assert g.edges_exist([("Enterprise:虚构甲公司", R.inLink, "ChainLink:链/上"),
                                ("Enterprise:虚构丙公司", R.inLink, "ChainLink:链/上"),
                                ("Enterprise:虚构甲公司", R.inLink, "ChainLink:链/下"),
                                ("ChainLink:链/上", R.partOf, "IndustryChain:链"),
                                ("ChainLink:链/上", R.supplies, "IndustryChain:链"),
                                (n, R.inLink, "ChainLink:链/上"), ("Enterprise:无此公司", R.inLink, n)]) == [
            True, True, False, True, False, True, False]
        assert g.edge_count(R.inLink) == 4
    assert lazy._lazy_edges is not None                            # nothing was wired
    back = _read_back(ws, lazy)
    assert lazy._lazy_edges is not None
    assert back == eager and back.counts() == eager.counts()
    assert back.edge_attrs("Enterprise:虚构乙公司", R.inLink, "ChainLink:链/上") == {"source": "e2.csv:row 9",
                                                                                   "asOf": "2026-11-28"}
    assert back.edge_attrs("Enterprise:虚构丙公司", R.inLink, "ChainLink:链/上") == {"source": "y",
                                                                                   "asOf": "2026-11-29"}
    assert lazy == eager                                           # walking it wires the table edits in too
    assert set(lazy.inn("ChainLink:链/上", R.inLink)) == {"Enterprise:虚构甲公司", "Enterprise:虚构乙公司",
                                                         "Enterprise:虚构丙公司", "Enterprise:虚构新公司"}


def test_edges_given_one_dict_stay_separate_edges(ws):
    ws.save(_bulk())
    kg = ws.load()
    ids = kg.add_nodes(K.Enterprise, [("虚构新甲", {}), ("虚构新乙", {})])
    shared = {"source": "e.csv:row 2", "asOf": "2026-11-27"}
    kg.add_edges(R.inLink, [(ids[0], "ChainLink:链/上", shared), (ids[1], "ChainLink:链/上", shared)])
    shared["source"] = "changed by the caller"
    kg.add_edges(R.inLink, [(ids[0], "ChainLink:链/上", {"source": "again"}), (ids[0], "ChainLink:链/上", {})])
    assert kg._lazy_edges is not None
    assert kg.edge_attrs(ids[1], R.inLink, "ChainLink:链/上") == {"source": "e.csv:row 2", "asOf": "2026-11-27"}
    assert kg.edge_attrs(ids[0], R.inLink, "ChainLink:链/上") == {"source": "again", "asOf": "2026-11-27"}
    kg.add_edge(ids[1], R.inLink, "ChainLink:链/上", note="x")     # wired now: one edge's dict changes alone
    assert kg.edge_attrs(ids[0], R.inLink, "ChainLink:链/上") == {"source": "again", "asOf": "2026-11-27"}
    assert kg.edge_attrs(ids[1], R.inLink, "ChainLink:链/上")["note"] == "x"
