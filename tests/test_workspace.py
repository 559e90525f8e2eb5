"""The workspace: round trip, atomic saves under SIGKILL, one writer at a time, versions, no code."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from kjqg_graph.errors import (WorkspaceCorruptError, WorkspaceLockedError, WorkspaceNotFoundError,
                               WorkspaceVersionError)
from kjqg_graph.graph import KnowledgeGraph
from kjqg_graph.vocab import K, R
from kjqg_graph.workspace import Workspace


def _rich_graph():
    kg = KnowledgeGraph()
    c = kg.add_node(K.IndustryChain, "新能源汽车", source="科技强桂三年行动方案 三(二)", asOf="2021-06-30")
    l1 = kg.add_node(K.ChainLink, "新能源汽车/动力电池", name="动力电池", stage="上游", note="含电芯")
    l2 = kg.add_node(K.ChainLink, "新能源汽车/整车", name="整车", stage="下游")
    e = kg.add_node(K.Enterprise, "<img src=x onerror=alert(1)>", uscc="91350100M000100Y43", chainLeader=True,
                    highTech=False, products="=1+2、电池")
    t = kg.add_node(K.Target, "高新技术企业数量", value="4200", unit="家", year=2023, comparator="≥", section="一(二)")
    r = kg.add_node(K.Region, "柳州市", regionType="设区市")
    kg.add_edge(l1, R.partOf, c, source="links.csv:row 2", asOf="2026-11-27")
    kg.add_edge(l2, R.partOf, c)
    kg.add_edge(l1, R.supplies, l2, source="links.csv:row 2")
    kg.add_edge(e, R.inLink, l2)
    kg.add_edge(e, R.locatedIn, r)
    return kg


def test_round_trip_keeps_every_attribute(ws):
    kg = _rich_graph()
    ws.save(kg)
    back = ws.load()
    assert back == kg
    assert back.attrs("Enterprise:<img src=x onerror=alert(1)>") == {
        "kind": "Enterprise", "name": "<img src=x onerror=alert(1)>", "uscc": "91350100M000100Y43",
        "chainLeader": True, "highTech": False, "products": "=1+2、电池"}
    assert back.get("Target:高新技术企业数量", "year") == 2023
    assert back.edge_attrs("ChainLink:新能源汽车/动力电池", R.partOf, "IndustryChain:新能源汽车") == {
        "source": "links.csv:row 2", "asOf": "2026-11-27"}
    assert back.counts() == kg.counts()
    assert back.inn("ChainLink:新能源汽车/整车", R.supplies) == ["ChainLink:新能源汽车/动力电池"]


def test_transaction_writes_nothing_when_the_block_fails(ws):
    ws.save(_rich_graph())
    before = ws.graph_file.read_bytes()
    with pytest.raises(RuntimeError):
        with ws.transaction() as kg:
            kg.add_node(K.IndustryChain, "工程机械")
            raise RuntimeError("a user mistake found half-way")
    assert ws.graph_file.read_bytes() == before


def test_missing_workspace_says_how_to_create_one(tmp_path):
    with pytest.raises(WorkspaceNotFoundError, match="no workspace at .*; create one with `kjqg init`"):
        Workspace(tmp_path / "nope").load()


def test_newer_format_is_refused(ws):
    ws.save(_rich_graph())
    lines = ws.graph_file.read_bytes().split(b"\n", 1)
    header = json.loads(lines[0])
    header["version"] = 99
    ws.graph_file.write_bytes(json.dumps(header).encode() + b"\n" + lines[1])
    with pytest.raises(WorkspaceVersionError,
                       match=r"written by a newer kjqg-graph \(workspace format 99\); this one reads format 3"):
        ws.load()


@pytest.mark.parametrize("content", [
    b"\x80\x04\x95pickle-ish bytes\n",                          # a pickle would run code: never read as one
    b'{"format": "kjqg-workspace", "version": 1}\n{"nodes": {"Enterprise": {"ids": ["a"]}}}',
    b"",
])
def test_damaged_or_foreign_files_are_refused_without_running_anything(ws, content):
    ws.graph_file.write_bytes(content)
    with pytest.raises(WorkspaceCorruptError):
        ws.load()


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("damage", ["truncate", "flip", "append"])
def test_a_damaged_file_is_refused(ws, damage, version):
    ws.save(_rich_graph())
    if version == 2:
        _rewrite(ws, sections=[json.dumps(_NODES).encode(), json.dumps(_EDGES_2).encode()])
    data = bytearray(ws.graph_file.read_bytes())
    if damage == "truncate":
        data = data[:-7]
    elif damage == "flip":
        data[-20] ^= 0xFF
    else:
        data += b"{}"
    ws.graph_file.write_bytes(bytes(data))
    with pytest.raises(WorkspaceCorruptError, match="is damaged"):
        ws.load()


# A format-1 workspace (one uncompressed JSON body on line 2), as kjqg-graph 0.1 wrote it.
_FORMAT_1 = (
    '{"format":"kjqg-workspace","version":1,"saved":"2026-11-27T19:01:42+00:00",'
    '"counts":{"nodes":{"ChainLink":2,"IndustryChain":1},"edges":{"partOf":2,"supplies":1}}}\n'
    '{"nodes":{"ChainLink":{"ids":["ChainLink:链/上","ChainLink:链/下"],"attrs":['
    '{"kind":"ChainLink","name":"上","stage":"上游"},{"kind":"ChainLink","name":"下","stage":"下游"}]},'
    '"IndustryChain":{"ids":["IndustryChain:链"],"attrs":[{"kind":"IndustryChain","name":"链"}]}},'
    '"edges":{"partOf":{"src":[0,1],"dst":[2,2],"cols":{"asOf":{"dict":["2026-11-27",null],"codes":[0,1]},'
    '"source":["l.csv:row 2","l.csv:row 3"]}},"supplies":{"src":[0],"dst":[1],"cols":{}}},'
    '"meta":{"note":"kept"}}')


def test_a_format_1_workspace_is_still_read_and_saved_as_format_3(ws):
    ws.graph_file.write_bytes(_FORMAT_1.encode("utf-8"))
    kg = ws.load()
    assert kg.counts() == {"nodes": {"ChainLink": 2, "IndustryChain": 1}, "edges": {"partOf": 2, "supplies": 1}}
    assert kg.edge_attrs("ChainLink:链/上", R.partOf, "IndustryChain:链") == {"asOf": "2026-11-27",
                                                                               "source": "l.csv:row 2"}
    assert kg.edge_attrs("ChainLink:链/下", R.partOf, "IndustryChain:链") == {"source": "l.csv:row 3"}
    assert kg.out("ChainLink:链/上", R.supplies) == ["ChainLink:链/下"]
    assert kg.meta["note"] == "kept"
    ws.save(kg)
    assert ws.read_header()["version"] == 3
    back = ws.load()
    assert back == kg and back.meta["note"] == "kept"


def test_counts_come_from_the_header_alone(ws):
    kg = _rich_graph()
    ws.save(kg)
    assert ws.counts() == kg.counts()
    head = ws.graph_file.read_bytes().split(b"\n", 1)[0]
    ws.graph_file.write_bytes(head + b"\n")                      # the body is not read for counts
    assert ws.counts() == kg.counts()


def test_a_graph_saved_without_walking_its_edges_round_trips(ws):
    kg = _rich_graph()
    ws.save(kg)
    lazy = ws.load()
    assert lazy._lazy_edges is not None
    lazy.add_nodes(K.IndustryChain, [("工程机械", {})])           # shifts every later position
    lazy.add_nodes(K.ChainLink, [("工程机械/整机", {"name": "整机", "stage": "下游"})])
    lazy.set_attrs("Enterprise:<img src=x onerror=alert(1)>", gazelle=True)
    ws.save(lazy)                                                 # written from the unwired blocks
    assert lazy._lazy_edges is not None
    back = ws.load()
    kg.add_node(K.IndustryChain, "工程机械")
    kg.add_node(K.ChainLink, "工程机械/整机", name="整机", stage="下游")
    kg.set_attrs("Enterprise:<img src=x onerror=alert(1)>", gazelle=True)
    assert back == kg and back.counts() == kg.counts()


_SAVER = textwrap.dedent("""
    import sys
    from kjqg_graph.graph import KnowledgeGraph
    from kjqg_graph.vocab import K, R
    from kjqg_graph.workspace import Workspace
    ws = Workspace(sys.argv[1])
    kg = KnowledgeGraph()
    c = kg.add_node(K.IndustryChain, "虚构链")
    for i in range(40000):
        l = kg.add_node(K.ChainLink, f"虚构链/环节{i}", name=f"环节{i}", stage="中游", source=f"row {i}")
        kg.add_edge(l, R.partOf, c, source=f"row {i}")
    print("ready", flush=True)
    while True:
        ws.save(kg)
