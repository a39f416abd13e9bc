// The statement in focus: hovering over or focusing a marked passage shows its statement (the
// card listed under the text) in the panel beside the text. Without script the cards are there.
(function () {
  "use strict";
  var panel = document.getElementById("panel");
  if (!panel) {
    return;
  }
  var shown = null;
  function show(target) {
    var passage = target && target.closest ? target.closest(".passage") : null;
    if (!passage || passage.getAttribute("data-st") === shown) {
      return;
    }
    var card = document.getElementById("info-" + passage.getAttribute("data-st"));
    if (!card) {
      return;
    }
    shown = passage.getAttribute("data-st");
    var copy = card.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
    panel.replaceChildren(copy);
  }
  document.addEventListener("focusin", function (event) { show(event.target); });
  document.addEventListener("mouseover", function (event) { show(event.target); });
  if (location.hash.indexOf("#st-") === 0) {
    show(document.getElementById(decodeURIComponent(location.hash.slice(1))));
  }
})();
