"""The seed holds every quantitative 到2023年 target of the plan.

The expected figures are read here from the plan text itself (docs/plan-kjqg-2021-2023.txt,
a copy of ../shared/seed/000_874a91ed5e95a71f.txt): in each paragraph, everything from its first
"到2023年" to the paragraph's end, every "number [— number] unit". Nothing is taken from the code.
"""
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "docs" / "plan-kjqg-2021-2023.txt"
TARGETS = ROOT / "seed_graphs" / "guangxi" / "targets.csv"
FIGURE = re.compile(r"(\d+(?:\.\d+)?)(?:\s*[—–-]\s*(\d+(?:\.\d+)?))?\s*(个百分点|百分点|%|家|人次|人|亿元|项|个|件)")


def _unit(u):
    return "百分点" if u.endswith("百分点") else u


def plan_figures():
    out = set()
    for para in PLAN.read_text(encoding="utf-8").splitlines():
        i = para.find("到2023年")
        if i < 0:
            continue
        for lo, hi, unit in FIGURE.findall(para[i:]):
            if lo == "2023":
                continue
            out.add((f"{lo}-{hi}" if hi else lo, _unit(unit)))
    return out


def seed_figures():
    with open(TARGETS, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return rows, {(r["目标值"].replace("—", "-").replace("–", "-").strip(), _unit(r["单位"].strip())) for r in rows}


def test_the_plan_reading_finds_the_known_figures():
    figs = plan_figures()
    # a few read by hand from 一(二), 二(三), 五(五), 七(一)
    for f in [("1.3", "%"), ("4200", "家"), ("2000", "亿元"), ("30", "家"), ("2-3", "个"),
              ("10000", "人次"), ("5", "百分点"), ("12", "个"), ("135", "家")]:
        assert f in figs
    assert len(figs) == 41                 # distinct (value, unit) pairs; see the multiset test below


def test_every_plan_target_is_in_the_seed():
    rows, seed = seed_figures()
    missing = sorted(plan_figures() - seed)
    assert not missing, f"plan figures without a Target row in {TARGETS.name}: {missing}"


def test_every_target_row_is_complete():
    rows, _ = seed_figures()
    for r in rows:
        assert r["指标"] and r["目标值"] and r["单位"] and r["年份"] == "2023", r
        assert re.fullmatch(r"[一二三四五六七八]\([一二三四五六七八九]\)", r["章节"].replace("（", "(").replace("）", ")")), r
        assert r["来源"].startswith("科技强桂三年行动方案"), r
        if "-" in r["目标值"]:
            assert r["比较"] == "range", r


# The plan states two targets twice: 国家级高层次创新人才 120人 (一(二) and 二(二)) and
# 转化科技成果 2000项 (一(二) and 二(三)). Every other figure is a target of its own.
STATED_TWICE = {("120", "人"), ("2000", "项")}


def test_each_figure_has_as_many_target_rows_as_the_plan_has_targets():
    from collections import Counter
    plan = Counter()
    for para in PLAN.read_text(encoding="utf-8").splitlines():
        i = para.find("到2023年")
        if i >= 0:
            for lo, hi, unit in FIGURE.findall(para[i:]):
                if lo != "2023":
                    plan[(f"{lo}-{hi}" if hi else lo, _unit(unit))] += 1
    for f in STATED_TWICE:
        plan[f] -= 1
    assert sum(plan.values()) == 55
    rows, _ = seed_figures()
    seed = Counter((r["目标值"].replace("—", "-").strip(), _unit(r["单位"].strip())) for r in rows)
    short = {f: (n, seed[f]) for f, n in plan.items() if seed[f] < n}
    assert not short, f"(value, unit): (targets in the plan, rows in the seed) — {short}"
