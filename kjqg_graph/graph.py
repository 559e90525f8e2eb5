"""The knowledge graph: a networkx MultiDiGraph whose node and edge kinds come from the ontology.

Every node carries ``kind`` (a class of the ontology) and ``name``; every edge's key is its
relation (``G[u][v]["supplies"]``), so two nodes may be joined by several relations. All
changes go through :class:`KnowledgeGraph`, which refuses unknown kinds, relations between
the wrong kinds, unknown attributes and values outside their type or value scheme.

The adjacency is kept in networkx's own MultiDiGraph layout (``_node``, ``_succ``, ``_pred``);
``kg.nx`` wraps those very dicts in a ``networkx.MultiDiGraph`` on first use, without copying,
so commands that need no networkx algorithm do not pay for importing networkx. Read through
``kg.nx`` freely; change the graph only through the methods here.
"""
from __future__ import annotations

import re
from array import array
from collections import Counter, deque
from itertools import accumulate, chain, compress, islice, repeat
from operator import add, and_, eq, is_, is_not, itemgetter, le, lt, mul, or_

from ._gc import gc_paused
from .errors import (InvalidValueError, NodeNotFoundError, UnknownAttributeError,
                     UnknownKindError, UnknownRelationError, WrongEndpointError)
from .vocab import vocabulary