""")


def test_a_save_killed_midway_leaves_the_previous_workspace(ws, tmp_path):
    old = _rich_graph()
    ws.save(old)
    script = tmp_path / "saver.py"
    script.write_text(_SAVER)
    for attempt in range(3):
        p = subprocess.Popen([sys.executable, str(script), str(ws.path)], stdout=subprocess.PIPE)
        assert p.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 30
        while not list(ws.path.glob("graph.kjqg.tmp.*")):        # the write is under way
            assert time.monotonic() < deadline, "the child never started writing"
            time.sleep(0.001)
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        back = ws.load()                                          # readable, whatever moment it died
        assert back == old or (back.count(K.ChainLink) == 40000 and back.edge_count(R.partOf) == 40000)
    # the next save clears what the killed writer left behind
    ws.save(old)
    assert list(ws.path.glob("graph.kjqg.tmp.*")) == []
    assert ws.load() == old


def test_a_second_writer_waits_then_fails_clearly(ws, monkeypatch):
    monkeypatch.setenv("KJQG_LOCK_TIMEOUT", "0.3")
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from kjqg_graph.workspace import Workspace
        with Workspace({str(ws.path)!r}).lock():
            print("locked", flush=True)
            time.sleep(30)
    """)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"locked"
        before = ws.graph_file.read_bytes()
        with pytest.raises(WorkspaceLockedError, match=rf"being written by pid {holder.pid}; waited 0.3 s"):
            with ws.transaction() as kg:
                kg.add_node(K.IndustryChain, "工程机械")
        assert ws.graph_file.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    with ws.transaction() as kg:                                   # free again: the write goes through
        kg.add_node(K.IndustryChain, "工程机械")
    assert ws.load().find("工程机械") == ["IndustryChain:工程机械"]


