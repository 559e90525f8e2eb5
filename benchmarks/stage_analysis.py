"""Analysis stages: all gaps of all chains (library and end to end), the three lists as xlsx.

The floor of ``gaps`` is a bare support scan measured in the same process just before: one
pass over every link's incoming edges, counting ``supports`` and ``inLink`` — the least any
gap answer must read. The ratio seconds/floor is what to watch on a busy machine.
"""
import time


def _wired(ctx):
    from kjqg_graph.workspace import Workspace
    kg = Workspace(ctx.workspace()).load()
    kg._succ
    return kg


def _bare_scan(kg):
    pred = kg._pred
    best = None
    for _ in range(3):
        t = time.perf_counter()
        n = 0
        for l in kg.nodes("ChainLink"):
            for u, kd in pred[l].items():
                if "supports" in kd or "inLink" in kd:
                    n += 1
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best


def gaps(ctx):
    """find_gaps over every chain and kind, with candidates (library, graph already open)."""
    from collections import Counter
    from kjqg_graph.analysis import find_gaps
    kg = _wired(ctx)
    floor = _bare_scan(kg)
    best, found = None, None
    for _ in range(3):
        t = time.perf_counter()
        found = find_gaps(kg)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return {"seconds": best, "floor_seconds": floor, "gaps": len(found),
            "by_kind": dict(sorted(Counter(g.kind for g in found).items())), "parts_s": _gap_parts(kg)}


def _gap_parts(kg):
    """One more run, timed part by part inside find_gaps: each raw question, candidates and
    records of the other kinds, 三无 (sanwu_ids: the R&D flag scan; sanwu_groups: each enterprise's
    (chain, link set) groups; sanwu_links: each link's name, stage and ranked candidates;
    sanwu_gaps: merged candidates, prototypes and records), then sort (the facts freed, the
    buckets joined) and gc (the collector resuming)."""
    from kjqg_graph.analysis import find_gaps
    parts = {}
    t = time.perf_counter()
    find_gaps(kg, _parts=parts)
    parts["total"] = time.perf_counter() - t
    return {k: round(v, 3) for k, v in parts.items()}


_CLI_PHASES = r"""
import gc, json, sys, time
t0 = time.perf_counter()
from kjqg_graph.backends import get_backend
from kjqg_graph.cli.analysis import gaps_json
from kjqg_graph.workspace import Workspace
t1 = time.perf_counter()
with get_backend("memory", Workspace(sys.argv[1])) as b:
    gc.disable()
    b.kg._succ
    t2 = time.perf_counter()
    found = b.gaps(None, None, None, limit=5, candidates=True)
    t3 = time.perf_counter()
    text = gaps_json(found)
    t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "open_wired": t2 - t1, "gaps": t3 - t2, "json": t4 - t3}))
"""


def gaps_cli(ctx):
    """`kjqg gaps --format json` end to end: start Python, open the workspace, every gap.
    ``phases_s``: one more fresh process timing the command's own parts in process (imports,
    opening and wiring the workspace, the gaps, the JSON text); the rest of the end-to-end
    time is the interpreter's start, click and writing the text out."""
    import json
    import subprocess
    import sys
    ws = ctx.workspace()
    ctx.kjqg("-w", str(ws), "gaps", "--format", "json")      # warm the page cache once
    dt = min(ctx.kjqg("-w", str(ws), "gaps", "--format", "json") for _ in range(2))
    out = subprocess.run([sys.executable, "-c", _CLI_PHASES, str(ws)], capture_output=True, text=True)
    phases = {k: round(v, 3) for k, v in json.loads(out.stdout).items()} if out.returncode == 0 else None
    return {"seconds": dt, "end_to_end": True, "phases_s": phases}


def _largest_chain(kg):
    from kjqg_graph.analysis import facts
    f = facts(kg)
    return max(kg.nodes("IndustryChain"),
               key=lambda c: (sum(len(f.enterprises(l)) for _, l in f.ordered(c)), c))


def lists(ctx):
    """The three lists of the largest chain, written as one xlsx (library + writer)."""
    from kjqg_graph.analysis import three_lists
    from kjqg_graph.cli.analysis import LIST_COLUMNS, LIST_TITLES, list_display_rows
    from kjqg_graph.output import write_xlsx
    kg = _wired(ctx)
    chain = _largest_chain(kg)
    out = ctx.dir / "lists-bench.xlsx"
    t = time.perf_counter()
    data = three_lists(kg, chain)
    t1 = time.perf_counter()
    sheets = {LIST_TITLES[w]: list_display_rows(w, data[w], True, "") for w in data}
    write_xlsx(out, sheets, {LIST_TITLES[w]: [h for _, h in LIST_COLUMNS[w]] for w in data})
    dt = time.perf_counter() - t
    return {"seconds": dt, "lists_s": round(t1 - t, 3), "rows": {w: len(v) for w, v in data.items()},
            "xlsx_mb": round(out.stat().st_size / 1e6, 2)}


def lists_cli(ctx):
    """`kjqg lists --chain LARGEST --format xlsx` end to end."""
    from kjqg_graph.workspace import Workspace
    kg = Workspace(ctx.workspace()).load()
    chain = _largest_chain(kg)
    ws = ctx.workspace()
    out = ctx.dir / "lists-cli.xlsx"
    dt = ctx.kjqg("-w", str(ws), "lists", "--chain", chain, "--format", "xlsx", "-o", str(out))
    return {"seconds": dt, "end_to_end": True}


STAGES = {"gaps": gaps, "gaps-cli": gaps_cli, "lists": lists, "lists-cli": lists_cli}
