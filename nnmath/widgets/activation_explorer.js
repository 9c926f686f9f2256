// The activation explorer's equations, evaluated in the static book (nnmath/widgets/activation_explorer.py,
// static_mode "page"): an activation f and its derivative f' on the plotted range, the tangent at z0, the bands
// where f' < 0.01 and the texts, computed here as ActivationExplorerPlayground.numbers computes them with nnmath
// (nnmath.activations). A browser test holds the two to the same numbers.
(globalThis.nnmathEquations = globalThis.nnmathEquations || {}).activation_explorer = function (values, data, draw) {
  const {activation, z0, z_max: zMax, alpha} = values;
  const {base, h, flat, ranges, names, activations, with_alpha: withAlpha, ylims} = data.data;
  const act = draw.activations;
  // f and f' as nnmath.activations computes them (the derivatives in the forms exact in the tails)
  const pairs = {
    sigmoid: [act.sigmoid, (z) => { const e = Math.exp(-Math.abs(z)); return e / ((1 + e) * (1 + e)); }],
    tanh: [Math.tanh, (z) => { const e = Math.exp(-2 * Math.abs(z)); return 4 * e / ((1 + e) * (1 + e)); }],
    relu: [act.relu, (z) => (z > 0 ? 1 : 0)],
    leaky_relu: [(z) => act.leaky_relu(z, alpha), (z) => alpha + (1 - alpha) * (z > 0 ? 1 : 0)],
    elu: [(z) => act.elu(z, alpha), (z) => (z > 0 ? 1 : alpha * Math.exp(Math.min(z, 0)))],
  };
  const [f, fPrime] = pairs[activation];
  // the plotted range: z_max, or the first range that holds the point with half a unit to spare
  let half = zMax;
  if (Math.abs(z0) > zMax) {
    const need = Math.abs(z0) + 0.5;
    half = ranges.find((r) => r >= need) ?? 2 * Math.ceil(need / 2);
  }
  const z = base.map((b) => half * b), fz = z.map(f), dz = z.map(fPrime);
  const f0 = f(z0), d0 = fPrime(z0);
  const centred = (f(z0 + h) - f(z0 - h)) / (2 * h);
  const ends = [-half, half], tangent = [ends, ends.map((e) => f0 + d0 * (e - z0))];
  const bands = [];
  for (let k = 0; k < z.length; k++) {
    if (dz[k] < flat && (k === 0 || !(dz[k - 1] < flat))) bands.push([z[k], z[k]]);
    if (dz[k] < flat) bands[bands.length - 1][1] = z[k];
  }
  const r = ranges.indexOf(half), ylim = ylims[activation][r];
  let dMax = -Infinity;
  for (const v of dz) if (v > dMax) dMax = v;

  const signed = (v, fmt) => { const s = draw.format(v, fmt); return s.startsWith("-") ? s : "+" + s; };
  const name = names[activation], uses = withAlpha.includes(activation), a2 = draw.format(alpha, ".2f");
  const rangeText = {sigmoid: "range (0, 1)", tanh: "range (−1, 1)", relu: "range [0, ∞)",
                     leaky_relu: alpha > 0 ? "range (−∞, ∞)" : "range [0, ∞)",
                     elu: alpha > 0 ? `range (−${a2}, ∞)` : "range [0, ∞)"}[activation];
  const titleF = `${name}${uses ? `, α = ${a2}` : ""}: ${rangeText}`;
  const titleD = `its derivative: max f′ = ${draw.format(dMax, ".3g")} on this range`;
  let note = `z₀ = ${signed(z0, ".2f")}\nf(z₀) = ${signed(f0, ".4f")}\nf′(z₀) = ${signed(d0, ".4f")}\n` +
             `centred difference = ${signed(centred, ".4f")}`;
  if ((activation === "relu" || activation === "leaky_relu") && Math.abs(z0) < h) {
    note += "\n\nz₀ = 0 is the kink: the slope\njumps, f′(0) is a convention";
  }
  const alphaLabel = a2 + (uses ? "" : ` (unused by ${name})`);

  // drawn on axes whose ranges follow the activation and the range (their picture is background r)
  const dylim = data.axes.d.ylim;
  const on = draw.rescaled({f: {xlim: ends, ylim}, d: {xlim: ends}});
  const rectangles = (y0, y1) => bands.map(([a, b]) => [[a, a, b, b], [y0, y1, y1, y0]]);
  const commands = [
    on.polygons("flat_f", "f", rectangles(ylim[0], ylim[1])),
    on.polygons("flat_d", "d", rectangles(dylim[0], dylim[1])),
    on.line("tangent", "f", tangent[0], tangent[1]),
    on.line("f_line", "f", z, fz),
    on.markers("f_point", "f", [z0], [f0]),
    on.line("d_line", "d", z, dz),
    on.markers("d_point", "d", [z0], [d0]),
    ...draw.text("note", note),
    ...draw.text("title_f", titleF),
    ...draw.text("title_d", titleD),
  ];
  return {background: activations.indexOf(activation) * ranges.length + r, commands, images: [],
          labels: {alpha: alphaLabel}, disabled: uses ? [] : ["alpha"],
          numbers: {half, f: fz, d: dz, f0, d0, tangent, bands, ylim, title_f: titleF, title_d: titleD, note,
                    alpha_label: alphaLabel}};
};
