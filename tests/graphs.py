"""Small hand-built graphs for the analysis tests (a plain helper module, not a test file)."""
from __future__ import annotations

from kjqg_graph.graph import KnowledgeGraph
from kjqg_graph.vocab import A, K, R


def link(kg, chain, name, stage, **attrs):
    lid = kg.add_node(K.ChainLink, f"{kg.name(chain)}/{name}", name=name, stage=stage, **attrs)
    kg.add_edge(lid, R.partOf, chain)
    return lid


def car_chain() -> tuple[KnowledgeGraph, dict]:
    """The 车 chain: 材料(上) → 电池(中) ⊃ 电芯(中), 材料 → 电机(中), 电池/电机 → 整车(下).

    Regions: 广西 ⊃ 柳州 ⊃ 柳东高新区, 广西 ⊃ 南宁; 湖南 is outside 广西.
    See tests/test_analysis_gaps.py for the facts each node is there to exercise.
    """
    kg = KnowledgeGraph()
    n = {}
    n["广西"] = kg.add_node(K.Region, "广西", regionType="自治区")
    n["柳州"] = kg.add_node(K.Region, "柳州", regionType="设区市")
    n["南宁"] = kg.add_node(K.Region, "南宁", regionType="设区市")
    n["柳东"] = kg.add_node(K.InnovationZone, "柳东高新区", zoneType="国家高新区")
    n["湖南"] = kg.add_node(K.Region, "湖南", regionType="自治区")
    kg.add_edge(n["柳州"], R.locatedIn, n["广西"])
    kg.add_edge(n["南宁"], R.locatedIn, n["广西"])
    kg.add_edge(n["柳东"], R.locatedIn, n["柳州"])

    c = n["车"] = kg.add_node(K.IndustryChain, "车")
    for name, stage in [("整车", "下游"), ("电机", "中游"), ("电芯", "中游"), ("电池", "中游"), ("材料", "上游")]:
        n[name] = link(kg, c, name, stage)
    kg.add_edge(n["电芯"], R.subLinkOf, n["电池"])
    kg.add_edge(n["材料"], R.supplies, n["电池"])
    kg.add_edge(n["材料"], R.supplies, n["电机"])
    kg.add_edge(n["电池"], R.supplies, n["整车"])
    kg.add_edge(n["电机"], R.supplies, n["整车"])

    n["固态电解质"] = kg.add_node(K.KeyTechnology, "固态电解质", chokepoint=True, status="未攻关")
    n["轻量化"] = kg.add_node(K.KeyTechnology, "轻量化", chokepoint=False, status="攻关中")
    n["电驱控制"] = kg.add_node(K.KeyTechnology, "电驱控制", chokepoint=True, status="已突破")
    n["旧工艺"] = kg.add_node(K.KeyTechnology, "旧工艺", chokepoint=True, status="已突破")
    kg.add_edge(n["电芯"], R.requires, n["固态电解质"])
    kg.add_edge(n["整车"], R.requires, n["轻量化"])
    kg.add_edge(n["电机"], R.requires, n["电驱控制"])
    for t in ("固态电解质", "轻量化", "电驱控制", "旧工艺"):
        kg.add_edge(n[t], R.concernsChain, c)

    def ent(key, name, where, links, **flags):
        e = n[key] = kg.add_node(K.Enterprise, name, **flags)
        kg.add_edge(e, R.locatedIn, n[where])
        for l in links:
            kg.add_edge(e, R.inLink, n[l])

    ent("甲", "甲车企", "柳东", ["整车"], chainLeader=True, aboveScale=True)
    ent("丁", "丁整车", "柳州", ["整车"], hasRdStaff=False, hasRdPlatform=False, hasRdFunds=False)
    ent("乙", "乙材料", "南宁", ["材料"], highTech=False, aboveScale=False)
    ent("丙", "丙电池", "湖南", ["电芯"], chainLeader=True, hasRdStaff=False, hasRdPlatform=False, hasRdFunds=False)

    n["平台A"] = kg.add_node(K.InnovationPlatform, "平台A", level="国家级", platformKind="技术创新中心")
    kg.add_edge(n["平台A"], R.locatedIn, n["柳州"])
    kg.add_edge(n["平台A"], R.supports, n["电池"])
    n["平台B"] = kg.add_node(K.InnovationPlatform, "平台B", level="市级", platformKind="企业技术中心")
    kg.add_edge(n["平台B"], R.hostedBy, n["甲"])                      # no location: its host's
    n["大学U"] = kg.add_node(K.University, "大学U")
    kg.add_edge(n["大学U"], R.locatedIn, n["南宁"])
    n["人才X"] = kg.add_node(K.Talent, "人才X", talentLevel="八桂学者")
    kg.add_edge(n["人才X"], R.affiliatedWith, n["大学U"])              # no location: 大学U's
    kg.add_edge(n["人才X"], R.expertIn, n["轻量化"])
    n["院所Y"] = kg.add_node(K.ResearchInstitute, "院所Y", level="自治区级")
    kg.add_edge(n["院所Y"], R.locatedIn, n["湖南"])
    kg.add_edge(n["院所Y"], R.tackles, n["固态电解质"])
    n["平台Z"] = kg.add_node(K.InnovationPlatform, "平台Z", platformKind="孵化器")
    kg.add_edge(n["平台Z"], R.locatedIn, n["南宁"])
    return kg, n
