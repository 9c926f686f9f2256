// A widget of "The Math Behind Neural Networks" that moves with no kernel (written by nnmath.widgets.static).
// The page holds, as JSON, every state of the widget on a grid of its controls, computed by nnmath: a
// background picture per state group, and the moving parts as drawing commands in pixel coordinates.
// This script paints the state the controls point at. No dependency, no network.
(function () {
  "use strict";

  // The controls' positions -> the state's index (the first control varies slowest).
  function stateIndex(data, positions) {
    return positions.reduce((index, position, i) => index * data.controls[i].labels.length + position, 0);
  }

  function applyStyle(ctx, style) {
    if (style.clip) {
      ctx.beginPath();
      ctx.rect(style.clip[0], style.clip[1], style.clip[2], style.clip[3]);
      ctx.clip();
    }
  }

  function tracePolylines(ctx, polylines, dx, dy) {
    ctx.beginPath();
    for (const xy of polylines) {
      ctx.moveTo(xy[0] + dx, xy[1] + dy);
      for (let k = 2; k < xy.length; k += 2) ctx.lineTo(xy[k] + dx, xy[k + 1] + dy);
    }
  }

  function fillAndStroke(ctx, style) {
    if (style.fill) { ctx.fillStyle = style.fill; ctx.fill(); }
    if (style.stroke) {
      ctx.strokeStyle = style.stroke;
      ctx.lineWidth = style.width;
      ctx.lineCap = style.cap;
      ctx.lineJoin = style.join;
      ctx.setLineDash(style.dash || []);
      ctx.stroke();
    }
  }

  function drawCommand(ctx, data, command) {
    const style = data.styles[command[1]];
    ctx.save();
    applyStyle(ctx, style);
    if (command[0] === "p") {          // ["p", style, polylines]
      tracePolylines(ctx, command[2], 0, 0);
      fillAndStroke(ctx, style);
    } else if (command[0] === "m") {   // ["m", style, marker, points]
      const marker = data.markers[command[2]], points = command[3];
      for (let k = 0; k < points.length; k += 2) {
        tracePolylines(ctx, marker, points[k], points[k + 1]);
        fillAndStroke(ctx, style);
      }
    } else if (command[0] === "t") {   // ["t", style, x, y, angle, width, text]
      const [, , x, y, angle, width, text] = command;
      ctx.translate(x, y);
      ctx.rotate(-angle * Math.PI / 180);
      ctx.font = style.font;
      ctx.fillStyle = style.color;
      ctx.textAlign = "center";        // centred on the text's width in the figure's own font
      ctx.textBaseline = "alphabetic";
      ctx.fillText(text, width / 2, 0);
    }
    ctx.restore();
  }

  // The data is JSON, gzipped and base64-encoded in the page; the browser's own DecompressionStream unpacks it.
  async function unpack(text) {
    const bytes = Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }

  async function mount(root) {
    root.dataset.mounted = "loading";
    const data = await unpack(root.querySelector("script.nnmath-static-data").textContent);
    const canvas = root.querySelector("canvas");
    const ctx = canvas.getContext("2d");
    const fields = Array.from(root.querySelectorAll("input[data-control], select[data-control]"));
    const outputs = new Map(Array.from(root.querySelectorAll("output[data-control]"),
                                       (output) => [Number(output.dataset.control), output]));
    const backgrounds = data.backgrounds.map((src) => { const img = new Image(); img.src = src; return img; });

    function positions() {
      return fields.map((field) => (field.type === "checkbox" ? Number(field.checked) : Number(field.value)));
    }

    function redraw() {
      const chosen = positions();
      const state = data.states[stateIndex(data, chosen)];
      const background = backgrounds[state[0]];
      if (!background.complete) { background.onload = redraw; return; }
      ctx.drawImage(background, 0, 0);
      for (const command of state[1]) drawCommand(ctx, data, command);
      // the figure's moving texts, for screen readers (and tests)
      canvas.setAttribute("aria-label", state[1].filter((c) => c[0] === "t").map((c) => c[6]).join("; "));
      outputs.forEach((output, i) => {  // a label of the state itself if it has one, else the value's
        output.textContent = state[2] && state[2][i] != null ? state[2][i] : data.controls[i].labels[chosen[i]];
      });
      root.dataset.state = String(stateIndex(data, chosen));  // for tests: which state is shown
    }

    fields.forEach((field) => field.addEventListener("input", redraw));
    fields.forEach((field) => field.addEventListener("change", redraw));
    redraw();
    root.dataset.mounted = "true";
  }

  document.querySelectorAll(".nnmath-static:not([data-mounted])").forEach(mount);
})();
