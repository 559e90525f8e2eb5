"""The embedded store: a knowledge graph persisted in a workspace folder.

Layout of a workspace folder (``--workspace``, env ``KJQG_HOME``, default ``./.kjqg``)::

    graph.kjqg   line 1: a JSON header (format, version, counts); line 2: the graph as JSON columns
    lock         held (flock) by the one process that is writing

Plain JSON only: opening a workspace that was mailed around never runs code. Saving writes a
temporary file beside the old one, fsyncs it, renames it over the old one and fsyncs the folder,
so a process killed at any moment leaves either the old or the new graph, never half of one.
"""
from __future__ import annotations

import datetime as _dt
import errno
import fcntl
import gc
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import (WorkspaceCorruptError, WorkspaceLockedError, WorkspaceNotFoundError,
                     WorkspaceVersionError)
from .graph import KnowledgeGraph

__all__ = ["Workspace", "FORMAT", "FORMAT_VERSION", "DEFAULT_WORKSPACE"]

FORMAT = "kjqg-workspace"
FORMAT_VERSION = 1
DEFAULT_WORKSPACE = ".kjqg"
GRAPH_FILE = "graph.kjqg"
LOCK_FILE = "lock"


class Workspace:
    """A workspace folder. ``load()`` reads the graph; ``transaction()`` is the way to change it."""

    def __init__(self, path=None):
        if path is None:
            path = os.environ.get("KJQG_HOME") or DEFAULT_WORKSPACE
        self.path = Path(path)

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
    def read_header(self) -> dict:
        if not self.exists():
            raise WorkspaceNotFoundError(
                f"no workspace at {self.path}; create one with `kjqg init` (or pass --workspace / set KJQG_HOME)")
        with open(self.graph_file, "rb") as f:
            return self._header(f.readline())

    def _header(self, line: bytes) -> dict:
        try:
            header = json.loads(line)
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

    def load(self) -> KnowledgeGraph:
        """Read the graph. Raises WorkspaceNotFoundError when there is none."""
        if not self.exists():
            raise WorkspaceNotFoundError(
                f"no workspace at {self.path}; create one with `kjqg init` (or pass --workspace / set KJQG_HOME)")
        with open(self.graph_file, "rb") as f:
            header = self._header(f.readline())
            gc_was_on = gc.isenabled()
            gc.disable()         # building ~10^6 small dicts: the collector would only rescan them
            try:
                body = json.loads(f.read())
                kg = _from_columns(body)
            except ValueError as e:
                raise WorkspaceCorruptError(f"{self.graph_file} is damaged ({e}); restore it from a copy") from None
            except (KeyError, IndexError, TypeError, AttributeError) as e:
                raise WorkspaceCorruptError(f"{self.graph_file} is damaged ({e!r}); restore it from a copy") from None
            finally:
                if gc_was_on:
                    gc.enable()
        kg.meta = body.get("meta", {})
        kg.meta["saved"] = header.get("saved")
        return kg

    def load_or_empty(self) -> KnowledgeGraph:
        if not self.exists():
            kg = KnowledgeGraph()
            kg.meta = {}
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
        header = {"format": FORMAT, "version": FORMAT_VERSION,
                  "saved": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                  "counts": kg.counts()}
        body = _to_columns(kg)
        body["meta"] = meta
        tmp = self.path / f"{GRAPH_FILE}.tmp.{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            f.write(b"\n")
            f.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.graph_file)
        dfd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


# ---------------------------------------------------------------------- body
# Nodes: per kind, the id list and each node's attribute dict as a JSON object (json.loads builds
# them in C). Edges: per relation, integer positions of source and target in the concatenated id
# lists, and the edge attributes as columns. Opening reads both but wires the adjacency only when
# a command first walks an edge (``KnowledgeGraph._wire_edges``): counting needs no adjacency.

def _column(values):
    """A dense list, or {"dict", "codes"} when few distinct values repeat."""
    distinct = {}
    for v in values:
        if v not in distinct:
            distinct[v] = len(distinct)
            if len(distinct) > 256:
                return values
    return {"dict": list(distinct), "codes": [distinct[v] for v in values]}


def _values(col):
    if isinstance(col, list):
        return col
    d = col["dict"]
    return [d[c] for c in col["codes"]]


def _to_columns(kg: KnowledgeGraph) -> dict:
    nodes, index = {}, {}
    node = kg._node
    for kind, ids in kg._by_kind.items():
        if not ids:
            continue
        ids = list(ids)
        nodes[kind] = {"ids": ids, "attrs": [node[n] for n in ids]}
        for n in ids:
            index[n] = len(index)
    by_rel = {}
    for u, nbrs in kg._succ.items():
        iu = index[u]
        for v, kd in nbrs.items():
            iv = index[v]
            for rel, data in kd.items():
                block = by_rel.get(rel)
                if block is None:
                    block = by_rel[rel] = ([], [], [])
                block[0].append(iu)
                block[1].append(iv)
                block[2].append(data)
    edges = {}
    for rel, (src, dst, datas) in sorted(by_rel.items()):
        attrs = sorted({a for d in datas for a in d})
        edges[rel] = {"src": src, "dst": dst,
                      "cols": {a: _column([d.get(a) for d in datas]) for a in attrs}}
    return {"nodes": nodes, "edges": edges}


def _from_columns(body: dict) -> KnowledgeGraph:
    from collections import Counter

    kg = KnowledgeGraph()
    node = kg._node
    all_ids = []
    for kind, block in body["nodes"].items():
        kg._check_kind(kind)
        ids, datas = block["ids"], block["attrs"]
        if len(ids) != len(datas) or any(d.get("kind") != kind for d in datas):
            raise KeyError(f"node block {kind} is inconsistent")
        node.update(zip(ids, datas))
        kg._by_kind[kind] = dict.fromkeys(ids)
        all_ids.extend(ids)
    if len(node) != len(all_ids):
        raise KeyError("duplicate node ids")
    counts = Counter()
    blocks = []
    n = len(all_ids)
    for rel, block in body["edges"].items():
        if rel not in kg.vocab.relations:
            raise KeyError(f"unknown relation {rel}")
        src, dst = block["src"], block["dst"]
        cols = {a: _values(c) for a, c in block["cols"].items()}
        if len(src) != len(dst) or any(len(c) != len(src) for c in cols.values()):
            raise KeyError(f"edge block {rel} is inconsistent")
        if src and (max(src) >= n or max(dst) >= n or min(src) < 0 or min(dst) < 0):
            raise IndexError(f"edge block {rel} points outside the node list")
        names = list(cols)
        if names:
            datas = [{a: v for a, v in zip(names, vals) if v is not None} for vals in zip(*cols.values())]
        else:
            datas = [{} for _ in src]
        blocks.append((rel, src, dst, datas))
        counts[rel] = len(src)
    kg._lazy_edges = (all_ids, blocks)
    kg._edge_counts = counts
    return kg
