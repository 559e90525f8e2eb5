"""Loading the lists (links, enterprises, resources, technologies, targets, regions) into the graph.

    load_files(ws, ["links.csv", "企业清单.xlsx"])     # into a workspace, all or nothing
    load_into(kg, paths)                               # into an in-memory KnowledgeGraph

Every file of one call is read and checked before anything is written: required columns,
values of the enumerated columns, USCC check digits, references between the files and to the
workspace, conflicts inside the files and with the workspace. Any problem raises
:class:`~kjqg_graph.errors.LoadError` listing each one as ``file:row:column: reason`` and the
graph is left as it was — unless ``skip_invalid``, which loads the valid rows and reports (and,
for a workspace, writes beside each input) the rejected ones.

Decisions the list formats leave open (see also the module docs):

- a region named by an enterprise or resource row but defined by no regions list is created
  as a ``Region`` without ``regionType`` and the summary says so (cities send lists naming their
  own counties); an unknown chain, link, technology or host is an error with suggestions;
- ``source`` is ``"<来源 cell> | file.csv:row 12"`` (``file.xlsx!Sheet:row 12`` for a sheet), or
  just the location when the row has no 来源; ``asOf`` is the row's 截至日期, else ``as_of``, else
  the load date. Both are set when a node or edge is added or updated and kept otherwise, so
  loading the same file again changes nothing;
- a value that differs from the workspace's is a conflict unless ``update``; an attribute the
  workspace does not have yet is filled in (counted as *updated*); names never change.
"""
from __future__ import annotations

import csv
import datetime as _dt
import time
from collections import Counter
from itertools import compress, groupby, repeat
from operator import and_, attrgetter, not_
from pathlib import Path

from .._gc import gc_paused
from ..errors import LoadError
from ..vocab import A, K
from .columns import KIND_ORDER, LIST_KINDS, detect_kind, match_headers
from .plan import Planner
from .problems import Problem, format_problems
from .progress import NoProgress, Progress
from .readers import FileProblem, read_tables
from .rows import parse_table
from .summary import LoadSummary, new_counter

__all__ = ["load_files", "load_into", "read_lists", "LoadSummary", "Problem", "LIST_KINDS", "KIND_ORDER"]

SOURCE = A.source
_KIND_NAMES = {k: k for k in LIST_KINDS}
_KIND_NAMES.update({v.zh: k for k, v in LIST_KINDS.items()})
_KIND_NAMES.update({"chains": "links", "产业链环节": "links", "企业": "enterprises", "创新资源": "resources",
                    "关键核心技术": "technologies", "区域": "regions", "指标清单": "targets"})


class _Ignored(list):
    """Columns no list kind defines (the list), and ``notes``: sheets and rows left out on purpose."""

    def __init__(self):
        super().__init__()
        self.notes = []


class _Parsed:
    """A table recognised as a list kind, with its typed rows."""

    def __init__(self, table, kind, mapping, rows):
        self.table, self.kind, self.mapping, self.rows = table, kind, mapping, rows


# ---------------------------------------------------------------------- reading
def _expected(kind):
    spec = LIST_KINDS[kind]
    return "、".join(c.zh + ("*" if c.required else "") for c in spec.columns if c.field != "as_of")


