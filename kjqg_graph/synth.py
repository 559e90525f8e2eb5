"""A fictitious province-scale graph in the list formats, for benchmarks and tests.

Every name is plainly fictitious (虚构…); nothing refers to a real organisation or person.
The same ``seed`` gives the same files. Gaps of every kind are planted on purpose:

- innovation gaps: about one link in ten has no support by any path;
- technology gaps: the technologies those links require are tackled by nobody (some 卡脖子);
- missing and broken links: about one link in twenty has no enterprise;
- weak links: a few links carry a single small enterprise;
- 三无 enterprises: about one in twenty has no R&D staff, platform or funds;
- idle innovation: some platforms support no link and tackle no required technology.
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

from .uscc import make as make_uscc

__all__ = ["write_synth", "SYNTH_FILES", "HEADERS"]

HEADERS = {
    "regions": ["名称", "类型", "上级", "来源"],
    "links": ["产业链", "环节", "阶段", "上级环节", "下游环节", "所需技术", "说明", "来源"],
    "technologies": ["技术名称", "产业链", "所需环节", "卡脖子", "攻关状态", "攻关方式", "牵头单位", "来源"],
    "enterprises": ["企业名称", "统一社会信用代码", "产业链", "环节", "所在地区", "链主", "高新技术企业",
                    "规上企业", "研发人员", "研发机构", "研发经费", "主要产品", "来源"],
    "resources": ["名称", "类别", "级别", "依托单位", "所在地区", "支撑环节", "攻关技术", "研究方向",
                  "人才层次", "来源"],
    "targets": ["指标", "目标值", "单位", "年份", "比较", "章节", "来源"],
}
SYNTH_FILES = [f"{k}.csv" for k in HEADERS]

_CITY = "甲乙丙丁戊己庚辛壬癸子丑寅卯"
_THEMES = ["新能源车", "工程装备", "轻合金", "糖业", "智能终端", "民族药", "储能", "光伏", "机器人",
           "海洋装备", "化工新材料", "林浆纸"]
_STAGES = ["上游", "中游", "下游"]
_PLATFORM_KINDS = ["技术创新中心", "企业技术中心", "工程研究中心", "自治区重点实验室", "中试基地",
                   "新型研发机构", "孵化器", "众创空间", "概念验证中心", "专业研究所"]
_LEVELS = ["国家级", "自治区级", "市级"]
_TALENT_LEVELS = ["院士", "国家级高层次人才", "八桂学者", "特聘专家", "青年人才"]
_STATUS = ["未攻关", "攻关中", "已突破"]
_MECH = ["揭榜挂帅", "定向委托", "公开竞争", ""]
SRC = "虚构数据（kjqg synth）"


def _yn(flag):
    return "" if flag is None else ("是" if flag else "否")


def write_synth(out_dir, enterprises: int = 1000, seed: int = 1, links_per_chain: int = 30) -> list[Path]:
    """Write the six list files for a fictitious province into ``out_dir``; return their paths."""
    rnd = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    n_ent = enterprises
    n_chains = min(len(_THEMES), max(3, round(n_ent ** 0.25)))
    rows = {k: [] for k in HEADERS}

    # ---- regions: a province, 14 cities, 6 counties each, a high-tech zone per city
    province = "虚构省"
    rows["regions"].append([province, "自治区", "", SRC])
    cities, places = [], []
    for i, ch in enumerate(_CITY):
        city = f"虚构{ch}市"
        cities.append(city)
        rows["regions"].append([city, "设区市", province, SRC])
        places.append(city)
        for j in range(1, 7):
            county = f"虚构{ch}市第{j}县"
            rows["regions"].append([county, "县", city, SRC])
            places.append(county)
        zone = f"虚构{ch}市高新区"
        rows["regions"].append([zone, "国家高新区" if i < 4 else "自治区级高新区", city, SRC])
        places.append(zone)

    # ---- chains and links
    chains = [f"虚构{t}产业链" for t in _THEMES[:n_chains]]
    per_stage = links_per_chain // 3
    chain_links = {}          # chain -> list of (link, stage)
    for c in chains:
        ls = [(f"{st}环节{k:02d}", st) for st in _STAGES for k in range(1, per_stage + 1)]
        chain_links[c] = ls
    all_links = [(c, l, st) for c in chains for l, st in chain_links[c]]
    gap_links = set(rnd.sample(range(len(all_links)), max(1, len(all_links) // 10)))
    rest = [i for i in range(len(all_links)) if i not in gap_links]
    empty_links = set(rnd.sample(rest, max(1, len(all_links) // 20)))
    weak_links = set(rnd.sample([i for i in rest if i not in empty_links], max(1, len(all_links) // 30)))

    # ---- technologies: ~N/50, each required by 1-3 links of one chain
    n_tech = max(len(all_links) // 2, n_ent // 50)
    techs = []
    link_requires = {i: [] for i in range(len(all_links))}
    gap_techs = set()
    for t in range(n_tech):
        name = f"虚构技术{t + 1:05d}"
        if t < len(gap_links):                         # one untackled technology per gap link
            li = sorted(gap_links)[t]
            req = [li]
            gap_techs.add(t)
        else:
            c = rnd.randrange(n_chains)
            base = c * links_per_chain
            cands = [base + k for k in range(links_per_chain) if base + k not in gap_links]
            req = rnd.sample(cands, rnd.randint(1, 3))
        for li in req:
            link_requires[li].append(name)
        techs.append((name, req))

    # link rows with supplies and a few sub-links
    for ci, c in enumerate(chains):
        base = ci * links_per_chain
        ls = chain_links[c]
        for k, (l, st) in enumerate(ls):
            idx = base + k
            stage_i = k // per_stage
            supplies = []
            if stage_i < 2:
                nxt = [ls[(stage_i + 1) * per_stage + m][0] for m in range(per_stage)]
                supplies = rnd.sample(nxt, rnd.randint(1, 2))
            parent = ""
            if k % per_stage >= per_stage - 2 and k % per_stage >= 2:   # last two of each stage nest under the first
                parent = ls[stage_i * per_stage][0]
            rows["links"].append([c, l, st, parent, "、".join(supplies), "、".join(link_requires[idx]),
                                  "", SRC])

    # ---- universities and institutes
    unis = [f"虚构大学{k:02d}" for k in range(1, 31)]
    insts = [f"虚构研究院{k:02d}" for k in range(1, 41)]
    for u in unis:
        rows["resources"].append([u, "高校", "", "", rnd.choice(cities), "", "", "", "", SRC])
    for s in insts:
        rows["resources"].append([s, "科研院所", rnd.choice(_LEVELS), "", rnd.choice(cities), "", "", "", "", SRC])

    # ---- enterprises
    link_ents = {i: [] for i in range(len(all_links))}
    ent_names = []
    cands_by_chain = [[ci * links_per_chain + k for k in range(links_per_chain)
                       if ci * links_per_chain + k not in empty_links] for ci in range(n_chains)]
    for e in range(n_ent):
        name = f"虚构企业{e + 1:07d}有限公司"
        ent_names.append(name)
        ci = rnd.randrange(n_chains)
        cands = cands_by_chain[ci]
        chosen = rnd.sample(cands, min(len(cands), rnd.randint(1, 3)))
        for i in chosen:
            if i in weak_links:                   # a weak link keeps its one enterprise
                cands.remove(i)
            link_ents[i].append(e)
        region = rnd.choice(places)
        small = rnd.random() < 0.6
        sanwu = rnd.random() < 0.05
        rd = [False, False, False] if sanwu else [rnd.random() < 0.7, rnd.random() < 0.5, rnd.random() < 0.6]
        uscc = make_uscc(f"45{(e % 14) + 1:02d}00", e + 1) if rnd.random() < 0.5 else ""
        leader = e < n_chains * 3 and e % 3 == 0
        rows["enterprises"].append([
            name, uscc, chains[ci], "、".join(all_links[i][1] for i in chosen), region,
            _yn(True) if leader else "", _yn(not small and rnd.random() < 0.5), _yn(not small),
            _yn(rd[0]), _yn(rd[1]), _yn(rd[2]), f"虚构产品{e % 97}", SRC])

    # ---- platforms: N/20; none supports a gap link or tackles a gap technology
    n_plat = max(10, n_ent // 20)
    ok_links = [i for i in range(len(all_links)) if i not in gap_links]
    ok_techs = [t for t in range(n_tech) if t not in gap_techs]
    gap_link_ents = {e for i in gap_links for e in link_ents[i]}
    hosts_ok = [e for e in range(n_ent) if e not in gap_link_ents]
    tackled = {}
    for p in range(n_plat):
        name = f"虚构平台{p + 1:06d}"
        kind = rnd.choice(_PLATFORM_KINDS)
        idle = rnd.random() < 0.05
        sup = [] if idle else [all_links[i] for i in rnd.sample(ok_links, rnd.randint(1, 2))]
        tk = [] if idle or not ok_techs else [techs[t][0] for t in rnd.sample(ok_techs, rnd.randint(0, 2))]
        for t in tk:
            tackled.setdefault(t, name)
        r = rnd.random()
        host = (ent_names[rnd.choice(hosts_ok)] if r < 0.3 and hosts_ok else
                rnd.choice(unis) if r < 0.7 else rnd.choice(insts))
        rows["resources"].append([name, kind, rnd.choice(_LEVELS), host, rnd.choice(places),
                                  "、".join(f"{c}/{l}" for c, l, _ in sup), "、".join(tk), "", "", SRC])
    # ---- talent and teams (fictitious)
    for k in range(max(5, n_ent // 100)):
        i = rnd.choice(ok_links)
        c, l, _ = all_links[i]
        exp = [f"{c}/{l}"]
        if ok_techs and rnd.random() < 0.5:
            exp.append(techs[rnd.choice(ok_techs)][0])
        rows["resources"].append([f"虚构人才{k + 1:05d}", "人才", "", rnd.choice(unis + insts), rnd.choice(cities),
                                  "", "", "、".join(exp), rnd.choice(_TALENT_LEVELS), SRC])
    for k in range(max(2, n_ent // 500)):
        c, l, _ = all_links[rnd.choice(ok_links)]
        rows["resources"].append([f"虚构团队{k + 1:04d}", "团队", "", rnd.choice(unis + insts), rnd.choice(cities),
                                  f"{c}/{l}", "", "", "", SRC])

    # ---- technology rows
    for t, (name, req) in enumerate(techs):
        c = all_links[req[0]][0]
        gap = t in gap_techs
        status = "未攻关" if gap else rnd.choice(_STATUS)
        lead = "" if gap else tackled.get(name, "")
        rows["technologies"].append([name, c, "、".join(all_links[i][1] for i in req),
                                     _yn(rnd.random() < (0.5 if gap else 0.15)), status,
                                     "" if gap else rnd.choice(_MECH), lead, SRC])

    # ---- targets
    for k in range(1, 21):
        rows["targets"].append([f"虚构指标{k:02d}", str(rnd.randint(5, 500)), rnd.choice(["家", "个", "项", "%"]),
                                "2030", "≥", f"虚构章节{k}", SRC])

    paths = []
    for kind, header in HEADERS.items():
        p = out / f"{kind}.csv"
        with open(p, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows[kind])
        paths.append(p)
    return paths
