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


def _params(kg, name, iris):
    """The bindings a file is timed with (made before the clock starts: minting the IRI map alone
    takes ~0.3 s at 100k, and was once inside every file's figure)."""
    from kjqg_graph.rdf.store import Iri
    from kjqg_graph.vocab import K
    if name == "scope":          # the region with the most places / nodes located in it
        regions = sorted(kg.nodes(K.Region), key=lambda n: -len(kg.inn(n, "locatedIn")))
        return {"region": Iri(iris[regions[0]])}
    if name == "gap_candidates_technology":
        t = sorted(kg.nodes(K.KeyTechnology))[0]
        link = next(l for l in kg.inn(t, "requires"))
        chain = next(c for c in kg.out(link, "partOf"))
        return {"subject": Iri(iris[t]), "chain": Iri(iris[chain])}
    if name.startswith("gap_candidates_"):
        return {"subject": Iri(iris[sorted(kg.nodes(K.ChainLink))[0]])}
    if name == "node_regions":   # the largest kind (the enterprise list asks it; others ask smaller kinds)
        return {"kind": Iri(kg.vocab.namespace + K.Enterprise)}
    if name in ("node_name", "node_places"):    # one node, as the backend asks them
        return {"subject": Iri(iris[sorted(kg.nodes(K.Enterprise))[0]])}
    return {}


class _Timed:
    """Wraps a store: the seconds during which at least one select() or select_json() was running
    (the query and its rows crossing into Python). The rdf backend runs some files on two worker threads at once, so
    the intervals are merged (their union), not summed; ``cpu`` would be the wrong measure too."""

    def __init__(self, store):
        import threading
        self.store, self.calls, self._spans, self._lock = store, 0, [], threading.Lock()

    def __getattr__(self, name):                 # iris / ids / concurrent: the store's own
        return getattr(self.store, name)

    @property
    def seconds(self):
        total, end = 0.0, None
        for a, b in sorted(self._spans):
            if end is None or a > end:
                total += b - a
                end = b
            elif b > end:
                total += b - end
                end = b
        return total

    def reset(self):
        self._spans, self.calls = [], 0

    def _timed(self, fn, *args, **params):
        t = time.perf_counter()
        try:
            return fn(*args, **params)
        finally:
            with self._lock:
                self._spans.append((t, time.perf_counter()))
                self.calls += 1

    def select(self, name, **params):
        return self._timed(self.store.select, name, **params)

    def select_json(self, name):                 # a prefetched file, on a worker thread
        return self._timed(self.store.select_json, name)


