"""Foundation stages: synth, open, open-full, open-wired, save."""
import os
import time


def synth(ctx):
    """Generate the synthetic list files (in-process)."""
    from kjqg_graph.synth import write_synth
    out = ctx.dir / "synth-bench"
    t = time.perf_counter()
    files = write_synth(out, enterprises=ctx.scale, seed=1)
    dt = time.perf_counter() - t
    return {"seconds": dt, "files_mb": round(sum(f.stat().st_size for f in files) / 1e6, 1)}


def _workspace(ctx):
    """The scale's workspace, rewritten in the current format first if an older kjqg made it."""
    from kjqg_graph.workspace import FORMAT_VERSION, Workspace
    ws = Workspace(ctx.workspace())
    if ws.read_header()["version"] < FORMAT_VERSION:
        ws.save(ws.load())                          # not timed: a one-off upgrade of the cached fixture
    return ws


def open_stats(ctx):
    """`kjqg stats` end to end: start Python, open the workspace, print the counts.

    `kjqg stats` reads and checks the whole file and counts the graph (edges stay unwired: counting
    needs no adjacency); stage `open-full` also wires every edge and walks the chains.
    """
    ws = _workspace(ctx).path
    ctx.kjqg("-w", str(ws), "stats")               # warm the page cache once
    dt = ctx.kjqg("-w", str(ws), "stats")
    size = (ws / "graph.kjqg").stat().st_size
    return {"seconds": dt, "end_to_end": True, "workspace_mb": round(size / 1e6, 1)}


def open_full(ctx):
    """`kjqg chains` end to end: start Python, read the whole graph, wire every edge, walk the chains."""
    ws = _workspace(ctx).path
    ctx.kjqg("-w", str(ws), "stats")               # warm the page cache once
    dt = ctx.kjqg("-w", str(ws), "chains")
    return {"seconds": dt, "end_to_end": True}


def open_wired(ctx):
    """Open the workspace in-process and wire every edge into the adjacency (what a gap query pays).

    Format 3 reads and builds section by section: ``read_nodes_s`` (unpack, parse and keep the node
    chunks) and ``read_edges_s`` (the edge table's columns into arrays, checked); ``parse``/``build``
    are format 2's split. ``read_mb``/``wired_mb``: RSS growth of the read and of the wiring."""
    ws = _workspace(ctx)
    r0 = _rss()
    t = time.perf_counter()
    kg = ws.load()
    t1 = time.perf_counter()
    r1 = _rss()
    kg._succ                                        # forces the adjacency
    t2 = time.perf_counter()
    return {"seconds": t2 - t, "read_s": round(t1 - t, 3), "wire_s": round(t2 - t1, 3),
            **{f"read_{k}_s": round(v, 3) for k, v in ws.timings.items()},
            "read_mb": round(r1 - r0), "wired_mb": round(_rss() - r1),
            "nodes": len(kg), "edges": kg.edge_count()}


def _rss():
    """This process's resident memory now, in MB (Linux)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return 0.0


def save(ctx):
    """Save the whole (wired) graph to a fresh workspace folder (atomic write with fsync)."""
    from kjqg_graph.workspace import Workspace
    kg = _workspace(ctx).load()
    kg._succ                                        # a graph a command has walked: saved from its adjacency
    target = Workspace(ctx.dir / "save-bench")
    target.path.mkdir(exist_ok=True)
    t = time.perf_counter()
    target.save(kg)
    dt = time.perf_counter() - t
    return {"seconds": dt, **{f"{k}_s": round(v, 3) for k, v in target.timings.items()},
            "workspace_mb": round(target.graph_file.stat().st_size / 1e6, 1)}


STAGES = {"synth": synth, "open": open_stats, "open-full": open_full, "open-wired": open_wired, "save": save}
