"""The six list kinds: their columns (canonical Chinese and English names, synonyms) and how a
file's headers are recognised as one of them."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["Column", "ListKind", "LIST_KINDS", "KIND_ORDER", "header_key", "match_headers", "detect_kind"]


@dataclass(frozen=True)
class Column:
    field: str                 # internal name = the English canonical header
    zh: str                    # canonical Chinese header
    required: bool = False
    multi: bool = False
    values: str | None = None  # "bool", "year", a scheme name, or "resource-type"
    synonyms: tuple = ()
    help: str = ""             # 填写说明
    example: str = ""


@dataclass(frozen=True)
class ListKind:
    name: str                  # links, enterprises, ...
    zh: str                    # 产业链环节表 ...
    columns: tuple = field(default_factory=tuple)

    def column(self, fld):
        for c in self.columns:
            if c.field == fld:
                return c
        raise KeyError(fld)

    @property
    def required(self):
        return [c for c in self.columns if c.required]


_SRC = Column("source", "来源", synonyms=("数据来源", "出处", "信息来源"),
              help="事实的出处，如规划章节、文件名或公开资料。", example="科技强桂三年行动方案 三(一)")
_ASOF = Column("as_of", "截至日期", synonyms=("数据日期", "日期", "asof", "date"),
               help="数据截至日期（YYYY-MM-DD）；空白时取载入日期。", example="2023-12-31")
_CHAIN = Column("chain", "产业链", synonyms=("产业链名称", "所属产业链", "industry_chain"),
                help="产业链名称，须与产业链环节表中的一致。", example="新能源汽车")
_REGION = Column("region", "所在地区", synonyms=("地区", "所在地", "所属地区", "所在区域", "区域"),
                 help="设区市、县（市、区）或高新区等功能区的名称。", example="柳州市")

LIST_KINDS = {
    "regions": ListKind("regions", "区域表", (
        Column("name", "名称", True, synonyms=("区域名称", "地区名称"), help="区域或创新功能区的名称。", example="柳州市"),
        Column("type", "类型", True, values="RegionOrZoneType", synonyms=("区域类型", "功能区类型"),
               help="行政区域类型（自治区/设区市/县）或功能区类型（国家高新区等）。", example="设区市"),
        Column("parent", "上级", synonyms=("上级区域", "所属", "所属区域"), help="上级区域的名称。", example="广西壮族自治区"),
        _SRC, _ASOF)),
    "links": ListKind("links", "产业链环节表", (
        Column("chain", "产业链", True, synonyms=_CHAIN.synonyms, help=_CHAIN.help, example="新能源汽车"),
        Column("link", "环节", True, synonyms=("环节名称", "产业链环节"), help="环节名称，在本产业链内唯一。", example="动力电池"),
        Column("stage", "阶段", True, values="StageScheme", synonyms=("所处阶段", "上中下游"),
               help="上游、中游或下游。", example="中游"),
        Column("parent", "上级环节", synonyms=("父环节", "parent_link"), help="本环节细分自哪个环节（同一产业链内）。",
               example="核心零部件"),
        Column("supplies", "下游环节", multi=True, synonyms=("供给环节", "供货环节"),
               help="本环节向哪些环节供货，多个用顿号分隔。", example="整车制造"),
        Column("requires", "所需技术", multi=True, synonyms=("需要技术", "需求技术"),
               help="本环节需要的关键核心技术，多个用顿号分隔；须出现在关键核心技术攻关清单中。",
               example="高比能电池技术"),
        Column("note", "说明", synonyms=("备注", "notes"), help="补充说明。", example="电芯、模组、电池包"),
        _SRC, _ASOF)),
    "technologies": ListKind("technologies", "关键核心技术攻关清单", (
        Column("name", "技术名称", True, synonyms=("技术", "关键核心技术", "关键技术", "technology"),
               help="关键核心技术的名称。", example="高比能电池技术"),
        _CHAIN,
        Column("required_by", "所需环节", multi=True, synonyms=("需求环节", "应用环节"),
               help="需要此技术的环节，写“环节”或“产业链/环节”，多个用顿号分隔。", example="动力电池"),
        Column("chokepoint", "卡脖子", values="bool", synonyms=("是否卡脖子", "卡脖子技术"),
               help="是否“卡脖子”技术：是/否。", example="是"),
        Column("status", "攻关状态", values="TechStatusScheme", synonyms=("状态",),
               help="未攻关、攻关中或已突破。", example="攻关中"),
        Column("mechanism", "攻关方式", values="MechanismScheme", synonyms=("组织方式",),
               help="揭榜挂帅、定向委托或公开竞争。", example="揭榜挂帅"),
        Column("tackled_by", "牵头单位", multi=True, synonyms=("攻关单位", "承担单位"),
               help="牵头攻关的企业、高校、科研院所、平台或人才，多个用顿号分隔；须出现在企业清单、创新资源清单或工作区中。",
               example="某某电池有限公司"),
        Column("note", "说明", synonyms=("备注",), help="补充说明。", example=""),
        _SRC, _ASOF)),
    "enterprises": ListKind("enterprises", "企业清单", (
        Column("name", "企业名称", True, synonyms=("企业", "公司名称", "单位名称", "enterprise", "company"),
               help="企业全称，与营业执照一致。", example="某某电池有限公司"),
        Column("uscc", "统一社会信用代码", synonyms=("社会信用代码", "信用代码", "credit_code"),
               help="18 位统一社会信用代码；有则必填准确（校验位按 GB 32100 检查）。", example="91450200MA5K00001K"),
        _CHAIN,
        Column("links", "环节", True, multi=True, synonyms=("所在环节", "产业链环节", "link"),
               help="企业所在的环节，写“环节”或“产业链/环节”，多个用顿号分隔。", example="动力电池"),
        _REGION,
        Column("chain_leader", "链主", values="bool", synonyms=("链主企业", "是否链主"), help="是否链主企业：是/否，不清楚留空。", example="否"),
        Column("high_tech", "高新技术企业", values="bool", synonyms=("高企", "是否高新技术企业", "高新企业"),
               help="是否高新技术企业：是/否，不清楚留空。", example="是"),
        Column("above_scale", "规上企业", values="bool", synonyms=("规模以上企业", "规上", "是否规上"),
               help="是否规模以上企业：是/否，不清楚留空。", example="是"),
        Column("has_rd_staff", "研发人员", values="bool", synonyms=("有研发人员", "有无研发人员"),
               help="是否有研发人员：是/否（有/无），不清楚留空。", example="是"),
        Column("has_rd_platform", "研发机构", values="bool", synonyms=("有研发机构", "有无研发机构"),
               help="是否有研发机构：是/否（有/无），不清楚留空。", example="是"),
        Column("has_rd_funds", "研发经费", values="bool", synonyms=("有研发经费", "有无研发经费"),
               help="是否有研发经费投入：是/否（有/无），不清楚留空。", example="是"),
        Column("tech_sme", "科技型中小企业", values="bool", synonyms=("科技型中小", "techsme"),
               help="是否入库科技型中小企业：是/否，不清楚留空。", example="否"),
        Column("gazelle", "瞪羚企业", values="bool", synonyms=("瞪羚",), help="是否瞪羚企业：是/否，不清楚留空。", example="否"),
        Column("products", "主要产品", multi=True, synonyms=("产品",), help="主要产品，多个用顿号分隔。", example="动力电池、储能电池"),
        _SRC, _ASOF)),
    "resources": ListKind("resources", "创新资源清单", (
        Column("name", "名称", True, synonyms=("资源名称", "平台名称", "机构名称"), help="平台、高校、科研院所、人才或团队的名称。",
               example="某某动力电池工程研究中心"),
        Column("type", "类别", True, values="ResourceType", synonyms=("资源类别", "平台类别", "category"),
               help="平台类别（如技术创新中心、中试基地），或高校、科研院所、人才、团队。", example="工程研究中心"),
        Column("level", "级别", values="LevelScheme", synonyms=("平台级别",), help="国家级、自治区级或市级（平台、高校、科研院所）。",
               example="自治区级"),
        Column("host", "依托单位", synonyms=("所在单位", "依托", "affiliation"),
               help="平台的依托单位，或人才、团队的所在单位；须出现在清单或工作区中。", example="某某电池有限公司"),
        _REGION,
        Column("supports", "支撑环节", multi=True, synonyms=("服务环节",), help="直接支撑的环节，写“环节”或“产业链/环节”。",
               example="新能源汽车/动力电池"),
        Column("tackles", "攻关技术", multi=True, synonyms=("承担攻关技术",), help="攻关的关键核心技术。", example="高比能电池技术"),
        Column("expert_in", "研究方向", multi=True, synonyms=("专业方向", "擅长领域"),
               help="人才或团队的研究方向：环节或关键核心技术。", example=""),
        Column("talent_level", "人才层次", values="TalentLevelScheme", synonyms=("人才类别",),
               help="院士、国家级高层次人才、八桂学者、特聘专家或青年人才（人才、团队）。", example=""),
        _SRC, _ASOF)),
    "targets": ListKind("targets", "指标", (
        Column("name", "指标", True, synonyms=("指标名称", "indicator", "target"), help="指标名称。",
               example="高新技术企业数"),
        Column("value", "目标值", True, synonyms=("值", "数值"), help="目标值：一个数，或用“-”连接的区间。", example="4200"),
        Column("unit", "单位", help="目标值的单位。", example="家"),
        Column("year", "年份", values="year", synonyms=("目标年份",), help="目标年份，如 2023。", example="2023"),
        Column("comparator", "比较", values="ComparatorScheme", synonyms=("比较方式",), help="≥、>、≤、= 或 range（区间）。",
               example="≥"),
        Column("section", "章节", synonyms=("规划章节", "出处章节"), help="指标出自的规划章节。", example="二(一)"),
        _CHAIN,
        _SRC, _ASOF)),
}
# the order rows are applied in (references point backwards or inside the file set)
KIND_ORDER = ["regions", "links", "technologies", "enterprises", "resources", "targets"]

_HEADER_JUNK = re.compile(r"[\s_\-*＊:：]+|[（(]必填[）)]|[（(]可选[）)]|[（(]多个?值?[）)]")


def header_key(text) -> str:
    """How a header is compared: NFKC, lower case, without spaces, _, -, * or (必填)."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return _HEADER_JUNK.sub("", s)


