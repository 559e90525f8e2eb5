"""SPARQL stores for the named questions: pyoxigraph (fast, default) and rdflib (reference).

The same ``queries/sparql/NAME.rq`` file runs on both. Parameters:

- rdflib: ``initBindings`` for every parameter.
- pyoxigraph: a parameter that is an :class:`Iri` — a node IRI minted by
  :mod:`kjqg_graph.rdf.terms` (the backend resolves a user's chain or region name to its node
  first) — is written into the query as ``<iri>`` in place of the variable, after checking it
  against :data:`SAFE_IRI` (only unreserved characters and percent escapes: nothing can close the
  ``<...>``). pyoxigraph 0.5 plans a ``substitutions`` variable as if it were unbound (one link
  bound: 152 ms by substitution, 0.47 ms as a constant, 10k graph), so constants are what make an
  anchored query cheap. Any other value (a literal) goes through ``substitutions`` (SEP-0007);
  user text is never written into a query.

Results come back as rows of plain strings (IRIs and literal lexical forms), ``None`` for unbound,
so the two stores' answers compare directly. Each store also keeps its ``iris`` (node id → IRI),
``ids`` (IRI → node id), ``nodes`` (position → node id) and ``index`` (node id → position), made
once when it is loaded (:class:`_Nodes`), so a backend on an already-loaded store does not mint the
10^5 IRIs again for every question.

A store's node IRIs are its own (:func:`store_iris`): ``urn:kjqg:<n>``, the node's position in
the graph, not the exported IRIs (:func:`kjqg_graph.rdf.terms.node_iris`, percent-
encoded kind and name, ~80 characters at 100k). A store is private to one backend and every
answer leaves it as node ids, so its IRIs are never seen; no .rq file reads an IRI's shape, so the
same files run unchanged on the exported graph in any triple store. Short IRIs matter for speed:
turning a term into its text is the store's main cost on the whole-graph questions, and every IRI
is split, hashed and compared in Python — at 100k the enterprise list spent ~0.3 s less CPU with
``https://w3id.org/kjqg/q/<n>`` (~30 characters) than with the exported IRIs (store 1.22 -> 0.98 s,
Python ~0.1 s less), and ~0.17 s less again with ``urn:kjqg:<n>`` (~14; 1.21 -> 1.08 s wall).
Since an IRI is a position, a backend reading its own store can take a column of 10^5 IRIs as ints
(:func:`positions`, :func:`position_records`) and read attributes from lists by position (the
enterprise list: Python 0.68 -> 0.60 s at 100k).
"""
from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["QUERY_DIR", "query_text", "query_names", "OxigraphStore", "RdflibStore", "STORES", "open_store", "Iri",
           "QUERY_IRI", "store_iris", "positions", "position_records", "rows_from_json"]


QUERY_IRI = "urn:kjqg:"
_CUT, _SEP, _NEXT = len(QUERY_IRI), " " + QUERY_IRI, "\n" + QUERY_IRI


def store_iris(kg) -> dict:
    """``{node id: IRI}`` for a query store: ``QUERY_IRI`` + the node's position in ``kg``."""
    return {n: f"{QUERY_IRI}{i}" for i, n in enumerate(kg._node)}


class _Nodes:
    """How a query store names its nodes, made once when it is loaded: ``nodes`` (position -> node
    id), ``iris`` (node id -> IRI), ``ids`` (IRI -> node id) and ``index`` (node id -> position)."""

    def _name_nodes(self, kg) -> None:
        self.nodes = list(kg._node)
        self.iris = store_iris(kg)
        self.ids = dict(zip(self.iris.values(), self.nodes))
        self.index = dict(zip(self.nodes, range(len(self.nodes))))


_SPACE_TO_COMMA, _IRI_LETTERS = bytes.maketrans(b" ", b","), QUERY_IRI.encode()