def _recognise(table, kind, chain, problems, ignored):
    """The list kind and header mapping of ``table``, or ``None`` after adding a problem."""
    found = "、".join(h for h in table.headers if h) or "(none)"
    p = lambda reason: problems.append(Problem(table.file, table.sheet, None, None, reason))
    if kind is None and table.json_kind:
        kind = _KIND_NAMES.get(table.json_kind)
    if kind is not None:
        mapping = match_headers(kind, table.headers)
        have = set(mapping.values())
        missing = [c.zh for c in LIST_KINDS[kind].required
                   if c.field not in have and not (c.field == "chain" and chain)]
        if missing:
            looks, _ = detect_kind(table.headers, bool(chain))
            hint = f"; its headers look like a {looks} list ({LIST_KINDS[looks].zh})" if looks and looks != kind else ""
            p(f"--kind {kind} ({LIST_KINDS[kind].zh}) needs the column(s) {'、'.join(missing)}, which this file "
              f"does not have{hint}. Found: {found}. Expected: {_expected(kind)}")
            return None
    else:
        kind, other = detect_kind(table.headers, bool(chain))
        if kind is None:
            if isinstance(other, list):
                p(f"the headers fit more than one list kind ({', '.join(other)}); pass --kind. Found: {found}")
            elif other is not None:
                spec = LIST_KINDS[other]
                have = set(match_headers(other, table.headers).values())
                missing = [c.zh for c in spec.required if c.field not in have]
                p(f"missing required column(s) {'、'.join(missing)} of a {other} list ({spec.zh}). "
                  f"Found: {found}. Expected: {_expected(other)}")
            else:
                exp = "; ".join(f"{k}: {'、'.join(c.zh for c in LIST_KINDS[k].required)}" for k in KIND_ORDER)
                p(f"the headers fit no list kind. Found: {found}. Expected the required columns of one of "
                  f"{exp} (or pass --kind)")
            return None
        mapping = match_headers(kind, table.headers)
    for i, h in enumerate(table.headers):
        if h and i not in mapping:
            ignored.append(f"{h} ({table.label})")
    table.header_of = {f: table.headers[i] for i, f in mapping.items()}
    return kind, mapping


def read_lists(paths, *, kind=None, sheet=None, chain=None, encoding=None, as_of=None, progress=None,
               keep_cells=True):
    """Read and type every file: ``(parsed tables, row problems, bad rows, ignored columns)``.

    ``keep_cells=False`` drops each table's text cells once they are typed (a rejects file needs them).

    File-level problems (unreadable file, no list kind, no rows) raise LoadError at once.
    """
    progress = progress or NoProgress()
    file_problems, row_problems, parsed = [], [], []
    ignored = _Ignored()
    bad = set()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for path in paths:
        progress.phase("reading")
        try:
            tables = read_tables(path, sheet=sheet, encoding=encoding)
        except FileProblem as e:
            file_problems.append(e.problem)
            continue
        multi = len(tables) > 1
        fitting = 0
        for t in tables:
            if not t.headers:
                if not multi:
                    file_problems.append(Problem(t.file, t.sheet, None, None,
                                                 "is empty; a list needs a header row and at least one data row"))
                continue
            sink = [] if multi and sheet is None else file_problems
            got = _recognise(t, kind, chain, sink, ignored)
            if got is None:
                if multi and sheet is None and kind is None:
                    if t.sheet not in _HELP_SHEETS:      # e.g. the 填写说明 sheet of a template: say nothing
                        found = "、".join(h for h in t.headers if h) or "(none)"
                        ignored.notes.append(f"skipped sheet {t.label}: its headers fit no list kind "
                                             f"(found {found}); pass --sheet and --kind to load it")
                    continue
                if sink is not file_problems:
                    file_problems.extend(sink)
                continue
            fitting += 1
            k, mapping = got
            if t.notes:
                ignored.notes.append(f"left out {len(t.notes)} note row(s) under the list in {t.label}: "
                                     + "、".join(f"row {n} {text[:20]}" for n, text in t.notes))
            if not t.rows:
                file_problems.append(Problem(t.file, t.sheet, None, None,
                                             "has a header row but no data rows; fill in at least one row under it"))
                continue
            progress.phase("checking", len(t.rows))
            before = len(row_problems)
            rows = parse_table(t, k, mapping, row_problems, chain=chain, as_of=as_of, progress=progress)
            if not keep_cells:      # the typed columns hold what is needed: let the cells go
                t.rows = None
            for pr in row_problems[before:]:
                bad.add((id(t), pr.row))
            parsed.append(_Parsed(t, k, mapping, rows))
        if multi and fitting == 0 and not any(p.file == str(path) for p in file_problems):
            found = "; ".join(f"{t.sheet}: {'、'.join(h for h in t.headers if h) or '(empty)'}" for t in tables)
            file_problems.append(Problem(str(path), None, None, None,
                                         f"no sheet fits a list kind (found {found}); pass --sheet and --kind, "
                                         "or start from `kjqg template`"))
    if file_problems:
        raise _error(file_problems + row_problems, ignored.notes)
    return parsed, row_problems, bad, ignored


def _error(problems, notes=()):
    n = len(problems)
    files = sorted({p.file for p in problems})
    head = f"{n} problem{'s' if n != 1 else ''} in {'、'.join(files)}; nothing was loaded"
    tail = "".join(f"\nnote: {x}" for x in notes)
    return LoadError(head + "\n" + format_problems(problems) + tail, problems)


