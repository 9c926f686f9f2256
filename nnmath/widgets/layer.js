// The layer playground's equations, evaluated in the static book (nnmath/widgets/layer.py, static_mode "page"):
// a 2-3-1 network over the plane, a[1] = σ(x·(s W_unit) + s b_unit) with s the steepness, a = σ(a[1]·w + b), the
// sum of the hidden units, the output and its boundary a[1]·w + b = 0, computed here as LayerPlayground.numbers
// computes them with nnmath. A browser test holds the two to the same numbers.
(globalThis.nnmathEquations = globalThis.nnmathEquations || {}).layer = function (values, data, draw) {
  const {w1, w2, w3, b, steepness} = values;
  const {t, W_unit: unitW, b_unit: unitB} = data.data;
  const sigmoid = draw.activations.sigmoid;
  const n = t.length, hidden = new Float64Array(n * n), a = new Float64Array(n * n), z = new Float64Array(n * n);
  const W = [0, 1, 2].map((j) => [steepness * unitW[0][j], steepness * unitW[1][j]]);
  const bias = unitB.map((bj) => steepness * bj);
  for (let row = 0; row < n; row++) {        // row i is x2 = t[i], column j is x1 = t[j] (np.meshgrid(t, t))
    for (let col = 0; col < n; col++) {
      const x1 = t[col], x2 = t[row], i = row * n + col;
      const a1 = sigmoid(x1 * W[0][0] + x2 * W[0][1] + bias[0]);
      const a2 = sigmoid(x1 * W[1][0] + x2 * W[1][1] + bias[1]);
      const a3 = sigmoid(x1 * W[2][0] + x2 * W[2][1] + bias[2]);
      hidden[i] = a1 + a2 + a3;
      z[i] = w1 * a1 + w2 * a2 + w3 * a3 + b;
      a[i] = sigmoid(z[i]);
    }
  }
  const boundary = draw.contour(z, t, 0);
  const signed = (v) => `${v < 0 ? "−" : ""}${draw.format(Math.abs(v), ".1f")}`;
  const hiddenTitle = `hidden layer, steepness ${draw.format(steepness, ".1f")}`;
  const aTitle = `output a = σ(w · a[1] + b),  w = (${[w1, w2, w3].map(signed).join(", ")}),  b = ${signed(b)}`;
  const hHeat = draw.image("h_mesh", hidden, n, n, "hidden", 0, 3);
  const aHeat = draw.image("a_mesh", a, n, n, "a", 0, 1);
  const commands = [
    hHeat.command(0),
    ...data.recorded.h_marks,
    aHeat.command(1),
    ...data.recorded.a_lines,
    draw.paths("boundary", "a", boundary.map(([x0, y0, x1, y1]) => [[x0, x1], [y0, y1]])),
    ...data.recorded.a_marks,
    ...draw.text("hidden_title", hiddenTitle),
    ...draw.text("a_title", aTitle),
  ];
  return {background: 0, commands, images: [hHeat.image, aHeat.image],
          numbers: {hidden: Array.from(hidden), a: Array.from(a), boundary, hidden_title: hiddenTitle,
                    a_title: aTitle}};
};
