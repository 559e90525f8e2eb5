"""`kjqg load` through the command line: the progress bar on stderr and --update (the file wins)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kjqg_graph.cli import cli
from kjqg_graph.graph import node_id
from kjqg_graph.vocab import A, K, R
from kjqg_graph.workspace import Workspace

BAD = Path(__file__).parent / "data" / "bad"
H_ENT = "企业名称,统一社会信用代码,产业链,环节,所在地区,链主,高新技术企业\n"
E = node_id(K.Enterprise, "测试电池有限公司")


def kjqg(*args, **env):
    """The real command in a fresh process (stderr is a pipe, not a terminal)."""
    code = "import sys; from kjqg_graph.cli import main; sys.argv[0] = 'kjqg'; main()"
    p = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                       env={**os.environ, **env}, timeout=300)
    p.stderr = p.stderr.decode("utf-8")         # bytes: text mode would turn the bar's \r into \n
    return p


def _synth(tmp_path):
    from kjqg_graph.synth import write_synth
    return write_synth(tmp_path / "s", enterprises=300, seed=3)


def test_progress_bar_shown_once_a_load_runs_long(tmp_path):
    files = _synth(tmp_path)
    # KJQG_PROGRESS_DELAY=0 stands for "this load has run for over a second" without timing anything
    p = kjqg("-w", tmp_path / "w", "load", *files, KJQG_PROGRESS="1", KJQG_PROGRESS_DELAY="0")
    assert p.returncode == 0, p.stderr
    bar, _, summary = p.stderr.rpartition("\r" + " " * 64 + "\r")      # the bar clears its line at the end
    assert summary.startswith("loaded:\n"), p.stderr
    frames = [f.split()[0] for f in bar.split("\r") if f.strip()]
    phases = list(dict.fromkeys(frames))
    assert phases == ["reading", "checking", "opening", "resolving", "writing", "saving"], frames
    assert "checking     [" in bar and "%" in bar
    assert "\n" not in bar                       # one line, redrawn in place


def test_no_progress_bar_for_a_short_load(tmp_path):
    p = kjqg("-w", tmp_path / "w", "load", BAD / "links.csv", KJQG_PROGRESS="1")
    assert p.returncode == 0, p.stderr
    assert "\r" not in p.stderr and p.stderr.startswith("loaded:\n"), p.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    p = kjqg("-w", tmp_path / "w", "load", BAD / "links.csv", KJQG_PROGRESS_DELAY="0")
    assert p.returncode == 0 and "\r" not in p.stderr, p.stderr


def _ws_with_battery(tmp_path):
    w = tmp_path / "w"
    a = tmp_path / "a.csv"
    a.write_text(H_ENT + "测试电池有限公司,,测试链,整机,,是,否\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["-w", str(w), "load", str(BAD / "links.csv"), str(a), "--as-of", "2024-01-02"])
    assert r.exit_code == 0, r.output
    return w


def test_update_lets_the_file_win_and_lists_the_changes(tmp_path):
    w = _ws_with_battery(tmp_path)
    b = tmp_path / "b.csv"
    b.write_text(H_ENT + "测试电池有限公司,914501000000000195,测试链,整机、上游材料,,否,是\n", encoding="utf-8")
    before = _files(w)

    r = CliRunner().invoke(cli, ["-w", str(w), "load", str(b)])
    assert r.exit_code == 1
    assert r.output.splitlines()[1:] == [
        f"{b}:2:链主: 否 here but 是 in the workspace for 测试电池有限公司 (from a.csv:row 2); "
        "fix the file, or pass --update to let the file win",
        f"{b}:2:高新技术企业: 是 here but 否 in the workspace for 测试电池有限公司 (from a.csv:row 2); "
        "fix the file, or pass --update to let the file win"]
    assert _files(w) == before

    r = CliRunner().invoke(cli, ["-w", str(w), "load", str(b), "--update", "--dry-run", "--as-of", "2024-03-04"])
    assert r.exit_code == 0, r.output
    assert "would change 2 value(s) (--update):\n" \
           "  测试电池有限公司: chainLeader 是 → 否 (b.csv:row 2)\n" \
           "  测试电池有限公司: highTech 否 → 是 (b.csv:row 2)\n" in r.output
    assert _files(w) == before

    r = CliRunner().invoke(cli, ["-w", str(w), "load", str(b), "--update", "--as-of", "2024-03-04"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[lines.index("changed 2 value(s) (--update):") + 1:] == [
        "  测试电池有限公司: chainLeader 是 → 否 (b.csv:row 2)",
        "  测试电池有限公司: highTech 否 → 是 (b.csv:row 2)"]
    assert any(l.split()[:5] == ["企业", "Enterprise", "0", "1", "0"] for l in lines), r.output
    kg = Workspace(w).load()
    assert kg.attrs(E) == {"kind": K.Enterprise, "name": "测试电池有限公司", "chainLeader": False, "highTech": True,
                           "uscc": "914501000000000195", "source": "b.csv:row 2", "asOf": "2024-03-04"}
    assert sorted(kg.name(l) for l in kg.out(E, R.inLink)) == ["上游材料", "整机"]
    integral = node_id(K.ChainLink, "测试链/整机")
    assert kg.edge_attrs(E, R.inLink, integral) == {A.source: "a.csv:row 2", A.asOf: "2024-01-02"}
    assert kg.edge_attrs(E, R.inLink, node_id(K.ChainLink, "测试链/上游材料")) == {
        A.source: "b.csv:row 2", A.asOf: "2024-03-04"}

    again = (w / "graph.kjqg").read_bytes()
    r = CliRunner().invoke(cli, ["-w", str(w), "load", str(b), "--update"])
    assert r.exit_code == 0, r.output
    assert "nothing new: the workspace already holds every fact in these lists" in r.output
    assert "(--update)" not in r.output
    assert (w / "graph.kjqg").read_bytes() == again        # nothing changed, nothing saved


def test_messy_workbook_title_row_note_row_and_skipped_sheet(tmp_path):
    """A department's workbook: a title line above the headers, a 填表人 line under the list,
    a sheet of something else — and a GB18030 CSV beside it."""
    from openpyxl import Workbook
    wb = Workbook()
    a = wb.active
    a.title = "产业链环节"
    a.append(["测试市新能源汽车产业链环节表（2024年）"])
    a.append([])
    a.append([" 产业链 ", "环节名称", "阶段", "下游环节"])
    a.append(["测试链", "电池", "中游", "整车"])
    a.append(["测试链", "整车", "下游", ""])
    a.append([])
    a.append(["填表人：张三　联系电话：0772-1234567"])
    b = wb.create_sheet("企业名单")
    b.append(["序号", "企业名称", "所属产业链", "环节", "是否链主"])
    b.append([1, "测试电池(集团)有限公司 ", "测试链", "电池，整车", "是"])
    c = wb.create_sheet("汇总")
    c.append(["合计", "2家"])
    wb.save(tmp_path / "messy.xlsx")
    (tmp_path / "tech.csv").write_bytes("技术名称,产业链,所需环节,卡脖子\n测试电池技术,测试链,电池,是\n".encode("gb18030"))
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "load", str(tmp_path / "messy.xlsx"),
                                 str(tmp_path / "tech.csv")])
    assert r.exit_code == 0, r.output
    out = r.output.splitlines()
    assert out[1:4] == ["  messy.xlsx!产业链环节: 2 rows as links", "  messy.xlsx!企业名单: 1 row as enterprises",
                        "  tech.csv: 1 row as technologies, read as gb18030"]
    assert out[-3:] == [
        "ignored columns no list kind defines: 序号 (messy.xlsx!企业名单)",
        "left out 1 note row(s) under the list in messy.xlsx!产业链环节: row 7 填表人：张三　联系电话：0772-123",
        "skipped sheet messy.xlsx!汇总: its headers fit no list kind (found 合计、2家); pass --sheet and --kind to load it"]
    kg = Workspace(tmp_path / "w").load()
    e = node_id(K.Enterprise, "测试电池（集团）有限公司")
    assert kg.get(e, A.chainLeader) is True and kg.get(e, A.source) == "messy.xlsx!企业名单:row 2"
    assert kg.get(node_id(K.ChainLink, "测试链/电池"), A.source) == "messy.xlsx!产业链环节:row 4"


def _files(w):
    """Every file of the workspace folder with its bytes (to show a refused load changed nothing); not
    the lock file, which only says which process last held the write lock."""
    return {p.relative_to(w).as_posix(): p.read_bytes() for p in sorted(w.rglob("*"))
            if p.is_file() and p.name != "lock"}


def test_one_column_list_is_not_taken_for_a_title(tmp_path):
    w = tmp_path / "w"
    r = CliRunner().invoke(cli, ["-w", str(w), "load", str(BAD / "links.csv")])
    assert r.exit_code == 0, r.output
    before = _files(w)
    assert "graph.kjqg" in before
    f = tmp_path / "t.csv"
    f.write_text("技术名称\n测试甲技术\n测试乙技术,多余\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["-w", str(w), "load", str(f)])
    assert r.exit_code == 1
    assert r.output.splitlines()[1] == (f"{f}:3: has 2 cells but the header has 1 column; quote values that "
                                        "contain a comma, or remove the extra cells")
    assert "Traceback" not in r.output
    assert _files(w) == before                   # the workspace is left byte for byte


def test_load_timings_on_stderr_or_into_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KJQG_LOAD_TIMINGS", "1")
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w"), "load", str(BAD / "links.csv")])
    assert r.exit_code == 0, r.output
    last = r.output.splitlines()[-1]
    assert last.startswith("timings: {") and '"total": ' in last
    assert not (tmp_path / "1").exists()            # not a file named after the switch
    monkeypatch.setenv("KJQG_LOAD_TIMINGS", str(tmp_path / "t.json"))
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "w2"), "load", str(BAD / "links.csv")])
    assert r.exit_code == 0, r.output
    assert "timings:" not in r.output and '"total": ' in (tmp_path / "t.json").read_text(encoding="utf-8")


def test_two_spellings_in_a_gb18030_file_merge_and_the_summary_says_so(tmp_path):
    """A department's GB18030 CSV writes one new enterprise twice (有限公司 with full-width brackets,
    then a space, half-width brackets and 有限责任公司) and a workspace one a third way: one node, and
    every merge is said under the summary's merged notes."""
    w = _ws_with_battery(tmp_path)
    f = tmp_path / "messy.csv"
    f.write_bytes((H_ENT + "测试（柳州）己有限公司,,测试链,整机,,,\n"
                           "测试 (柳州) 己有限责任公司,,测试链,上游材料,,,\n"
                           "测试电池股份有限公司,,测试链,上游材料,,,\n").encode("gb18030"))
    p = kjqg("-w", w, "load", f, "--as-of", "2024-01-03", KJQG_PROGRESS="0")
    assert p.returncode == 0, p.stderr
    out = (p.stdout.decode("utf-8") + p.stderr).splitlines()
    assert "  messy.csv: 3 rows as enterprises, read as gb18030" in out
    at = out.index("merged 2 enterprise name(s) with another spelling (in the workspace or earlier in the lists):")
    assert out[at + 1:at + 3] == [
        "  测试（柳州）己有限责任公司 (messy.csv:row 3) is 测试（柳州）己有限公司 (row 2, same name, no code)",
        "  测试电池股份有限公司 (messy.csv:row 4) is 测试电池有限公司 (same name, no code)"]
    kg = Workspace(w).load()
    assert sorted(kg.name(e) for e in kg.nodes(K.Enterprise)) == ["测试电池有限公司", "测试（柳州）己有限公司"]
