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
from .terms import (EDGE, ONT, PREFIXES, XSD, IRIs, edge_iri, key_from_iri, node_iris, source_iri,
                    USCC_BASE)

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


_LEAN_SKIP = (A.source, A.asOf, A.note, A.products)


def triples(kg, iris: dict | None = None, lean: bool = False):
    """Yield ``(s, p, o, what)`` rows for every triple of ``kg`` (``what``: IRI, PLAIN, ZH or a datatype).

    ``lean``: only what the SPARQL questions read (classes, names, attributes, relations) — no
    labels, provenance, notes or reified statements; about half the triples, for query stores.
    """
    iris = node_iris(kg) if iris is None else iris
    plans = _plans()
    if lean:
        plans = {a: v for a, v in plans.items() if a not in _LEAN_SKIP}
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
            plan = plans.get(a)
            if plan is None:
                continue
            p, how, extra = plan
            if how == "string":
                yield s, p, v, PLAIN
                if lean:
                    continue
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
        if not lean and s.startswith(USCC_BASE) and n[len(kind) + 1:] != d["name"]:
            yield s, IDENT, n[len(kind) + 1:], PLAIN
    for u, nbrs in kg._succ.items():
        su = iris[u]
        for v, kd in nbrs.items():
            ov = iris[v]
            for rel, data in kd.items():
                p = ONT + rel
                yield su, p, ov, IRI
                if data and not lean:
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


def to_rdf(kg, lean: bool = False, iris: dict | None = None):
    """The graph as an ``rdflib.Graph`` with the project's prefixes bound once (``lean``, ``iris``:
    see ``triples``)."""
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

    for s, p, o, what in triples(kg, iris, lean=lean):
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

_DATE_RE = None


def _literal(a, meta, value, dt):
    """The Python value of literal ``value`` for attribute ``a``."""
    kind = meta["datatype"]
    if kind == "string":
        return value
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
    if kind == "date":
        global _DATE_RE
        if _DATE_RE is None:
            import re
            _DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
        if not _DATE_RE.match(value):
            raise RDFImportError(f"{a}: {value!r} is not an xsd:date (YYYY-MM-DD)")
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


_TYPE, _REL, _ATTR, _CONCEPT, _STMT, _IDENT = range(6)


def _actions():
    V = vocabulary()
    act = {IRIs.type: (_TYPE, None, None), IRIs.identifier: (_IDENT, None, None),
           IRIs.subject: (_STMT, 0, None), IRIs.predicate: (_STMT, 1, None), IRIs.object: (_STMT, 2, None)}
    for r in V.relations:
        act[ONT + r] = (_REL, r, None)
    for a, meta in V.attributes.items():
        if meta["scheme"] is not None:
            concepts = {ONT + c["id"]: c["zh"] for c in V.schemes[meta["scheme"]]["concepts"]}
            act[ONT + a] = (_CONCEPT, a, concepts)
        else:
            act[ONT + a] = (_ATTR, a, meta)
    return act


def build(rows):
    """A ``KnowledgeGraph`` from ``(s, p, o, o_is_iri, datatype)`` rows (strings; datatype None for IRIs).

    Triples outside the ontology's terms (labels, PROV entities, other vocabularies) are ignored;
    a node must have a ``kjqg:`` class and a ``kjqg:name``. Every value is checked against the
    ontology (kinds, attributes of each kind, datatypes, value schemes, relation endpoints); the
    graph is then filled directly, without re-checking each value through ``add_node``.
    """
    from ..graph import KnowledgeGraph

    V = vocabulary()
    kinds = V.kinds
    nont = len(ONT)
    act = _actions()
    edge_attr_names = V.edge_attributes
    typ, props, idents, edges, stmts = {}, {}, {}, [], {}
    get = act.get
    for s, p, o, is_iri, dt in rows:
        a = get(p)
        if a is None:
            continue
        code, local, meta = a
        if code == _REL:
            if not is_iri:
                raise RDFImportError(f"<{s}> kjqg:{local}: expected a node, found the literal {o!r}")
            edges.append((s, local, o))
        elif code == _ATTR:
            if is_iri:
                raise RDFImportError(f"<{s}> kjqg:{local}: expected a literal, found <{o}>")
            if s.startswith(EDGE):
                if local not in edge_attr_names:
                    raise RDFImportError(f"<{s}>: an edge cannot carry kjqg:{local}")
                stmts.setdefault(s, [None, None, None, {}])[3][local] = _literal(local, meta, o, dt)
            else:
                _put(props, s, local, _literal(local, meta, o, dt))
        elif code == _CONCEPT:
            val = meta.get(o) if is_iri else None
            if val is None:
                allowed = "、".join(meta.values())
                raise RDFImportError(f"<{s}> kjqg:{local}: {o!r} is not one of {allowed}")
            _put(props, s, local, val)
        elif code == _TYPE:
            if is_iri and o.startswith(ONT):
                k = o[nont:]
                if k in kinds:
                    old = typ.get(s)
                    if old is not None and old != k:
                        raise RDFImportError(f"<{s}> has two kinds: {old} and {k}")
                    typ[s] = k
        elif code == _STMT:
            if s.startswith(EDGE):
                stmts.setdefault(s, [None, None, None, {}])[local] = o
        elif not is_iri:        # _IDENT
            idents[s] = o

    kg = KnowledgeGraph()
    node, succ, pred, by_kind = kg._node, kg._succ_d, kg._pred_d, kg._by_kind
    allowed = {k: V.attributes_of(k) for k in kinds}
    ids = {}
    for s, kind in typ.items():
        attrs = props.get(s) or {}
        name = attrs.get("name")
        if name is None:
            raise RDFImportError(f"<{s}> (a {kind}) has no kjqg:name")
        parsed = key_from_iri(s)
        if parsed is not None and parsed[0] == kind:
            key = parsed[1]
        else:
            key = idents.get(s, name)
        nid = f"{kind}:{key}"
        if nid in node:
            raise RDFImportError(f"<{s}> and another IRI both describe the node {nid!r}")
        if not attrs.keys() <= allowed[kind]:
            kg.add_node(kind, key, **attrs)     # raises the model's own error for the first bad attribute
        node[nid] = {"kind": kind, **attrs}
        succ[nid] = {}
        pred[nid] = {}
        by_kind[kind][nid] = None
        ids[s] = nid
    for s in props:
        if s not in typ:
            raise RDFImportError(f"<{s}> has kjqg attributes but no kjqg class (rdf:type)")
    edge_attrs = {}
    for st, (su, p, ov, attrs) in stmts.items():
        if su is None or p is None or ov is None:
            raise RDFImportError(f"<{st}> is an incomplete rdf:Statement")
        edge_attrs[(su, p[nont:], ov)] = attrs
    allows = {}
    counts = kg._edge_counts
    for s, rel, o in edges:
        try:
            u, v = ids[s], ids[o]
        except KeyError as e:
            raise RDFImportError(f"<{e.args[0]}> is used by kjqg:{rel} but has no kjqg class") from None
        ku, kv = node[u]["kind"], node[v]["kind"]
        ok = allows.get((rel, ku, kv))
        if ok is None:
            ok = allows[(rel, ku, kv)] = V.relation_allows(rel, ku, kv)
        if not ok:
            kg.add_edge(u, rel, v)              # raises WrongEndpointError with the model's message
        data = edge_attrs.get((s, rel, o))
        data = {} if data is None else dict(data)
        kd = succ[u].get(v)
        if kd is None:
            succ[u][v] = kd = {}
            pred[v][u] = kd
        if rel not in kd:
            counts[rel] += 1
        kd[rel] = data
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
