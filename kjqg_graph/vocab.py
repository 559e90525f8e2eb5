"""The ontology's vocabulary at run time, read from the generated ``vocab.json``.

``K``, ``R`` and ``A`` are closed namespaces (like rdflib's ``DefinedNamespace``): ``K.Enterprise``
is the string ``"Enterprise"`` and ``K.Enterprize`` raises ``AttributeError`` at once, so no class,
relation or attribute name is typed as a free string anywhere else in the code.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .errors import InvalidValueError

__all__ = ["Vocabulary", "vocabulary", "K", "R", "A", "NAMESPACE"]

_VOCAB_JSON = Path(__file__).resolve().parent / "vocab.json"


class _Closed:
    """Attribute access to a fixed set of names; unknown names fail loudly.

    Each name is a real instance attribute (``K.Enterprise`` is a plain dict lookup, as fast as
    a module global in a hot loop); ``__getattr__`` runs only for a name that is not there.
    """

    def __init__(self, what, names):
        d = self.__dict__
        for n in names:
            d[n] = n
        object.__setattr__(self, "_closed", (what, frozenset(names)))

    def __getattr__(self, name):
        what = self.__dict__["_closed"][0]
        raise AttributeError(f"the ontology defines no {what} {name!r}")

    def __setattr__(self, name, value):
        raise AttributeError("vocabulary namespaces are read-only")

    def __delattr__(self, name):
        raise AttributeError("vocabulary namespaces are read-only")

    def __iter__(self):
        return iter(sorted(self._closed[1]))

    def __contains__(self, name):
        return name in self._closed[1]

    def __repr__(self):
        return f"<{self._closed[0]} names: {len(self._closed[1])}>"


class Vocabulary:
    """Node kinds, relations, attributes and value schemes of the ontology."""

    def __init__(self, data: dict):
        self.data = data
        self.namespace = data["namespace"]
        self.classes = data["classes"]
        self.kinds = {k: v for k, v in self.classes.items() if not v["abstract"]}
        self.relations = data["relations"]
        self.attributes = data["attributes"]
        self.schemes = data["schemes"]
        self._domain = {r: frozenset(v["domain"]) for r, v in self.relations.items()}
        self._range = {r: frozenset(v["range"]) for r, v in self.relations.items()}
        # value lookup per scheme: any label (zh, en, alt, concept id) -> canonical zh label
        self._lookup = {}
        for s, sch in self.schemes.items():
            table = {}
            for c in sch["concepts"]:
                for lab in [c["zh"], c["en"], c["id"], *c["alt"]]:
                    table[lab.strip().lower()] = c["zh"]
            self._lookup[s] = table
        self._attrs_of = {}
        for kind in self.kinds:
            self._attrs_of[kind] = frozenset(
                a for a, v in self.attributes.items() if v["domain"] is None or kind in v["domain"])
        self.edge_attributes = frozenset(a for a, v in self.attributes.items() if v["domain"] is None and a != "name")

    # -- questions the model asks
    def relation_allows(self, rel: str, src_kind: str, dst_kind: str) -> bool:
        return src_kind in self._domain[rel] and dst_kind in self._range[rel]

    def domain(self, rel):
        return self._domain[rel]

    def range(self, rel):
        return self._range[rel]

    def attributes_of(self, kind: str) -> frozenset:
        return self._attrs_of[kind]

    def scheme_of(self, attr: str):
        return self.attributes[attr]["scheme"]

    def scheme_values(self, scheme: str) -> list:
        """Canonical (zh) values of a scheme, in the scheme's order."""
        return [c["zh"] for c in self.schemes[scheme]["concepts"]]

    def concept(self, scheme: str, value: str) -> dict:
        for c in self.schemes[scheme]["concepts"]:
            if c["zh"] == value:
                return c
        raise InvalidValueError(f"{value!r} is not a value of {scheme}")

    def canonical(self, scheme: str, text: str) -> str:
        """The canonical value of ``text`` in ``scheme`` (zh, en, alt labels accepted)."""
        key = str(text).strip().lower()
        try:
            return self._lookup[scheme][key]
        except KeyError:
            allowed = "、".join(self.scheme_values(scheme))
            raise InvalidValueError(f"{text!r} is not one of {allowed}") from None

    def label(self, name: str, lang: str = "zh") -> str:
        for table in (self.classes, self.relations, self.attributes):
            if name in table:
                return table[name][f"label_{lang}"]
        raise KeyError(name)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    with open(_VOCAB_JSON, encoding="utf-8") as f:
        return Vocabulary(json.load(f))


_V = vocabulary()
NAMESPACE = _V.namespace
K = _Closed("class", _V.kinds)
R = _Closed("relation", _V.relations)
A = _Closed("attribute", _V.attributes)
