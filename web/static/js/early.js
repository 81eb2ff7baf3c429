// Mend: the one script that runs before the page is drawn. It marks the page as able to run scripts
// (html.js), so the stylesheet can show the stepped check-in one step at a time from the first paint
// instead of app.js folding it afterwards (a jump on the screen). Should app.js never start (a failed
// download on a poor connection), the page unfolds again once it has loaded: every step shows, as
// without JavaScript, and nothing typed is out of reach.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  window.addEventListener("load", function () {
    if (document.querySelector("form[data-steps]:not(.stepping)")) { root.classList.add("unstepped"); }
  });
})();
