// Draws every <div class="chart" data-chart='{"labels":[…],"x":[…],"ys":[[…]…]}'> with uPlot, on load
// and after htmx swaps a part of the page. No other behaviour: the pages work as plain HTML forms.
(function () {
  var colours = ["#2563eb", "#dc2626", "#059669", "#d97706"];
  function draw(el) {
    if (el.dataset.drawn) { return; }
    var d = JSON.parse(el.dataset.chart);
    var series = [{}].concat(d.labels.map(function (l, i) {
      return { label: l, stroke: colours[i % colours.length], width: 2, points: { show: d.x.length < 60 } };
    }));
    var width = Math.max(280, Math.min(el.clientWidth || 800, 1000));
    var x = { time: true };
    if (d.x.length < 2) {
      // One sample (or none): show the minute around it rather than uPlot's default years.
      var at = d.x.length ? d.x[0] : Date.now() / 1000;
      x.range = function () { return [at - 60, at + 60]; };
    }
    new uPlot({ width: width, height: 220, series: series, scales: { x: x } }, [d.x].concat(d.ys), el);
    el.dataset.drawn = "1";
  }
  function drawAll(root) {
    (root || document).querySelectorAll(".chart[data-chart]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target); });
})();
