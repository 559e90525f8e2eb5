"""`kjqg export` / `kjqg import`: every format, round trips, Gephi-friendly GraphML and CSV."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kjqg_graph.cli import cli
from kjqg_graph.rdf.convert import to_rdf
from kjqg_graph.workspace import Workspace
from test_rdf_fixtures import good_graph

RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


@pytest.fixture
def ws_good(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.init()
    ws.save(good_graph())
    return ws


def run(*args):
    res = CliRunner().invoke(cli, list(map(str, args)))
    assert res.exit_code == 0, res.output
    return res


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_import_round_trip(ws_good, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    run("-w", ws_good.path, "export", "--format", fmt, "-o", out)
    g = Graph().parse(out, format=RDFLIB_FORMAT[fmt])
    assert isomorphic(g, to_rdf(good_graph()))
    ws2 = tmp_path / "ws2"
    run("-w", ws2, "import", out)
    assert Workspace(ws2).load() == good_graph()
    # export of the imported workspace is isomorphic to the first export
    out2 = tmp_path / f"g2.{fmt}"
    run("-w", ws2, "export", "--format", fmt, "-o", out2)
    assert isomorphic(Graph().parse(out2, format=RDFLIB_FORMAT[fmt]), g)


def test_ttl_binds_prefixes_once(ws_good, tmp_path):
    out = tmp_path / "g.ttl"
    run("-w", ws_good.path, "export", "-o", out)
    text = out.read_text(encoding="utf-8")
    assert text.count("@prefix kjqg:") == 1


def test_import_merges_into_existing(ws_good, tmp_path):
    from kjqg_graph.vocab import K
    out = tmp_path / "g.nt"
    run("-w", ws_good.path, "export", "-f", "nt", "-o", out)
    ws2 = Workspace(tmp_path / "ws2")
    ws2.init()
    other = ws2.load()
    other.add_node(K.Region, "虚构别省")
    ws2.save(other)
    run("-w", ws2.path, "import", out)
    kg = ws2.load()
    assert kg.has_node("Region:虚构别省") and len(kg) == len(good_graph()) + 1


def test_import_bad_file_is_a_clean_error(tmp_path):
    p = tmp_path / "bad.ttl"
    p.write_text("this is not turtle", encoding="utf-8")
    res = CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), "import", str(p)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "not valid ttl" in res.output


def test_graphml_is_flat_and_typed(ws_good, tmp_path):
    out = tmp_path / "g.graphml"
    run("-w", ws_good.path, "export", "-f", "graphml", "-o", out)
    import networkx as nx
    G = nx.read_graphml(out)
    kg = good_graph()
    assert G.number_of_nodes() == len(kg) and G.number_of_edges() == kg.edge_count()
    e1 = G.nodes["Enterprise:虚构甲电池有限公司"]
    assert e1["chainLeader"] is True and e1["label"] == "虚构甲电池有限公司"
    assert G.nodes["Target:虚构研发投入强度"]["year"] == 2023
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = ET.parse(out).getroot().findall("g:key", ns)
    assert len({k.get("id") for k in keys}) == len(keys)


def _check_graphml(path, kg):
    """Valid, flat GraphML: networkx reads it; every <data> refers to a declared, typed <key> of its
    element kind and holds text only (no nested structure); typed values parse."""
    import networkx as nx
    G = nx.read_graphml(path)
    assert G.number_of_nodes() == len(kg) and G.number_of_edges() == kg.edge_count()
    g = "{http://graphml.graphdrawing.org/xmlns}"
    root = ET.parse(path).getroot()
    assert root.tag == g + "graphml"
    keys = {}
    for k in root.findall(g + "key"):
        assert k.get("for") in ("node", "edge") and k.get("attr.name")
        assert k.get("attr.type") in ("boolean", "int", "long", "float", "double", "string")
        assert k.get("id") not in keys
        keys[k.get("id")] = (k.get("for"), k.get("attr.type"))
    graphs = root.findall(g + "graph")
    assert len(graphs) == 1 and graphs[0].get("edgedefault") == "directed"
    assert {c.tag for c in graphs[0]} <= {g + "node", g + "edge"}
    ids = set()
    for el in graphs[0]:
        kind = el.tag[len(g):]
        if kind == "node":
            ids.add(el.get("id"))
        for d in el:
            assert d.tag == g + "data" and len(d) == 0, "nested structure in a <data>"
            assert d.get("key") in keys, f"undeclared key {d.get('key')}"
            target, typ = keys[d.get("key")]
            assert target == kind
            text = d.text or ""
            assert not (text.startswith("[") or text.startswith("{")), f"a list/dict written as text: {text}"
            if typ == "boolean":
                assert text in ("true", "false")
            elif typ in ("int", "long"):
                int(text)
            elif typ in ("float", "double"):
                float(text)
    for el in graphs[0].findall(g + "edge"):
        assert el.get("source") in ids and el.get("target") in ids


def test_graphml_is_valid_flat_graphml(ws_good, tmp_path, seed_graph):
    out = tmp_path / "g.graphml"
    run("-w", ws_good.path, "export", "-f", "graphml", "-o", out)
    _check_graphml(out, good_graph())
    ws = Workspace(tmp_path / "seed")
    ws.init()
    ws.save(seed_graph)
    out2 = tmp_path / "seed.graphml"
    run("-w", ws.path, "export", "-f", "graphml", "-o", out2)
    _check_graphml(out2, seed_graph)


def test_csv_tables(ws_good, tmp_path):
    run("-w", ws_good.path, "export", "-f", "csv", "-o", tmp_path / "g.csv")
    with open(tmp_path / "g.nodes.csv", encoding="utf-8-sig") as f:
        nodes = list(csv.DictReader(f))
    with open(tmp_path / "g.edges.csv", encoding="utf-8-sig") as f:
        edges = list(csv.DictReader(f))
    kg = good_graph()
    assert len(nodes) == len(kg) and len(edges) == kg.edge_count()
    assert {"Source", "Target", "Label"} <= set(edges[0])
    assert {"Id", "Label", "kind", "iri"} <= set(nodes[0])


@pytest.mark.parametrize("command", [["lists"], ["gaps"], ["score"], ["score", "--detail"]])
def test_backend_rdf_gives_the_memory_answer_on_the_seed(tmp_path, seed_graph, command):
    ws = Workspace(tmp_path / "ws")
    ws.init()
    ws.save(seed_graph)
    outs = {}
    for b in ("memory", "rdf"):
        res = run("-w", ws.path, *command, "--backend", b, "--format", "json")
        outs[b] = res.stdout
    assert outs["rdf"] == outs["memory"]
