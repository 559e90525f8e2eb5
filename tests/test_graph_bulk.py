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


def _steps(g, columns):
    """New enterprises and regions, their edges as columns (or as add_edges), then edits."""
    ids = g.add_nodes(K.Enterprise, [(f"虚构{i}号公司", {"source": f"e.csv:row {i}"}) for i in range(6)])
    [reg] = g.add_nodes(K.Region, [("虚构县", {})])
    add = (lambda rel, us, vs, cols: g.add_edge_columns(rel, us, vs, cols)) if columns else \
        (lambda rel, us, vs, cols: g.add_edges(rel, [(u, v, {a: c[i] for a, c in cols.items()})
                                                     for i, (u, v) in enumerate(zip(us, vs))]))
    assert add(R.inLink, ids[:4] + ids[:2], ["ChainLink:链/上"] * 4 + ["ChainLink:链/下"] * 2,
               {"source": [f"e.csv:row {i}" for i in range(6)], "asOf": ["2026-11-28"] * 5 + [None]}) == 6
    assert add(R.locatedIn, ids[:3], [reg] * 3, {}) == 3
    assert add(R.inLink, [ids[4], ids[4]], ["ChainLink:链/上", "ChainLink:链/上"],
               {"source": ["a", "b"]}) == 1                                 # a pair twice: merged
    assert add(R.inLink, [ids[0], "Enterprise:虚构丙公司"], ["ChainLink:链/上", "ChainLink:链/下"],
               {"note": ["x", None]}) == 1                                  # one exists: merged
    assert add(R.inLink, [ids[5]], ["ChainLink:链/上"], {}) == 1            # not yet, then again: merged
    assert add(R.inLink, [ids[5]], ["ChainLink:链/上"], {"asOf": ["2026-11-29"]}) == 0
    return ids, reg


@pytest.mark.parametrize("walked", [False, True])
def test_edge_columns_build_what_add_edges_builds(ws, walked):
    ws.save(_bulk())
    cols, rows = ws.load(), ws.load()
    if walked:
        cols._succ
        rows._succ
    ids, reg = _steps(cols, True)
    _steps(rows, False)
    assert cols.counts() == rows.counts()
    assert cols.edges_exist([(ids[0], R.inLink, "ChainLink:链/上"), (ids[1], R.inLink, "ChainLink:链/下"),
                             (ids[2], R.inLink, "ChainLink:链/下"), (ids[2], R.locatedIn, reg),
                             ("Enterprise:虚构丙公司", R.inLink, "ChainLink:链/下")]) == [True, True, False, True, True]
    assert (cols._lazy_edges is None) == walked
    back = ws.load() if ws.save(cols) is None else None
    assert back == rows and back.counts() == rows.counts()
    assert cols == rows                                            # walking it wires the appended rows too
    assert cols.edge_attrs(ids[0], R.inLink, "ChainLink:链/上") == {"source": "e.csv:row 0", "asOf": "2026-11-28",
                                                                   "note": "x"}
    assert cols.edge_attrs(ids[1], R.inLink, "ChainLink:链/下") == {"source": "e.csv:row 5"}
    assert cols.edge_attrs(ids[4], R.inLink, "ChainLink:链/上") == {"source": "b"}
    assert cols.inn("ChainLink:链/上", R.inLink) == rows.inn("ChainLink:链/上", R.inLink)
    assert cols.inn(reg, R.locatedIn) == ids[:3]


