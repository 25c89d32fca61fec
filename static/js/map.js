/* Stakeholder map: the hub-and-spoke network (Cytoscape) and the power/interest grid
   (Chart.js), both drawn from one JSON endpoint. Exposes window.roundtableMap. */
(function () {
  "use strict";

  var COLOURS = { direct: "#198754", proxy: "#e0a800", none: "#dc3545", unknown: "#adb5bd" };
  var LABELS = {
    direct: "Direct seat",
    proxy: "Seat by proxy",
    none: "No seat",
    unknown: "Not assessed yet"
  };
  var PLATFORMS = {
    x: "X", facebook: "Facebook", instagram: "Instagram", linkedin: "LinkedIn",
    youtube: "YouTube", tiktok: "TikTok", threads: "Threads", bluesky: "Bluesky",
    mastodon: "Mastodon", reddit: "Reddit", pinterest: "Pinterest", other: "Other"
  };
  // Influence and interest run 1–5; 4 and 5 are high (roundtable.py: HIGH_FROM).
  var HIGH_FROM = 4;
  var QUADRANTS = [
    { label: "Keep satisfied", x: [0.5, 3.5], y: [3.5, 5.5], colour: "rgba(13, 110, 253, 0.05)" },
    { label: "Manage closely", x: [3.5, 5.5], y: [3.5, 5.5], colour: "rgba(220, 53, 69, 0.07)" },
    { label: "Monitor", x: [0.5, 3.5], y: [0.5, 3.5], colour: "rgba(108, 117, 125, 0.05)" },
    { label: "Keep informed", x: [3.5, 5.5], y: [0.5, 3.5], colour: "rgba(25, 135, 84, 0.06)" }
  ];

  var state = { cy: null, grid: null, data: null, error: null };
  window.roundtableMap = state;

  function quadrant(influence, interest) {
    var power = influence >= HIGH_FROM;
    var keen = interest >= HIGH_FROM;
    if (power && keen) { return "Manage closely"; }
    if (power) { return "Keep satisfied"; }
    if (keen) { return "Keep informed"; }
    return "Monitor";
  }

  function accountTotal(accounts) {
    return Object.keys(accounts || {}).reduce(function (sum, p) { return sum + accounts[p]; }, 0);
  }

  function accountText(accounts) {
    var parts = Object.keys(accounts || {}).map(function (p) {
      return (PLATFORMS[p] || p) + " ×" + accounts[p];
    });
    return parts.length ? parts.join(", ") : "none";
  }

  function departmentUrl(data, key) {
    return data.url_template.replace("__key__", encodeURIComponent(key));
  }

  // A stable pseudo-random offset per department, so points sharing a cell spread out
  // the same way on every load.
  function jitter(key, salt) {
    var hash = 2166136261;
    var text = salt + ":" + key;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 16777619);
    }
    // murmur3's finaliser: FNV alone leaves similar keys with similar offsets.
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    return (((hash >>> 0) % 1000) / 1000 - 0.5) * 0.7;
  }

  function formatNumber(n) { return Number(n).toLocaleString(); }

  /* ------------------------------------------------------------------ network */

  function nodeSize(headcount, maxHeadcount) {
    if (!maxHeadcount) { return 26; }
    return 22 + 56 * Math.sqrt(headcount / maxHeadcount);
  }

  function networkElements(data) {
    var inGraph = {};
    var maxHeadcount = 0;
    data.departments.forEach(function (d) {
      if (!d.in_graph) { return; }
      inGraph[d.key] = true;
      var total = d.headcount + (d.hidden ? d.hidden.headcount : 0);
      if (total > maxHeadcount) { maxHeadcount = total; }
    });
    var nodes = [{ data: { id: "coe", label: "COE", kind: "coe" } }];
    var edges = [];
    data.departments.forEach(function (d) {
      if (!d.in_graph) { return; }
      var total = d.headcount + (d.hidden ? d.hidden.headcount : 0);
      nodes.push({
        data: {
          id: "d:" + d.key,
          key: d.key,
          kind: "department",
          label: d.hidden ? d.name + " (+" + d.hidden.count + ")" : d.name,
          rep: d.representation,
          depth: d.depth,
          colour: COLOURS[d.representation] || COLOURS.unknown,
          size: nodeSize(total, maxHeadcount),
          collapsed: d.hidden ? 1 : 0
        }
      });
      var parent = d.parent && inGraph[d.parent] ? "d:" + d.parent : "coe";
      edges.push({ data: { id: "e:" + d.key, source: parent, target: "d:" + d.key } });
    });
    if (data.others) {
      nodes.push({
        data: {
          id: "others", kind: "others",
          label: formatNumber(data.others.count) + " smaller units",
          colour: COLOURS.unknown, size: 40, collapsed: 1
        }
      });
      edges.push({ data: { id: "e:others", source: "coe", target: "others" } });
    }
    // Social accounts, one node per department and platform, while the graph stays small.
    var accountNodes = [];
    var accountEdges = [];
    data.departments.forEach(function (d) {
      if (!d.in_graph) { return; }
      Object.keys(d.accounts || {}).forEach(function (platform) {
        var id = "a:" + d.key + ":" + platform;
        accountNodes.push({ data: {
          id: id, kind: "account", owner: d.key, platform: platform,
          label: (PLATFORMS[platform] || platform) + (d.accounts[platform] > 1 ? " ×" + d.accounts[platform] : ""),
          count: d.accounts[platform]
        } });
        accountEdges.push({ data: { id: "ae:" + id, source: "d:" + d.key, target: id, kind: "account" } });
      });
    });
    var unowned = data.unowned_accounts || {};
    if (Object.keys(unowned).length) {
      nodes.push({ data: { id: "unowned", kind: "unowned", label: "No owner", colour: COLOURS.none, size: 30 } });
      edges.push({ data: { id: "e:unowned", source: "coe", target: "unowned", kind: "orphan" } });
      Object.keys(unowned).forEach(function (platform) {
        var id = "a:unowned:" + platform;
        accountNodes.push({ data: {
          id: id, kind: "account", owner: null, platform: platform,
          label: (PLATFORMS[platform] || platform) + (unowned[platform] > 1 ? " ×" + unowned[platform] : ""),
          count: unowned[platform]
        } });
        accountEdges.push({ data: { id: "ae:" + id, source: "unowned", target: id, kind: "account" } });
      });
    }
    var showAccounts = nodes.length + accountNodes.length <= data.scope.max_nodes * 1.5;
    if (showAccounts) {
      nodes = nodes.concat(accountNodes);
      edges = edges.concat(accountEdges);
    }
    return { elements: nodes.concat(edges), accountsShown: showAccounts };
  }

  var NETWORK_STYLE = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": 20, "text-valign": "bottom", "text-margin-y": 3,
      "color": "#212529", "text-outline-color": "#fff", "text-outline-width": 2,
      "min-zoomed-font-size": 6
    } },
    { selector: "node[kind = 'coe']", style: {
      "width": 90, "height": 90, "background-color": "#0d6efd", "label": "COE",
      "text-valign": "center", "color": "#fff", "text-outline-width": 0, "font-size": 22,
      "font-weight": "bold", "border-width": 5, "border-color": "#cfe2ff"
    } },
    { selector: "node[kind = 'department'], node[kind = 'others'], node[kind = 'unowned']", style: {
      "width": "data(size)", "height": "data(size)", "background-color": "data(colour)",
      "border-width": 1, "border-color": "#fff"
    } },
    { selector: "node[collapsed = 1]", style: {
      "border-width": 4, "border-style": "double", "border-color": "#495057"
    } },
    { selector: "node[kind = 'account']", style: {
      "shape": "diamond", "width": 14, "height": 14, "background-color": "#6f42c1", "label": ""
    } },
    { selector: "node[kind = 'account'].hover", style: { "label": "data(label)", "font-size": 12, "color": "#6f42c1" } },
    { selector: "node[depth > 0]", style: { "font-size": 16 } },
    { selector: "node[crowded = 1]", style: { "label": "" } },
    { selector: "node[crowded = 1].hover", style: { "label": "data(label)", "z-index": 10 } },
    { selector: "edge", style: {
      "width": 1.5, "line-color": "#ced4da", "curve-style": "straight"
    } },
    { selector: "edge[kind = 'account']", style: { "width": 1, "line-style": "dotted", "line-color": "#b9a6e0" } },
    { selector: "edge[kind = 'orphan']", style: { "line-style": "dashed", "line-color": COLOURS.none } },
    { selector: "node:active, node.hover", style: { "overlay-opacity": 0.12, "overlay-color": "#0d6efd" } }
  ];

  function tooltipHtml(data, node) {
    var d = node.data();
    var lines = [];
    if (d.kind === "coe") {
      return "<strong>Social Media COE</strong><br>" + formatNumber(data.scope.departments) + " departments in view";
    }
    if (d.kind === "account") {
      return "<strong>" + escapeHtml(d.label) + "</strong><br>" + formatNumber(d.count) +
        " account" + (d.count === 1 ? "" : "s") + (d.owner ? "" : " without an owner");
    }
    if (d.kind === "others") {
      var o = data.others;
      return "<strong>" + formatNumber(o.count) + " smaller units</strong><br>" + formatNumber(o.headcount) +
        " people · " + o.direct + " direct, " + o.proxy + " by proxy, " + o.none + " without a seat";
    }
    if (d.kind === "unowned") {
      return "<strong>Accounts without an owner</strong><br>" + accountText(data.unowned_accounts);
    }
    var dept = state.byKey[d.key];
    lines.push("<strong>" + escapeHtml(dept.name) + "</strong>");
    lines.push('<span class="rep-text rep-' + dept.representation + '">' + LABELS[dept.representation] + "</span>");
    lines.push(formatNumber(dept.headcount) + " people · " + dept.seats + " approved seat" + (dept.seats === 1 ? "" : "s"));
    lines.push("Accounts: " + escapeHtml(accountText(dept.accounts)));
    lines.push("Influence " + dept.influence + ", interest " + dept.interest + " · " + quadrant(dept.influence, dept.interest));
    if (dept.hidden) {
      var h = dept.hidden;
      lines.push("<em>+" + formatNumber(h.count) + " sub-departments (" + formatNumber(h.headcount) + " people): " +
        h.direct + " direct, " + h.proxy + " by proxy, " + h.none + " without a seat</em>");
    }
    return lines.join("<br>");
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // A radial tree: the COE at the centre, each level on its own ring, and every node
  // given a slice of the circle proportional to the leaves below it, so departments sit
  // next to their parents and the spokes never cross.
  function radialPositions(elements) {
    var children = {};
    var kind = {};
    elements.forEach(function (el) {
      if (el.data.source) {
        (children[el.data.source] = children[el.data.source] || []).push(el.data.target);
      } else {
        kind[el.data.id] = el.data.kind;
      }
    });
    // A department weighs a little on its own, so small units still get room on
    // their ring; an account weighs less than a department.
    var leaves = {};
    function countLeaves(id) {
      var kids = children[id] || [];
      var total = kind[id] === "account" ? 0.6 : 1.2;
      kids.forEach(function (kid) { total += countLeaves(kid); });
      leaves[id] = total;
      return total;
    }
    countLeaves("coe");
    // The first ring is wide, so the business units have room around the COE.
    function ringRadius(depth) { return depth === 0 ? 0 : 270 + (depth - 1) * 160; }
    var positions = { coe: { x: 0, y: 0 } };
    var room = {};
    function place(id, depth, from, to) {
      var kids = children[id] || [];
      var start = from;
      // Damped weights: a big unit gets more room than a small one, but not all of it.
      var total = kids.reduce(function (sum, kid) { return sum + Math.pow(leaves[kid], 0.6); }, 0);
      kids.forEach(function (kid) {
        var span = (to - from) * Math.pow(leaves[kid], 0.6) / total;
        var angle = start + span / 2;
        var radius = kind[kid] === "account" ? ringRadius(depth) + 75 : ringRadius(depth + 1);
        positions[kid] = { x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
        room[kid] = span * radius;  // the arc this node may use on its ring
        if (kind[kid] !== "account") { place(kid, depth + 1, start, start + span); }
        start += span;
      });
    }
    place("coe", 0, -Math.PI / 2, 1.5 * Math.PI);
    return { positions: positions, room: room };
  }

  function drawNetwork(container, data) {
    var built = networkElements(data);
    var layout = radialPositions(built.elements);
    var positions = layout.positions;
    // Where a ring is crowded, nodes shrink to fit their arc and show their name on hover.
    built.elements.forEach(function (el) {
      var arc = layout.room[el.data.id];
      if (el.data.source || arc === undefined || el.data.kind === "account") { return; }
      if (el.data.size) { el.data.size = Math.max(8, Math.min(el.data.size, arc * 0.85)); }
      if (arc < 70) { el.data.crowded = 1; }
    });
    var cy = window.cytoscape({
      container: container,
      elements: built.elements,
      style: NETWORK_STYLE,
      layout: {
        name: "preset", padding: 16, fit: true,
        positions: function (node) { return positions[node.id()] || { x: 0, y: 0 }; }
      },
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true
    });
    var tooltip = document.getElementById("map-tooltip");
    cy.on("mouseover", "node", function (evt) {
      var node = evt.target;
      node.addClass("hover");
      tooltip.innerHTML = tooltipHtml(data, node);
      var pos = node.renderedPosition();
      tooltip.style.left = Math.min(pos.x + 14, container.clientWidth - 260) + "px";
      tooltip.style.top = (pos.y + 14) + "px";
      tooltip.hidden = false;
      container.style.cursor = node.data("kind") === "department" ? "pointer" : "default";
    });
    cy.on("mouseout", "node", function (evt) {
      evt.target.removeClass("hover");
      tooltip.hidden = true;
      container.style.cursor = "default";
    });
    cy.on("tap", "node", function (evt) {
      var key = evt.target.data("key") || evt.target.data("owner");
      if (key) { window.location.href = departmentUrl(data, key); }
    });
    cy.on("viewport", function () { tooltip.hidden = true; });
    return { cy: cy, accountsShown: built.accountsShown };
  }

  /* --------------------------------------------------------------------- grid */

  var quadrantPlugin = {
    id: "mendelowQuadrants",
    beforeDatasetsDraw: function (chart) {
      var x = chart.scales.x;
      var y = chart.scales.y;
      var ctx = chart.ctx;
      ctx.save();
      QUADRANTS.forEach(function (q) {
        var left = x.getPixelForValue(q.x[0]);
        var right = x.getPixelForValue(q.x[1]);
        var top = y.getPixelForValue(q.y[1]);
        var bottom = y.getPixelForValue(q.y[0]);
        ctx.fillStyle = q.colour;
        ctx.fillRect(left, top, right - left, bottom - top);
        ctx.fillStyle = "rgba(33, 37, 41, 0.55)";
        ctx.font = "600 12px system-ui, -apple-system, 'Segoe UI', sans-serif";
        ctx.textAlign = "center";
        ctx.fillText(q.label, (left + right) / 2, top + 16);
      });
      ctx.strokeStyle = "rgba(33, 37, 41, 0.35)";
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(x.getPixelForValue(3.5), y.getPixelForValue(0.5));
      ctx.lineTo(x.getPixelForValue(3.5), y.getPixelForValue(5.5));
      ctx.moveTo(x.getPixelForValue(0.5), y.getPixelForValue(3.5));
      ctx.lineTo(x.getPixelForValue(5.5), y.getPixelForValue(3.5));
      ctx.stroke();
      ctx.restore();
    }
  };

  function drawGrid(canvas, data) {
    var maxHeadcount = data.departments.reduce(function (m, d) { return Math.max(m, d.headcount); }, 0) || 1;
    var many = data.departments.length > 400;
    var datasets = ["direct", "proxy", "none", "unknown"].map(function (rep) {
      return {
        label: LABELS[rep],
        backgroundColor: COLOURS[rep] + (many ? "99" : "cc"),
        borderColor: "#fff",
        borderWidth: many ? 0 : 1,
        data: data.departments.filter(function (d) { return d.representation === rep; }).map(function (d) {
          return {
            x: d.interest + jitter(d.key, "interest"), y: d.influence + jitter(d.key, "influence"), key: d.key,
            r: many ? 3 : 4 + 8 * Math.sqrt(d.headcount / maxHeadcount)
          };
        })
      };
    }).filter(function (ds) { return ds.data.length > 0; });
    var chart = new window.Chart(canvas, {
      type: "bubble",
      data: { datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { min: 0.5, max: 5.5, afterBuildTicks: integerTicks, grid: { display: false },
               title: { display: true, text: "Interest in social media →" } },
          y: { min: 0.5, max: 5.5, afterBuildTicks: integerTicks, grid: { display: false },
               title: { display: true, text: "Influence (power) →" } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (item) {
            var d = state.byKey[item.raw.key];
            return d.name + " — " + LABELS[d.representation] + ", influence " + d.influence +
              ", interest " + d.interest + ", " + formatNumber(d.headcount) + " people";
          } } }
        },
        onClick: function (evt, elements) {
          if (!elements.length) { return; }
          var point = chart.data.datasets[elements[0].datasetIndex].data[elements[0].index];
          window.location.href = departmentUrl(data, point.key);
        },
        onHover: function (evt, elements) {
          evt.native.target.style.cursor = elements.length ? "pointer" : "default";
        }
      },
      plugins: [quadrantPlugin]
    });
    return chart;
  }

  function integerTicks(axis) {
    axis.ticks = [1, 2, 3, 4, 5].map(function (value) { return { value: value }; });
  }

  /* -------------------------------------------------------------------- table */

  function fillTable(data) {
    var body = document.getElementById("map-table");
    if (!body) { return; }
    var names = {};
    data.departments.forEach(function (d) { names[d.key] = d.name; });
    var fragment = document.createDocumentFragment();
    data.departments.forEach(function (d) {
      var row = document.createElement("tr");
      var cell = document.createElement("td");
      var link = document.createElement("a");
      link.href = departmentUrl(data, d.key);
      link.textContent = d.name;
      cell.appendChild(link);
      row.appendChild(cell);
      [
        d.parent ? names[d.parent] || d.parent : "—",
        formatNumber(d.headcount),
        LABELS[d.representation],
        quadrant(d.influence, d.interest),
        String(accountTotal(d.accounts))
      ].forEach(function (text, index) {
        var td = document.createElement("td");
        td.textContent = text;
        if (index === 1 || index === 4) { td.className = "text-end"; }
        if (index === 2) { td.className = "rep-text rep-" + d.representation; }
        row.appendChild(td);
      });
      fragment.appendChild(row);
    });
    body.replaceChildren(fragment);
  }

  function statusText(data, accountsShown) {
    var s = data.scope;
    var accounts = data.departments.reduce(function (sum, d) { return sum + accountTotal(d.accounts); }, 0) +
      accountTotal(data.unowned_accounts);
    var text = s.name + ": " + formatNumber(s.departments) + " department" + (s.departments === 1 ? "" : "s") +
      ", " + formatNumber(accounts) + " social account" + (accounts === 1 ? "" : "s") + ".";
    if (s.collapsed) {
      text += " The network shows " + formatNumber(s.in_graph) + " of them: deeper levels are folded into" +
        " their parents (ringed nodes, with the count in brackets). Choose a business unit to see more.";
    }
    if (!accountsShown) { text += " Accounts are counted in the tooltips."; }
    if (!data.assessed_at) {
      text += " Not assessed yet: representation is computed live.";
    }
    return text;
  }

  /* --------------------------------------------------------------------- init */

  function init() {
    var container = document.getElementById("map-network");
    var status = document.getElementById("map-status");
    if (!container) { return; }
    document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    var select = document.querySelector("[data-autosubmit]");
    if (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    }
    var url = container.dataset.url;
    if (container.dataset.unit) { url += "?unit=" + encodeURIComponent(container.dataset.unit); }
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("The map data could not be loaded (" + response.status + ")."); }
        return response.json();
      })
      .then(function (data) {
        state.data = data;
        state.byKey = {};
        data.departments.forEach(function (d) { state.byKey[d.key] = d; });
        if (!data.departments.length) {
          status.textContent = "No active department yet: add departments in the admin or import a spreadsheet.";
          container.dataset.ready = "1";
          return;
        }
        var network = drawNetwork(container, data);
        state.cy = network.cy;
        state.grid = drawGrid(document.getElementById("map-grid"), data);
        fillTable(data);
        status.textContent = statusText(data, network.accountsShown);
        container.dataset.ready = "1";
      })
      .catch(function (error) {
        state.error = error;
        status.textContent = error.message;
        status.classList.add("text-danger");
        container.dataset.ready = "error";
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
