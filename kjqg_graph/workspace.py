"""The embedded store: a knowledge graph persisted in a workspace folder.

Layout of a workspace folder (``--workspace``, env ``KJQG_HOME``, default ``./.kjqg``)::

    graph.kjqg   line 1: a JSON header (format, version, counts, meta, each section's stored and
                 unpacked length -- opening refuses a section that would unpack to more);
                 then the sections back to back, each compressed on its own with zstd (``codec``)
                 when it is installed: the nodes as JSON in chunks of one kind, then the edge
                 table (its relation names and attribute values as JSON, its positions and codes
                 as fixed-width binary columns; see "body" below)
    lock         held (flock) by the one process that is writing

Plain JSON and plain numbers only (zstd is a compression of bytes, not a serialisation of
objects): opening a workspace that was mailed around never runs code. Formats 1 (one
uncompressed JSON body on line 2) and 2 (one JSON nodes and one JSON edges section) are still
read. Saving writes a temporary file beside the old one, fsyncs it, renames it over the old one
and fsyncs the folder, so a process killed at any moment leaves either the
old or the new graph, never half of one.
"""
from __future__ import annotations

import datetime as _dt
import errno
import fcntl
import json
import os
import sys
import time
from array import array
from bisect import bisect_right
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from itertools import chain, groupby, islice, repeat
from operator import is_, itemgetter
from pathlib import Path

from .errors import (WorkspaceCorruptError, WorkspaceLockedError, WorkspaceNotFoundError,
                     WorkspaceVersionError)
from ._gc import gc_paused
from .graph import _CODE8, _INT32, _KIND, EdgeTable, KnowledgeGraph
from .vocab import vocabulary

try:                                    # 3-6x faster than the json module both ways
    import orjson as _orjson

    _loads = _orjson.loads
    _dumps = _orjson.dumps
except ImportError:                     # pragma: no cover - orjson is a dependency
    _loads = json.loads

    def _dumps(obj):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

__all__ = ["Workspace", "FORMAT", "FORMAT_VERSION", "DEFAULT_WORKSPACE"]

FORMAT = "kjqg-workspace"
FORMAT_VERSION = 3
_V2_SECTIONS = ["nodes", "edges"]
DEFAULT_WORKSPACE = ".kjqg"
GRAPH_FILE = "graph.kjqg"
LOCK_FILE = "lock"
ZSTD_LEVEL = 1          # 100k enterprises: 59 MB of JSON -> 3 MB in 0.06 s; level 3 saves 4 % more
# A section's JSON may be at most MAX_EXPANSION times its compressed size and MAX_SECTION bytes
# (1M enterprises: ~20x, ~0.7 GB): a crafted file cannot make opening it allocate more than that.
MAX_EXPANSION = 1024
# The console script sets this to a list: every graph read is kept alive until the process ends
# with os._exit, so a command does not spend ~0.4-0.8 s (100k) freeing it object by object.
KEEP_ALIVE = None
MAX_SECTION = 8 << 30


def _zstd():
    try:
        import zstandard
    except ImportError:                 # pragma: no cover - zstandard is a dependency
        return None
    return zstandard