_HELP_SHEETS = ("填写说明", "取值", "说明")


# ---------------------------------------------------------------------- planning and writing
def _plan(kg, parsed, bad, update, progress):
    lap = progress.detail
    lap("resolving.index")
    planner = Planner(kg, update=update)
    by_kind = {k: [] for k in KIND_ORDER}
    for p in parsed:
        tid = id(p.table)
        rows = [r for r in p.rows if (tid, r.num) not in bad] if bad else p.rows
        by_kind[p.kind].append(rows)
    lap("resolving.declare")
    for k in KIND_ORDER:
        for rows in by_kind[k]:
            planner.declare_rows(k, rows)
    lap("resolving.connect")
    for k in KIND_ORDER:
        for rows in by_kind[k]:
            planner.connect_rows(k, rows)
    lap(None)
    return planner


def _run(kg, parsed, row_problems, bad, ignored, **opts):
    with gc_paused():
        return _run_nogc(kg, parsed, row_problems, bad, ignored, **opts)


def _run_nogc(kg, parsed, row_problems, bad, ignored, *, dry_run, skip_invalid, update, as_of, progress):
    t0 = time.perf_counter()
    progress.phase("resolving")
    rejected = list(row_problems)
    bad = set(bad)
    while True:
        planner = _plan(kg, parsed, bad if skip_invalid else (), update, progress)
        progress.detail("resolving.diff")
        added, updated, unchanged, changes = planner.diff()
        progress.detail(None)
        if not planner.problems:
            break
        if not skip_invalid:
            raise _error(_sorted(parsed, row_problems + planner.problems), getattr(ignored, "notes", ()))
        rejected += planner.problems
        bad |= planner.bad
    if row_problems and not skip_invalid:
        raise _error(_sorted(parsed, row_problems), getattr(ignored, "notes", ()))
    summary = LoadSummary(as_of=as_of, dry_run=dry_run, merged=planner.merged,
                          auto_regions=planner.auto_regions, changes=changes,
                          rejected=_sorted(parsed, rejected), ignored_columns=list(ignored),
                          notes=list(getattr(ignored, "notes", ())))
    for p in parsed:
        n = sum(1 for r in p.rows if (id(p.table), r.num) not in bad) if bad else len(p.rows)
        summary.files.append((p.table.label, p.kind, n, p.table.encoding))
    _release(parsed)
    nodes = planner.nodes
    counts = {}
    for what, ids in (("added", added), ("updated", updated), ("unchanged", unchanged)):
        for kind, n in Counter(map(attrgetter("kind"), map(nodes.__getitem__, ids))).items():
            if kind not in counts:
                counts[kind] = new_counter()
            counts[kind][what] += n
    order = [K.Region, K.InnovationZone, K.IndustryChain, K.ChainLink, K.KeyTechnology, K.Enterprise,
             K.InnovationPlatform, K.University, K.ResearchInstitute, K.Talent, K.TalentTeam, K.Project, K.Target]
    summary.nodes = {k: counts[k] for k in order if k in counts}
    progress.detail("resolving.edges")
    groups = planner.edge_groups()
    # (no edge can exist when every planned node is new and every edge leaves one)
    presents = [None] * len(groups) if planner.from_planned and len(added) == len(nodes) else \
        _present(kg, groups, added)
    ecounts, n_new = {}, 0
    for (rel, us, _, _), present in zip(groups, presents):
        there = sum(present) if present is not None else 0
        c = ecounts.setdefault(rel, {"added": 0, "unchanged": 0})
        c["added"] += len(us) - there
        c["unchanged"] += there
        n_new += len(us) - there
    progress.detail(None)
    summary.edges = dict(sorted(ecounts.items()))
    if not dry_run:
        progress.phase("writing", len(added) + len(updated) + n_new)
        _apply(kg, planner, added, updated, groups, presents, progress)
    summary.seconds = time.perf_counter() - t0
    return summary


def _release(parsed):
    """Let the typed rows go once the plan holds what it needs of them (before the graph grows):
    each table's row list, its columns and any row's own dict. The planned nodes keep the few
    ``Row`` objects they point at (for ``source`` and ``asOf``); a table's text cells were let go
    when it was typed, unless a rejects file needs them."""
    for p in parsed:
        rows, p.rows = p.rows, None
        if rows is None:
            continue
        if rows.cols is not None:
            rows.cols.clear()
        rows.sources = rows.as_ofs = None
        for r in rows:
            r._v = None