def test_edge_columns_of_new_nodes_are_appended_to_the_table(ws):
    ws.save(_bulk())
    kg = ws.load()
    ids = kg.add_nodes(K.IndustryChain, [("虚构链", {})])              # a kind before the enterprises
    ents = kg.add_nodes(K.Enterprise, [(f"虚构{i}号公司", {}) for i in range(3)])
    m = len(kg._lazy_edges)
    assert kg.add_edge_columns(R.inLink, ents, ["ChainLink:链/下"] * 3, {"source": ["a", None, "c"]}) == 3
    assert len(kg._lazy_edges) == m + 3 and not kg._lazy_extra            # columns, no per-edge keys
    assert kg.edges_exist([(ents[1], R.inLink, "ChainLink:链/下")]) == [True]
    ws.save(kg)
    back = ws.load()
    assert back.edge_attrs(ents[1], R.inLink, "ChainLink:链/下") == {}
    assert back.edge_attrs(ents[2], R.inLink, "ChainLink:链/下") == {"source": "c"}
    assert back.count(K.IndustryChain) == 2 and back.inn("ChainLink:链/下", R.inLink)[-3:] == ents
    assert back == kg


@pytest.mark.parametrize("rel, us, vs, cols, error, message", [
    ("eats", ["Enterprise:虚构丙公司"], ["ChainLink:链/上"], {}, UnknownRelationError, "unknown relation 'eats'"),
    (R.inLink, ["Enterprise:无此公司"], ["ChainLink:链/上"], {}, NodeNotFoundError, "no node"),
    (R.inLink, ["ChainLink:链/上"], ["ChainLink:链/下"], {}, WrongEndpointError, "inLink cannot join a ChainLink"),
    (R.inLink, ["Enterprise:虚构丙公司"], ["ChainLink:链/下"], {"colour": ["red"]}, UnknownAttributeError, "colour"),
    (R.inLink, ["Enterprise:虚构丙公司"], ["ChainLink:链/下"], {"asOf": ["soon"]}, InvalidValueError, "date"),
    (R.inLink, ["Enterprise:虚构丙公司"], [], {}, ValueError, "same length"),
])
@pytest.mark.parametrize("fresh", [False, True])
def test_edge_columns_refuse_what_add_edges_refuses(ws, rel, us, vs, cols, error, message, fresh):
    ws.save(_bulk())
    kg = ws.load()
    if fresh:
        kg.add_nodes(K.Enterprise, [("虚构新公司", {})])
        us = ["Enterprise:虚构新公司" if u == "Enterprise:虚构丙公司" else u for u in us]
    before = ws.load()
    if fresh:
        before.add_nodes(K.Enterprise, [("虚构新公司", {})])
    with pytest.raises(error, match=message):
        kg.add_edge_columns(rel, us, vs, cols)
    assert kg == before and kg.counts() == before.counts()


def test_node_columns_build_what_add_nodes_builds():
    a, b = KnowledgeGraph(), KnowledgeGraph()
    rows = [("虚构甲公司", {"uscc": "91350100M000100Y43", "highTech": True}), ("虚构乙公司", {"name": "乙"}),
            ("虚构丙公司", {})]
    assert a.add_nodes(K.Enterprise, rows) == b.add_node_columns(
        K.Enterprise, ["虚构甲公司", "虚构乙公司", "虚构丙公司"],
        {"uscc": ["91350100M000100Y43", None, None], "highTech": [True, None, None], "name": [None, "乙", None]})
    assert a == b
    assert b.column(K.Enterprise, "name") == ["虚构甲公司", "乙", "虚构丙公司"]
    assert b.column(K.Enterprise, "highTech") == [True, None, None]
    with pytest.raises(InvalidValueError, match="highTech must be true or false"):
        b.add_node_columns(K.Enterprise, ["虚构丁公司"], {"highTech": ["是"]})
    with pytest.raises(UnknownKindError):
        b.column("Dragon", "name")
    assert a == b


