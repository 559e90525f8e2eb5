"""Neo4j stages: push of the synthetic graph (vs naive one-row-per-transaction MERGE) and the gap
questions in Cypher. Needs a running server (scripts/neo4j.sh start; NEO4J_* env)."""
import os
import time


def _conn():
    from kjqg_graph.neo4j import Neo4jSettings, connect
    return connect(Neo4jSettings.resolve(password=os.environ.get("NEO4J_PASSWORD", "kjqg-test-password")))


def _graph(ctx):
    from kjqg_graph.workspace import Workspace
    kg = Workspace(ctx.workspace()).load()
    kg._succ
    return kg


def _server_cpu():
    """CPU seconds the local server (scripts/neo4j.sh) has used so far, or None when not local."""
    try:
        pid = int(open(os.path.join(os.environ.get("KJQG_NEO4J_HOME", "/tmp/kjqg-neo4j"), "run", "neo4j.pid")).read())
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


def _naive(kg, conn, per_kind=200):
    """One row per transaction, each with a plain MERGE (nodes by label + id, relationships between
    nodes MATCHed by label + id), into the empty database: a sample of every kind's nodes, then the
    relationships among them (about three per node, as in the whole graph). Rows per second."""
    from kjqg_graph.neo4j.connection import label
    from kjqg_graph.neo4j.sync import _edge_rows, _node_rows
    nodes = [(k, r) for k, rows in _node_rows(kg).items() for r in rows[:per_kind]]
    have = {r["id"] for _, r in nodes}
    rels = [(key, row) for key, rows in sorted(_edge_rows(kg).items()) for row in rows
            if row[0] in have and row[1] in have][:3 * len(nodes)]
    t = time.perf_counter()
    for kind, row in nodes:
        conn.write(f"UNWIND $rows AS row MERGE (n:KjqgNode {{id: row.id}}) SET n = row, n:{label(kind)}", rows=[row])
    for (rel, ku, kv), row in rels:
        conn.write(f"UNWIND $rows AS row MATCH (a:{label(ku)} {{id: row[0]}}) MATCH (b:{label(kv)} {{id: row[1]}}) "
                   f"MERGE (a)-[r:{label(rel)}]->(b) SET r = row[2]", rows=[row])
    dt = time.perf_counter() - t
    return (len(nodes) + len(rels)) / dt, len(nodes), len(rels)


def neo4j_push(ctx):
    """Push the whole graph into an empty database (once to warm the server, then timed), push it
    again (all MERGE), and a naive
    one-row-per-transaction MERGE of a sample into the empty database, for the ratio."""
    from kjqg_graph.neo4j import clear, counts, ensure_schema, push
    kg = _graph(ctx)
    batch = int(os.environ.get("KJQG_PUSH_BATCH", "0")) or None
    workers = int(os.environ.get("KJQG_PUSH_WORKERS", "0")) or None
    opts = {k: v for k, v in (("batch_size", batch), ("workers", workers)) if v}
    with _conn() as conn:
        clear(conn, 50_000)
        ensure_schema(conn)
        naive, naive_nodes, naive_rels = _naive(kg, conn)
        clear(conn, 50_000)
        # The first push into a freshly started server also pays for the JVM compiling the write
        # path (server CPU ~2x): reported as cold_*, then the timed push runs on a warm server.
        w0 = _server_cpu()
        cold = push(kg, conn, **opts) if ctx.scale < 1_000_000 else None
        w1 = _server_cpu()
        if cold:
            clear(conn, 50_000)
        c0, p0 = _server_cpu(), time.process_time()
        rep = push(kg, conn, **opts)
        c1, p1 = _server_cpu(), time.process_time()
        again = push(kg, conn, **opts) if ctx.scale < 1_000_000 else None   # idempotent re-push (all MERGE)
        same = counts(conn) == kg.counts()
    out = {"seconds": rep.seconds, "rows": rep.nodes + rep.relationships, "nodes": rep.nodes,
           "relationships": rep.relationships, "rows_per_s": round(rep.rows_per_second),
           "repush_rows_per_s": round(again.rows_per_second) if again else None,
           "repush_s": round(again.seconds, 2) if again else None,
           "naive_rows_per_s": round(naive, 1), "naive_rows": naive_nodes + naive_rels,
           "ratio_vs_naive": round(rep.rows_per_second / naive, 1), "counts_equal": same,
           "client_cpu_s": round(p1 - p0, 2), "cold_rows_per_s": round(cold.rows_per_second) if cold else None,
           "cold_server_cpu_s": round(w1 - w0, 2) if cold and w0 is not None and w1 is not None else None,
           "load_avg": round(os.getloadavg()[0], 2), **opts, **rep.phases}
    if c0 is not None and c1 is not None:
        out["server_cpu_s"] = round(c1 - c0, 2)
        out["rows_per_server_cpu_s"] = round(out["rows"] / max(c1 - c0, 1e-9))
    return out


def neo4j_gaps(ctx):
    """Every named question in Cypher on the pushed graph (run after neo4j-push): each timed warm
    (plan cache), whole chains, no region; leaders on the largest chain; gaps = the assembled
    answer of `kjqg gaps --backend neo4j` (raw questions + candidates + shared scoring);
    gap_candidates includes the six raw gap questions it takes as input; what_if_spof = `kjqg
    what-if` without --remove, what_if_remove = one enterprise removed (both Cypher)."""
    from kjqg_graph.backends.neo4j import Neo4jBackend
    out = {}
    with _conn() as conn, Neo4jBackend(conn=conn) as b:
        largest = conn.read_values("MATCH (c:IndustryChain)<-[:partOf]-(:ChainLink)<-[:inLink]-(e) "
                                   "RETURN c.id, count(e) AS n ORDER BY n DESC LIMIT 1")[0][0]
        asks = {q: (lambda q=q: getattr(b, q)(None, None)) for q in (
            "enterprise_list", "resource_list", "technology_list", "innovation_gaps", "technology_gaps",
            "missing_links", "weak_links", "sanwu_enterprises", "idle_innovation", "chain_scores", "link_scores")}
        asks["leaders"] = lambda: b.leaders(largest)
        asks["gap_candidates"] = lambda: b.gap_candidates(None, None, None, b.raw_gaps(), per_basis=5)
        asks["gaps"] = lambda: b.gaps(None, None, None, limit=5)
        hub = conn.read_values("MATCH (e:Enterprise {chainLeader: true}) RETURN e.id ORDER BY e.id LIMIT 1")
        asks["what_if_spof"] = lambda: b.what_if(None)                  # single points of failure
        if hub:
            asks["what_if_remove"] = lambda: b.what_if([hub[0][0]])     # one 链主 removed (by id)
        for q, ask in asks.items():
            b._links.clear()
            ask()                                    # warm: plan cache
            b._links.clear()
            t = time.perf_counter()
            n = len(ask())
            out[f"{q}_s"] = round(time.perf_counter() - t, 3)
            out[f"{q}_rows"] = n
    times = {k: v for k, v in out.items() if k.endswith("_s")}
    out["seconds"] = sum(times.values())
    out["max_s"] = max(times.values())
    out["slowest"] = max(times, key=times.get)[:-2]
    return out


STAGES = {"neo4j-push": neo4j_push, "neo4j-gaps": neo4j_gaps}
