"""SHACL shapes: the good graph conforms; each hand-made break fails with its exact message."""
from __future__ import annotations

import pytest
from rdflib import Literal, Namespace, URIRef

from kjqg_graph.rdf.convert import to_rdf
from kjqg_graph.rdf.terms import node_iris
from kjqg_graph.validate import validate_graph, validate_rdf
from test_rdf_fixtures import good_graph

KJ = Namespace("https://w3id.org/kjqg/ont#")


@pytest.fixture(scope="module")
def good():
    kg = good_graph()
    return kg, node_iris(kg)


def _messages(report):
    return {(r.severity, r.name, r.message_zh, r.message_en) for r in report.results}


def test_good_graph_conforms(good):
    report = validate_graph(good[0])
    assert report.conforms, report.text("en")
    assert report.results == []


def test_shapes_file_is_up_to_date():
    from kjqg_graph.rdf.shapes import MARKER, SHAPES_TTL, generated_shapes
    text = SHAPES_TTL.read_text(encoding="utf-8")
    assert text.split(MARKER, 1)[1].strip() == generated_shapes().strip(), \
        "ontology/shapes.ttl is out of date: run `python -m kjqg_graph.rdf.shapes`"


def test_every_kind_needs_a_name():
    from rdflib import Graph
    from rdflib.namespace import SH
    from kjqg_graph.validate import SHAPES_TTL
    from kjqg_graph.vocab import vocabulary
    g = Graph().parse(SHAPES_TTL)
    targeted = {str(c)[len(str(KJ)):] for c in g.objects(URIRef("https://w3id.org/kjqg/shapes#NamedNode"), SH.targetClass)}
    assert targeted == set(vocabulary().kinds)


def _broken(good, mutate):
    kg, iris = good
    g = to_rdf(kg)
    mutate(g, {k: URIRef(v) for k, v in iris.items()})
    return validate_rdf(g)


def test_link_without_stage(good):
    def m(g, I):
        g.remove((I["ChainLink:虚构新能源车/动力电池"], KJ.stage, None))
    r = _broken(good, m)
    assert not r.conforms
    assert _messages(r) == {("Violation", "动力电池", "环节缺少阶段（上游、中游或下游）",
                             "The chain link has no stage (upstream, midstream or downstream)")}
    assert "环节缺少阶段（上游、中游或下游）" in r.text("zh") and "动力电池" in r.text("zh")


def test_link_in_two_chains(good):
    def m(g, I):
        other = URIRef(str(I["IndustryChain:虚构新能源车"]) + "2")
        g.add((other, KJ.name, Literal("虚构第二链")))
        g.add((other, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), KJ.IndustryChain))
        g.add((I["ChainLink:虚构新能源车/电池材料"], KJ.partOf, other))
    r = _broken(good, m)
    assert _messages(r) == {("Violation", "电池材料", "环节必须属于且只属于一条产业链（partOf）",
                             "A chain link must belong to exactly one industry chain (partOf)")}


def test_link_in_no_chain(good):
    def m(g, I):
        g.remove((I["ChainLink:虚构新能源车/整车"], KJ.partOf, None))
    r = _broken(good, m)
    assert ("Violation", "整车", "环节必须属于且只属于一条产业链（partOf）",
            "A chain link must belong to exactly one industry chain (partOf)") in _messages(r)


@pytest.mark.parametrize("code", ["91450200O0000019A1", "9145020000000001", "91450200000000019a", "91450200-00000019A"])
def test_bad_uscc_pattern(good, code):
    def m(g, I):
        e = I["Enterprise:虚构乙材料有限公司"]
        g.add((e, KJ.uscc, Literal(code)))
    r = _broken(good, m)
    assert _messages(r) == {("Violation", "虚构乙材料有限公司",
                             "统一社会信用代码必须是 18 位，由数字和大写字母组成（不含 I、O、S、V、Z）",
                             "A unified social credit code has 18 characters: digits and capital letters except I, O, S, V, Z")}


@pytest.mark.parametrize("bad", [Literal("进行中"), Literal("攻关中"), KJ.Stage_Upstream])
def test_bad_status(good, bad):
    def m(g, I):
        t = I["KeyTechnology:虚构电池回收"]
        g.remove((t, KJ.status, None))
        g.add((t, KJ.status, bad))
    r = _broken(good, m)
    assert _messages(r) == {("Violation", "虚构电池回收", "「攻关状态」的取值必须是未攻关、攻关中、已突破之一",
                             "'status' must be one of not tackled, in progress, achieved")}


def test_wrong_endpoint_and_missing_name(good):
    def m(g, I):
        g.add((I["Enterprise:虚构乙材料有限公司"], KJ.inLink, I["KeyTechnology:虚构电池回收"]))
        g.remove((I["Talent:虚构专家甲"], KJ.name, None))
    r = _broken(good, m)
    msgs = {x[2] for x in _messages(r)}
    assert "「所在环节」关系必须指向产业链环节" in msgs
    assert "节点必须有且只有一个非空名称（kjqg:name）" in msgs


def test_target_without_value(good):
    def m(g, I):
        g.remove((I["Target:虚构研发投入强度"], KJ.value, None))
    r = _broken(good, m)
    assert _messages(r) == {("Violation", "虚构研发投入强度", "指标必须有且只有一个目标值", "A target must have exactly one value")}


def test_enterprise_without_link_is_a_warning_only(good):
    kg = good[0].copy()
    from kjqg_graph.vocab import K
    kg.add_node(K.Enterprise, "虚构丙公司")
    r = validate_graph(kg)
    assert r.conforms
    assert [(x.severity, x.message_en) for x in r.results] == [("Warning", "The enterprise is in no chain link")]
    assert "警告" in r.text("zh") and "1 warning" in r.text("en")
