// "Draw a digit" (chapter 9): a drawing pad, the 28 x 28 image the network sees, its ten probabilities, and a
// browser of test images. One user interface, two back ends:
//
// * live, in a notebook: an anywidget model. The pad sends its ink (base64 bytes, 0 or 1 per pixel) to the
//   kernel, where nnmath puts it in MNIST's format and runs the network; the kernel sends back the image and
//   the probabilities (nnmath.widgets.digit_pad.DigitPad).
// * in the static book, with no kernel: the same interface over a local model that does the same computation
//   here, from the weights stored in the page (float16): toMnistFormat repeats nnmath.data.to_mnist_format and
//   forward repeats MLP.predict_proba (x W + b, ReLU, softmax). A browser test holds both to nnmath.
//
// No dependency, no network. The default export is anywidget's module interface; mountStatic(document) mounts
// every kernel-free copy on a page.

const CLASSES = 10;
const SIDE = 28;
const BOX = 20;

// --- bytes and numbers ---------------------------------------------------------------------------------------

function decodeBase64(text) {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function encodeBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

// IEEE 754 half precision (little-endian pairs of bytes) to numbers.
function decodeHalf(text) {
  const bytes = decodeBase64(text);
  const out = new Float64Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) {
    const h = bytes[2 * i] | (bytes[2 * i + 1] << 8);
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * fraction * Math.pow(2, -24);
    else if (exponent === 31) out[i] = fraction ? NaN : sign * Infinity;
    else out[i] = sign * (1 + fraction / 1024) * Math.pow(2, exponent - 15);
  }
  return out;
}

// --- a drawing in MNIST's format: nnmath.data.mnist.to_mnist_format, step by step --------------------------------

function boundingBox(ink, h, w) {
  let top = h, bottom = -1, left = w, right = -1;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      if (ink[r * w + c] > 0) {
        if (r < top) top = r;
        if (r > bottom) bottom = r;
        if (c < left) left = c;
        if (c > right) right = c;
      }
    }
  }
  return bottom < 0 ? null : [top, bottom + 1, left, right + 1];
}

// M[o][i]: the share of output pixel o's interval [o n/n', (o+1) n/n') covered by input pixel [i, i+1).
function areaWeights(nIn, nOut) {
  const M = new Float64Array(nOut * nIn);
  const step = nIn / nOut;
  for (let o = 0; o < nOut; o++) {
    for (let i = 0; i < nIn; i++) {
      const lo = Math.max(o * step, i);
      const hi = Math.min((o + 1) * step, i + 1);
      M[o * nIn + i] = Math.max(hi - lo, 0) * (nOut / nIn);
    }
  }
  return M;
}

// out = Mrows X Mcols^T, for X of h x w (row-major) cut out of a larger image at (top, left) with row stride.
function resizeArea(image, stride, top, left, h, w, hOut, wOut) {
  const rows = areaWeights(h, hOut);
  const cols = areaWeights(w, wOut);
  const half = new Float64Array(hOut * w); // Mrows X
  for (let o = 0; o < hOut; o++) {
    for (let i = 0; i < h; i++) {
      const m = rows[o * h + i];
      if (m === 0) continue;
      for (let c = 0; c < w; c++) half[o * w + c] += m * image[(top + i) * stride + left + c];
    }
  }
  const out = new Float64Array(hOut * wOut);
  for (let o = 0; o < hOut; o++) {
    for (let q = 0; q < wOut; q++) {
      let s = 0;
      for (let c = 0; c < w; c++) s += half[o * w + c] * cols[q * w + c];
      out[o * wOut + q] = s;
    }
  }
  return out;
}

function centerOfMass(image, h, w) {
  let total = 0, r = 0, c = 0;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = image[i * w + j];
      total += v;
      r += i * v;
      c += j * v;
    }
  }
  return [r / total, c / total];
}

const roundHalfUp = (x) => Math.floor(x + 0.5); // nnmath's _round_half_up