class Workspace:
    """A workspace folder. ``load()`` reads the graph; ``transaction()`` is the way to change it."""

    def __init__(self, path=None):
        if path is None:
            path = os.environ.get("KJQG_HOME") or DEFAULT_WORKSPACE
        self.path = Path(path)
        self.timings = {}       # seconds by phase of the last load or save (for the benchmarks)

    @property
    def graph_file(self) -> Path:
        return self.path / GRAPH_FILE

    def exists(self) -> bool:
        return self.graph_file.is_file()

    def init(self) -> bool:
        """Create an empty workspace; return False if one is already there."""
        if self.path.exists() and not self.path.is_dir():
            raise WorkspaceNotFoundError(f"{self.path} is a file, not a workspace folder; choose another --workspace")
        self.path.mkdir(parents=True, exist_ok=True)
        if self.exists():
            return False
        with self.lock():
            if not self.exists():
                self.save(KnowledgeGraph(), _locked=True)
        return True

    # ------------------------------------------------------------------ reading
    def _missing(self):
        return WorkspaceNotFoundError(
            f"no workspace at {self.path}; create one with `kjqg init` (or pass --workspace / set KJQG_HOME)")

    def read_header(self) -> dict:
        """The header line alone: format, version, when saved, ``counts`` (nodes by kind, edges by relation)."""
        if not self.exists():
            raise self._missing()
        with open(self.graph_file, "rb") as f:
            return self._header(f.readline())

    def _header(self, line: bytes) -> dict:
        try:
            header = _loads(line)
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise WorkspaceCorruptError(f"{self.graph_file} is not a kjqg workspace file")
        version = header.get("version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise WorkspaceVersionError(
                f"{self.graph_file} was written by a newer kjqg-graph (workspace format {version}); "
                f"this one reads format {FORMAT_VERSION}. Upgrade kjqg-graph to open it.")
        return header

    def counts(self) -> dict:
        """``{"nodes": {kind: n}, "edges": {rel: n}}`` as the header records it (no graph is read)."""
        counts = self.read_header().get("counts")
        try:
            vocab = vocabulary()
            ok = (counts["nodes"].keys() <= vocab.kinds.keys() and counts["edges"].keys() <= vocab.relations.keys()
                  and all(type(n) is int and n >= 0 for part in counts.values() for n in part.values()))
        except (TypeError, KeyError, AttributeError):
            ok = False
        if not ok:                      # a header without sound counts: count the graph itself
            return self.load().counts()
        return counts

    def load(self) -> KnowledgeGraph:
        """Read the graph. Raises WorkspaceNotFoundError when there is none."""
        if not self.exists():
            raise self._missing()
        t0 = time.perf_counter()
        # building ~10^6 small dicts: the collector would only rescan them; a graph kept until the
        # process ends is frozen (no collection need scan it again)
        with open(self.graph_file, "rb") as f, gc_paused(freeze=KEEP_ALIVE is not None):
            header = self._header(f.readline())
            try:
                raw = f.read()
                t1 = time.perf_counter()
                if header["version"] == 1:
                    body = _loads(raw)
                    t2 = time.perf_counter()
                    kg = _from_columns(body["nodes"], body["edges"], 1)
                    meta = body.get("meta", {})
                elif header["version"] == 2:
                    parts, unpack = self._sections(header, raw, _V2_SECTIONS)
                    nodes, edges = (_loads(unpack(b, name, n)) for name, b, n in parts)
                    t2 = time.perf_counter()
                    kg = _from_columns(nodes, edges)
                    meta = header.get("meta", {})
                else:
                    t2 = t1
                    kg = _read_v3(*self._sections(header, raw, None))
                    kg._stored_codec = header.get("codec")
                    meta = header.get("meta", {})
                del raw
                self.timings = {"read": t1 - t0, "parse": t2 - t1, "build": time.perf_counter() - t2}
                self.timings.update(getattr(kg, "_read_timings", {}))
            except ValueError as e:
                raise WorkspaceCorruptError(f"{self.graph_file} is damaged ({e}); restore it from a copy") from None
            except (KeyError, IndexError, TypeError, AttributeError, OverflowError) as e:
                raise WorkspaceCorruptError(f"{self.graph_file} is damaged ({e!r}); restore it from a copy") from None
        kg._kept = KEEP_ALIVE is not None
        kg.meta = dict(meta) if isinstance(meta, dict) else {}
        kg.meta["saved"] = header.get("saved")
        if KEEP_ALIVE is not None:
            KEEP_ALIVE.append(kg)
        return kg

    def _sections(self, header, raw, names):
        """The sections of ``raw`` and a function that unpacks one: ``([(name, stored bytes,
        declared length)], unpack(stored, name, declared, exact=None))``. A section may unpack to
        at most MAX_EXPANSION times its stored size, or to ``exact`` bytes when the caller knows
        its size from a section checked before. ``names``: the order format 2 requires (format 3
        checks its own in ``_read_v3``)."""
        codec = header.get("codec")
        sections = header["sections"]
        if (not isinstance(sections, list) or not all(isinstance(s, list) and len(s) in (2, 3)
                                                       and isinstance(s[0], str) for s in sections)
                or (names is not None and [s[0] for s in sections] != names)):
            raise ValueError("the sections do not match the header")
        if names is None and not all(len(s) == 3 and type(s[2]) is int and s[2] >= 0 for s in sections):
            raise ValueError("a section of the header declares no unpacked length")     # format 3: each must
        sizes = [s[1] for s in sections]
        if not all(type(n) is int and n >= 0 for n in sizes) or sum(sizes) != len(raw):
            raise ValueError("the sections do not match the header (a truncated file?)")
        if codec == "zstd":
            zstd = _zstd()
            if zstd is None:
                raise WorkspaceCorruptError(
                    f"{self.graph_file} is zstd-compressed and the zstandard package is missing; "
                    f"reinstall kjqg-graph (pip install zstandard)")
            dec = zstd.ZstdDecompressor()

            def unpack(b, name, declared, exact=None):
                limit = min(MAX_SECTION, MAX_EXPANSION * len(b) + (1 << 20)) if exact is None else exact
                if declared is not None and (type(declared) is not int or not 0 <= declared <= limit):
                    raise ValueError(f"the {name} section declares {declared!r} bytes, more than it can hold")
                try:
                    size = zstd.frame_content_size(b)
                    if size == -1 and names is None:    # format 3 frames record it (see save)
                        raise ValueError(f"the {name} section does not record its unpacked length")
                    if size > limit or (declared is not None and size not in (-1, declared)):
                        raise ValueError(f"the {name} section would unpack to {size} bytes, not {declared}")
                    out = dec.decompress(b, max_output_size=declared if declared is not None else limit)
                except zstd.ZstdError as e:
                    raise ValueError(f"the {name} section does not unpack: {e}") from None
                if declared is not None and len(out) != declared:
                    raise ValueError(f"the {name} section unpacks to {len(out)} bytes, not the {declared} "
                                     f"the header declares (a truncated section?)")
                return out
        elif codec is None:
            def unpack(b, name, declared, exact=None):
                if declared is not None and declared != len(b):
                    raise ValueError(f"the {name} section holds {len(b)} bytes, not the {declared} "
                                     f"the header declares (a truncated section?)")
                return b
        else:
            raise ValueError(f"unknown codec {codec!r}")
        view = memoryview(raw)
        out, at = [], 0
        for section in sections:
            name, n = section[0], section[1]
            out.append((name, view[at:at + n], section[2] if len(section) > 2 else None))
            at += n
        return out, unpack

    def load_or_empty(self) -> KnowledgeGraph:
        if not self.exists():
            kg = KnowledgeGraph()
            kg.meta = {}
            if KEEP_ALIVE is not None:
                KEEP_ALIVE.append(kg)
            return kg
        return self.load()

    # ------------------------------------------------------------------ writing
    @contextmanager
    def lock(self, timeout: float | None = None):
        """Hold the workspace's write lock; wait up to ``timeout`` seconds (env KJQG_LOCK_TIMEOUT, default 10)."""
        if timeout is None:
            timeout = float(os.environ.get("KJQG_LOCK_TIMEOUT", "10"))
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as e:
                    if e.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
                        raise WorkspaceLockedError(
                            f"the workspace {self.path} is being written by {holder}; "
                            f"waited {timeout:g} s. Try again when it has finished "
                            f"(or raise KJQG_LOCK_TIMEOUT).") from None
                    time.sleep(0.05)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
            yield
        finally:
            os.close(fd)   # closing releases the flock

    @contextmanager
    def transaction(self):
        """Lock, load (or start empty), yield the graph, save it if the block succeeds.

        If the block raises, nothing is written: the workspace stays as it was.
        """
        with self.lock():
            kg = self.load_or_empty()
            yield kg
            self.save(kg, _locked=True)

    def save(self, kg: KnowledgeGraph, _locked: bool = False) -> None:
        """Write ``kg`` atomically (takes the lock unless the caller holds it)."""
        if not _locked:
            with self.lock():
                return self.save(kg, _locked=True)
        self.path.mkdir(parents=True, exist_ok=True)
        for stale in self.path.glob(GRAPH_FILE + ".tmp.*"):
            stale.unlink(missing_ok=True)       # left by a save that was killed; we hold the lock
        meta = dict(getattr(kg, "meta", {}) or {})
        meta.pop("saved", None)
        zstd = _zstd()
        codec = "zstd" if zstd is not None else None
        t0 = time.perf_counter()
        timings = {}
        with gc_paused(), ThreadPoolExecutor(1) as pool:
            # zstd lets go of the GIL: one thread compresses a section while the next is laid out;
            # at most two sections wait unpacked, so the whole JSON text never exists at once
            if zstd is not None:
                comp = zstd.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True)
                compress = comp.compress
            else:
                compress = bytes
            spent = []

            def pack(data):             # (in the worker thread: the seconds it spends compressing)
                t = time.perf_counter()
                out = compress(data)
                spent.append(time.perf_counter() - t)
                return out
            jobs = []

            waits = {"nodes": 0.0, "edges": 0.0}

            def put(name, data):
                if type(data) is _Stored:   # as read, compressed the same way
                    done = Future()
                    done.set_result(data.packed)
                    jobs.append((name, done, data.declared))
                    return
                if len(jobs) >= 2:
                    t = time.perf_counter()
                    jobs[-2][1].result()
                    waits["nodes" if name == "nodes" else "edges"] += time.perf_counter() - t
                jobs.append((name, pool.submit(pack, data), len(data)))
            stored = kg._stored if getattr(kg, "_stored_codec", False) == codec else {}
            for name, data in _v3_sections(kg, timings, stored):
                put(name, data)
                del data
            t2 = time.perf_counter()
            blobs = [(name, job.result(), n) for name, job, n in jobs]
        t3 = time.perf_counter()
        header = {"format": FORMAT, "version": FORMAT_VERSION,
                  "saved": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                  "counts": kg.counts(), "codec": codec,
                  "sections": [[name, len(b), n] for name, b, n in blobs],
                  "meta": meta}
        tmp = self.path / f"{GRAPH_FILE}.tmp.{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(_dumps(header))
            f.write(b"\n")
            for _, b, _ in blobs:
                f.write(b)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.graph_file)
        dfd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        # nodes, edges: laying the sections out (JSON, binary columns; the main thread); compress:
        # the seconds spent compressing them (a worker thread, mostly while the next section is laid
        # out); wait: what the main thread waited for compression, at most two sections at a time,
        # with the last ones at the end; write: the header, the file, fsync and rename
        t1 = timings["nodes_end"]
        self.timings = {"nodes": t1 - t0 - waits["nodes"], "edges": t2 - t1 - waits["edges"],
                        "compress": sum(spent), "wait": waits["nodes"] + waits["edges"] + t3 - t2,
                        "write": time.perf_counter() - t3}


