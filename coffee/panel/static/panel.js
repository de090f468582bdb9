// The panel's own script. The Content-Security-Policy runs no inline script, so what
// Flask-Admin's pages did in inline handlers is done here: links that only open a menu do not
// navigate, and the bulk actions' menu items ("With selected") run their action.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='javascript:']");
    if (link) {
      event.preventDefault();
    }
    var action = event.target.closest("[data-panel-action]");
    if (action && window.modelActions) {
      window.modelActions.execute(action.getAttribute("data-panel-action"));
    }
  }, true);
})();