def test_edge_columns_twice_on_the_same_new_nodes_of_a_table_without_kind_runs(ws):
    """A table whose node ids are not one run per kind (``blocks`` None: a file written by hand)
    looks old nodes up in a whole-table position index; the nodes one ``add_edge_columns`` call
    appended must be found there by the next call and by ``edges_exist`` (fixed in 923feac)."""
    ws.save(_bulk())
    kg, ref = ws.load(), ws.load()
    ref._succ                                                      # the same steps on a walked graph
    kg._lazy_edges.blocks = None
    for g in (kg, ref):
        ents = g.add_nodes(K.Enterprise, [(f"虚构{i}号公司", {}) for i in range(3)])
        [reg] = g.add_nodes(K.Region, [("虚构县", {})])
        assert g.add_edge_columns(R.inLink, ents, ["ChainLink:链/下"] * 3, {"source": ["a", "b", "c"]}) == 3
        assert g.edges_exist([(ents[1], R.inLink, "ChainLink:链/下"), (ents[1], R.inLink, "ChainLink:链/上")]) == [
            True, False]
        assert g.add_edge_columns(R.locatedIn, ents, [reg] * 3, {"asOf": ["2026-11-28"] * 3}) == 3
        assert g.add_edge_columns(R.inLink, ents[:1], ["ChainLink:链/上"], {}) == 1
    assert kg._lazy_edges is not None and len(kg._lazy_edges) == 5 + 6     # appended as columns
    assert kg.edges_exist([(e, R.locatedIn, reg) for e in ents]) == [True] * 3
    back = _read_back(ws, kg)
    assert back == ref and back.counts() == ref.counts()
    assert kg == ref


def test_large_edge_column_batches_build_what_add_edges_builds(ws):
    """Batches past the short-column limit: a source per row (appended as it is), a date shared by
    all, an absent value now and then; nodes named once, twice or three times in a row, and out of
    order; a pair named twice in each shape. Same graph, edge order and saved file as add_edges."""
    ws.save(_bulk())
    cols, rows = ws.load(), ws.load()
    n = 5000
    up, down = "ChainLink:链/上", "ChainLink:链/下"

    def steps(g, columns):
        ids = g.add_nodes(K.Enterprise, [(f"虚构{i}号公司", {}) for i in range(n)])
        [reg] = g.add_nodes(K.Region, [("虚构县", {})])

        def add(rel, us, vs, c):
            if columns:
                return g.add_edge_columns(rel, us, vs, c)
            return g.add_edges(rel, [(u, v, {a: x[i] for a, x in c.items()}) for i, (u, v) in enumerate(zip(us, vs))])
        src = [None if i % 7 == 0 else f"e.csv:row {i}" for i in range(n)]
        us = [x for e in ids for x in (e, e)]
        assert add(R.inLink, us, [up, down] * n, {"source": [s for s in src for _ in (0, 1)],
                                                   "asOf": ["2026-11-28"] * (2 * n)}) == 2 * n
        assert add(R.locatedIn, ids[::-1], [reg] * n, {"source": src[::-1]}) == n
        return ids, reg

    ids, reg = steps(cols, True)
    steps(rows, False)
    assert cols._lazy_edges is not None and not cols._lazy_extra       # appended as columns
    assert cols.counts() == rows.counts()
    assert cols.edges_exist([(ids[3], R.inLink, down), (ids[3], R.locatedIn, reg), (ids[3], R.inLink, reg)]) == [
        True, True, False]
    back = _read_back(ws, cols)
    assert back == rows and back.counts() == rows.counts()
    assert back.edge_attrs(ids[0], R.inLink, up) == {"asOf": "2026-11-28"}
    assert back.edge_attrs(ids[1], R.inLink, down) == {"source": "e.csv:row 1", "asOf": "2026-11-28"}
    assert back.inn(reg, R.locatedIn) == ids[::-1] == cols.inn(reg, R.locatedIn) == rows.inn(reg, R.locatedIn)
    assert cols == rows
    # a pair named twice three in a row, out of order, next to each other: merged (through add_edges)
    ws.save(_bulk())
    for which, vs in (([0, 0, 0], [up, down, up]), ([0, 1, 0], [up, up, up]), ([1, 1], [up, up])):
        g = ws.load()
        new = g.add_nodes(K.Enterprise, [(f"虚构{i}号公司", {}) for i in range(2)])
        us = [new[i] for i in which]
        assert g.add_edge_columns(R.inLink, us, vs, {"source": ["a", "b", "c"][:len(us)]}) == len(set(zip(us, vs)))
        assert len(g._lazy_extra) == len(set(zip(us, vs)))
        assert g.edge_attrs(us[0], R.inLink, up)["source"] == ("c" if len(us) == 3 else "b")