# ---------------------------------------------------------------------- body
# Format 3 (written now): after the header line, the sections back to back, each compressed on
# its own (zstd frame with checksum and content size):
#   "nodes"  (one or more): JSON {"kind", "ids", "attrs"}, at most NODE_CHUNK nodes of one kind
#                           (each node's attribute dict as a JSON object: the parser builds it in C);
#                           a kind may come in several runs (a graph saved unwalked keeps its edge
#                           table's order: the nodes as read, then those made since); a kind's nodes
#                           are its runs in file order, and ``_node`` is filled kind by kind;
#   "edges":  JSON {"m": rows, "rel": [relation names], "cols": {attribute: [distinct values]}};
#   "src", "dst": m little-endian int32, positions of the edge's ends in the node order above;
#   "rel":    m bytes, codes into "rel";
#   "col:<attribute>" for each attribute of "cols" in its order: m little-endian int32, codes
#             into that attribute's values (a null value: the edge lacks the attribute).
# Numbers are fixed-width binary read straight into arrays (no Python object per edge); every
# length, position and code is checked before the graph is built. Format 2 had one JSON nodes
# document and one JSON edge table ({"src", "dst", "rel", "cols"} as lists); format 1 one
# uncompressed JSON body on line 2 with a table per relation. Both are still read.
# Opening builds ``_node`` and ``_by_kind`` and keeps the edges as an ``EdgeTable``, wired into
# the adjacency when a command first walks an edge (``KnowledgeGraph._wire_edges``).

