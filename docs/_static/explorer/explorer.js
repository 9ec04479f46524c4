// The static latent explorer (docs/explorer.md): two sliders pick z = (z[0], z[1]); the left
// canvas shows the test digits' codes with a star at z, the right one the digit decoded at the
// nearest point of a precomputed grid (decoded.png, explorer_data.js: lesson 3 saves the grid
// with its outputs; scripts/site_explorer.py writes these files when the site is built).
(function () {
  "use strict";
  const data = window.VAEKIT_EXPLORER;
  const root = document.getElementById("latent-explorer");
  if (!data || !root) return;
  const codesCanvas = document.getElementById("explorer-codes");
  const digitCanvas = document.getElementById("explorer-digit");
  const sliders = [document.getElementById("explorer-z0"), document.getElementById("explorer-z1")];
  const readout = document.getElementById("explorer-z");
  const sprite = new Image();
  const view = data.limit * 1.1;

  function toCanvas(z0, z1) {
    const w = codesCanvas.width, h = codesCanvas.height;
    return [(z0 + view) / (2 * view) * w, (view - z1) / (2 * view) * h];
  }

  function star(ctx, x, y, r) {
    ctx.beginPath();
    for (let i = 0; i < 10; i++) {
      const radius = i % 2 ? r * 0.45 : r;
      const angle = Math.PI / 2 + i * Math.PI / 5;
      ctx.lineTo(x + radius * Math.cos(angle), y - radius * Math.sin(angle));
    }
    ctx.closePath();
    ctx.fillStyle = "#EE6677";
    ctx.fill();
    ctx.strokeStyle = "black";
    ctx.stroke();
  }

  function draw() {
    const z = sliders.map((s) => Number(s.value));
    const ctx = codesCanvas.getContext("2d");
    ctx.clearRect(0, 0, codesCanvas.width, codesCanvas.height);
    ctx.strokeStyle = "#999";
    ctx.beginPath();
    ctx.moveTo(...toCanvas(-view, 0)); ctx.lineTo(...toCanvas(view, 0));
    ctx.moveTo(...toCanvas(0, -view)); ctx.lineTo(...toCanvas(0, view));
    ctx.stroke();
    ctx.globalAlpha = 0.6;
    data.codes_in_hundredths.forEach((hundredths, i) => {
      const code = [hundredths[0] / 100, hundredths[1] / 100];
      const [x, y] = toCanvas(code[0], code[1]);
      ctx.fillStyle = data.colours[data.labels[i]];
      ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
    });
    ctx.globalAlpha = 1;
    star(ctx, ...toCanvas(z[0], z[1]), 10);

    // The nearest grid point: column from z[0], row from z[1] (row 0 is the largest z[1]).
    const column = Math.round((z[0] + data.limit) / data.step);
    const row = Math.round((data.limit - z[1]) / data.step);
    const d = digitCanvas.getContext("2d");
    d.imageSmoothingEnabled = false;
    d.clearRect(0, 0, digitCanvas.width, digitCanvas.height);
    if (sprite.complete && sprite.naturalWidth > 0) {
      d.drawImage(sprite, column * data.tile, row * data.tile, data.tile, data.tile,
                  0, 0, digitCanvas.width, digitCanvas.height);
    }
    readout.textContent = `z = (${z[0].toFixed(2)}, ${z[1].toFixed(2)})`;
    root.dataset.drawn = `${column},${row}`;
  }

  sliders.forEach((s) => {
    s.min = -data.limit; s.max = data.limit; s.step = data.step;
    s.addEventListener("input", draw);
  });
  sprite.addEventListener("load", draw);
  sprite.src = root.dataset.grid;
  const legend = document.getElementById("explorer-legend");
  if (legend) {
    legend.innerHTML = data.colours.map((c, digit) =>
      `<span style="color:${c}">&#9632;</span>&nbsp;${digit}`).join(" &nbsp;");
  }
  draw();
})();
