// The weight-matrix widget's map, evaluated in the static book (nnmath/widgets/linear_map.py, static_mode
// "page"): every point x of the plane sent to z = xW (then, with the ReLU, to a = max(0, xW)), computed here as
// LinearMapPlayground.numbers computes it. A browser test holds the two to the same numbers.
(function () {
  const equations = (globalThis.nnmathEquations = globalThis.nnmathEquations || {});
  const WEIGHTS = ["w11", "w12", "w21", "w22"];
  const SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1]];

  function describe(det, draw) {
    if (Math.abs(det) < 1e-9) return "areas → 0: the plane collapses onto a line (or a point)";
    return `areas × ${draw.format(Math.abs(det), ".2f")},  orientation ${det > 0 ? "kept" : "flipped"}`;
  }

  equations.linear_map = function (values, data, draw) {
    const {w11, w12, w21, w22, relu_after: relu} = values;
    const {ticks, t, dots, circle, quadrants, head} = data.data;
    const f = relu ? (v) => Math.max(v, 0) : (v) => v;
    const times = (x1, x2) => [x1 * w11 + x2 * w21, x1 * w12 + x2 * w22];  // z = xW, as nnmath computes it
    const image = (xs, ys, g = f) => {
      const out = [[], []];
      for (let k = 0; k < xs.length; k++) {
        const [y1, y2] = times(xs[k], ys[k]);
        out[0].push(g(y1));
        out[1].push(g(y2));
      }
      return out;
    };
    const rawDet = w11 * w22 - w12 * w21;
    const det = Math.abs(rawDet) < 1e-9 ? 0 : rawDet;  // nnmath.plots.linear.det2
    // the grid lines of nnmath.plots.grid_lines: x = tick (vertical lines), then y = tick (horizontal)
    const grid = [...ticks.map((c) => [t.map(() => c), t]), ...ticks.map((c) => [t, t.map(() => c)])];
    const lines = grid.map(([xs, ys]) => image(xs, ys));
    const ghost = relu ? grid.map(([xs, ys]) => image(xs, ys, (v) => v)) : [];
    const square = image(SQUARE.map((p) => p[0]), SQUARE.map((p) => p[1]));
    const circ = image(circle[0], circle[1]);
    const arrows = [[w11, w12], [w21, w22]].map(([a, b]) => draw.arrowPolyline(f(a), f(b), head));
    const dotsIn = {}, dotsOut = {};
    if (relu) {
      for (const [name] of quadrants) { dotsIn[name] = [[], []]; dotsOut[name] = [[], []]; }
      for (const c of dots) {
        for (const a of dots) {
          const [y1, y2] = times(a, c);
          const [name] = quadrants.find(([, first, second]) => (y1 > 0) === first && (y2 > 0) === second);
          dotsIn[name][0].push(a); dotsIn[name][1].push(c);
          dotsOut[name][0].push(Math.max(y1, 0)); dotsOut[name][1].push(Math.max(y2, 0));
        }
      }
    }
    let note = describe(det, draw);
    if (relu) note += "\nthen ReLU: negative coordinates → 0\n(grey grid: xW before the fold)";
    const color = det === 0 ? "zero" : det > 0 ? "pos" : "neg";
    const inTitle = relu ? "input plane: x  (dots: signs of xW)" : "input plane: x";
    const outTitle = `${relu ? "a = max(0, x W)" : "z = x W"},   det W = ${det < 0 ? "-" : "+"}` +
                     draw.format(Math.abs(det), ".2f");
    const commands = [];
    if (relu) for (const [name] of quadrants) commands.push(draw.markers(`in_${name}`, "in", ...dotsIn[name]));
    commands.push(...data.recorded.in_marks, draw.line(`square_${color}`, "out", ...square));
    if (relu) for (const [name] of quadrants) commands.push(draw.markers(`out_${name}`, "out", ...dotsOut[name]));
    for (const xy of ghost) commands.push(draw.line("ghost", "out", ...xy));
    for (const xy of lines) commands.push(draw.line("line", "out", ...xy));
    commands.push(draw.line("circle", "out", ...circ), draw.line("e1", "out", ...arrows[0]),
                  draw.line("e2", "out", ...arrows[1]), ...draw.text("note", note), ...draw.text("in_title", inTitle),
                  ...draw.text("out_title", outTitle));
    return {background: 0, commands, images: [],
            numbers: {lines, ghost, square, color, circle: circ, arrows, dots_in: dotsIn, dots_out: dotsOut, note,
                      in_title: inTitle, out_title: outTitle}};
  };

  // LinearMapPlayground.adjust: a preset sets the sliders; a slider moved away from it makes the matrix "your own"
  equations.linear_map.adjust = function (name, values, data) {
    const {presets, custom} = data.data;
    const out = {...values}, preset = presets[values.preset];
    if (name === "preset" && preset) {
      preset.flat().forEach((v, k) => { out[WEIGHTS[k]] = v; });
    } else if (WEIGHTS.includes(name) && preset && preset.flat().some((v, k) => Math.abs(values[WEIGHTS[k]] - v) > 1e-9)) {
      out.preset = custom;
    }
    return out;
  };
})();
