"use strict";
// Live aids on the article change form: character counters, the search and social previews,
// and a notice when a published article's address is about to change. The server renders
// the same previews and warnings; this only keeps them current while typing.
(function () {
  function field(name) {
    return document.getElementById("id_" + name);
  }

  function value(name) {
    var input = field(name);
    return input ? input.value.trim() : "";
  }

  function clip(text, limit) {
    return text.length > limit ? text.slice(0, limit - 1).trimEnd() + "…" : text;
  }

  // "59 / 200 · search shows ~60": the field's real limit, and what search results show.
  function addCounter(input) {
    var searchLimit = parseInt(input.dataset.searchLimit, 10);
    var limit = input.maxLength > 0 ? input.maxLength : searchLimit;
    var counter = document.createElement("span");
    counter.className = "char-count";
    counter.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", counter);
    function update() {
      var length = input.value.length;
      counter.textContent = length + " / " + limit + " · search shows ~" + searchLimit;
      counter.classList.toggle("char-count--long", length > searchLimit);
      counter.classList.toggle("char-count--over", length > limit);
    }
    input.addEventListener("input", update);
    update();
  }

  function updatePreviews() {
    var title = value("seo_title") || value("title");
    var description = value("seo_description") || value("standfirst");
    document.querySelectorAll("[data-search-preview], [data-social-preview]").forEach(function (box) {
      box.querySelector('[data-preview="title"]').textContent = clip(title, 60);
      box.querySelector('[data-preview="description"]').textContent = clip(description, 155);
      var url = box.querySelector('[data-preview="url"]');
      if (url && value("slug")) {
        url.textContent = url.textContent.replace(/\/news\/[^/]*\/$/, "/news/" + value("slug") + "/");
      }
    });
  }

  function watchSlug(input) {
    var notice = document.createElement("p");
    notice.className = "help slug-notice";
    notice.hidden = true;
    notice.textContent =
      "This article is published: saving a new address leaves a redirect from /news/" +
      input.dataset.publishedSlug + "/ to the new one.";
    input.insertAdjacentElement("afterend", notice);
    input.addEventListener("input", function () {
      notice.hidden = input.value === input.dataset.publishedSlug;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-search-limit]").forEach(addCounter);
    ["title", "seo_title", "standfirst", "seo_description", "slug"].forEach(function (name) {
      var input = field(name);
      if (input) {
        input.addEventListener("input", updatePreviews);
      }
    });
    var slug = document.querySelector("[data-published-slug]");
    if (slug) {
      watchSlug(slug);
    }
  });
})();
