"""The embedded store: a knowledge graph persisted in a workspace folder.

Layout of a workspace folder (``--workspace``, env ``KJQG_HOME``, default ``./.kjqg``)::

    graph.kjqg   line 1: a JSON header (format, version, counts, meta, each section's stored and
                 unpacked length -- opening refuses a section that would unpack to more);
                 then the sections back to back: the nodes, then the edges, each one JSON
                 document in columns, compressed with zstd (``codec``) when it is installed
    lock         held (flock) by the one process that is writing

Plain JSON only (zstd is a compression of bytes, not a serialisation of objects): opening a
workspace that was mailed around never runs code. Format 1 (one uncompressed JSON body on
line 2) is still read. Saving writes a temporary file beside the old one, fsyncs it, renames it
over the old one and fsyncs the folder, so a process killed at any moment leaves either the
old or the new graph, never half of one.
"""
from __future__ import annotations

import datetime as _dt
import errno
import fcntl
import gc
import json
import os
import threading
import time
from collections import Counter
from contextlib import contextmanager
from itertools import chain, islice, repeat
from operator import itemgetter
from pathlib import Path

from .errors import (WorkspaceCorruptError, WorkspaceLockedError, WorkspaceNotFoundError,
                     WorkspaceVersionError)
from .graph import KnowledgeGraph
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
FORMAT_VERSION = 2
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
        with open(self.graph_file, "rb") as f:
            header = self._header(f.readline())
            gc_was_on = gc.isenabled()
            gc.disable()         # building ~10^6 small dicts: the collector would only rescan them
            try:
                raw = f.read()
                t1 = time.perf_counter()
                if header["version"] == 1:
                    body = _loads(raw)
                    t2 = time.perf_counter()
                    kg = _from_columns(body["nodes"], body["edges"], 1)
                    meta = body.get("meta", {})
                else:
                    nodes, edges = self._sections(header, raw)
                    t2 = time.perf_counter()
                    kg = _from_columns(nodes, edges)
                    meta = header.get("meta", {})
                del raw
                self.timings = {"read": t1 - t0, "parse": t2 - t1, "build": time.perf_counter() - t2}
            except ValueError as e:
                raise WorkspaceCorruptError(f"{self.graph_file} is damaged ({e}); restore it from a copy") from None
            except (KeyError, IndexError, TypeError, AttributeError) as e:
                raise WorkspaceCorruptError(f"{self.graph_file} is damaged ({e!r}); restore it from a copy") from None
            finally:
                if gc_was_on:
                    gc.enable()
        kg.meta = dict(meta) if isinstance(meta, dict) else {}
        kg.meta["saved"] = header.get("saved")
        if KEEP_ALIVE is not None:
            KEEP_ALIVE.append(kg)
        return kg

    def _sections(self, header, raw):
        codec = header.get("codec")
        sections = header["sections"]
        if (not isinstance(sections, list) or [s[0] if isinstance(s, list) and s else None for s in sections]
                != ["nodes", "edges"]):
            raise ValueError("the sections do not match the header")
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

            def unpack(b, name, declared):
                limit = min(MAX_SECTION, MAX_EXPANSION * len(b) + (1 << 20))
                if declared is not None and (type(declared) is not int or not 0 <= declared <= limit):
                    raise ValueError(f"the {name} section declares {declared!r} bytes, more than it can hold")
                try:
                    size = zstd.frame_content_size(b)
                    if size > limit or (declared is not None and size not in (-1, declared)):
                        raise ValueError(f"the {name} section would unpack to {size} bytes, not {declared}")
                    out = dec.decompress(b, max_output_size=declared if declared is not None else limit)
                except zstd.ZstdError as e:
                    raise ValueError(f"the {name} section does not unpack: {e}") from None
                if declared is not None and len(out) != declared:
                    raise ValueError(f"the {name} section unpacks to {len(out)} bytes, not {declared}")
                return out
        elif codec is None:
            def unpack(b, name, declared):
                return b
        else:
            raise ValueError(f"unknown codec {codec!r}")
        out, at = [], 0
        for section in sections:
            name, n = section[0], section[1]
            out.append(_loads(unpack(raw[at:at + n], name, section[2] if len(section) > 2 else None)))
            at += n
        return out

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

        def pack(data, out):
            out.append(zstd.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True).compress(data)
                       if zstd is not None else data)
        t0 = time.perf_counter()
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            nodes, index = _node_columns(kg)
            packed_nodes = []
            node_bytes = _dumps(nodes)
            del nodes
            t1 = time.perf_counter()
            # zstd lets go of the GIL: the nodes are compressed while the edges are laid out
            helper = threading.Thread(target=pack, args=(node_bytes, packed_nodes))
            helper.start()
            edge_bytes = _dumps(_edge_columns(kg, index))
            raw_sizes = [len(node_bytes), len(edge_bytes)]
            t2 = time.perf_counter()
            packed_edges = []
            pack(edge_bytes, packed_edges)
            helper.join()
        finally:
            if gc_was_on:
                gc.enable()
        blobs = packed_nodes + packed_edges
        if len(blobs) != 2:
            raise RuntimeError("compressing the workspace failed; nothing was written")
        t3 = time.perf_counter()
        header = {"format": FORMAT, "version": FORMAT_VERSION,
                  "saved": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                  "counts": kg.counts(), "codec": codec,
                  "sections": [["nodes", len(blobs[0]), raw_sizes[0]], ["edges", len(blobs[1]), raw_sizes[1]]],
                  "meta": meta}
        tmp = self.path / f"{GRAPH_FILE}.tmp.{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(_dumps(header))
            f.write(b"\n")
            for b in blobs:
                f.write(b)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.graph_file)
        dfd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        self.timings = {"nodes": t1 - t0, "edges": t2 - t1, "compress": t3 - t2,
                        "write": time.perf_counter() - t3}