def _rewrite(ws, header=None, sections=None, codec="zstd", names=("nodes", "edges")):
    """Rewrite the workspace file with a changed header and/or section bodies (plain bytes); given
    sections (format 2's nodes and edges unless ``names`` says otherwise), a format 2 file."""
    import zstandard
    data = ws.graph_file.read_bytes()
    line, _, body = data.partition(b"\n")
    head = json.loads(line)
    if sections is not None:
        blobs = [zstandard.ZstdCompressor().compress(s) if codec == "zstd" else s for s in sections]
        head["sections"] = [[name, len(b), len(s)] for (name, b, s) in zip(names, blobs, sections)]
        head["version"] = 2 if names == ("nodes", "edges") else 3
        body = b"".join(blobs)
    if header:
        header(head)
    ws.graph_file.write_bytes(json.dumps(head).encode() + b"\n" + body)


def test_a_section_that_would_unpack_huge_is_refused_before_it_is_unpacked(ws):
    import zstandard
    ws.save(_rich_graph())
    bomb = zstandard.ZstdCompressor(level=19).compress(b" " * (64 << 20))     # 64 MB of spaces in a few KB
    assert len(bomb) * 1024 + (1 << 20) < 64 << 20
    line, _, body = ws.graph_file.read_bytes().partition(b"\n")
    h = json.loads(line)
    edges = body[h["sections"][0][1]:]
    h["sections"] = [["nodes", len(bomb), 64 << 20], *h["sections"][1:]]
    ws.graph_file.write_bytes(json.dumps(h).encode() + b"\n" + bomb + edges)
    with pytest.raises(WorkspaceCorruptError, match="is damaged.*nodes section declares"):
        ws.load()
    h["sections"][0] = ["nodes", len(bomb)]                        # format 3 must declare every length
    ws.graph_file.write_bytes(json.dumps(h).encode() + b"\n" + bomb + edges)
    with pytest.raises(WorkspaceCorruptError, match="is damaged.*declares no unpacked length"):
        ws.load()
    edges_raw = json.dumps({"src": [], "dst": [], "rel": [], "cols": {}}).encode()
    packed = zstandard.ZstdCompressor().compress(edges_raw)
    h2 = {**h, "version": 2, "sections": [["nodes", len(bomb)], ["edges", len(packed), len(edges_raw)]]}
    ws.graph_file.write_bytes(json.dumps(h2).encode() + b"\n" + bomb + packed)
    with pytest.raises(WorkspaceCorruptError, match="is damaged.*nodes section would unpack"):
        ws.load()                                                  # format 2 without it: the cap holds