def _index(kind: ListKind) -> dict:
    table = {}
    for c in kind.columns:
        for name in (c.field, c.zh, *c.synonyms):
            table.setdefault(header_key(name), c.field)
    return table


_INDEX = {k: _index(v) for k, v in LIST_KINDS.items()}


def match_headers(kind: str, headers: list) -> dict:
    """``{position: field}`` for the headers that name a column of ``kind`` (first one wins)."""
    table = _INDEX[kind]
    out, seen = {}, set()
    for i, h in enumerate(headers):
        f = table.get(header_key(h))
        if f is not None and f not in seen:
            out[i] = f
            seen.add(f)
    return out


def detect_kind(headers: list, chain_given: bool = False):
    """``(kind, None)`` for the one kind the headers fit, else ``(None, best_partial_kind_or_None)``.

    A kind fits when every required column is there (a links list may leave out 产业链 when
    ``--chain`` gives it). Among fitting kinds the one naming the most headers wins; a tie
    returns ``(None, None)`` with ``ambiguous`` set on the function's result via the caller.
    """
    fits, partial = [], []
    for k, spec in LIST_KINDS.items():
        m = set(match_headers(k, headers).values())
        missing = [c for c in spec.required if c.field not in m and not (c.field == "chain" and chain_given)]
        if not missing:
            fits.append((len(m), k))
        elif m & {c.field for c in spec.required}:
            partial.append((len(m), -len(missing), k))
    if fits:
        fits.sort(reverse=True)
        if len(fits) > 1 and fits[0][0] == fits[1][0]:
            return None, [k for n, k in fits if n == fits[0][0]]
        return fits[0][1], None
    if partial:
        partial.sort(reverse=True)
        if partial[0][0] >= 2:
            return None, partial[0][2]
    return None, None
