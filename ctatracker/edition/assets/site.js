/* Clean Transport Asia Tracker, public edition: draws each chart from its figure (JSON in the page) with the local
   plotly.js (the first at once, the others as they come into view), in place of its poster (the same chart as an
   image, shown until then), and opens every folded section before printing. */
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
      el.style.height = "";
    });
  }

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

  if (plots.length) { draw(plots[0]); }  /* the first chart at once; the others as they come into view */
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

  window.addEventListener("beforeprint", function () {
    plots.forEach(draw);
    Array.prototype.forEach.call(document.querySelectorAll("details:not(.embed)"), function (d) { d.open = true; });
  });
})();