function toMnistFormat(ink, h, w) {
  const out = new Float64Array(SIDE * SIDE);
  const box = boundingBox(ink, h, w);
  if (box === null) return out;
  const [top, bottom, left, right] = box;
  const bh = bottom - top, bw = right - left;
  const scale = BOX / Math.max(bh, bw);
  const hNew = Math.max(1, roundHalfUp(bh * scale));
  const wNew = Math.max(1, roundHalfUp(bw * scale));
  const digit = resizeArea(ink, w, top, left, bh, bw, hNew, wNew);
  const [r, c] = centerOfMass(digit, hNew, wNew);
  const t = Math.min(Math.max(roundHalfUp(SIDE / 2 - r), 0), SIDE - hNew);
  const l = Math.min(Math.max(roundHalfUp(SIDE / 2 - c), 0), SIDE - wNew);
  for (let i = 0; i < hNew; i++) {
    for (let j = 0; j < wNew; j++) out[(t + i) * SIDE + l + j] = digit[i * wNew + j];
  }
  return out;
}

// --- the network: x W + b, ReLU, softmax (MLP.predict_proba) ------------------------------------------------------

function forward(net, pixels) {
  let a = new Float64Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) a[i] = (pixels[i] - net.mean) / net.sd; // scale_pixels
  const last = net.W.length - 1;
  for (let layer = 0; layer <= last; layer++) {
    const W = net.W[layer], b = net.b[layer];
    const dIn = net.sizes[layer], dOut = net.sizes[layer + 1];
    const z = new Float64Array(dOut);
    for (let j = 0; j < dOut; j++) z[j] = b[j];
    for (let i = 0; i < dIn; i++) {
      const x = a[i];
      if (x === 0) continue;
      const row = i * dOut;
      for (let j = 0; j < dOut; j++) z[j] += x * W[row + j];
    }
    if (layer < last) for (let j = 0; j < dOut; j++) z[j] = Math.max(z[j], 0); // ReLU
    a = z;
  }
  let top = -Infinity;
  for (const v of a) top = Math.max(top, v);
  let total = 0;
  const p = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) { p[j] = Math.exp(a[j] - top); total += p[j]; } // max-shifted softmax
  for (let j = 0; j < a.length; j++) p[j] /= total;
  return p;
}

function argmax(values) {
  let best = 0;
  for (let j = 1; j < values.length; j++) if (values[j] > values[best]) best = j;
  return best;
}

// --- the kernel-free model: the same traits as the live widget, computed here ------------------------------------

function localModel(data) {
  const net = {
    sizes: data.sizes, mean: data.mean, sd: data.sd,
    W: data.weights.map(decodeHalf), b: data.biases.map(decodeHalf),
  };
  const images = decodeBase64(data.images);
  const state = Object.assign({}, data.state);
  const listeners = {};
  const image = (i) => {
    const x = new Float64Array(SIDE * SIDE);
    for (let k = 0; k < x.length; k++) x[k] = images[i * SIDE * SIDE + k] / 255;
    return x;
  };
  const bytes = (x) => encodeBase64(Uint8Array.from(x, (v) => Math.round(Math.min(Math.max(v, 0), 1) * 255)));
  const set = (name, value) => {
    state[name] = value;
    (listeners["change:" + name] || []).forEach((f) => f());
  };
  let count = 0;
  const compute = {
    ink() {
      const ink = decodeBase64(state.ink);
      const x = toMnistFormat(ink, state.ink_size, state.ink_size);
      const drawn = boundingBox(ink, state.ink_size, state.ink_size) !== null;
      set("draw_result", { n: ++count, p: drawn ? Array.from(forward(net, x)) : [], digit: bytes(x) });
    },
    index() {
      const i = state.index;
      set("browse_result", { n: ++count, index: i, p: Array.from(forward(net, image(i))), image: bytes(image(i)) });
    },
  };
  return {
    net, image, toMnistFormat, forward,
    get: (name) => state[name],
    set(name, value) { state[name] = value; this.pending = this.pending || []; this.pending.push(name); },
    save_changes() {
      const names = this.pending || [];
      this.pending = [];
      names.forEach((name) => compute[name] && compute[name]());
    },
    on(event, f) { (listeners[event] = listeners[event] || []).push(f); },
    off() {},
  };
}

// --- the interface -----------------------------------------------------------------------------------------------

