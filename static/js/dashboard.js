/* Dashboard: the score trend (Chart.js). Data comes from the #trend-data JSON script. */
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // The bands' bounds come from the vocabulary (#vocabulary); only their shades are here.
  var GRADE_SHADES = {
    clubhouse: "rgba(220, 53, 69, 0.07)",
    narrow: "rgba(253, 126, 20, 0.07)",
    broad: "rgba(32, 201, 151, 0.08)",
    open_table: "rgba(25, 135, 84, 0.09)"
  };

  function gradeBands() {
    var bands = (readJSON("vocabulary") || { grade_bands: [] }).grade_bands;
    // Highest band first: each runs from its bound up to the bound of the band above.
    return bands.map(function (band, index) {
      return { from: band.from, to: index ? bands[index - 1].from : 100, colour: GRADE_SHADES[band.grade] };
    });
  }

  // Shades the grade bands behind the lines, so the chart reads like the grade scale.
  var GRADE_BANDS = gradeBands();

  var gradeBandsPlugin = {
    id: "gradeBands",
    beforeDraw: function (chart) {
      var area = chart.chartArea;
      var y = chart.scales.y;
      if (!area || !y) { return; }
      var ctx = chart.ctx;
      ctx.save();
      GRADE_BANDS.forEach(function (band) {
        var top = y.getPixelForValue(band.to);
        var bottom = y.getPixelForValue(band.from);
        ctx.fillStyle = band.colour;
        ctx.fillRect(area.left, top, area.right - area.left, bottom - top);
      });
      ctx.restore();
    }
  };

  var DAY_MS = 86400000;

  // A real time axis without a date adapter: x is the day number since 1970, so the
  // gap between two points is the number of days between them.
  function dayNumber(isoDay) {
    var parts = isoDay.split("-");
    return Date.UTC(+parts[0], +parts[1] - 1, +parts[2]) / DAY_MS;
  }

  function dayLabel(number) {
    return new Date(number * DAY_MS).toLocaleDateString(undefined, {
      day: "numeric", month: "short", year: "2-digit", timeZone: "UTC"
    });
  }

  function drawTrend() {
    var canvas = document.getElementById("trend-chart");
    var points = readJSON("trend-data");
    if (!canvas || !points || typeof window.Chart === "undefined") { return; }
    var days = points.map(function (p) { return dayNumber(p.day); });
    var first = days.length ? days[0] : 0;
    var last = days.length ? days[days.length - 1] : 0;
    var chart = new window.Chart(canvas, {
      type: "line",
      data: {
        datasets: [
          {
            label: "Score",
            data: points.map(function (p, i) { return { x: days[i], y: p.score }; }),
            borderColor: "#0d6efd",
            backgroundColor: "#0d6efd",
            tension: 0.25,
            pointRadius: points.length > 40 ? 0 : 3
          },
          {
            label: "Projected with pending nominations",
            data: points.map(function (p, i) { return { x: days[i], y: p.projected }; }),
            borderColor: "#6c757d",
            backgroundColor: "#6c757d",
            borderDash: [6, 4],
            tension: 0.25,
            pointRadius: 0
          }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { min: 0, max: 100, ticks: { stepSize: 20 }, title: { display: true, text: "Score" } },
          x: {
            type: "linear",
            min: first === last ? first - 1 : first,
            max: first === last ? last + 1 : last,
            ticks: {
              maxTicksLimit: 8,
              precision: 0,
              callback: function (value) { return dayLabel(value); }
            }
          }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? dayLabel(items[0].parsed.x) : ""; }
            }
          }
        }
      },
      plugins: [gradeBandsPlugin]
    });
    window.roundtableTrend = chart;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawTrend);
  } else {
    drawTrend();
  }
})();
