"""Chain scores, 链主 ranking, what-if and single points of failure (expected values by hand)."""
import pytest

from graphs import car_chain
from kjqg_graph.analysis import chain_scores, leaders, link_scores, single_points_of_failure, what_if
from kjqg_graph.backends import UnknownBackendError, BackendUnavailableError, get_backend
from kjqg_graph.errors import NodeNotFoundError


def test_chain_scores_everywhere_and_in_a_region():
    kg, _ = car_chain()
    (s,) = chain_scores(kg)
    assert s.to_dict() == {
        "chain": "车", "links": 5, "links_with_enterprises": 4, "links_supported": 3, "links_supported_own": 3,
        "links_supported_inherited_only": 0, "technologies": 3, "technologies_tackled": 1,
        "technologies_achieved": 1, "chokepoints": 2, "open_chokepoints": 1, "untackled_chokepoints": 0,
        "enterprises": 4, "sanwu": 2, "sanwu_possible": 1}      # possible: 乙材料 (R&D flags unknown)
    (s,) = chain_scores(kg, region="广西")
    assert (s.links_with_enterprises, s.links_supported_own, s.links_supported_inherited_only,
            s.technologies_tackled, s.untackled_chokepoints, s.enterprises, s.sanwu) == (2, 2, 1, 0, 1, 3, 1)


def test_link_scores_detail():
    kg, _ = car_chain()
    got = {r.link: (r.enterprises, r.supporters, r.supported_own, r.supported_inherited) for r in link_scores(kg)}
    assert got == {"材料": (1, 0, False, False), "电机": (0, 0, False, False), "电池": (1, 1, True, False),
                   "电芯": (1, 1, True, True), "整车": (2, 2, True, False)}


def test_leaders_rank_and_flags():
    kg, _ = car_chain()
    rows = [(r.rank, r.enterprise, r.links_covered, r.downstream_fed, r.centrality, r.score, r.flag)
            for r in leaders(kg, "车")]
    # 电芯 is a sub-link of 电池, so it feeds what 电池 feeds: 整车
    assert rows == [
        (1, "丙电池", 1, 1, 0.6667, 0.7, ""),                    # 0.4 + 0.3·1/3 + 0.3·2/3; declared, borne out
        (2, "乙材料", 1, 3, 0.0, 0.7, "strong_undeclared"),      # feeds 电池, 电机, 整车; 丙 < 乙 by name
        (3, "丁整车", 1, 0, 0.6667, 0.6, "strong_undeclared"),   # ≥ the weakest declared leader (0.6)
        (4, "甲车企", 1, 0, 0.6667, 0.6, "declared_not_borne_out"),  # declared 链主, ranked below k = 3
    ]


def test_what_if_removals():
    kg, _ = car_chain()
    assert [(i.kind, i.subject, i.lost) for i in what_if(kg, ["平台A"])] == [("unsupported", "电池", ("平台A",))]
    assert what_if(kg, ["甲车企"]) == []          # 丁整车 stays; 人才X still supports 整车
    assert [(i.kind, i.subject, i.lost, i.before) for i in what_if(kg, ["甲车企", "丁整车"])] == [
        ("missing", "整车", ("丁整车", "甲车企"), 2)]
    assert [(i.kind, i.subject) for i in what_if(kg, ["院所Y"])] == [("untackled", "固态电解质")]
    with pytest.raises(NodeNotFoundError, match="no node named '无此单位'"):
        what_if(kg, ["无此单位"])


def test_single_points_of_failure():
    kg, _ = car_chain()
    assert [(i.kind, i.subject, i.lost) for i in single_points_of_failure(kg)] == [
        ("missing", "材料", ("乙材料",)), ("missing", "电池", ("丙电池",)), ("missing", "电芯", ("丙电池",)),
        ("unsupported", "电池", ("平台A",)), ("untackled", "固态电解质", ("院所Y",))]


def test_backend_registry():
    kg, _ = car_chain()
    b = get_backend("memory", kg=kg)
    from kjqg_graph.analysis import find_gaps
    assert b.gaps(region="广西") == find_gaps(kg, region="广西")
    assert b.chain_scores() == chain_scores(kg)
    with pytest.raises(UnknownBackendError, match="unknown backend 'oracle'; choose one of memory, neo4j, rdf"):
        get_backend("oracle")


def test_backend_base_is_abstract():
    from kjqg_graph.backends import Backend

    class Half(Backend):
        def chain_links(self, chain):
            return []

    with pytest.raises(TypeError):
        Half()


def test_backend_missing_questions_is_a_clear_error(monkeypatch):
    import sys
    import types
    from kjqg_graph import backends
    from kjqg_graph.backends import Backend

    mod = types.ModuleType("kjqg_fake_backend")

    class Fake(Backend):
        def chain_links(self, chain):
            return []

    mod.Fake = Fake
    monkeypatch.setitem(sys.modules, "kjqg_fake_backend", mod)
    monkeypatch.setitem(backends.BACKENDS, "fake", "kjqg_fake_backend:Fake")
    with pytest.raises(BackendUnavailableError, match="the fake backend does not answer chain_scores, "):
        get_backend("fake")
