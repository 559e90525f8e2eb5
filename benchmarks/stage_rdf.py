"""RDF stages: rdf-export (N-Triples writer), rdf-import (pyoxigraph parse -> KnowledgeGraph),
sparql-gaps (every .rq question on pyoxigraph; rdflib too up to 10k enterprises, or always with
KJQG_BENCH_RDFLIB=1)."""
import gc
import os
import time


def _graph(ctx):
    from kjqg_graph.workspace import Workspace
    kg = Workspace(ctx.workspace()).load()
    kg._succ                                     # wire edges outside the timing
    return kg


def rdf_export(ctx):
    """Write the whole graph as N-Triples (fast writer, no rdflib)."""
    from kjqg_graph.rdf.ntriples import write_ntriples
    kg = _graph(ctx)
    out = ctx.dir / "graph.nt"
    t = time.perf_counter()
    with open(out, "wb") as f:
        n = write_ntriples(kg, f)
    dt = time.perf_counter() - t
    return {"seconds": dt, "triples": n, "triples_per_s": round(n / dt), "mb": round(out.stat().st_size / 1e6, 1)}


def rdf_import(ctx):
    """Parse the N-Triples export with pyoxigraph and build the KnowledgeGraph (checked)."""
    from kjqg_graph.rdf.ntriples import read_rdf, write_ntriples
    out = ctx.dir / "graph.nt"
    if not out.exists():
        with open(out, "wb") as f:
            write_ntriples(_graph(ctx), f)
    n = sum(1 for _ in open(out, "rb"))
    gc.collect()
    t = time.perf_counter()
    kg = read_rdf(out)
    dt = time.perf_counter() - t
    return {"seconds": dt, "triples": n, "triples_per_s": round(n / dt), "nodes": len(kg)}


def sparql_gaps(ctx):
    """Every named SPARQL question on pyoxigraph (and rdflib at small scales): seconds per question."""
    from kjqg_graph.rdf.store import OxigraphStore, RdflibStore, query_names
    kg = _graph(ctx)
    t = time.perf_counter()
    ox = OxigraphStore(kg)
    load = time.perf_counter() - t
    res = {"oxigraph_load_s": round(load, 2), "triples": ox.triples}
    worst = 0.0
    for name in query_names():
        t = time.perf_counter()
        rows, _ = ox.select(name)
        dt = time.perf_counter() - t
        worst = max(worst, dt)
        res[f"ox_{name}_s"] = round(dt, 3)
        res[f"rows_{name}"] = len(rows)
    if ctx.scale <= 10_000 or os.environ.get("KJQG_BENCH_RDFLIB"):
        t = time.perf_counter()
        rl = RdflibStore(kg)
        res["rdflib_load_s"] = round(time.perf_counter() - t, 2)
        for name in query_names():
            t = time.perf_counter()
            rl.select(name)
            res[f"rdflib_{name}_s"] = round(time.perf_counter() - t, 3)
    res["seconds"] = worst
    return res


STAGES = {"rdf-export": rdf_export, "rdf-import": rdf_import, "sparql-gaps": sparql_gaps}
