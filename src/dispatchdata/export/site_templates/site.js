// The statement in focus: focusing or clicking a marked passage, or following its permanent link
// (also within the page: hashchange), shows its statement (the card listed under the text) in the
// panel and keeps it there; hovering over a passage previews its card only after a pause, so that
// moving the mouse to the panel across other passages does not replace it. On a narrow screen the
// panel sits at the bottom: the passage is scrolled above it, and the panel has a close button.
// Without script the panel stays hidden: each passage's speaker label links to its card.
(function () {
  "use strict";
  var panel = document.getElementById("panel");
  if (!panel) {
    return;
  }
  var PAUSE = 400;
  var shown = null;
  var pinned = null;
  var timer = null;
  var close = document.createElement("button");
  close.type = "button";
  close.className = "close";
  close.textContent = "\u00d7";
  close.setAttribute("aria-label", "Close the statement panel");
  close.addEventListener("click", function () {
    panel.classList.add("closed");
  });
  panel.hidden = false;
  document.querySelectorAll(".js-only").forEach(function (node) { node.hidden = false; });
  function passageOf(node) {
    return node && node.closest ? node.closest(".passage") : null;
  }
  function show(passage) {
    var key = passage.getAttribute("data-st");
    var card = document.getElementById("info-" + key);
    if (!card) {
      return;
    }
    panel.classList.remove("closed");
    if (key === shown) {
      return;
    }
    shown = key;
    var copy = card.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
    panel.replaceChildren(close, copy);
  }
  function reveal(passage) {
    // Only where the panel sits low on the screen (narrow screens): keep the passage above it.
    var box = panel.getBoundingClientRect();
    var where = passage.getBoundingClientRect();
    if (box.top > window.innerHeight / 3 && where.bottom > box.top) {
      window.scrollBy(0, Math.min(where.bottom - box.top + 8, where.top - 8));
    }
  }
  function pin(passage) {
    if (!passage) {
      return;
    }
    clearTimeout(timer);
    pinned = passage;
    show(passage);
    reveal(passage);
  }
  function fromHash() {
    if (location.hash.indexOf("#st-") === 0) {
      pin(document.getElementById(decodeURIComponent(location.hash.slice(1))));
    }
  }
  document.addEventListener("focusin", function (event) { pin(passageOf(event.target)); });
  document.addEventListener("click", function (event) { pin(passageOf(event.target)); });
  document.addEventListener("mouseover", function (event) {
    clearTimeout(timer);
    if (panel.contains(event.target)) {
      return;
    }
    var passage = passageOf(event.target) || pinned;
    if (passage) {
      timer = setTimeout(function () { show(passage); }, PAUSE);
    }
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
