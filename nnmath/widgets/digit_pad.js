// "Draw a digit" (chapter 9, nnmath/widgets/digit_pad.py): the page side of DigitLab, over figure.js.
//
// The figure, its controls, its error line and its frames are figure.js's (nnmathFigure.buildControls, skeleton,
// paint, helpers, unpack, format). What this script adds is the one input that is not a control: the pad, a square
// of the figure drawn on with the pointer. A drawing is a list of strokes [x0, y0, x1, y1, ...] in pad pixels.
//
// * live, in a notebook (live): the page inks the pad at once under the pen and sends the controls and the strokes
//   to the kernel, which answers with the frame computed by nnmath (FigureView's protocol: while a request is out,
//   only the newest drawing waits);
// * in the static book (mount, data-static="pad"): the page computes the frame itself. The equation digit_pad
//   repeats DigitLab.numbers step by step: drawStrokes is nnmath.data.draw_strokes, toMnistFormat is
//   nnmath.data.to_mnist_format, forward is MLP.predict_proba (scaling, x W + b, ReLU, softmax) on the float16
//   weights the page carries. A browser test holds the two to the same numbers.
//
// No dependency, no network.
(function () {
  "use strict";
  if (globalThis.nnmathDigitPad) return;
  const CLASSES = 10;
  const MAX_POINTS = 20000;  // nnmath.data.mnist.MAX_STROKE_POINTS

  // --- bytes -------------------------------------------------------------------------------------------------
  function decodeBase64(text) {
    const raw = atob(text);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  // IEEE 754 half precision (little-endian pairs of bytes) to numbers, exactly.
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

  // --- the pen: nnmath.data.draw_strokes, in the same floating-point operations ----------------------------------
  function drawStrokes(strokes, width, size) {
    const ink = new Float64Array(size * size);
    const radius = width / 2;
    for (const xy of strokes) {
      const m = xy.length / 2;
      for (let k = 0; k < Math.max(m - 1, 1); k++) {
        const x0 = xy[2 * k], y0 = xy[2 * k + 1];
        const x1 = m > 1 ? xy[2 * k + 2] : x0, y1 = m > 1 ? xy[2 * k + 3] : y0;
        const r0 = Math.max(0, Math.floor(Math.min(y0, y1) - radius));
        const r1 = Math.min(size - 1, Math.ceil(Math.max(y0, y1) + radius));
        const c0 = Math.max(0, Math.floor(Math.min(x0, x1) - radius));
        const c1 = Math.min(size - 1, Math.ceil(Math.max(x0, x1) + radius));
        const dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy;
        for (let r = r0; r <= r1; r++) {
          const py = r + 0.5;
          for (let c = c0; c <= c1; c++) {
            const px = c + 0.5;
            const s = length2 ? Math.min(1, Math.max(0, ((px - x0) * dx + (py - y0) * dy) / length2)) : 0;
            const ex = px - (x0 + s * dx), ey = py - (y0 + s * dy);
            if (ex * ex + ey * ey <= radius * radius) ink[r * size + c] = 1;
          }
        }
      }
    }
    return ink;
  }

  // --- a drawing in MNIST's format: nnmath.data.to_mnist_format, step by step ---------------------------------
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

  // out = Mrows X Mcols^T, for X of h x w cut out of a larger image at (top, left) with row stride `stride`.
  function resizeArea(image, stride, top, left, h, w, hOut, wOut) {
    const rows = areaWeights(h, hOut), cols = areaWeights(w, wOut);
    const half = new Float64Array(hOut * w);
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

  const roundHalfUp = (x) => Math.floor(x + 0.5);  // nnmath's _round_half_up
  const snap = (x) => Math.floor(x * 1e9 + 0.5) / 1e9;  // nnmath's _snap: an exact half pixel stays one

  function toMnistFormat(ink, size, boxSide, side) {
    const out = new Float64Array(side * side);
    const box = boundingBox(ink, size, size);
    if (box === null) return out;
    const [top, bottom, left, right] = box;
    const bh = bottom - top, bw = right - left;
    const scale = boxSide / Math.max(bh, bw);
    const hNew = Math.max(1, roundHalfUp(bh * scale)), wNew = Math.max(1, roundHalfUp(bw * scale));
    const digit = resizeArea(ink, size, top, left, bh, bw, hNew, wNew);
    const [r, c] = centerOfMass(digit, hNew, wNew);
    const t = Math.min(Math.max(roundHalfUp(side / 2 - snap(r)), 0), side - hNew);
    const l = Math.min(Math.max(roundHalfUp(side / 2 - snap(c)), 0), side - wNew);
    for (let i = 0; i < hNew; i++) {
      for (let j = 0; j < wNew; j++) out[(t + i) * side + l + j] = digit[i * wNew + j];
    }
    return out;
  }

  // --- the network: MLP.predict_proba (scale_pixels, x W + b, ReLU, softmax) ------------------------------------
  function forward(net, pixels) {
    let a = new Float64Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) a[i] = (pixels[i] - net.mean) / net.sd;
    const last = net.W.length - 1;
    for (let layer = 0; layer <= last; layer++) {
      const W = net.W[layer], b = net.b[layer], dIn = net.sizes[layer], dOut = net.sizes[layer + 1];
      const z = Float64Array.from(b);
      for (let i = 0; i < dIn; i++) {
        const x = a[i];
        if (x === 0) continue;
        const row = i * dOut;
        for (let j = 0; j < dOut; j++) z[j] += x * W[row + j];
      }
      if (layer < last) for (let j = 0; j < dOut; j++) z[j] = Math.max(z[j], 0);
      a = z;
    }
    let top = -Infinity, total = 0;
    for (const v of a) top = Math.max(top, v);
    const p = new Float64Array(a.length);
    for (let j = 0; j < a.length; j++) { p[j] = Math.exp(a[j] - top); total += p[j]; }  // max-shifted softmax
    for (let j = 0; j < a.length; j++) p[j] /= total;
    return p;
  }

  function argmax(values) {
    let best = 0;
    for (let j = 1; j < values.length; j++) if (values[j] > values[best]) best = j;
    return best;
  }

  // The page's network and test images, decoded once per widget.
  const decodedNets = new WeakMap();
  function network(d) {
    if (!decodedNets.has(d)) {
      const images = decodeBase64(d.images), n = d.side * d.side;
      decodedNets.set(d, {
        sizes: d.sizes, mean: d.mean, sd: d.sd, W: d.weights.map(decodeHalf), b: d.biases.map(decodeHalf),
        image: (i) => Float64Array.from(images.subarray(i * n, (i + 1) * n), (v) => v / 255),
      });
    }
    return decodedNets.get(d);
  }

  // --- the widget's equation: DigitLab.numbers, and the frame drawn from it -----------------------------------------
  function flipRows(values, side) {  // draw.image puts row 0 at the bottom; the figure's images have it at the top
    const out = new Float64Array(values.length);
    for (let r = 0; r < side; r++) out.set(values.subarray((side - 1 - r) * side, (side - r) * side), r * side);
    return out;
  }

  function digitPad(values, data, draw) {
    const d = data.data, net = network(d);
    const {view, width, image, ink} = values;
    let pad, padSide, x, caption;
    if (view === "draw") {
      pad = drawStrokes(ink, width, d.ink_size);
      padSide = d.ink_size;
      x = toMnistFormat(pad, d.ink_size, d.digit_box, d.side);
      caption = "draw a digit here";
    } else {
      x = net.image(image);
      pad = x;
      padSide = d.side;
      caption = `test image ${d.test_index[image]}`;
    }
    let p = [], said = -1, percents = new Array(CLASSES).fill(""), verdict = "draw a digit on the pad";
    if (x.some((v) => v !== 0)) {
      p = Array.from(forward(net, x));
      said = argmax(p);
      percents = p.map((v) => draw.format(100 * v, ".1f") + "%");
      verdict = `the network says ${said} (${draw.format(100 * p[said], ".1f")}%)`;
      if (view === "test") {
        const label = d.labels[image];
        verdict = `label ${label}: ${verdict}` + (said === label ? "" : ", a mistake");
      }
    }
    const padImage = draw.image("pad", flipRows(pad, padSide), padSide, padSide, "ink", 0, 1);
    const inImage = draw.image("input", flipRows(x, d.side), d.side, d.side, "ink", 0, 1);
    const bar = (c) => [[0, p[c], p[c], 0], [c - 0.36, c - 0.36, c + 0.36, c + 0.36]];
    const others = p.length ? p.map((_, c) => c).filter((c) => c !== said) : [];
    const commands = [
      padImage.command(0),
      inImage.command(1),
      draw.polygons("bar", "p", others.map(bar)),
      ...(said >= 0 ? [draw.polygons("top", "p", [bar(said)])] : []),
      ...percents.flatMap((text, c) => (text ? draw.textAt("percent", "p", 1.02, c, text) : [])),
      ...draw.text("caption", caption),
      ...draw.text("verdict", verdict),
    ];
    return {
      background: view === "draw" ? 0 : 1, commands, images: [padImage.image, inImage.image],
      labels: {width: draw.format(width, "d"), image: `#${d.test_index[image]}, a ${d.labels[image]}`},
      disabled: view === "draw" ? ["image"] : ["width"],
      numbers: {input: Array.from(x), p, said, percents, caption, verdict},
    };
  }
  (globalThis.nnmathEquations = globalThis.nnmathEquations || {}).digit_pad = digitPad;

  // --- the pad: strokes drawn with the pointer on the figure's pad --------------------------------------------------
  // pad: {box: [x, y, w, h] in figure pixels (y down), size: ink pixels per side, sample: the first drawing}.
  function attachPad(canvas, pad, strokes, onChange) {
    const state = {strokes: strokes.map((s) => s.slice()), sample: true, enabled: true};
    let stroke = null, points = state.strokes.reduce((n, s) => n + s.length / 2, 0);
    canvas.style.touchAction = "none";  // a finger draws instead of scrolling the page
    function where(event) {  // the pointer in ink pixels, and whether it is over the pad
      const rect = canvas.getBoundingClientRect();
      const px = (event.clientX - rect.left) * (canvas.width / rect.width);
      const py = (event.clientY - rect.top) * (canvas.height / rect.height);
      const [bx, by, bw, bh] = pad.box;
      const x = Math.round((px - bx) * pad.size / bw * 100) / 100, y = Math.round((py - by) * pad.size / bh * 100) / 100;
      return {x, y, inside: x >= 0 && y >= 0 && x <= pad.size && y <= pad.size};
    }
    canvas.addEventListener("pointerdown", (event) => {
      const at = where(event);
      if (!state.enabled || !at.inside || points >= MAX_POINTS) return;
      event.preventDefault();
      event.stopPropagation();
      try { canvas.setPointerCapture(event.pointerId); } catch (e) { /* a synthetic event has no pointer */ }
      if (state.sample) {  // the first stroke replaces the sample drawing
        state.strokes = [];
        state.sample = false;
        points = 0;
      }
      stroke = [at.x, at.y];
      state.strokes.push(stroke);
      points += 1;
      onChange();
    });
    canvas.addEventListener("pointermove", (event) => {
      const at = where(event);
      canvas.style.cursor = state.enabled && (at.inside || stroke) ? "crosshair" : "";
      if (!stroke || points >= MAX_POINTS) return;
      const dx = at.x - stroke[stroke.length - 2], dy = at.y - stroke[stroke.length - 1];
      if (dx * dx + dy * dy < 0.25) return;  // half an ink pixel: no new point
      stroke.push(at.x, at.y);
      points += 1;
      onChange();
    });
    const lift = () => { stroke = null; };
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) canvas.addEventListener(type, lift);
    return {
      state,
      clear() { state.strokes = []; state.sample = false; stroke = null; points = 0; onChange(); },
      set(strokes) { state.strokes = strokes.map((s) => s.slice()); stroke = null;
                     points = state.strokes.reduce((n, s) => n + s.length / 2, 0); },
    };
  }

  // Buttons beside the controls: clear the pad; step to the previous or next test image the network gets wrong.
  function buttons(box, mistakes, actions) {
    const make = (text, label, action) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = text;
      button.className = "nnmath-pad-button";
      button.setAttribute("aria-label", label);
      button.addEventListener("click", action);
      box.append(button);
      return button;
    };
    return {
      clear: make("clear the pad", "clear the pad", actions.clear),
      previous: make("◀ mistake", "previous mistake", () => actions.step(-1)),
      next: make("mistake ▶", "next mistake", () => actions.step(1)),
      show(view) {
        this.clear.disabled = view !== "draw";
        this.previous.disabled = this.next.disabled = view !== "test" || !mistakes.length;
      },
    };
  }

  function nextMistake(mistakes, here, direction) {
    if (!mistakes.length) return here;
    const later = direction > 0 ? mistakes.find((i) => i > here) : mistakes.slice().reverse().find((i) => i < here);
    return later === undefined ? (direction > 0 ? mistakes[0] : mistakes[mistakes.length - 1]) : later;
  }

  const STYLE = ".nnmath-pad-button{font:inherit;font-size:.9em;padding:.1em .6em}";
  function addStyle() {
    if (document.getElementById("nnmath-pad-style")) return;
    const style = document.createElement("style");
    style.id = "nnmath-pad-style";
    style.textContent = STYLE;
    document.head.append(style);
  }

  // --- the static book: the page computes every frame ----------------------------------------------------------------
  async function mount(root) {
    root.dataset.mounted = "loading";
    const F = globalThis.nnmathFigure;
    const data = await F.unpack(root.querySelector("script.nnmath-figure-data").textContent);
    const {box, canvas, error} = F.skeleton(root, data.width, data.height);
    addStyle();
    const equation = F.equations[data.equation], draw = F.helpers(data), d = data.data;
    const tables = {styles: data.styles, markers: data.markers};
    const inkSpec = data.controls.find((spec) => spec.kind === "ink");
    let controls, busy = false, again = false, queued = false;
    const values = () => ({...controls.values(), ink: pad.state.strokes});

    async function redraw() {
      if (busy) { again = true; return; }
      busy = true;
      try {
        const result = equation(values(), data, draw);
        await F.paint(canvas, data.backgrounds[result.background], {...tables, ...result});
        controls.label(result.labels);
        controls.disable(result.disabled);
        pad.state.enabled = values().view === "draw";
        actions.show(values().view);
        error.textContent = "";
        F.drawn(root);
      } catch (e) {
        error.textContent = String(e);
        throw e;
      } finally {
        busy = false;
      }
      if (again) { again = false; await redraw(); }
    }
    function schedule() {  // one redraw per animation frame, however fast the pointer moves
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; redraw(); });
    }

    const pad = attachPad(canvas, d, inkSpec.value, schedule);
    controls = F.buildControls(box, data.controls.filter((spec) => spec.kind !== "ink"), () => redraw());
    const actions = buttons(box, d.mistakes, {
      clear: () => pad.clear(),
      step: (direction) => { controls.show({image: nextMistake(d.mistakes, values().image, direction)}); redraw(); },
    });
    root.evaluate = (given) => equation(given, data, F.helpers(data)).numbers;  // for the browser test
    root.currentValues = () => JSON.parse(JSON.stringify(values()));
    await redraw();
    root.dataset.mounted = "true";
  }

  // --- live, in a notebook: the kernel computes every frame ----------------------------------------------------------
  function live({model, el}) {
    const F = globalThis.nnmathFigure;
    const root = document.createElement("div");
    el.append(root);
    // JupyterLab takes mouse presses for selecting and dragging cells: the controls and the pad keep theirs.
    for (const type of ["mousedown", "pointerdown", "touchstart"]) {
      root.addEventListener(type, (event) => {
        if (event.target.closest("input, select, button, canvas")) event.stopPropagation();
      });
    }
    const spec = model.get("spec");
    const {box, canvas, error} = F.skeleton(root, spec.width, spec.height);
    addStyle();
    const backgrounds = new Map();
    let controls, actions, waiting = null, pending = null, sequence = 0, timer = null;
    const values = () => ({...controls.values(), ink: pad.state.strokes});

    function send(given) {
      if (waiting !== null) { pending = given; return; }
      waiting = ++sequence;
      model.set("request", {seq: waiting, values: given});
      model.save_changes();
      clearTimeout(timer);
      timer = setTimeout(() => { waiting = null; }, 5000);  // a kernel that never answers does not freeze the pad
    }

    // The drawing as the kernel will ink it (nnmath.data.draw_strokes: the same pixels), painted over its frame.
    function paintInk() {
      const {box: [x, y, w, h], size} = model.get("spec").pad;
      const ink = drawStrokes(pad.state.strokes, controls.values().width, size);
      const small = document.createElement("canvas");
      small.width = small.height = size;
      const context = small.getContext("2d"), pixels = context.createImageData(size, size);
      for (let k = 0; k < size * size; k++) {
        const v = ink[k] ? 0 : 255;  // gray_r: ink black on white
        pixels.data.set([v, v, v, 255], 4 * k);
      }
      context.putImageData(pixels, 0, 0);
      const ctx = canvas.getContext("2d");
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(small, x, y, w, h);
    }

    async function draw() {
      const frame = model.get("frame");
      const bg = model.get("background");
      if (bg && bg.src) backgrounds.set(bg.index, bg.src);
      if (!frame || !frame.commands || !backgrounds.has(frame.background)) return;
      await F.paint(canvas, backgrounds.get(frame.background), frame);
      const view = controls.values().view;
      if (view === "draw") paintInk();  // newer than the frame's while the pen moves
      controls.label(frame.labels || {});
      controls.disable(frame.disabled);
      pad.state.enabled = view === "draw";
      actions.show(view);
      error.textContent = frame.error || "";
      F.drawn(root);
    }

    const padSpec = spec.pad;
    const pad = attachPad(canvas, padSpec, model.get("values").ink || padSpec.sample, () => {
      if (controls.values().view === "draw") paintInk();
      send(values());
    });

    function build() {
      const current = model.get("spec");
      controls = F.buildControls(box, current.controls.filter((c) => c.kind !== "ink"), () => send(values()));
      controls.show(model.get("values"));
      actions = buttons(box, current.pad.mistakes, {
        clear: () => pad.clear(),
        step: (direction) => {
          controls.show({image: nextMistake(current.pad.mistakes, controls.values().image, direction)});
          send(values());
        },
      });
      const frame = model.get("frame");
      if (frame && frame.labels) controls.label(frame.labels);
    }

    model.on("change:spec", build);
    model.on("change:values", () => {
      const given = model.get("values");
      controls.show(given);
      if (given.ink) { pad.set(given.ink); pad.state.sample = false; }  // a drawing set from Python
    });
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

  globalThis.nnmathDigitPad = {mount, live, drawStrokes, toMnistFormat, forward};
})();

// Mount every kernel-free drawing pad on the page that is not mounted yet.
if (typeof document !== "undefined") {
  document.querySelectorAll('.nnmath-figure[data-static="pad"]:not([data-mounted])')
    .forEach((root) => globalThis.nnmathDigitPad.mount(root));
}
