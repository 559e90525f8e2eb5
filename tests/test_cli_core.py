"""The workspace commands, as a data clerk would run them."""
import json

from click.testing import CliRunner

from kjqg_graph.cli import cli
from kjqg_graph.graph import KnowledgeGraph
from kjqg_graph.vocab import K, R
from kjqg_graph.workspace import Workspace


def _small(ws_path):
    kg = KnowledgeGraph()
    c = kg.add_node(K.IndustryChain, "工程机械")
    for i, (name, stage) in enumerate([("液压件", "上游"), ("结构件", "上游"), ("整机", "中游"), ("后市场", "下游")]):
        l = kg.add_node(K.ChainLink, f"工程机械/{name}", name=name, stage=stage)
        kg.add_edge(l, R.partOf, c)
    e = kg.add_node(K.Enterprise, "虚构机械有限公司")
    kg.add_edge(e, R.inLink, "ChainLink:工程机械/整机")
    Workspace(ws_path).save(kg)


def test_init_then_stats_on_an_empty_workspace(tmp_path):
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "init"])
    assert r.exit_code == 0, r.output
    assert "created workspace" in r.stderr
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "init"])
    assert "already exists; nothing changed" in r.stderr
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "stats", "-f", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == [{"what": "total", "name": "nodes", "中文": "节点", "count": 0},
                                    {"what": "total", "name": "edges", "中文": "关系", "count": 0}]


def test_stats_without_a_workspace_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "none"), "stats"])
    assert r.exit_code == 1
    assert "no workspace at" in r.output and "kjqg init" in r.output
    assert "Traceback" not in r.output


def test_chains_counts_links_by_stage(tmp_path):
    _small(tmp_path / "w")
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "chains", "-f", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == [{"产业链 chain": "工程机械", "环节 links": 4, "上游": 2, "中游": 1, "下游": 1,
                                     "企业 enterprises": 1, "直接支撑资源 supporting": 0}]


def test_show_a_node_with_neighbours_and_suggestions(tmp_path):
    _small(tmp_path / "w")
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "show", "整机", "-f", "csv"])
    assert r.exit_code == 0, r.output
    assert "stage 阶段,中游" in r.output
    assert "→ partOf 属于产业链,工程机械 (IndustryChain)" in r.output
    assert "← inLink 所在环节,虚构机械有限公司 (Enterprise)" in r.output
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "show", "整车"])
    assert r.exit_code == 1
    assert "no node named '整车'; did you mean 整机?" in r.output


def test_stats_reads_the_whole_workspace_and_reports_a_damaged_one(tmp_path):
    _small(tmp_path / "w")
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "stats", "-f", "json"])
    assert r.exit_code == 0, r.output
    counts = {(row["what"], row["name"]): row["count"] for row in json.loads(r.output)}
    assert counts[("node", "ChainLink")] == 4 and counts[("edge", "partOf")] == 4
    assert counts[("total", "nodes")] == 6 and counts[("total", "edges")] == 5
    f = tmp_path / "w" / "graph.kjqg"
    data = bytearray(f.read_bytes())
    data[-20] ^= 0xFF                   # the header is intact, the body is not
    f.write_bytes(bytes(data))
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "stats"])
    assert r.exit_code == 1
    assert "is damaged" in r.output and "Traceback" not in r.output
