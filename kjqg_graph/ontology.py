"""Read ontology/kjqg.ttl into the plain vocabulary that the rest of the code uses.

This module needs rdflib and is used only to (re)generate ``vocab.json`` and to check it;
the runtime reads the generated JSON (see ``vocab.py``) so that opening a workspace does
not pay for parsing Turtle.
"""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["ONTOLOGY_DIR", "ONTOLOGY_TTL", "SHAPES_TTL", "NAMESPACE", "build_vocab", "write_vocab"]

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_TTL = ONTOLOGY_DIR / "kjqg.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
NAMESPACE = "https://w3id.org/kjqg/ont#"
VOCAB_JSON = Path(__file__).resolve().parent / "vocab.json"


def _labels(g, node):
    from rdflib.namespace import RDFS
    out = {}
    for lit in g.objects(node, RDFS.label):
        out[lit.language or ""] = str(lit)
    return out


def _comments(g, node):
    from rdflib.namespace import RDFS
    return {lit.language or "": str(lit) for lit in g.objects(node, RDFS.comment)}


def build_vocab(ttl_path: Path = ONTOLOGY_TTL) -> dict:
    """Parse the ontology and return the vocabulary as plain JSON-able data."""
    from rdflib import Graph, Namespace, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

    K = Namespace(NAMESPACE)
    g = Graph()
    g.parse(ttl_path, format="turtle")

    def local(u):
        s = str(u)
        if not s.startswith(NAMESPACE):
            raise ValueError(f"{s} is not in the kjqg namespace")
        return s[len(NAMESPACE):]

    classes = {}
    for c in g.subjects(RDF.type, OWL.Class):
        if not isinstance(c, URIRef) or not str(c).startswith(NAMESPACE):
            continue
        supers = sorted(local(s) for s in g.objects(c, RDFS.subClassOf) if str(s).startswith(NAMESPACE))
        lab, com = _labels(g, c), _comments(g, c)
        classes[local(c)] = {
            "label_zh": lab.get("zh"), "label_en": lab.get("en"),
            "comment_zh": com.get("zh"), "comment_en": com.get("en"),
            "abstract": bool(g.value(c, K.abstract)),
            "superclasses": supers,
        }

    def expand(names):
        """Abstract classes stand for their concrete subclasses."""
        out = []
        for n in names:
            if classes[n]["abstract"]:
                subs = [k for k, v in classes.items() if n in v["superclasses"]]
                out.extend(expand(subs))
            else:
                out.append(n)
        return sorted(set(out))

    def class_set(node):
        if node is None:
            return None
        if isinstance(node, URIRef):
            return expand([local(node)]) if str(node).startswith(NAMESPACE) else None
        union = g.value(node, OWL.unionOf)
        return expand([local(m) for m in Collection(g, union)])

    schemes = {}
    for s in g.subjects(RDF.type, SKOS.ConceptScheme):
        pl = {l.language: str(l) for l in g.objects(s, SKOS.prefLabel)}
        concepts = []
        for c in g.subjects(SKOS.inScheme, s):
            cl = {l.language: str(l) for l in g.objects(c, SKOS.prefLabel)}
            concepts.append({
                "id": local(c), "zh": cl["zh"], "en": cl["en"],
                "alt": sorted(str(a) for a in g.objects(c, SKOS.altLabel)),
                "notation": int(g.value(c, SKOS.notation)),
            })
        concepts.sort(key=lambda c: c["notation"])
        schemes[local(s)] = {"label_zh": pl.get("zh"), "label_en": pl.get("en"), "concepts": concepts}

    dtypes = {XSD.string: "string", XSD.boolean: "boolean", XSD.integer: "integer",
              XSD.date: "date", XSD.decimal: "decimal"}
    relations, attributes = {}, {}
    for p in set(g.subjects(RDF.type, OWL.ObjectProperty)) | set(g.subjects(RDF.type, OWL.DatatypeProperty)):
        if not str(p).startswith(NAMESPACE):
            continue
        lab, com = _labels(g, p), _comments(g, p)
        entry = {"label_zh": lab.get("zh"), "label_en": lab.get("en"),
                 "comment_zh": com.get("zh"), "comment_en": com.get("en"),
                 "domain": class_set(g.value(p, RDFS.domain)),
                 "functional": (p, RDF.type, OWL.FunctionalProperty) in g}
        scheme = g.value(p, K.valueScheme)
        if (p, RDF.type, OWL.DatatypeProperty) in g:
            entry["datatype"] = dtypes[g.value(p, RDFS.range)]
            entry["scheme"] = None
            attributes[local(p)] = entry
        elif scheme is not None:
            entry["datatype"] = "string"
            entry["scheme"] = local(scheme)
            attributes[local(p)] = entry
        else:
            entry["range"] = class_set(g.value(p, RDFS.range))
            relations[local(p)] = entry

    return {
        "namespace": NAMESPACE,
        "classes": dict(sorted(classes.items())),
        "relations": dict(sorted(relations.items())),
        "attributes": dict(sorted(attributes.items())),
        "schemes": dict(sorted(schemes.items())),
    }


def write_vocab(path: Path = VOCAB_JSON) -> None:
    path.write_text(json.dumps(build_vocab(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
