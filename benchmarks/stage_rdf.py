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


def _params(kg, name):
    from kjqg_graph.rdf.store import Iri
    from kjqg_graph.rdf.terms import node_iris
    from kjqg_graph.vocab import K
    if name == "scope":
        regions = sorted(kg.nodes(K.Region), key=lambda n: -len(kg.inn(n, "locatedIn")))
        return {"region": Iri(node_iris(kg)[regions[0]])}
    return {}


def sparql_gaps(ctx):
    """Every .rq file on pyoxigraph, every native rdf-backend question (SPARQL + Python assembly),
    and rdflib on the same files (all at <=10k enterprises; at larger scales only the files named
    in KJQG_BENCH_RDFLIB, comma-separated, or all with KJQG_BENCH_RDFLIB=all)."""
    from kjqg_graph.backends.rdf import RdfBackend
    from kjqg_graph.rdf.store import OxigraphStore, RdflibStore, query_names
    kg = _graph(ctx)
    t = time.perf_counter()
    ox = OxigraphStore(kg)
    res = {"oxigraph_load_s": round(time.perf_counter() - t, 2), "lean_triples": ox.triples}
    worst = 0.0
    for name in query_names():
        t = time.perf_counter()
        rows, _ = ox.select(name, **_params(kg, name))
        dt = time.perf_counter() - t
        worst = max(worst, dt)
        res[f"ox_{name}_s"] = round(dt, 3)
        res[f"rows_{name}"] = len(rows)
    b = RdfBackend(kg=kg)
    b._store = ox
    for q in sorted(RdfBackend.native):
        t = time.perf_counter()
        if q == "chain_links":
            for c in kg.nodes("IndustryChain"):
                getattr(b, q)(c)
        else:
            getattr(b, q)(None, None)
        res[f"question_{q}_s"] = round(time.perf_counter() - t, 3)
    want = os.environ.get("KJQG_BENCH_RDFLIB", "")
    names = query_names() if (ctx.scale <= 10_000 or want == "all") else [n for n in want.split(",") if n]
    if names:
        t = time.perf_counter()
        rl = RdflibStore(kg)
        res["rdflib_load_s"] = round(time.perf_counter() - t, 2)
        for name in names:
            t = time.perf_counter()
            rl.select(name, **_params(kg, name))
            res[f"rdflib_{name}_s"] = round(time.perf_counter() - t, 3)
    res["seconds"] = worst
    return res


STAGES = {"rdf-export": rdf_export, "rdf-import": rdf_import, "sparql-gaps": sparql_gaps}
