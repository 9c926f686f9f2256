// The dot-product widget's formulas, evaluated in the static book (nnmath/widgets/dot_product.py, static_mode
// "page"): x at angle φ from w with length ‖x‖, its shadow on w, x·w computed both ways and against φ, as
// DotProductPlayground.numbers computes them. A browser test holds the two to the same numbers.
(globalThis.nnmathEquations = globalThis.nnmathEquations || {}).dot_product = function (values, data, draw) {
  const {phi, norm_x: normX} = values;
  const {w, norm_w: normW, angle_w: angleW, phis, head, arc: radius} = data.data;
  const [w1, w2] = w;
  const rad = (degrees) => degrees * (Math.PI / 180);  // np.deg2rad
  const clean = (v) => (Math.abs(v) < 5e-3 ? 0 : v);   // no "-0.00"
  const plus = (v) => `${v < 0 ? "-" : "+"}${draw.format(Math.abs(v), ".2f")}`;  // Python's "+.2f"
  const angle = angleW + rad(phi);
  const x1 = normX * Math.cos(angle), x2 = normX * Math.sin(angle);
  const u1 = w1 / normW, u2 = w2 / normW;
  const along = x1 * u1 + x2 * u2;  // ‖x‖ cos φ, the shadow's signed length
  const s1 = along * u1, s2 = along * u2;
  const stop = rad(phi), step = stop / 59, arcAngles = [];  // np.linspace(0, stop, 60)
  for (let i = 0; i < 60; i++) arcAngles.push(angleW + (i === 59 ? stop : i * step));
  const arc = [arcAngles.map((a) => radius * Math.cos(a)), arcAngles.map((a) => radius * Math.sin(a))];
  const mid = angleW + rad(phi) / 2;
  const xLabel = normX > 0 ? [x1 * (1 + 0.12 / normX), x2 * (1 + 0.12 / normX)] : [0.1, 0.1];
  const phiLabel = Math.abs(phi) >= 15 ? [1.5 * radius * Math.cos(mid), 1.5 * radius * Math.sin(mid)] : [];
  const cos = clean(Math.cos(rad(phi)));
  const algebraic = clean(x1 * w1 + x2 * w2), geometric = clean(normX * normW * cos);
  const cosText = cos < 0 ? `(${draw.format(cos, ".2f")})` : draw.format(cos, ".2f");
  const curve = phis.map((t) => normX * normW * Math.cos(rad(t)));
  const xArrow = draw.arrowPolyline(x1, x2, head);
  const title = `x = (${plus(clean(x1))}, ${plus(clean(x2))}),  w = (${draw.format(w1, ".1f")}, ` +
                `${draw.format(w2, ".1f")})`;
  const cTitle = `x₁w₁ + x₂w₂ = ${plus(algebraic)}\n‖x‖ ‖w‖ cos φ = ${draw.format(normX, ".1f")} · ` +
                 `${draw.format(normW, ".2f")} · ${cosText} = ${plus(geometric)}`;
  const commands = [
    draw.line("drop", "plane", [x1, s1], [x2, s2]),
    draw.line("shadow", "plane", [0, s1], [0, s2]),
    ...data.recorded.w,
    draw.line("x_arrow", "plane", xArrow[0], xArrow[1]),
    ...draw.textAt("x_label", "plane", xLabel[0], xLabel[1], "x"),
    draw.line("arc", "plane", arc[0], arc[1]),
    ...(phiLabel.length ? draw.textAt("phi_label", "plane", phiLabel[0], phiLabel[1], "φ") : []),
    draw.line("curve", "curve", phis, curve),
    draw.markers("point", "curve", [phi], [geometric]),
    ...draw.text("title", title),
    ...draw.text("c_title", cTitle),
  ];
  return {background: 0, commands, images: [],
          numbers: {x: [x1, x2], x_arrow: xArrow, drop: [[x1, s1], [x2, s2]], shadow: [[0, s1], [0, s2]], arc,
                    x_label: xLabel, phi_label: phiLabel, curve, point: [phi, geometric], title,
                    c_title: cTitle}};
};