NODE_CHUNK = 1 << 16
# A nodes section of at least REUSE_MIN nodes is kept as read, to be written again as it is (the
# smaller ones are made again with the nodes that follow them: a kind's sections stay few)
REUSE_MIN = NODE_CHUNK // 4


class _Stored:
    """A section as it was read: its stored (compressed) bytes and unpacked length."""
    __slots__ = ("packed", "declared")

    def __init__(self, packed, declared):
        self.packed, self.declared = packed, declared
_LE = sys.byteorder == "little"


def _v3_sections(kg: KnowledgeGraph, timings: dict, stored: dict):
    """(name, bytes) of each section, made one at a time (``timings["nodes_end"]``: when the last
    nodes section was made). A nodes section read from the workspace (``stored``: kind -> sections
    of ``KnowledgeGraph._stored``) whose kind has not changed since and whose nodes are still the
    ones it held comes as ``(name, _Stored)``: its bytes as read, not made again.

    A graph whose edges were never walked is saved in its edge table's node order (the nodes as
    read, then the ones made since, a run of one kind at a time): the table's positions are
    written as they are. A walked graph is saved kind by kind, its edges laid out from the
    adjacency. Either way the graph read back has the same nodes in the same order."""
    node = kg._node
    t = kg._lazy_edges
    if t is not None and len(t.ids) != len(node):
        kg._succ                        # (cannot happen: every node made since is in the table) walk it
        t = None
    if t is not None:
        runs = list(_table_runs(kg)) + [tuple(r) for r in kg._lazy_runs]
        chunks = [(kind, t.ids[start:start + n]) for kind, start, n in runs]
        old = {c[0]: c for cs in stored.values() for c in cs}   # first position -> a section as read
    else:
        chunks = [(kind, list(ids)) for kind, ids in kg._by_kind.items() if ids]
        old, at = {}, 0
        for kind, ids in chunks:        # (where a kind's sections as read fall in the kind-by-kind order)
            old.update((at + c[1], c) for c in stored.get(kind, ()))
            at += len(ids)
    at = 0
    starts = sorted(old)
    for kind, ids in chunks:
        i, n = 0, len(ids)
        while i < n:
            c = old.get(at + i)
            if c is not None:
                _, _, chunk, datas, nkeys, packed, declared = c
                k = len(chunk)
                if (ids[i:i + k] == chunk and all(map(is_, map(node.__getitem__, chunk), datas))
                        and sum(map(len, datas)) == nkeys):
                    yield "nodes", _Stored(packed, declared)
                    i += k
                    continue            # (otherwise changed behind the graph's back: made again)
            j = bisect_right(starts, at + i)        # made up to the next section as read, if sooner
            stop = min(n, i + NODE_CHUNK, starts[j] - at if j < len(starts) else n)
            chunk = ids[i:stop]
            yield "nodes", _dumps({"kind": kind, "ids": chunk, "attrs": list(map(node.__getitem__, chunk))})
            i = stop
        at += n
    timings["nodes_end"] = time.perf_counter()
    src, dst, rel, rel_names, cols = _file_table(kg) if t is not None else _walked_table(kg)
    cols = dict(sorted(cols.items()))
    yield "edges", _dumps({"m": len(src), "rel": rel_names, "cols": {a: vals for a, (vals, _) in cols.items()}})
    yield "src", _le(src)
    yield "dst", _le(dst)
    yield "rel", rel.tobytes()
    for a, (_, codes) in cols.items():
        yield "col:" + a, _le(codes)


