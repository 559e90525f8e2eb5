"""Every gap kind, severity and candidate ranking on hand-built graphs (expected values by hand).

The 车 chain of tests/graphs.py, without a region:
  材料(上游, 乙材料 small) → 电池(中游, nobody directly; 平台A supports) ⊃ 电芯(丙电池, 湖南, 三无, 链主)
  材料 → 电机(中游, no enterprise, no support; requires 电驱控制 已突破) → 整车(下游, 甲车企 链主, 丁整车 三无)
"""
from graphs import car_chain, link
from kjqg_graph.analysis import (find_gaps, idle_innovation, innovation_gaps, missing_links, sanwu_enterprises,
                                 technology_gaps, weak_links)
from kjqg_graph.analysis.severity import rank_candidates, severity
from kjqg_graph.analysis.records import CandidateFact
from kjqg_graph.graph import KnowledgeGraph
from kjqg_graph.vocab import K, R


def names(rows, attr="link"):
    return {getattr(r, attr) for r in rows}


# ---------------------------------------------------------------------------- each kind
def test_innovation_gaps():
    kg, _ = car_chain()
    assert names(innovation_gaps(kg)) == {"材料", "电机"}
    # 电芯 keeps the support it inherits from 电池 even when 院所Y (湖南) is out of scope
    assert names(innovation_gaps(kg, region="广西")) == {"材料", "电机"}
    # in 柳州 only 平台A (柳州) and 平台B (hosted by 甲车企, 柳东高新区) count: 人才X (南宁) does not
    assert names(innovation_gaps(kg, region="柳州")) == {"材料", "电机"}
    assert names(innovation_gaps(kg, region="南宁")) == {"材料", "电机", "电池", "电芯"}


def test_technology_gaps():
    kg, _ = car_chain()
    # 轻量化 has only an expert (人才X): not tackled; 电驱控制 is 已突破; 固态电解质 tackled by 院所Y
    assert names(technology_gaps(kg), "tech") == {"轻量化"}
    (row,) = technology_gaps(kg)
    assert (row.links, row.experts, row.chokepoint, row.stage) == (("整车",), 1, False, "下游")
    assert names(technology_gaps(kg, region="广西"), "tech") == {"固态电解质", "轻量化"}


def test_missing_and_broken_links():
    kg, _ = car_chain()
    rows = {r.link: r for r in missing_links(kg)}
    assert set(rows) == {"电机"}
    assert (rows["电机"].broken, rows["电机"].upstream_with_enterprises, rows["电机"].downstream_with_enterprises) \
        == (True, 1, 1)
    rows = {r.link: (r.broken, r.elsewhere) for r in missing_links(kg, region="广西")}
    # 电池's only enterprise is in its sub-link 电芯 (丙电池, 湖南); 电芯 supplies nothing: not between
    assert rows == {"电机": (True, 0), "电池": (True, 1), "电芯": (False, 1)}


def test_missing_at_the_end_of_the_chain_is_not_broken():
    kg = KnowledgeGraph()
    c = kg.add_node(K.IndustryChain, "链")
    a, b, z = link(kg, c, "a", "上游"), link(kg, c, "b", "中游"), link(kg, c, "z", "下游")
    kg.add_edge(a, R.supplies, b)
    kg.add_edge(b, R.supplies, z)
    e = kg.add_node(K.Enterprise, "E")
    kg.add_edge(e, R.inLink, a)
    assert {(r.link, r.broken) for r in missing_links(kg)} == {("b", False), ("z", False)}
    e2 = kg.add_node(K.Enterprise, "E2")
    kg.add_edge(e2, R.inLink, z)
    assert {(r.link, r.broken) for r in missing_links(kg)} == {("b", True)}


def test_weak_links():
    kg, _ = car_chain()
    rows = {r.link: (r.single, r.small_only, r.single_name) for r in weak_links(kg)}
    assert rows == {"材料": (True, True, "乙材料"), "电池": (True, False, "丙电池"), "电芯": (True, False, "丙电池")}
    assert {r.link for r in weak_links(kg, region="广西")} == {"材料"}


def test_weak_needs_known_flags():
    kg = KnowledgeGraph()
    c = kg.add_node(K.IndustryChain, "链")
    l = link(kg, c, "l", "中游")
    for name, flags in [("小1", dict(highTech=False, aboveScale=False)), ("小2", dict(highTech=False, aboveScale=False))]:
        kg.add_edge(kg.add_node(K.Enterprise, name, **flags), R.inLink, l)
    (row,) = weak_links(kg)
    assert (row.single, row.small_only, row.enterprises, row.unknown) == (False, True, 2, 0)
    kg.add_edge(kg.add_node(K.Enterprise, "未知"), R.inLink, l)       # flags absent: unknown, not small
    assert weak_links(kg) == []
    kg.add_edge(kg.add_node(K.Enterprise, "高新", highTech=True), R.inLink, l)
    assert weak_links(kg) == []


