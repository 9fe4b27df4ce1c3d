"use strict";
// markdownx wires its editors once, at page load. Rows added later with "Add another" are
// clones of a template row that markdownx already marked as wired, so they get no editor.
// For each new row: clear that mark and run markdownx again; it wires only unmarked editors.
(function () {
  function markdownxScript() {
    return document.querySelector('script[src*="markdownx/js/markdownx"]');
  }

  document.addEventListener("formset:added", function (event) {
    var editors = event.target.querySelectorAll(".markdownx-editor");
    var original = markdownxScript();
    if (!editors.length || !original) {
      return;
    }
    editors.forEach(function (editor) {
      editor.removeAttribute("data-markdownx-init");
      var preview = editor.parentNode.querySelector(".markdownx-preview");
      if (preview) {
        preview.innerHTML = "";
      }
    });
    var again = document.createElement("script");
    again.src = original.src;
    document.head.appendChild(again);
  });

  // Show the server's reason when an image upload is refused, next to the editor.
  document.addEventListener("markdownx.init", function () {
    document.querySelectorAll(".markdownx").forEach(function (parent) {
      if (parent.dataset.uploadErrors) {
        return;
      }
      parent.dataset.uploadErrors = "shown";
      parent.addEventListener("markdownx.fileUploadError", function (event) {
        var response = event.detail && event.detail[0];
        var message = (response && response.error) || "The image could not be uploaded.";
        var note = parent.querySelector(".markdownx-upload-error");
        if (!note) {
          note = document.createElement("p");
          note.className = "errornote markdownx-upload-error";
          note.setAttribute("role", "alert");
          parent.insertBefore(note, parent.firstChild);
        }
        note.textContent = message;
        // markdownx then types "Invalid response" into the text; put the text back as it was.
        var editor = parent.querySelector(".markdownx-editor");
        var before = editor.value;
        window.setTimeout(function () {
          editor.value = before;
          editor.dispatchEvent(new Event("input"));
        }, 0);
      });
    });
  });
})();