def test_a_section_whose_length_disagrees_with_the_header_is_refused(ws):
    ws.save(_rich_graph())
    h = json.loads(ws.graph_file.read_bytes().partition(b"\n")[0])
    assert [s[0] for s in h["sections"]] == ["nodes"] * 5 + ["edges", "src", "dst", "rel", "col:asOf", "col:source"]
    assert all(len(s) == 3 for s in h["sections"])

    def lie(head):
        head["sections"][5][2] += 1
    _rewrite(ws, header=lie)
    with pytest.raises(WorkspaceCorruptError, match="is damaged.*edges section would unpack to"):
        ws.load()

    def nonsense(head):
        head["sections"][5][1] = "12"
    _rewrite(ws, header=nonsense)
    with pytest.raises(WorkspaceCorruptError, match="is damaged"):
        ws.load()


_NODES = {"ChainLink": {"ids": ["ChainLink:链/上", "ChainLink:链/下"],
                        "attrs": [{"kind": "ChainLink", "name": "上", "stage": "上游"},
                                  {"kind": "ChainLink", "name": "下", "stage": "下游"}]}}
_EDGES_2 = {"src": [0, 1], "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": {"source": ["x", None]}}


@pytest.mark.parametrize("edges, says", [
    ({"src": [0, 2], "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": {}}, "outside the node list"),
    ({"src": [0, -1], "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": {}}, "outside the node list"),
    ({"src": [0, 1.0], "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": {}}, "not whole numbers"),
    ({"src": [0, "1"], "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": {}}, "not whole numbers"),
    ({"src": [0], "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": {}}, "inconsistent"),
    ({"src": [0, 1], "dst": [1, 0], "rel": ["supplies"], "cols": {}}, "inconsistent"),
    ({"src": [0, 1], "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": {"source": ["x"]}}, "inconsistent"),
    ({"src": [0, 1], "dst": [1, 0], "rel": {"dict": ["supplies"], "codes": [0, 5]}, "cols": {}}, "damaged"),
    ({"src": [0, 1], "dst": [1, 0], "rel": ["supplies", "eats"], "cols": {}}, "unknown relation"),
    ({"src": {"0": 1}, "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": {}}, "damaged"),
    ({"src": [0, 1], "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": 7}, "damaged"),
])
def test_a_malformed_edge_table_is_refused_on_opening(ws, edges, says):
    ws.save(_rich_graph())
    _rewrite(ws, sections=[json.dumps(_NODES).encode(), json.dumps(edges).encode()])
    with pytest.raises(WorkspaceCorruptError, match="is damaged") as err:
        ws.load()
    assert says in str(err.value)


def test_a_well_formed_hand_written_table_opens(ws):
    ws.save(_rich_graph())
    edges = {"src": [0, 1], "dst": [1, 0], "rel": ["supplies", "supplies"], "cols": {"source": ["x", None]}}
    _rewrite(ws, sections=[json.dumps(_NODES).encode(), json.dumps(edges).encode()])
    kg = ws.load()
    assert kg.edge_attrs("ChainLink:链/上", R.supplies, "ChainLink:链/下") == {"source": "x"}
    assert kg.edge_count() == 2


def _v3(edges_head, arrays, nodes=None):
    """Format 3 sections by hand: the node chunks, the edge table's head and its binary columns."""
    from array import array
    chunks = nodes if nodes is not None else [{"kind": "ChainLink", **_NODES["ChainLink"]}]
    names = ["nodes"] * len(chunks) + ["edges"] + [n for n, _, _ in arrays]
    blobs = [json.dumps(c).encode() for c in chunks] + [json.dumps(edges_head).encode()]
    blobs += [array(code, values).tobytes() for _, code, values in arrays]
    return dict(sections=blobs, names=tuple(names))


_GOOD_3 = ({"m": 2, "rel": ["supplies"], "cols": {"source": ["x", None]}},
           [("src", "i", [0, 1]), ("dst", "i", [1, 0]), ("rel", "B", [0, 0]), ("col:source", "i", [0, 1])])


def test_a_hand_written_format_3_table_opens(ws):
    ws.save(_rich_graph())
    _rewrite(ws, **_v3(*_GOOD_3))
    kg = ws.load()
    assert kg.edge_attrs("ChainLink:链/上", R.supplies, "ChainLink:链/下") == {"source": "x"}
    assert kg.edge_attrs("ChainLink:链/下", R.supplies, "ChainLink:链/上") == {}
    assert kg.counts() == {"nodes": {"ChainLink": 2}, "edges": {"supplies": 2}}


