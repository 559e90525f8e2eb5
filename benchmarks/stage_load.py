"""Loader stages: `load` (N new enterprises, CSV, into a workspace holding the whole synthetic
graph, end to end through the CLI) and `load-xlsx` (the same rows as .xlsx).

The synthetic technologies and resources lists point at enterprises (hosts, 牵头单位), so the
"rest of the graph" cannot be loaded without them; the fixture is the full synthetic workspace
(re-saved once in the current workspace format) and the timed file holds N *new* enterprises
(the synthetic rows renamed 虚构新企业…, codes blanked) in the same links and regions. The floor
is reading that file with the csv module.

Each run is a fresh `kjqg load` process, run the way an installed `kjqg` runs: with its modules'
bytecode cached (a pip install compiles it). The child gets PYTHONPYCACHEPREFIX (a folder under
benchmarks/_work, not the source tree) and no PYTHONDONTWRITEBYTECODE, and an untimed small load
fills the cache first; otherwise every timed run would compile the CLI's sources again (0.2-0.25 s
here when PYTHONDONTWRITEBYTECODE=1 is set in the shell). Extra figures: the seconds of each loader phase
(reading, checking, opening, resolving, writing, saving; from KJQG_LOAD_TIMINGS), the rest of
the wall time (interpreter start, imports, exit), the child's peak RSS, and the same file
loaded a second time (nothing changes, nothing is saved).
"""
import csv
import json
import os
import shutil
import subprocess
import time


def _new_rows(ctx):
    src = ctx.synth_dir() / "enterprises.csv"
    out = ctx.dir / "new-enterprises.csv"
    if not out.exists():
        with open(src, encoding="utf-8", newline="") as f, open(out, "w", encoding="utf-8", newline="") as g:
            r, w = csv.reader(f), csv.writer(g)
            w.writerow(next(r))
            for row in r:
                row[0] = row[0].replace("虚构企业", "虚构新企业")
                row[1] = ""
                w.writerow(row)
    return out


def _base(ctx):
    """The synthetic workspace saved in the format this version writes (made once)."""
    from kjqg_graph.workspace import FORMAT_VERSION, Workspace
    base = ctx.dir / "load-base-ws"
    ws = Workspace(base)
    if not ws.exists() or ws.read_header().get("version") != FORMAT_VERSION:
        shutil.rmtree(base, ignore_errors=True)
        kg = Workspace(ctx.workspace()).load()
        ws.save(kg)
    return base


def _fresh_copy(ctx):
    target = ctx.dir / "load-bench-ws"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(_base(ctx), target)
    return target


def _floor(path):
    t = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as f:
        for _ in csv.reader(f):
            pass
    return time.perf_counter() - t


def _env(ctx):
    """The child's environment: bytecode cached outside the source tree, as an installed kjqg has it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(ctx.dir.parent / "pycache")
    return env


def _warm(ctx):
    """An untimed small load (into a throwaway workspace) so the timed runs find the bytecode cached."""
    tiny = ctx.dir / "load-warm.csv"
    tiny.write_text("产业链,环节,阶段\n预热链,预热环节,上游\n", encoding="utf-8")
    ws = ctx.dir / "load-warm-ws"
    shutil.rmtree(ws, ignore_errors=True)
    subprocess.run([ctx.kjqg_bin, "-w", str(ws), "load", str(tiny)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env={**_env(ctx), "KJQG_PROGRESS": "0"}, check=True)
    shutil.rmtree(ws, ignore_errors=True)


def _run(ctx, *args):
    """One `kjqg` process: (wall seconds, loader phases, peak RSS in MB)."""
    tfile = ctx.dir / "load-timings.json"
    tfile.unlink(missing_ok=True)
    env = {**_env(ctx), "KJQG_PROGRESS": "0", "KJQG_LOAD_TIMINGS": str(tfile)}
    t = time.perf_counter()
    p = subprocess.Popen([ctx.kjqg_bin, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError(f"kjqg {' '.join(map(str, args))} failed: {err.decode(errors='replace')[-2000:]}")
    phases = json.loads(tfile.read_text()) if tfile.exists() else {}
    if phases:
        phases["outside_loader"] = round(dt - phases.get("total", 0.0), 3)
    return dt, phases, round(usage.ru_maxrss / 1024)


def load(ctx):
    path = _new_rows(ctx)
    target = _fresh_copy(ctx)
    floor = min(_floor(path) for _ in range(3))
    _warm(ctx)
    dt, phases, rss = _run(ctx, "-w", target, "load", path)
    again, phases2, rss2 = _run(ctx, "-w", target, "load", path)     # idempotent: all unchanged, no save
    return {"seconds": dt, "floor_seconds": round(floor, 3), "load_average": [round(x, 2) for x in os.getloadavg()],
            "end_to_end": True, "bytecode_cached": True, "phases": phases, "peak_rss_mb": rss,
            "reload_unchanged_s": round(again, 3), "reload_phases": phases2, "reload_peak_rss_mb": rss2}


def load_xlsx(ctx):
    path = _new_rows(ctx)
    xlsx = ctx.dir / "new-enterprises.xlsx"
    if not xlsx.exists():
        from openpyxl import Workbook
        wb = Workbook(write_only=True)
        sh = wb.create_sheet("企业清单")
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                sh.append(row)
        wb.save(xlsx)
    target = _fresh_copy(ctx)
    _warm(ctx)
    dt, phases, rss = _run(ctx, "-w", target, "load", xlsx)
    return {"seconds": dt, "end_to_end": True, "bytecode_cached": True, "phases": phases, "peak_rss_mb": rss}


STAGES = {"load": load, "load-xlsx": load_xlsx}