def positions(text: str) -> list:
    """The positions of the nodes in ``text``, a space-separated list of a query store's IRIs (a
    ``…Set`` column): ints, so an answer over 10^5 nodes indexes lists instead of hashing IRIs.
    ``urn:kjqg:1 urn:kjqg:22`` becomes ``[1,22]`` by one byte translation (the IRI's letters dropped,
    spaces to commas) and is read as a JSON array: C parses the numbers, no string object each
    (0.07 s for the enterprise list's 10^6 IRIs at 100k, against 0.11 s by replace and 0.2 s by split
    and int). Anything but a list of store IRIs is refused (ValueError)."""
    if not text:
        return []
    digits = text.encode().translate(_SPACE_TO_COMMA, _IRI_LETTERS)
    out = json.loads(b"[" + digits + b"]") if not digits.translate(None, b"0123456789,") else None
    if out is None or len(out) != text.count(QUERY_IRI) or not text.startswith(QUERY_IRI):
        raise ValueError(f"not a list of store IRIs: {text[:80]!r}")
    return out


def position_records(text: str, n: int):
    """``(positions, texts)`` of a ``…Map`` column (``IRI<TAB>text`` records joined by newlines, the
    IRIs a query store's of ``n`` nodes), or None when the column cannot be read at a glance — a text
    holds a tab, or a line that looks like a record of its own — and the caller takes the records one
    at a time."""
    if not text:
        return [], []
    flat = text[_CUT:].replace(_NEXT, "\t").split("\t")
    if len(flat) != 2 * text.count("\t"):
        return None
    try:
        keys = list(map(int, flat[0::2]))
    except ValueError:
        return None
    if len(set(keys)) != len(keys) or max(keys) >= n or min(keys) < 0:
        return None
    return keys, flat[1::2]


_XSD = "http://www.w3.org/2001/XMLSchema#"
_BOOL, _INT = _XSD + "boolean", _XSD + "integer"
_NUMERIC = frozenset("-+0123456789")


class Iri(str):
    """A parameter value that is an IRI (plain ``str`` parameters are bound as literals)."""


# The IRIs the graph mints (https://w3id.org/kjqg/...: percent-encoded keys, so only these characters)
# and a query store's own (QUERY_IRI + a position)
SAFE_IRI = re.compile(r"^(?:https://w3id\.org/kjqg/[A-Za-z0-9_.~%/#-]+|urn:kjqg:[0-9]+)\Z")


@lru_cache(maxsize=None)
def _var_re(name: str):
    return re.compile(r"[?$]" + re.escape(name) + r"(?![A-Za-z0-9_\u00B7\u0300-\u036F\u203F-\u2040])")


def inline_iris(text: str, params: dict) -> tuple[str, dict]:
    """(query text with each :class:`Iri` parameter written as a constant, the other parameters)."""
    rest = {}
    for k, v in params.items():
        if v is None:
            continue
        if isinstance(v, Iri):
            if not SAFE_IRI.match(v):
                from ..errors import KjqgError
                raise KjqgError(f"refusing to bind {v!r}: not an IRI of this graph")
            text = _var_re(k).sub(lambda m: f"<{v}>", text)
        else:
            rest[k] = v
    return text, rest

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries" / "sparql"


@lru_cache(maxsize=None)
def query_text(name: str) -> str:
    path = QUERY_DIR / f"{name}.rq"
    if not path.is_file():
        from ..errors import KjqgError
        raise KjqgError(f"no SPARQL file for the question {name!r} ({path})")
    return path.read_text(encoding="utf-8")


def query_names() -> list:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


