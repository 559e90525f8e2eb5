#!/usr/bin/env python3
"""Benchmark harness: run stages on the synthetic graph, each in a fresh process.

    python benchmarks/run.py --scale 100k --stage open,save [--json] [--repeat 3]

Stages live in ``benchmarks/stage_*.py`` files, each with a ``STAGES`` dict of name -> function.
A stage function takes a :class:`Context` and returns a dict with at least ``seconds``; it may add
``floor_seconds`` (the harness then reports ``ratio`` = seconds / floor) and any other figures.
Peak RSS is the child process's own high-water mark (and its children's, for end-to-end stages).
Fixtures (synthetic list files, a loaded workspace) are built once per scale under
benchmarks/_work/ and are not part of any timing.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = Path(os.environ.get("KJQG_BENCH_WORK", HERE / "_work"))
SCALES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
SEED = 1


def parse_scale(text: str) -> int:
    if text in SCALES:
        return SCALES[text]
    return int(text)


def scale_name(n: int) -> str:
    for k, v in SCALES.items():
        if v == n:
            return k
    return str(n)


class Context:
    """What a stage gets: the scale, fixture builders, and a way to time a CLI command."""

    def __init__(self, scale: int):
        self.scale = scale
        self.dir = WORK / scale_name(scale)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.python = sys.executable
        self.kjqg_bin = str(Path(sys.executable).with_name("kjqg"))

    def synth_dir(self) -> Path:
        """The synthetic list files for this scale (made once)."""
        d = self.dir / "lists"
        if not (d / "targets.csv").exists():
            from kjqg_graph.synth import write_synth
            write_synth(d, enterprises=self.scale, seed=SEED)
        return d

    def workspace(self) -> Path:
        """A workspace holding the whole synthetic graph (made once, through the loader)."""
        ws = self.dir / "workspace"
        if not (ws / "graph.kjqg").exists():
            files = sorted(self.synth_dir().glob("*.csv"))
            self.kjqg("-w", str(ws), "load", *map(str, files), check=True)
        return ws

    def kjqg(self, *args, check=True, stdin=None) -> float:
        """Run the kjqg command line; return its wall time in seconds."""
        t = time.perf_counter()
        p = subprocess.run([self.kjqg_bin, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           stdin=stdin, env={**os.environ, "KJQG_PROGRESS": "0"})
        dt = time.perf_counter() - t
        if check and p.returncode != 0:
            raise RuntimeError(f"kjqg {' '.join(args)} failed: {p.stderr.decode(errors='replace')[-2000:]}")
        return dt


def discover() -> dict:
    stages = {}
    for f in sorted(HERE.glob("stage_*.py")):
        spec = importlib.util.spec_from_file_location(f.stem, f)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for name, fn in mod.STAGES.items():
            stages[name] = fn
    return stages


def _child(stage: str, scale: int) -> None:
    sys.path.insert(0, str(ROOT))
    fn = discover()[stage]
    ctx = Context(scale)
    result = fn(ctx)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result.setdefault("peak_rss_mb", round(max(own, kids) if result.pop("end_to_end", False) else own, 1))
    print("RESULT " + json.dumps(result, ensure_ascii=False))


def run_stage(stage: str, scale: int) -> dict:
    p = subprocess.run([sys.executable, __file__, "--_child", stage, "--scale", str(scale)],
                       capture_output=True, text=True)
    line = next((l for l in p.stdout.splitlines() if l.startswith("RESULT ")), None)
    if p.returncode != 0 or line is None:
        return {"stage": stage, "scale": scale_name(scale), "error": (p.stderr or p.stdout)[-1500:]}
    r = json.loads(line[len("RESULT "):])
    r = {"stage": stage, "scale": scale_name(scale), **r}
    if r.get("floor_seconds"):
        r["ratio"] = round(r["seconds"] / r["floor_seconds"], 2)
    r["seconds"] = round(r["seconds"], 3)
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="10k", help="10k, 100k, 1M or a number of enterprises (comma list ok)")
    ap.add_argument("--stage", default=None, help="comma-separated stage names (default: all)")
    ap.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    ap.add_argument("--repeat", type=int, default=1, help="runs per stage; the best is reported")
    ap.add_argument("--list", action="store_true", help="list the stages and exit")
    ap.add_argument("--_child", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a._child:
        return _child(a._child, parse_scale(a.scale))
    sys.path.insert(0, str(ROOT))
    stages = discover()
    if a.list:
        for s in stages:
            print(s)
        return
    names = a.stage.split(",") if a.stage else list(stages)
    unknown = [s for s in names if s not in stages]
    if unknown:
        ap.error(f"unknown stage(s) {', '.join(unknown)}; known: {', '.join(stages)}")
    results = []
    for scale in [parse_scale(s) for s in a.scale.split(",")]:
        for s in names:
            runs = [run_stage(s, scale) for _ in range(a.repeat)]
            ok = [r for r in runs if "error" not in r]
            r = min(ok, key=lambda r: r["seconds"]) if ok else runs[0]
            if a.repeat > 1 and ok:
                r["runs"] = [x["seconds"] for x in ok]
            results.append(r)
            if a.json:
                print(json.dumps(r, ensure_ascii=False), flush=True)
            else:
                print(_row(r), flush=True)
    return 1 if any("error" in r for r in results) else 0


def _row(r):
    if "error" in r:
        return f"{r['stage']:<14} {r['scale']:>5}  ERROR {r['error'].strip().splitlines()[-1] if r['error'].strip() else ''}"
    extra = {k: v for k, v in r.items() if k not in ("stage", "scale", "seconds", "peak_rss_mb", "floor_seconds", "ratio")}
    floor = f"{r['floor_seconds']:.3f}" if r.get("floor_seconds") else "-"
    ratio = f"{r['ratio']:.2f}x" if r.get("ratio") else "-"
    return (f"{r['stage']:<14} {r['scale']:>5}  {r['seconds']:>8.3f} s  {r.get('peak_rss_mb', 0):>8.1f} MB  "
            f"floor {floor:>7}  ratio {ratio:>7}  {json.dumps(extra, ensure_ascii=False) if extra else ''}")


if __name__ == "__main__":
    sys.exit(main())
