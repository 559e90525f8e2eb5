"""Hand-built graphs for the RDF, SHACL and contract tests (names plainly fictitious).

Imported by the other test_rdf_*/test_shacl_*/test_validate* modules; it holds no tests itself.
"""
from __future__ import annotations

from kjqg_graph.graph import KnowledgeGraph
from kjqg_graph.uscc import make as make_uscc
from kjqg_graph.vocab import A, K, R

SRC = "测试数据（手工构造）"


def good_graph() -> KnowledgeGraph:
    """A small graph that satisfies every shape, touching every kind and relation."""
    kg = KnowledgeGraph()
    gx = kg.add_node(K.Region, "虚构省", regionType="自治区", source=SRC)
    city = kg.add_node(K.Region, "虚构甲市", regionType="设区市", source=SRC)
    kg.add_edge(city, R.locatedIn, gx)
    zone = kg.add_node(K.InnovationZone, "虚构甲高新区", zoneType="国家高新区", level="国家级")
    kg.add_edge(zone, R.locatedIn, city)
    ch = kg.add_node(K.IndustryChain, "虚构新能源车", source=SRC, asOf="2023-01-01")
    up = kg.add_node(K.ChainLink, "虚构新能源车/电池材料", name="电池材料", stage="上游", note="含 \"引号\"\n与换行")
    mid = kg.add_node(K.ChainLink, "虚构新能源车/动力电池", name="动力电池", stage="中游")
    cell = kg.add_node(K.ChainLink, "虚构新能源车/电芯", name="电芯", stage="中游")
    down = kg.add_node(K.ChainLink, "虚构新能源车/整车", name="整车", stage="下游")
    for l in (up, mid, cell, down):
        kg.add_edge(l, R.partOf, ch, source="links.csv:2")
    kg.add_edge(cell, R.subLinkOf, mid)
    kg.add_edge(up, R.supplies, mid, source="links.csv:3", asOf="2023-02-01")
    kg.add_edge(mid, R.supplies, down)
    tech = kg.add_node(K.KeyTechnology, "虚构固态电解质", chokepoint=True, status="攻关中", mechanism="揭榜挂帅")
    tech2 = kg.add_node(K.KeyTechnology, "虚构电池回收", chokepoint=False, status="未攻关")
    kg.add_edge(tech, R.concernsChain, ch)
    kg.add_edge(mid, R.requires, tech)
    kg.add_edge(up, R.requires, tech2)
    e1 = kg.add_node(K.Enterprise, "虚构甲电池有限公司", uscc=make_uscc("450200", 1), chainLeader=True,
                     highTech=True, aboveScale=True, hasRdStaff=True, hasRdPlatform=True, hasRdFunds=True,
                     products="电芯、模组", source="enterprises.csv:2")
    e2 = kg.add_node(K.Enterprise, "虚构乙材料有限公司", highTech=False, techSME=True, gazelle=False,
                     hasRdStaff=False, hasRdPlatform=False, hasRdFunds=False)
    kg.add_edge(e1, R.inLink, mid, source="enterprises.csv:2")
    kg.add_edge(e1, R.inLink, cell)
    kg.add_edge(e2, R.inLink, up)
    kg.add_edge(e1, R.locatedIn, zone)
    kg.add_edge(e2, R.locatedIn, city)
    uni = kg.add_node(K.University, "虚构理工大学", level="自治区级")
    inst = kg.add_node(K.ResearchInstitute, "虚构材料研究所", level="市级")
    plat = kg.add_node(K.InnovationPlatform, "虚构动力电池技术创新中心", platformKind="技术创新中心", level="自治区级")
    kg.add_edge(plat, R.hostedBy, e1)
    kg.add_edge(plat, R.supports, mid, source="resources.csv:4")
    kg.add_edge(plat, R.locatedIn, city)
    kg.add_edge(uni, R.tackles, tech)
    kg.add_edge(inst, R.supports, up)
    t = kg.add_node(K.Talent, "虚构专家甲", talentLevel="八桂学者")
    team = kg.add_node(K.TalentTeam, "虚构电池团队", talentLevel="青年人才")
    kg.add_edge(t, R.affiliatedWith, uni)
    kg.add_edge(t, R.expertIn, tech)
    kg.add_edge(team, R.affiliatedWith, plat)
    kg.add_edge(team, R.expertIn, down)
    proj = kg.add_node(K.Project, "虚构固态电池项目", mechanism="定向委托")
    kg.add_edge(proj, R.tackles, tech)
    kg.add_edge(proj, R.ledBy, e1)
    kg.add_edge(proj, R.concernsChain, ch)
    tgt = kg.add_node(K.Target, "虚构研发投入强度", value="2.5", unit="%", year=2023, comparator="≥", section="二(一)")
    kg.add_edge(tgt, R.concernsChain, ch)
    return kg
