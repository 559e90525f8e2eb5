"""Export the graph to a file (ttl, nt, jsonld, graphml, csv) and import RDF files.

GraphML: one flat attribute set for nodes (id, iri, kind, name and every attribute of the
ontology, typed boolean/int/string) and for edges (relation plus the edge attributes), no nested
structures, so Gephi and yEd open it. CSV: a nodes table and an edges table (Gephi's spreadsheet
import reads ``Id,Label`` and ``Source,Target,Label``).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .ntriples import read_rdf, write_rdf
from .terms import node_iris

__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "export_graph", "import_graph", "write_graphml", "write_csv"]

EXPORT_FORMATS = ["ttl", "nt", "jsonld", "graphml", "csv"]
IMPORT_FORMATS = ["ttl", "nt", "jsonld"]


def export_graph(kg, fmt: str, out) -> dict:
    """Write ``kg`` in ``fmt`` to ``out`` (a path, or a binary stream); return what was written."""
    if fmt == "csv":
        return write_csv(kg, out)
    if isinstance(out, (str, Path)):
        with open(out, "wb") as f:
            return export_graph(kg, fmt, f)
    if fmt == "graphml":
        return write_graphml(kg, out)
    n = write_rdf(kg, out, fmt)
    return {"triples": n} if n is not None else {}


def import_graph(path, fmt: str | None = None):
    """The ``KnowledgeGraph`` in an RDF file (format from ``fmt`` or the suffix)."""
    return read_rdf(path, fmt)


def _node_columns(kg):
    V = kg.vocab
    attrs = [a for a in sorted(V.attributes) if a != "name"]
    return attrs


def write_graphml(kg, out) -> dict:
    """GraphML with typed keys (Gephi, yEd): flat attributes only."""
    from xml.sax.saxutils import escape, quoteattr

    V = kg.vocab
    iris = node_iris(kg)
    node_attrs = _node_columns(kg)
    gtype = {"boolean": "boolean", "integer": "long"}
    w = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=False)
    w.write('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    w.write('  <key id="label" for="node" attr.name="label" attr.type="string"/>\n')
    w.write('  <key id="iri" for="node" attr.name="iri" attr.type="string"/>\n')
    w.write('  <key id="kind" for="node" attr.name="kind" attr.type="string"/>\n')
    for a in node_attrs:
        t = gtype.get(V.attributes[a]["datatype"], "string") if V.attributes[a]["scheme"] is None else "string"
        w.write(f'  <key id="n_{a}" for="node" attr.name="{a}" attr.type="{t}"/>\n')
    w.write('  <key id="relation" for="edge" attr.name="relation" attr.type="string"/>\n')
    w.write('  <key id="relation_zh" for="edge" attr.name="relation_zh" attr.type="string"/>\n')
    for a in sorted(V.edge_attributes):
        w.write(f'  <key id="e_{a}" for="edge" attr.name="{a}" attr.type="string"/>\n')
    w.write('  <graph id="kjqg" edgedefault="directed">\n')
    for n, d in kg._node.items():
        w.write(f"    <node id={quoteattr(n)}>")
        w.write(f'<data key="label">{escape(d["name"])}</data><data key="iri">{escape(iris[n])}</data>'
                f'<data key="kind">{d["kind"]}</data>')
        for a, v in d.items():
            if a in ("kind", "name"):
                continue
            if isinstance(v, bool):
                v = "true" if v else "false"
            w.write(f'<data key="n_{a}">{escape(str(v))}</data>')
        w.write("</node>\n")
    i = 0
    labels = {r: V.label(r) for r in V.relations}
    for u, r, v, data in kg.edges():
        w.write(f'    <edge id="e{i}" source={quoteattr(u)} target={quoteattr(v)}>'
                f'<data key="relation">{r}</data><data key="relation_zh">{labels[r]}</data>')
        for a, x in data.items():
            w.write(f'<data key="e_{a}">{escape(str(x))}</data>')
        w.write("</edge>\n")
        i += 1
    w.write("  </graph>\n</graphml>\n")
    w.flush()
    w.detach()
    return {"nodes": len(kg), "edges": i}


def write_csv(kg, out) -> dict:
    """Two tables: nodes (Id, Label, kind, iri, attributes…) and edges (Source, Target, Label, …).

    ``out`` a path ``x.csv`` → ``x.nodes.csv`` and ``x.edges.csv``; a binary stream → both
    tables one after the other, separated by an empty line.
    """
    V = kg.vocab
    iris = node_iris(kg)
    attrs = _node_columns(kg)
    edge_attrs = sorted(V.edge_attributes)

    def nodes(w):
        cw = csv.writer(w)
        cw.writerow(["Id", "Label", "kind", "iri", *attrs])
        for n, d in kg._node.items():
            cw.writerow([n, d["name"], d["kind"], iris[n],
                         *[("true" if d[a] else "false") if isinstance(d.get(a), bool) else d.get(a, "") for a in attrs]])
        return len(kg)

    def edges(w):
        cw = csv.writer(w)
        cw.writerow(["Source", "Target", "Label", "relation_zh", *edge_attrs])
        k = 0
        for u, r, v, data in kg.edges():
            cw.writerow([u, v, r, V.label(r), *[data.get(a, "") for a in edge_attrs]])
            k += 1
        return k

    if isinstance(out, (str, Path)):
        p = Path(out)
        stem = p.name[:-4] if p.name.endswith(".csv") else p.name
        pn, pe = p.with_name(stem + ".nodes.csv"), p.with_name(stem + ".edges.csv")
        with open(pn, "w", encoding="utf-8-sig", newline="") as f:
            nn = nodes(f)
        with open(pe, "w", encoding="utf-8-sig", newline="") as f:
            ne = edges(f)
        return {"nodes": nn, "edges": ne, "files": [str(pn), str(pe)]}
    w = io.TextIOWrapper(out, encoding="utf-8", newline="")
    nn = nodes(w)
    w.write("\r\n")
    ne = edges(w)
    w.flush()
    w.detach()
    return {"nodes": nn, "edges": ne}