@pytest.mark.parametrize("change, says", [
    (lambda h, a: a.__setitem__(0, ("src", "i", [0, 2])), "outside the node list"),
    (lambda h, a: a.__setitem__(1, ("dst", "i", [-1, 0])), "outside the node list"),
    (lambda h, a: a.__setitem__(0, ("src", "i", [0])), "inconsistent"),
    (lambda h, a: a.__setitem__(0, ("src", "B", [0, 1])), "inconsistent"),
    (lambda h, a: a.__setitem__(2, ("rel", "B", [0, 1])), "relation code outside"),
    (lambda h, a: a.__setitem__(3, ("col:source", "i", [0, 2])), "code outside the values"),
    (lambda h, a: a.__setitem__(3, ("col:source", "i", [0, -1])), "code outside the values"),
    (lambda h, a: a.pop(), "do not match"),
    (lambda h, a: a.append(("col:asOf", "i", [0, 0])), "do not match"),
    (lambda h, a: a.reverse(), "do not match"),
    (lambda h, a: h.__setitem__("rel", ["eats"]), "unknown relation"),
    (lambda h, a: h.__setitem__("m", "2"), "inconsistent"),
    (lambda h, a: h.__setitem__("cols", {"source": "xy"}), "inconsistent"),
    (lambda h, a: h.__setitem__("rel", ["supplies"] * 256), "inconsistent"),
])
def test_a_malformed_format_3_table_is_refused_on_opening(ws, change, says):
    ws.save(_rich_graph())
    head, arrays = json.loads(json.dumps(_GOOD_3[0])), list(_GOOD_3[1])
    change(head, arrays)
    _rewrite(ws, **_v3(head, arrays))
    with pytest.raises(WorkspaceCorruptError, match="is damaged") as err:
        ws.load()
    assert says in str(err.value)


@pytest.mark.parametrize("nodes, says", [
    ([{"kind": "ChainLink", "ids": ["ChainLink:a"], "attrs": []}], "inconsistent"),
    ([{"kind": "ChainLink", "ids": ["ChainLink:a", "ChainLink:b"],
       "attrs": [{"kind": "ChainLink", "name": "a"}, {"kind": "Region", "name": "b"}]}], "inconsistent"),
    ([{"kind": "ChainLink", "ids": ["ChainLink:a", 7],
       "attrs": [{"kind": "ChainLink", "name": "a"}, {"kind": "ChainLink", "name": "b"}]}], "inconsistent"),
    ([{"kind": "Dragon", "ids": [], "attrs": []}], "unknown node kind"),
    ([{"kind": "ChainLink", "ids": ["ChainLink:a"], "attrs": [{"kind": "ChainLink", "name": "a"}]}] * 2,
     "duplicate node ids"),
    ([["ChainLink"]], "not an object"),
])
def test_malformed_format_3_nodes_are_refused(ws, nodes, says):
    ws.save(_rich_graph())
    _rewrite(ws, **_v3({"m": 0, "rel": [], "cols": {}}, [("src", "i", []), ("dst", "i", []), ("rel", "B", [])],
                       nodes=nodes))
    with pytest.raises(WorkspaceCorruptError, match="is damaged") as err:
        ws.load()
    assert says in str(err.value)


def test_a_kind_in_two_runs_still_opens_and_saves(ws):
    ws.save(_rich_graph())
    a = {"kind": "ChainLink", "ids": ["ChainLink:链/上"], "attrs": [{"kind": "ChainLink", "name": "上"}]}
    c = {"kind": "IndustryChain", "ids": ["IndustryChain:链"], "attrs": [{"kind": "IndustryChain", "name": "链"}]}
    b = {"kind": "ChainLink", "ids": ["ChainLink:链/下"], "attrs": [{"kind": "ChainLink", "name": "下"}]}
    _rewrite(ws, **_v3({"m": 2, "rel": ["partOf"], "cols": {}},
                       [("src", "i", [0, 2]), ("dst", "i", [1, 1]), ("rel", "B", [0, 0])], nodes=[a, c, b]))
    kg = ws.load()
    assert kg._lazy_edges.blocks == [("ChainLink", 0, 1), ("IndustryChain", 1, 1), ("ChainLink", 2, 1)]
    assert kg.nodes() == ["ChainLink:链/上", "ChainLink:链/下", "IndustryChain:链"]     # kind by kind
    kg.add_nodes(K.ChainLink, [("链/中", {"name": "中"})])
    ws.save(kg)                                                   # unwalked: in the table's order
    assert [json.loads(zstd_section)["ids"] for name, zstd_section in _plain_sections(ws) if name == "nodes"] == [
        ["ChainLink:链/上"], ["IndustryChain:链"], ["ChainLink:链/下"], ["ChainLink:链/中"]]
    back = ws.load()
    assert back._lazy_edges.blocks == [("ChainLink", 0, 1), ("IndustryChain", 1, 1), ("ChainLink", 2, 2)]
    assert back.nodes() == ["ChainLink:链/上", "ChainLink:链/下", "ChainLink:链/中", "IndustryChain:链"]
    assert back.inn("IndustryChain:链", R.partOf) == ["ChainLink:链/上", "ChainLink:链/下"]
    assert back.count(K.ChainLink) == 3
    back._succ                                                    # walked: saved kind by kind again
    ws.save(back)
    assert [json.loads(s)["ids"] for name, s in _plain_sections(ws) if name == "nodes"] == [
        ["ChainLink:链/上", "ChainLink:链/下", "ChainLink:链/中"], ["IndustryChain:链"]]
    again = ws.load()
    assert again.nodes() == back.nodes() and again == back