def test_sanwu_needs_all_three_known_and_no_hosted_platform():
    kg, n = car_chain()
    assert names(sanwu_enterprises(kg), "enterprise") == {"丙电池", "丁整车"}
    assert names(sanwu_enterprises(kg, region="广西"), "enterprise") == {"丁整车"}
    p = kg.add_node(K.InnovationPlatform, "丁的中心")
    kg.add_edge(p, R.hostedBy, n["丁"])
    assert names(sanwu_enterprises(kg), "enterprise") == {"丙电池"}
    kg.set_attrs(n["丙"], hasRdFunds=None)                          # unknown: only possibly 三无
    assert sanwu_enterprises(kg) == []


def test_idle_innovation():
    kg, n = car_chain()
    assert {(r.subject, r.reason) for r in idle_innovation(kg)} == {
        ("大学U", "no_link"), ("平台Z", "no_link"), ("旧工艺", "achieved_unused")}
    # 院所Y is out of 广西: not reported as idle there
    assert names(idle_innovation(kg, region="广西"), "subject") == {"大学U", "平台Z", "旧工艺"}
    # with a chain: only nodes tied to it through a technology; 旧工艺 concerns 车
    assert names(idle_innovation(kg, chain="车"), "subject") == {"旧工艺"}
    kg.add_edge(n["平台Z"], R.hostedBy, n["乙"])                      # hosted by an enterprise in 材料
    assert names(idle_innovation(kg), "subject") == {"大学U", "旧工艺"}


# ---------------------------------------------------------------------------- severity
def test_severity_formula():
    assert severity("technology", True, "上游", 10) == (12, (("base", 4), ("chokepoint", 3), ("stage", 2),
                                                            ("dependents", 3)))
    assert [severity("weak", False, None, d)[0] for d in (0, 1, 2, 3, 9, 10)] == [1, 2, 2, 3, 3, 4]


def test_gap_severities_on_the_car_chain():
    kg, _ = car_chain()
    got = {(g.kind, g.subject): g.severity for g in find_gaps(kg)}
    assert got == {
        ("broken", "电机"): 6,        # 4 + 中游 1 + dependents 2 (整车's two) → 1
        ("innovation", "材料"): 6,    # 3 + 上游 2 + dependents 乙材料 + 丙电池 (电池 via 电芯) → 1
        ("weak", "电芯"): 6,          # 1 + 卡脖子 固态电解质 open 3 + 中游 1 + 1
        ("technology", "轻量化"): 5,  # 4 + 下游 0 + 2 enterprises in 整车 → 1
        ("innovation", "电机"): 5,    # 3 + 中游 1 + 1 (电驱控制 is 已突破: no chokepoint points)
        ("weak", "材料"): 4,
        ("weak", "电池"): 4,          # 1 + 1 + dependents 丙电池, 甲车企, 丁整车 → 2
        ("idle", "旧工艺"): 4,        # 1 + an achieved 卡脖子 nobody uses 3
        ("sanwu", "丙电池"): 2,
        ("sanwu", "丁整车"): 1,
        ("idle", "大学U"): 1,
        ("idle", "平台Z"): 1,
    }
    order = [(g.kind, g.subject) for g in find_gaps(kg)][:3]
    assert order == [("broken", "电机"), ("innovation", "材料"), ("weak", "电芯")]


def test_kind_filter_and_reason():
    kg, _ = car_chain()
    gaps = find_gaps(kg, kinds=["broken"], region="广西")
    assert [(g.subject, g.reason) for g in gaps] == [
        ("电机", "电机在广西范围内没有企业，而上游 1 个、下游 1 个环节有企业：断链"),
        ("电池", "电池在广西范围内没有企业，而上游 1 个、下游 1 个环节有企业：断链；区外有 1 家企业在此环节")]


# ---------------------------------------------------------------------------- candidates
def cands(g):
    return [(c.candidate, c.score, c.in_scope, c.why) for c in g.candidates]


def test_candidates_for_innovation_gap_rank_by_basis_then_level():
    kg, _ = car_chain()
    g = {(g.kind, g.subject): g for g in find_gaps(kg)}
    # 电机's neighbours: 材料 (supplier, no support) and 整车 (customer: 人才X, 平台B)
    assert cands(g["innovation", "电机"]) == [
        ("人才X", 22, True, "支撑相邻环节 整车"),      # 2·10 + 八桂学者 2
        ("平台B", 21, True, "支撑相邻环节 整车")]      # 2·10 + 市级 1
    assert cands(g["innovation", "材料"]) == [("平台A", 23, True, "支撑相邻环节 电池")]


def test_candidates_outside_the_region():
    kg, _ = car_chain()
    g = {(g.kind, g.subject): g for g in find_gaps(kg, region="广西")}
    assert cands(g["technology", "固态电解质"]) == [("院所Y", 32, False, "区外对接：位于湖南，正在攻关该技术")]
    assert cands(g["missing", "电芯"]) == [("丙电池", 33, False, "招商：位于湖南，已在本环节")]
    assert cands(g["broken", "电池"]) == [
        ("丙电池", 33, False, "招商：位于湖南，已在本环节"),
        ("甲车企", 13, True, "在相邻环节 整车（链主/高新/规上），可向本环节延伸")]
    assert cands(g["technology", "轻量化"]) == [("人才X", 32, True, "研究方向为该技术，可牵头攻关")]