def _present(kg, groups, added) -> list:
    """For each edge group (``Planner.edge_groups``), whether each of its edges is in the graph
    already (a list of bools), or ``None`` when none is: looked up at once for every group,
    without wiring an unwired graph; an edge of a node the graph does not have yet is not asked."""
    presents = [None] * len(groups)
    if not len(kg) or not groups:
        return presents
    new = set(added)
    asks = []
    for _, us, vs, _ in groups:
        ask = list(map(not_, map(new.__contains__, us)))
        if any(ask):                # (the edges of a new enterprises table: all from new nodes)
            ask = list(map(and_, ask, map(not_, map(new.__contains__, vs))))
        asks.append(ask)
    del new
    asked = [k for (rel, us, vs, _), ask in zip(groups, asks) if any(ask)
             for k in zip(compress(us, ask), repeat(rel), compress(vs, ask))]
    if not asked:
        return presents
    found = kg.edges_exist(asked) if hasattr(kg, "edges_exist") else [kg.has_edge(*k) for k in asked]
    del asked
    found = iter(found)
    for i, ask in enumerate(asks):
        if any(ask):
            presents[i] = [a and next(found) for a in ask] if not all(ask) else [next(found) for _ in ask]
    return presents


def _apply(kg, planner, added, updated, groups, presents, progress):
    """Write the plan: new nodes in batches (``add_nodes`` checks each attribute column once per
    batch) and the new edges of each relation in one ``add_edge_columns`` call (``add_edges`` in
    batches where the graph has no such call), or one call each where it has no bulk API."""
    nodes = planner.nodes
    bulk = hasattr(kg, "add_nodes") and hasattr(kg, "add_edges") and hasattr(kg, "add_node_columns")
    columns = hasattr(kg, "add_edge_columns")
    step = 1 << 14
    progress.detail("writing.nodes")
    if bulk:
        pns = list(map(nodes.__getitem__, added))
        at = 0
        for kind, run in groupby(map(attrgetter("kind"), pns)):     # runs of one kind, in the planned order
            end = at + len(list(run))
            for i in range(at, end, step):      # (a plain new enterprise's attrs hold its provenance already)
                chunk = pns[i:min(i + step, end)]
                block = chunk[0].block
                if block is not None and set(map(attrgetter("block"), chunk)) == {block} \
                        and not any(map(attrgetter("_attrs"), chunk)):
                    # rows of one enterprises table nothing else touched: handed over as its columns
                    kg.add_node_columns(kind, list(map(attrgetter("key"), chunk)),
                                        block.columns(list(map(attrgetter("i"), chunk))))
                    progress.advance(len(chunk))
                    continue
                kg.add_nodes(kind, [(pn.key, pn.attrs if SOURCE in pn.attrs else
                                     {"source": pn.row.source, "asOf": pn.row.as_of, **pn.attrs})
                                    for pn in chunk])
                progress.advance(len(chunk))
                for pn in chunk:                # the graph holds its own copy: let the planned one go
                    pn.attrs = None
            at = end
        del pns
    else:
        for nid in added:
            pn = nodes[nid]
            kg.add_node(pn.kind, pn.key, **({"source": pn.row.source, "asOf": pn.row.as_of} | pn.attrs))
        progress.advance(len(added))
    for nid, new in updated.items():
        row = nodes[nid].row
        kg.set_attrs(nid, source=row.source, asOf=row.as_of, **new)
    progress.detail("writing.edges")
    for i, (rel, us, vs, cols) in enumerate(groups):
        groups[i] = None                # let each group go once written
        present = presents[i]
        if present is not None:         # only the new ones
            keep = list(map(not_, present))
            us, vs = list(compress(us, keep)), list(compress(vs, keep))
            cols = {a: list(compress(c, keep)) for a, c in cols.items()}
        if not us:
            continue
        if columns:
            # one call per relation: a batch from new nodes goes into the edge table as it is (a batch
            # boundary inside an enterprise's edges would make the next batch touch nodes with edges
            # already, and fall back to add_edges)
            kg.add_edge_columns(rel, us, vs, cols)
            progress.advance(len(us))
            continue
        datas = [{a: x for a, x in zip(cols, xs) if x is not None} for xs in zip(*cols.values())] if cols \
            else [{} for _ in us]
        if bulk:
            for j in range(0, len(us), step):
                kg.add_edges(rel, list(zip(us[j:j + step], vs[j:j + step], datas[j:j + step])))
                progress.advance(len(us[j:j + step]))
        else:
            for u, v, d in zip(us, vs, datas):
                kg.add_edge(u, rel, v, **d)
            progress.advance(len(us))
    progress.detail(None)