class OxigraphStore(_Nodes):
    """An in-memory pyoxigraph store loaded from the fast N-Triples writer.

    Both stores hold the *lean* triples (``convert.triples(lean=True)``): the questions read only
    classes, names, attributes and relations, so labels, provenance and reified statements are
    left out — about half the triples, and half the load time.
    """

    name = "oxigraph"
    concurrent = True            # select() may run on several threads at once (no GIL held while evaluating)

    def __init__(self, kg):
        import pyoxigraph
        from .ntriples import write_ntriples
        buf = io.BytesIO()
        self._name_nodes(kg)
        self.triples = write_ntriples(kg, buf, lean=True, iris=self.iris)
        self.store = pyoxigraph.Store()
        self.store.bulk_load(buf.getvalue(), pyoxigraph.RdfFormat.N_TRIPLES)

    def select(self, name: str, **params) -> list:
        """``(rows, variables)``: rows of IRIs/strings, booleans and ints (None when unbound)."""
        import pyoxigraph as ox
        text, rest = inline_iris(query_text(name), params)
        subs = {ox.Variable(k): ox.Literal(v) for k, v in rest.items()}
        res = self.store.query(text, substitutions=subs or None)
        variables = [v.value for v in res.variables]
        NN, Lit = ox.NamedNode, ox.Literal

        def conv(t):
            # one call per term: IRIs (most terms) first; a literal's datatype is asked only when its
            # text could be a boolean or an integer (asking builds a NamedNode)
            c = t.__class__
            if c is NN:
                return t.value
            if c is Lit:
                v = t.value
                if v == "true" or v == "false":
                    if t.datatype.value == _BOOL:
                        return v == "true"
                elif v[:1] in _NUMERIC and t.datatype.value == _INT:
                    return int(v)
                return v
            return None if t is None else t.value

        return [tuple(map(conv, sol)) for sol in res], variables

    def select_json(self, name: str) -> bytes:
        """The rows of ``name``.rq (no parameters) as SPARQL 1.1 JSON results, written by the store
        without taking Python's lock: for a worker thread (:meth:`RdfBackend.prefetch`).
        :meth:`select` takes the lock once per row to hand each one over, and while the main thread
        is in one long C call (a sort, a ``list(map(...))`` of 10^5) every row waits for it to end:
        located_nodes.rq's 113 rows took 0.83 s on a worker instead of 0.13 s. Read the bytes with
        :func:`rows_from_json`."""
        import pyoxigraph as ox
        return self.store.query(query_text(name)).serialize(format=ox.QueryResultsFormat.JSON)


def rows_from_json(data: bytes) -> tuple[list, list]:
    """``(rows, variables)`` as :meth:`OxigraphStore.select` gives them, from SPARQL JSON results."""
    doc = json.loads(data)
    variables = doc["head"]["vars"]

    def conv(b):
        if b is None:
            return None
        v = b["value"]
        if b["type"] == "literal":
            dt = b.get("datatype")
            if dt == _BOOL and (v == "true" or v == "false"):
                return v == "true"
            if dt == _INT and v[:1] in _NUMERIC:
                return int(v)
        return v

    return [tuple(conv(b.get(k)) for k in variables) for b in doc["results"]["bindings"]], variables


class RdflibStore(_Nodes):
    """The same questions on an ``rdflib.Graph`` (slow on big graphs; the reference)."""

    name = "rdflib"
    concurrent = False

    def __init__(self, kg):
        from .convert import to_rdf
        self._name_nodes(kg)
        self.graph = to_rdf(kg, lean=True, iris=self.iris)
        self.triples = len(self.graph)

    def select(self, name: str, **params) -> list:
        from rdflib import Literal, URIRef
        binds = {k: (URIRef(v) if isinstance(v, Iri) else Literal(v)) for k, v in params.items() if v is not None}
        res = self.graph.query(query_text(name), initBindings=binds)
        variables = [str(v) for v in res.vars]
        BOOL, INT = URIRef(_BOOL), URIRef(_INT)          # a URIRef equals only a URIRef, not its text

        def conv(t):
            if t is None:
                return None
            if isinstance(t, Literal):
                if t.datatype == BOOL:
                    return str(t) in ("true", "1")
                if t.datatype == INT:
                    return int(t)
            return str(t)

        return [tuple(conv(t) for t in row) for row in res], variables


STORES = {"oxigraph": OxigraphStore, "rdflib": RdflibStore}


def open_store(kg, name: str = "oxigraph"):
    return STORES[name](kg)
