// Draws every <canvas data-chart> with Chart.js from the figures the page already shows in its table.
(function () {
  if (typeof Chart === "undefined") return;
  const palette = ["#0b5cad", "#b3541e", "#2e7d32", "#7b1fa2", "#00838f", "#c2185b", "#5d4037", "#455a64"];
  const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const spec = JSON.parse(canvas.dataset.chart);
    const format = spec.unit === "usd" ? (v) => money.format(v) : spec.unit === "%" ? (v) => v + " %" : (v) => v;
    new Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          const color = palette[i % palette.length];
          return { label: s.name, data: s.values, borderColor: color, backgroundColor: color, spanGaps: true, tension: 0.2 };
        }),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + format(c.parsed.y) } } },
        scales: { y: { beginAtZero: true, ticks: { callback: format } } },
      },
    });
  });
})();
