"""Check a knowledge graph against ``ontology/shapes.ttl`` (pyshacl) and the ontology itself.

``validate_graph(kg)`` converts the graph to RDF (``kjqg_graph.rdf.convert``) and runs pyshacl with
the ontology as ``ont_graph`` and no inference: every shape names concrete classes, so RDFS
inference would only add time. ``validate_ontology()`` checks ``ontology/kjqg.ttl``: it parses,
every class and property of the kjqg namespace has zh and en labels and a comment, and every
class named in a domain or range is declared.

Both return a :class:`Report`: ``conforms`` (no violation; warnings allowed), ``results`` and
``text(lang)`` for a planner (grouped by message, nodes named by their name).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

__all__ = ["Result", "Report", "validate_graph", "validate_rdf", "validate_ontology",
           "ONTOLOGY_TTL", "SHAPES_TTL"]

_ROOT = Path(__file__).resolve().parents[1] / "ontology"
ONTOLOGY_TTL = _ROOT / "kjqg.ttl"
SHAPES_TTL = _ROOT / "shapes.ttl"

_SEVERITY_ZH = {"Violation": "违规", "Warning": "警告", "Info": "提示"}


@dataclass(frozen=True)
class Result:
    """One finding: which node, which property, what is wrong (zh and en), how bad."""
    focus: str                 # IRI of the focus node
    name: str | None           # its kjqg:name, when it has one
    kind: str | None           # its kjqg class (local name)
    path: str | None           # the property (local name for kjqg terms, else the IRI)
    value: str | None
    message_zh: str
    message_en: str
    severity: str = "Violation"    # Violation | Warning | Info

    def message(self, lang: str) -> str:
        if lang == "zh":
            return self.message_zh
        if lang == "en":
            return self.message_en
        return f"{self.message_zh} / {self.message_en}"


@dataclass
class Report:
    results: list = field(default_factory=list)
    subject: str = "graph"     # "graph" or "ontology"

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    @property
    def violations(self) -> list:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list:
        return [r for r in self.results if r.severity != "Violation"]

    def text(self, lang: str = "both") -> str:
        """Readable text: one block per message, the nodes named by their names."""
        if lang not in ("zh", "en", "both"):
            raise ValueError(f"lang must be zh, en or both, not {lang!r}")
        groups: dict = {}
        for r in self.results:
            groups.setdefault((r.severity, r.message(lang)), []).append(r)
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        lines = []
        for (sev, msg), rs in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], 3), kv[0][1])):
            mark = "✗" if sev == "Violation" else "!"
            sev_txt = {"zh": _SEVERITY_ZH.get(sev, sev), "en": sev}.get(lang, f"{_SEVERITY_ZH.get(sev, sev)} {sev}")
            count = {"zh": f"{len(rs)} 处", "en": f"{len(rs)} found"}.get(lang, f"{len(rs)} 处 found")
            lines.append(f"{mark} [{sev_txt}] {msg} ({count})")
            seen = set()
            for r in sorted(rs, key=lambda r: (r.name or "", r.focus, r.path or "", r.value or "")):
                who = r.name or r.focus
                line = f"    · {who}"
                if r.kind:
                    line += f" ({r.kind})"
                extra = []
                if r.path:
                    extra.append(r.path)
                if r.value is not None and r.value != r.focus:
                    extra.append(f"= {r.value}")
                if extra:
                    line += "  " + " ".join(extra)
                if r.name:
                    line += f"  <{unquote(r.focus)}>"
                if line not in seen:
                    seen.add(line)
                    lines.append(line)
        nv, nw = len(self.violations), len(self.warnings)
        if lang == "zh":
            lines.append(f"共 {nv} 项违规，{nw} 项警告。")
        elif lang == "en":
            lines.append(f"{nv} violation(s), {nw} warning(s).")
        else:
            lines.append(f"共 {nv} 项违规，{nw} 项警告 / {nv} violation(s), {nw} warning(s).")
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- the data graph

@lru_cache(maxsize=1)
def _shapes():
    from rdflib import Graph
    return Graph().parse(SHAPES_TTL, format="turtle")


@lru_cache(maxsize=1)
def _ontology():
    from rdflib import Graph
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


def _local(term) -> str | None:
    if term is None:
        return None
    from .rdf.terms import ONT
    s = str(term)
    return s[len(ONT):] if s.startswith(ONT) else s


def _show(data, value, name_p):
    """A value as a planner reads it: a node's name, a concept's local name, else the text."""
    from rdflib import URIRef
    if value is None:
        return None
    if isinstance(value, URIRef):
        name = data.value(value, name_p)
        if name is not None:
            return str(name)
        return _local(value)
    return str(value)


def validate_rdf(data) -> Report:
    """Validate an ``rdflib.Graph`` in the ontology's terms against the shapes."""
    from pyshacl import validate
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, SH

    from .rdf.terms import ONT, IRIs

    conforms, results_graph, _ = validate(
        data, shacl_graph=_shapes(), ont_graph=_ontology(), inference="none",
        allow_warnings=True, abort_on_first=False, advanced=False)
    name_p = URIRef(IRIs.name)
    out = []
    for res in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(res, SH.focusNode)
        path = results_graph.value(res, SH.resultPath)
        value = results_graph.value(res, SH.value)
        sev = results_graph.value(res, SH.resultSeverity)
        msgs = {}
        for m in results_graph.objects(res, SH.resultMessage):
            lang = m.language if isinstance(m, Literal) else None
            msgs.setdefault(lang or "", str(m))
        if "zh" not in msgs or "en" not in msgs:
            # pyshacl copies only one sh:message of a SPARQL constraint: read them from the shapes
            shapes = _shapes()
            for src in (results_graph.value(res, SH.sourceConstraint), results_graph.value(res, SH.sourceShape)):
                if src is None:
                    continue
                for m in shapes.objects(src, SH.message):
                    if isinstance(m, Literal) and m.language:
                        msgs.setdefault(m.language, str(m))
        zh = msgs.get("zh") or msgs.get("") or msgs.get("en", "")
        en = msgs.get("en") or msgs.get("") or zh
        name = data.value(focus, name_p)
        kind = None
        for t in data.objects(focus, RDF.type):
            if str(t).startswith(ONT):
                kind = str(t)[len(ONT):]
        out.append(Result(
            focus=str(focus), name=str(name) if name is not None else None, kind=kind,
            path=_local(path) if isinstance(path, URIRef) else (None if path is None else str(path)),
            value=_show(data, value, name_p),
            message_zh=zh, message_en=en,
            severity=str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"))
    out.sort(key=lambda r: (r.severity != "Violation", r.message_en, r.focus, r.path or "", r.value or ""))
    return Report(out, "graph")


def validate_graph(kg) -> Report:
    """Validate the whole knowledge graph against ``ontology/shapes.ttl``."""
    from .rdf.convert import to_rdf
    return validate_rdf(to_rdf(kg))


# ---------------------------------------------------------------------- the ontology

_EXTERNAL_OK = ("http://www.w3.org/2001/XMLSchema#", "http://www.w3.org/2004/02/skos/core#",
                "http://www.w3.org/ns/org#", "http://www.w3.org/ns/regorg#", "http://www.w3.org/ns/prov#",
                "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#")


def validate_ontology(path=None) -> Report:
    """Check the ontology file: it parses; labels zh+en and a comment on every kjqg class and
    property; every domain and range names a declared class (or a standard vocabulary term)."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDF, RDFS

    from .rdf.terms import ONT

    path = Path(path) if path else ONTOLOGY_TTL
    out = []

    def add(focus, path_, zh, en, value=None, name=None):
        out.append(Result(focus=str(focus), name=name, kind=None, path=path_, value=value,
                          message_zh=zh, message_en=en))

    try:
        g = Graph().parse(path, format="turtle")
    except Exception as e:  # rdflib raises many parser exception types; report any as a finding
        add(path, None, f"本体文件无法解析：{e}", f"The ontology file does not parse: {e}")
        return Report(out, "ontology")

    declared = set(g.subjects(RDF.type, OWL.Class))
    terms = set()
    for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        terms.update(s for s in g.subjects(RDF.type, t) if not isinstance(s, BNode) and str(s).startswith(ONT))
    for t in sorted(terms):
        local = str(t)[len(ONT):]
        labels = {l.language for l in g.objects(t, RDFS.label) if isinstance(l, Literal)}
        for lang in ("zh", "en"):
            if lang not in labels:
                add(t, "label", f"缺少 {lang} 标签（rdfs:label@{lang}）", f"No rdfs:label in {lang}", name=local)
        comments = {c.language for c in g.objects(t, RDFS.comment) if isinstance(c, Literal)}
        for lang in ("zh", "en"):
            if lang not in comments:
                add(t, "comment", f"缺少 {lang} 说明（rdfs:comment@{lang}）", f"No rdfs:comment in {lang}", name=local)

    def classes_of(node):
        if isinstance(node, BNode):
            union = g.value(node, OWL.unionOf)
            if union is None:
                return [node]
            return list(Collection(g, union))
        return [node]

    for prop in (RDFS.domain, RDFS.range):
        for s, o in g.subject_objects(prop):
            for c in classes_of(o):
                if isinstance(c, BNode):
                    add(s, _local(prop), "定义域或值域是无法识别的匿名类", "A domain or range is an unrecognised anonymous class",
                        name=_local(s))
                elif c not in declared and not str(c).startswith(_EXTERNAL_OK):
                    add(s, str(prop).rsplit("#", 1)[-1], f"定义域或值域引用了未声明的类 {_local(c)}",
                        f"A domain or range names the undeclared class {_local(c)}", value=_local(c), name=_local(s))
    for sch in g.objects(None, URIRef(ONT + "valueScheme")):
        if (sch, RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#ConceptScheme")) not in g:
            add(sch, "valueScheme", "取值方案未声明为 skos:ConceptScheme", "A value scheme is not a skos:ConceptScheme",
                name=_local(sch))
    return Report(out, "ontology")

