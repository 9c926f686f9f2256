// Momentum on a quadratic, evaluated in the static book (nnmath/widgets/momentum_quadratic.py, static_mode "page"):
// each eigen-mode's recurrence c_t = (tr M) c_{t-1} - (det M) c_{t-2}, the roots of r^2 - (tr M) r + det M, the
// worst factor rho and the steps it needs, computed here as nnmath.momentum computes them (mode_coefficients,
// mode_errors, mode_rate, mode_regime, convergence_factor, lr_limit, steps_to_reduce). A browser test holds the two
// to the same numbers.
(function () {
  // tr M and det M of one mode (nnmath.momentum.mode_coefficients)
  function coefficients(lr, beta, mu, method) {
    if (method === "heavy_ball") return [1 + beta - lr * mu, beta];
    const shrink = 1 - lr * mu;  // the gradient at the look-ahead point scales both coefficients
    return [(1 + beta) * shrink, beta * shrink];
  }

  // |c_t| for t = 0..steps from c_0 = 1 at rest (nnmath.momentum.mode_errors), clipped to [floor, ceiling]
  function errors(lr, beta, mu, method, steps, floor, ceiling) {
    const [trace, det] = coefficients(lr, beta, mu, method);
    const out = new Array(steps + 1).fill(1);
    let c = 1, previous = 1, first = 1;
    if (method !== "heavy_ball") {
      c = (1 - (1 + beta) * lr * mu) * 1;
      out[1] = c;
      first = 2;
    }
    for (let t = first; t <= steps; t++) {
      [c, previous] = [trace * c - det * previous, c];
      if (!(Math.abs(c) <= 1e300)) {  // once a mode overflows, every later value is "infinitely far"
        out.fill(previous < 0 ? -Infinity : Infinity, t);
        break;
      }
      out[t] = c;
    }
    return out.map((v) => Math.min(Math.max(Math.abs(v), floor), ceiling));
  }

  // the roots of r^2 - (tr M) r + det M: the larger one's modulus, and whether it is complex or negative
  function roots(lr, beta, mu, method) {
    const [trace, det] = coefficients(lr, beta, mu, method);
    const disc = trace * trace - 4 * det;
    if (disc < 0) {  // complex conjugates, of the same modulus
      const re = trace / 2, im = Math.sqrt(-disc) / 2;
      return {rate: Math.hypot(re, im), imag: im, real: re};
    }
    const root = Math.sqrt(disc), r1 = (trace + root) / 2, r2 = (trace - root) / 2;
    const big = Math.abs(r2) > Math.abs(r1) ? r2 : r1;
    return {rate: Math.abs(big), imag: 0, real: big};
  }

  function regime(r) {  // nnmath.momentum.mode_regime (mu > 0 here)
    if (r.rate >= 1 - 1e-12) return "diverges";
    if (Math.abs(r.imag) > 1e-12) return "oscillates";
    return r.real < 0 ? "flips sign" : "smooth";
  }

  const thousands = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");  // Python's f"{n:,}"

  (globalThis.nnmathEquations = globalThis.nnmathEquations || {}).momentum_quadratic = function (values, data, draw) {
    const {kappa, lr, beta, method} = values;
    const {kappas, methods, steps: n, floor, ceiling, target} = data.data;
    const mus = [1 / kappa, 1 / Math.sqrt(kappa), 1];  // the flattest, the middle, the steepest mode
    const modes = mus.map((mu) => errors(lr, beta, mu, method, n, floor, ceiling));
    const found = mus.map((mu) => roots(lr, beta, mu, method));
    const rates = found.map((r) => r.rate);
    const texts = mus.map((mu, i) => `μ = ${draw.format(mu, ".3g")}: ρ = ${draw.format(rates[i], ".3f")}, ` +
                                     regime(found[i]));
    // the worst mode of the quadratic: the flattest or the steepest (nnmath.momentum.convergence_factor)
    const rho = Math.max(roots(lr, beta, 1 / kappa, method).rate, roots(lr, beta, 1, method).rate);
    const limit = method === "heavy_ball" ? 2 * (1 + beta) / 1 : 2 * (1 + beta) / ((1 + 2 * beta) * 1);
    const diverges = rho >= 1;
    let steps = 0, verdict;
    if (diverges) {
      verdict = `diverged: ρ = ${draw.format(rho, ".3f")} ≥ 1 (η·μ_max must stay below ${draw.format(limit, ".3g")})`;
    } else {  // nnmath.momentum.steps_to_reduce
      steps = rho === 0 ? 1 : Math.ceil(Math.log(target) / Math.log(rho) - 1e-12);
      verdict = `ρ = ${draw.format(rho, ".3f")}: error × 10⁻⁶ in about ${thousands(steps)} steps`;
    }
    const t = modes[0].map((_, k) => k);
    const commands = [
      draw.markers("point", "map", [lr], [beta]),
      ...modes.map((curve, i) => draw.line(`mode${i}`, "modes", t, curve)),
      ...texts.flatMap((text, i) => draw.text(`text${i}`, text)),
      ...draw.text(diverges ? "verdict_diverges" : "verdict", verdict),
    ];
    return {background: kappas.indexOf(kappa) * methods.length + methods.indexOf(method), commands, images: [],
            numbers: {modes, rates, mode_texts: texts, rho, limit, steps, verdict, diverges}};
  };
})();