def sparql_gaps(ctx):
    """What is timed:

    - ``oxigraph_load_s`` (reported apart, it is the *import*): the lean triples written as
      N-Triples, bulk-loaded into pyoxigraph, and the IRI <-> node id maps the store keeps.
    - ``ox_<file>_s``: each .rq file run on that already-loaded store, rows fetched into Python.
    - ``question_<q>_s``: each named question of the rdf backend on the already-loaded store with a
      *fresh* backend (no rows cached from another question: what one ``kjqg ... --backend rdf``
      pays once the store is loaded), all chains, no region; split into ``_sparql_s`` (while a query
      ran: its evaluation and rows into Python) and ``_python_s`` (the rest: assembly with no query
      running), with the number of queries. ``gaps`` is the
      whole ``kjqg gaps`` answer with candidates (top 5 per basis); ``gap_candidates`` the
      candidates alone, timed after the gap rows on the same backend (it takes them as input, and
      reuses the rows those questions fetched: support paths, enterprise links, flags).
    - ``seconds`` (the stage's headline): the slowest of the 13 named questions as above
      (``worst_question_s``); ``worst_rq_s`` is the slowest single .rq file (``enterprise_list.rq``,
      the one-file form the backend no longer reads, is kept for other stores and timed too).
    - ``cli_gaps_rdf_s``: what a user waits for end to end — ``kjqg gaps --backend rdf --format
      json`` in a fresh process: open the workspace, load the store (the ``oxigraph_load_s`` above),
      every gap question, the candidates and the JSON.
    - rdflib on the same files (``rdflib_load_s`` and ``rdflib_<file>_s``): the files named in
      KJQG_BENCH_RDFLIB, comma-separated, all with =all, none with =none; unset: all at <=10k
      enterprises, none above; ``rdflib_question_<q>_s`` for the questions named in
      KJQG_BENCH_RDFLIB_Q (comma-separated, or =all)."""
    from kjqg_graph.backends.rdf import RdfBackend
    from kjqg_graph.rdf.store import OxigraphStore, RdflibStore, query_names
    kg = _graph(ctx)
    t = time.perf_counter()
    ox = OxigraphStore(kg)
    res = {"oxigraph_load_s": round(time.perf_counter() - t, 2), "lean_triples": ox.triples}
    worst = 0.0
    for name in query_names():
        params = _params(kg, name, ox.iris)
        t = time.perf_counter()
        rows, _ = ox.select(name, **params)
        dt = time.perf_counter() - t
        worst = max(worst, dt)
        res[f"ox_{name}_s"] = round(dt, 3)
        res[f"rows_{name}"] = len(rows)
    res["worst_rq_s"] = round(worst, 3)
    worst_q = 0.0
    questions = sorted(RdfBackend.native) + ["gaps"]
    for q in questions:
        timed = _Timed(ox)
        b = RdfBackend(kg=kg)
        b._store = timed
        t = time.perf_counter()
        if q == "chain_links":
            for c in kg.nodes("IndustryChain"):
                b.chain_links(c)
        elif q == "gap_candidates":
            rows = b.raw_gaps(None, None)
            timed.reset()
            t = time.perf_counter()
            b.gap_candidates(None, None, None, rows, per_basis=5)
        else:
            getattr(b, q)(None, None)
        dt = time.perf_counter() - t
        if q != "gaps":                          # the assembled answer, not a named question
            worst_q = max(worst_q, dt)
        res[f"question_{q}_s"] = round(dt, 3)
        res[f"question_{q}_sparql_s"] = round(timed.seconds, 3)
        res[f"question_{q}_python_s"] = round(dt - timed.seconds, 3)
        res[f"question_{q}_queries"] = timed.calls
    res["worst_question_s"] = round(worst_q, 3)
    # the enterprise list of one chain (the largest, as the lists stage), as `kjqg lists --chain` asks
    # it; not part of the headline (which is every question for all chains)
    from stage_analysis import _largest_chain
    chain = _largest_chain(kg)
    timed = _Timed(ox)
    b = RdfBackend(kg=kg)
    b._store = timed
    t = time.perf_counter()
    rows = b.enterprise_list(chain, None)
    res["question_enterprise_list_largest_chain_s"] = round(time.perf_counter() - t, 3)
    res["question_enterprise_list_largest_chain_sparql_s"] = round(timed.seconds, 3)
    res["rows_enterprise_list_largest_chain"] = len(rows)
    res["cli_gaps_rdf_s"] = round(ctx.kjqg("-w", str(ctx.workspace()), "gaps", "--backend", "rdf", "--format", "json"), 2)
    want = os.environ.get("KJQG_BENCH_RDFLIB", "")
    if want == "none":
        names = []
    elif want == "all" or (not want and ctx.scale <= 10_000):
        names = query_names()
    else:
        names = [n for n in want.split(",") if n]
    want_q = os.environ.get("KJQG_BENCH_RDFLIB_Q", "")
    qnames = questions if want_q == "all" else [q for q in want_q.split(",") if q]
    if names or qnames:
        t = time.perf_counter()
        rl = RdflibStore(kg)
        res["rdflib_load_s"] = round(time.perf_counter() - t, 2)
        for name in names:
            params = _params(kg, name, rl.iris)
            t = time.perf_counter()
            rl.select(name, **params)
            res[f"rdflib_{name}_s"] = round(time.perf_counter() - t, 3)
        for q in qnames:
            b = RdfBackend(kg=kg, store="rdflib")
            b._store = rl
            t = time.perf_counter()
            if q == "gaps":
                b.gaps(None, None)
            elif q == "chain_links":
                for c in kg.nodes("IndustryChain"):
                    b.chain_links(c)
            else:
                getattr(b, q)(None, None)
            res[f"rdflib_question_{q}_s"] = round(time.perf_counter() - t, 3)
    res["seconds"] = worst_q
    return res


STAGES = {"rdf-export": rdf_export, "rdf-import": rdf_import, "sparql-gaps": sparql_gaps}
