"""The loader's library API: resolution, idempotency, provenance, xlsx/JSON, templates, the seed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kjqg_graph.cli import cli
from kjqg_graph.errors import LoadError
from kjqg_graph.graph import KnowledgeGraph, node_id
from kjqg_graph.loading import load_files, load_into
from kjqg_graph.vocab import A, K, R

BAD = Path(__file__).parent / "data" / "bad"
LINKS = BAD / "links.csv"
H_ENT = "企业名称,统一社会信用代码,产业链,环节,所在地区,链主,高新技术企业\n"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_one_enterprise_however_written(tmp_path):
    f = write(tmp_path / "e.csv", H_ENT +
              "广西 测试机械股份有限公司,,测试链,整机,,是,\n"
              "广西测试机械有限责任公司,,测试链,上游材料,,,是\n")
    kg = KnowledgeGraph()
    s = load_into(kg, [LINKS, f], as_of="2024-01-02")
    ents = kg.nodes(K.Enterprise)
    assert ents == [node_id(K.Enterprise, "广西测试机械股份有限公司")]
    e = ents[0]
    assert kg.get(e, A.chainLeader) is True and kg.get(e, A.highTech) is True
    assert sorted(kg.name(l) for l in kg.out(e, R.inLink)) == ["上游材料", "整机"]
    assert kg.get(e, A.source) == "e.csv:row 2" and kg.get(e, A.asOf) == "2024-01-02"
    assert kg.edge_attrs(e, R.inLink, kg.out(e, R.inLink)[0])[A.source].startswith("e.csv:row ")
    assert s.nodes[K.Enterprise]["added"] == 1


def test_name_match_against_workspace_says_so(tmp_path):
    kg = KnowledgeGraph()
    load_into(kg, [LINKS, write(tmp_path / "a.csv", H_ENT + "测试电池有限公司,,测试链,整机,,,\n")])
    s = load_into(kg, [write(tmp_path / "b.csv", H_ENT + "测试电池有限责任公司,914501000000000195,测试链,整机,,,\n")])
    assert s.merged == ["测试电池有限责任公司 (b.csv:row 2) is 测试电池有限公司"]
    assert kg.get(node_id(K.Enterprise, "测试电池有限公司"), A.uscc) == "914501000000000195"
    assert s.nodes[K.Enterprise] == {"added": 0, "updated": 1, "unchanged": 0}


def test_conflict_with_workspace_and_update(tmp_path):
    kg = KnowledgeGraph()
    load_into(kg, [LINKS, write(tmp_path / "a.csv", H_ENT + "测试电池有限公司,,测试链,整机,,是,\n")])
    b = write(tmp_path / "b.csv", H_ENT + "测试电池有限公司,,测试链,整机,,否,\n")
    with pytest.raises(LoadError) as e:
        load_into(kg, [b])
    assert [str(p) for p in e.value.problems] == [
        f"{b}:2:链主: 否 here but 是 in the workspace for 测试电池有限公司 (from a.csv:row 2); "
        "fix the file, or pass --update to let the file win"]
    s = load_into(kg, [b], update=True)
    assert s.changes == ["测试电池有限公司: chainLeader 是 → 否 (b.csv:row 2)"]
    assert kg.get(node_id(K.Enterprise, "测试电池有限公司"), A.chainLeader) is False


def test_same_file_twice_changes_nothing(ws):
    load_files(ws, [LINKS])
    before = ws.graph_file.read_bytes()
    s = load_files(ws, [LINKS])
    assert not s.changed
    assert ws.graph_file.read_bytes() == before
    assert "nothing new" in s.text()


def test_dry_run_writes_nothing(ws):
    before = ws.graph_file.read_bytes()
    s = load_files(ws, [LINKS], dry_run=True)
    assert s.nodes[K.ChainLink]["added"] == 2
    assert ws.graph_file.read_bytes() == before


def test_xlsx_and_json(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    sh = wb.active
    sh.title = "环节"
    sh.append(["产业链", "环节", "阶段"])
    sh.append(["测试链", "电芯", "中游"])
    other = wb.create_sheet("说明")
    other.append(["随便写的说明"])
    wb.save(tmp_path / "l.xlsx")
    j = tmp_path / "e.json"
    j.write_text(json.dumps([{"企业名称": "测试电芯有限公司", "环节": ["电芯"], "链主": True, "产业链": "测试链"}],
                            ensure_ascii=False), encoding="utf-8")
    kg = KnowledgeGraph()
    load_into(kg, [tmp_path / "l.xlsx", j])
    link = node_id(K.ChainLink, "测试链/电芯")
    assert kg.get(link, A.source) == "l.xlsx!环节:row 2"
    e = node_id(K.Enterprise, "测试电芯有限公司")
    assert kg.out(e, R.inLink) == [link] and kg.get(e, A.chainLeader) is True


def test_template_roundtrip(tmp_path):
    out = tmp_path / "t.xlsx"
    r = CliRunner().invoke(cli, ["template", "enterprises", "-o", str(out)])
    assert r.exit_code == 0, r.output
    from openpyxl import load_workbook
    wb = load_workbook(out)
    assert wb.sheetnames == ["企业清单", "取值", "填写说明"]
    assert [c.value for c in wb["企业清单"][1]][:4] == ["企业名称", "统一社会信用代码", "产业链", "环节"]
    assert wb["企业清单"].data_validations.dataValidation
    sh = wb["企业清单"]
    sh.append(["测试模板有限公司", "", "测试链", "整机", "", "是"])
    wb.save(out)
    kg = KnowledgeGraph()
    load_into(kg, [LINKS, out])
    assert kg.has_node(node_id(K.Enterprise, "测试模板有限公司"))


def test_seed_guangxi_loads(tmp_path):
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "seed", "guangxi"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["seed", "--list"])
    assert "guangxi" in r.output.split()


def test_synth_loads_and_reloads_unchanged(tmp_path):
    from kjqg_graph.synth import write_synth
    files = write_synth(tmp_path / "s", enterprises=300, seed=2)
    kg = KnowledgeGraph()
    load_into(kg, files)
    s = load_into(kg, files)
    assert not s.changed and s.count("unchanged") == len(kg) - len(s.auto_regions)


def test_new_known_and_resolved_rows_in_one_table(tmp_path):
    """A table mixing new enterprises, ones named as the workspace names them, one reached by its
    USCC under another name and two spellings of one new enterprise: the rows are resolved in row
    order whichever way each is declared (the loader takes the first two kinds a column at a time)."""
    a = write(tmp_path / "a.csv", H_ENT + "测试甲有限公司,914501000000000195,测试链,整机,测试市,是,\n"
                                          "测试乙有限公司,,测试链,上游材料,,,否\n")
    rows = ("测试丁有限公司,,测试链,整机,测试县,,是\n"              # new
            "测试乙有限公司,,测试链,上游材料、整机,,,否\n"          # the workspace's 乙, as written
            "测试改名有限公司,914501000000000195,测试链,整机,,否,\n"  # 甲's code, another name
            "测试甲有限公司,,测试链,上游材料,,{},\n"                # 甲 by name, after row 4 reached it
            "测试戊有限责任公司,,测试链,整机,,,\n"
            "测试戊有限公司,,测试链,上游材料,测试市,是,\n")
    b = write(tmp_path / "b.csv", H_ENT + rows.format("是"))
    kg = KnowledgeGraph()
    load_into(kg, [LINKS, a], as_of="2024-01-02")
    with pytest.raises(LoadError) as e:
        load_into(kg, [b], as_of="2024-01-03")
    assert [str(p) for p in e.value.problems] == [
        f"{b}:4:企业名称: 测试改名有限公司 has 统一社会信用代码 914501000000000195, which the workspace gives to "
        "测试甲有限公司; fix the name or the code (or pass --update to keep the code and the workspace name)"]
    with pytest.raises(LoadError) as e:
        load_into(kg, [b], as_of="2024-01-03", update=True)
    assert [str(p) for p in e.value.problems] == [
        f"{b}:5:链主: 是 here but 否 on row 4 for the same 测试甲有限公司; make the rows agree"]
    write(b, H_ENT + rows.format("否"))
    s = load_into(kg, [b], as_of="2024-01-03", update=True)
    assert s.merged == ["测试戊有限公司 (b.csv:row 7) is 测试戊有限责任公司 (row 6, same name, no code)"]
    assert s.changes == ["测试甲有限公司: chainLeader 是 → 否 (b.csv:row 4)"]
    assert s.nodes[K.Enterprise] == {"added": 2, "updated": 1, "unchanged": 1}
    assert s.edges == {R.inLink: {"added": 5, "unchanged": 2}, R.locatedIn: {"added": 2, "unchanged": 0}}
    assert kg.nodes(K.Enterprise) == [node_id(K.Enterprise, n) for n in
                                      ("测试甲有限公司", "测试乙有限公司", "测试丁有限公司", "测试戊有限责任公司")]
    want = {
        "测试甲有限公司": ({"kind": "Enterprise", "name": "测试甲有限公司", "source": "b.csv:row 4", "asOf": "2024-01-03",
                            "uscc": "914501000000000195", "chainLeader": False},
                           [("inLink", "上游材料", "b.csv:row 5"), ("inLink", "整机", "a.csv:row 2"),
                            ("locatedIn", "测试市", "a.csv:row 2")]),
        "测试乙有限公司": ({"kind": "Enterprise", "name": "测试乙有限公司", "source": "a.csv:row 3", "asOf": "2024-01-02",
                            "highTech": False},
                           [("inLink", "上游材料", "a.csv:row 3"), ("inLink", "整机", "b.csv:row 3")]),
        "测试丁有限公司": ({"kind": "Enterprise", "name": "测试丁有限公司", "source": "b.csv:row 2", "asOf": "2024-01-03",
                            "highTech": True},
                           [("inLink", "整机", "b.csv:row 2"), ("locatedIn", "测试县", "b.csv:row 2")]),
        "测试戊有限责任公司": ({"kind": "Enterprise", "name": "测试戊有限责任公司", "source": "b.csv:row 6",
                                "asOf": "2024-01-03", "chainLeader": True},
                               [("inLink", "上游材料", "b.csv:row 7"), ("inLink", "整机", "b.csv:row 6"),
                                ("locatedIn", "测试市", "b.csv:row 7")]),
    }
    for name, (attrs, edges) in want.items():
        e = node_id(K.Enterprise, name)
        assert list(kg.attrs(e).items()) == list(attrs.items())
        assert sorted((r, kg.name(v), kg.edge_attrs(e, r, v)[A.source]) for r, v in kg.neighbours(e)) == edges


def test_two_spellings_in_one_file_are_merged_and_said(tmp_path):
    """One new enterprise written two ways in one file (有限责任公司 / 有限公司; full-width brackets and a
    space) is one node, and the summary says which row was merged into which — by name without a code,
    and by the same code."""
    f = write(tmp_path / "e.csv", H_ENT + "测试（柳州）己有限公司,,测试链,整机,,,\n"
                                          "测试 (柳州) 己有限责任公司,,测试链,上游材料,,,\n"
                                          "测试庚有限公司,914501000000000195,测试链,整机,,,\n"
                                          "测试庚有限责任公司,914501000000000195,测试链,上游材料,,,\n")
    kg = KnowledgeGraph()
    load_into(kg, [LINKS], as_of="2024-01-02")
    s = load_into(kg, [f], as_of="2024-01-02")
    assert s.merged == ["测试（柳州）己有限责任公司 (e.csv:row 3) is 测试（柳州）己有限公司 (row 2, same name, no code)",
                        "测试庚有限责任公司 (e.csv:row 5) is 测试庚有限公司 (row 4, same code)"]
    assert s.nodes[K.Enterprise] == {"added": 2, "updated": 0, "unchanged": 0}
    assert kg.nodes(K.Enterprise) == [node_id(K.Enterprise, "测试（柳州）己有限公司"), node_id(K.Enterprise, "测试庚有限公司")]
