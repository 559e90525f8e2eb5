"""Golden answers on the Guangxi seed (seed_graphs/guangxi), reviewed by hand against the CSV
rows and the plan (《科技强桂三年行动方案》 三(一): 三张清单, 每个环节技术需求).

Each expectation below was checked row by row in the seed files, not computed by the code
under test; the comments say which rows.
"""
from pathlib import Path

import pytest

from kjqg_graph.graph import KnowledgeGraph

SEED = Path(__file__).resolve().parent.parent / "seed_graphs" / "guangxi"


@pytest.fixture(scope="module")
def kg():
    loading = pytest.importorskip("kjqg_graph.loading", reason="the list loader has not landed yet")
    g = KnowledgeGraph()
    loading.load_into(g, sorted(SEED.glob("*.csv")))
    return g


def test_seven_chains_with_their_links(kg):
    from kjqg_graph.analysis import chain_scores
    # links.csv: 136 rows over the seven chains of the plan's 四(一)/五(一)
    got = {s.chain: s.links for s in chain_scores(kg)}
    assert got == {"中药民族药": 17, "内燃机": 22, "工程机械": 19, "新能源汽车": 19, "智能终端": 20,
                   "甘蔗糖业": 21, "铝精深加工": 18}


def test_broken_links(kg):
    from kjqg_graph.analysis import missing_links
    # 工程机械/结构件: 高强度钢材 (广西柳州钢铁集团) supplies it; it supplies 整机制造, whose sub-links
    #   (装载机, 起重机械, 路面机械…) have enterprises
    # 内燃机/基础零部件: 铸锻件 (桂林福达) supplies it; it supplies 整机制造, whose sub-links (车用柴油机…) have
    # 甘蔗糖业/甘蔗种植与收获: 甘蔗种植机械 and 甘蔗收获机械 (an enterprise in both) supply it,
    #   it supplies 制糖, whose sub-link 压榨与煮炼 has three sugar enterprises
    got = {(r.chain, r.link, r.upstream_with_enterprises, r.downstream_with_enterprises)
           for r in missing_links(kg) if r.broken}
    assert got == {("工程机械", "结构件", 1, 1), ("内燃机", "基础零部件", 1, 1), ("甘蔗糖业", "甘蔗种植与收获", 2, 1)}


def test_no_sanwu_because_rd_flags_are_only_ever_yes_or_unknown(kg):
    from kjqg_graph.analysis import chain_scores, sanwu_enterprises
    # README: 研发人员/研发机构 only 是 when provable, 研发经费 always blank → nobody is known 三无
    assert sanwu_enterprises(kg) == []
    assert sum(s.sanwu for s in chain_scores(kg)) == 0


def test_smart_terminal_chokepoints_are_all_untackled(kg):
    from kjqg_graph.analysis import technology_gaps
    # technologies.csv: the seven 智能终端 rows with 卡脖子=是 have no 牵头单位, and no resource tackles them
    got = {r.tech for r in technology_gaps(kg, "智能终端") if r.chokepoint}
    assert got == {"高端芯片设计与制造技术", "手机射频器件技术", "高端电容电阻技术", "光刻胶技术", "ITO靶材技术",
                   "OLED蒸镀技术", "智能终端操作系统"}


def test_core_industrial_software_gap_with_its_candidates(kg):
    from kjqg_graph.analysis import find_gaps
    # 核心工业软件 (卡脖子, technologies.csv) is required by 内燃机/整机研发设计 (中游), where 玉柴 is the
    # only enterprise; three platforms support that link directly (resources.csv rows 6, 8, 10).
    g = next(g for g in find_gaps(kg, "内燃机", kinds=["technology"]) if g.subject == "核心工业软件")
    assert (g.severity, dict(g.severity_parts)) == (9, {"base": 4, "chokepoint": 3, "stage": 1, "dependents": 1})
    assert [(c.candidate, c.score) for c in g.candidates] == [
        ("国家内燃机技术创新中心", 23), ("高效节能环保内燃机国家工程实验室", 23), ("广西低碳智能动力实验室", 22)]


def test_single_enterprise_link(kg):
    from kjqg_graph.analysis import weak_links
    # enterprises.csv row 10: 广西玉柴机器集团有限公司 is the only enterprise in 整机研发设计
    row = next(r for r in weak_links(kg, "内燃机") if r.link == "整机研发设计")
    assert (row.single, row.single_name) == (True, "广西玉柴机器集团有限公司")


def test_universities_without_supports_are_idle(kg):
    from kjqg_graph.analysis import idle_innovation
    # resources.csv rows 23, 25, 27: no 支撑环节, 攻关技术 or 研究方向 (hosting a platform is not support)
    idle = {r.subject for r in idle_innovation(kg) if r.subject_kind == "University"}
    assert {"广西大学", "桂林电子科技大学", "广西医科大学"} <= idle


def test_pruned_candidates_equal_the_full_ranking_on_the_seed(kg):
    from kjqg_graph.analysis import find_gaps
    full = find_gaps(kg, limit=None)
    short = find_gaps(kg, limit=2)
    assert [g.candidates for g in short] == [g.candidates[:2] for g in full]
