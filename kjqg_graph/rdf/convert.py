"""The knowledge graph as RDF in the ontology's terms, and back.

``to_rdf(kg)`` gives an ``rdflib.Graph``; ``from_rdf(graph)`` is its inverse, so
``from_rdf(to_rdf(kg)) == kg`` and ``to_rdf(from_rdf(g))`` is isomorphic to ``g``. Both go
through one description of the triples (``triples(kg)`` / ``build(rows)``), which the fast
N-Triples writer and the pyoxigraph reader (``kjqg_graph.rdf.ntriples``) share.

What a node becomes (IRIs: see ``kjqg_graph.rdf.terms``)::

    <node> rdf:type kjqg:<Kind> ;
           kjqg:name "名称" ; rdfs:label "名称"@zh ;
           kjqg:<attr> "true"^^xsd:boolean | "2023"^^xsd:integer | "2021-05-01"^^xsd:date | "text" ;
           kjqg:<schemeAttr> kjqg:<Concept> ;            # stage "上游" -> kjqg:Stage_Upstream
           kjqg:source "file.csv:12" ; prov:wasDerivedFrom <https://w3id.org/kjqg/source/file.csv%3A12> ;
           dcterms:identifier "key" .                    # only for USCC IRIs whose key is not the name
    <https://w3id.org/kjqg/source/...> a prov:Entity ; rdfs:label "file.csv:12" .

An edge is one triple ``<u> kjqg:<relation> <v>``. Edge provenance (``source``, ``asOf``, ``note``
on the edge) uses standard RDF 1.1 reification, not RDF-star, with a deterministic IRI so that
exports stay blank-node free and comparable::

    <https://w3id.org/kjqg/id/edge/<sha1[:20]>> a rdf:Statement ;
        rdf:subject <u> ; rdf:predicate kjqg:<relation> ; rdf:object <v> ;
        kjqg:source "…" ; prov:wasDerivedFrom <source IRI> ; kjqg:asOf "…"^^xsd:date .

The asserted triple is always present too, so SPARQL queries never need to look at statements.
"""
from __future__ import annotations

from ..errors import KjqgError
from ..vocab import A, vocabulary
from .terms import (DCTERMS, EDGE, ID, ONT, PREFIXES, XSD, IRIs, concept_value, edge_iri, key_from_iri,
                    node_iris, source_iri, USCC_BASE)

__all__ = ["to_rdf", "from_rdf", "triples", "build", "RDFImportError", "IRI", "PLAIN", "ZH"]

# the 4th element of a triple row says what the object is
IRI = None          # an IRI
PLAIN = ""          # a plain (xsd:string) literal
ZH = "@zh"          # a literal in Chinese
# anything else: the datatype IRI of a typed literal


class RDFImportError(KjqgError):
    """An RDF file that does not describe a kjqg knowledge graph."""


def _plans():
    """Per attribute: (predicate IRI, how the value is written)."""
    V = vocabulary()
    plans = {}
    for a, meta in V.attributes.items():
        if meta["scheme"] is not None:
            concepts = {c["zh"]: ONT + c["id"] for c in V.schemes[meta["scheme"]]["concepts"]}
            plans[a] = (ONT + a, "concept", concepts)
        elif meta["datatype"] == "boolean":
            plans[a] = (ONT + a, "boolean", XSD + "boolean")
        elif meta["datatype"] == "string":
            plans[a] = (ONT + a, "string", None)
        else:
            plans[a] = (ONT + a, "typed", XSD + meta["datatype"])
    return plans


def triples(kg, iris: dict | None = None):
    """Yield ``(s, p, o, what)`` rows for every triple of ``kg`` (``what``: IRI, PLAIN, ZH or a datatype)."""
    iris = node_iris(kg) if iris is None else iris
    plans = _plans()
    T, LABEL, DERIVED, IDENT = IRIs.type, IRIs.label, IRIs.derived, IRIs.identifier
    SOURCE = A.source
    sources = set()
    for n, d in kg._node.items():
        s = iris[n]
        kind = d["kind"]
        yield s, T, ONT + kind, IRI
        for a, v in d.items():
            if a == "kind":
                continue
            p, how, extra = plans[a]
            if how == "string":
                yield s, p, v, PLAIN
                if a == "name":
                    yield s, LABEL, v, ZH
                elif a == SOURCE:
                    si = source_iri(v)
                    yield s, DERIVED, si, IRI
                    sources.add(v)
            elif how == "concept":
                yield s, p, extra[v], IRI
            elif how == "boolean":
                yield s, p, "true" if v else "false", extra
            else:
                yield s, p, str(v), extra
        if s.startswith(USCC_BASE) and n[len(kind) + 1:] != d["name"]:
            yield s, IDENT, n[len(kind) + 1:], PLAIN
    for u, nbrs in kg._succ.items():
        su = iris[u]
        for v, kd in nbrs.items():
            ov = iris[v]
            for rel, data in kd.items():
                p = ONT + rel
                yield su, p, ov, IRI
                if data:
                    st = edge_iri(su, p, ov)
                    yield st, T, IRIs.statement, IRI
                    yield st, IRIs.subject, su, IRI
                    yield st, IRIs.predicate, p, IRI
                    yield st, IRIs.object, ov, IRI
                    for a, x in data.items():
                        pa, how, extra = plans[a]
                        if how == "string":
                            yield st, pa, x, PLAIN
                            if a == SOURCE:
                                yield st, DERIVED, source_iri(x), IRI
                                sources.add(x)
                        else:
                            yield st, pa, str(x), extra
    for text in sorted(sources):
        si = source_iri(text)
        yield si, T, IRIs.entity, IRI
        yield si, LABEL, text, ZH


