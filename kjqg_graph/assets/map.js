/* kjqg chain map (MIT): vis-network DataSets from the page's JSON block.
 * Names only ever go into textContent or vis labels (drawn on canvas), never into innerHTML. */
(function () {
  "use strict";
  var el = function (id) { return document.getElementById(id); };
  var D = JSON.parse(el("kjqg-data").textContent);
  var F = D.flags, N = D.nodes, INFO = D.info;
  var KIND = D.kinds.map(function (k) { return k[0]; });
  var KIND_ZH = {}; D.kinds.forEach(function (k) { KIND_ZH[k[0]] = k[1]; });
  var REL = D.rels.map(function (r) { return r[0]; });
  var FACE = '"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif';
  var RED = "#d62728";
  var KS = {
    ChainLink: {shape: "box", bg: "#1f77b4", border: "#0d4a7a"},
    Enterprise: {shape: "dot", bg: "#8c8c8c", border: "#5a5a5a", size: 8},
    InnovationPlatform: {shape: "diamond", bg: "#2ca02c", border: "#1a661a", size: 12},
    University: {shape: "triangle", bg: "#17a2b8", border: "#0e6674", size: 12},
    ResearchInstitute: {shape: "triangleDown", bg: "#17a2b8", border: "#0e6674", size: 12},
    Talent: {shape: "star", bg: "#9467bd", border: "#5e3c80", size: 11},
    TalentTeam: {shape: "star", bg: "#6a3d9a", border: "#3f2260", size: 13},
    KeyTechnology: {shape: "hexagon", bg: "#ff9f1c", border: "#b36b00", size: 13},
    Project: {shape: "square", bg: "#8c564b", border: "#5a362f", size: 9}
  };
  var GROUP = {shape: "box", bg: "#eeeeee", border: "#777777"};
  var ES = {
    supplies: {color: "#1f3b73", width: 3, arrows: "to"},
    subLinkOf: {color: "#555555", width: 1.5, arrows: "to", dashes: true},
    inLink: {color: "#c8c8c8", width: 1},
    supports: {color: "#2ca02c", width: 1.2, arrows: "to"},
    expertIn: {color: "#9467bd", width: 1, arrows: "to", dashes: true},
    requires: {color: "#ff9f1c", width: 1.2, arrows: "to"},
    tackles: {color: "#b36b00", width: 1, arrows: "to"},
    hostedBy: {color: "#999999", width: 1, arrows: "to", dashes: true},
    ledBy: {color: "#999999", width: 1, arrows: "to"},
    affiliatedWith: {color: "#999999", width: 1, arrows: "to"}
  };
  var has = function (i, f) { return (N[i][5] & F[f]) !== 0; };

  /* ---------------------------------------------------------------- styles */
  function style(i) {
    var n = N[i], kind = KIND[n[2]], s = KS[kind] || KS.Enterprise;
    var bg = s.bg, border = s.border, bw = 1.5, dashes = false, font = {face: FACE, size: 13, color: "#222"};
    var label = n[1];
    if (kind === "ChainLink") {
      font = {face: FACE, size: 16, color: "#ffffff", bold: true};
      bw = 2;
      if (has(i, "innovation_gap")) { bg = RED; border = "#7f0000"; }
      if (has(i, "weak")) { border = "#ff7f0e"; bw = 4; }
      if (has(i, "missing")) {            /* hollow: no enterprise in scope */
        border = has(i, "innovation_gap") ? RED : s.bg; bg = "#ffffff"; bw = 3;
        font.color = border;
        if (has(i, "broken")) dashes = [6, 4];
      }
      if (has(i, "chokepoint")) label = label + " ⚠";
    } else if (kind === "KeyTechnology") {
      if (has(i, "achieved")) { bg = "#b7e4a8"; border = "#2e7d32"; }
      if (has(i, "untackled")) { bg = "#fff3e0"; dashes = [5, 4]; bw = 3; }
      if (has(i, "chokepoint")) { border = RED; bw = 4; }
    } else if (kind === "Enterprise") {
      font.size = 11;
      if (has(i, "sanwu")) { bg = "#e377c2"; border = "#a0307f"; }
      if (has(i, "leader")) { bg = "#333333"; border = "#000000"; }
    }
    var o = {id: i, label: label, x: n[3], y: n[4], shape: s.shape, borderWidth: bw,
      color: {background: bg, border: border, highlight: {background: bg, border: "#000000"},
              hover: {background: bg, border: "#000000"}},
      font: font, shapeProperties: {borderDashes: dashes}};
    if (s.size) o.size = (kind === "Enterprise" && has(i, "leader")) ? 13 : s.size;
    if (hiddenKinds[kind]) o.hidden = true;
    return o;
  }
  function groupStyle(g) {
    var G = D.groups[g];
    return {id: "g" + g, label: "企业 ×" + G[1] + "  ▸ 点击展开", x: G[2], y: G[3], shape: GROUP.shape,
      borderWidth: 2, color: {background: GROUP.bg, border: GROUP.border}, font: {face: FACE, size: 13, color: "#333"},
      shapeProperties: {borderDashes: [4, 3]}, hidden: !!hiddenKinds.Enterprise};
  }
  function edgeStyle(e) {
    var E = D.edges[e], rel = REL[E[2]], s = ES[rel] || {color: "#999999", width: 1};
    return {id: e, from: E[0], to: E[1], color: {color: s.color, opacity: 0.75}, width: s.width,
      arrows: s.arrows || "", dashes: !!s.dashes, rel: rel};
  }
  var DIM = {color: {background: "#f0f0f0", border: "#dddddd"}, font: {face: FACE, color: "#cccccc"}};

  /* ---------------------------------------------------------------- data sets */
  var hiddenKinds = {};
  var expanded = {};
  var nodeList = [], edgeList = [], pending = {};
  for (var i = 0; i < N.length; i++) if (N[i][6] < 0) nodeList.push(style(i));
  for (var g = 0; g < D.groups.length; g++) nodeList.push(groupStyle(g));
  for (var e = 0; e < D.edges.length; e++) {
    var a = D.edges[e][0], b = D.edges[e][1];
    if (N[a][6] < 0 && N[b][6] < 0) edgeList.push(edgeStyle(e));
    else {
      if (N[a][6] >= 0) (pending[a] = pending[a] || []).push(e);
      if (N[b][6] >= 0) (pending[b] = pending[b] || []).push(e);
    }
  }
  D.groups.forEach(function (G, g) {
    edgeList.push({id: "ge" + g, from: "g" + g, to: G[0], color: {color: "#aaaaaa"}, width: 2, dashes: true});
  });
  var nodes = new vis.DataSet(nodeList);
  var edges = new vis.DataSet(edgeList);
  var big = N.length > 1500;
  var network = new vis.Network(el("kjqg-network"), {nodes: nodes, edges: edges}, {
    physics: false,
    layout: {improvedLayout: false, randomSeed: 1},
    interaction: {hover: true, tooltipDelay: 80, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false},
    nodes: {shapeProperties: {interpolation: false}},
    edges: {smooth: false, selectionWidth: 1.5}
  });

  /* ---------------------------------------------------------------- stage bands */
  var minY = 0, maxY = 0;
  N.forEach(function (n) { if (n[4] < minY) minY = n[4]; if (n[4] > maxY) maxY = n[4]; });
  network.on("beforeDrawing", function (ctx) {
    var shades = ["#eef4fb", "#f3f9ee", "#fbf3ec", "#f4f4f4"];
    D.stages.forEach(function (s, k) {
      ctx.fillStyle = shades[k % shades.length];
      ctx.fillRect(s[1], minY - 160, s[2] - s[1], maxY - minY + 260);
      ctx.fillStyle = "#555555";
      ctx.font = "bold 34px " + FACE;
      ctx.textAlign = "center";
      ctx.fillText(s[0], (s[1] + s[2]) / 2, minY - 110);
    });
  });

  /* ---------------------------------------------------------------- groups */
  function expand(g) {
    if (expanded[g]) return;
    expanded[g] = true;
    var add = [], addE = {}, members = [];
    for (var i = 0; i < N.length; i++) if (N[i][6] === g) { members.push(i); add.push(style(i)); }
    nodes.remove("g" + g);
    edges.remove("ge" + g);
    nodes.add(add);
    members.forEach(function (m) {
      (pending[m] || []).forEach(function (e) {
        var E = D.edges[e];
        if (!addE[e] && nodes.get(E[0]) && nodes.get(E[1]) && !edges.get(e)) { addE[e] = true; }
      });
    });
    edges.add(Object.keys(addE).map(function (e) { return edgeStyle(+e); }));
  }

  /* ---------------------------------------------------------------- highlight */
  var highlighted = false;
  function restore() {
    if (!highlighted) return;
    highlighted = false;
    nodes.update(nodes.getIds().map(function (id) {
      return typeof id === "string" ? groupStyle(+id.slice(1)) : style(id);
    }));
  }
  function highlight(id) {
    restore();
    var keep = {}; keep[id] = true;
    network.getConnectedNodes(id).forEach(function (x) { keep[x] = true; });
    highlighted = true;
    nodes.update(nodes.getIds().filter(function (x) { return !keep[x]; }).map(function (x) {
      return {id: x, color: DIM.color, font: DIM.font};
    }));
  }
  network.on("click", function (p) {
    if (!p.nodes.length) { restore(); return; }
    var id = p.nodes[0];
    if (typeof id === "string" && id.charAt(0) === "g") { expand(+id.slice(1)); return; }
    highlight(id);
  });

  /* ---------------------------------------------------------------- hover details */
  var tip = el("kjqg-tip");
  function showTip(id, at) {
    tip.textContent = "";
    var lines;
    if (typeof id === "string") {
      var G = D.groups[+id.slice(1)];
      lines = [N[G[0]][1] + "：企业 " + G[1] + " 家", "点击展开为单个企业"];
    } else lines = INFO[id];
    lines.forEach(function (s, k) {
      var d = document.createElement("div");
      if (k === 0) d.className = "t";
      d.textContent = s;
      tip.appendChild(d);
    });
    var wrap = el("kjqg-network").getBoundingClientRect();
    tip.style.display = "block";
    var x = Math.min(at.x + 14, wrap.width - tip.offsetWidth - 6);
    var y = Math.min(at.y + 14, wrap.height - tip.offsetHeight - 6);
    tip.style.left = Math.max(0, x) + "px";
    tip.style.top = Math.max(0, y) + "px";
  }
  network.on("hoverNode", function (p) { showTip(p.node, p.pointer.DOM); });
  network.on("blurNode", function () { tip.style.display = "none"; });
  network.on("dragStart", function () { tip.style.display = "none"; });

  /* ---------------------------------------------------------------- search */
  var namesBuilt = false;
  el("kjqg-q").addEventListener("focus", function () {
    if (namesBuilt) return;
    namesBuilt = true;
    var dl = el("kjqg-names"), seen = {}, frag = document.createDocumentFragment();
    for (var i = 0; i < N.length && i < 20000; i++) {
      var name = INFO[i][0];
      if (seen[name]) continue;
      seen[name] = true;
      var o = document.createElement("option"); o.value = name; frag.appendChild(o);
    }
    dl.appendChild(frag);
  });
  function search(q) {
    q = (q || "").trim();
    if (!q) return [];
    var hits = [];
    for (var i = 0; i < N.length; i++) if (INFO[i][0] === q || N[i][0] === q) hits.push(i);
    if (!hits.length) {
      var lq = q.toLowerCase();
      for (i = 0; i < N.length; i++) if (INFO[i][0].toLowerCase().indexOf(lq) >= 0) hits.push(i);
    }
    el("kjqg-found").textContent = hits.length ? ("找到 " + hits.length + " 个") : "未找到";
    if (!hits.length) return hits;
    var t = hits[0], kind = KIND[N[t][2]];
    if (hiddenKinds[kind]) { var cb = el("kjqg-f-" + kind); if (cb) { cb.checked = true; } setKind(kind, true); }
    if (N[t][6] >= 0) expand(N[t][6]);
    network.selectNodes([t]);
    highlight(t);
    network.focus(t, {scale: 1.1, animation: false});
    return hits;
  }
  el("kjqg-search").addEventListener("submit", function (ev) { ev.preventDefault(); search(el("kjqg-q").value); });
  el("kjqg-fit").addEventListener("click", function () { restore(); network.fit({animation: false}); });

  /* ---------------------------------------------------------------- kind filters */
  function setKind(kind, on) {
    if (on) delete hiddenKinds[kind]; else hiddenKinds[kind] = true;
    var upd = [];
    nodes.forEach(function (n) {
      var k = typeof n.id === "string" ? "Enterprise" : KIND[N[n.id][2]];
      if (k === kind) upd.push({id: n.id, hidden: !on});
    });
    nodes.update(upd);
  }
  var fbox = el("kjqg-filters");
  KIND.forEach(function (k) {
    var lab = document.createElement("label"), cb = document.createElement("input");
    cb.type = "checkbox"; cb.checked = true; cb.id = "kjqg-f-" + k; cb.dataset.kind = k;
    cb.addEventListener("change", function () { setKind(k, cb.checked); });
    lab.appendChild(cb);
    lab.appendChild(document.createTextNode(" " + KIND_ZH[k]));
    fbox.appendChild(lab);
  });

  /* ---------------------------------------------------------------- legend */
  var leg = el("kjqg-legend");
  function item(text, bg, border, cls) {
    var d = document.createElement("div"), sw = document.createElement("span");
    sw.className = "kjqg-sw " + (cls || "");
    sw.style.background = bg; sw.style.borderColor = border;
    d.appendChild(sw); d.appendChild(document.createTextNode(text));
    leg.appendChild(d);
  }
  var h = document.createElement("b"); h.textContent = "图例 legend"; leg.appendChild(h);
  KIND.forEach(function (k) {
    var s = KS[k] || KS.Enterprise;
    item(KIND_ZH[k] + " " + k, s.bg, s.border, s.shape === "dot" || s.shape === "star" ? "dot" : s.shape === "diamond" ? "diamond" : "");
  });
  if (D.groups.length) item("企业组（点击展开）", GROUP.bg, GROUP.border, "dashed");
  h = document.createElement("b"); h.textContent = "缺口 gaps"; leg.appendChild(h);
  item("创新链缺口：环节无任何支撑", RED, "#7f0000");
  item("缺链：环节无企业（空心）", "#ffffff", KS.ChainLink.bg);
  item("断链：上下游有企业（空心虚线）", "#ffffff", KS.ChainLink.bg, "dashed");
  item("弱链：单一或小企业", KS.ChainLink.bg, "#ff7f0e");
  item("攻关空白：无人攻关的技术（虚线）", "#fff3e0", KS.KeyTechnology.border, "dashed");
  item("⚠ 卡脖子技术 / 需卡脖子技术的环节", KS.KeyTechnology.bg, RED);
  item("★ 链主企业", "#333333", "#000000", "dot");
  item("三无企业", "#e377c2", "#a0307f", "dot");

  /* ---------------------------------------------------------------- ready */
  window.kjqg = {data: D, nodes: nodes, edges: edges, network: network, expand: expand, search: search,
                 highlight: highlight, restore: restore, setKind: setKind, stable: false, stableAt: null};
  /* a long chain fits the screen at an unreadable scale: open at the upstream end, legibly;
   * the 全图 button shows the whole chain */
  var first = true;
  network.on("afterDrawing", function () {
    if (!first) return;
    first = false;
    var sc = network.getScale();
    if (sc < 0.3 && N.length) {
      var w = el("kjqg-network").clientWidth, s = 0.45, x0 = Infinity;
      N.forEach(function (n) { if (n[3] < x0) x0 = n[3]; });
      network.moveTo({position: {x: x0 - 200 + w / 2 / s, y: 0}, scale: s, animation: false});
    }
    window.kjqg.stable = true;
    window.kjqg.stableAt = performance.now();
  });
  leg.firstChild.style.cursor = "pointer";
  leg.firstChild.title = "点击折叠/展开";
  leg.firstChild.addEventListener("click", function () {
    for (var c = leg.firstChild.nextSibling; c; c = c.nextSibling) c.style.display = c.style.display ? "" : "none";
  });
})();