def _sorted(parsed, problems):
    order = {p.table.file: i for i, p in enumerate(parsed)}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.sheet or "", p.row or 0))


def _today():
    return _dt.date.today().isoformat()


def load_into(kg, paths, *, kind=None, sheet=None, chain=None, dry_run=False, skip_invalid=False,
              encoding=None, update=False, as_of=None, progress=False) -> LoadSummary:
    """Load list files into the in-memory graph ``kg`` (see the module doc); return the summary."""
    prog = Progress() if Progress.wanted(progress) else NoProgress()
    as_of = as_of or _today()
    try:
        with gc_paused():
            parsed, row_problems, bad, ignored = read_lists(paths, kind=kind, sheet=sheet, chain=chain,
                                                            encoding=encoding, as_of=as_of, progress=prog,
                                                            keep_cells=skip_invalid)
        return _run(kg, parsed, row_problems, bad, ignored, dry_run=dry_run, skip_invalid=skip_invalid,
                    update=update, as_of=as_of, progress=prog)
    finally:
        prog.done()


class _NothingToSave(Exception):
    pass


def load_files(ws, paths, *, kind=None, sheet=None, chain=None, dry_run=False, skip_invalid=False,
               encoding=None, update=False, as_of=None, progress=False) -> LoadSummary:
    """Load list files into the workspace ``ws`` inside one transaction; return the summary.

    The files are read and checked first; the workspace is written only when every check
    passes (or, with ``skip_invalid``, for the valid rows) and something changed.
    """
    prog = Progress() if Progress.wanted(progress) else NoProgress()
    as_of = as_of or _today()
    t0 = time.perf_counter()
    try:
        with gc_paused():
            parsed, row_problems, bad, ignored = read_lists(paths, kind=kind, sheet=sheet, chain=chain,
                                                            encoding=encoding, as_of=as_of, progress=prog,
                                                            keep_cells=skip_invalid)
        opts = dict(skip_invalid=skip_invalid, update=update, as_of=as_of, progress=prog)
        if dry_run:
            prog.phase("opening")
            kg = ws.load_or_empty()
            summary = _run(kg, parsed, row_problems, bad, ignored, dry_run=True, **opts)
        else:
            try:
                prog.phase("opening")
                with ws.transaction() as kg:
                    summary = _run(kg, parsed, row_problems, bad, ignored, dry_run=False, **opts)
                    if not summary.changed:
                        raise _NothingToSave
                    prog.phase("saving")
            except _NothingToSave:
                pass
            if summary.rejected:
                summary.rejects_files = write_rejects(parsed, summary.rejected)
        prog.done()
        summary.timings = {k: round(v, 3) for k, v in {**prog.timings, **prog.details}.items()}
        summary.seconds = time.perf_counter() - t0
        return summary
    finally:
        prog.done()


def write_rejects(parsed, problems) -> list[str]:
    """Write the rejected rows of each input, with their reasons, beside it; return the paths."""
    by_table = {}
    for p in problems:
        by_table.setdefault((p.file, p.sheet), {}).setdefault(p.row, []).append(
            (f"{p.column}: " if p.column else "") + p.reason)
    out = []
    for pt in parsed:
        t = pt.table
        rows = by_table.get((t.file, t.sheet))
        if not rows:
            continue
        src = Path(t.file)
        name = f"{src.stem}.{t.sheet}.rejects.csv" if t.sheet else f"{src.stem}.rejects.csv"
        dest = src.with_name(name)
        with open(dest, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(["行号 row", *t.headers, "问题 problem"])
            for cells, num in zip(t.rows, t.rownums):
                if num in rows:
                    w.writerow([num, *cells, "；".join(rows[num])])
        out.append(str(dest))
    return out