__all__ = ["KnowledgeGraph", "EdgeTable", "node_id"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_FIRST, _SECOND, _THIRD, _KIND = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter("kind")


class _Absent:
    """The value of an attribute a dict lacks, in a column read with ``dict.get`` (not ``None``,
    which a caller gives on purpose)."""
    __slots__ = ()


_ABSENT = _Absent()


_MAKERS = {}


def _dict_maker(names: tuple):
    """A function of ``len(names)`` values returning ``{names[0]: value 0, ...}`` built as a dict
    display (sized once; ~1.5x faster than ``dict(zip(names, values))``). Only generated
    identifiers go into its source: the names are bound as its globals."""
    f = _MAKERS.get(names)
    if f is None:
        args = ", ".join(f"v{i}" for i in range(len(names)))
        display = ", ".join(f"k{i}: v{i}" for i in range(len(names)))
        f = _MAKERS[names] = eval(f"lambda {args}: {{{display}}}", {f"k{i}": a for i, a in enumerate(names)})
    return f


def node_id(kind: str, key: str) -> str:
    """The id of the node of ``kind`` identified by ``key`` (its name, or chain/link for links)."""
    return f"{kind}:{key}"


class KnowledgeGraph:
    """An ontology-checked view over one ``networkx.MultiDiGraph`` (``self.nx``)."""

    def __init__(self):
        self.vocab = vocabulary()
        self._node, self._succ_d, self._pred_d = {}, {}, {}
        self._lazy_edges = None     # set by the workspace: an EdgeTable of edges not yet wired
        self._lazy_new = {}         # while unwired: node made since -> its position in the edge table's
        #                             ids (appended there when made; it has no edge of the table as read)
        self._lazy_runs = []        # while unwired: [kind, first position, count] of the nodes made since
        self._lazy_extra = {}       # while unwired: (u, rel, v) -> attrs that add_edges added since
        #                             (edges given one dict share one copy of it: copied on change, on wiring)
        self._lazy_pos = None       # while unwired: node id -> its position in the edge table's ids (all of them)
        self._lazy_rel_rows = {}    # while unwired: relation -> [(first row, end row)] add_edge_columns appended
        self._stored = {}           # set by the workspace: kind -> its node sections as read (ids, dicts, packed
        #                             bytes), which a save may write again as they are; a kind is dropped from it
        #                             as soon as one of its nodes changes or goes (see ``_changed``)
        self._nx = None
        self._kept = False          # set by the workspace when the process keeps its graphs until it exits
        self._by_kind = {k: {} for k in self.vocab.kinds}   # kind -> ordered set of ids
        self._edge_counts = Counter()

    @property
    def _succ(self):
        if self._lazy_edges is not None:
            self._wire_edges()
        return self._succ_d

    @property
    def _pred(self):
        if self._lazy_edges is not None:
            self._wire_edges()
        return self._pred_d

    def _wire_edges(self):
        """Build the adjacency from the edges a workspace left unwired (see ``workspace._from_columns``)."""
        with gc_paused(freeze=self._kept):
            succ, pred = _wire(self._node, self._lazy_edges)
            for (u, rel, v), d in self._lazy_extra.items():
                d = dict(d)
                kd = succ[u].get(v)
                if kd is None:
                    succ[u][v] = pred[v][u] = {rel: d}
                else:
                    kd[rel] = d
            self._succ_d, self._pred_d = succ, pred
        self._lazy_edges = None
        self._lazy_new, self._lazy_runs, self._lazy_extra, self._lazy_pos = {}, [], {}, None
        self._lazy_rel_rows = {}

    def _changed(self, kind):
        """A node of ``kind`` that was read changes or goes: its stored sections are stale."""
        if self._stored:
            self._stored.pop(kind, None)

    def _lazy_made(self, kind, ids):
        """Nodes of ``kind`` made on an unwired graph: each gets the next position in the edge
        table's ids (the cache of positions, if built, learns them too)."""
        t = self._lazy_edges
        start, n = len(t.ids), len(ids)
        t.ids.extend(ids)
        self._lazy_new.update(zip(ids, range(start, start + n)))
        if self._lazy_pos is not None:
            self._lazy_pos.update(zip(ids, range(start, start + n)))
        runs = self._lazy_runs
        if runs and runs[-1][0] == kind and runs[-1][1] + runs[-1][2] == start:
            runs[-1][2] += n
        else:
            runs.append([kind, start, n])

    def _lazy_packed(self, keys):
        """``(packed keys, packed table)``: one int per key (``None`` for a key whose nodes the unwired
        edge table does not know) and one per table row, ``(src * n + dst) * r + relation code``,
        coded for the relations asked about (other relations get ``r - 1``, which no key has)."""
        t = self._lazy_edges
        all_ids, src, dst = t.ids, t.src, t.dst
        pos = self._lazy_pos
        if pos is None:
            pos = self._lazy_pos = dict(zip(all_ids, range(len(all_ids))))
        codes = {r: i for i, r in enumerate(dict.fromkeys(map(_SECOND, keys)))}
        n, r = len(all_ids), len(codes) + 1
        at = pos.get
        ui, vi = list(map(at, map(_FIRST, keys))), list(map(at, map(_THIRD, keys)))
        if self._lazy_new and not self._lazy_rel_rows:  # no row appended: nodes made since have none
            n_old = len(all_ids) - len(self._lazy_new)
            ui = [None if p is None or p >= n_old else p for p in ui]
            vi = [None if p is None or p >= n_old else p for p in vi]
        if ui.count(None) == len(ui) or vi.count(None) == len(vi):
            return [None] * len(keys), None     # all of nodes made since: no need to pack the table
        cs = list(map(codes.__getitem__, map(_SECOND, keys)))
        if None in ui or None in vi:        # a node the table does not know: not among its edges
            query = [None if i is None or j is None else (i * n + j) * r + c for i, j, c in zip(ui, vi, cs)]
        else:
            query = list(map(add, map(mul, map(add, map(mul, ui, repeat(n)), vi), repeat(r)), cs))
        rel_code = [codes.get(name, r - 1) for name in t.rel_names]
        packed = list(map(add, map(mul, map(add, map(mul, src, repeat(n)), dst), repeat(r)),
                          map(rel_code.__getitem__, t.rel)))
        return query, packed

    def _lazy_rows(self, keys) -> dict:
        """``{(u, rel, v): row}`` for the ``keys`` that are rows of the unwired edge table."""
        if not keys or not len(self._lazy_edges):
            return {}
        query, packed = self._lazy_packed(keys)
        if packed is None:
            return {}
        wanted = dict(zip(query, keys))
        wanted.pop(None, None)
        hit = wanted.keys().__contains__
        return {wanted[packed[i]]: i for i in compress(range(len(packed)), map(hit, packed))}

    def edges_exist(self, keys) -> list:
        """For each ``(u, rel, v)`` of ``keys``, whether it is an edge of the graph (a list of bools).

        On a graph a workspace left unwired this looks the keys up in the edge table itself
        (and among the edges added since) without building the adjacency."""
        keys = keys if isinstance(keys, list) else list(keys)
        if self._lazy_edges is None:
            succ = self._succ_d
            out = []
            for k in keys:
                kd = succ.get(k[0])
                kd = kd.get(k[2]) if kd is not None else None
                out.append(kd is not None and k[1] in kd)
            return out
        if keys and len(self._lazy_edges):
            query, packed = self._lazy_packed(keys)
            out = list(map(set(packed).__contains__, query)) if packed is not None else [False] * len(keys)
        else:
            out = [False] * len(keys)
        if self._lazy_extra:
            out = list(map(or_, out, map(self._lazy_extra.__contains__, keys)))
        return out

    @property
    def nx(self):
        """The graph as a ``networkx.MultiDiGraph`` sharing this graph's dicts (read-only use)."""
        if self._nx is None:
            import networkx as nx
            G = nx.MultiDiGraph()
            G._node = self._node
            G._adj = G._succ = self._succ
            G._pred = self._pred
            self._nx = G
        return self._nx

    # ------------------------------------------------------------------ checks
    def _check_kind(self, kind):
        if kind not in self.vocab.kinds:
            known = ", ".join(sorted(self.vocab.kinds))
            raise UnknownKindError(f"unknown node kind {kind!r}; the ontology defines: {known}")

    def _check_value(self, kind, attr, value):
        if attr == "kind":
            raise UnknownAttributeError("'kind' is set when the node is created and cannot change")
        if attr not in self.vocab.attributes_of(kind):
            raise UnknownAttributeError(f"a {kind} has no attribute {attr!r}")
        meta = self.vocab.attributes[attr]
        dt = meta["datatype"]
        if meta["scheme"] is not None:
            allowed = self.vocab.scheme_values(meta["scheme"])
            if value not in allowed:
                raise InvalidValueError(f"{attr} of a {kind} must be one of {'、'.join(allowed)}, not {value!r}")
        elif dt == "boolean":
            if not isinstance(value, bool):
                raise InvalidValueError(f"{attr} must be true or false, not {value!r}")
        elif dt == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidValueError(f"{attr} must be a whole number, not {value!r}")
        elif dt == "date":
            if not isinstance(value, str) or not _DATE.match(value):
                raise InvalidValueError(f"{attr} must be a date YYYY-MM-DD, not {value!r}")
        elif not isinstance(value, str):
            raise InvalidValueError(f"{attr} must be text, not {value!r}")

    def _check_edge_attrs(self, attrs):
        for a, v in attrs.items():
            if a not in self.vocab.edge_attributes:
                raise UnknownAttributeError(
                    f"an edge has no attribute {a!r}; edges carry {', '.join(sorted(self.vocab.edge_attributes))}")
            if v is not None:
                self._check_value("Enterprise", a, v)  # edge attributes have no domain: any kind checks the type

    # ------------------------------------------------------------------ nodes
    def add_node(self, kind: str, key: str, **attrs) -> str:
        """Create the node (or merge ``attrs`` into it) and return its id.

        ``name`` defaults to ``key``. ``None`` values are skipped.
        """
        self._check_kind(kind)
        nid = node_id(kind, key)
        data = self._node.get(nid)
        if data is None:
            attrs.setdefault("name", key)
            clean = {}
            for a, v in attrs.items():
                if v is not None:
                    self._check_value(kind, a, v)
                    clean[a] = v
            self._node[nid] = {"kind": kind, **clean}
            self._succ[nid] = {}
            self._pred[nid] = {}
            self._by_kind[kind][nid] = None
        else:
            self.set_attrs(nid, **attrs)
        return nid

    def add_nodes(self, kind: str, rows) -> list:
        """Bulk :meth:`add_node`: ``rows`` is an iterable of ``(key, attrs)`` pairs; return the ids.

        The kind is checked once, each attribute name once per batch and the values column by
        column (each distinct value once), with the same errors and messages as ``add_node``.
        Everything is checked before anything changes: a bad row leaves the graph as it was.
        A new node's ``name`` defaults to its key and its ``None`` values are skipped; a node
        that exists already (or a key repeated in the batch) gets the attributes merged, and a
        ``None`` there removes the attribute, as with ``set_attrs``. ``name=None`` is refused.
        """
        with gc_paused():
            return self._add_nodes(kind, rows)

    def add_node_columns(self, kind: str, keys, cols=None) -> list:
        """:meth:`add_nodes` given as columns: ``keys`` and ``cols`` ``{attribute: values}``
        aligned with them; a ``None`` value means "not given" (left out of that node). The same
        checks, errors and result as ``add_nodes(kind, [(key, {a: cols[a][i] ...})])``.

        A batch of new nodes (no key there already or twice) is checked a column at a time and
        its dicts are built from the columns in C (``{"kind", "name", *cols}``, keys whose value
        is ``None`` then taken out); any other batch goes through ``add_nodes`` row by row."""
        keys = list(keys)
        cols = {a: list(c) for a, c in (cols or {}).items()}
        if any(len(c) != len(keys) for c in cols.values()):
            raise ValueError("add_node_columns: keys and every column must have the same length")
        with gc_paused():
            ids = self._add_node_columns(kind, keys, cols)
            if ids is not None:
                return ids
        names = list(cols)
        if not names:
            datas = [{} for _ in keys]
        elif any(None in c for c in cols.values()):
            datas = [{a: x for a, x in zip(names, row) if x is not None} for row in zip(*cols.values())]
        else:
            datas = list(map(dict, map(zip, repeat(names), zip(*cols.values()))))
        return self.add_nodes(kind, list(zip(keys, datas)))

    def _add_node_columns(self, kind, keys, cols):
        """``add_node_columns`` of new nodes, or ``None`` when some key exists or repeats."""
        self._check_kind(kind)
        node = self._node
        ids = list(map(add, repeat(kind + ":"), keys))
        once = dict.fromkeys(ids)
        if len(once) != len(ids) or not node.keys().isdisjoint(ids):
            return None
        given = {a: c for a, c in cols.items() if c[:1] != [None] or c.count(None) != len(c)}  # all None: not given
        names = given.get("name")
        if names is not None and None in names:     # not given: the key
            given["name"] = [k if x is None else x for x, k in zip(names, keys)]
        for a in set(given):
            self._check_column(kind, a, given[a], nodes=True)
        names = given.pop("name", keys)
        datas = list(map(_dict_maker(("kind", "name", *given)), repeat(kind), names, *given.values()))
        for a, c in given.items():
            if None in c:
                for d in compress(datas, map(is_, c, repeat(None))):
                    del d[a]
        node.update(zip(ids, datas))
        self._made(kind, ids, once, self._lazy_edges is None)
        return ids

    def column(self, kind: str, attr: str) -> list:
        """The ``attr`` value of every node of ``kind``, in the order of ``nodes(kind)`` (``None``
        where a node lacks it)."""
        self._check_kind(kind)
        return list(map(dict.get, map(self._node.__getitem__, self._by_kind[kind]), repeat(attr)))

    def _add_nodes(self, kind, rows):
        self._check_kind(kind)
        rows = rows if isinstance(rows, list) else list(rows)
        has_none = self._check_columns(kind, list(map(_SECOND, rows)), nodes=True)
        node = self._node
        ids = list(map(add, repeat(kind + ":"), map(_FIRST, rows)))
        wired = self._lazy_edges is None        # lazy: _wire_edges makes the adjacency of new nodes
        once = dict.fromkeys(ids)       # (also the ordered set by_kind takes)
        if has_none or len(once) != len(ids) or not node.keys().isdisjoint(ids):
            self._add_nodes_merging(kind, rows, ids, wired)
            return ids
        node.update(zip(ids, [{"kind": kind, "name": key, **attrs} for key, attrs in rows]))
        self._made(kind, ids, once, wired)
        return ids

    def _made(self, kind, ids, once, wired):
        """Register new nodes ``ids`` (``once``: the same as an ordered dict; already in ``_node``): in
        their kind's order, and in the adjacency (wired) or the lazy edge table's positions."""
        self._by_kind[kind].update(once)
        if not wired:
            self._lazy_made(kind, ids)
        else:
            succ, pred = self._succ_d, self._pred_d
            for nid in ids:
                succ[nid] = {}
                pred[nid] = {}

    def _add_nodes_merging(self, kind, rows, ids, wired):
        """``add_nodes`` one row at a time: some nodes exist, repeat, or lose attributes."""
        node, by_kind = self._node, self._by_kind[kind]
        for nid, (key, attrs) in zip(ids, rows):
            data = node.get(nid)
            if data is None:
                data = {"kind": kind, "name": key}
                data.update(attrs)
                if None in data.values():
                    data = {a: v for a, v in data.items() if v is not None}
                node[nid] = data
                by_kind[nid] = None
                if wired:
                    self._succ_d[nid] = {}
                    self._pred_d[nid] = {}
                else:
                    self._lazy_made(kind, [nid])
            else:
                self._changed(kind)
                for a, v in attrs.items():
                    if v is None:
                        data.pop(a, None)
                    else:
                        data[a] = v

    def _check_columns(self, kind, dicts, nodes=True) -> bool:
        """Check the attribute dicts of a batch a column at a time; return whether a value is None."""
        keys = list(chain.from_iterable(dicts))
        names = set(keys)
        first = list(dicts[0]) if dicts else []
        if keys == first * len(dicts):  # every dict has the same keys in the same order (a loader's
            # batch): the columns are strides of one list of the values, read in one sweep
            values, width, at = list(chain.from_iterable(map(dict.values, dicts))), len(first), first.index
            cols = (values[at(a)::width] for a in names)
        else:
            cols = (list(map(dict.get, dicts, repeat(a), repeat(_ABSENT))) for a in names)  # _ABSENT: lacks ``a``
        del keys
        has_none = False
        for a, col in zip(names, cols):
            has_none = self._check_column(kind, a, col, nodes=nodes) or has_none
        return has_none

    def _check_column(self, kind, attr, values, nodes=True) -> bool:
        """Check every value of one attribute (each distinct value once); raise like ``_check_value``.
        ``None`` values (given on purpose) and ``_ABSENT`` ones are skipped; return whether there
        is a ``None``."""
        if nodes:
            if attr == "kind" or attr not in self.vocab.attributes_of(kind):
                self._check_value(kind, attr, None)         # raises what add_node raises
        else:
            self._check_edge_attrs({attr: None})
            kind = "Enterprise"     # edge attributes have no domain: any kind checks the type
        meta = self.vocab.attributes[attr]
        dt = meta["datatype"]
        if meta["scheme"] is not None or dt == "date":
            try:
                distinct = set(values)
            except TypeError:           # an unhashable value: let the per-value check say what it is
                distinct = values
            has_none = None in distinct
            distinct = [v for v in distinct if v is not None and v is not _ABSENT]
            if nodes and attr == "name" and has_none:
                raise InvalidValueError("a node must keep its name")
            if meta["scheme"] is not None:
                allowed = set(self.vocab.scheme_values(meta["scheme"]))
                bad = [v for v in distinct if v not in allowed]
            else:
                bad = [v for v in distinct if not isinstance(v, str) or not _DATE.match(v)]
        else:
            want = {"boolean": bool, "integer": int}.get(dt, str)
            types = set(map(type, values))
            has_none = type(None) in types
            types.discard(type(None))
            types.discard(_Absent)
            if nodes and attr == "name" and has_none:
                raise InvalidValueError("a node must keep its name")
            ok = (lambda t: t is bool) if dt == "boolean" else \
                 (lambda t: issubclass(t, int) and not issubclass(t, bool)) if dt == "integer" else \
                 (lambda t: issubclass(t, want))
            bad_types = {t for t in types if not ok(t)}
            bad = [v for v in values if type(v) in bad_types][:1] if bad_types else []
        if bad:
            self._check_value(kind, attr, bad[0])
        return has_none

    def set_attrs(self, nid: str, **attrs) -> None:
        """Set attributes of an existing node; a value of ``None`` removes the attribute."""
        data = self._data(nid)
        kind = data["kind"]
        self._changed(kind)
        for a, v in attrs.items():
            if v is None:
                if a == "name":
                    raise InvalidValueError("a node must keep its name")
                data.pop(a, None)
            else:
                self._check_value(kind, a, v)
                data[a] = v

    def _data(self, nid):
        try:
            return self._node[nid]
        except KeyError:
            raise NodeNotFoundError(f"no node {nid!r} in the graph") from None

    def has_node(self, nid: str) -> bool:
        return nid in self._node

    def kind(self, nid: str) -> str:
        return self._data(nid)["kind"]

    def name(self, nid: str) -> str:
        return self._data(nid)["name"]

    def attrs(self, nid: str) -> dict:
        """The node's attributes (a live dict: read it, change it through ``set_attrs``). Never change
        it in place: a save writes a kind's node sections as they were read unless a node of that
        kind changed through this class's methods (``_changed``), so an edit made in the dict itself
        could be lost."""
        return self._data(nid)

    def get(self, nid: str, attr: str, default=None):
        return self._data(nid).get(attr, default)

    def nodes(self, kind: str | None = None) -> list:
        if kind is None:
            return list(self._node)
        self._check_kind(kind)
        return list(self._by_kind[kind])

    def count(self, kind: str | None = None) -> int:
        if kind is None:
            return len(self._node)
        self._check_kind(kind)
        return len(self._by_kind[kind])

    def find(self, name: str, kind: str | None = None) -> list:
        """Ids of the nodes called ``name`` (optionally of one kind)."""
        kinds = [kind] if kind else list(self._by_kind)
        out = []
        for k in kinds:
            nid = node_id(k, name)
            if nid in self._node:
                out.append(nid)
        if out:
            return out
        for k in kinds:
            out.extend(n for n in self._by_kind[k] if self._node[n]["name"] == name)
        return out

    def remove_node(self, nid: str) -> None:
        data = self._data(nid)
        self._changed(data["kind"])
        for v, kd in self._succ[nid].items():
            for rel in kd:
                self._edge_counts[rel] -= 1
            if v != nid:
                del self._pred[v][nid]
        for u, kd in self._pred[nid].items():
            if u != nid:
                for rel in kd:
                    self._edge_counts[rel] -= 1
                del self._succ[u][nid]
        del self._succ[nid], self._pred[nid]
        del self._node[nid]
        del self._by_kind[data["kind"]][nid]

    # ------------------------------------------------------------------ edges
    def add_edge(self, u: str, rel: str, v: str, **attrs) -> None:
        """Join ``u`` to ``v`` by ``rel`` (merging ``attrs`` if the edge exists)."""
        if rel not in self.vocab.relations:
            known = ", ".join(sorted(self.vocab.relations))
            raise UnknownRelationError(f"unknown relation {rel!r}; the ontology defines: {known}")
        ku, kv = self.kind(u), self.kind(v)
        if not self.vocab.relation_allows(rel, ku, kv):
            raise WrongEndpointError(
                f"{rel} cannot join a {ku} to a {kv}: it goes from "
                f"{'/'.join(sorted(self.vocab.domain(rel)))} to {'/'.join(sorted(self.vocab.range(rel)))}")
        self._check_edge_attrs(attrs)
        clean = {a: x for a, x in attrs.items() if x is not None}
        keydict = self._succ[u].get(v)
        if keydict is None:
            keydict = self._succ[u][v] = {}
            self._pred[v][u] = keydict
        elif rel in keydict:
            keydict[rel] = {**keydict[rel], **clean}     # a new dict: edges may share one (see EdgeTable)
            return
        keydict[rel] = clean
        self._edge_counts[rel] += 1

    def add_edges(self, rel: str, edges) -> int:
        """Bulk :meth:`add_edge`: ``edges`` is an iterable of ``(u, v)`` or ``(u, v, attrs)``.

        The relation is checked once, the endpoint kinds once per distinct pair of kinds, each
        attribute name once per batch and the values column by column, with the same errors as
        ``add_edge``; everything is checked before anything changes. An edge that exists already
        (or repeats in the batch) gets its attributes merged. ``None`` values are skipped.
        Returns how many edges are new.
        """
        with gc_paused():
            return self._add_edges(rel, edges)

    def add_edge_columns(self, rel: str, us, vs, cols=None) -> int:
        """:meth:`add_edges` given as columns: ``us`` and ``vs`` node ids, ``cols`` ``{attribute:
        values}`` aligned with them (``None``: that edge does not get the attribute).

        The same checks, errors and result as ``add_edges(rel, [(u, v, {a: cols[a][i], ...})])``.
        On a graph a workspace left unwired, a batch whose every source (or every target) is a
        node made since that has no edge yet, and that names no pair twice, is appended to the
        edge table as it is (no key tuple or attribute dict per edge, nothing wired) as long as
        no edge has been kept aside by ``add_edges`` (the order edges were added in stays the
        order they are walked in); any other batch goes through ``add_edges``."""
        us, vs = list(us), list(vs)
        cols = {a: list(c) for a, c in (cols or {}).items()}
        if len(vs) != len(us) or any(len(c) != len(us) for c in cols.values()):
            raise ValueError("add_edge_columns: us, vs and every column must have the same length")
        with gc_paused():
            if self._lazy_edges is not None and us:
                n = self._append_columns(rel, us, vs, cols)
                if n is not None:
                    return n
            names = list(cols)
            datas = map(dict, map(zip, repeat(names), zip(*cols.values()))) if names else repeat({})
            return self._add_edges(rel, list(zip(us, vs, datas)))

    def _append_columns(self, rel, us, vs, cols):
        """``add_edge_columns`` into the unwired table, or ``None`` when the batch does not qualify:
        every node on one side must be made since (so it has no edge of the table as read) and
        have no ``rel`` edge appended here yet, so no key of the batch can be in the graph (unless
        the batch names a pair twice: checked). Each node's position is looked up once (nodes
        made since have theirs from ``_lazy_made``); a column is checked and coded by its runs
        of one value object (see ``EdgeTable.extend_rel``)."""
        made = self._lazy_new
        if self._lazy_extra or not made or rel not in self.vocab.relations:
            return None                 # (edges kept aside come after the table's: keep the order they were added in)
        t = self._lazy_edges
        at = made.__getitem__
        for side, other in ((us, vs), (vs, us)):
            try:
                spos = array(_INT32, map(at, side))
            except KeyError:
                continue
            break
        else:
            return None
        done = self._lazy_rel_rows.get(rel)
        if done:                        # some nodes have ``rel`` rows appended: are any of them here?
            had = set()
            for a, b in done:
                had.update(t.src[a:b])
                had.update(t.dst[a:b])
            if not had.isdisjoint(spos):
                return None             # add_edges merges
        node = self._node
        distinct = dict.fromkeys(other)
        if not node.keys() >= distinct.keys():
            return None                 # add_edges names the missing node
        dom, rng = self.vocab.domain(rel), self.vocab.range(rel)
        side_ok, other_ok = (dom, rng) if side is us else (rng, dom)
        if not other_ok >= set(map(_KIND, map(node.__getitem__, distinct))):
            return None                 # add_edges says which kinds
        bad = [r for r in self._lazy_runs if r[0] not in side_ok]
        if bad:                         # the side's kinds from the runs of nodes made since
            mask = bytearray(len(t.ids))
            for _, start, n in bad:
                mask[start:start + n] = b"\x01" * n
            if any(map(mask.__getitem__, spos)):
                return None             # add_edges says which kinds
        runs = {a: _runs(c) for a, c in cols.items()}
        for a, (heads, _) in runs.items():      # a run is one value object: its heads hold every value
            self._check_column(None, a, heads, nodes=False)
        pos = {x: made[x] for x in distinct if x in made}
        if len(pos) < len(distinct):    # nodes of the table as read
            rest = [x for x in distinct if x not in pos]
            pos.update(zip(rest, map(self._table_positions(rest).__getitem__, rest)))
        opos = array(_INT32, map(pos.__getitem__, other))
        del pos, distinct
        k = len(us)
        if k > 1 and not all(map(lt, spos, islice(spos, 1, None))):     # a node twice on the side
            twice = None
            if all(map(le, spos, islice(spos, 1, None))):
                # in order: a node's rows are one run, and a pair named twice is two rows d apart in
                # it with the same other end; no row equal to the one d further on: no run that long
                for d in range(1, 9):
                    same = list(map(eq, spos, islice(spos, d, None)))
                    if not any(same):
                        twice = False
                        break
                    if any(map(and_, same, map(eq, opos, islice(opos, d, None)))):
                        twice = True
                        break
                del same
            if twice is None:           # out of order, or long runs
                n = len(t.ids)
                twice = len(set(map(add, map(mul, spos, repeat(n)), opos))) != k
            if twice:
                return None             # add_edges merges it
        m0 = len(t)
        src, dst = (spos, opos) if side is us else (opos, spos)
        t.extend_rel(src, dst, rel, runs)
        self._lazy_rel_rows.setdefault(rel, []).append((m0, m0 + k))
        self._edge_counts[rel] += k
        return k

    def _table_positions(self, xs) -> dict:
        """{id: position in the edge table's ids} for the nodes ``xs`` the table held when read."""
        t = self._lazy_edges
        if t.blocks is None or len(xs) > 4096:
            pos = self._lazy_pos = dict(zip(t.ids, range(len(t.ids))))
            return pos
        out = {}
        node, by_kind = self._node, self._by_kind
        for k in {node[x]["kind"] for x in xs}:
            nodes = iter(by_kind[k])    # its nodes as read first, run after run
            for kind, start, n in t.blocks:
                if kind == k:
                    out.update(zip(islice(nodes, n), range(start, start + n)))
        if not out.keys() >= set(xs):  # not where the blocks say: the whole index
            pos = self._lazy_pos = dict(zip(t.ids, range(len(t.ids))))
            return pos
        return out

    def _add_edges(self, rel, edges):
        if rel not in self.vocab.relations:
            known = ", ".join(sorted(self.vocab.relations))
            raise UnknownRelationError(f"unknown relation {rel!r}; the ontology defines: {known}")
        edges = edges if isinstance(edges, list) else list(edges)
        node = self._node
        us, vs = list(map(_FIRST, edges)), list(map(_SECOND, edges))
        try:
            at = node.__getitem__
            pairs = set(zip(map(_KIND, map(at, us)), map(_KIND, map(at, vs))))
        except KeyError as err:
            raise NodeNotFoundError(f"no node {err.args[0]!r} in the graph") from None
        dom, rng = self.vocab.domain(rel), self.vocab.range(rel)
        for ku, kv in pairs:
            if ku not in dom or kv not in rng:
                raise WrongEndpointError(
                    f"{rel} cannot join a {ku} to a {kv}: it goes from "
                    f"{'/'.join(sorted(dom))} to {'/'.join(sorted(rng))}")
        dicts = [e[2] for e in edges if len(e) > 2]
        if len(dicts) > 64:             # a row's edges often share one attribute dict: check each once
            dicts = list({id(d): d for d in dicts}.values())
        has_none = self._check_columns(None, dicts, nodes=False)
        del dicts
        if self._lazy_edges is not None:
            # a node made since has no edge of the table as read; of ``rel`` it may have appended rows
            fresh = self._lazy_new.__contains__ if rel not in self._lazy_rel_rows else (lambda x: False)
            if all(map(or_, map(fresh, us), map(fresh, vs))):
                return self._add_edges_unwired(rel, edges, us, vs, has_none)
            rows = self._lazy_rows([k for k in zip(us, repeat(rel), vs) if not (fresh(k[0]) or fresh(k[2]))])
            if rows:                    # some are rows of the unwired table: merge into its columns
                edges = self._merge_into_table(rel, edges, rows, has_none)
                if not edges:
                    return 0
                us, vs = list(map(_FIRST, edges)), list(map(_SECOND, edges))
            return self._add_edges_unwired(rel, edges, us, vs, has_none)
        succ, pred = self._succ, self._pred
        new = 0
        for e in edges:
            if len(e) == 2:
                u, v = e
                attrs = {}
            else:
                u, v, attrs = e
                attrs = {a: x for a, x in attrs.items() if x is not None} if has_none else dict(attrs)
            su = succ[u]
            kd = su.get(v)
            if kd is None:
                su[v] = {rel: attrs}
                pred[v][u] = su[v]
            elif rel in kd:
                kd[rel] = {**kd[rel], **attrs}     # a new dict: edges may share one (see EdgeTable)
                continue
            else:
                kd[rel] = attrs
            new += 1
        self._edge_counts[rel] += new
        return new

    def _merge_into_table(self, rel, edges, rows, has_none):
        """Merge the attributes of the ``edges`` that are ``rows`` of the unwired edge table into
        its columns (``None`` values skipped, as ``add_edge`` does); return the other edges."""
        t = self._lazy_edges
        rest = []
        for e in edges:
            i = rows.get((e[0], rel, e[1]))
            if i is None:
                rest.append(e)
                continue
            if len(e) > 2:
                for a, x in e[2].items():
                    if x is not None:
                        t.set_value(i, a, x)
        return rest

    def _add_edges_unwired(self, rel, edges, us, vs, has_none):
        """Edges that are not in the unwired edge table (of nodes made since the graph was read, or
        checked against the table), kept aside until something walks an edge: nothing is wired."""
        extra = self._lazy_extra
        if not has_none and set(map(len, edges)) == {3}:
            datas = list(map(_THIRD, edges))
            copies = {i: dict(d) for i, d in {id(d): d for d in datas}.items()}
            new = dict(zip(zip(us, repeat(rel), vs), map(copies.__getitem__, map(id, datas))))
            del copies, datas
            if len(new) == len(edges) and (not extra or extra.keys().isdisjoint(new.keys())):   # all new: in bulk
                extra.update(new)
                self._edge_counts[rel] += len(new)
                return len(new)
        new = 0
        for e in edges:
            if len(e) == 2:
                key, attrs = (e[0], rel, e[1]), {}
            else:
                key = (e[0], rel, e[1])
                attrs = {a: x for a, x in e[2].items() if x is not None} if has_none else dict(e[2])
            old = extra.get(key)
            if old is None:
                extra[key] = attrs
                new += 1
            else:
                extra[key] = {**old, **attrs}   # not in place: ``old`` may be shared with other edges
        self._edge_counts[rel] += new
        return new

    def has_edge(self, u: str, rel: str, v: str) -> bool:
        kd = self._succ.get(u, {}).get(v)
        return kd is not None and rel in kd

    def edge_attrs(self, u: str, rel: str, v: str) -> dict:
        """The edge's attribute dict itself, not a copy: read it, never change it. Edges read from a
        workspace share one dict per distinct set of values (see ``EdgeTable.row_dicts``), so a
        change made in it would show on other edges too; change an edge's attributes through
        ``add_edge``/``add_edges`` (they give it a new dict). No caller in kjqg_graph changes it."""
        return self._succ[u][v][rel]

    def remove_edge(self, u: str, rel: str, v: str) -> None:
        kd = self._succ[u][v]
        del kd[rel]
        if not kd:
            del self._succ[u][v], self._pred[v][u]
        self._edge_counts[rel] -= 1

    def out(self, u: str, rel: str) -> list:
        """Targets of ``rel`` edges leaving ``u``."""
        return [v for v, kd in self._succ[u].items() if rel in kd]

    def inn(self, v: str, rel: str) -> list:
        """Sources of ``rel`` edges entering ``v``."""
        return [u for u, kd in self._pred[v].items() if rel in kd]

    def neighbours(self, nid: str, direction: str = "out") -> list:
        """``(relation, node)`` pairs of every edge leaving (``out``) or entering (``in``) ``nid``."""
        adj = (self._succ if direction == "out" else self._pred)[nid]
        return [(rel, other) for other, kd in adj.items() for rel in kd]

    def edges(self, rel: str | None = None):
        """Yield ``(u, rel, v, attrs)`` for every edge (of one relation)."""
        for u, nbrs in self._succ.items():
            for v, kd in nbrs.items():
                for r, data in kd.items():
                    if rel is None or r == rel:
                        yield u, r, v, data

    def edge_count(self, rel: str | None = None) -> int:
        if rel is None:
            return sum(self._edge_counts.values())
        return self._edge_counts[rel]

    def counts(self) -> dict:
        """``{"nodes": {kind: n}, "edges": {rel: n}}`` with zero counts left out."""
        return {"nodes": {k: len(ids) for k, ids in self._by_kind.items() if ids},
                "edges": {r: n for r, n in sorted(self._edge_counts.items()) if n}}

    def __len__(self):
        return len(self._node)

    def __contains__(self, nid):
        return nid in self._node

    def __repr__(self):
        return f"<KnowledgeGraph {len(self)} nodes, {self.edge_count()} edges>"

    def copy(self) -> "KnowledgeGraph":
        kg = KnowledgeGraph()
        kg._node = {n: dict(d) for n, d in self._node.items()}
        kg._succ_d = {n: {} for n in self._node}
        kg._pred_d = {n: {} for n in self._node}
        for u, nbrs in self._succ.items():
            for v, kd in nbrs.items():
                new = {r: dict(d) for r, d in kd.items()}
                kg._succ[u][v] = new
                kg._pred[v][u] = new
        kg._by_kind = {k: dict(v) for k, v in self._by_kind.items()}
        kg._edge_counts = Counter(self._edge_counts)
        return kg

    def __eq__(self, other):
        """Same nodes with the same attributes and the same edges with the same attributes."""
        if not isinstance(other, KnowledgeGraph):
            return NotImplemented
        if self._node != other._node:
            return False
        mine = {(u, r, v): d for u, r, v, d in self.edges()}
        theirs = {(u, r, v): d for u, r, v, d in other.edges()}
        return mine == theirs

    __hash__ = None


# ---------------------------------------------------------------------- the unwired edge table
# array typecodes of the table's columns: 4-byte unsigned ints (positions, value codes) and
# 1-byte relation codes
_INT32 = "I" if array("I").itemsize == 4 else "L"
_CODE8 = "B"


class EdgeTable:
    """Edges as packed columns, the way a workspace reads them (``KnowledgeGraph`` wires them into
    its adjacency only when something walks an edge).

    ``ids``: node ids; ``src``, ``dst``: ``array('I')`` of positions in ``ids``; ``rel``:
    ``array('B')`` of codes into ``rel_names``; ``cols``: ``{attribute: [values, codes]}`` with
    ``codes`` an ``array('I')`` of positions in ``values`` (``None`` there: the edge lacks it).
    Four bytes per position instead of a Python int and a list slot (~36 bytes), and each
    attribute value held once however many edges share it."""

    __slots__ = ("ids", "src", "dst", "rel", "rel_names", "cols", "blocks")

    def __init__(self, ids, src, dst, rel, rel_names, cols, blocks=None):
        self.ids, self.src, self.dst, self.rel, self.rel_names, self.cols = ids, src, dst, rel, rel_names, cols
        self.blocks = blocks        # [(kind, first position, count)]: the runs of one kind in ``ids`` as read

    @classmethod
    def from_lists(cls, ids, src, dst, rels, cols):
        """From plain columns: positions, relation names, ``{attr: values}`` (``None``: lacks it)."""
        names = list(dict.fromkeys(rels))
        if len(names) > 255:
            raise ValueError("more than 255 relations in one edge table")
        code = dict(zip(names, range(len(names))))
        packed = {a: _encode(c) for a, c in cols.items()}
        return cls(ids, array(_INT32, src), array(_INT32, dst), array(_CODE8, map(code.__getitem__, rels)),
                   names, packed)

    def __len__(self):
        return len(self.src)

    def rel_counts(self) -> Counter:
        """Edges per relation (counted in C on the code bytes)."""
        raw = self.rel.tobytes()
        return Counter({r: raw.count(bytes((i,))) for i, r in enumerate(self.rel_names) if raw.count(bytes((i,)))})

    def row_dicts(self):
        """One attribute dict per row, in row order; rows with the same values share one dict
        (the graph replaces an edge's dict when it changes, never edits it in place)."""
        m = len(self.src)
        cols = [(a, vals, codes) for a, (vals, codes) in self.cols.items()]
        if not cols or not m:
            return repeat({}, m)
        if len(cols) == 1:
            a, vals, codes = cols[0]
            ds = [{} if x is None else {a: x} for x in vals]
            return map(ds.__getitem__, codes)
        varying = [c for c in cols if c[2].count(c[2][0]) != m]
        if len(varying) == 1:
            # the others hold one value on every row (a load date): one dict per value of this one,
            # the constant values in their places (key order as below), absent ones left out
            a, vals, codes = varying[0]
            names = tuple(b for b, v, c in cols if b == a or v[c[0]] is not None)
            ds = list(map(_dict_maker(names), *(vals if b == a else repeat(v[c[0]], len(vals))
                                                 for b, v, c in cols if b in names)))
            if None in vals:
                for d in compress(ds, map(is_, vals, repeat(None))):
                    del d[a]
            return map(ds.__getitem__, codes)
        names = [a for a, _, _ in cols]
        combo = cols[0][2]
        for _, vals, codes in cols[1:]:
            combo = list(map(add, map(mul, combo, repeat(len(vals))), codes))
        first = dict(zip(combo, range(m)))          # each distinct combination -> a row that has it
        picks = [list(map(vals.__getitem__, map(codes.__getitem__, first.values()))) for _, vals, codes in cols]
        if any(None in p for p in picks):
            ds = [{a: x for a, x in zip(names, row) if x is not None} for row in zip(*picks)]
        elif len(names) == 2:
            a, b = names
            ds = [{a: x, b: y} for x, y in zip(*picks)]
        else:
            ds = list(map(dict, map(zip, repeat(names), zip(*picks))))
        at = dict(zip(first, ds))
        return map(at.__getitem__, combo)

    def values(self, attr) -> list:
        """The ``attr`` value of every row (``None`` where an edge lacks it)."""
        vals, codes = self.cols[attr]
        return list(map(vals.__getitem__, codes))

    def set_value(self, i, attr, x):
        """Give row ``i`` the value ``x`` of ``attr``."""
        col = self.cols.get(attr)
        if col is None:
            col = self.cols[attr] = [[None], array(_INT32, bytes(4 * len(self.src)))]
        vals, codes = col
        vals.append(x)
        codes[i] = len(vals) - 1

    def append(self, src, dst, rels, cols):
        """Add rows: positions, relation names and ``{attr: values}`` (``None``: lacks it)."""
        m0, k = len(self.src), len(src)
        self.src.extend(src)
        self.dst.extend(dst)
        names = self.rel_names
        for r in dict.fromkeys(rels):
            if r not in names:
                names.append(r)
        if len(names) > 255:
            raise ValueError("more than 255 relations in one edge table")
        code = dict(zip(names, range(len(names))))
        self.rel.extend(map(code.__getitem__, rels))
        for a in set(self.cols).union(cols):
            col = self.cols.get(a)
            if col is None:
                col = self.cols[a] = [[None], array(_INT32, bytes(4 * m0))]
            new = cols.get(a)
            if new is None:
                col[1].extend(array(_INT32, bytes(4 * k)) if None in col[0][:1] else [_none_code(col)] * k)
                continue
            col[1].extend(map(_code_values(col, new).__getitem__, new))

    def extend_rel(self, src, dst, rel, runs):
        """Add rows of one relation: position arrays ``src``, ``dst`` and ``{attr: (heads, starts)}``
        (``_runs`` of each column; a ``None`` value: the edge lacks it). Each run gets one code:
        a column whose runs are few (dates, flags) is coded against its values (each distinct
        value held once); a column of mostly distinct values (a source per row) gets its run
        heads appended to its values as they are, without looking for them there (a value may
        then be held twice; each code still names the right one)."""
        names = self.rel_names
        if rel not in names and len(names) >= 255:
            raise ValueError("more than 255 relations in one edge table")
        m0, k = len(self.src), len(src)
        self.src.extend(src)
        self.dst.extend(dst)
        if rel not in names:
            names.append(rel)
        self.rel.extend(array(_CODE8, [names.index(rel)]) * k)
        for a in set(self.cols).union(runs):
            col = self.cols.get(a)
            if col is None:
                col = self.cols[a] = [[None], array(_INT32, bytes(4 * m0))]
            r = runs.get(a)
            if r is None:
                col[1].extend(array(_INT32, bytes(4 * k)) if None in col[0][:1] else array(_INT32, [_none_code(col)]) * k)
                continue
            heads, starts = r
            if not heads:
                continue
            vals, codes = col
            if len(heads) > 4096 and len(set(heads[:256])) > 128:       # mostly distinct
                base = len(vals)
                vals.extend(heads)
                codes.extend(accumulate(chain((base,), starts)))
                continue
            head_codes = list(map(_code_values(col, heads).__getitem__, heads))
            codes.extend(map(head_codes.__getitem__, accumulate(chain((0,), starts))))


def _code_values(col, values) -> dict:
    """``{value: code}`` for ``values`` in a coded column ``col`` (``[values, codes]``): None gets
    the column's None code; a value already held is reused when the list is short (dates, flags);
    the others are appended to the column's values, each once."""
    vals = col[0]
    distinct = dict.fromkeys(values)
    at = {None: _none_code(col)} if None in distinct else {}
    distinct.pop(None, None)
    if len(vals) <= 4096:       # a short list (dates): reuse its codes
        known = dict(zip(vals, range(len(vals))))
        at.update((x, known[x]) for x in distinct if x in known)
        distinct = [x for x in distinct if x not in known]
    at.update(zip(distinct, range(len(vals), len(vals) + len(distinct))))
    vals.extend(distinct)
    return at


def _runs(col):
    """``(heads, starts)`` of a column: the first value of each run of one value object (``is``)
    and, for each value after the first, whether it starts a run (a bool). Two equal values that
    are different objects start two runs: only the sharing of a value is lost, never a value."""
    starts = list(map(is_not, islice(col, 1, None), col))
    heads = list(compress(islice(col, 1, None), starts))
    if col:
        heads.insert(0, col[0])
    return heads, starts


def _none_code(col):
    """The code of ``None`` (absent) in an encoded column, added to its values if needed."""
    vals = col[0]
    try:
        return vals.index(None)
    except ValueError:
        vals.append(None)
        return len(vals) - 1


def _encode(values):
    """``[distinct values, array of codes]`` of one attribute column."""
    distinct = list(dict.fromkeys(values))
    at = dict(zip(distinct, range(len(distinct))))
    return [distinct, array(_INT32, map(at.__getitem__, values))]


def _keydict(rel, attrs):
    return {rel: attrs}


def _wire(node, t: EdgeTable):
    """The adjacency (successors, predecessors) of an edge table: every row is set in C (``map``
    over ``dict.__setitem__``) in row order; pairs joined by several relations, which would
    overwrite each other there, then get their merged ``{relation: attrs}`` dict in place."""
    succ = {n: {} for n in node}
    pred = {n: {} for n in node}
    m = len(t.src)
    if not m:
        return succ, pred
    ids, rn = t.ids, t.rel_names
    us, vs = list(map(ids.__getitem__, t.src)), list(map(ids.__getitem__, t.dst))
    rels = list(map(rn.__getitem__, t.rel))
    datas = list(t.row_dicts())
    kds = list(map(_keydict, rels, datas))                    # {rel: attrs} per row
    deque(map(dict.__setitem__, map(succ.__getitem__, us), vs, kds), 0)
    if sum(map(len, succ.values())) != m:                     # some pair has several rows
        n = len(ids)
        keys = list(map(add, map(mul, t.src, repeat(n)), t.dst))
        counts = Counter(keys)
        merged = {k: {} for k, c in counts.items() if c > 1}
        del counts
        rows = [i for i, k in enumerate(keys) if k in merged]
        for i in rows:
            merged[keys[i]][rels[i]] = datas[i]
        for i in rows:
            kds[i] = merged[keys[i]]
            succ[us[i]][vs[i]] = kds[i]
    deque(map(dict.__setitem__, map(pred.__getitem__, vs), us, kds), 0)
    return succ, pred
