// The neuron playground's equation, evaluated in the static book (nnmath/widgets/neuron.py, static_mode "page"):
// a = f(w1 x1 + w2 x2 + b) over the plane, the decision line z = 0, the weight vector and f itself, computed here
// as NeuronPlayground.numbers computes them with nnmath. A browser test holds the two to the same numbers.
(globalThis.nnmathEquations = globalThis.nnmathEquations || {}).neuron = function (values, data, draw) {
  const {w1, w2, b, activation} = values;
  const {t, z: zAxis, lim, scales, f_ranges: fRanges} = data.data;
  const f = draw.activations[activation];
  const n = t.length, a = new Float64Array(n * n);
  let zlo = Infinity, zhi = -Infinity;
  for (let row = 0; row < n; row++) {        // row i is x2 = t[i], column j is x1 = t[j] (np.meshgrid(t, t))
    for (let col = 0; col < n; col++) {
      const z = w1 * t[col] + w2 * t[row] + b;
      a[row * n + col] = f(z);
      if (z < zlo) zlo = z;
      if (z > zhi) zhi = z;
    }
  }
  const norm2 = w1 * w1 + w2 * w2;
  let line = [[], []], arrow = [[], []], note;
  if (norm2 < 1e-24) {
    note = "w = 0: the output is f(b) everywhere,\nso there is no decision line";
  } else {  // p: the point of the line nearest the origin; d: the line's direction (nnmath.plots.decision_line)
    const norm = Math.sqrt(norm2);
    const p = [-b * w1 / norm2, -b * w2 / norm2], d = [-w2 / norm, w1 / norm], s = [-4 * lim, 4 * lim];
    line = [s.map((k) => p[0] + k * d[0]), s.map((k) => p[1] + k * d[1])];
    const length = Math.hypot(w1, w2), ux = w1 / length, uy = w2 / length, h = Math.min(0.25, 0.5 * length);
    arrow = [[0, w1, w1 - h * (ux - 0.5 * uy), w1, w1 - h * (ux + 0.5 * uy)],
             [0, w2, w2 - h * (uy + 0.5 * ux), w2, w2 - h * (uy - 0.5 * ux)]];
    note = `arrow: w, ‖w‖ = ${draw.format(length, ".2f")}\nline's distance from 0: |b|/‖w‖ = ` +
           draw.format(Math.abs(b) / length, ".2f");
  }
  const fz = zAxis.map((z) => f(z));  // not map(f): map would pass the index as alpha
  const signed = (v) => `${v < 0 ? "−" : "+"} ${draw.format(Math.abs(v), ".1f")}`;
  const title = `a = ${activation}(${draw.format(w1, ".1f")}·x₁ ${signed(w2)}·x₂ ${signed(b)})`;
  const [lo, hi] = scales[activation];
  const heat = draw.image("mesh", a, n, n, "output", lo, hi);
  const right = draw.rescaled({f: {ylim: fRanges[activation]}});  // the right panel's y range follows f
  const commands = [
    heat.command(0),
    draw.line("line", "plane", line[0], line[1]),
    draw.line("arrow", "plane", arrow[0], arrow[1]),
    ...draw.text("note", note),
    ...draw.text("title", title),
    right.line("f_line", "f", zAxis, fz),
    right.span("span", "f", zlo, Math.max(zhi, zlo + 1e-3)),
    ...draw.text("z_note", `z on the plane:\n[${draw.format(zlo, ".1f")}, ${draw.format(zhi, ".1f")}]`),
    ...draw.text("f_title", `f = ${activation}`),
  ];
  return {background: data.data.activations.indexOf(activation), commands, images: [heat.image],
          numbers: {a: Array.from(a), line, arrow, note, f: fz, z_range: [zlo, zhi], title}};
};
