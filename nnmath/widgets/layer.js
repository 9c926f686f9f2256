// The layer playground's equations, evaluated in the static book (nnmath/widgets/layer.py, static_mode "page"):
// a 2-3-1 network over the plane, h = σ(x kD + k e), a = σ(h·v + c), the sum of the hidden units, the output and
// its boundary h·v + c = 0, computed here as LayerPlayground.numbers computes them with nnmath. A browser test
// holds the two to the same numbers.
(globalThis.nnmathEquations = globalThis.nnmathEquations || {}).layer = function (values, data, draw) {
  const {v1, v2, v3, c, k} = values;
  const {t, D, e} = data.data;
  const sigmoid = draw.activations.sigmoid;
  const n = t.length, h = new Float64Array(n * n), a = new Float64Array(n * n), z = new Float64Array(n * n);
  const W = [0, 1, 2].map((j) => [k * D[0][j], k * D[1][j]]), b = e.map((ej) => k * ej);
  for (let row = 0; row < n; row++) {        // row i is x2 = t[i], column j is x1 = t[j] (np.meshgrid(t, t))
    for (let col = 0; col < n; col++) {
      const x1 = t[col], x2 = t[row], i = row * n + col;
      const h1 = sigmoid(x1 * W[0][0] + x2 * W[0][1] + b[0]);
      const h2 = sigmoid(x1 * W[1][0] + x2 * W[1][1] + b[1]);
      const h3 = sigmoid(x1 * W[2][0] + x2 * W[2][1] + b[2]);
      h[i] = h1 + h2 + h3;
      z[i] = v1 * h1 + v2 * h2 + v3 * h3 + c;
      a[i] = sigmoid(z[i]);
    }
  }
  const boundary = draw.contour(z, t, 0);
  const signed = (v) => `${v < 0 ? "−" : "+"} ${draw.format(Math.abs(v), ".1f")}`;
  let terms = [v1, v2, v3].map((v, j) => `${signed(v)}h${"₁₂₃"[j]}`).join(" ");
  terms = terms.startsWith("+") ? terms.slice(2) : "−" + terms.slice(2);
  const hTitle = `hidden layer: hⱼ = σ(k(x·Dⱼ + eⱼ)), k = ${draw.format(k, ".1f")}`;
  const aTitle = `output: a = σ(${terms} ${signed(c)})`;
  const hHeat = draw.image("h_mesh", h, n, n, "h", 0, 3);
  const aHeat = draw.image("a_mesh", a, n, n, "a", 0, 1);
  const commands = [
    hHeat.command(0),
    ...data.recorded.h_marks,
    aHeat.command(1),
    ...data.recorded.a_lines,
    draw.paths("boundary", "a", boundary.map(([x0, y0, x1, y1]) => [[x0, x1], [y0, y1]])),
    ...data.recorded.a_marks,
    ...draw.text("h_title", hTitle),
    ...draw.text("a_title", aTitle),
  ];
  return {background: 0, commands, images: [hHeat.image, aHeat.image],
          numbers: {h: Array.from(h), a: Array.from(a), boundary, h_title: hTitle, a_title: aTitle}};
};
