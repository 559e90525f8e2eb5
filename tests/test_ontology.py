"""The ontology parses, labels every term in zh and en, and drives the Python vocabulary."""
import json

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kjqg_graph.ontology import NAMESPACE, ONTOLOGY_TTL, VOCAB_JSON, build_vocab
from kjqg_graph.vocab import A, K, R, vocabulary

KJQG = Namespace(NAMESPACE)


@pytest.fixture(scope="module")
def onto():
    g = Graph()
    g.parse(ONTOLOGY_TTL, format="turtle")
    return g


def test_every_class_and_property_has_zh_and_en_label_and_comment(onto):
    terms = set(onto.subjects(RDF.type, OWL.Class)) | set(onto.subjects(RDF.type, OWL.ObjectProperty)) \
        | set(onto.subjects(RDF.type, OWL.DatatypeProperty))
    terms = {t for t in terms if str(t).startswith(NAMESPACE)}
    assert len(terms) > 40
    for t in terms:
        labels = {l.language for l in onto.objects(t, RDFS.label)}
        comments = {l.language for l in onto.objects(t, RDFS.comment)}
        assert {"zh", "en"} <= labels, t
        assert {"zh", "en"} <= comments, t


def test_design_vocabulary_is_all_there():
    kinds = {"IndustryChain", "ChainLink", "Enterprise", "InnovationPlatform", "University",
             "ResearchInstitute", "Talent", "TalentTeam", "KeyTechnology", "Project", "Region",
             "InnovationZone", "Target"}
    rels = {"partOf", "subLinkOf", "supplies", "inLink", "locatedIn", "supports", "hostedBy",
            "tackles", "requires", "affiliatedWith", "expertIn"}
    V = vocabulary()
    assert kinds == set(V.kinds)
    assert rels <= set(V.relations)


def test_alignment_with_w3c_vocabularies(onto):
    ORG = Namespace("http://www.w3.org/ns/org#")
    ROV = Namespace("http://www.w3.org/ns/regorg#")
    assert (KJQG.Organization, RDFS.subClassOf, ORG.FormalOrganization) in onto
    assert (KJQG.Enterprise, RDFS.subClassOf, ROV.RegisteredOrganization) in onto
    assert (KJQG.name, RDFS.subPropertyOf, SKOS.prefLabel) in onto


def test_schemes_are_skos_with_the_plan_values():
    V = vocabulary()
    assert V.scheme_values("StageScheme") == ["上游", "中游", "下游"]
    assert V.scheme_values("TechStatusScheme") == ["未攻关", "攻关中", "已突破"]
    assert V.scheme_values("MechanismScheme") == ["揭榜挂帅", "定向委托", "公开竞争"]
    assert V.scheme_values("LevelScheme") == ["国家级", "自治区级", "市级"]
    assert V.scheme_values("TalentLevelScheme") == ["院士", "国家级高层次人才", "八桂学者", "特聘专家", "青年人才"]
    kinds = V.scheme_values("PlatformKindScheme")
    for k in ["技术创新中心", "中试基地", "概念验证中心", "新型研发机构", "孵化器", "众创空间", "星创天地",
              "大学科技园", "野外站", "临床医学研究中心", "企业技术中心", "工程研究中心"]:
        assert k in kinds
    assert V.canonical("StageScheme", "Upstream") == "上游"
    assert V.canonical("PlatformKindScheme", "科技企业孵化器") == "孵化器"


def test_generated_vocab_json_matches_the_ontology():
    """vocab.json is generated from kjqg.ttl: regenerate with scripts/gen_vocab.py if this fails."""
    on_disk = json.loads(VOCAB_JSON.read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(build_vocab(), ensure_ascii=False))


def test_closed_namespaces_refuse_unknown_names():
    assert K.Enterprise == "Enterprise" and R.supports == "supports" and A.stage == "stage"
    with pytest.raises(AttributeError, match="the ontology defines no class 'Enterprize'"):
        K.Enterprize
    with pytest.raises(AttributeError, match="no relation 'support'"):
        R.support


def test_domains_and_ranges_expand_abstract_classes():
    V = vocabulary()
    assert V.relation_allows("hostedBy", "InnovationPlatform", "University")
    assert not V.relation_allows("hostedBy", "InnovationPlatform", "Talent")
    assert V.relation_allows("locatedIn", "InnovationZone", "Region")
    assert V.domain("supports") == frozenset({"InnovationPlatform", "University", "ResearchInstitute",
                                              "Talent", "TalentTeam"})
