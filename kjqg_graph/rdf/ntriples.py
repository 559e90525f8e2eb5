"""Fast RDF I/O for big graphs.

Writing N-Triples goes straight from the ``KnowledgeGraph`` to bytes (``convert.triples`` rows,
formatted by hand, written in blocks); rdflib's serializer builds a term object per position and
runs at a few tens of thousands of triples a second. Reading any format goes through
pyoxigraph's parser (Rust) into ``convert.build``. Turtle and JSON-LD are written by pyoxigraph's
serializer with the project's prefixes.
"""
from __future__ import annotations

from .convert import IRI, PLAIN, ZH, build, triples
from .terms import PREFIXES

__all__ = ["write_ntriples", "write_rdf", "read_rdf", "oxigraph_triples", "FORMATS", "rdf_format"]

# our names -> pyoxigraph RdfFormat attribute
FORMATS = {"nt": "N_TRIPLES", "ttl": "TURTLE", "jsonld": "JSON_LD"}
_SUFFIX = {".nt": "nt", ".ttl": "ttl", ".turtle": "ttl", ".jsonld": "jsonld", ".json": "jsonld"}


def rdf_format(path, fmt: str | None = None) -> str:
    """``nt``, ``ttl`` or ``jsonld`` from ``fmt`` or the file suffix."""
    from pathlib import Path
    from .convert import RDFImportError
    if fmt:
        if fmt not in FORMATS:
            raise RDFImportError(f"unknown RDF format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    try:
        return _SUFFIX[suffix]
    except KeyError:
        raise RDFImportError(f"cannot tell the RDF format of {path} from its suffix {suffix!r}; "
                             f"name it .ttl, .nt or .jsonld (or pass --format)") from None


def _esc(s: str) -> str:
    if "\\" in s or '"' in s or "\n" in s or "\r" in s:
        s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return s


def _generic_ntriples(kg, out, block: int = 50_000, lean: bool = False) -> int:
    """Reference writer: format every ``convert.triples`` row (the fast writer must equal it)."""
    buf = []
    append = buf.append
    n = 0
    for s, p, o, what in triples(kg, lean=lean):
        if what is IRI:
            append(f"<{s}> <{p}> <{o}> .\n")
        elif what == PLAIN:
            append(f'<{s}> <{p}> "{_esc(o)}" .\n')
        elif what == ZH:
            append(f'<{s}> <{p}> "{_esc(o)}"@zh .\n')
        else:
            append(f'<{s}> <{p}> "{_esc(o)}"^^<{what}> .\n')
        if len(buf) >= block:
            out.write("".join(buf).encode("utf-8"))
            n += len(buf)
            buf.clear()
    out.write("".join(buf).encode("utf-8"))
    return n + len(buf)


def write_ntriples(kg, out, block: int = 20_000, lean: bool = False, iris: dict | None = None) -> int:
    """Write ``kg`` as N-Triples (UTF-8) to the binary stream ``out``; return the triple count.
    ``iris``: the graph's ``node_iris(kg)`` when the caller has it already.

    The same triples as ``convert.triples`` (a test checks it), but with every IRI written
    ``<…>`` once up front and each line built by one concatenation: no per-triple tuples.
    """
    from .convert import _LEAN_SKIP, _plans
    from .terms import IRIs, USCC_BASE, edge_iri, node_iris, source_iri
    from ..vocab import A

    if iris is None:
        iris = node_iris(kg)
    br = {n: f"<{i}>" for n, i in iris.items()}
    plans = _plans()
    skip = set(_LEAN_SKIP) if lean else set()
    # per attribute: (" <p> ", how, extra) with extra the bracketed concept IRIs or the datatype suffix
    P = {}
    for a, (p, how, extra) in plans.items():
        if a in skip:
            continue
        if how == "concept":
            extra = {v: f"<{i}> .\n" for v, i in extra.items()}
        elif how == "boolean":
            extra = (f'"true"^^<{extra}> .\n', f'"false"^^<{extra}> .\n')
        elif how == "typed":
            extra = f'"^^<{extra}> .\n'
        P[a] = (f" <{p}> ", how, extra)
    T = f" <{IRIs.type}> "
    LABEL, DERIVED, IDENT = f" <{IRIs.label}> ", f" <{IRIs.derived}> ", f" <{IRIs.identifier}> "
    ONT = kg.vocab.namespace
    kinds = {k: f"<{ONT}{k}> .\n" for k in kg.vocab.kinds}
    rels = {r: f" <{ONT}{r}> " for r in kg.vocab.relations}
    SOURCE, NAME = A.source, A.name
    sources = set()
    buf = []
    append = buf.append
    n = 0

    def flush():
        nonlocal n
        out.write("".join(buf).encode("utf-8"))
        n += len(buf)
        buf.clear()

    for nid, d in kg._node.items():
        s = br[nid]
        append(s + T + kinds[d["kind"]])
        for a, v in d.items():
            plan = P.get(a)
            if plan is None:
                continue
            p, how, extra = plan
            if how == "string":
                lit = _esc(v)
                append(f'{s}{p}"{lit}" .\n')
                if lean:
                    continue
                if a == NAME:
                    append(f'{s}{LABEL}"{lit}"@zh .\n')
                elif a == SOURCE:
                    append(f"{s}{DERIVED}<{source_iri(v)}> .\n")
                    sources.add(v)
            elif how == "concept":
                append(s + p + extra[v])
            elif how == "boolean":
                append(s + p + (extra[0] if v else extra[1]))
            else:
                append(f'{s}{p}"{_esc(str(v))}{extra}')
        if not lean:
            key = nid[len(d["kind"]) + 1:]
            if key != d["name"] and iris[nid].startswith(USCC_BASE):
                append(f'{s}{IDENT}"{_esc(key)}" .\n')
        if len(buf) >= block:
            flush()
    ST = f" <{IRIs.type}> <{IRIs.statement}> .\n"
    SS, SP, SO = f" <{IRIs.subject}> ", f" <{IRIs.predicate}> ", f" <{IRIs.object}> "
    for u, nbrs in kg._succ.items():
        su = br[u]
        for v, kd in nbrs.items():
            ov = br[v]
            for rel, data in kd.items():
                append(su + rels[rel] + ov + " .\n")
                if data and not lean:
                    p = ONT + rel
                    st = f"<{edge_iri(iris[u], p, iris[v])}>"
                    append(st + ST)
                    append(st + SS + su + " .\n")
                    append(f"{st}{SP}<{p}> .\n")
                    append(st + SO + ov + " .\n")
                    for a, x in data.items():
                        pa, how, extra = P[a]
                        if how == "string":
                            append(f'{st}{pa}"{_esc(x)}" .\n')
                            if a == SOURCE:
                                append(f"{st}{DERIVED}<{source_iri(x)}> .\n")
                                sources.add(x)
                        else:
                            append(f'{st}{pa}"{_esc(str(x))}{extra}')
        if len(buf) >= block:
            flush()
    for text in sorted(sources):
        si = f"<{source_iri(text)}>"
        append(f"{si}{T}<{IRIs.entity}> .\n")
        append(f'{si}{LABEL}"{_esc(text)}"@zh .\n')
    flush()
    return n


def oxigraph_triples(kg):
    """The graph's triples as ``pyoxigraph.Triple`` objects (for a store or the serializer)."""
    from pyoxigraph import Literal, NamedNode, Triple

    cache = {}

    def nn(x):
        t = cache.get(x)
        if t is None:
            t = cache[x] = NamedNode(x)
        return t

    for s, p, o, what in triples(kg):
        if what is IRI:
            obj = NamedNode(o)
        elif what == PLAIN:
            obj = Literal(o)
        elif what == ZH:
            obj = Literal(o, language="zh")
        else:
            obj = Literal(o, datatype=nn(what))
        yield Triple(NamedNode(s), nn(p), obj)


def write_rdf(kg, out, fmt: str) -> int | None:
    """Write ``kg`` to the binary stream ``out`` as ``nt``, ``ttl`` or ``jsonld``."""
    if fmt == "nt":
        return write_ntriples(kg, out)
    import pyoxigraph
    pyoxigraph.serialize(oxigraph_triples(kg), out, getattr(pyoxigraph.RdfFormat, FORMATS[fmt]),
                         prefixes=PREFIXES)
    return None


def _rows(parser):
    from pyoxigraph import BlankNode, NamedNode

    for t in parser:
        s, o = t.subject, t.object
        if type(s) is BlankNode:
            continue
        to = type(o)
        if to is NamedNode:
            yield s.value, t.predicate.value, o.value, True, None
        elif to is BlankNode:
            continue
        else:
            yield s.value, t.predicate.value, o.value, False, o.datatype.value


def read_rdf(source, fmt: str | None = None):
    """A ``KnowledgeGraph`` from an RDF file (path) or binary stream, parsed by pyoxigraph."""
    import pyoxigraph
    from .convert import RDFImportError

    import gc

    f = getattr(pyoxigraph.RdfFormat, FORMATS[rdf_format(source if fmt is None else "", fmt)])
    gc_was_on = gc.isenabled()
    gc.disable()        # millions of small strings and dicts: the collector would only rescan them
    try:
        if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__"):
            parser = pyoxigraph.parse(path=source, format=f)
        else:
            parser = pyoxigraph.parse(source, format=f)
        return build(_rows(parser))
    except SyntaxError as e:
        raise RDFImportError(f"{source}: not valid {fmt or rdf_format(source)} ({e})") from None
    finally:
        if gc_was_on:
            gc.enable()
