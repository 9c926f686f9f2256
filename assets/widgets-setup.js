// Loaded on pages with Jupyter widgets, before require.js and the widget manager (see _config.yml,
// nb_ipywidgets_js). It adapts two things of @jupyter-widgets/html-manager to an offline book that
// uses MathJax 3.
(function () {
  "use strict";

  // 1. Icon fonts. The widget manager looks for its Font Awesome files next to the module URL that
  //    require.js gives it, which by default is relative to the page (and so 404s). Point that module
  //    path at the folder this script was served from: _static/widgets-setup.js -> _static/widgets.
  var here = document.currentScript && document.currentScript.src;
  var staticDir = here ? here.slice(0, here.lastIndexOf("/") + 1) : "_static/";
  window.require = {
    paths: { "@jupyter-widgets/html-manager/dist": staticDir + "widgets" },
  };

  // 2. MathJax. Widget labels are typeset with the MathJax 2 call MathJax.Hub.Queue(["Typeset",
  //    MathJax.Hub, element]); MathJax 3 has no Hub. Provide that one call on top of MathJax 3's
  //    typesetPromise, and hold back elements that arrive before MathJax has started.
  var waiting = [];
  function typeset(elements) {
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise && mj.typesetPromise) {
      mj.startup.promise = mj.startup.promise.then(function () {
        return mj.typesetPromise(elements);
      });
    } else {
      Array.prototype.push.apply(waiting, elements);
    }
  }
  var hub = {
    Queue: function () {
      for (var i = 0; i < arguments.length; i++) {
        var job = arguments[i];
        if (Array.isArray(job) && job[0] === "Typeset" && job[2]) {
          typeset([job[2]]);
        }
      }
    },
  };

  var config = (window.MathJax = window.MathJax || {});
  config.Hub = hub; // for calls made before MathJax 3 has loaded
  config.startup = config.startup || {};
  var userReady = config.startup.ready;
  config.startup.ready = function () {
    if (userReady) {
      userReady();
    } else {
      window.MathJax.startup.defaultReady();
    }
    window.MathJax.Hub = hub;
    if (waiting.length) {
      typeset(waiting.splice(0, waiting.length));
    }
  };
})();
