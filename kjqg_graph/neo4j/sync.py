"""Push a knowledge graph into Neo4j and pull one back.

Shape in Neo4j: every node has the common label ``KjqgNode`` plus the label of its kind, and the
property ``id`` (the graph's node id ``Kind:key``) under a uniqueness constraint (one for the
common label, one per kind, so ``MATCH (:Kind {id: ...})`` is an index seek). The other node
properties are the node's attributes. A relationship's type is the ontology relation; its
properties are the edge attributes (``source``, ``asOf``).

Push is an idempotent sync, in three steps:

1. the constraints (``IF NOT EXISTS``), then ``CALL db.awaitIndexes()`` so every lookup below is an
   index seek on an ONLINE index. Except into a database with no node at all (the count store, O(1)):
   there our constraints are dropped, the nodes are written with ``CREATE`` and the constraints are
   made once the nodes are in, so each index is built once from a scan instead of maintained row by
   row (nodes 8.5 s -> 4.1 s + 1.0 s for the constraints at 100k). They are built from a side session
   while the relationships are written (those find their ends by internal id, no index needed): the
   ~0.7 s of index population no longer holds the relationship batches back (2026-11-29, one server,
   pushes after a warm-up, interleaved: ahead by ~0.5-0.8 s of ~8 s in every A/B block at the same
   server CPU; in the benchmark stage within its run-to-run spread, see BENCHMARKS.md). The push returns
   once they are ONLINE. A push killed before that finds a non-empty database next time:
   constraints first, then MERGE, as below;
2. nodes, per kind: ``UNWIND $rows ... SET n = row`` in batches; a kind with no node in the database
   yet (the count store says so, O(1)) is written with ``CREATE``, otherwise with
   ``MERGE (:KjqgNode {id})``. Each batch hands back the internal ids of its nodes;
3. relationships, per (relation, source kind, target kind): the two ends are found by those
   internal ids (``WHERE id(a) = row[0]``, a direct record seek, no index) and, again, a relation
   type with no relationship in the database yet is written with ``CREATE``, otherwise ``MERGE``.
   The relationship rows are grouped (with the graph's node ids) while the node batches are on the
   server, and each batch's ends become internal ids in the worker that sends it.

The push runs with Python's cyclic collector paused (``gc_paused``): its 10^5 row dicts and 3*10^5
relationship rows hold no cycles, and the ~1,100 collections their allocations set off during a 100k
push took 0.5-0.7 s (measured with gc.callbacks), each holding the GIL while the worker threads had
batches to send (2026-11-29, stage runs on fresh servers, interleaved: client CPU 2.0-2.1 s vs
2.4-2.75 s, see BENCHMARKS.md).

Batches are sent from ``workers`` sessions at once, the relationship batches of every (relation,
kinds) group together (23 of the 28 groups at 100k are one batch each; group by group, one worker
sat idle through each of them); each batch is one managed transaction (a
deadlock between two of them is transient: the driver retries it). Labels and types come from the
ontology only; every value is a parameter. A push killed midway leaves whole batches behind; the
next push finds those kinds and types non-empty and MERGEs over them: no duplicates, nothing lost.
The internal ids live only inside one push (read from the node step, used in the relationship
step, never stored). ``id()`` is deprecated in Neo4j 5 but still supported in 5.26; ``elementId()``
is not free here: measured 2026-11-28 on the 100k push (private 1 GB server, load 2-3.6, two runs
each), relationships 8.5/8.8 s -> 9.4/9.8 s and server CPU 12.3/13.7 -> 13.8/14.2 s (a string per
lookup to send and parse). Switch when a Neo4j release drops ``id()``. ``prune`` then deletes, in batches, what the graph no longer has (nodes by id,
relationships by (type, source id, target id)).
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .._gc import gc_paused
from ..vocab import vocabulary
from .connection import COMMON_LABEL, Connection, label
from ..errors import Neo4jQueryError

__all__ = ["ensure_schema", "push", "pull", "clear", "counts", "PushReport", "node_query", "edge_query",
           "BATCH", "WORKERS"]

BATCH = 5_000            # 20k-row batches cost the server ~1.5x the CPU per row (young-GC copying of
                         # the transaction state): 100k push 20-22 -> 14 server CPU-seconds
WORKERS = 2


@dataclass
class PushReport:
    nodes: int = 0
    relationships: int = 0
    batches: int = 0
    pruned_nodes: int = 0
    pruned_relationships: int = 0
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return (self.nodes + self.relationships) / self.seconds if self.seconds else 0.0


def _constraints():
    """(name, label) of the uniqueness constraints on ``id``: the common label and every kind."""
    return [("kjqg_node_id", COMMON_LABEL)] + [(f"kjqg_{k}_id", k) for k in sorted(vocabulary().kinds)]


def ensure_schema(conn: Connection) -> None:
    """Uniqueness constraints on ``id``: the common label and every kind (no-ops when present).
    Each one in a managed transaction, so a transient error (the push builds them while its
    relationship batches are written) is retried by the driver; ``IF NOT EXISTS`` makes that safe."""
    for name, lb in _constraints():
        conn.write(f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label(lb)}) REQUIRE n.id IS UNIQUE")
    conn.schema("CALL db.awaitIndexes(300)")


def _drop_schema(conn: Connection) -> None:
    """Drop our uniqueness constraints (only ever on an empty database, before a bulk load)."""
    for name, _ in _constraints():
        conn.schema(f"DROP CONSTRAINT {name} IF EXISTS")


def node_query(kind: str, create: bool = False) -> str:
    """Write a batch of ``kind`` nodes (``$rows``: property maps with ``id``); return the ids and
    the internal ids, as two aligned lists in one row. ``create``: the kind has no node yet."""
    common, k = label(COMMON_LABEL), label(kind)
    write = (f"CREATE (n:{common}:{k}) SET n = row" if create
             else f"MERGE (n:{common} {{id: row.id}}) SET n = row, n:{k}")
    return f"UNWIND $rows AS row {write} RETURN collect(row.id) AS keys, collect(id(n)) AS ids"


def edge_query(rel: str, ku: str, kv: str, create: bool = False) -> str:
    """Write a batch of ``rel`` relationships from ``ku`` to ``kv`` nodes (``$rows``: ``[internal id
    of the source, internal id of the target, property map]``); return how many rows were written.
    ``create``: the relation type has no relationship yet."""
    verb = "CREATE" if create else "MERGE"
    return (f"UNWIND $rows AS row MATCH (a:{label(ku)}) WHERE id(a) = row[0] "
            f"MATCH (b:{label(kv)}) WHERE id(b) = row[1] "
            f"{verb} (a)-[r:{label(rel)}]->(b) SET r = row[2] RETURN count(*) AS n")


_SCALARS = (str, int, float, bool)


def _scalar(v):
    return isinstance(v, _SCALARS)


def _node_rows(kg):
    """{kind: [props, ...]} with ``id`` in the props (attributes only, scalars only)."""
    out = {}
    for kind in vocabulary().kinds:
        rows = []
        for n in kg.nodes(kind):
            p = {a: v for a, v in kg.attrs(n).items() if a != "kind" and _scalar(v)}
            p["id"] = n
            rows.append(p)
        if rows:
            out[kind] = rows
    return out


def _edge_rows(kg, ids=None):
    """{(rel, source kind, target kind): [[u, v, props], ...]}; with ``ids`` ({node id: internal
    id}) the ends are the internal ids."""
    out = {}
    for (rel, ku, kv), rows in _edge_groups(kg).items():
        out[(rel, ku, kv)] = [[u, v, d] if ids is None else [ids[u], ids[v], d] for u, v, d in rows]
    return out


def _edge_groups(kg):
    """{(rel, source kind, target kind): [(u, v, props), ...]} with the graph's node ids (props:
    scalars only). One pass over the adjacency, each node's kind looked up once per source."""
    node = kg._node
    out = {}
    for u, nbrs in kg._succ.items():
        ku = node[u]["kind"]
        for v, kd in nbrs.items():
            kv = node[v]["kind"]
            for rel, d in kd.items():
                key = (rel, ku, kv)
                lst = out.get(key)
                if lst is None:
                    lst = out[key] = []
                for x in d.values():
                    if type(x) not in _SCALARS:
                        d = {a: x for a, x in d.items() if _scalar(x)}
                        break
                lst.append((u, v, d))
    return out