def _le(a) -> bytes:
    if _LE:
        return a.tobytes()
    b = array(a.typecode, a)
    b.byteswap()
    return b.tobytes()


def _table_runs(kg: KnowledgeGraph):
    """``(kind, first position, count)`` of each run of one kind in the unwired edge table's ids as
    read (``EdgeTable.blocks``, or found from the nodes' kinds when not known)."""
    t = kg._lazy_edges
    if t.blocks is not None:
        return t.blocks
    n_old = len(t.ids) - sum(r[2] for r in kg._lazy_runs)
    runs, at = [], 0
    for kind, group in groupby(map(_KIND, map(kg._node.__getitem__, islice(t.ids, n_old)))):
        n = sum(1 for _ in group)
        runs.append((kind, at, n))
        at += n
    return runs


def _walked_table(kg: KnowledgeGraph):
    """(src, dst, rel, rel_names, cols) of every edge of a walked graph, laid out from its adjacency
    (positions in the kind-by-kind node order)."""
    index = dict(zip(chain.from_iterable(kg._by_kind.values()), range(len(kg._node))))
    src, dst, rels, cols = _edge_table(kg._succ_d, index)
    del index
    et = EdgeTable.from_lists(None, src, dst, rels, cols)
    return et.src, et.dst, et.rel, et.rel_names, et.cols