def to_rdf(kg):
    """The graph as an ``rdflib.Graph`` with the project's prefixes bound once."""
    from rdflib import Graph, Literal, URIRef

    g = Graph(bind_namespaces="core")
    for pfx, ns in PREFIXES.items():
        g.bind(pfx, ns, override=True, replace=True)
    add = g.add
    cache = {}

    def uri(x):
        t = cache.get(x)
        if t is None:
            t = cache[x] = URIRef(x)
        return t

    for s, p, o, what in triples(kg):
        if what is IRI:
            obj = uri(o)
        elif what == PLAIN:
            obj = Literal(o)
        elif what == ZH:
            obj = Literal(o, lang="zh")
        else:
            obj = Literal(o, datatype=uri(what))
        add((uri(s), uri(p), obj))
    return g


# ---------------------------------------------------------------------- reading

def _literal(a, meta, value, dt):
    """The Python value of literal ``value`` for attribute ``a``."""
    kind = meta["datatype"]
    if kind == "boolean":
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        raise RDFImportError(f"{a}: {value!r} is not an xsd:boolean")
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            raise RDFImportError(f"{a}: {value!r} is not an xsd:integer") from None
    return value


def _put(props, s, attr, value):
    d = props.get(s)
    if d is None:
        props[s] = {attr: value}
        return
    old = d.get(attr, value)
    if old != value:
        raise RDFImportError(f"<{s}> has two values for kjqg:{attr}: {old!r} and {value!r}")
    d[attr] = value


def build(rows):
    """A ``KnowledgeGraph`` from ``(s, p, o, o_is_iri, datatype)`` rows (strings; datatype None for IRIs).

    Triples outside the ontology's terms (labels, PROV entities, other vocabularies) are ignored;
    a node must have a ``kjqg:`` class and a ``kjqg:name``.
    """
    from ..graph import KnowledgeGraph, node_id

    V = vocabulary()
    kinds, relations, attributes = V.kinds, V.relations, V.attributes
    nont = len(ONT)
    T, IDENT = IRIs.type, IRIs.identifier
    STMT_PROPS = {IRIs.subject: 0, IRIs.predicate: 1, IRIs.object: 2}
    typ, props, idents, edges, stmts = {}, {}, {}, [], {}
    for s, p, o, is_iri, dt in rows:
        if p.startswith(ONT):
            local = p[nont:]
            if s.startswith(EDGE):
                meta = attributes.get(local)
                if meta is not None and meta["domain"] is None:
                    stmts.setdefault(s, [None, None, None, {}])[3][local] = _literal(local, meta, o, dt)
                continue
            if is_iri:
                if local in relations:
                    edges.append((s, local, o))
                    continue
                meta = attributes.get(local)
                if meta is not None and meta["scheme"] is not None:
                    val = concept_value(o)
                    if val is None:
                        raise RDFImportError(f"<{s}> {local}: <{o}> is not a concept of {meta['scheme']}")
                    _put(props, s, local, val)
                    continue
                raise RDFImportError(f"<{s}> {local}: expected a literal, found <{o}>")
            meta = attributes.get(local)
            if meta is None or meta["scheme"] is not None:
                raise RDFImportError(f"<{s}> kjqg:{local} is not a literal attribute of the ontology")
            _put(props, s, local, _literal(local, meta, o, dt))
        elif p == T:
            if is_iri and o.startswith(ONT):
                k = o[nont:]
                if k in kinds:
                    old = typ.get(s)
                    if old is not None and old != k:
                        raise RDFImportError(f"<{s}> has two kinds: {old} and {k}")
                    typ[s] = k
        elif s.startswith(EDGE) and p in STMT_PROPS:
            stmts.setdefault(s, [None, None, None, {}])[STMT_PROPS[p]] = o
        elif p == IDENT and not is_iri:
            idents[s] = o

    kg = KnowledgeGraph()
    ids = {}
    for s, kind in typ.items():
        attrs = props.get(s, {})
        name = attrs.get("name")
        if name is None:
            raise RDFImportError(f"<{s}> (a {kind}) has no kjqg:name")
        parsed = key_from_iri(s)
        if parsed is not None and parsed[0] == kind:
            key = parsed[1]
        else:
            key = idents.get(s, name)
        ids[s] = kg.add_node(kind, key, **attrs)
    for s in props:
        if s not in typ:
            raise RDFImportError(f"<{s}> has kjqg attributes but no kjqg class (rdf:type)")
    edge_attrs = {}
    for st, (su, p, ov, attrs) in stmts.items():
        if su is None or p is None or ov is None:
            raise RDFImportError(f"<{st}> is an incomplete rdf:Statement")
        edge_attrs[(su, p[nont:], ov)] = attrs
    for s, rel, o in edges:
        try:
            u, v = ids[s], ids[o]
        except KeyError as e:
            raise RDFImportError(f"<{e.args[0]}> is used by kjqg:{rel} but has no kjqg class") from None
        kg.add_edge(u, rel, v, **edge_attrs.get((s, rel, o), {}))
    return kg


def _rdflib_rows(graph):
    from rdflib import BNode, URIRef

    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            continue
        if isinstance(o, URIRef):
            yield str(s), str(p), str(o), True, None
        else:
            yield str(s), str(p), str(o), False, (str(o.datatype) if o.datatype else None)


def from_rdf(graph):
    """The ``KnowledgeGraph`` an ``rdflib.Graph`` describes (the inverse of ``to_rdf``)."""
    return build(_rdflib_rows(graph))
