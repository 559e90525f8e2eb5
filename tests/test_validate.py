"""validate_ontology, the report text, and `kjqg validate` exit codes."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kjqg_graph.cli import cli
from kjqg_graph.validate import ONTOLOGY_TTL, validate_ontology
from test_rdf_fixtures import good_graph


def test_ontology_parses_and_every_class_has_zh_en_labels():
    from rdflib import Graph, Literal
    from rdflib.namespace import OWL, RDF, RDFS
    from kjqg_graph.vocab import vocabulary
    g = Graph().parse(ONTOLOGY_TTL)
    ns = vocabulary().namespace
    classes = [c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(ns)]
    assert len(classes) == len(vocabulary().classes)
    for c in classes:
        langs = {l.language for l in g.objects(c, RDFS.label) if isinstance(l, Literal)}
        assert {"zh", "en"} <= langs, c


def test_ontology_is_well_formed():
    r = validate_ontology()
    assert r.conforms, r.text("en")


def test_ontology_check_finds_missing_label_and_undeclared_class(tmp_path):
    text = ONTOLOGY_TTL.read_text(encoding="utf-8")
    text = text.replace('rdfs:label "企业"@zh , "Enterprise"@en ;', 'rdfs:label "企业"@zh ;')
    text = text.replace("rdfs:domain kjqg:Project ;", "rdfs:domain kjqg:Projekt ;")
    p = tmp_path / "bad.ttl"
    p.write_text(text, encoding="utf-8")
    r = validate_ontology(p)
    assert not r.conforms
    en = {(x.name, x.message_en) for x in r.results}
    assert ("Enterprise", "No rdfs:label in en") in en
    assert ("ledBy", "A domain or range names the undeclared class Projekt") in en


def test_ontology_that_does_not_parse(tmp_path):
    p = tmp_path / "broken.ttl"
    p.write_text("@prefix x: <y> . x:a x:b", encoding="utf-8")
    r = validate_ontology(p)
    assert not r.conforms
    assert r.results[0].message_en.startswith("The ontology file does not parse")


def _ws_with(tmp_path, kg):
    from kjqg_graph.workspace import Workspace
    ws = Workspace(tmp_path / "ws")
    ws.init()
    ws.save(kg)
    return ws


def test_cli_validate_good_graph_exits_0(tmp_path):
    _ws_with(tmp_path, good_graph())
    res = CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), "validate", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "0 violation(s)" in res.output


def test_cli_validate_broken_graph_exits_1(tmp_path):
    kg = good_graph()
    from kjqg_graph.vocab import K
    kg.set_attrs("ChainLink:虚构新能源车/整车", stage=None)
    kg.add_node(K.Enterprise, "虚构坏码公司", uscc="12345")
    _ws_with(tmp_path, kg)
    res = CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), "validate", "--lang", "zh"])
    assert res.exit_code == 1, res.output
    assert "环节缺少阶段（上游、中游或下游）" in res.output
    assert "· 整车 (ChainLink)" in res.output
    assert "虚构坏码公司" in res.output
    assert "共 2 项违规，1 项警告。" in res.output


def test_cli_validate_ontology_only(tmp_path):
    res = CliRunner().invoke(cli, ["-w", str(tmp_path / "nows"), "validate", "--ontology-only"])
    assert res.exit_code == 0, res.output


def test_report_text_both_languages():
    from kjqg_graph.validate import Report, Result
    r = Report([Result("https://w3id.org/kjqg/id/ChainLink/a%2Fb", "b", "ChainLink", "stage", None, "缺", "missing")])
    assert not r.conforms
    t = r.text("both")
    assert "缺 / missing" in t and "· b (ChainLink)" in t and "<https://w3id.org/kjqg/id/ChainLink/a/b>" in t
    with pytest.raises(ValueError):
        r.text("fr")


def _needs_loader():
    try:
        from kjqg_graph.loading import load_into  # noqa: F401
    except ImportError:
        pytest.skip("kjqg_graph.loading.load_into is not there yet")


def test_seed_conforms(request):
    _needs_loader()
    from kjqg_graph.validate import validate_graph
    r = validate_graph(request.getfixturevalue("seed_graph"))
    assert r.conforms, r.text("both")
