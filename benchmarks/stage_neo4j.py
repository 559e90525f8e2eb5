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


def neo4j_push(ctx):
    """Push the whole graph into an empty database (UNWIND batches), then a naive sample for the ratio."""
    from kjqg_graph.neo4j import clear, ensure_schema, push
    from kjqg_graph.neo4j.sync import _node_rows, node_query
    kg = _graph(ctx)
    with _conn() as conn:
        clear(conn)
        ensure_schema(conn)
        rep = push(kg, conn)
        again = push(kg, conn)                       # idempotent re-push (all MERGE hits)
        # naive: one MERGE per transaction, on a sample of nodes (same query shape, one row each)
        sample = [(k, r) for k, rows in _node_rows(kg).items() for r in rows[:400]][:2000]
        t = time.perf_counter()
        for kind, row in sample:
            conn.write(node_query(kind), rows=[row])
        naive = len(sample) / (time.perf_counter() - t)
    return {"seconds": rep.seconds, "rows": rep.nodes + rep.relationships, "nodes": rep.nodes,
            "relationships": rep.relationships, "rows_per_s": round(rep.rows_per_second),
            "repush_rows_per_s": round(again.rows_per_second), "naive_rows_per_s": round(naive),
            "ratio_vs_naive": round(rep.rows_per_second / naive, 1), **rep.phases}


def neo4j_gaps(ctx):
    """Each named gap/list question in Cypher on the pushed graph (run after neo4j-push)."""
    from kjqg_graph.backends.neo4j import Neo4jBackend
    out = {}
    total = 0.0
    with _conn() as conn, Neo4jBackend(conn=conn) as b:
        for q in ("enterprise_list", "technology_list", "innovation_gaps", "technology_gaps", "missing_links",
                  "weak_links", "sanwu_enterprises", "idle_innovation"):
            getattr(b, q)(None, None)                # warm: plan cache
            t = time.perf_counter()
            n = len(getattr(b, q)(None, None))
            dt = time.perf_counter() - t
            out[f"{q}_s"] = round(dt, 3)
            out[f"{q}_rows"] = n
            total += dt
    out["seconds"] = total
    out["max_s"] = max(v for k, v in out.items() if k.endswith("_s"))
    return out


STAGES = {"neo4j-push": neo4j_push, "neo4j-gaps": neo4j_gaps}