const CSS = `
.nnmath-digit-lab { font: 14px/1.4 system-ui, sans-serif; color: #222; margin: 0.5em 0 1em; }
.nnmath-digit-lab .ndl-tabs { display: flex; gap: 6px; margin-bottom: 8px; }
.nnmath-digit-lab button { font: inherit; padding: 3px 10px; border: 1px solid #888; border-radius: 4px;
  background: #f4f4f4; color: #222; cursor: pointer; }
.nnmath-digit-lab button[aria-pressed="true"] { background: #0072B2; border-color: #0072B2; color: #fff; }
.nnmath-digit-lab .ndl-row { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.nnmath-digit-lab .ndl-col { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; }
.nnmath-digit-lab [hidden] { display: none !important; }
.nnmath-digit-lab canvas { border: 1px solid #888; background: #fff; image-rendering: pixelated; }
.nnmath-digit-lab .ndl-pad { touch-action: none; cursor: crosshair; }
.nnmath-digit-lab .ndl-caption { font-size: 12.5px; color: #555; max-width: 300px; }
.nnmath-digit-lab .ndl-controls { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.nnmath-digit-lab .ndl-bars { display: grid; grid-template-columns: 1.2em 180px 3.6em; gap: 3px 6px;
  align-items: center; font-variant-numeric: tabular-nums; }
.nnmath-digit-lab .ndl-bar { height: 14px; background: #e3e3e3; position: relative; }
.nnmath-digit-lab .ndl-bar > div { position: absolute; left: 0; top: 0; bottom: 0; background: #56B4E9; }
.nnmath-digit-lab .ndl-top > div { background: #D55E00; }
.nnmath-digit-lab .ndl-verdict { font-weight: 600; min-height: 1.4em; }
`;

function element(tag, attributes, parent) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes || {})) {
    if (k === "text") el.textContent = v;
    else el.setAttribute(k, v);
  }
  if (parent) parent.appendChild(el);
  return el;
}

function barChart(parent, label) {
  const grid = element("div", { class: "ndl-bars", role: "img", "aria-label": label }, parent);
  const rows = [];
  for (let c = 0; c < CLASSES; c++) {
    element("span", { text: String(c) }, grid);
    const bar = element("div", { class: "ndl-bar" }, grid);
    const fill = element("div", {}, bar);
    const value = element("span", { text: "" }, grid);
    rows.push({ bar, fill, value });
  }
  return (p) => {
    const best = p.length ? argmax(p) : -1;
    rows.forEach((row, c) => {
      const v = p.length ? p[c] : 0;
      row.fill.style.width = (100 * v).toFixed(1) + "%";
      row.value.textContent = p.length ? (100 * v).toFixed(1) + "%" : "";
      row.bar.classList.toggle("ndl-top", c === best);
    });
    grid.setAttribute("aria-label", label + (best >= 0 ? ": the network says " + best : ": nothing drawn"));
  };
}

