"use strict";
// Django's autocomplete fields (select2) leave their box and their search field without a name
// a screen reader can say, and put the "clear all" cross inside the list of chosen items. This
// names each one after its field's label and moves the cross beside the list; it runs again
// whenever select2 redraws a field, since select2 rebuilds those parts on every change.
(function () {
  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label) {
      return null;
    }
    if (!label.id) {
      label.id = select.id + "-label";
    }
    return label;
  }

  function name(select) {
    var container = select.nextElementSibling;
    var label = labelOf(select);
    if (!label || !container || !container.classList.contains("select2")) {
      return;
    }
    var text = label.textContent.replace(/:\s*$/, "").trim();
    var selection = container.querySelector(".select2-selection");
    var rendered = container.querySelector(".select2-selection__rendered");
    if (selection && rendered && rendered.id) {
      // The field's name, then what is chosen.
      setOnce(selection, "aria-labelledby", label.id + " " + rendered.id);
      setOnce(rendered, "aria-labelledby", label.id);
    }
    var search = container.querySelector(".select2-search__field");
    if (search) {
      setOnce(search, "aria-label", text);
    }
    if (selection && rendered && rendered.tagName === "UL") {
      moveCross(selection, rendered);
    }
  }

  // select2 draws a new cross into the list on every change, and none once nothing is chosen.
  function moveCross(selection, list) {
    var drawn = list.querySelector(":scope > .select2-selection__clear");
    var moved = selection.querySelectorAll(":scope > .select2-selection__clear");
    if (drawn || !list.querySelector(".select2-selection__choice")) {
      moved.forEach(function (cross) {
        cross.remove();
      });
    }
    if (drawn) {
      list.before(drawn); // still inside the box, where select2 listens for its click
    }
  }

  function setOnce(element, attribute, value) {
    if (element.getAttribute(attribute) !== value) {
      element.setAttribute(attribute, value);
    }
  }

  // Only the fields' own rows are watched: the rest of the form changes on every keystroke.
  function watch(select) {
    name(select);
    new MutationObserver(function () {
      name(select);
    }).observe(select.parentNode, { childList: true, subtree: true });
  }

  function watchAll(root) {
    root.querySelectorAll("select.admin-autocomplete:not([name*=__prefix__])").forEach(watch);
  }

  document.addEventListener("DOMContentLoaded", function () {
    watchAll(document);
  });
  document.addEventListener("formset:added", function (event) {
    watchAll(event.target);
  });
})();
