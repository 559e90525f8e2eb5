"""The chain map as data and as HTML: layout, gap marks (from the analysis), groups, escaping, offline."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from graphs import car_chain
from kjqg_graph.analysis import innovation_gaps, missing_links, technology_gaps
from kjqg_graph.graph import KnowledgeGraph
from kjqg_graph.vocab import K, R
from kjqg_graph.viz import FLAGS, chain_map, render_chain_page, safe_json

EVIL = "<img src=x onerror=alert(1)>"


def big_chain(links=6, per_link=350, evil=False) -> KnowledgeGraph:
    """One fictitious chain whose first link holds ``per_link`` enterprises (others a few)."""
    kg = KnowledgeGraph()
    c = kg.add_node(K.IndustryChain, "虚构链")
    stages = ["上游", "中游", "下游"]
    ids = []
    for i in range(links):
        l = kg.add_node(K.ChainLink, f"虚构链/环节{i}", name=f"环节{i}", stage=stages[i * 3 // links])
        kg.add_edge(l, R.partOf, c)
        if ids:
            kg.add_edge(ids[-1], R.supplies, l)
        ids.append(l)
    for j in range(per_link):
        e = kg.add_node(K.Enterprise, f"虚构企业{j:04d}")
        kg.add_edge(e, R.inLink, ids[0])
    for i, l in enumerate(ids[1:], 1):
        for j in range(3):
            e = kg.add_node(K.Enterprise, EVIL if (evil and i == 1 and j == 0) else f"虚构小企业{i}-{j}")
            kg.add_edge(e, R.inLink, l)
    t = kg.add_node(K.KeyTechnology, "虚构卡脖子技术", chokepoint=True, status="未攻关")
    kg.add_edge(ids[0], R.requires, t)
    p = kg.add_node(K.InnovationPlatform, "虚构实验室", level="自治区级")
    kg.add_edge(p, R.supports, ids[1])
    return kg


@pytest.fixture
def car():
    return car_chain()


def test_links_run_left_to_right_by_stage_and_supplies(car):
    kg, n = car
    m = chain_map(kg, "车")
    from kjqg_graph.analysis import chain_order
    order = chain_order(kg, n["车"])
    xs = [m.xy[m.index(l)][0] for l in order]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(m.xy[m.index(l)][1] == 0 for l in order)
    stages = [s[0] for s in sorted(m.stages, key=lambda s: s[1])]
    assert stages == ["上游", "中游", "下游"]


def test_satellites_sit_with_their_link(car):
    kg, n = car
    m = chain_map(kg, "车")
    for i, k in enumerate(m.kinds):
        if k == K.Enterprise:
            assert m.xy[i][1] > 0
        elif k in (K.KeyTechnology, K.InnovationPlatform, K.University, K.Talent):
            assert m.xy[i][1] < 0


def test_gap_marks_are_the_analysis_answers(car):
    kg, n = car
    m = chain_map(kg, "车")
    flagged = lambda f: {m.ids[i] for i, x in enumerate(m.flags) if x & FLAGS[f]}
    assert flagged("innovation_gap") == {r.link_id for r in innovation_gaps(kg, n["车"])}
    assert flagged("missing") == {r.link_id for r in missing_links(kg, n["车"])}
    assert flagged("untackled") == {r.tech_id for r in technology_gaps(kg, n["车"])} & set(m.ids)
    assert flagged("innovation_gap") and flagged("untackled")


def test_region_scope_follows_the_analysis(car):
    kg, n = car
    m = chain_map(kg, "车", region="柳州")
    assert m.region == "柳州"
    flagged = {m.ids[i] for i, x in enumerate(m.flags) if x & FLAGS["innovation_gap"]}
    assert flagged == {r.link_id for r in innovation_gaps(kg, n["车"], "柳州")}


def test_every_edge_joins_nodes_on_the_page(car):
    kg, _ = car
    m = chain_map(kg, "车")
    for s, t, rel in m.edges:
        assert kg.has_edge(m.ids[s], rel, m.ids[t])
    assert {rel for _, _, rel in m.edges} >= {R.supplies, R.inLink, R.requires}


def test_crowded_link_folds_into_one_count_node():
    kg = big_chain(per_link=350)
    m = chain_map(kg, "虚构链")
    assert len(m.groups) == 1
    g = m.groups[0]
    assert m.ids[g["link"]] == "ChainLink:虚构链/环节0" and g["count"] == 350
    assert sum(1 for x in m.member_of if x == 0) == 350
    assert m.visible == len(m.ids) - 350 + 1
    assert not chain_map(kg, "虚构链", group_over=400).groups
    assert len(chain_map(kg, "虚构链", group_over=2).groups) == 6


def test_budget_groups_biggest_links_first():
    kg = big_chain(per_link=250)
    m = chain_map(kg, "虚构链", max_visible=100)
    assert [m.ids[g["link"]] for g in m.groups] == ["ChainLink:虚构链/环节0"]


def test_json_cannot_close_the_script():
    s = safe_json({"x": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in s and ">" not in s and "&" not in s
    assert json.loads(s)["x"].startswith("</script>")


_REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)


def test_page_is_self_contained_and_offline(car):
    kg, _ = car
    html = render_chain_page(chain_map(kg, "车"))
    assert not _REMOTE.search(html)
    assert "<script src" not in html and "<link" not in html
    assert "vis-network" in html and "Noto Sans CJK SC" in html
    assert html.count("</script>") == 3      # data block, vis-network, map.js


def test_names_are_escaped_in_the_page():
    kg = big_chain(per_link=5, evil=True)
    html = render_chain_page(chain_map(kg, "虚构链"))
    assert EVIL not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html


def test_cli_viz_writes_utf8_page(tmp_path, car):
    from kjqg_graph.cli import cli
    from kjqg_graph.workspace import Workspace
    kg, _ = car
    ws = Workspace(tmp_path / "ws")
    ws.init()
    ws.save(kg)
    out = tmp_path / "车.html"
    r = CliRunner().invoke(cli, ["-w", str(ws.path), "viz", "--chain", "车", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().decode("utf-8").count("整车") >= 1
    assert str(out.resolve()) in r.stdout
    r = CliRunner().invoke(cli, ["-w", str(ws.path), "viz", "--chain", "船"])
    assert r.exit_code == 1 and "no chain named '船'" in r.output
