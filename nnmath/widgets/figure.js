// The one page-side renderer of "The Math Behind Neural Networks" (nnmath.widgets): controls above a canvas that
// shows a widget's figure. The unchanging part of the figure is a picture; the moving artists arrive as drawing
// commands in pixel coordinates (recorded by nnmath.widgets.record): polylines, markers, texts and small images.
// It runs in three ways, with the same controls and the same drawing:
//   live    in a notebook, as an anywidget: the kernel computes each frame with nnmath, this script draws it;
//   grid    in the static book: every state on a grid of the controls was computed by nnmath when the book was
//           built, and the controls pick one;
//   page    in the static book: the widget's equation is evaluated here (a small function registered in
//           nnmathFigure.equations, held to nnmath by a browser test) and drawn with the same commands; if the
//           function has a property adjust(name, values, data), it moves other controls when one moves (as
//           Playground.adjust does); with a property ranges(values, data) too, it also moves their ends.
// No dependency, no network.
(function () {
  "use strict";
  if (globalThis.nnmathFigure) return;

  // --- numbers as Python formats them (".2f", ".3g", ".1e", "d") ---------------------------------------------
  // JavaScript's toFixed and toExponential round a value exactly halfway between two candidates away from zero;
  // Python rounds it to the even digit (0.0625 to three decimals is "0.062"). Such ties are exact binary
  // fractions, so the exact decimal expansion of the double tells them apart (toFixed(100) is exact for the
  // doubles between 1e-50 and 1e21 that can be ties at all).
  function exactDigits(value) {
    return Math.abs(value).toFixed(100).replace(/0+$/, "");
  }

  function fixed(value, digits) {  // value.toFixed(digits), ties to even
    const text = value.toFixed(digits);
    if (!(Math.abs(value) < 1e21 && Math.abs(value) > 1e-50)) return text;
    const exact = exactDigits(value), point = exact.indexOf(".");
    if (exact.length !== point + digits + 2 || !exact.endsWith("5")) return text;
    const lower = exact.slice(0, digits ? point + 1 + digits : point);
    return Number(lower[lower.length - 1]) % 2 === 0 ? (value < 0 ? "-" : "") + lower : text;
  }

  function exponential(value, digits) {  // value.toExponential(digits), ties to even, exponent as Python writes it
    let text = value.toExponential(digits);
    if (Math.abs(value) < 1e21 && Math.abs(value) > 1e-50) {
      const significant = exactDigits(value).replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
      const lower = significant.slice(0, digits + 1);
      if (significant.length === digits + 2 && significant.endsWith("5") && Number(lower[digits]) % 2 === 0) {
        text = `${value < 0 ? "-" : ""}${lower[0]}${digits ? "." + lower.slice(1) : ""}e${text.split("e")[1]}`;
      }
    }
    const [mantissa, power] = text.split("e");
    const e = Number(power);
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }

  function format(value, fmt) {
    const noMinusZero = (text) => (/^-0(\.0*)?$/.test(text) ? text.slice(1) : text);  // no "-0.00"
    if (fmt === "d") return noMinusZero(fixed(value, 0));
    const match = /^\.(\d+)([fge])$/.exec(fmt || ".3g");
    const digits = Number(match[1]);
    let text;
    if (match[2] === "f") {
      text = fixed(value, digits);
    } else if (match[2] === "e") {
      text = exponential(value, digits);
    } else {  // Python's "g": scientific when the exponent is < -4 or >= the precision, no trailing zeros
      const p = Math.max(digits, 1);
      if (value === 0) return "0";
      const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(p)))));
      if (exponent < -4 || exponent >= p) {
        const [mantissa, power] = exponential(value, p - 1).split("e");
        text = `${mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa}e${power}`;
      } else {
        text = fixed(value, Math.max(p - 1 - exponent, 0));
        if (text.includes(".")) text = text.replace(/\.?0+$/, "");
      }
    }
    return noMinusZero(text);
  }

  // --- drawing ---------------------------------------------------------------------------------------------
  const decoded = new Map();  // image source -> Promise of a drawable (decoded once per page)

  function drawable(source) {
    if (typeof source !== "string") {  // pixels computed in the page: {width, height, data: RGBA bytes}
      const canvas = document.createElement("canvas");
      canvas.width = source.width;
      canvas.height = source.height;
      canvas.getContext("2d").putImageData(new ImageData(source.data, source.width, source.height), 0, 0);
      return Promise.resolve(canvas);
    }
    if (!decoded.has(source)) {
      const image = new Image();
      image.src = source;
      decoded.set(source, image.decode().then(() => image));
      if (decoded.size > 64) decoded.delete(decoded.keys().next().value);
    }
    return decoded.get(source);
  }

  function clip(ctx, rect) {
    if (!rect) return;
    ctx.beginPath();
    ctx.rect(rect[0], rect[1], rect[2], rect[3]);
    ctx.clip();
  }

  function trace(ctx, polylines, dx, dy) {
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
      ctx.lineCap = style.cap || "butt";
      ctx.lineJoin = style.join || "miter";
      ctx.setLineDash(style.dash || []);
      ctx.stroke();
    }
  }

  // One command (see nnmath/widgets/record.py): styles and markers are tables of the frame; images are drawables.
  function drawCommand(ctx, frame, images, command) {
    const style = frame.styles[command[1]] || {};
    ctx.save();
    clip(ctx, style.clip);
    switch (command[0]) {
      case "p":  // ["p", style, polylines]
        trace(ctx, command[2], 0, 0);
        fillAndStroke(ctx, style);
        break;
      case "m": {  // ["m", style, marker, points]
        const marker = frame.markers[command[2]], points = command[3];
        for (let k = 0; k < points.length; k += 2) {
          trace(ctx, marker, points[k], points[k + 1]);
          fillAndStroke(ctx, style);
        }
        break;
      }
      case "t": {  // ["t", style, x, y, angle, width, text]
        const [, , x, y, angle, width, text] = command;
        ctx.translate(x, y);
        ctx.rotate(-angle * Math.PI / 180);
        ctx.font = style.font;
        ctx.fillStyle = style.color;
        ctx.textAlign = "center";  // centred on the text's width in the figure's own font
        ctx.textBaseline = "alphabetic";
        ctx.fillText(text, width / 2, 0);
        break;
      }
      case "i": {  // ["i", style, image, x, y, w, h, smooth]
        const [, , index, x, y, w, h, smooth] = command;
        ctx.imageSmoothingEnabled = Boolean(smooth);
        ctx.drawImage(images[index], x, y, w, h);
        break;
      }
      default:
        break;
    }
    ctx.restore();
  }

  // Paint a frame over its background: wait until every picture is decoded, then draw all at once (no flicker).
  async function paint(canvas, background, frame) {
    const [picture, ...images] = await Promise.all([drawable(background), ...(frame.images || []).map(drawable)]);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(picture, 0, 0);
    for (const command of frame.commands) drawCommand(ctx, frame, images, command);
    // the figure's moving texts, for screen readers (and tests)
    canvas.setAttribute("aria-label", frame.commands.filter((c) => c[0] === "t").map((c) => c[6]).join("; "));
  }

  // --- controls --------------------------------------------------------------------------------------------
  // A control is described by nnmath.widgets.controls (kind "slider", "choice" or "toggle": live and page
  // modes) or by nnmath.widgets.static.StaticControl (kind "range", "select" or "checkbox" over the indices of
  // a grid of values, each with its label: grid mode).
  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function sliderPosition(spec, value) {
    return spec.log ? Math.log10(value) : value;
  }

  function sliderValue(spec, position) {
    const v = spec.log ? Math.pow(10, position) : position;
    return spec.integer ? Math.round(v) : v;
  }

  function buildControls(box, specs, onInput) {
    const fields = [], outputs = [];
    box.replaceChildren();
    specs.forEach((spec, i) => {
      const row = element("label", {class: "nnmath-figure-control"});
      row.append(element("span", {class: "nnmath-figure-label"}, spec.label), " ");
      let field;
      if (spec.kind === "slider" || spec.kind === "range") {
        const grid = spec.kind === "range";
        field = element("input", {type: "range", "data-control": i, "aria-label": spec.label,
                                  min: grid ? 0 : sliderPosition(spec, spec.min),
                                  max: grid ? spec.labels.length - 1 : sliderPosition(spec, spec.max),
                                  step: grid || spec.integer ? 1 : spec.step});
        if (grid || spec.value !== undefined) field.value = grid ? spec.initial : sliderPosition(spec, spec.value);
      } else if (spec.kind === "choice" || spec.kind === "select") {
        field = element("select", {"data-control": i, "aria-label": spec.label});
        const labels = spec.kind === "select" ? spec.labels : spec.options.map((o) => o[0]);
        labels.forEach((text, j) => field.append(element("option", {value: j}, text)));
        if (spec.kind === "select" || spec.value !== undefined) {
          field.value = String(spec.kind === "select" ? spec.initial : spec.options.findIndex((o) => o[1] === spec.value));
        }
      } else {  // "toggle" or "checkbox"
        field = element("input", {type: "checkbox", "data-control": i, "aria-label": spec.label});
        field.checked = Boolean(spec.kind === "checkbox" ? spec.initial : spec.value);
      }
      row.append(field);
      const output = spec.kind === "choice" || spec.kind === "select" ? null :  // a drop-down shows its own value
        element("output", {class: "nnmath-figure-value", "data-control": i});
      if (output) row.append(" ", output);
      fields.push(field);
      outputs.push(output);
      box.append(row);
      field.addEventListener("input", onInput);
      field.addEventListener("change", onInput);
    });

    // positions: what the fields show (grid: indices); values: what nnmath takes (live and page)
    function positions() {
      return fields.map((f) => (f.type === "checkbox" ? Number(f.checked) : Number(f.value)));
    }
    function values() {
      const out = {};
      specs.forEach((spec, i) => {
        const f = fields[i];
        if (spec.kind === "slider") out[spec.name] = sliderValue(spec, Number(f.value));
        else if (spec.kind === "choice") out[spec.name] = spec.options[Number(f.value)][1];
        else if (spec.kind === "toggle") out[spec.name] = f.checked;
      });
      return out;
    }
    function show(values) {
      specs.forEach((spec, i) => {
        if (!(spec.name in values)) return;
        const f = fields[i], v = values[spec.name];
        if (spec.kind === "slider") f.value = sliderPosition(spec, v);
        else if (spec.kind === "choice") f.value = String(spec.options.findIndex((o) => o[1] === v));
        else if (spec.kind === "toggle") f.checked = Boolean(v);
      });
    }
    function range(ranges) {  // new ends of sliders, by control name: {name: [min, max]} (values, not positions)
      specs.forEach((spec, i) => {
        if (spec.kind !== "slider" || !ranges || !(spec.name in ranges)) return;
        [spec.min, spec.max] = ranges[spec.name];
        fields[i].min = sliderPosition(spec, spec.min);
        fields[i].max = sliderPosition(spec, spec.max);
      });
    }
    function label(texts) {  // texts: by control name (live and page) or by index (grid)
      specs.forEach((spec, i) => {
        if (!outputs[i]) return;
        const text = Array.isArray(texts) ? texts[i] : texts[spec.name];
        if (text !== undefined && text !== null) outputs[i].textContent = text;
      });
    }
    function disable(names) {  // controls that change nothing in this state are greyed out, not left inert
      specs.forEach((spec, i) => { fields[i].disabled = Boolean(names && names.includes(spec.name)); });
    }
    return {fields, positions, values, show, range, label, disable};
  }

  const STYLE = `.nnmath-figure-controls{display:flex;flex-wrap:wrap;gap:.3em 1.5em;margin-bottom:.4em;
font-size:.9em;align-items:center}.nnmath-figure-control{display:inline-flex;gap:.4em;align-items:center}
.nnmath-figure-value{min-width:3.5em;font-variant-numeric:tabular-nums}.nnmath-figure canvas{max-width:100%;
height:auto;display:block}.nnmath-figure-note{font-size:.8em;opacity:.75;margin:.2em 0 0}
.nnmath-figure-error{color:#b00;font-size:.85em;white-space:pre-wrap}`;

  function addStyle() {
    if (document.getElementById("nnmath-figure-style")) return;
    const style = element("style", {id: "nnmath-figure-style"}, STYLE);
    document.head.append(style);
  }

  // The widget's skeleton: controls, canvas, a line for errors.
  function skeleton(root, width, height) {
    addStyle();
    root.classList.add("nnmath-figure");
    const box = root.querySelector(".nnmath-figure-controls") || element("div", {class: "nnmath-figure-controls"});
    const canvas = root.querySelector("canvas") || element("canvas", {role: "img"});
    canvas.width = width;
    canvas.height = height;
    const error = element("div", {class: "nnmath-figure-error", role: "alert"});
    if (!box.parentNode) root.append(box);
    if (!canvas.parentNode) root.append(canvas);
    root.append(error);
    root.dataset.frame = "0";
    return {box, canvas, error};
  }

  function drawn(root) {  // for tests and benchmarks: a frame was painted
    root.dataset.frame = String(Number(root.dataset.frame || 0) + 1);
  }

  // --- grid and page modes (the static book) ------------------------------------------------------------------
  // The data is JSON, gzipped and base64-encoded in the page; the browser's own DecompressionStream unpacks it.
  async function unpack(text) {
    const bytes = Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }

  function stateIndex(controls, positions) {  // the first control varies slowest
    return positions.reduce((index, position, i) => index * controls[i].labels.length + position, 0);
  }

  function defaultLabels(specs, values) {  // what the live view shows beside each slider and check box
    const out = {};
    for (const spec of specs) {
      if (spec.kind === "slider") out[spec.name] = format(values[spec.name], spec.format);
      else if (spec.kind === "toggle") out[spec.name] = values[spec.name] ? "on" : "off";
    }
    return out;
  }

  async function mount(root) {
    root.dataset.mounted = "loading";
    const data = await unpack(root.querySelector("script.nnmath-figure-data").textContent);
    const {box, canvas, error} = skeleton(root, data.width, data.height);
    let controls;
    const tables = {styles: data.styles, markers: data.markers};

    async function redraw(event) {
      try {
        let frame, background, labels;
        if (data.mode === "grid") {
          const index = stateIndex(data.controls, controls.positions());
          const state = data.states[index];  // [background, commands, labels?, images?] (images: of the table)
          frame = {...tables, commands: state[1], images: (state[3] || []).map((i) => data.images[i])};
          background = data.backgrounds[state[0]];
          labels = controls.positions().map((p, i) => (state[2] && state[2][i] != null ? state[2][i] :
            data.controls[i].labels[p]));
          root.dataset.state = String(index);
        } else {
          const equation = api.equations[data.equation];
          let values = controls.values();
          const moved = event && event.target && event.target.dataset ? event.target.dataset.control : undefined;
          if (equation.adjust && moved !== undefined) {  // Playground.adjust: a control moves others
            values = equation.adjust(data.controls[Number(moved)].name, values, data);
            if (equation.ranges) controls.range(equation.ranges(values, data));  // ranges that follow a control
            controls.show(values);
          }
          const result = equation(values, data, helpers(data));
          frame = {...tables, ...result};
          background = data.backgrounds[result.background || 0];
          labels = {...defaultLabels(data.controls, values), ...(result.labels || {})};
        }
        await paint(canvas, background, frame);
        controls.label(labels);
        controls.disable(frame.disabled);
        error.textContent = "";
        drawn(root);
      } catch (e) {
        error.textContent = String(e);
        throw e;
      }
    }

    controls = buildControls(box, data.controls, redraw);
    if (data.mode === "page") {  // for the browser test that holds the page's equation to nnmath
      root.evaluate = (values) => api.equations[data.equation](values, data, helpers(data)).numbers;
    }
    await redraw();
    root.dataset.mounted = "true";
  }

  // --- live mode (a notebook): an anywidget view ------------------------------------------------------------------
  // The page sends a request {seq, values}; the kernel answers with a frame (and a background when it is new).
  // While a request is out, only the newest position is kept and sent when the answer comes: a fast drag never
  // queues stale positions.
  function live({model, el}) {
    const root = element("div");
    el.append(root);
    // JupyterLab's notebook takes mouse presses for selecting and dragging cells, which stops a native slider's
    // drag after its first step: the controls keep their presses to themselves.
    for (const type of ["mousedown", "pointerdown", "touchstart"]) {
      root.addEventListener(type, (event) => { if (event.target.closest("input, select")) event.stopPropagation(); });
    }
    const spec = model.get("spec");
    const {box, canvas, error} = skeleton(root, spec.width, spec.height);
    const backgrounds = new Map();
    let controls, waiting = null, pending = null, sequence = 0, timer = null;

    function send(values) {
      if (waiting !== null) { pending = values; return; }
      waiting = ++sequence;
      model.set("request", {seq: waiting, values});
      model.save_changes();
      clearTimeout(timer);
      timer = setTimeout(() => { waiting = null; }, 5000);  // a kernel that never answers does not freeze us
    }

    function build() {
      controls = buildControls(box, model.get("spec").controls, () => send(controls.values()));
      controls.show(model.get("values"));
      const frame = model.get("frame");
      if (frame && frame.labels) controls.label(frame.labels);
    }

    async function draw() {
      const frame = model.get("frame");
      const bg = model.get("background");
      if (bg && bg.src) backgrounds.set(bg.index, bg.src);
      if (!frame || !frame.commands || !backgrounds.has(frame.background)) return;
      await paint(canvas, backgrounds.get(frame.background), frame);
      controls.label(frame.labels || {});
      controls.disable(frame.disabled);
      error.textContent = frame.error || "";
      drawn(root);
    }

    model.on("change:spec", () => { build(); });
    model.on("change:values", () => controls.show(model.get("values")));
    model.on("change:background", () => { const bg = model.get("background"); backgrounds.set(bg.index, bg.src); });
    model.on("change:frame", async () => {
      const frame = model.get("frame");
      if (waiting !== null && frame.answer === waiting) {
        waiting = null;
        clearTimeout(timer);
        if (pending) { const next = pending; pending = null; send(next); }
      }
      await draw();
    });
    build();
    draw();
    root.dataset.mounted = "true";
    return () => clearTimeout(timer);
  }

  // --- what page-mode equations draw with -------------------------------------------------------------------------
  // data.axes: name -> {box: [x, y, w, h] in pixels (y down), xlim, ylim, xscale, yscale};
  // data.templates: name -> the style (and for texts the placement) of a moving artist, recorded by nnmath.
  function helpers(data) {
    function axes(name) {
      const a = data.axes[name];
      const sx = a.xscale === "log" ? Math.log10 : (v) => v, sy = a.yscale === "log" ? Math.log10 : (v) => v;
      const [x0, x1] = a.xlim.map(sx), [y0, y1] = a.ylim.map(sy);
      return {
        x: (v) => a.box[0] + (sx(v) - x0) / (x1 - x0) * a.box[2],
        y: (v) => a.box[1] + a.box[3] - (sy(v) - y0) / (y1 - y0) * a.box[3],
        box: a.box,
      };
    }
    function polyline(axesName, xs, ys) {  // data coordinates -> one flat list of whole pixels (finite points)
      const ax = axes(axesName), out = [];
      for (let k = 0; k < xs.length; k++) {
        const px = ax.x(xs[k]), py = ax.y(ys[k]);
        if (Number.isFinite(px) && Number.isFinite(py)) out.push(Math.round(px * 10) / 10, Math.round(py * 10) / 10);
      }
      return out;
    }
    function line(template, axesName, xs, ys) {
      return ["p", data.templates[template].style, [polyline(axesName, xs, ys)]];
    }
    function text(template, string) {  // a text at its template's place, aligned as matplotlib aligned it
      const t = typeof template === "string" ? data.templates[template] : template, font = data.styles[t.style].font;
      const ctx = document.createElement("canvas").getContext("2d");
      ctx.font = font;
      const commands = [];
      const lines = String(string).split("\n");
      const widths = lines.map((s) => ctx.measureText(s).width);
      const height = t.size * 1.2 * lines.length;
      const width = Math.max(...widths);
      const left = t.x - (t.ha === "center" ? width / 2 : t.ha === "right" ? width : 0);
      const top = t.y - (t.va === "center" ? height / 2 : t.va === "bottom" || t.va === "baseline" ? height : 0);
      if (t.box !== null && t.box !== undefined) {
        const p = t.pad;
        commands.push(["p", t.box, [[left - p, top - p, left + width + p, top - p, left + width + p,
          top + height + p, left - p, top + height + p, left - p, top - p]]]);
      }
      lines.forEach((s, k) => {
        const x = left + (t.ha === "center" ? (width - widths[k]) / 2 : t.ha === "right" ? width - widths[k] : 0);
        commands.push(["t", t.style, x, top + t.size * (1.2 * k + 0.95), 0, widths[k], s]);
      });
      return commands;
    }
    function image(template, values, nx, ny, colormap, vmin, vmax) {  // a heat map: row 0 at the bottom
      const lut = data.colormaps[colormap], rgba = new Uint8ClampedArray(nx * ny * 4);
      for (let r = 0; r < ny; r++) {
        for (let c = 0; c < nx; c++) {
          const v = values[r * nx + c];
          const u = Math.min(Math.max((v - vmin) / (vmax - vmin), 0), 1);
          const k = Math.min(Math.floor(u * (lut.length / 4)), lut.length / 4 - 1) * 4;
          const o = ((ny - 1 - r) * nx + c) * 4;
          rgba[o] = lut[k]; rgba[o + 1] = lut[k + 1]; rgba[o + 2] = lut[k + 2]; rgba[o + 3] = lut[k + 3];
        }
      }
      const t = data.templates[template];
      return {image: {width: nx, height: ny, data: rgba},
              command: (index) => ["i", t.style, index, ...t.rect, t.smooth]};
    }
    function span(template, axesName, x0, x1) {  // a vertical band across the whole axes (an axvspan)
      const ax = axes(axesName), top = ax.box[1], bottom = ax.box[1] + ax.box[3];
      const l = Math.round(ax.x(x0)), r = Math.round(ax.x(x1));
      return ["p", data.templates[template].style, [[l, bottom, l, top, r, top, r, bottom, l, bottom]]];
    }
    function markers(template, axesName, xs, ys) {  // a line's markers at the points (xs, ys): ["m", ...]
      const t = data.templates[template], ax = axes(axesName), points = [];
      for (let k = 0; k < xs.length; k++) {
        const px = Math.round(ax.x(xs[k])), py = Math.round(ax.y(ys[k]));
        if (Number.isFinite(px) && Number.isFinite(py)) points.push(px, py);
      }
      return ["m", t.marker_style, t.marker, points];
    }
    function polygons(template, axesName, shapes) {  // closed polygons [[xs, ys], ...] as one filled path
      const polylines = shapes.map(([xs, ys]) => polyline(axesName, [...xs, xs[0]], [...ys, ys[0]]));
      return ["p", data.templates[template].style, polylines.filter((p) => p.length >= 4)];
    }
    function rescaled(limits) {  // the same helpers for axes whose ranges moved: {name: {xlim?, ylim?}}
      const moved = {...data.axes};
      for (const [name, range] of Object.entries(limits)) moved[name] = {...data.axes[name], ...range};
      return helpers({...data, axes: moved});
    }
    function textAt(template, axesName, x, y, string) {  // a text placed at the data point (x, y) instead
      const ax = axes(axesName);
      return text({...data.templates[template], x: ax.x(x), y: ax.y(y)}, string);
    }
    function paths(template, axesName, pieces) {  // several polylines [xs, ys] in one stroke (contour segments)
      return ["p", data.templates[template].style, pieces.map(([xs, ys]) => polyline(axesName, xs, ys))];
    }
    function arrowPolyline(x, y, head = 0.25) {  // nnmath.plots.arrow_polyline: origin -> (x, y), an open head
      const length = Math.hypot(x, y);
      if (!(length > 0)) return [[], []];
      const ux = x / length, uy = y / length, h = Math.min(head, 0.5 * length);
      return [[0, x, x - h * (ux - 0.5 * uy), x, x - h * (ux + 0.5 * uy)],
              [0, y, y - h * (uy + 0.5 * ux), y, y - h * (uy - 0.5 * ux)]];
    }
    // nnmath.plots.contour_segments: the curve F = level over a square grid (t, t), F[row * m + col] at
    // (t[col], t[row]), as segments [x0, y0, x1, y1] (marching squares, the same pairing and the same order).
    function contour(F, t, level = 0) {
      const m = t.length, segments = [];
      for (let r = 0; r < m - 1; r++) {
        for (let c = 0; c < m - 1; c++) {
          const v00 = F[r * m + c], v01 = F[r * m + c + 1], v10 = F[(r + 1) * m + c], v11 = F[(r + 1) * m + c + 1];
          const a00 = v00 > level, a01 = v01 > level, a10 = v10 > level, a11 = v11 > level;
          const crossed = [a00 !== a01, a01 !== a11, a10 !== a11, a00 !== a10];  // bottom, right, top, left
          const count = crossed.filter(Boolean).length;
          if (count < 2) continue;
          const x0 = t[c], x1 = t[c + 1], y0 = t[r], y1 = t[r + 1];
          const point = (edge) => {
            if (edge === 0) return [x0 + (level - v00) / (v01 - v00) * (x1 - x0), y0];
            if (edge === 1) return [x1, y0 + (level - v01) / (v11 - v01) * (y1 - y0)];
            if (edge === 2) return [x0 + (level - v10) / (v11 - v10) * (x1 - x0), y1];
            return [x0, y0 + (level - v00) / (v10 - v00) * (y1 - y0)];
          };
          let pairs;
          if (count === 2) {
            pairs = [[crossed.indexOf(true), crossed.lastIndexOf(true)]];
          } else {  // a saddle: the mean on v00's side joins v00 and v11
            const joined = ((v00 + v01 + v10 + v11) / 4 > level) === a00;
            pairs = joined ? [[0, 1], [2, 3]] : [[0, 3], [1, 2]];
          }
          for (const [e0, e1] of pairs) segments.push([...point(e0), ...point(e1)]);
        }
      }
      return segments;
    }
    return {axes, polyline, line, span, text, image, markers, polygons, rescaled, format, activations, textAt,
            paths, arrowPolyline, contour};
  }

  // The activations of nnmath.activations, written the same way (a browser test compares them).
  const activations = {
    sigmoid: (z) => { const e = Math.exp(-Math.abs(z)); return z >= 0 ? 1 / (1 + e) : e / (1 + e); },
    tanh: Math.tanh,
    relu: (z) => Math.max(z, 0),
    leaky_relu: (z, alpha = 0.01) => (z > 0 ? z : alpha * z),
    elu: (z, alpha = 1.0) => (z > 0 ? z : alpha * Math.expm1(Math.min(z, 0))),
    identity: (z) => z,
  };

  // Page-mode equations register themselves here, before or after this script has run.
  globalThis.nnmathEquations = globalThis.nnmathEquations || {};
  // buildControls, skeleton and drawn serve a widget whose page side is its own script over this one (the drawing
  // pad of chapter 9, nnmath/widgets/digit_pad.js): the same controls, canvas, error line and frame counter.
  const api = {format, paint, mount, live, unpack, helpers, buildControls, skeleton, drawn,
               equations: globalThis.nnmathEquations};
  globalThis.nnmathFigure = api;
})();

// Mount every kernel-free figure on the page that is not mounted yet (each inline copy of this script runs it): the
// modes drawn here; a widget with a mode of its own (data-static="pad") is mounted by its own script.
if (typeof document !== "undefined") {
  document.querySelectorAll('.nnmath-figure:is([data-static="grid"], [data-static="page"]):not([data-mounted])')
    .forEach((root) => globalThis.nnmathFigure.mount(root));
}