def _batches(rows, size):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def push(kg, conn: Connection, *, prune: bool = False, batch_size: int = BATCH, progress=None,
         workers: int = WORKERS, bulk: bool = True) -> PushReport:
    """Sync ``kg`` into the connected database (see module doc). ``progress(n)`` is called per batch.
    ``bulk=False``: constraints first even into an empty database."""
    with gc_paused():
        return _push(kg, conn, prune, batch_size, progress, workers, bulk)


def _push(kg, conn, prune, batch_size, progress, workers, bulk):
    rep = PushReport()
    t0 = time.perf_counter()
    bulk = bulk and _empty(conn, "MATCH (n) RETURN count(n)")
    if bulk:
        _drop_schema(conn)
    else:
        ensure_schema(conn)
    node_rows = _node_rows(kg)
    if bulk:        # no node at all, so no relationship either: every kind and type is new (no count asked)
        new_kinds, new_rels = set(node_rows), set(kg.counts()["edges"])
    else:
        new_kinds = {k for k in node_rows if _empty(conn, f"MATCH (n:{label(k)}) RETURN count(n)")}
        new_rels = {r for r in kg.counts()["edges"] if _empty(conn, f"MATCH ()-[r:{label(r)}]->() RETURN count(r)")}
    t1 = time.perf_counter()
    ids: dict = {}
    with ThreadPoolExecutor(max(1, workers)) as pool, ThreadPoolExecutor(1) as side:
        jobs = [(node_query(kind, create=kind in new_kinds), b, node_query(kind))
                for kind, rows in node_rows.items() for b in _batches(rows, batch_size)]
        done = _run(pool, conn, jobs, rep, progress)
        groups = _edge_groups(kg)      # built while the node batches are on the server
        for keys, nids in done:
            ids.update(zip(keys, nids))
            rep.nodes += len(keys)
        del node_rows, jobs
        t2 = time.perf_counter()
        # Bulk: the constraints are built from a side session while the relationships are written
        # (those find their ends by internal id, not through the indexes; the index population
        # overlaps the relationship batches instead of holding both cores up for ~0.7 s).
        schema = side.submit(ensure_schema, conn) if bulk else None
        # Every group's batches at once (a group of one batch no longer leaves a worker idle),
        # the full batches first so the small ones fill the tail.
        jobs = [(edge_query(rel, ku, kv, create=rel in new_rels), b, None)
                for (rel, ku, kv), rows in sorted(groups.items()) for b in _batches(rows, batch_size)]
        jobs.sort(key=lambda j: -len(j[1]))
        for (n,) in _run(pool, conn, jobs, rep, progress, ends=ids):
            rep.relationships += n
        t3 = time.perf_counter()
        if schema is not None:
            schema.result()
        t35 = time.perf_counter()
    if prune:
        rep.pruned_nodes, rep.pruned_relationships = _prune(kg, conn, batch_size)
    t4 = time.perf_counter()
    rep.seconds = t35 - t0
    rep.phases = {"schema_s": round(t1 - t0, 3), "nodes_s": round(t2 - t1, 3), "bulk": bulk,
                  "relationships_s": round(t3 - t2, 3), "constraints_wait_s": round(t35 - t3, 3),
                  "prune_s": round(t4 - t35, 3),
                  "created_kinds": sorted(new_kinds), "created_relations": sorted(new_rels)}
    return rep


