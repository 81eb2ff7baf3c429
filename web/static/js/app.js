// Mend: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Marks the page as enhanced: hints that need this file (Esc twice) show only then.
  document.documentElement.classList.add("js");
  var exit = document.getElementById("quick-exit");
  // Quick exit also forgets any text kept in this browser (below): someone else may be about to pick it up.
  function forgetKept() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf("mend.keep.") === 0) { localStorage.removeItem(k); }
      }
    } catch (err) { /* ignore */ }
  }
  // Quick exit ends the session too: the control is a form posting to /quick-exit (it works without this
  // file). Here the same form goes as a beacon, so leaving does not wait for Mend, and the page replaces
  // itself in history with the neutral site; Back then finds the person signed out.
  var exitForm = exit ? exit.form : null;
  function leave(e) {
    if (e) { e.preventDefault(); }
    forgetKept();
    try { sessionStorage.clear(); } catch (err) { /* ignore */ }
    var sent = false;
    if (exitForm && navigator.sendBeacon) {
      try {
        var body = new URLSearchParams(new FormData(exitForm));
        body.set("via", "beacon");
        sent = navigator.sendBeacon(exitForm.action, body);
      } catch (err) { sent = false; }
    }
    if (exitForm && !sent) { exitForm.submit(); return; }
    window.location.replace(exit ? exit.getAttribute("data-url") : "about:blank");
  }
  if (exitForm) { exitForm.addEventListener("submit", leave); }
  // The navigation's "More" closes when a tap or click lands outside it.
  var more = document.querySelector("details.more");
  if (more) {
    document.addEventListener("click", function (e) {
      if (more.open && !more.contains(e.target)) { more.open = false; }
    });
  }
  var lastEsc = 0;
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEsc < 800) { leave(); }
    lastEsc = now;
  });

  // Keep typed text of forms marked data-keep in this browser until they are sent successfully,
  // so nothing is lost if the session ends while writing. Kept text belongs to the signed-in person
  // (data-keeper on <body>), so a partner signed in on the same browser never gets it back.
  var keeper = document.body.getAttribute("data-keeper") || "";
  var forms = keeper ? document.querySelectorAll("form[data-keep]") : [];
  Array.prototype.forEach.call(forms, function (form) {
    var key = "mend.keep." + keeper + "." + form.getAttribute("data-keep");
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (err) { saved = null; }
    // data-restore="over": the kept text is newer than the saved text the page shows (it is cleared
    // whenever a save succeeds), so it replaces it.
    var over = form.getAttribute("data-restore") === "over";
    if (saved && form.getAttribute("data-restore") !== "no") {
      Object.keys(saved).forEach(function (name) {
        var el = form.elements[name];
        if (el && el.tagName === "TEXTAREA" && (over || !el.value)) { el.value = saved[name]; }
      });
    }
    form.addEventListener("input", function () {
      var data = {};
      Array.prototype.forEach.call(form.querySelectorAll("textarea"), function (t) { if (t.value) { data[t.name] = t.value; } });
      try { localStorage.setItem(key, JSON.stringify(data)); } catch (err) { /* ignore */ }
    });
  });
  // The check-in one part at a time: a form marked data-steps shows one of its sections at a time,
  // with a counter and Back / Next. Everything stays in the one form (hidden, never removed), so moving
  // on loses nothing and the post is the same as without this file, where the form is one page. The
  // server draws the counter, the buttons and the review, and marks the step to open at
  // (data-step-open); the stylesheet already shows only that step (early.js), so taking the form over
  // here moves nothing on the screen.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-steps]"), function (form) {
    var parts = form.querySelectorAll("section.step");
    var counter = form.querySelector("[data-step-progress]");
    if (parts.length < 2 || !counter) { return; }
    var count = counter.querySelector(".step-count");
    var bar = counter.querySelector("progress");
    var skip = counter.querySelector("[data-step-go=last]");
    var review = form.querySelector("[data-step-review]");
    // The review: each earlier step in a line or two (what was written, or "Not answered") with its
    // own Change button, as the server drew it, written again from what is in the form now. Built as
    // text nodes, never as markup.
    function summary() {
      if (!review) { return; }
      var items = review.querySelectorAll("li");
      Array.prototype.forEach.call(parts, function (part, i) {
        var li = items[i];
        if (!li) { return; }
        var lines = li.querySelector("div");
        while (lines.firstChild) { lines.removeChild(lines.firstChild); }
        Array.prototype.forEach.call(part.querySelectorAll("textarea, fieldset"), function (el) {
          var label, value;
          if (el.tagName === "TEXTAREA") {
            var l = form.querySelector('label[for="' + el.id + '"]');
            label = l ? l.textContent.trim() : "";
            value = el.value.trim();
          } else {
            var on = el.querySelector("input:checked");
            label = el.getAttribute("data-label") || "";
            value = on ? on.parentNode.textContent.trim() : "";
          }
          var p = document.createElement("p");
          var b = document.createElement("strong");
          b.textContent = label + ": ";
          p.appendChild(b);
          p.appendChild(document.createTextNode(value || "Not answered"));
          lines.appendChild(p);
        });
      });
      review.hidden = false;
    }
    function show(i, focus) {
      Array.prototype.forEach.call(parts, function (part, j) { part.hidden = j !== i; });
      count.textContent = "Step " + (i + 1) + " of " + parts.length + ": " + parts[i].getAttribute("data-step");
      bar.max = parts.length;
      bar.value = i + 1;
      if (skip) { skip.hidden = i === parts.length - 1; }
      if (i === parts.length - 1) { summary(); }
      if (focus) {
        var first = parts[i].querySelector("textarea, .step-title");
        if (first && first.classList.contains("step-title")) { first.tabIndex = -1; }
        if (first) { first.focus({ preventScroll: true }); }
        // Each step starts at the top of the screen, its counter in view below the quick exit.
        counter.scrollIntoView({ block: "start" });
      }
    }
    var start = 0;
    Array.prototype.forEach.call(parts, function (part, i) {
      if (part.hasAttribute("data-step-open")) { start = i; }
      Array.prototype.forEach.call(part.querySelectorAll(".step-nav [data-step-go]"), function (b) {
        var to = b.getAttribute("data-step-go") === "back" ? i - 1 : i + 1;
        b.addEventListener("click", function () { show(to, true); });
      });
    });
    if (skip) { skip.addEventListener("click", function () { show(parts.length - 1, true); }); }
    if (review) {
      Array.prototype.forEach.call(review.querySelectorAll(".step-change"), function (b, i) {
        b.addEventListener("click", function () { show(i, true); });
      });
    }
    counter.hidden = false;
    show(start, false);
    form.classList.add("stepping");
  });
  // The acknowledgment's phrase hints while the person writes: the same rules as the server
  // (internal/plan/hints.go, sent in the page as <template id="hint-rules">), applied the same way: the
  // text folded (lower case, straight apostrophes, runs of space as one), phrases as whole words, quoted
  // as typed, at most one hint per rule and field. Without this file the hints appear after saving.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-hints]"), function (form) {
    var tpl = document.getElementById(form.getAttribute("data-hints"));
    var box = document.querySelector("[data-live-hints]");
    if (!tpl || !tpl.content || !box) { return; }
    var list = box.querySelector("ul");
    var rules = Array.prototype.map.call(tpl.content.querySelectorAll("p"), function (p) {
      var phrases = Array.prototype.map.call(p.querySelectorAll("s"), function (x) { return x.textContent; });
      return { phrases: phrases, message: p.firstChild ? p.firstChild.textContent : "" };
    });
    var space = /\s/u, word = /[\p{L}\p{N}']/u;
    function fold(s) {
      var text = "", span = [], spaceFrom = -1;
      for (var i = 0; i < s.length;) {
        var ch = String.fromCodePoint(s.codePointAt(i)), size = ch.length;
        if (space.test(ch)) {
          if (spaceFrom < 0 && text.length > 0) { spaceFrom = i; }
          i += size;
          continue;
        }
        if (spaceFrom >= 0) { text += " "; span.push([spaceFrom, i]); spaceFrom = -1; }
        var r = ch.toLowerCase();
        if (r === "\u2019" || r === "\u2018" || r === "\u02bc") { r = "'"; }
        for (var k = 0; k < r.length; k++) { span.push([i, i + size]); }
        text += r;
        i += size;
      }
      return { text: text, span: span };
    }
    function charBefore(t, i) { return i > 0 ? String.fromCodePoint(t.codePointAt(i - 1 - (i > 1 && /[\udc00-\udfff]/.test(t[i - 1]) ? 1 : 0))) : ""; }
    function find(t, phrase) {
      for (var from = 0; ;) {
        var i = t.indexOf(phrase, from);
        if (i < 0) { return -1; }
        var end = i + phrase.length;
        var after = end < t.length ? String.fromCodePoint(t.codePointAt(end)) : "";
        if (!word.test(charBefore(t, i)) && !word.test(after)) { return i; }
        from = i + 1;
      }
    }
    var shown = null;
    function update() {
      var hints = [];
      Array.prototype.forEach.call(form.querySelectorAll("textarea"), function (el) {
        var label = form.querySelector('label[for="' + el.id + '"]');
        var f = fold(el.value);
        rules.forEach(function (rule) {
          for (var j = 0; j < rule.phrases.length; j++) {
            var at = find(f.text, rule.phrases[j]);
            if (at >= 0) {
              var quoted = el.value.slice(f.span[at][0], f.span[at + rule.phrases[j].length - 1][1]);
              hints.push([label ? label.textContent.trim() : "", quoted, rule.message]);
              break;
            }
          }
        });
      });
      var key = JSON.stringify(hints);
      if (key === shown) { return; }
      shown = key;
      while (list.firstChild) { list.removeChild(list.firstChild); }
      hints.forEach(function (h) {
        var li = document.createElement("li");
        var b = document.createElement("strong");
        b.textContent = h[0] + ":";
        li.appendChild(b);
        li.appendChild(document.createTextNode(" \u201c" + h[1] + "\u201d. " + h[2]));
        list.appendChild(li);
      });
      box.hidden = hints.length === 0;
    }
    form.addEventListener("input", update);
  });

  // A new couple's time zone: the browser's own, instead of the UTC the page chose without this file.
  var zone = document.querySelector("select[data-browser-zone]");
  var browserZone = "";
  try { browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (err) { browserZone = ""; }
  if (zone && browserZone && browserZone !== zone.value) {
    var known = Array.prototype.some.call(zone.options, function (o) { return o.value === browserZone; });
    if (!known) {
      var opt = document.createElement("option");
      opt.value = browserZone;
      opt.textContent = browserZone;
      zone.appendChild(opt);
    }
    zone.value = browserZone;
    var zoneNote = document.getElementById("timezone-default");
    if (zoneNote) { zoneNote.textContent = "Your browser's time zone, " + browserZone + ", is chosen. Change it if your clock is different."; }
  }

  // The invite link's Copy button, and Share where the browser can share (Web Share API).
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (btn) {
    var field = document.getElementById(btn.getAttribute("data-copy"));
    var status = document.querySelector('[data-copied="' + btn.getAttribute("data-copy") + '"]');
    if (!field) { return; }
    function copied() { if (status) { status.textContent = "The link is copied. Paste it into a message only your partner will see."; } }
    function fallback() {
      field.focus();
      field.select();
      try { if (document.execCommand("copy")) { copied(); } } catch (err) { /* the link stays selected to copy by hand */ }
    }
    btn.hidden = false;
    btn.addEventListener("click", function () {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(copied, fallback);
      } else {
        fallback();
      }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-share]"), function (btn) {
    var field = document.getElementById(btn.getAttribute("data-share"));
    if (!field || !navigator.share) { return; }
    btn.hidden = false;
    btn.addEventListener("click", function () {
      navigator.share({ url: field.value }).catch(function () { /* cancelled: nothing to do */ });
    });
  });

  var done = document.querySelector("[data-kept-done]");
  if (done && keeper) {
    try { localStorage.removeItem("mend.keep." + keeper + "." + done.getAttribute("data-kept-done")); } catch (err) { /* ignore */ }
  }
})();
