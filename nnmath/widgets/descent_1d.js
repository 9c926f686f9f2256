// Gradient descent in one variable, evaluated in the static book (nnmath/widgets/descent_1d.py, static_mode "page"):
// theta_{t+1} = theta_t - eta f'(theta_t) on the parabola or the tilted double well, stopped (diverged) at the first
// iterate with |theta| > max_abs or a non-finite f, as nnmath.descent.descend_1d computes it; the tangent pieces of
// nnmath.plots.descent.tangent_pieces; the status and the title as Descent1DPlayground writes them (contraction_factor,
// regime). A browser test holds the two to the same numbers.
(function () {
  const TILT = 0.3;
  const FUNCTIONS = {  // nnmath.surfaces.parabola, double_well and their derivatives, operation for operation
    parabola: {f: (t) => t * t, prime: (t) => 2.0 * t},
    double_well: {
      f: (t) => { const well = t * t - 1.0; return well * well + TILT * t; },
      prime: (t) => 4.0 * t * (t * t - 1.0) + TILT,
    },
  };

  // nnmath.descent.descend_1d: every iterate and its value; a step that leaves |theta| <= maxAbs is left out
  function descend(fn, theta0, lr, steps, maxAbs) {
    const thetas = [theta0], losses = [fn.f(theta0)];
    let theta = theta0, diverged = false;
    for (let k = 0; k < steps; k++) {
      theta = theta - fn.prime(theta) * lr;  // nnmath.optim.SGD: w -= g * lr
      const value = fn.f(theta);
      if (!(Number.isFinite(value) && Math.abs(theta) <= maxAbs)) {
        diverged = true;
        break;
      }
      thetas.push(theta);
      losses.push(value);
    }
    return {thetas, losses, diverged, steps: thetas.length - 1};
  }

  function regime(lr, mu, rtol = 1e-9) {  // nnmath.descent.regime
    const etaMu = lr * mu;
    if (etaMu === 0) return "stays";
    if (etaMu < 0) return "diverges";
    for (const [edge, name] of [[1.0, "one step"], [2.0, "bounces"]]) {
      if (Math.abs(etaMu - edge) <= rtol * edge) return name;
    }
    return etaMu < 1 ? "converges" : etaMu < 2 ? "oscillates" : "diverges";
  }

  const minus = (s) => s.replace(/-/g, "−");
  const stepAxisEnd = (ends, steps) => ends.find((end) => end >= steps) ?? steps;  // descent_1d.step_axis_end

  const equations = (globalThis.nnmathEquations = globalThis.nnmathEquations || {});
  equations.descent_1d = function (values, data, draw) {
    const {function: name, lr, theta0} = values;
    const steps = Math.round(values.steps);
    const {functions, names, ends, max_abs: maxAbs} = data.data;
    const window = functions[name], fn = FUNCTIONS[name];
    const path = descend(fn, theta0, lr, steps, maxAbs);
    const half = 0.1 * (window.xlim[1] - window.xlim[0]);
    const tangents = path.thetas.map((t) => {  // f(t) + f'(t) (x - t) at x = t -+ half
      const x0 = t - half, x1 = t + half, value = fn.f(t), slope = fn.prime(t);
      return [x0, x1, value + slope * (x0 - t), value + slope * (x1 - t)];
    });
    const stepsText = `${path.steps} step${path.steps !== 1 ? "s" : ""}`;
    const status = path.diverged ? `diverged after ${stepsText}` :
      minus(`after ${stepsText}: θ = ${draw.format(path.thetas[path.thetas.length - 1], ".4g")}`);
    const mu = window.mu_max, factor = 1.0 - lr * mu;  // nnmath.descent.contraction_factor
    const title = minus(`ημ = ${draw.format(lr * mu, ".3g")}, 1 − ημ = ${draw.format(factor, ".2f")}: ` +
                        regime(lr, mu));
    const end = stepAxisEnd(ends, steps);
    const background = names.indexOf(name) * ends.length + ends.indexOf(end);
    // the axes' ranges follow the function (left, and the right's vertical) and the step axis's end
    const d = draw.rescaled({f: {xlim: window.xlim, ylim: window.ylim}, t: {xlim: [0, end], ylim: window.xlim}});
    const t = path.thetas.map((_, k) => k);
    const commands = [
      d.paths("tangents", "f", tangents.map(([x0, x1, y0, y1]) => [[x0, x1], [y0, y1]])),
      d.line("links", "f", path.thetas, path.losses),
      d.markers("dots", "f", path.thetas, path.losses),
      d.markers("start_dot", "f", [path.thetas[0]], [path.losses[0]]),
      ...d.text(path.diverged ? "status_diverged" : "status", status),
      d.line("iterates", "t", t, path.thetas),
      d.markers("iterates", "t", t, path.thetas),
      ...d.text("title", title),
    ];
    return {background, commands, images: [],
            numbers: {thetas: path.thetas, losses: path.losses, tangents, diverged: path.diverged, status, title,
                      background}};
  };

  // Descent1DPlayground.adjust: a new function gives the start slider its window and its suggested start
  equations.descent_1d.adjust = function (name, values, data) {
    if (name !== "function") return values;
    return {...values, theta0: data.data.functions[values.function].start};
  };
  // the start slider's range for these values (figure.js applies it before showing the values)
  equations.descent_1d.ranges = function (values, data) {
    return {theta0: data.data.functions[values.function].xlim};
  };
})();