def test_candidates_for_sanwu_share_the_links_supporters():
    kg, _ = car_chain()
    g = {(g.kind, g.subject): g for g in find_gaps(kg)}
    assert [c.candidate for c in g["sanwu", "丁整车"].candidates] == ["人才X", "平台B"]
    assert [c.candidate for c in g["sanwu", "丙电池"].candidates] == ["院所Y"]


def test_rank_candidates_best_fact_wins_and_limit():
    f = lambda cid, basis, level=None: CandidateFact("innovation", "c", "L", cid, cid, "Talent", basis, "", "V",
                                                     True, "", level)
    facts = [f("b", "tackles_related_tech", "院士"), f("b", "supports_neighbour"), f("a", "supports_neighbour"),
             f("c", "supports_link_outside")]
    ranked = rank_candidates(facts, limit=2)
    assert [(c.candidate, c.score) for c in ranked] == [("c", 30), ("a", 20)]
    assert [(c.candidate, c.score) for c in rank_candidates(facts, None)] == [("c", 30), ("a", 20), ("b", 20)]


def test_find_gaps_is_deterministic_and_json_able():
    import json
    kg, _ = car_chain()
    a = [g.to_dict() for g in find_gaps(kg, region="广西")]
    b = [g.to_dict() for g in find_gaps(kg, region="广西")]
    assert a == b
    json.dumps(a, ensure_ascii=False)


def test_pruned_candidates_equal_the_full_ranking():
    kg, _ = car_chain()
    for region in (None, "广西"):
        full = find_gaps(kg, region=region, limit=None)
        for limit in (1, 2):
            short = find_gaps(kg, region=region, limit=limit)
            assert [g.candidates for g in short] == [g.candidates[:limit] for g in full]


def test_sanwu_gaps_over_link_sets_chains_and_missing_stages():
    """三无 enterprises in several links of one chain (one gap, links joined, most upstream stage,
    candidates merged: a candidate of two links once, by its first why), in links of two chains
    (one gap per chain), and in a link without a stage; the same records as the raw-row path."""
    from kjqg_graph.analysis.gaps import gap_candidates, raw_gaps
    from kjqg_graph.analysis.severity import assemble_gaps
    kg = KnowledgeGraph()
    c1, c2 = kg.add_node(K.IndustryChain, "甲链"), kg.add_node(K.IndustryChain, "乙链")
    a, b, c = link(kg, c1, "a", "上游"), link(kg, c1, "b", None), link(kg, c2, "c", "下游")
    no = dict(hasRdStaff=False, hasRdPlatform=False, hasRdFunds=False)
    e1, e2, e3 = (kg.add_node(K.Enterprise, n, **no) for n in ("E1", "E2", "E3"))
    for e, links in ((e1, (b, a)), (e2, (c, b)), (e3, (b,))):
        for l in links:
            kg.add_edge(e, R.inLink, l)
    p = kg.add_node(K.InnovationPlatform, "P", level="国家级")
    q = kg.add_node(K.InnovationPlatform, "Q", level="自治区级")
    t = kg.add_node(K.Talent, "T")
    kg.add_edge(p, R.supports, a)
    kg.add_edge(q, R.supports, a)
    kg.add_edge(q, R.supports, b)
    kg.add_edge(t, R.expertIn, b)
    why = "支撑该企业所在环节 {}，可共建研发机构".format
    got = find_gaps(kg, kinds=("sanwu",))
    assert [(g.chain, g.subject, g.link, g.stage, g.severity, [(x.candidate, x.score, x.why) for x in g.candidates])
            for g in got] == [
        ("甲链", "E1", "a、b", "上游", 3, [("P", 23, why("a")), ("Q", 22, why("a")), ("T", 20, why("b"))]),
        ("乙链", "E2", "c", "下游", 1, []),
        ("甲链", "E2", "b", None, 1, [("Q", 22, why("b")), ("T", 20, why("b"))]),
        ("甲链", "E3", "b", None, 1, [("Q", 22, why("b")), ("T", 20, why("b"))]),
    ]
    assert [g.reason for g in got][:2] == ["E1 无研发人员、无研发机构、无研发经费（环节：a、b）",
                                           "E2 无研发人员、无研发机构、无研发经费（环节：c）"]
    assert [(g.subject, [x.candidate for x in g.candidates]) for g in find_gaps(kg, kinds=("sanwu",), limit=1)] \
        == [("E1", ["P"]), ("E2", []), ("E2", ["Q"]), ("E3", ["Q"])]
    for limit in (None, 0, 1, 2, 5):
        ref = assemble_gaps(raw_gaps(kg, kinds=("sanwu",)), gap_candidates(kg, kinds=("sanwu",), per_basis=limit),
                            ("sanwu",), limit=limit)
        assert [g.to_dict() for g in find_gaps(kg, kinds=("sanwu",), limit=limit)] == [g.to_dict() for g in ref]
