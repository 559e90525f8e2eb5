"""The graph model refuses what the ontology does not allow."""
import pytest

from kjqg_graph.errors import (InvalidValueError, NodeNotFoundError, UnknownAttributeError,
                               UnknownKindError, UnknownRelationError, WrongEndpointError)
from kjqg_graph.vocab import K, R


def _chain(kg):
    c = kg.add_node(K.IndustryChain, "新能源汽车")
    l = kg.add_node(K.ChainLink, "新能源汽车/动力电池", name="动力电池", stage="上游")
    kg.add_edge(l, R.partOf, c)
    return c, l


def test_unknown_kind(kg):
    with pytest.raises(UnknownKindError, match="unknown node kind 'Company'"):
        kg.add_node("Company", "x")


def test_unknown_relation(kg):
    c, l = _chain(kg)
    with pytest.raises(UnknownRelationError, match="unknown relation 'belongsTo'"):
        kg.add_edge(l, "belongsTo", c)


def test_wrong_endpoints(kg):
    c, l = _chain(kg)
    e = kg.add_node(K.Enterprise, "某企业")
    with pytest.raises(WrongEndpointError, match="supports cannot join a Enterprise to a ChainLink"):
        kg.add_edge(e, R.supports, l)
    with pytest.raises(WrongEndpointError, match="partOf cannot join a IndustryChain to a ChainLink"):
        kg.add_edge(c, R.partOf, l)


def test_unknown_attribute_and_bad_values(kg):
    with pytest.raises(UnknownAttributeError, match="a IndustryChain has no attribute 'uscc'"):
        kg.add_node(K.IndustryChain, "x", uscc="91350100M000100Y43")
    with pytest.raises(InvalidValueError, match="stage of a ChainLink must be one of 上游、中游、下游, not '上流'"):
        kg.add_node(K.ChainLink, "a/b", stage="上流")
    with pytest.raises(InvalidValueError, match="highTech must be true or false"):
        kg.add_node(K.Enterprise, "y", highTech="是")
    with pytest.raises(InvalidValueError, match="year must be a whole number"):
        kg.add_node(K.Target, "t", year="2023")
    with pytest.raises(InvalidValueError, match="asOf must be a date YYYY-MM-DD"):
        kg.add_node(K.Target, "t", asOf="2023/1/1")
    assert kg.count() == 0, "a refused node must not be half-added"


def test_edges_carry_only_provenance(kg):
    c, l = _chain(kg)
    with pytest.raises(UnknownAttributeError, match="an edge has no attribute 'weight'"):
        kg.add_edge(l, R.partOf, c, weight="3")
    kg.add_edge(l, R.partOf, c, source="links.csv:row 2", asOf="2026-11-27")
    assert kg.edge_attrs(l, R.partOf, c) == {"source": "links.csv:row 2", "asOf": "2026-11-27"}
    assert kg.edge_count(R.partOf) == 1


def test_several_relations_between_the_same_pair(kg):
    l = kg.add_node(K.ChainLink, "c/a", name="a", stage="上游")
    t = kg.add_node(K.Talent, "虚构专家")
    kg.add_edge(t, R.supports, l)
    kg.add_edge(t, R.expertIn, l)
    assert sorted(kg.neighbours(t, "out")) == [("expertIn", l), ("supports", l)]
    assert kg.inn(l, R.supports) == [t] and kg.inn(l, R.expertIn) == [t]
    G = kg.nx                                   # the same graph as a networkx MultiDiGraph
    assert sorted(G[t][l]) == ["expertIn", "supports"]
    kg.remove_edge(t, R.supports, l)
    assert kg.inn(l, R.supports) == [] and kg.inn(l, R.expertIn) == [t]


def test_remove_node_removes_its_edges(kg):
    c, l = _chain(kg)
    kg.remove_node(l)
    assert kg.counts() == {"nodes": {"IndustryChain": 1}, "edges": {}}
    with pytest.raises(NodeNotFoundError):
        kg.kind(l)


def test_find_by_name(kg):
    _chain(kg)
    assert kg.find("动力电池") == ["ChainLink:新能源汽车/动力电池"]
    assert kg.find("新能源汽车", K.IndustryChain) == ["IndustryChain:新能源汽车"]
