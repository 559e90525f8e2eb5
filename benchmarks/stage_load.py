"""Loader stages: `load` (N new enterprises, CSV, into a workspace holding the whole synthetic
graph, end to end through the CLI) and `load-xlsx` (the same rows as .xlsx).

The synthetic technologies and resources lists point at enterprises (hosts, 牵头单位), so the
"rest of the graph" cannot be loaded without them; the fixture is the full synthetic workspace
and the timed file holds N *new* enterprises (the synthetic rows renamed 虚构新企业…, codes
blanked) in the same links and regions. The floor is reading that file with the csv module.
"""
import csv
import shutil
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


def _fresh_copy(ctx):
    ws = ctx.workspace()
    target = ctx.dir / "load-bench-ws"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ws, target)
    return target


def _floor(path):
    t = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as f:
        for _ in csv.reader(f):
            pass
    return time.perf_counter() - t


def load(ctx):
    path = _new_rows(ctx)
    target = _fresh_copy(ctx)
    floor = min(_floor(path) for _ in range(3))
    dt = ctx.kjqg("-w", str(target), "load", str(path))
    again = ctx.kjqg("-w", str(target), "load", str(path))        # idempotent: all unchanged, no save
    return {"seconds": dt, "floor_seconds": floor, "end_to_end": True, "reload_unchanged_s": round(again, 3)}


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
    dt = ctx.kjqg("-w", str(target), "load", str(xlsx))
    return {"seconds": dt, "end_to_end": True}


STAGES = {"load": load, "load-xlsx": load_xlsx}