def _file_table(kg: KnowledgeGraph):
    """(src, dst, rel, rel_names, cols) of every edge of an unwired graph saved in its table's node
    order: the table's own columns, with the edges ``add_edges`` kept aside appended (a copy)."""
    t = kg._lazy_edges
    extra = kg._lazy_extra              # edges added since: of new nodes, or checked not in the table
    if not extra:
        return t.src, t.dst, t.rel, t.rel_names, t.cols
    et = EdgeTable(None, array(_INT32, t.src), array(_INT32, t.dst), array(_CODE8, t.rel), list(t.rel_names),
                   {a: [list(vals), array(_INT32, codes)] for a, (vals, codes) in t.cols.items()})
    keys, datas = list(extra), list(extra.values())
    us, vs = list(map(itemgetter(0), keys)), list(map(itemgetter(2), keys))
    made = kg._lazy_new
    ends = dict.fromkeys(chain(us, vs))
    index = {x: made[x] for x in ends if x in made}
    rest = [x for x in ends if x not in index]
    if rest:
        index.update(kg._table_positions(rest))
    at = index.__getitem__
    names = set(chain.from_iterable(datas))
    et.append(array(_INT32, map(at, us)), array(_INT32, map(at, vs)), list(map(itemgetter(1), keys)),
              {a: list(map(dict.get, datas, repeat(a))) for a in names})
    return et.src, et.dst, et.rel, et.rel_names, et.cols


def _edge_table(succ, index):
    """(src, dst, rel, {attr: column}) of every edge, in the order of ``succ``."""
    vs = list(chain.from_iterable(succ.values()))
    kds = list(chain.from_iterable(map(dict.values, succ.values())))
    us = list(chain.from_iterable(map(repeat, succ, map(len, succ.values()))))
    lens = list(map(len, kds))
    if lens.count(1) != len(lens):      # a pair joined by several relations: one row each
        us = list(chain.from_iterable(map(repeat, us, lens)))
        vs = list(chain.from_iterable(map(repeat, vs, lens)))
    rels = list(chain.from_iterable(kds))
    datas = list(chain.from_iterable(map(dict.values, kds)))
    names = set(chain.from_iterable(datas))
    cols = {a: list(map(dict.get, datas, repeat(a))) for a in names}
    at = index.__getitem__
    return list(map(at, us)), list(map(at, vs)), rels, cols


