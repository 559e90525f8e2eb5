"""Foundation stages: synth, open, save."""
import json
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


def open_stats(ctx):
    """`kjqg stats` end to end: start Python, open the workspace, print the counts."""
    ws = ctx.workspace()
    ctx.kjqg("-w", str(ws), "stats")               # warm the page cache once
    dt = ctx.kjqg("-w", str(ws), "stats")
    size = (ws / "graph.kjqg").stat().st_size
    return {"seconds": dt, "end_to_end": True, "workspace_mb": round(size / 1e6, 1)}


def open_wired(ctx):
    """Open the workspace in-process and wire every edge into the adjacency (what a gap query pays)."""
    from kjqg_graph.workspace import Workspace
    ws = Workspace(ctx.workspace())
    t = time.perf_counter()
    kg = ws.load()
    t1 = time.perf_counter()
    kg._succ                                        # forces the adjacency
    t2 = time.perf_counter()
    return {"seconds": t2 - t, "read_s": round(t1 - t, 3), "wire_s": round(t2 - t1, 3),
            "nodes": len(kg), "edges": kg.edge_count()}


def save(ctx):
    """Save the whole graph to a fresh workspace folder (atomic write with fsync)."""
    from kjqg_graph.workspace import Workspace
    kg = Workspace(ctx.workspace()).load()
    kg._succ
    target = Workspace(ctx.dir / "save-bench")
    target.path.mkdir(exist_ok=True)
    t = time.perf_counter()
    target.save(kg)
    dt = time.perf_counter() - t
    return {"seconds": dt, "workspace_mb": round(target.graph_file.stat().st_size / 1e6, 1)}


STAGES = {"synth": synth, "open": open_stats, "open-wired": open_wired, "save": save}
