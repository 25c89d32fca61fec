/* Stakeholder map: the hub-and-spoke network (Cytoscape) and the power/interest grid
   (Chart.js), both drawn from one JSON endpoint that serves a branch of the company,
   its top levels first. Labels, the quadrant rule and the platform names come from
   the page's #vocabulary JSON (stakeholders/vocabulary.py). Exposes window.roundtableMap. */
(function () {
  "use strict";

  var COLOURS = { direct: "#198754", proxy: "#e0a800", none: "#dc3545", unknown: "#adb5bd" };
  var REPRESENTATIONS = ["direct", "proxy", "none", "unknown"];
  // Labels are hidden below this rendered size; they appear as the user zooms in.
  var MIN_LABEL_PX = 11;
  // Labels drawn at the default zoom are at most this big.
  var MAX_LABEL_PX = 15;

  var vocabulary = readJSON("vocabulary") || {
    platforms: {}, representation: {}, high_from: 4, quadrants: {}, grade_bands: []
  };
  var state = { cy: null, grid: null, data: null, error: null, byKey: {}, gridCountLabels: [] };
  window.roundtableMap = state;

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function repLabel(rep) { return vocabulary.representation[rep] || rep; }
  function platformLabel(p) { return vocabulary.platforms[p] || p; }

  function quadrant(influence, interest) {
    var power = influence >= vocabulary.high_from ? "high" : "low";
    var keen = interest >= vocabulary.high_from ? "high" : "low";
    return vocabulary.quadrants[power + "_" + keen];
  }

  function accountTotal(accounts) {
    return Object.keys(accounts || {}).reduce(function (sum, p) { return sum + accounts[p]; }, 0);
  }

  function accountText(accounts) {
    var parts = Object.keys(accounts || {}).map(function (p) {
      return platformLabel(p) + " ×" + accounts[p];
    });
    return parts.length ? parts.join(", ") : "none";
  }

  function departmentUrl(key) {
    return state.data.url_template.replace("__key__", encodeURIComponent(key));
  }

  function branchUrl(key) {
    return state.page + "?root=" + encodeURIComponent(key);
  }

  function formatNumber(n) { return Number(n).toLocaleString(); }

  function plural(n, word) { return formatNumber(n) + " " + word + (n === 1 ? "" : "s"); }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* ----------------------------------------------------------------- details */

  function departmentLines(dept) {
    var lines = [
      '<span class="rep-text rep-' + dept.representation + '">' + escapeHtml(repLabel(dept.representation)) + "</span>",
      formatNumber(dept.headcount) + " people · " + plural(dept.seats, "approved seat"),
      "Accounts: " + escapeHtml(accountText(dept.accounts)),
      "Influence " + dept.influence + ", interest " + dept.interest + " · " + escapeHtml(quadrant(dept.influence, dept.interest))
    ];
    if (dept.hidden) {
      var h = dept.hidden;
      lines.push("<em>+" + plural(h.count, "sub-department") + " not drawn (" + formatNumber(h.headcount) +
        " people): " + h.direct + " direct, " + h.proxy + " by proxy, " + h.none + " without a seat</em>");
    }
    return lines;
  }

  function nodeSummary(node) {
    var d = node.data();
    var data = state.data;
    if (d.kind === "coe") {
      return { title: "Social Media COE", lines: [plural(data.scope.departments, "department") + " in " + escapeHtml(data.scope.name)] };
    }
    if (d.kind === "account") {
      return { title: d.label, lines: [plural(d.count, "account") + (d.owner ? "" : " without an owner")] };
    }
    if (d.kind === "others") {
      var o = data.others;
      return { title: plural(o.count, "department") + " in smaller units", lines: [
        formatNumber(o.headcount) + " people · " + o.direct + " direct, " + o.proxy + " by proxy, " + o.none + " without a seat"
      ] };
    }
    if (d.kind === "unowned") {
      return { title: "Accounts without an owner", lines: [escapeHtml(accountText(data.unowned_accounts))] };
    }
    var dept = state.byKey[d.key];
    return { title: dept.name, lines: departmentLines(dept), dept: dept };
  }

  function showDetails(title, html) {
    var panel = document.getElementById("map-details");
    if (!panel) { return; }
    document.getElementById("map-details-title").textContent = title;
    document.getElementById("map-details-body").innerHTML = html;
    panel.hidden = false;
    var box = panel.getBoundingClientRect();
    if (box.bottom > window.innerHeight || box.top < 0) {
      panel.scrollIntoView({ block: "nearest" });
    }
  }

  function actionLinks(dept) {
    var links = ['<a class="btn btn-sm btn-primary" href="' + departmentUrl(dept.key) + '">Open ' + escapeHtml(dept.name) + "</a>"];
    if (dept.children && state.data.scope.root !== dept.key) {
      links.push('<a class="btn btn-sm btn-outline-primary" href="' + branchUrl(dept.key) + '">Show its ' +
        plural(dept.hidden ? dept.hidden.count : dept.children, "sub-department") + "</a>");
    }
    return '<p class="d-flex flex-wrap gap-2 mt-2 mb-0">' + links.join("") + "</p>";
  }

  function showNodeDetails(node) {
    var summary = nodeSummary(node);
    var html = summary.lines.join("<br>");
    if (summary.dept) { html += actionLinks(summary.dept); }
    showDetails(summary.title, html);
  }

  function showClusterDetails(point) {
    var depts = point.keys.map(function (key) { return state.byKey[key]; });
    var shown = depts.slice(0, 30);
    var html = "<p class=\"mb-1\">Influence " + point.influence + ", interest " + point.interest + " · " +
      escapeHtml(quadrant(point.influence, point.interest)) + " · " + escapeHtml(repLabel(point.rep)) + "</p><ul class=\"mb-0\">" +
      shown.map(function (d) {
        return '<li><a href="' + departmentUrl(d.key) + '">' + escapeHtml(d.name) + "</a> (" + formatNumber(d.headcount) + " people)</li>";
      }).join("") + "</ul>";
    if (depts.length > shown.length) {
      html += "<p class=\"mb-0 mt-1\">and " + formatNumber(depts.length - shown.length) + " more in the list below the map.</p>";
    }
    showDetails(plural(depts.length, "department"), html);
  }

  /* ------------------------------------------------------------------ network */

  function nodeSize(headcount, maxHeadcount) {
    if (!maxHeadcount) { return 26; }
    return 22 + 56 * Math.sqrt(headcount / maxHeadcount);
  }

  function totalHeadcount(d) { return d.headcount + (d.hidden ? d.hidden.headcount : 0); }

  function networkElements(data) {
    var listed = {};
    var maxHeadcount = 0;
    data.departments.forEach(function (d) {
      listed[d.key] = true;
      maxHeadcount = Math.max(maxHeadcount, totalHeadcount(d));
    });
    var nodes = [{ data: { id: "coe", label: "COE", kind: "coe", size: 90 } }];
    var edges = [];
    data.departments.forEach(function (d) {
      nodes.push({ data: {
        id: "d:" + d.key, key: d.key, kind: "department", name: d.name,
        label: d.hidden ? d.name + " (+" + formatNumber(d.hidden.count) + ")" : d.name,
        rep: d.representation, depth: d.depth,
        colour: COLOURS[d.representation] || COLOURS.unknown,
        size: nodeSize(totalHeadcount(d), maxHeadcount),
        collapsed: d.hidden ? 1 : 0
      } });
      var parent = d.parent && listed[d.parent] ? "d:" + d.parent : "coe";
      edges.push({ data: { id: "e:" + d.key, source: parent, target: "d:" + d.key } });
    });
    if (data.others) {
      nodes.push({ data: {
        id: "others", kind: "others", label: formatNumber(data.others.count) + " in smaller units",
        colour: COLOURS.unknown, size: 40, collapsed: 1
      } });
      edges.push({ data: { id: "e:others", source: "coe", target: "others" } });
    }
    // Social accounts, one node per department and platform, while the graph stays small.
    var accountNodes = [];
    var accountEdges = [];
    function addAccounts(ownerId, ownerKey, accounts) {
      Object.keys(accounts || {}).forEach(function (platform) {
        var id = "a:" + (ownerKey || "unowned") + ":" + platform;
        accountNodes.push({ data: {
          id: id, kind: "account", owner: ownerKey, platform: platform,
          label: platformLabel(platform) + (accounts[platform] > 1 ? " ×" + accounts[platform] : ""),
          count: accounts[platform]
        } });
        accountEdges.push({ data: { id: "ae:" + id, source: ownerId, target: id, kind: "account" } });
      });
    }
    data.departments.forEach(function (d) { addAccounts("d:" + d.key, d.key, d.accounts); });
    var unowned = data.unowned_accounts || {};
    if (Object.keys(unowned).length) {
      nodes.push({ data: { id: "unowned", kind: "unowned", label: "No owner", colour: COLOURS.none, size: 30 } });
      edges.push({ data: { id: "e:unowned", source: "coe", target: "unowned", kind: "orphan" } });
      addAccounts("unowned", null, unowned);
    }
    var showAccounts = nodes.length + accountNodes.length <= 150;
    if (showAccounts) {
      nodes = nodes.concat(accountNodes);
      edges = edges.concat(accountEdges);
    }
    return { elements: nodes.concat(edges), accountsShown: showAccounts };
  }

  var NETWORK_STYLE = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": "data(fontSize)", "text-valign": "bottom", "text-margin-y": 3,
      "color": "#212529", "text-outline-color": "#fff", "text-outline-width": 2,
      "min-zoomed-font-size": MIN_LABEL_PX
    } },
    { selector: "node[kind = 'coe']", style: {
      "width": "data(size)", "height": "data(size)", "background-color": "#0d6efd",
      "text-valign": "center", "color": "#fff", "text-outline-width": 0,
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
    { selector: "edge", style: { "width": 1.5, "line-color": "#ced4da", "curve-style": "straight" } },
    { selector: "edge[kind = 'account']", style: { "width": 1, "line-style": "dotted", "line-color": "#b9a6e0" } },
    { selector: "edge[kind = 'orphan']", style: { "line-style": "dashed", "line-color": COLOURS.none } },
    { selector: "node:active, node.hover, node.selected", style: { "overlay-opacity": 0.15, "overlay-color": "#0d6efd" } }
  ];

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
      var total = kind[id] === "account" ? 0.6 : 1.2;
      (children[id] || []).forEach(function (kid) { total += countLeaves(kid); });
      leaves[id] = total;
      return total;
    }
    countLeaves("coe");
    // The first ring is wide, so the business units have room around the COE.
    function ringRadius(depth) { return depth === 0 ? 0 : 270 + (depth - 1) * 160; }
    var positions = { coe: { x: 0, y: 0 } };
    var room = { coe: 200 };
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
        room[kid] = Math.min(span * radius, 400);  // the arc this node may use on its ring
        if (kind[kid] !== "account") { place(kid, depth + 1, start, start + span); }
        start += span;
      });
    }
    place("coe", 0, -Math.PI / 2, 1.5 * Math.PI);
    return { positions: positions, room: room };
  }

  // A label's font size in model units: as large as its arc allows without running
  // into its neighbours, and no larger than MAX_LABEL_PX at the default zoom. Below
  // MIN_LABEL_PX on screen, Cytoscape hides it until the user zooms in far enough.
  function labelFontSize(label, arc, zoom) {
    var fits = arc / (0.55 * Math.max(4, label.length));
    return Math.max(1, Math.min(fits, MAX_LABEL_PX / zoom));
  }

  function drawNetwork(container, data) {
    var built = networkElements(data);
    var layout = radialPositions(built.elements);
    built.elements.forEach(function (el) {
      var arc = layout.room[el.data.id];
      if (el.data.source || el.data.kind === "account" || arc === undefined) { return; }
      // Where a ring is crowded, nodes shrink to fit their arc.
      if (el.data.size) { el.data.size = Math.max(8, Math.min(el.data.size, arc * 0.85)); }
    });
    var cy = window.cytoscape({
      container: container,
      elements: built.elements,
      style: NETWORK_STYLE,
      layout: {
        name: "preset", padding: 16, fit: true,
        positions: function (node) { return layout.positions[node.id()] || { x: 0, y: 0 }; }
      },
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true
    });
    var zoom = cy.zoom();
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        if (node.id() === "coe") {
          // The hub keeps a readable name however far the map is zoomed out to fit.
          var hub = Math.max(90, 36 / zoom);
          node.data({ size: hub, fontSize: hub * 0.38 });
          return;
        }
        node.data("fontSize", labelFontSize(node.data("label") || "", layout.room[node.id()] || 0, zoom));
      });
    });
    var tooltip = document.getElementById("map-tooltip");
    cy.on("mouseover", "node", function (evt) {
      var node = evt.target;
      node.addClass("hover");
      var summary = nodeSummary(node);
      tooltip.innerHTML = "<strong>" + escapeHtml(summary.title) + "</strong><br>" + summary.lines.join("<br>");
      var pos = node.renderedPosition();
      tooltip.style.left = Math.max(0, Math.min(pos.x + 14, container.clientWidth - 260)) + "px";
      tooltip.style.top = (pos.y + 14) + "px";
      tooltip.hidden = false;
      container.style.cursor = "pointer";
    });
    cy.on("mouseout", "node", function (evt) {
      evt.target.removeClass("hover");
      tooltip.hidden = true;
      container.style.cursor = "default";
    });
    // Tap (a click or a finger): the details, with links, below the map.
    cy.on("tap", "node", function (evt) {
      tooltip.hidden = true;
      cy.nodes(".selected").removeClass("selected");
      evt.target.addClass("selected");
      showNodeDetails(evt.target);
    });
    cy.on("viewport", function () { tooltip.hidden = true; });
    return { cy: cy, accountsShown: built.accountsShown };
  }

  // Every label Cytoscape draws at the current zoom, with its size on screen (for tests).
  state.visibleLabels = function () {
    var cy = state.cy;
    var zoom = cy.zoom();
    return cy.nodes().filter(function (node) {
      return node.visible() && node.style("label") && node.style("label") !== "";
    }).map(function (node) {
      return {
        id: node.id(), label: node.style("label"),
        px: parseFloat(node.style("font-size")) * zoom,
        minPx: parseFloat(node.style("min-zoomed-font-size"))
      };
    }).filter(function (label) { return label.px >= label.minPx; });
  };

  /* --------------------------------------------------------------------- grid */

  // Within its cell, each representation has its own corner, so bubbles never share a spot.
  var OFFSETS = {
    direct: [-0.2, 0.2], proxy: [0.2, 0.2], none: [-0.2, -0.2], unknown: [0.2, -0.2]
  };

  function unitPx(chart) {
    var x = chart.scales.x;
    var y = chart.scales.y;
    return Math.min(Math.abs(x.getPixelForValue(1) - x.getPixelForValue(0)),
      Math.abs(y.getPixelForValue(1) - y.getPixelForValue(0)));
  }

  // Bubbles grow with their count up to a fifth of a cell, so the four corners of a
  // cell never touch; a bubble with a count is big enough to hold it.
  function bubbleRadius(ctx) {
    if (!ctx.raw) { return 4; }
    var largest = Math.max(0.2 * unitPx(ctx.chart) - 1, 4);
    if (ctx.raw.count < 2) { return Math.min(5, largest); }
    var smallest = Math.min(8, largest);
    var share = state.gridMaxCount > 2 ? Math.sqrt((ctx.raw.count - 2) / (state.gridMaxCount - 2)) : 1;
    return smallest + (largest - smallest) * share;
  }

  function quadrantAreas() {
    var edge = vocabulary.high_from - 0.5;
    var q = vocabulary.quadrants;
    // x: interest, y: influence. Labels sit in strips above and below the points.
    return [
      { label: q.high_low, x: [0.5, edge], y: [edge, 5.5], labelY: 5.75, colour: "rgba(13, 110, 253, 0.05)" },
      { label: q.high_high, x: [edge, 5.5], y: [edge, 5.5], labelY: 5.75, colour: "rgba(220, 53, 69, 0.07)" },
      { label: q.low_low, x: [0.5, edge], y: [0.5, edge], labelY: 0.25, colour: "rgba(108, 117, 125, 0.05)" },
      { label: q.low_high, x: [edge, 5.5], y: [0.5, edge], labelY: 0.25, colour: "rgba(25, 135, 84, 0.06)" }
    ];
  }

  var quadrantPlugin = {
    id: "mendelowQuadrants",
    beforeDatasetsDraw: function (chart) {
      var x = chart.scales.x;
      var y = chart.scales.y;
      var ctx = chart.ctx;
      var edge = vocabulary.high_from - 0.5;
      ctx.save();
      quadrantAreas().forEach(function (q) {
        var left = x.getPixelForValue(q.x[0]);
        var right = x.getPixelForValue(q.x[1]);
        var top = y.getPixelForValue(q.y[1]);
        var bottom = y.getPixelForValue(q.y[0]);
        ctx.fillStyle = q.colour;
        ctx.fillRect(left, top, right - left, bottom - top);
        ctx.fillStyle = "#495057";
        ctx.font = "600 12px system-ui, -apple-system, 'Segoe UI', sans-serif";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(q.label, (left + right) / 2, y.getPixelForValue(q.labelY));
      });
      ctx.strokeStyle = "rgba(33, 37, 41, 0.35)";
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(x.getPixelForValue(edge), y.getPixelForValue(0.5));
      ctx.lineTo(x.getPixelForValue(edge), y.getPixelForValue(5.5));
      ctx.moveTo(x.getPixelForValue(0.5), y.getPixelForValue(edge));
      ctx.lineTo(x.getPixelForValue(5.5), y.getPixelForValue(edge));
      ctx.stroke();
      ctx.restore();
    }
  };

  // The number of departments on every bubble that stands for more than one.
  var countPlugin = {
    id: "clusterCounts",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var drawn = [];
      ctx.save();
      ctx.font = "700 11px system-ui, -apple-system, 'Segoe UI', sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#fff";
      ctx.fillStyle = "#212529";
      chart.data.datasets.forEach(function (dataset, index) {
        var meta = chart.getDatasetMeta(index);
        if (meta.hidden) { return; }
        meta.data.forEach(function (element, i) {
          var point = dataset.data[i];
          if (point.count < 2) { return; }
          var text = formatNumber(point.count);
          ctx.strokeText(text, element.x, element.y);
          ctx.fillText(text, element.x, element.y);
          drawn.push({ x: element.x, y: element.y, text: text });
        });
      });
      ctx.restore();
      state.gridCountLabels = drawn;
    }
  };

  function gridClusters(data) {
    var cells = {};
    data.departments.forEach(function (d) {
      var rep = COLOURS[d.representation] ? d.representation : "unknown";
      var id = d.influence + ":" + d.interest + ":" + rep;
      var cell = cells[id] || (cells[id] = { influence: d.influence, interest: d.interest, rep: rep, keys: [] });
      cell.keys.push(d.key);
    });
    return Object.keys(cells).map(function (id) { return cells[id]; });
  }

  function drawGrid(canvas, data) {
    var clusters = gridClusters(data);
    state.gridMaxCount = clusters.reduce(function (m, c) { return Math.max(m, c.keys.length); }, 1);
    var datasets = REPRESENTATIONS.map(function (rep) {
      return {
        label: repLabel(rep),
        backgroundColor: COLOURS[rep] + "cc",
        borderColor: "#fff",
        borderWidth: 1,
        // A scatter chart resolves the radius once the scales are laid out (a bubble
        // chart reads it while parsing, before it knows the size of a cell).
        pointRadius: bubbleRadius,
        pointHoverRadius: function (ctx) { return bubbleRadius(ctx) + 1; },
        data: clusters.filter(function (c) { return c.rep === rep; }).map(function (c) {
          return {
            x: c.interest + OFFSETS[rep][0], y: c.influence + OFFSETS[rep][1],
            count: c.keys.length, keys: c.keys, rep: rep, influence: c.influence, interest: c.interest
          };
        })
      };
    }).filter(function (ds) { return ds.data.length > 0; });
    var chart = new window.Chart(canvas, {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { min: 0.5, max: 5.5, afterBuildTicks: integerTicks, grid: { display: false },
               title: { display: true, text: "Interest in social media →" } },
          y: { min: 0, max: 6, afterBuildTicks: integerTicks, grid: { display: false },
               title: { display: true, text: "Influence (power) →" } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: {
            title: function (items) {
              var p = items[0].raw;
              return plural(p.count, "department") + " · " + repLabel(p.rep);
            },
            label: function (item) {
              var p = item.raw;
              var names = p.keys.slice(0, 6).map(function (key) { return state.byKey[key].name; });
              if (p.count > names.length) { names.push("and " + formatNumber(p.count - names.length) + " more"); }
              return ["Influence " + p.influence + ", interest " + p.interest + " · " + quadrant(p.influence, p.interest)].concat(names);
            }
          } }
        },
        onClick: function (evt, elements) {
          if (!elements.length) { return; }
          showClusterDetails(chart.data.datasets[elements[0].datasetIndex].data[elements[0].index]);
        },
        onHover: function (evt, elements) {
          evt.native.target.style.cursor = elements.length ? "pointer" : "default";
        }
      },
      plugins: [quadrantPlugin, countPlugin]
    });
    return chart;
  }

  function integerTicks(axis) {
    axis.ticks = [1, 2, 3, 4, 5].map(function (value) { return { value: value }; });
  }

  // Every bubble on screen: where, how big, how many departments (for tests).
  state.gridPoints = function () {
    var chart = state.grid;
    var points = [];
    chart.data.datasets.forEach(function (dataset, index) {
      chart.getDatasetMeta(index).data.forEach(function (element, i) {
        points.push({ x: element.x, y: element.y, r: element.options.radius, count: dataset.data[i].count });
      });
    });
    return points;
  };

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
      link.href = departmentUrl(d.key);
      link.textContent = d.name;
      cell.appendChild(link);
      row.appendChild(cell);
      [
        d.parent ? names[d.parent] || d.parent : "—",
        formatNumber(d.headcount),
        repLabel(d.representation),
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
    var text = s.name + ": " + plural(s.departments, "department") + ", " + plural(accounts, "social account") +
      (s.collapsed ? " on the levels shown" : "") + ".";
    if (s.collapsed) {
      text += " The map shows the top " + plural(s.levels, "level") + " (" + formatNumber(s.listed) +
        " departments); ringed nodes hold the rest: tap one to open its branch.";
    }
    if (!accountsShown) { text += " Accounts are counted in the details."; }
    if (!data.assessed_at) { text += " Not assessed yet: representation is computed live."; }
    return text;
  }

  /* --------------------------------------------------------------------- init */

  function init() {
    var container = document.getElementById("map-network");
    var status = document.getElementById("map-status");
    if (!container) { return; }
    state.page = container.dataset.page;
    document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    var select = document.querySelector("[data-autosubmit]");
    if (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    }
    var close = document.getElementById("map-details-close");
    if (close) {
      close.addEventListener("click", function () {
        document.getElementById("map-details").hidden = true;
        if (state.cy) { state.cy.nodes(".selected").removeClass("selected"); }
      });
    }
    var url = container.dataset.url;
    if (container.dataset.root) { url += "?root=" + encodeURIComponent(container.dataset.root); }
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("The map data could not be loaded (" + response.status + ")."); }
        return response.json();
      })
      .then(function (data) {
        state.data = data;
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
