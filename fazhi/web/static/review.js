// fazhi web: keyboard-first review. No framework, no inline script (the CSP allows none).
// Report page: j/k next/previous figure, c confirm, e edit, d delete, a add from the selection,
// n next unreviewed figure of the queue, ? help, Esc leaves a field.
// Queue page: j/k move, Enter opens, n next unreviewed.
(function () {
  "use strict";
  var page = document.body.dataset.page;

  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }

  // Offsets of a DOM position inside the report's text, counted as the server counts them
  // (code points of the text, the highlights and anchors adding none).
  function offsetIn(root, node, offset) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var total = 0, n;
    while ((n = walker.nextNode())) {
      if (n === node) return total + Array.from(n.data.slice(0, offset)).length;
      total += Array.from(n.data).length;
    }
    if (node.nodeType === Node.ELEMENT_NODE) {   // a position between elements
      var range = document.createRange();
      range.setStart(root, 0);
      range.setEnd(node, offset);
      return Array.from(range.toString()).length;
    }
    return null;
  }

  function report() {
    var cards = Array.prototype.slice.call(document.querySelectorAll("#cards .card[data-key]"));
    var text = document.getElementById("report-text");
    var current = -1;

    function select(i, scroll) {
      if (!cards.length) return;
      current = Math.max(0, Math.min(i, cards.length - 1));
      cards.forEach(function (c, j) { c.classList.toggle("selected", j === current); });
      var key = cards[current].dataset.key;
      document.querySelectorAll(".fig.current").forEach(function (m) { m.classList.remove("current"); });
      document.querySelectorAll('.fig[data-figs~="' + key + '"]').forEach(function (m) { m.classList.add("current"); });
      var anchor = document.getElementById(key);
      if (anchor && scroll) anchor.scrollIntoView({ block: "center" });
      if (history.replaceState) history.replaceState(null, "", "#" + key);
    }

    var start = location.hash ? cards.findIndex(function (c) { return "#" + c.dataset.key === location.hash; }) : -1;
    if (start < 0) start = cards.findIndex(function (c) { return c.classList.contains("selected"); });
    select(start < 0 ? 0 : start, start >= 0);

    text.addEventListener("click", function (e) {
      var mark = e.target.closest(".fig");
      if (!mark) return;
      e.preventDefault();
      var first = mark.dataset.figs.split(" ")[0];
      select(cards.findIndex(function (c) { return c.dataset.key === first; }), false);
    });

    function currentCard() { return cards[current]; }
    function fill(kind) {
      var card = currentCard();
      if (!card) return;
      var form = card.querySelector(".act-" + kind);
      if (!form) return;
      if (kind === "confirm") { form.submit(); return; }
      var field = form.querySelector(kind === "correct" ? 'input[name="value"]' : 'input[name="reason"]');
      field.focus();
    }
    function addFromSelection() {
      var sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { document.getElementById("add-evidence").focus(); return; }
      var range = sel.getRangeAt(0);
      if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
      document.getElementById("add-evidence").value = sel.toString();
      document.getElementById("add-start").value = offsetIn(text, range.startContainer, range.startOffset);
      document.getElementById("add-end").value = offsetIn(text, range.endContainer, range.endOffset);
      document.getElementById("add-indicator").focus();
    }

    document.getElementById("help-button").addEventListener("click", toggleHelp);
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { if (typing(e)) e.target.blur(); document.getElementById("help").hidden = true; return; }
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      var handled = true;
      switch (e.key) {
        case "j": select(current + 1, true); break;
        case "k": select(current - 1, true); break;
        case "c": fill("confirm"); break;
        case "e": fill("correct"); break;
        case "d": fill("delete"); break;
        case "a": addFromSelection(); break;
        case "n": location.href = "/queue/next"; break;
        case "?": toggleHelp(); break;
        default: handled = false;
      }
      if (handled) e.preventDefault();
    });
  }

  function toggleHelp() {
    var help = document.getElementById("help");
    if (help) help.hidden = !help.hidden;
  }

  function queue() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.queue-row"));
    var current = -1;
    function select(i) {
      if (!rows.length) return;
      current = Math.max(0, Math.min(i, rows.length - 1));
      rows.forEach(function (r, j) { r.classList.toggle("current", j === current); });
      rows[current].focus();
    }
    document.addEventListener("keydown", function (e) {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "j") select(current + 1);
      else if (e.key === "k") select(current - 1);
      else if (e.key === "Enter" && current >= 0) location.href = rows[current].dataset.href;
      else if (e.key === "n") location.href = "/queue/next";
      else return;
      e.preventDefault();
    });
    rows.forEach(function (r, i) { r.addEventListener("focus", function () { current = i; }); });
  }

  // While a build runs, ask for its state every 3 s and reload when it ends.
  function watchBuild() {
    var marts = document.getElementById("marts-state");
    if (!marts || marts.dataset.buildState !== "running") return;
    var timer = setInterval(function () {
      fetch("/build/status", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
        if (s.state !== "running") { clearInterval(timer); location.reload(); }
      }).catch(function () { clearInterval(timer); });
    }, 3000);
  }

  if (page === "report") report();
  if (page === "queue") queue();
  watchBuild();
})();
