"""Typed rows of the named questions and of the assembled answers.

Every record is immutable; ``to_dict()`` gives a plain JSON-able dict whose keys are the field
names listed for each named question in ``queries/README.md``. The raw rows keep to names, ids,
kinds, booleans, counts and lists of ids, so that a Cypher or SPARQL version can return the very
same rows; everything derived (words, severity, candidate ranking) is computed in Python from
those rows by :mod:`kjqg_graph.analysis.severity`.

The rows of the three lists and of chain order (:class:`LinkRow`, :class:`EnterpriseRow`,
:class:`ResourceRow`, :class:`TechnologyRow`: 10^5 of them for a whole 100k graph) are typed
tuples (:class:`TupleRecord`, a ``typing.NamedTuple`` each): one is made by a C call
(``Cls._make(values)`` or the positional constructor, ~0.3 us against ~3 us for a frozen
dataclass). A tuple record is still read by field name, and is never handed to a writer as it
is: JSON, CSV and XLSX take ``to_dict()`` (an object with the field names as keys, tuples as
lists). The other records are frozen dataclasses.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import NamedTuple

__all__ = [
    "Record", "TupleRecord", "LinkRow", "EnterpriseRow", "ResourceRow", "TechnologyRow",
    "InnovationGapRow", "TechnologyGapRow", "MissingLinkRow", "WeakLinkRow", "SanwuRow",
    "IdleRow", "CandidateFact", "Candidate", "Gap", "ChainScore", "LinkScore", "LeaderRow",
    "Impact", "HOW_ORDER", "HOW_ZH",
]

# how an innovation node supports a link, in the order the resource list shows them
HOW_ORDER = {"direct": 0, "expert": 1, "via_technology": 2, "via_host": 3, "inherited": 4}
HOW_ZH = {"direct": "直接支撑", "expert": "研究方向", "via_technology": "攻关所需技术",
          "via_host": "依托企业在本环节", "inherited": "继承上级环节"}


class Record:
    """Mixin: plain-dict view and construction from a backend row (for the dataclass records)."""

    __slots__ = ()

    def to_dict(self) -> dict:
        d = {}
        for k in self.__dataclass_fields__:
            v = getattr(self, k)
            d[k] = list(v) if isinstance(v, tuple) else v
        return d

    @classmethod
    def _make(cls, values):
        """Build from field values in order, without the frozen-dataclass ``__setattr__`` cost."""
        obj = object.__new__(cls)
        obj.__dict__.update(zip(cls.__dataclass_fields__, values))
        return obj

    @classmethod
    def from_row(cls, row: dict):
        """Build from a backend row (lists become tuples; unknown keys are an error)."""
        names = {f.name for f in fields(cls)}
        extra = set(row) - names
        if extra:
            raise TypeError(f"{cls.__name__} has no field(s) {', '.join(sorted(extra))}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})


class TupleRecord(Record):
    """Mixin of the tuple records: a subclass of a ``typing.NamedTuple`` of the fields and of this.

    Same API as the dataclass records — fields by name, defaults, ``to_dict()``, ``_make(values)``
    (every field, in order: the namedtuple's own, a C call), ``from_row(dict)`` — plus the tuple's
    (``_fields``, ``_replace``; equal to a tuple of the same values, ordered like one)."""

    __slots__ = ()
    _seq_fields: tuple = ()      # fields holding a tuple of ids: a list in to_dict()

    def to_dict(self) -> dict:
        d = dict(zip(self._fields, self))
        for k in self._seq_fields:
            d[k] = list(d[k])
        return d

    @classmethod
    def from_row(cls, row: dict):
        """Build from a backend row (lists become tuples; unknown keys are an error)."""
        extra = set(row).difference(cls._fields)
        if extra:
            raise TypeError(f"{cls.__name__} has no field(s) {', '.join(sorted(extra))}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})


class _LinkFields(NamedTuple):
    chain: str
    link_id: str
    link: str
    stage: str | None
    parents: tuple = ()          # ids of the links this one is a sub-link of
    supplies: tuple = ()         # ids of the links this one supplies (same chain)


class LinkRow(_LinkFields, TupleRecord):
    """chain_links: one row per link of a chain (the raw material of chain order)."""
    __slots__ = ()
    _seq_fields = ("parents", "supplies")


class _EnterpriseFields(NamedTuple):
    chain: str
    link_id: str
    link: str
    stage: str | None
    enterprise_id: str = ""
    enterprise: str = ""
    uscc: str | None = None
    region: str = ""
    chain_leader: bool | None = None
    high_tech: bool | None = None
    above_scale: bool | None = None
    tech_sme: bool | None = None
    gazelle: bool | None = None
    has_rd_staff: bool | None = None
    has_rd_platform: bool | None = None
    has_rd_funds: bool | None = None


class EnterpriseRow(_EnterpriseFields, TupleRecord):
    """enterprise_list: one row per (link, enterprise); a link with none has one row with enterprise_id ''."""
    __slots__ = ()


class _ResourceFields(NamedTuple):
    chain: str
    link_id: str
    link: str
    stage: str | None
    node_id: str = ""
    node: str = ""
    node_kind: str = ""
    level: str | None = None
    region: str = ""
    how: str = ""                # direct | expert | via_technology | via_host | inherited
    base_how: str = ""           # the how at from_link when inherited, else = how
    via_id: str = ""             # the technology (via_technology) or host enterprise (via_host)
    via: str = ""
    from_link_id: str = ""       # the ancestor link the support is inherited from
    from_link: str = ""


class ResourceRow(_ResourceFields, TupleRecord):
    """resource_list: one row per support path (link, node, how, via, from_link); '' node when none."""
    __slots__ = ()

    @property
    def path(self) -> str:
        """The support path in words."""
        if not self.node_id:
            return "无任何支撑 (no support by any path)"
        target = self.from_link or self.link
        base = {
            "direct": f"{self.node} 直接支撑 {target}",
            "expert": f"{self.node} 研究方向为 {target}",
            "via_technology": f"{self.node} 攻关或研究 {self.via}，{target} 需要该技术",
            "via_host": f"{self.node} 依托 {self.via}，该企业在 {target} 环节",
        }[self.base_how]
        if self.how == "inherited":
            return f"继承自上级环节 {self.from_link}：{base}"
        return base

    def to_dict(self) -> dict:
        d = dict(zip(self._fields, self))
        d["path"] = self.path
        return d


class _TechnologyFields(NamedTuple):
    chain: str
    link_id: str
    link: str
    stage: str | None
    tech_id: str = ""
    tech: str = ""
    chokepoint: bool | None = None
    status: str | None = None
    mechanism: str | None = None
    tackler_id: str = ""
    tackler: str = ""
    tackler_kind: str = ""
    relation: str = ""           # tackles | expertIn


class TechnologyRow(_TechnologyFields, TupleRecord):
    """technology_list: one row per (link, technology, tackler); tackler_id '' when nobody (or no technology)."""
    __slots__ = ()


# ---------------------------------------------------------------------------- gap rows
@dataclass(frozen=True)
class InnovationGapRow(Record):
    """innovation_gaps: a link with no support by any path, own or inherited."""
    chain: str
    link_id: str
    link: str
    stage: str | None
    enterprises: int             # enterprises in scope in the link or its sub-links
    dependents: int              # enterprises + enterprises of the links it supplies
    requires: int                # technologies it requires
    chokepoint: bool             # it requires a 卡脖子 technology not yet 已突破


@dataclass(frozen=True)
class TechnologyGapRow(Record):
    """technology_gaps: a technology required in the chain that nobody in scope tackles."""
    chain: str
    tech_id: str
    tech: str
    chokepoint: bool | None
    status: str | None
    mechanism: str | None
    link_ids: tuple              # the chain's links that require it
    links: tuple
    stage: str | None            # the most upstream stage among those links
    dependents: int              # enterprises in scope in those links
    experts: int                 # in-scope talents/teams expert in it (they do not count as tackling)


@dataclass(frozen=True)
class MissingLinkRow(Record):
    """missing_links: a link with no enterprise in scope; broken when links with enterprises lie both sides."""
    chain: str
    link_id: str
    link: str
    stage: str | None
    broken: bool
    upstream_with_enterprises: int    # links with enterprises that reach it along supplies
    downstream_with_enterprises: int  # links with enterprises it reaches along supplies
    dependents: int                   # enterprises of the links it supplies directly
    elsewhere: int                    # enterprises in the link outside the region scope
    chokepoint: bool


@dataclass(frozen=True)
class WeakLinkRow(Record):
    """weak_links: every enterprise known small and not high-tech, or one enterprise carries it."""
    chain: str
    link_id: str
    link: str
    stage: str | None
    enterprises: int
    strong: int                  # known 规上, 高新 or 链主
    unknown: int                 # flags not recorded (neither strong nor known small)
    single: bool
    small_only: bool
    dependents: int
    chokepoint: bool
    single_id: str = ""          # the one enterprise, when single
    single_name: str = ""


@dataclass(frozen=True)
class SanwuRow(Record):
    """sanwu_enterprises: in the chain, and known to have no R&D staff, no R&D platform, no R&D funds."""
    chain: str
    enterprise_id: str
    enterprise: str
    region: str
    link_ids: tuple
    links: tuple
    stage: str | None
    chain_leader: bool | None


@dataclass(frozen=True)
class IdleRow(Record):
    """idle_innovation: an innovation node no link uses, or an achieved technology no link requires."""
    subject_id: str
    subject: str
    subject_kind: str
    region: str
    level: str | None
    reason: str                  # no_link | achieved_unused
    chains: tuple = ()           # chains the node's technologies (or the technology) concern
    chokepoint: bool = False


@dataclass(frozen=True)
class CandidateFact(Record):
    """gap_candidates: a node that could close a gap, with the basis of the suggestion."""
    kind: str                    # the gap kind
    chain: str
    subject_id: str              # the gap's subject (link, technology or enterprise)
    candidate_id: str
    candidate: str
    candidate_kind: str
    basis: str                   # see severity.BASIS
    via_id: str = ""             # the neighbouring link / technology the basis goes through
    via: str = ""
    in_scope: bool = True
    region: str = ""
    level: str | None = None     # level / talent level, or for enterprises 链主/高新技术企业/规上企业


# ---------------------------------------------------------------------------- assembled
@dataclass(frozen=True)
class Candidate(Record):
    candidate_id: str
    candidate: str
    candidate_kind: str
    score: int
    in_scope: bool
    region: str
    why: str


@dataclass(frozen=True)
class Gap(Record):
    kind: str                    # innovation technology missing broken weak sanwu idle
    chain: str
    subject_id: str
    subject: str
    subject_kind: str
    link: str                    # the link (or links, joined by 、) the gap sits in
    stage: str | None
    severity: int
    severity_parts: tuple        # ((part, points), ...)
    reason: str
    candidates: tuple = field(default=())

    def to_dict(self) -> dict:
        d = Record.to_dict(self)
        d["severity_parts"] = dict(self.severity_parts)
        d["candidates"] = [c.to_dict() for c in self.candidates]
        return d


@dataclass(frozen=True)
class ChainScore(Record):
    """chain_scores: one row per chain."""
    chain: str
    links: int
    links_with_enterprises: int
    links_supported: int
    links_supported_own: int          # by a path of their own (direct, expert, technology, host)
    links_supported_inherited_only: int
    technologies: int                 # required by the chain's links
    technologies_tackled: int         # with a tackler in scope
    technologies_achieved: int        # status 已突破
    chokepoints: int
    open_chokepoints: int             # 卡脖子 and not 已突破
    untackled_chokepoints: int        # open and nobody in scope tackles it
    enterprises: int
    sanwu: int                        # known 三无
    sanwu_possible: int               # none of the three known present, some unknown


@dataclass(frozen=True)
class LinkScore(Record):
    """chain_scores --detail: one row per link."""
    chain: str
    link_id: str
    link: str
    stage: str | None
    enterprises: int
    supporters: int                   # distinct innovation nodes with a path of its own
    supported_own: bool
    supported_inherited: bool
    technologies: int
    technologies_tackled: int
    open_chokepoints: int


@dataclass(frozen=True)
class LeaderRow(Record):
    chain: str
    rank: int
    enterprise_id: str
    enterprise: str
    region: str
    declared: bool | None             # the chainLeader flag as recorded
    links_covered: int
    downstream_fed: int               # chain links reachable downstream along supplies, not its own
    centrality: float                 # share of the chain's other enterprises one supply step away
    score: float
    flag: str = ""                    # declared_not_borne_out | strong_undeclared | ''


@dataclass(frozen=True)
class Impact(Record):
    """what-if: what removing the nodes would break."""
    kind: str                         # missing | unsupported | untackled
    chain: str
    subject_id: str
    subject: str
    link: str
    lost: tuple                       # names of removed nodes that carried it
    before: int                       # how many carried it before
