"""Support paths, inheritance, region scope and chain order on hand-built graphs."""
import pytest

from graphs import car_chain, link
from kjqg_graph.analysis import chain_order, facts, link_support, make_scope, region_closure, resource_list
from kjqg_graph.errors import NodeNotFoundError
from kjqg_graph.graph import KnowledgeGraph
from kjqg_graph.vocab import K, R


def paths(rows):
    return {(r.node, r.how, r.base_how, r.via, r.from_link) for r in rows}


def test_every_support_path_kind():
    kg, n = car_chain()
    assert paths(link_support(kg, n["电池"])) == {("平台A", "direct", "direct", "", "")}
    assert paths(link_support(kg, n["整车"])) == {
        ("平台B", "via_host", "via_host", "甲车企", ""),
        ("人才X", "via_technology", "via_technology", "轻量化", ""),
    }
    assert paths(link_support(kg, n["电芯"])) == {
        ("院所Y", "via_technology", "via_technology", "固态电解质", ""),
        ("平台A", "inherited", "direct", "", "电池"),
    }
    assert link_support(kg, n["材料"]) == []


def test_expert_in_link_is_a_path():
    kg, n = car_chain()
    t = kg.add_node(K.Talent, "人才W")
    kg.add_edge(t, R.expertIn, n["材料"])
    assert paths(link_support(kg, n["材料"])) == {("人才W", "expert", "expert", "", "")}


def test_path_in_words():
    kg, n = car_chain()
    words = {r.node: r.path for r in link_support(kg, n["电芯"])}
    assert words == {"院所Y": "院所Y 攻关或研究 固态电解质，电芯 需要该技术",
                     "平台A": "继承自上级环节 电池：平台A 直接支撑 电池"}


def test_inheritance_goes_down_every_level_not_up():
    kg = KnowledgeGraph()
    c = kg.add_node(K.IndustryChain, "链")
    top, mid, low = (link(kg, c, x, "中游") for x in ("顶", "中", "底"))
    kg.add_edge(mid, R.subLinkOf, top)
    kg.add_edge(low, R.subLinkOf, mid)
    p = kg.add_node(K.InnovationPlatform, "P")
    kg.add_edge(p, R.supports, top)
    q = kg.add_node(K.ResearchInstitute, "Q")
    kg.add_edge(q, R.supports, low)
    assert paths(link_support(kg, low)) == {("Q", "direct", "direct", "", ""), ("P", "inherited", "direct", "", "顶")}
    assert paths(link_support(kg, mid)) == {("P", "inherited", "direct", "", "顶")}
    assert paths(link_support(kg, top)) == {("P", "direct", "direct", "", "")}
    f = facts(kg)
    assert (f.supported_own(mid), f.supported_inherited(mid)) == (False, True)


def test_region_closure_is_transitive_through_zones():
    kg, n = car_chain()
    assert region_closure(kg, n["广西"]) == {n["广西"], n["柳州"], n["南宁"], n["柳东"]}
    assert region_closure(kg, n["柳州"]) == {n["柳州"], n["柳东"]}


def test_scope_members_with_host_and_affiliation_fallback():
    kg, n = car_chain()
    s = make_scope(kg, "广西")
    inside = {k for k in ("甲", "乙", "丁", "平台A", "平台B", "大学U", "人才X", "平台Z") if n[k] in s}
    assert inside == {"甲", "乙", "丁", "平台A", "平台B", "大学U", "人才X", "平台Z"}
    assert n["丙"] not in s and n["院所Y"] not in s
    s2 = make_scope(kg, "柳州")
    assert {k for k in ("甲", "乙", "丁", "平台A", "平台B", "人才X") if n[k] in s2} == {"甲", "丁", "平台A", "平台B"}


def test_region_scope_drops_outside_supporters():
    kg, n = car_chain()
    assert paths(link_support(kg, n["电芯"], "广西")) == {("平台A", "inherited", "direct", "", "电池")}
    assert paths(link_support(kg, n["整车"], "柳州")) == {("平台B", "via_host", "via_host", "甲车企", "")}


def test_unknown_region_and_chain_say_what_exists():
    kg, _ = car_chain()
    with pytest.raises(NodeNotFoundError, match="no region named '广东'"):
        make_scope(kg, "广东")
    with pytest.raises(NodeNotFoundError, match="no chain named '船'"):
        resource_list(kg, "船")


def test_chain_order_stage_then_supplies_then_name():
    kg, n = car_chain()
    assert [kg.name(l) for l in chain_order(kg, n["车"])] == ["材料", "电机", "电池", "电芯", "整车"]
    kg2 = KnowledgeGraph()
    c = kg2.add_node(K.IndustryChain, "链")
    a, b, z = link(kg2, c, "a", "中游"), link(kg2, c, "b", "中游"), link(kg2, c, "z", "中游")
    up = link(kg2, c, "y", "上游")
    kg2.add_edge(z, R.supplies, a)          # z before a although a < z by name
    kg2.add_edge(b, R.supplies, up)         # against the stages: stage wins
    assert [kg2.name(l) for l in chain_order(kg2, c)] == ["y", "b", "z", "a"]
    kg2.add_edge(a, R.supplies, z)          # a cycle: free links first, then broken at the smallest name
    assert [kg2.name(l) for l in chain_order(kg2, c)] == ["y", "b", "a", "z"]


def test_resource_list_shows_every_link_in_order():
    kg, n = car_chain()
    rows = resource_list(kg)
    assert [(r.link, r.node, r.how) for r in rows] == [
        ("材料", "", ""), ("电机", "", ""), ("电池", "平台A", "direct"),
        ("电芯", "院所Y", "via_technology"), ("电芯", "平台A", "inherited"),
        ("整车", "人才X", "via_technology"), ("整车", "平台B", "via_host")]