def _plain_sections(ws):
    """[(name, unpacked bytes)] of the workspace file."""
    import zstandard
    dec = zstandard.ZstdDecompressor()
    return [(name, dec.decompress(b)) for name, b in _sections(ws)]


def test_a_binary_column_that_would_unpack_past_its_rows_is_refused(ws):
    import zstandard
    ws.save(_rich_graph())
    line, _, body = ws.graph_file.read_bytes().partition(b"\n")
    h = json.loads(line)
    names = [s[0] for s in h["sections"]]
    i = names.index("col:asOf")
    bomb = zstandard.ZstdCompressor(level=19).compress(bytes(64 << 20))     # 64 MB of zeros: codes in range
    at = sum(s[1] for s in h["sections"][:i])
    body = body[:at] + bomb + body[at + h["sections"][i][1]:]
    h["sections"][i] = ["col:asOf", len(bomb), 64 << 20]
    ws.graph_file.write_bytes(json.dumps(h).encode() + b"\n" + body)
    with pytest.raises(WorkspaceCorruptError, match="is damaged.*col:asOf section declares"):
        ws.load()
    h["sections"][i] = ["col:asOf", len(bomb)]
    ws.graph_file.write_bytes(json.dumps(h).encode() + b"\n" + body)
    with pytest.raises(WorkspaceCorruptError, match="is damaged.*declares no unpacked length"):
        ws.load()


@pytest.mark.parametrize("codec", ["zstd", None])
def test_a_truncated_section_is_refused_clearly(ws, codec):
    """A section shorter than the header says (the file cut short, or one section cut and the
    header made to agree) is refused with a message that says so, never read short."""
    import zstandard
    ws.save(_rich_graph())
    line, _, body = ws.graph_file.read_bytes().partition(b"\n")
    h = json.loads(line)
    ws.graph_file.write_bytes(line + b"\n" + body[:-7])
    with pytest.raises(WorkspaceCorruptError, match="is damaged.*truncated file"):
        ws.load()
    dec = zstandard.ZstdDecompressor()
    raw, at = [], 0
    for name, n, declared in h["sections"]:
        raw.append((name, dec.decompress(body[at:at + n]), declared))
        at += n
    i = [name for name, _, _ in raw].index("edges")
    name, data, declared = raw[i]
    raw[i] = (name, data[:-5], declared)                           # the section cut, its declared length kept
    blobs = [zstandard.ZstdCompressor().compress(d) if codec else d for _, d, _ in raw]
    h["codec"] = codec
    h["sections"] = [[name, len(b), declared] for (name, _, declared), b in zip(raw, blobs)]
    ws.graph_file.write_bytes(json.dumps(h).encode() + b"\n" + b"".join(blobs))
    says = "edges section would unpack to" if codec else "edges section holds .* bytes, not the .* the header declares"
    with pytest.raises(WorkspaceCorruptError, match="is damaged.*" + says):
        ws.load()
    if codec:                                                      # a frame that does not say its length
        c = zstandard.ZstdCompressor(write_content_size=False)
        blobs[i] = c.compress(raw[i][1])
        h["sections"][i][1] = len(blobs[i])
        ws.graph_file.write_bytes(json.dumps(h).encode() + b"\n" + b"".join(blobs))
        with pytest.raises(WorkspaceCorruptError, match="is damaged.*edges section does not record"):
            ws.load()


def _saved_with_equal_attributes(ws):
    """Two links of one chain saved with edges carrying equal attributes (and a pair joined by two
    relations); the workspace's graph read back, unwired, with the links' and chain's ids."""
    kg = KnowledgeGraph()
    c = kg.add_node(K.IndustryChain, "链")
    a = kg.add_node(K.ChainLink, "链/上", name="上")
    b = kg.add_node(K.ChainLink, "链/下", name="下")
    kg.add_edge(a, R.partOf, c, source="l.csv:row 2", asOf="2026-11-27")
    kg.add_edge(b, R.partOf, c, source="l.csv:row 2", asOf="2026-11-27")
    kg.add_edge(a, R.supplies, b, source="l.csv:row 2", asOf="2026-11-27")
    kg.add_edge(a, R.subLinkOf, b)
    ws.save(kg)
    return ws.load(), a, b, c


