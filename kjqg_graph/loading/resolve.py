"""Finding what a name refers to: indexes over the workspace and the files being loaded.

Names are matched exactly first, then leniently (full-/half-width, spaces, case: see
``values.match_key``). Enterprises are matched by USCC first, then by name with the legal-form
suffix ignored (``values.enterprise_key``).
"""
from __future__ import annotations

from difflib import get_close_matches
from functools import cached_property
from itertools import compress, repeat

from ..graph import node_id
from ..vocab import A, K
from .values import enterprise_key, enterprise_keys, enterprise_name, match_key

__all__ = ["NameIndex", "EnterpriseIndex", "LinkIndex", "suggest"]

SUGGEST_POOL_MAX = 20_000


def suggest(text, names, n=3) -> str:
    """``"; did you mean A、B?"`` or ``""`` (skipped for very large pools: it would be slow)."""
    if not names or len(names) > SUGGEST_POOL_MAX:
        return ""
    close = get_close_matches(text, list(names), n=n, cutoff=0.5)
    return f"; did you mean {'、'.join(close)}?" if close else ""


class NameIndex:
    """name -> node ids of one or more kinds (exact, then lenient)."""

    def __init__(self):
        self.exact = {}
        self.loose = {}

    def add(self, name, nid):
        if name not in self.exact:
            self.exact[name] = nid
        lst = self.loose.setdefault(match_key(name), [])
        if nid not in lst:
            lst.append(nid)

    def get(self, name) -> list:
        nid = self.exact.get(name)
        if nid is not None:
            return [nid]
        return self.loose.get(match_key(name), [])

    def names(self):
        return self.exact.keys()

    @classmethod
    def of(cls, kg, kinds):
        idx = cls()
        for k in kinds:
            for nid in kg.nodes(k):
                idx.add(kg.name(nid), nid)
        return idx


class EnterpriseIndex:
    """Enterprises by USCC and by suffix-free name key.

    ``by_key`` holds the first enterprise of each key and ``more_by_key`` the others of a key that
    several share (rare): no list per enterprise. ``matches(key)`` gives them all."""

    def __init__(self, kg):
        self.kg = kg
        self._ids = ids = kg.nodes(K.Enterprise)
        names = self._column(A.name)
        self.name_of = dict(zip(ids, names))
        self._keys = enterprise_keys(names)     # indexed by key when first asked for
        self._by_key = self._more_by_key = None

    def _index_keys(self):
        keys, ids, self._keys = self._keys, self._ids, None
        self._more_by_key = {}
        self._by_key = dict(zip(keys, ids))
        if len(self._by_key) != len(keys):      # keys several enterprises share: index them one by one
            self._by_key = {}
            for nid, key in zip(ids, keys):
                self._add_key(key, nid)

    @property
    def by_key(self) -> dict:
        if self._by_key is None:
            self._index_keys()
        return self._by_key

    @property
    def more_by_key(self) -> dict:
        if self._by_key is None:
            self._index_keys()
        return self._more_by_key

    def known_keys(self, keys: set) -> set:
        """The keys of ``keys`` that an enterprise of the index has (without indexing the workspace's
        keys when they are not indexed yet)."""
        if self._by_key is None:
            return keys.intersection(self._keys)
        return set(filter(self._by_key.__contains__, keys))

    def _column(self, attr):
        """``attr`` of the workspace's enterprises, aligned with ``_ids``."""
        kg = self.kg
        if hasattr(kg, "column"):
            return kg.column(K.Enterprise, attr)
        return list(map(dict.get, map(kg.attrs, self._ids), repeat(attr)))

    # the codes are indexed when first asked for: a list without codes never asks
    @cached_property
    def uscc_of(self):
        usccs = self._column(A.uscc)
        return dict(compress(zip(self._ids, usccs), usccs))

    @cached_property
    def by_uscc(self):
        """Each code's first enterprise."""
        usccs = self._column(A.uscc)
        return dict(reversed(list(compress(zip(usccs, self._ids), usccs))))

    def _add_key(self, key, nid):
        first = self.by_key.setdefault(key, nid)
        if first != nid:
            more = self.more_by_key.setdefault(key, [])
            if nid not in more:
                more.append(nid)

    def matches(self, key) -> list:
        """The enterprises whose name has ``key``."""
        nid = self.by_key.get(key)
        if nid is None:
            return []
        more = self.more_by_key.get(key)
        return [nid] if more is None else [nid, *more]

    def add(self, nid, name, uscc, key=None):
        self.name_of[nid] = name
        if uscc:
            self.by_uscc.setdefault(uscc, nid)
            self.uscc_of[nid] = uscc
        self._add_key(key or enterprise_key(name), nid)

    def add_new(self, nids, names, usccs, keys):
        """``add`` for enterprises whose ids, USCCs and keys are all new to the index (and distinct)."""
        nids = list(nids)
        self.name_of.update(zip(nids, names))
        usccs = list(usccs)
        for nid, u in compress(zip(nids, usccs), usccs):
            self.by_uscc[u] = nid
            self.uscc_of[nid] = u
        self.by_key.update(zip(keys, nids))

    def by_name(self, text) -> list:
        return self.matches(enterprise_key(enterprise_name(text)))

    def names(self):
        return self.name_of.values()


class LinkIndex:
    """Chain links by (chain id, name) and by name alone."""

    def __init__(self, kg):
        self.in_chain = {}       # (chain id, match key) -> link id
        self.by_name = {}        # match key -> [link id]
        self.chain_of = {}       # link id -> chain id
        self.label = {}          # link id -> "chain/link"
        prefix = len(K.ChainLink) + 1
        for nid in kg.nodes(K.ChainLink):
            chain_key = nid[prefix:].partition("/")[0]
            self.add(nid, node_id(K.IndustryChain, chain_key), chain_key, kg.name(nid))

    def add(self, nid, chain_id, chain_name, name):
        mk = match_key(name)
        self.in_chain.setdefault((chain_id, mk), nid)
        lst = self.by_name.setdefault(mk, [])
        if nid not in lst:
            lst.append(nid)
        self.chain_of[nid] = chain_id
        self.label[nid] = f"{chain_name}/{name}"

    def names_in(self, chain_id):
        return [self.label[n].partition("/")[2] for n, c in self.chain_of.items() if c == chain_id]

    def labels(self):
        return self.label.values()
