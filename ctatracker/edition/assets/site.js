/* Clean Transport Asia Tracker, public edition: draws each chart from its figure (JSON in the page) with the local
   plotly.js, in place of its poster (the same chart as an image). plotly.js is fetched from the start but run only
   once the page and its first poster are on the screen (running it takes the browser a few seconds on a phone);
   then the first chart is drawn at once and the others as they come into view. Opens every folded section before
   printing. Once a chart is drawn, buttons under it save it as PNG or SVG. */
(function () {
  "use strict";
  var configNode = document.getElementById("plotly-config");
  var config = configNode ? JSON.parse(configNode.textContent) : {};
  var plots = Array.prototype.slice.call(document.querySelectorAll(".plot[data-figure]"));

  function draw(el) {
    if (el.getAttribute("data-drawn") || typeof window.Plotly === "undefined") { return; }
    el.setAttribute("data-drawn", "drawing");
    var fig = JSON.parse(document.getElementById(el.getAttribute("data-figure")).textContent);
    mapReady(fig).then(function () {
      var poster = el.querySelector("img.poster");
      if (poster) { el.removeChild(poster); }
      return window.Plotly.newPlot(el, fig.data, fig.layout, config);
    }).then(function () {
      el.setAttribute("data-drawn", "yes");
      el.setAttribute("role", "group");  /* an image until drawn; then it holds controls (the toolbar, hover) */
      el.style.height = "";
      var figure = el.closest("figure");
      Array.prototype.forEach.call(figure ? figure.querySelectorAll("button.chart-save") : [], function (b) {
        b.hidden = false;
      });
    });
  }

  /* Save a drawn chart as PNG or SVG with its title, notes and the credit line of its sources in the image, named
     after what it shows and the date of its data. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.chart-save") : null;
    var figure = button ? button.closest("figure") : null;
    var el = figure ? figure.querySelector(".plot[data-figure]") : null;
    if (!el || !el.data || typeof window.Plotly === "undefined") { return; }
    var extra = JSON.parse(el.getAttribute("data-save") || "{}");
    var layout = Object.assign({}, el.layout, extra);
    window.Plotly.downloadImage({data: el.data, layout: layout}, {
      format: button.getAttribute("data-format"), filename: el.getAttribute("data-file"),
      width: Math.max(el.clientWidth, 360), height: extra.height || el.clientHeight, scale: 2});
  });

  /* A map's topology, fetched by the page's head while plotly.js loads, handed to plotly.js (which would otherwise
     fetch it only once it has loaded); on any failure plotly.js fetches it itself from the same local folder. */
  function mapReady(fig) {
    if (!fig.layout || !fig.layout.geo || !window.ctaTopojson) { return Promise.resolve(); }
    return window.ctaTopojson.then(function (t) {
      window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
      window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
      window.PlotlyGeoAssets.topojson[t.name] = t.data;
    }).catch(function () { return null; });
  }

  function begin() {
    if (plots.length) { draw(plots[0]); }
    if ("IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) { seen.unobserve(e.target); draw(e.target); }
        });
      }, {rootMargin: "300px 0px"});
      plots.forEach(function (el) { seen.observe(el); });
    } else {
      plots.forEach(draw);
    }
  }

  function loadPlotly() {
    requestAnimationFrame(function () {  /* after the next paint: the posters are on the screen */
      setTimeout(function () {
        var script = document.createElement("script");
        script.src = configNode.getAttribute("data-plotly");
        script.onload = begin;
        document.head.appendChild(script);
      }, 0);
    });
  }

  if (plots.length && configNode) {
    if (document.readyState === "complete") { loadPlotly(); } else { window.addEventListener("load", loadPlotly); }
  }

  window.addEventListener("beforeprint", function () {
    plots.forEach(draw);
    Array.prototype.forEach.call(document.querySelectorAll("details:not(.embed)"), function (d) { d.open = true; });
  });
})();
