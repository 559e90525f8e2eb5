"""Push a knowledge graph into Neo4j and pull one back.

Shape in Neo4j: every node has the common label ``KjqgNode`` plus the label of its kind, and the
property ``id`` (the graph's node id ``Kind:key``) under a uniqueness constraint (one for the
common label, one per kind, so ``MATCH (:Kind {id: ...})`` is an index seek). The other node
properties are the node's attributes. A relationship's type is the ontology relation; its
properties are the edge attributes (``source``, ``asOf``).

Push is an idempotent sync: constraints first (``IF NOT EXISTS``), then per kind
``UNWIND $rows MERGE (:KjqgNode {id}) SET n = row.p, n:Kind`` and per (relation, source kind,
target kind) ``UNWIND $rows MATCH (a:Ku {id}) MATCH (b:Kv {id}) MERGE (a)-[r:rel]->(b) SET r = ...``
in batches, each batch one managed transaction. Labels and types come from the ontology only;
every value is a parameter. A push killed midway leaves whole batches behind, and the next push
MERGEs over them: no duplicates, nothing lost. ``prune`` then deletes, in batches, what the
graph no longer has (nodes by id, relationships by (type, source id, target id)).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..vocab import vocabulary
from .connection import COMMON_LABEL, Connection, label
from ..errors import Neo4jQueryError

__all__ = ["ensure_schema", "push", "pull", "clear", "counts", "PushReport", "node_query", "edge_query",
           "BATCH"]

BATCH = 10_000


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


def ensure_schema(conn: Connection) -> None:
    """Uniqueness constraints on ``id``: the common label and every kind (no-ops when present)."""
    conn.schema(f"CREATE CONSTRAINT kjqg_node_id IF NOT EXISTS FOR (n:{label(COMMON_LABEL)}) REQUIRE n.id IS UNIQUE")
    for kind in sorted(vocabulary().kinds):
        conn.schema(f"CREATE CONSTRAINT kjqg_{kind}_id IF NOT EXISTS FOR (n:{label(kind)}) REQUIRE n.id IS UNIQUE")
    conn.schema("CALL db.awaitIndexes(300)")


def node_query(kind: str) -> str:
    return (f"UNWIND $rows AS row MERGE (n:{label(COMMON_LABEL)} {{id: row.id}}) "
            f"SET n = row, n:{label(kind)}")


def edge_query(rel: str, ku: str, kv: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{label(ku)} {{id: row[0]}}) MATCH (b:{label(kv)} {{id: row[1]}}) "
            f"MERGE (a)-[r:{label(rel)}]->(b) SET r = row[2]")


def _scalar(v):
    return isinstance(v, (str, int, float, bool))


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


def _edge_rows(kg):
    """{(rel, source kind, target kind): [[u, v, props], ...]}."""
    node = kg._node
    out = {}
    for u, rel, v, d in kg.edges():
        key = (rel, node[u]["kind"], node[v]["kind"])
        lst = out.get(key)
        if lst is None:
            lst = out[key] = []
        lst.append([u, v, {a: x for a, x in d.items() if _scalar(x)}])
    return out


def _batches(rows, size):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def push(kg, conn: Connection, *, prune: bool = False, batch_size: int = BATCH, progress=None) -> PushReport:
    """Sync ``kg`` into the connected database (see module doc). ``progress(n)`` is called per batch."""
    rep = PushReport()
    t0 = time.perf_counter()
    ensure_schema(conn)
    t1 = time.perf_counter()
    for kind, rows in _node_rows(kg).items():
        q = node_query(kind)
        for b in _batches(rows, batch_size):
            conn.write(q, rows=b)
            rep.nodes += len(b)
            rep.batches += 1
            if progress:
                progress(len(b))
    t2 = time.perf_counter()
    for (rel, ku, kv), rows in sorted(_edge_rows(kg).items()):
        q = edge_query(rel, ku, kv)
        for b in _batches(rows, batch_size):
            conn.write(q, rows=b)
            rep.relationships += len(b)
            rep.batches += 1
            if progress:
                progress(len(b))
    t3 = time.perf_counter()
    if prune:
        rep.pruned_nodes, rep.pruned_relationships = _prune(kg, conn, batch_size)
    t4 = time.perf_counter()
    rep.seconds = t3 - t1
    rep.phases = {"schema_s": round(t1 - t0, 3), "nodes_s": round(t2 - t1, 3),
                  "relationships_s": round(t3 - t2, 3), "prune_s": round(t4 - t3, 3)}
    return rep


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
    """Delete every node and relationship of the database, in batches; return how many nodes went."""
    total = 0
    while True:
        c = conn.write("MATCH (n) WITH n LIMIT $n DETACH DELETE n", n=batch_size)
        total += c.nodes_deleted
        if c.nodes_deleted < batch_size:
            return total