@pytest.mark.parametrize("walked", [False, True])
def test_node_columns_of_new_nodes_are_built_from_the_columns(ws, walked):
    """New nodes from columns: the same node dicts (and key order) as add_nodes, None = not given
    (a name not given is the key), an all-None column left out, the same errors, nothing changed
    by a refused batch; on a workspace graph, unwired or walked, and round trip."""
    ws.save(_bulk())
    a, b = ws.load(), ws.load()
    if walked:
        a._succ
        b._succ
    keys = ["虚构甲", "虚构乙", "虚构丙"]
    cols = {"source": ["e.csv:row 2", "e.csv:row 3", None], "name": [None, "乙", None],
            "highTech": [True, None, False], "uscc": [None, None, None], "products": ["电池", "电机", "电控"]}
    rows = [(k, {x: c[i] for x, c in cols.items() if c[i] is not None}) for i, k in enumerate(keys)]
    assert a.add_node_columns(K.Enterprise, keys, cols) == b.add_nodes(K.Enterprise, rows)
    assert a == b and a.counts() == b.counts()
    for n in a.nodes(K.Enterprise)[-3:]:
        assert list(a.attrs(n)) == list(b.attrs(n))
    assert a.attrs("Enterprise:虚构丙") == {"kind": "Enterprise", "name": "虚构丙", "highTech": False, "products": "电控"}
    assert a.add_edge_columns(R.inLink, ["Enterprise:虚构甲"], ["ChainLink:链/上"], {}) == 1
    for bad, error in (({"highTech": ["是", None, None]}, InvalidValueError), ({"colour": ["红", None, None]},
                                                                               UnknownAttributeError)):
        before = a.copy() if walked else None
        with pytest.raises(error):
            a.add_node_columns(K.Enterprise, ["虚构丁", "虚构戊", "虚构己"], bad)
        assert "Enterprise:虚构丁" not in a and (before is None or a == before)
    with pytest.raises(UnknownKindError):
        a.add_node_columns("Dragon", ["x"], {})
    assert a.add_node_columns(K.Enterprise, ["虚构甲", "虚构庚"], {"products": ["电池2", None]}) == [
        "Enterprise:虚构甲", "Enterprise:虚构庚"]                                 # one exists: merged
    assert a.get("Enterprise:虚构甲", "products") == "电池2" and a.get("Enterprise:虚构甲", "source") == "e.csv:row 2"
    back = _read_back(ws, a)
    assert back == a


def test_row_dicts_with_one_varying_column_and_constant_ones():
    """Columns holding one value on every row (a load date, an absent note) are not combined row by
    row: each value of the varying column gets one dict, in the columns' key order, absent values
    left out; rows with the same code share it."""
    from array import array
    from kjqg_graph.graph import EdgeTable
    cols = {"source": [["a", "b", None], array("I", [0, 1, 2, 0])], "asOf": [["x", "d"], array("I", [1, 1, 1, 1])],
            "note": [[None], array("I", [0, 0, 0, 0])]}
    t = EdgeTable(None, array("I", [0] * 4), array("I", [0] * 4), array("B", [0] * 4), ["inLink"], cols)
    rows = list(t.row_dicts())
    assert [list(d.items()) for d in rows] == [[("source", "a"), ("asOf", "d")], [("source", "b"), ("asOf", "d")],
                                               [("asOf", "d")], [("source", "a"), ("asOf", "d")]]
    assert rows[0] is rows[3]