def _share(kg: KnowledgeGraph, kind: str, datas: list, canon: dict) -> None:
    """Make the nodes of ``datas`` share one string object per repeated value of ``kind`` and of
    the attributes whose values come from a short list (dates, value schemes): ~60 bytes less
    per node and value (the parser makes a new string each time)."""
    deque(map(dict.__setitem__, datas, repeat("kind"), repeat(kind)), 0)
    attrs = kg.vocab.attributes
    for a in set(chain.from_iterable(datas[:64])):
        meta = attrs.get(a)
        if meta is None or (meta["scheme"] is None and meta["datatype"] != "date"):
            continue
        col = list(map(dict.get, datas, repeat(a)))
        if None in col:
            for d, x in zip(datas, col):
                if x is not None and type(x) is str:
                    d[a] = canon.setdefault(x, x)
        elif set(map(type, col)) == {str}:
            deque(map(dict.__setitem__, datas, repeat(a), map(canon.setdefault, col, col)), 0)


def _check_nodes(kg, kind, ids, datas):
    if kind not in kg.vocab.kinds:
        raise KeyError(f"unknown node kind {str(kind)[:40]!r}")
    if not isinstance(ids, list) or not isinstance(datas, list) or len(ids) != len(datas):
        raise KeyError(f"node block {kind} is inconsistent")
    if not set(map(type, ids)) <= {str} or not set(map(type, datas)) <= {dict} \
            or set(map(_KIND, datas)) - {kind}:
        raise KeyError(f"node block {kind} is inconsistent")


def _read_v3(parts, unpack) -> KnowledgeGraph:
    t0 = time.perf_counter()
    kg = KnowledgeGraph()
    node, by_kind, stored = kg._node, kg._by_kind, kg._stored
    kinds = {k: k for k in kg.vocab.kinds}
    all_ids, blocks, canon, of_kind = [], [], {}, {}
    parts = iter(parts)
    name, packed, declared = next(parts, (None, None, None))
    while name == "nodes":
        block = _loads(unpack(packed, name, declared))
        if not isinstance(block, dict):
            raise KeyError("a nodes section is not an object")
        kind, ids, datas = block["kind"], block["ids"], block["attrs"]
        _check_nodes(kg, kind, ids, datas)
        kind = kinds[kind]
        _share(kg, kind, datas, canon)
        of_kind.setdefault(kind, []).append((ids, datas))
        mine = by_kind[kind]
        if len(ids) >= REUSE_MIN:       # (written again as it is by a save while its kind is unchanged)
            stored.setdefault(kind, []).append((len(all_ids), len(mine), ids, datas, sum(map(len, datas)),
                                                packed, declared))
        mine.update(dict.fromkeys(ids))
        if ids:                         # the runs of one kind (a graph saved unwalked: its table's order)
            if blocks and blocks[-1][0] == kind:
                blocks[-1] = (kind, blocks[-1][1], blocks[-1][2] + len(ids))
            else:
                blocks.append((kind, len(all_ids), len(ids)))
        all_ids += ids
        del block, ids, datas
        name, packed, declared = next(parts, (None, None, None))
    for kind in by_kind:                # the nodes kind by kind (the order a walked graph is saved in)
        for ids, datas in of_kind.get(kind, ()):
            node.update(zip(ids, datas))
    del of_kind
    if len(node) != len(all_ids):
        raise KeyError("duplicate node ids")
    if name != "edges":
        raise ValueError("the sections do not match the header")
    t1 = time.perf_counter()
    head = _loads(unpack(packed, name, declared))
    m, rel_names, vals = head["m"], head["rel"], head["cols"]
    if (type(m) is not int or m < 0 or not isinstance(rel_names, list) or not isinstance(vals, dict)
            or not all(isinstance(v, list) for v in vals.values()) or len(rel_names) > 255):
        raise KeyError("the edge table is inconsistent")
    want = ["src", "dst", "rel", *("col:" + a for a in vals)]
    got = {}
    for name, packed, declared in parts:
        if not want or name != want[0]:
            raise ValueError("the sections do not match the header")
        want.pop(0)
        typecode = _CODE8 if name == "rel" else _INT32
        a = array(typecode)
        # src obeys the expansion cap, which bounds m; the other columns (a constant column packs
        # into almost nothing) may unpack to exactly m values and no more
        data = unpack(packed, name, declared, None if name == "src" else m * a.itemsize)
        if len(data) != m * a.itemsize:
            raise KeyError(f"the edge table is inconsistent ({name})")
        a.frombytes(data)
        del data
        if not _LE and a.itemsize > 1:
            a.byteswap()
        got[name] = a
    if want:
        raise ValueError("the sections do not match the header")
    n = len(all_ids)
    src, dst, rel = got["src"], got["dst"], got["rel"]
    if m and (max(src) >= n or max(dst) >= n):         # unsigned: no position is below 0
        raise IndexError("an edge points outside the node list")
    if m and max(rel) >= len(rel_names):
        raise KeyError("a relation code outside the relation list")
    cols = {}
    for a, v in vals.items():
        codes = got["col:" + a]
        if m and max(codes) >= len(v):
            raise KeyError(f"a code outside the values of {a}")
        cols[a] = [v, codes]
    unknown = set(rel_names) - kg.vocab.relations.keys()
    if unknown:
        raise KeyError(f"unknown relation {sorted(map(str, unknown))[0]}")
    t = EdgeTable(all_ids, src, dst, rel, rel_names, cols, blocks)
    kg._edge_counts = t.rel_counts()
    kg._lazy_edges = t
    kg._read_timings = {"nodes": t1 - t0, "edges": time.perf_counter() - t1}   # (for the benchmarks)
    return kg


