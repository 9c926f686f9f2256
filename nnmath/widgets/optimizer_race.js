// The optimizer race, run in the static book (nnmath/widgets/optimizer_race.py, static_mode "page"): up to four
// optimizers descend one surface from its start, as nnmath.descent.descend runs them. Everything below mirrors
// nnmath operation for operation, in the same order, so that every rounding is the same and the paths agree to the
// last bit: the surfaces and their gradients (nnmath.surfaces), the update rules (nnmath.optim, with Adam's β^t by
// repeated squaring as optim._power computes it), the stopping and divergence rules (nnmath.descent.descend), the
// loss panel's f − f* (nnmath.plots.descent.loss_gap) and the line under the plot (nnmath.plots.descent.outcome).
// The tuned learning rates are nnmath.race.tune_surface's, computed when the book was built. A browser test holds
// this script to OptimizerRacePlayground.numbers.
(function () {
  "use strict";

  // f(x, y) and its gradient, written as nnmath.surfaces writes them
  const SURFACES = {
    bowl: {f: (x, y) => x * x + y * y, grad: (x, y) => [2 * x, 2 * y]},
    elongated_bowl: {f: (x, y) => x * x + 10 * y * y, grad: (x, y) => [2 * x, 20 * y]},
    rosenbrock: {
      f: (x, y) => { const across = 1 - x, valley = y - x * x; return across * across + 100 * (valley * valley); },
      grad: (x, y) => { const valley = y - x * x; return [-2 * (1 - x) - 4 * 100 * x * valley, 2 * 100 * valley]; },
    },
    two_minima: {
      f: (x, y) => { const well = x * x - 1; return well * well + 0.3 * x + y * y; },
      grad: (x, y) => [4 * x * (x * x - 1) + 0.3, 2 * y],
    },
    saddle: {f: (x, y) => x * x - y * y, grad: (x, y) => [2 * x, -2 * y]},
  };

  function power(base, t) {  // nnmath.optim._power: β^t by repeated squaring
    let result = 1;
    while (t) {
      if (t & 1) result *= base;
      base *= base;
      t >>= 1;
    }
    return result;
  }

  // The update rules of nnmath.optim on one parameter array w (here a point, two entries), state from zero.
  function optimizer(name, lr, hyper) {
    const v = [0, 0], m = [0, 0], s = [0, 0], eps = 1e-8;
    let t = 0;
    function scaledStep(w, d, lrT, epsT) {  // optim._scaled_step: w - lr d / (sqrt(s) + eps)
      for (let i = 0; i < 2; i++) w[i] -= (d[i] / (Math.sqrt(s[i]) + epsT)) * lrT;
    }
    function adam(w, g) {
      const b1 = hyper.beta1, b2 = hyper.beta2;
      for (let i = 0; i < 2; i++) {
        m[i] = m[i] * b1 + g[i] * (1 - b1);
        s[i] = s[i] * b2 + (g[i] * g[i]) * (1 - b2);
      }
      const correction2 = Math.sqrt(1 - power(b2, t));
      scaledStep(w, m, lr * correction2 / (1 - power(b1, t)), eps * correction2);
    }
    const rules = {
      sgd: (w, g) => { for (let i = 0; i < 2; i++) w[i] -= g[i] * lr; },
      momentum: (w, g) => {
        for (let i = 0; i < 2; i++) {
          v[i] = v[i] * hyper.beta - g[i] * lr;
          w[i] += v[i];
        }
      },
      nesterov: (w, g) => {
        for (let i = 0; i < 2; i++) {
          const step = g[i] * lr;
          v[i] = v[i] * hyper.beta - step;
          w[i] = (w[i] - step) + v[i] * hyper.beta;
        }
      },
      adagrad: (w, g) => {
        for (let i = 0; i < 2; i++) s[i] += g[i] * g[i];
        scaledStep(w, g, lr, eps);
      },
      rmsprop: (w, g) => {
        for (let i = 0; i < 2; i++) s[i] = s[i] * 0.9 + (g[i] * g[i]) * (1 - 0.9);
        scaledStep(w, g, lr, eps);
      },
      adam,
      adamw: (w, g) => {  // decoupled weight decay λ = 0.01 first, then Adam's step on the plain gradient
        for (let i = 0; i < 2; i++) w[i] *= 1 - lr * 0.01;
        adam(w, g);
      },
    };
    const rule = rules[name];
    return (w, g) => { t += 1; rule(w, g); };
  }

  // nnmath.descent.descend from the surface's start: stop when |∇f| < tol (converged) or when the point leaves
  // |w| <= max_norm or stops being finite (diverged; the path ends at the last point inside)
  function descend(surface, start, step, steps, tol, maxNorm) {
    const norm = (a) => Math.sqrt(a[0] * a[0] + a[1] * a[1]);
    const w = [start[0], start[1]];
    const x = [w[0]], y = [w[1]], losses = [surface.f(w[0], w[1])];
    let converged = false, diverged = false, finished = true;
    for (let k = 0; k < steps; k++) {
      const g = surface.grad(w[0], w[1]);
      if (norm(g) < tol) { converged = true; finished = false; break; }
      step(w, g);
      const value = surface.f(w[0], w[1]);
      if (!(Number.isFinite(w[0]) && Number.isFinite(w[1]) && Number.isFinite(value)) || norm(w) > maxNorm) {
        diverged = true; finished = false;
        break;
      }
      x.push(w[0]); y.push(w[1]); losses.push(value);
    }
    if (finished) converged = norm(surface.grad(w[0], w[1])) < tol;
    return {x, y, losses, converged, diverged};
  }

  const GREEK = {beta: "β", beta1: "β₁", beta2: "β₂"};

  function hyperparameters(name, values) {  // optimizer_race.hyperparameters_for
    if (name === "momentum" || name === "nesterov") return {beta: values.beta};
    if (name === "adam" || name === "adamw") return {beta1: values.beta1, beta2: values.beta2};
    return {};
  }

  function disabled(values) {  // OptimizerRacePlayground.disabled
    const racing = [values.opt1, values.opt2, values.opt3, values.opt4];
    const off = [values.mode === "tuned" ? "lr" : "factor"];
    if (!racing.includes("momentum") && !racing.includes("nesterov")) off.push("beta");
    if (!racing.includes("adam") && !racing.includes("adamw")) off.push("beta1", "beta2");
    return off;
  }

  const equations = (globalThis.nnmathEquations = globalThis.nnmathEquations || {});
  equations.optimizer_race = function (values, data, draw) {
    const d = data.data, surface = d.surfaces[values.surface], f = SURFACES[values.surface];
    const steps = Math.round(values.steps);
    const end = d.ends.find((e) => e >= steps) || steps;
    // nnmath.plots.descent: _sci and outcome
    const sci = (v) => draw.format(v, ".3g").replaceAll("-", "−").replaceAll("e−", "e-").replaceAll("e-0", "e-")
      .replaceAll("e+0", "e").replaceAll("e+", "e");
    const outcome = (run) => {
      const n = run.x.length - 1, taken = `${n} step${n !== 1 ? "s" : ""}`;
      if (run.diverged) return `diverged after ${taken}`;
      if (run.converged) return `converged in ${taken}`;
      const last = run.losses[run.losses.length - 1];
      if (surface.f_star !== null) return `${taken}: f − f* = ${sci(Math.max(last - surface.f_star, d.loss_floor))}`;
      return `${taken}: f = ${sci(last)}`;
    };
    const out = {names: [], lrs: [], x: [], y: [], losses: [], gaps: [], diverged: [], texts: []};
    for (const name of [values.opt1, values.opt2, values.opt3, values.opt4]) {
      if (name === "none" || out.names.includes(name)) continue;
      const lr = values.mode === "tuned" ? values.factor * surface.tuned[name] : values.lr;
      const hyper = hyperparameters(name, values);
      const run = descend(f, surface.start, optimizer(name, lr, hyper), steps, d.tol, d.max_norm);
      const extra = Object.entries(hyper).filter(([key, value]) => value !== d.paper[key])
        .map(([key, value]) => `, ${GREEK[key]} = ${draw.format(value, ".6g")}`).join("");
      out.names.push(name);
      out.lrs.push(lr);
      out.x.push(run.x);
      out.y.push(run.y);
      out.losses.push(run.losses);
      out.gaps.push(surface.f_star === null ? run.losses : run.losses.map((v) => Math.max(v - surface.f_star,
                                                                                           d.loss_floor)));
      out.diverged.push(run.diverged);
      out.texts.push(`${d.labels[name]} (η = ${draw.format(lr, ".3g")}${extra}): ${outcome(run)}`);
    }
    out.disabled = disabled(values);

    // the loss panel: a log axis, or for the saddle matplotlib's symmetric log (drawn here as a linear axis of
    // the transformed values)
    const linthresh = 1, adjusted = 1 / (1 - 1 / 10);
    const symlog = (v) => (Math.abs(v) <= linthresh ? v * adjusted :
      Math.sign(v) * linthresh * (adjusted + Math.log(Math.abs(v) / linthresh) / Math.log(10)));
    const shown = surface.symlog ? (vs) => vs.map(symlog) : (vs) => vs;
    const here = draw.rescaled({
      plane: {box: surface.box, xlim: surface.xlim, ylim: surface.ylim},
      loss: {xlim: [0, end], ylim: shown(surface.loss_ylim), yscale: surface.symlog ? "linear" : "log"},
    });
    // the step axis, as matplotlib ticked it for this end (its picture is the same for every number of steps)
    const commands = [], loss = here.axes("loss"), bottom = shown(surface.loss_ylim)[0];
    for (const [value, label] of d.xticks[end]) {
      commands.push(here.markers("xtick", "loss", [value], [bottom]));
      commands.push(...draw.text({...data.templates.xtick_label, x: loss.x(value)}, label));
    }
    commands.push(...draw.text("xlabel", "step t"));
    out.names.forEach((name, i) => commands.push(here.line(`path_${name}`, "plane", out.x[i], out.y[i])));
    out.names.forEach((name, i) => {
      const last = out.x[i].length - 1;
      commands.push(here.markers(`${out.diverged[i] ? "cross" : "end"}_${name}`, "plane", [out.x[i][last]],
                                 [out.y[i][last]]));
    });
    commands.push(here.markers("start", "plane", [surface.start[0]], [surface.start[1]]));
    out.names.forEach((name, i) => commands.push(here.line(`loss_${name}`, "loss", out.gaps[i].map((_, k) => k),
                                                           shown(out.gaps[i]))));
    out.names.forEach((name, i) => {
      const ink = data.templates[out.diverged[i] ? "ink_diverged" : `ink_${name}`];
      commands.push(...draw.text({...data.templates[`text${i}`], style: ink.style}, out.texts[i]));
    });
    return {background: d.names.indexOf(values.surface), commands,
            images: [], disabled: out.disabled, numbers: out};
  };

  // OptimizerRacePlayground.adjust: a new surface sets the steps to its budget
  equations.optimizer_race.adjust = (name, values, data) => {
    if (name === "surface") values.steps = data.data.surfaces[values.surface].budget;
    return values;
  };
})();