def test_edges_read_with_equal_attributes_change_one_at_a_time(ws):
    back, a, b, c = _saved_with_equal_attributes(ws)
    back.add_edge(a, R.partOf, c, note="x")
    assert back.edge_attrs(a, R.partOf, c) == {"source": "l.csv:row 2", "asOf": "2026-11-27", "note": "x"}
    assert back.edge_attrs(b, R.partOf, c) == {"source": "l.csv:row 2", "asOf": "2026-11-27"}
    assert back.edge_attrs(a, R.supplies, b) == {"source": "l.csv:row 2", "asOf": "2026-11-27"}
    back.add_edges(R.supplies, [(a, b, {"asOf": "2026-11-28"})])
    assert back.edge_attrs(a, R.supplies, b) == {"source": "l.csv:row 2", "asOf": "2026-11-28"}
    assert back.edge_attrs(b, R.partOf, c)["asOf"] == "2026-11-27"
    assert back.neighbours(a) == [(R.partOf, c), (R.supplies, b), (R.subLinkOf, b)]
    assert back.neighbours(b, "in") == [(R.supplies, a), (R.subLinkOf, a)]
    assert back.inn(c, R.partOf) == [a, b]
    ws.save(back)
    assert ws.load() == back


def test_edges_read_with_equal_attributes_change_one_at_a_time_unwired(ws):
    """The same changes on a graph whose edges were never walked: they go into the edge table
    (rows with equal values share codes there), and only the edge changed gets the new value."""
    back, a, b, c = _saved_with_equal_attributes(ws)
    assert back.add_edges(R.partOf, [(a, c, {"note": "x"})]) == 0
    assert back.add_edges(R.supplies, [(a, b, {"asOf": "2026-11-28"})]) == 0
    assert back._lazy_edges is not None                            # not wired: changed in the table
    ws.save(back)
    again = ws.load()
    for g in (again, back):                                        # read back unwired, and wired now
        assert g.edge_attrs(a, R.partOf, c) == {"source": "l.csv:row 2", "asOf": "2026-11-27", "note": "x"}
        assert g.edge_attrs(b, R.partOf, c) == {"source": "l.csv:row 2", "asOf": "2026-11-27"}
        assert g.edge_attrs(a, R.supplies, b) == {"source": "l.csv:row 2", "asOf": "2026-11-28"}
        assert g.edge_attrs(a, R.subLinkOf, b) == {}
        assert g.neighbours(a) == [(R.partOf, c), (R.supplies, b), (R.subLinkOf, b)]
    assert again == back


# ---------------------------------------------------------------------- node sections saved again as read
def _sections(ws):
    """[(name, stored bytes)] of the workspace file, in order."""
    line, _, body = ws.graph_file.read_bytes().partition(b"\n")
    out, at = [], 0
    for name, n, _ in json.loads(line)["sections"]:
        out.append((name, body[at:at + n]))
        at += n
    return out


def _links_graph(n=5):
    kg = KnowledgeGraph()
    kg.add_node(K.IndustryChain, "链")
    kg.add_nodes(K.ChainLink, [(f"链/环{i}", {"name": f"环{i}", "stage": "中游"}) for i in range(n)])
    kg.add_nodes(K.Region, [("南宁市", {"regionType": "设区市"})])
    kg.add_edges(R.partOf, [(f"ChainLink:链/环{i}", "IndustryChain:链") for i in range(n)])
    return kg


@pytest.fixture
def small_sections(monkeypatch):
    """Node sections of 2 nodes, each kept for saving again (as 16,384+ nodes are in real use)."""
    from kjqg_graph import workspace
    monkeypatch.setattr(workspace, "NODE_CHUNK", 2)
    monkeypatch.setattr(workspace, "REUSE_MIN", 2)


