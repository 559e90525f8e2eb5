"""The generated part of ``ontology/shapes.ttl``: shapes that follow from the ontology itself.

For every relation: its subject must be of a domain class and its object of a range class.
For every attribute: the kinds that may carry it, its datatype or value scheme, and at most one
value when it is functional. Run ``python -m kjqg_graph.rdf.shapes`` after changing
``ontology/kjqg.ttl``; ``tests/test_shacl_shapes.py`` fails while the file is out of date.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..vocab import vocabulary

__all__ = ["SHAPES_TTL", "MARKER", "generated_shapes", "write_shapes"]

SHAPES_TTL = Path(__file__).resolve().parents[2] / "ontology" / "shapes.ttl"
MARKER = "# ======== GENERATED from ontology/kjqg.ttl by `python -m kjqg_graph.rdf.shapes`; do not edit below\n"


def _lit(text, lang):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def _classes(kinds):
    kinds = sorted(kinds)
    if len(kinds) == 1:
        return f"sh:class kjqg:{kinds[0]}"
    return "sh:or ( " + " ".join(f"[ sh:class kjqg:{k} ]" for k in kinds) + " )"


def _names(kinds, lang):
    V = vocabulary()
    sep = "、" if lang == "zh" else ", "
    return sep.join(V.classes[k][f"label_{lang}"] for k in sorted(kinds))


def generated_shapes() -> str:
    V = vocabulary()
    out = []
    for rel in sorted(V.relations):
        meta = V.relations[rel]
        lz, le = meta["label_zh"], meta["label_en"]
        dom, rng = V.domain(rel), V.range(rel)
        dz, de, rz, re_ = _names(dom, "zh"), _names(dom, "en"), _names(rng, "zh"), _names(rng, "en")
        out.append(
            f"ksh:rel_{rel} a sh:NodeShape ;\n"
            f"    sh:targetSubjectsOf kjqg:{rel} ;\n"
            f"    {_classes(dom)} ;\n"
            f"    sh:message {_lit(f'只有{dz}可以作为「{lz}」关系的起点', 'zh')} ,\n"
            f"        {_lit(f'Only {de} can be the subject of {le!r}', 'en')} ;\n"
            f"    sh:property [ sh:path kjqg:{rel} ; {_classes(rng)} ;\n"
            f"        sh:message {_lit(f'「{lz}」关系必须指向{rz}', 'zh')} ,\n"
            f"            {_lit(f'{le!r} must point to {re_}', 'en')} ] .\n")
    for attr in sorted(V.attributes):
        meta = V.attributes[attr]
        lz, le = meta["label_zh"], meta["label_en"]
        lines = [f"ksh:attr_{attr} a sh:NodeShape ;", f"    sh:targetSubjectsOf kjqg:{attr} ;"]
        if meta["domain"] is not None:
            dom = meta["domain"]
            lines.append(f"    {_classes(dom)} ;")
            dz, de = _names(dom, "zh"), _names(dom, "en")
            lines.append(f"    sh:message {_lit(f'只有{dz}可以有「{lz}」', 'zh')} ,")
            lines.append(f"        {_lit(f'Only {de} can have {le!r}', 'en')} ;")
        props = []
        if meta["scheme"] is not None:
            concepts = V.schemes[meta["scheme"]]["concepts"]
            zh = "、".join(c["zh"] for c in concepts)
            en = ", ".join(c["en"] for c in concepts)
            ins = " ".join(f"kjqg:{c['id']}" for c in concepts)
            props.append(f"    sh:property [ sh:path kjqg:{attr} ; sh:in ( {ins} ) ;\n"
                         f"        sh:message {_lit(f'「{lz}」的取值必须是{zh}之一', 'zh')} ,\n"
                         f"            {_lit(f'{le!r} must be one of {en}', 'en')} ]")
        else:
            dt = meta["datatype"]
            props.append(f"    sh:property [ sh:path kjqg:{attr} ; sh:datatype xsd:{dt} ;\n"
                         f"        sh:message {_lit(f'「{lz}」的值必须是 xsd:{dt} 类型', 'zh')} ,\n"
                         f"            {_lit(f'{le!r} must be an xsd:{dt} value', 'en')} ]")
        if meta["functional"]:
            props.append(f"    sh:property [ sh:path kjqg:{attr} ; sh:maxCount 1 ;\n"
                         f"        sh:message {_lit(f'「{lz}」只能有一个值', 'zh')} ,\n"
                         f"            {_lit(f'{le!r} can have only one value', 'en')} ]")
        lines.append(" ;\n".join(props) + " .\n")
        out.append("\n".join(lines))
    return "\n".join(out)


def write_shapes(path: Path = SHAPES_TTL) -> bool:
    """Rewrite the generated part of ``path``; return True when it changed."""
    text = path.read_text(encoding="utf-8")
    head = text.split(MARKER, 1)[0].rstrip("\n") + "\n\n"
    new = head + MARKER + "\n" + generated_shapes()
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":
    changed = write_shapes()
    print(f"{SHAPES_TTL}: {'updated' if changed else 'up to date'}", file=sys.stderr)