function paintImage(canvas, text) {
  const ctx = canvas.getContext("2d");
  const small = document.createElement("canvas");
  small.width = SIDE;
  small.height = SIDE;
  const pixels = small.getContext("2d").createImageData(SIDE, SIDE);
  const levels = text ? decodeBase64(text) : new Uint8Array(SIDE * SIDE);
  for (let k = 0; k < SIDE * SIDE; k++) {
    const v = 255 - levels[k]; // ink dark on white
    pixels.data.set([v, v, v, 255], 4 * k);
  }
  small.getContext("2d").putImageData(pixels, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

function render({ model, el }) {
  const root = el.classList.contains("nnmath-digit-lab") ? el : element("div", { class: "nnmath-digit-lab" }, el);
  element("style", { text: CSS }, root);
  const n = model.get("ink_size");
  const scale = model.get("pad_scale");
  const ink = new Uint8Array(n * n);

  const tabs = element("div", { class: "ndl-tabs", role: "group" }, root);
  const drawTab = element("button", { type: "button", "aria-pressed": "true", text: "draw a digit" }, tabs);
  const browseTab = element("button", { type: "button", "aria-pressed": "false", text: "browse the test set" }, tabs);

  // draw: pad | what the network sees | probabilities
  const drawPanel = element("div", { class: "ndl-row ndl-draw" }, root);
  const padColumn = element("div", { class: "ndl-col" }, drawPanel);
  const pad = element("canvas", { class: "ndl-pad", width: n * scale, height: n * scale,
    "aria-label": "drawing pad: draw a digit with the mouse" }, padColumn);
  const controls = element("div", { class: "ndl-controls" }, padColumn);
  const clear = element("button", { type: "button", class: "ndl-clear", text: "clear" }, controls);
  const widthLabel = element("label", { text: "stroke width " }, controls);
  const width = element("input", { type: "range", class: "ndl-width", min: "4", max: "28", step: "1",
    value: String(model.get("stroke_width")), "aria-label": "stroke width" }, widthLabel);
  const widthOut = element("output", { text: String(model.get("stroke_width")) }, controls);
  const seenColumn = element("div", { class: "ndl-col" }, drawPanel);
  element("div", { class: "ndl-caption", text: "what the network sees: 28 \u00d7 28, scaled and centred like MNIST" },
    seenColumn);
  const seen = element("canvas", { class: "ndl-input", width: "112", height: "112",
    "aria-label": "the 28 by 28 input" }, seenColumn);
  const drawBarsColumn = element("div", { class: "ndl-col" }, drawPanel);
  const drawVerdict = element("div", { class: "ndl-verdict", text: "draw a digit on the pad" }, drawBarsColumn);
  const drawBars = barChart(drawBarsColumn, "probabilities of the drawing");

  // browse: picker | image | probabilities
  const browsePanel = element("div", { class: "ndl-row ndl-browse" }, root);
  browsePanel.hidden = true;
  const labels = model.get("labels");
  const predictions = model.get("predictions");
  const pickColumn = element("div", { class: "ndl-col" }, browsePanel);
  const pickControls = element("div", { class: "ndl-controls" }, pickColumn);
  const previous = element("button", { type: "button", text: "\u25c0", "aria-label": "previous image" }, pickControls);
  const index = element("input", { type: "range", class: "ndl-index", min: "0", max: String(labels.length - 1),
    step: "1", value: String(model.get("index")), "aria-label": "test image" }, pickControls);
  const next = element("button", { type: "button", text: "\u25b6", "aria-label": "next image" }, pickControls);
  const mistakesLabel = element("label", {}, pickColumn);
  const mistakes = element("input", { type: "checkbox", class: "ndl-mistakes" }, mistakesLabel);
  mistakesLabel.appendChild(document.createTextNode(" only the network's mistakes"));
  const where = element("div", { class: "ndl-caption" }, pickColumn);
  const testImage = element("canvas", { class: "ndl-test", width: "168", height: "168",
    "aria-label": "a test image" }, pickColumn);
  const browseBarsColumn = element("div", { class: "ndl-col" }, browsePanel);
  const browseVerdict = element("div", { class: "ndl-verdict" }, browseBarsColumn);
  const browseBars = barChart(browseBarsColumn, "probabilities of the test image");

  const show = (which) => {
    drawPanel.hidden = which !== "draw";
    browsePanel.hidden = which !== "browse";
    drawTab.setAttribute("aria-pressed", String(which === "draw"));
    browseTab.setAttribute("aria-pressed", String(which === "browse"));
  };
  drawTab.addEventListener("click", () => show("draw"));
  browseTab.addEventListener("click", () => show("browse"));

  // --- drawing: round brush of the chosen width on an n x n grid of ink, 0 or 1 ---
  const ctx = pad.getContext("2d");
  const repaintPad = () => {
    const pixels = ctx.createImageData(n, n);
    for (let k = 0; k < n * n; k++) {
      const v = ink[k] ? 20 : 255;
      pixels.data.set([v, v, v, 255], 4 * k);
    }
    const small = document.createElement("canvas");
    small.width = n;
    small.height = n;
    small.getContext("2d").putImageData(pixels, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, pad.width, pad.height);
  };
  const stamp = (x0, y0, x1, y1) => {
    const radius = Number(width.value) / 2;
    const r0 = Math.max(0, Math.floor(Math.min(y0, y1) - radius)), r1 = Math.min(n - 1, Math.ceil(Math.max(y0, y1) + radius));
    const c0 = Math.max(0, Math.floor(Math.min(x0, x1) - radius)), c1 = Math.min(n - 1, Math.ceil(Math.max(x0, x1) + radius));
    const dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const px = c + 0.5, py = r + 0.5;
        const s = length2 ? Math.min(1, Math.max(0, ((px - x0) * dx + (py - y0) * dy) / length2)) : 0;
        const ex = px - (x0 + s * dx), ey = py - (y0 + s * dy);
        if (ex * ex + ey * ey <= radius * radius) ink[r * n + c] = 1;
      }
    }
  };
  let sending = false, dirty = false, frame = 0;
  const send = () => {
    if (sending) { dirty = true; return; }
    sending = true;
    dirty = false;
    model.set("ink", encodeBase64(ink));
    model.save_changes();
  };
  const schedule = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => { frame = 0; repaintPad(); send(); });
  };
  let last = null;
  const point = (event) => {
    const box = pad.getBoundingClientRect();
    return [(event.clientX - box.left) * (n / box.width), (event.clientY - box.top) * (n / box.height)];
  };
  pad.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    if (pad.setPointerCapture && event.pointerId !== undefined) {
      try { pad.setPointerCapture(event.pointerId); } catch (e) { /* synthetic events have no pointer */ }
    }
    last = point(event);
    stamp(last[0], last[1], last[0], last[1]);
    schedule();
  });
  pad.addEventListener("pointermove", (event) => {
    if (!last) return;
    const p = point(event);
    stamp(last[0], last[1], p[0], p[1]);
    last = p;
    schedule();
  });
  const lift = () => { last = null; };
  pad.addEventListener("pointerup", lift);
  pad.addEventListener("pointercancel", lift);
  pad.addEventListener("pointerleave", lift);
  clear.addEventListener("click", () => { ink.fill(0); repaintPad(); send(); });
  width.addEventListener("input", () => {
    widthOut.textContent = width.value;
    model.set("stroke_width", Number(width.value));
    model.save_changes();
  });

  const onDrawResult = () => {
    sending = false;
    const result = model.get("draw_result") || {};
    const p = result.p || [];
    paintImage(seen, p.length ? result.digit : "");
    drawBars(p);
    drawVerdict.textContent = p.length
      ? "the network says " + argmax(p) + " (" + (100 * p[argmax(p)]).toFixed(1) + "%)"
      : "draw a digit on the pad";
    if (dirty) send();
  };
  model.on("change:draw_result", onDrawResult);

  // --- browsing ---
  const allowed = () => labels.map((_, i) => i).filter((i) => !mistakes.checked || predictions[i] !== labels[i]);
  const choose = (i) => {
    index.value = String(i);
    model.set("index", i);
    model.save_changes();
  };
  const stepTo = (direction) => {
    const ok = allowed();
    if (!ok.length) return;
    const here = Number(index.value);
    const later = direction > 0 ? ok.find((i) => i > here) : ok.slice().reverse().find((i) => i < here);
    choose(later === undefined ? (direction > 0 ? ok[0] : ok[ok.length - 1]) : later);
  };
  index.addEventListener("input", () => choose(Number(index.value)));
  previous.addEventListener("click", () => stepTo(-1));
  next.addEventListener("click", () => stepTo(1));
  mistakes.addEventListener("change", () => {
    if (mistakes.checked && predictions[Number(index.value)] === labels[Number(index.value)]) stepTo(1);
  });
  const onBrowseResult = () => {
    const result = model.get("browse_result") || {};
    const i = Number(result.index);
    const p = result.p || [];
    paintImage(testImage, result.image);
    browseBars(p);
    const said = p.length ? argmax(p) : -1;
    browseVerdict.textContent = "label " + labels[i] + ", the network says " + said +
      (said === labels[i] ? "" : " (a mistake)");
    const wrong = predictions.filter((q, k) => q !== labels[k]).length;
    where.textContent = "image " + (i + 1) + " of " + labels.length + " shown here (test image " +
      model.get("test_index")[i] + "); " + wrong + " of them are mistakes";
  };
  model.on("change:browse_result", onBrowseResult);

  repaintPad();
  paintImage(seen, "");
  drawBars([]);
  if ((model.get("browse_result") || {}).p) onBrowseResult();
  else choose(Number(model.get("index")));

  // what the browser tests read (and nothing else uses)
  root.nnmathDigitLab = {
    ink: () => Array.from(ink),
    input: () => Array.from(decodeBase64((model.get("draw_result") || {}).digit || "")),
    drawProbabilities: () => (model.get("draw_result") || {}).p || [],
    browseProbabilities: () => (model.get("browse_result") || {}).p || [],
    model,
  };
  return () => {};
}

function mountStatic(scope) {
  scope.querySelectorAll(".nnmath-digit-lab[data-static]").forEach((root) => {
    if (root.dataset.mounted === "true") return;
    const data = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
    const model = localModel(data);
    render({ model, el: root });
    root.nnmathDigitLab.toMnistFormat = (values, size) => Array.from(model.toMnistFormat(values, size, size));
    root.nnmathDigitLab.predictImage = (i) => Array.from(model.forward(model.net, model.image(i)));
    root.nnmathDigitLab.predictPixels = (values) => Array.from(model.forward(model.net, values));
    root.dataset.mounted = "true";
  });
}

export default { render };
