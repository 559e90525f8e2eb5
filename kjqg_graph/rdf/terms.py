"""The RDF terms of the graph: namespaces, node IRIs, and how attribute values become RDF.

IRI scheme (stable: the same node gets the same IRI in every export):

- an enterprise with a well-formed unified social credit code that no other enterprise in the
  graph shares: ``https://w3id.org/kjqg/id/uscc/<USCC>``;
- every other node: ``https://w3id.org/kjqg/id/<Kind>/<key>`` where ``key`` is the part of the
  node id after ``"<Kind>:"`` (the normalised name, ``chain/link`` for links), percent-encoded
  (``urllib.parse.quote(key, safe="")``, so ``/`` becomes ``%2F``);
- a source (file and row, or plan section): ``https://w3id.org/kjqg/source/<percent-encoded text>``,
  a ``prov:Entity`` labelled with the text;
- an edge that carries attributes (``source``, ``asOf``, ``note``): ``https://w3id.org/kjqg/id/edge/<h>``
  where ``h`` is the first 20 hex digits of SHA-1 over ``"<s> <p> <o>"`` (see ``convert``).

Everything here is derived from the ontology's vocabulary (``vocab.json``); no class or property
name is written out.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, unquote

from ..vocab import A, vocabulary

__all__ = ["ONT", "ID", "SRC", "EDGE", "USCC_BASE", "PREFIXES", "XSD", "RDF", "RDFS", "PROV", "DCTERMS",
           "SKOS", "IRIs", "node_iris", "edge_iri", "source_iri", "key_from_iri", "USCC_RE",
           "literal_datatype", "concept_iri", "concept_value"]

ONT = vocabulary().namespace                     # https://w3id.org/kjqg/ont#
ID = "https://w3id.org/kjqg/id/"
USCC_BASE = ID + "uscc/"
EDGE = ID + "edge/"
SRC = "https://w3id.org/kjqg/source/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

PREFIXES = {"kjqg": ONT, "uscc": USCC_BASE, "kedge": EDGE, "xsd": XSD,
            "rdf": RDF, "rdfs": RDFS, "prov": PROV, "dcterms": DCTERMS, "skos": SKOS}

USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


class IRIs:
    """Fixed IRIs used by the converters (as plain strings)."""
    type = RDF + "type"
    label = RDFS + "label"
    statement = RDF + "Statement"
    subject = RDF + "subject"
    predicate = RDF + "predicate"
    object = RDF + "object"
    derived = PROV + "wasDerivedFrom"
    entity = PROV + "Entity"
    identifier = DCTERMS + "identifier"
    name = ONT + A.name
    source = ONT + A.source


def literal_datatype(attr: str) -> str | None:
    """The XSD datatype IRI of a literal attribute (None for plain strings and scheme values)."""
    meta = vocabulary().attributes[attr]
    if meta["scheme"] is not None or meta["datatype"] == "string":
        return None
    return XSD + meta["datatype"]


def concept_iri(attr: str, value: str) -> str:
    """The SKOS concept IRI for the zh value of a scheme-valued attribute (stage "上游" → kjqg:Stage_Upstream)."""
    V = vocabulary()
    return ONT + V.concept(V.scheme_of(attr), value)["id"]


def concept_value(iri: str) -> str | None:
    """The zh value for a concept IRI (None when it is not a concept of the ontology)."""
    return _concepts().get(iri)


_CONCEPTS = None


def _concepts():
    global _CONCEPTS
    if _CONCEPTS is None:
        _CONCEPTS = {ONT + c["id"]: c["zh"] for s in vocabulary().schemes.values() for c in s["concepts"]}
    return _CONCEPTS


def node_iris(kg) -> dict:
    """``{node id: IRI}`` for every node of ``kg`` (see the module doc for the scheme)."""
    uscc_attr = A.uscc
    counts = {}
    for n, d in kg._node.items():
        u = d.get(uscc_attr)
        if u is not None:
            counts[u] = counts.get(u, 0) + 1
    out = {}
    for n, d in kg._node.items():
        u = d.get(uscc_attr)
        if u is not None and counts[u] == 1 and USCC_RE.match(u):
            out[n] = USCC_BASE + u
        else:
            kind = d["kind"]
            out[n] = ID + kind + "/" + quote(n[len(kind) + 1:], safe="")
    return out


def key_from_iri(iri: str):
    """``(kind, key)`` for a key-based node IRI, ``("uscc", code)`` for a USCC IRI, else None."""
    if not iri.startswith(ID) or iri.startswith(EDGE):
        return None
    rest = iri[len(ID):]
    kind, sep, key = rest.partition("/")
    if not sep:
        return None
    return kind, unquote(key)


def source_iri(text: str) -> str:
    return SRC + quote(text, safe="")


def edge_iri(s_iri: str, p_iri: str, o_iri: str) -> str:
    return EDGE + hashlib.sha1(f"{s_iri} {p_iri} {o_iri}".encode("utf-8")).hexdigest()[:20]
