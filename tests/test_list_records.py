"""The list rows (LinkRow, EnterpriseRow, ResourceRow, TechnologyRow) are typed tuples that keep
the record API, and every writer still gets objects keyed by field name from them."""
import json

import pytest
from click.testing import CliRunner

from graphs import car_chain
from kjqg_graph.analysis.records import EnterpriseRow, LinkRow, Record, ResourceRow, TechnologyRow, TupleRecord
from kjqg_graph.cli import cli
from kjqg_graph.workspace import Workspace

ENTERPRISE_KEYS = ["chain", "link_id", "link", "stage", "enterprise_id", "enterprise", "uscc", "region",
                   "chain_leader", "high_tech", "above_scale", "tech_sme", "gazelle", "has_rd_staff",
                   "has_rd_platform", "has_rd_funds"]


def test_enterprise_row_defaults_to_dict_and_make():
    r = EnterpriseRow("车", "ChainLink:1", "材料", "上游")
    assert isinstance(r, tuple) and isinstance(r, TupleRecord) and isinstance(r, Record)
    assert r.enterprise_id == "" and r.uscc is None and r.region == "" and r.chain_leader is None
    d = r.to_dict()
    assert list(d) == ENTERPRISE_KEYS
    assert d == {"chain": "车", "link_id": "ChainLink:1", "link": "材料", "stage": "上游", "enterprise_id": "",
                 "enterprise": "", "uscc": None, "region": "", "chain_leader": None, "high_tech": None,
                 "above_scale": None, "tech_sme": None, "gazelle": None, "has_rd_staff": None,
                 "has_rd_platform": None, "has_rd_funds": None}
    full = EnterpriseRow._make(("车", "l", "材料", None, "Enterprise:9", "甲公司", "91450000X", "南宁市",
                                True, False, None, True, None, False, True, None))
    assert type(full) is EnterpriseRow
    assert (full.enterprise, full.region, full.chain_leader, full.has_rd_platform) == ("甲公司", "南宁市", True, True)
    with pytest.raises(TypeError):
        EnterpriseRow._make(("车", "l"))                 # every field, as before
    with pytest.raises(AttributeError):
        full.enterprise = "乙"                            # immutable


def test_link_row_tuples_become_lists_and_from_row():
    r = LinkRow.from_row({"chain": "车", "link_id": "b", "link": "电池", "stage": None,
                          "parents": ["a"], "supplies": ["c", "d"]})
    assert r.parents == ("a",) and r.supplies == ("c", "d")
    assert r.to_dict() == {"chain": "车", "link_id": "b", "link": "电池", "stage": None,
                           "parents": ["a"], "supplies": ["c", "d"]}
    assert LinkRow("车", "x", "X", None).to_dict()["parents"] == []
    with pytest.raises(TypeError, match="no field"):
        LinkRow.from_row({"chain": "车", "link_id": "b", "link": "电池", "stage": None, "colour": "red"})
    assert r._replace(link="电芯") == LinkRow("车", "b", "电芯", None, ("a",), ("c", "d"))
    assert type(r._replace(link="电芯")) is LinkRow


def test_resource_row_path_in_dict_and_technology_row():
    r = ResourceRow("车", "l2", "电芯", "中游", "Lab:1", "电池实验室", "Lab", "省级", "柳州市", "inherited", "direct",
                    "", "", "l1", "电池")
    d = r.to_dict()
    assert list(d)[-1] == "path" and d["path"] == "继承自上级环节 电池：电池实验室 直接支撑 电池"
    assert d["from_link"] == "电池" and d["how"] == "inherited"
    assert ResourceRow("车", "l", "L", None).path == "无任何支撑 (no support by any path)"
    t = TechnologyRow("车", "l", "L", None, "T:1", "固态电解质", True)
    assert t.to_dict() == {"chain": "车", "link_id": "l", "link": "L", "stage": None, "tech_id": "T:1",
                           "tech": "固态电解质", "chokepoint": True, "status": None, "mechanism": None,
                           "tackler_id": "", "tackler": "", "tackler_kind": "", "relation": ""}


@pytest.mark.parametrize("backend", ["memory", "rdf"])
def test_lists_json_rows_are_objects_with_the_field_names(tmp_path, backend):
    kg, _ = car_chain()
    w = tmp_path / "ws"
    Workspace(w).save(kg)
    r = CliRunner().invoke(cli, ["-w", str(w), "lists", "--backend", backend, "--format", "json"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert all(isinstance(x, dict) for rows in data.values() for x in rows)
    assert list(data["enterprises"][0]) == ENTERPRISE_KEYS
    assert list(data["resources"][0])[-1] == "path" and "node_kind" in data["resources"][0]
    assert list(data["technologies"][0])[-2:] == ["tackler_kind", "relation"]
