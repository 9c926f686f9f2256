// The classification-loss widget's equations, evaluated in the static book (nnmath/widgets/classification_loss.py,
// static_mode "page"): for one probability p of the true class, the cross-entropy and the squared error and their
// gradients in the logit, computed here as nnmath.widgets.classification_loss.loss_and_gradients computes them
// (nnmath.losses, nnmath.activations). A browser test holds the two to the same numbers.
(globalThis.nnmathEquations = globalThis.nnmathEquations || {}).classification_loss = function (values, data, draw) {
  const {axes, x_ranges: xRanges, p_min: pMin} = data.data;
  const p = Math.min(Math.max(values.p, pMin / 10), 1 - pMin / 10);
  const z = Math.log(p / (1 - p));
  const s = draw.activations.sigmoid(z), e = Math.exp(-Math.abs(z));
  const ce = Math.max(z, 0) - z * 1 + Math.log1p(Math.exp(-Math.abs(z)));  // binary_cross_entropy_with_logits
  const mse = (s - 1) * (s - 1);
  const dCe = (s - 1) / 1;
  const dMse = (2 / 1) * (s - 1) * (e / ((1 + e) * (1 + e)));  // mse_prime times sigmoid_prime
  const axis = axes.indexOf(values.axis), x = values.axis === "p" ? values.p : z;

  // Python's "{:+.3f}" or, below 0.01, "{:+.1e}"
  const exponential = (v) => {
    const [mantissa, power] = v.toExponential(1).split("e");
    const e = Number(power);
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  };
  const num = (v) => {
    const text = Math.abs(v) >= 0.01 || v === 0 ? draw.format(v, ".3f") : exponential(v);
    return text.startsWith("-") ? text : "+" + text;
  };
  const zText = ((t) => (t.startsWith("-") ? t : "+" + t))(draw.format(z, ".2f"));
  const titleL = `p = ${draw.format(values.p, ".3f")} (z = ${zText}):  CE = ${num(ce).slice(1)},  ` +
                 `squared error = ${num(mse).slice(1)}`;
  const titleG = `∂/∂z: CE ${num(dCe)}, squared error ${num(dMse)} ` +
                 `(CE pushes ${draw.format(dCe / dMse, ".3g")}× harder)`;

  const on = draw.rescaled({loss: {xlim: xRanges[axis]}, grad: {xlim: xRanges[axis]}});
  const lossY = data.axes.loss.ylim, gradY = data.axes.grad.ylim;
  const commands = [
    on.line("cursor_l", "loss", [x, x], lossY),
    on.line("cursor_g", "grad", [x, x], gradY),
    on.markers("marker_0", "loss", [x], [ce]),
    on.markers("marker_1", "loss", [x], [mse]),
    on.markers("marker_2", "grad", [x], [dCe]),
    on.markers("marker_3", "grad", [x], [dMse]),
    ...draw.text("title_l", titleL),
    ...draw.text("title_g", titleG),
  ];
  return {background: axis, commands, images: [],
          numbers: {z, ce, mse, d_ce: dCe, d_mse: dMse, x, title_l: titleL, title_g: titleG}};
};