def _empty(conn: Connection, query: str) -> bool:
    return conn.read_values(query)[0][0] == 0


def _run(pool, conn: Connection, jobs, rep: PushReport, progress, ends=None):
    """Submit (query, rows, fallback) batches to the pool at once, each one managed write
    transaction; return an iterator over each batch's single result row, in job order. A CREATE
    batch that meets a node already there (another writer got in first) runs again as the MERGE
    ``fallback``. ``ends`` ({node id: internal id}): the rows are ``(u, v, props)`` and become
    ``[id of u, id of v, props]`` in the worker, just before the batch is sent."""
    def one(job):
        q, rows, fallback = job
        if ends is not None:
            rows = [[ends[u], ends[v], d] for u, v, d in rows]
        try:
            return conn.write_values(q, rows=rows)[0]
        except Neo4jQueryError as e:
            if fallback is None or "ConstraintValidationFailed" not in str(e):
                raise
            return conn.write_values(fallback, rows=rows)[0]
    results = pool.map(one, jobs)

    def collect():
        for (_, rows, _), out in zip(jobs, results):
            rep.batches += 1
            if progress:
                progress(len(rows))
            yield out
    return collect()


def _prune(kg, conn: Connection, batch_size: int) -> tuple[int, int]:
    common = label(COMMON_LABEL)
    have = [r[0] for r in conn.read_values(f"MATCH (n:{common}) RETURN n.id")]
    gone = [n for n in have if not kg.has_node(n)]
    for b in _batches(gone, batch_size):
        conn.write(f"UNWIND $ids AS id MATCH (n:{common} {{id: id}}) DETACH DELETE n", ids=b)
    rels = 0
    for rel in sorted(vocabulary().relations):
        t = label(rel)
        pairs = conn.read_values(f"MATCH (a:{common})-[:{t}]->(b:{common}) RETURN a.id, b.id")
        stale = [[u, v] for u, v in pairs if not kg.has_edge(u, rel, v)]
        for b in _batches(stale, batch_size):
            conn.write(f"UNWIND $rows AS row MATCH (a:{common} {{id: row[0]}})-[r:{t}]->(b:{common} {{id: row[1]}}) "
                       f"DELETE r", rows=b)
        rels += len(stale)
    return len(gone), rels