def test_unchanged_node_sections_are_saved_again_byte_for_byte(ws, small_sections):
    ws.save(_links_graph())
    first = _sections(ws)
    assert [n for n, _ in first][:5] == ["nodes"] * 5          # 环0 环1 | 环2 环3 | 环4 | 链 | 南宁市
    kg = ws.load()
    kg.add_nodes(K.ChainLink, [("链/环5", {"name": "环5", "stage": "下游"})])
    kg.add_edges(R.partOf, [("ChainLink:链/环5", "IndustryChain:链")])
    ws.save(kg)
    second = _sections(ws)
    assert second[:2] == first[:2]                              # the two full ChainLink sections as read
    assert [json.loads(b)["ids"] for name, b in _plain_sections(ws)[2:6]] == [   # unwalked: the table's order
        ["ChainLink:链/环4"], ["IndustryChain:链"], ["Region:南宁市"], ["ChainLink:链/环5"]]
    back = ws.load()
    assert back.nodes(K.ChainLink) == [f"ChainLink:链/环{i}" for i in range(6)]
    assert back.attrs("ChainLink:链/环5") == {"kind": "ChainLink", "name": "环5", "stage": "下游"}
    assert back.attrs("ChainLink:链/环0") == {"kind": "ChainLink", "name": "环0", "stage": "中游"}
    assert sorted(back.inn("IndustryChain:链", R.partOf)) == [f"ChainLink:链/环{i}" for i in range(6)]
    assert back == kg


@pytest.mark.parametrize("change, expect", [
    (lambda kg: kg.set_attrs("ChainLink:链/环1", stage="上游"), {"ChainLink:链/环1": "上游"}),
    (lambda kg: kg.add_node(K.ChainLink, "链/环3", stage="下游"), {"ChainLink:链/环3": "下游"}),
    (lambda kg: kg.add_nodes(K.ChainLink, [("链/环0", {"stage": "上游"})]), {"ChainLink:链/环0": "上游"}),
    (lambda kg: kg.add_node_columns(K.ChainLink, ["链/环2", "链/环9"], {"stage": ["下游", "上游"]}),
     {"ChainLink:链/环2": "下游", "ChainLink:链/环9": "上游"}),
    (lambda kg: kg.set_attrs("ChainLink:链/环4", stage=None), {"ChainLink:链/环4": None}),
])
def test_a_node_changed_through_the_graph_is_saved(ws, small_sections, change, expect):
    ws.save(_links_graph())
    kg = ws.load()
    change(kg)
    ws.save(kg)
    back = ws.load()
    stages = {f"ChainLink:链/环{i}": "中游" for i in range(5)}
    stages.update(expect)
    assert {n: back.get(n, "stage") for n in back.nodes(K.ChainLink)} == stages
    assert back == kg


def test_a_removed_node_is_not_saved_again(ws, small_sections):
    ws.save(_links_graph())
    kg = ws.load()
    kg.remove_node("ChainLink:链/环1")
    ws.save(kg)
    back = ws.load()
    assert back.nodes(K.ChainLink) == ["ChainLink:链/环0", "ChainLink:链/环2", "ChainLink:链/环3", "ChainLink:链/环4"]
    assert back.edge_count(R.partOf) == 4


def test_a_node_dict_replaced_or_grown_behind_the_graphs_back_is_still_saved(ws, small_sections):
    """Not the way to change a node (set_attrs is), but a save notices a dict that is not the one
    read, or holds another number of attributes, and makes that section again."""
    ws.save(_links_graph())
    kg = ws.load()
    kg._node["ChainLink:链/环0"] = {"kind": "ChainLink", "name": "环0", "stage": "上游"}
    kg._node["ChainLink:链/环3"]["note"] = "加"
    ws.save(kg)
    back = ws.load()
    assert back.get("ChainLink:链/环0", "stage") == "上游"
    assert back.get("ChainLink:链/环3", "note") == "加"


def test_sections_read_uncompressed_are_not_copied_into_a_compressed_file(ws, small_sections, monkeypatch):
    from kjqg_graph import workspace
    monkeypatch.setattr(workspace, "_zstd", lambda: None)
    ws.save(_links_graph())
    kg = ws.load()
    monkeypatch.undo()                                          # (also REUSE_MIN back to 16,384)
    monkeypatch.setattr(workspace, "REUSE_MIN", 2)
    monkeypatch.setattr(workspace, "NODE_CHUNK", 2)
    kg.add_nodes(K.ChainLink, [("链/环5", {"name": "环5"})])
    ws.save(kg)
    assert json.loads(ws.graph_file.read_bytes().partition(b"\n")[0])["codec"] == "zstd"
    back = ws.load()
    assert back.nodes(K.ChainLink) == [f"ChainLink:链/环{i}" for i in range(6)]
    assert back.attrs("ChainLink:链/环1") == {"kind": "ChainLink", "name": "环1", "stage": "中游"}