def _from_columns(nodes: dict, edges: dict, version: int = 2) -> KnowledgeGraph:
    """A graph from format 1 or 2's nodes document and edge table."""
    kg = KnowledgeGraph()
    node = kg._node
    all_ids, blocks, canon = [], [], {}
    kinds = {k: k for k in kg.vocab.kinds}
    for kind, block in nodes.items():
        ids, datas = block["ids"], block["attrs"]
        _check_nodes(kg, kind, ids, datas)
        kind = kinds[kind]
        _share(kg, kind, datas, canon)
        node.update(zip(ids, datas))
        kg._by_kind[kind] = dict.fromkeys(ids)
        if ids:
            blocks.append((kind, len(all_ids), len(ids)))
        all_ids.extend(ids)
    if len(node) != len(all_ids):
        raise KeyError("duplicate node ids")
    if version == 1:
        edges = _v1_table(edges)
    src, dst = edges["src"], edges["dst"]
    rels = _values(edges["rel"])
    cols = {a: _values(c) for a, c in edges["cols"].items()}
    m, n = len(src), len(all_ids)
    if len(dst) != m or len(rels) != m or any(len(c) != m for c in cols.values()):
        raise KeyError("the edge table is inconsistent")
    if not (isinstance(src, list) and isinstance(dst, list) and isinstance(rels, list)):
        raise KeyError("the edge table is inconsistent")
    if not set(map(type, src)) <= {int} or not set(map(type, dst)) <= {int}:
        raise ValueError("the edge table holds node positions that are not whole numbers")
    if src and (min(src) < 0 or max(src) >= n or min(dst) < 0 or max(dst) >= n):
        raise IndexError("an edge points outside the node list")
    if not set(map(type, rels)) <= {str}:
        raise KeyError("the edge table is inconsistent")
    unknown = set(rels) - kg.vocab.relations.keys()
    if unknown:
        raise KeyError(f"unknown relation {sorted(map(str, unknown))[0]}")
    t = EdgeTable.from_lists(all_ids, src, dst, rels, cols)
    t.blocks = blocks
    kg._edge_counts = t.rel_counts()
    kg._lazy_edges = t
    return kg


def _values(col):
    if isinstance(col, list):
        return col
    return list(map(col["dict"].__getitem__, col["codes"]))



def _v1_table(blocks: dict) -> dict:
    """Format 1's per-relation edge blocks as one table."""
    src, dst, rels, cols = [], [], [], {}
    for rel, block in blocks.items():
        m, at = len(block["src"]), len(src)
        src += block["src"]
        dst += block["dst"]
        rels += repeat(rel, m)
        for a, c in block["cols"].items():
            col = cols.setdefault(a, [None] * at)
            col += _values(c)
        for col in cols.values():
            col += repeat(None, len(src) - len(col))
    return {"src": src, "dst": dst, "rel": rels, "cols": cols}