# ---------------------------------------------------------------------- body
# Nodes: per kind, the id list and each node's attribute dict as a JSON object (the JSON parser
# builds them in C). Edges (format 2): one flat table in the adjacency's order -- integer positions
# of source and target in the concatenated id lists, the relation and the edge attributes as
# columns (None where an edge lacks one) -- so that writing and reading it is column work done in
# C, not a Python loop per edge. Format 1 kept one such table per relation ({rel: {src, dst,
# cols}}) and the whole body as one uncompressed JSON document on line 2.
# Opening builds ``_node`` and ``_by_kind`` at once and wires the adjacency when a command first
# walks an edge (``KnowledgeGraph._wire_edges`` calls ``_wire`` below).

def _column(values):
    """A dense list, or {"dict", "codes"} when few distinct values repeat."""
    if len(dict.fromkeys(islice(values, 2048))) > 256:
        return values
    distinct = dict.fromkeys(values)
    if len(distinct) > 256 or len(distinct) * 4 > len(values):
        return values
    codes = {v: i for i, v in enumerate(distinct)}
    return {"dict": list(codes), "codes": list(map(codes.__getitem__, values))}


def _values(col):
    if isinstance(col, list):
        return col
    return list(map(col["dict"].__getitem__, col["codes"]))


def _edge_dicts(cols: dict, n: int) -> list:
    """One attribute dict per edge from attribute columns (``None`` means the edge lacks it)."""
    names = list(cols)
    vals = list(cols.values())
    if not names:
        return [{} for _ in range(n)]
    if any(None in c for c in vals):
        return [{a: x for a, x in zip(names, row) if x is not None} for row in zip(*vals)]
    if len(names) == 2:                 # the usual case: source, asOf
        a, b = names
        return [{a: x, b: y} for x, y in zip(*vals)]
    if len(names) == 1:
        a = names[0]
        return [{a: x} for x in vals[0]]
    return list(map(dict, map(zip, repeat(names), zip(*vals))))


def _to_columns(kg: KnowledgeGraph):
    nodes, index = _node_columns(kg)
    return nodes, _edge_columns(kg, index)


def _node_columns(kg: KnowledgeGraph):
    """The nodes section, and each node's position in it."""
    nodes, index = {}, {}
    node = kg._node
    for kind, ids in kg._by_kind.items():
        if not ids:
            continue
        ids = list(ids)
        nodes[kind] = {"ids": ids, "attrs": list(map(node.__getitem__, ids))}
        index.update(zip(ids, range(len(index), len(index) + len(ids))))
    return nodes, index


def _edge_columns(kg: KnowledgeGraph, index: dict) -> dict:
    """The edges section: one table, node positions from ``index``."""
    if kg._lazy_edges is not None:      # never walked: re-number the table as it is
        all_ids, (src, dst, rels, cols), _ = kg._lazy_edges
        pos = list(map(index.__getitem__, all_ids)).__getitem__
        src, dst = list(map(pos, src)), list(map(pos, dst))
        extra = kg._lazy_extra          # edges added since, all of nodes made since
        if extra:
            keys, datas = list(extra), list(extra.values())
            at = index.__getitem__
            src += map(at, map(itemgetter(0), keys))
            dst += map(at, map(itemgetter(2), keys))
            rels = rels + list(map(itemgetter(1), keys))
            m = len(src) - len(keys)
            cols = {a: (cols[a] if a in cols else [None] * m) + list(map(dict.get, datas, repeat(a)))
                    for a in set(cols).union(chain.from_iterable(datas))}
    else:
        src, dst, rels, cols = _edge_table(kg._succ_d, index)
    return {"src": src, "dst": dst, "rel": _column(rels), "cols": {a: _column(c) for a, c in sorted(cols.items())}}


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


def _from_columns(nodes: dict, edges: dict, version: int = FORMAT_VERSION) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    node = kg._node
    all_ids = []
    for kind, block in nodes.items():
        kg._check_kind(kind)
        ids, datas = block["ids"], block["attrs"]
        if len(ids) != len(datas) or set(map(_KIND, datas)) - {kind}:
            raise KeyError(f"node block {kind} is inconsistent")
        node.update(zip(ids, datas))
        kg._by_kind[kind] = dict.fromkeys(ids)
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
    counts = Counter(rels)
    unknown = counts.keys() - kg.vocab.relations.keys()
    if unknown:
        raise KeyError(f"unknown relation {sorted(map(str, unknown))[0]}")
    kg._edge_counts = counts
    kg._lazy_edges = (all_ids, (src, dst, rels, cols), _wire)
    return kg


_KIND = itemgetter("kind")


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


def _wire(node, all_ids, table):
    """The adjacency (successors, predecessors) of the edge table ``_from_columns`` left."""
    src, dst, rels, cols = table
    succ = {n: {} for n in node}
    pred = {n: {} for n in node}
    at = all_ids.__getitem__
    for u, v, r, d in zip(map(at, src), map(at, dst), rels, _edge_dicts(cols, len(src))):
        su = succ[u]
        kd = su.get(v)
        if kd is None:
            su[v] = pred[v][u] = {r: d}
        else:
            kd[r] = d
    return succ, pred