def pull(conn: Connection, kg=None):
    """The kjqg graph held in the database, rebuilt through ``add_node``/``add_edge`` (so checked)."""
    from ..graph import KnowledgeGraph
    kg = kg if kg is not None else KnowledgeGraph()
    kinds = vocabulary().kinds
    common = label(COMMON_LABEL)
    for nid, labels, props in conn.read_values(f"MATCH (n:{common}) RETURN n.id, labels(n), properties(n)"):
        ks = [lb for lb in labels if lb in kinds]
        if len(ks) != 1 or not isinstance(nid, str) or not nid.startswith(ks[0] + ":"):
            raise Neo4jQueryError(
                f"the Neo4j node {nid!r} with labels {sorted(labels)} is not a kjqg node (it needs exactly one "
                f"kind label and an id 'Kind:key'); fix or delete it, or push the workspace again")
        props.pop("id", None)
        kg.add_node(ks[0], nid[len(ks[0]) + 1:], **props)
    for rel in sorted(vocabulary().relations):
        t = label(rel)
        for u, v, props in conn.read_values(
                f"MATCH (a:{common})-[r:{t}]->(b:{common}) RETURN a.id, b.id, properties(r)"):
            kg.add_edge(u, rel, v, **props)
    return kg


def counts(conn: Connection) -> dict:
    """``{"nodes": {kind: n}, "edges": {rel: n}}`` of the kjqg graph in the database (zeros left out)."""
    common = label(COMMON_LABEL)
    nodes = {}
    for kind in sorted(vocabulary().kinds):
        n = conn.read_values(f"MATCH (n:{common}:{label(kind)}) RETURN count(n)")[0][0]
        if n:
            nodes[kind] = n
    edges = {}
    for rel in sorted(vocabulary().relations):
        n = conn.read_values(f"MATCH (:{common})-[r:{label(rel)}]->(:{common}) RETURN count(r)")[0][0]
        if n:
            edges[rel] = n
    return {"nodes": nodes, "edges": edges}


def clear(conn: Connection, batch_size: int = BATCH) -> int:
    """Delete every node and relationship of the database, in batches; return how many nodes went.

    Relationships go first, a batch at a time: a DETACH DELETE of a batch of nodes that holds a
    hub (a region with 10^5 located enterprises) would otherwise carry all its relationships in
    one transaction and hit the server's transaction memory limit."""
    while True:
        c = conn.write("MATCH ()-[r]->() WITH r LIMIT $n DELETE r", n=batch_size)
        if c.relationships_deleted < batch_size:
            break
    total = 0
    while True:
        c = conn.write("MATCH (n) WITH n LIMIT $n DETACH DELETE n", n=batch_size)
        total += c.nodes_deleted
        if c.nodes_deleted < batch_size:
            return total
