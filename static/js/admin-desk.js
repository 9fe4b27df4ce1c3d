"use strict";
// The writing desk on the article change form: the live preview of the page, callouts
// inserted at the cursor, the draft kept in this browser, the autosave on the server, and
// the per-field choice after a refused stale save. No inline script: the admin's CSP holds.
(function () {
  var PREVIEW_DELAY = 400;
  var DRAFT_DELAY = 500;
  var AUTOSAVE_EVERY = 5000;
  var SKIPPED = ["csrfmiddlewaretoken", "loaded_version"];

  function debounce(fn, wait) {
    var timer;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, wait);
    };
  }

  function clock(date) {
    return date.toTimeString().slice(0, 8);
  }

  function formData(form) {
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      data.delete(input.name);
    });
    return data;
  }

  function post(url, data) {
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) {
        throw new Error("HTTP " + r.status);
      }
      return r;
    });
  }

  // The fields a draft holds: name -> value, or a list of values for multiple choices.
  function snapshot(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.indexOf("__prefix__") !== -1 || SKIPPED.indexOf(el.name) !== -1) {
        return;
      }
      if (el.type === "file" || el.type === "submit" || el.type === "button" || el.name.indexOf("merge-") === 0) {
        return;
      }
      if (el.type === "checkbox") {
        fields[el.name] = el.checked ? [el.value] : [];
      } else if (el.type === "radio") {
        if (el.checked) {
          fields[el.name] = [el.value];
        }
      } else if (el.multiple) {
        fields[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        fields[el.name] = [el.value];
      }
    });
    return fields;
  }

  function setField(form, name, values) {
    var elements = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    elements.forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else if (el.tagName === "SELECT") {
        if (Array.prototype.some.call(el.options, function (o) { return o.value === values[0]; })) {
          el.value = values[0];
        }
      } else if (el.type !== "hidden" || /-(id|article|TOTAL_FORMS|INITIAL_FORMS)$/.test(name) === false) {
        el.value = values[0] === undefined ? "" : values[0];
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function restore(form, fields) {
    // Inline rows the draft has and the page does not: add them first, as a click would.
    Object.keys(fields).forEach(function (name) {
      var match = /^(.+)-TOTAL_FORMS$/.exec(name);
      if (!match) {
        return;
      }
      var total = form.querySelector('[name="' + CSS.escape(name) + '"]');
      var add = document.querySelector("#" + CSS.escape(match[1]) + "-group .add-row a");
      var wanted = parseInt(fields[name][0], 10);
      while (total && add && parseInt(total.value, 10) < wanted) {
        add.click();
      }
    });
    Object.keys(fields).forEach(function (name) {
      if (!/-(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)$/.test(name)) {
        setField(form, name, fields[name]);
      }
    });
  }

  function differs(form, fields) {
    var now = snapshot(form);
    return Object.keys(fields).some(function (name) {
      return JSON.stringify(now[name] || []) !== JSON.stringify(fields[name]);
    });
  }

  function offer(text, onRestore, onDiscard) {
    var box = document.querySelector("[data-recover]");
    if (!box) {
      return;
    }
    box.querySelector("[data-recover-text]").textContent = text;
    box.hidden = false;
    box.querySelector("[data-recover-restore]").onclick = function () {
      box.hidden = true;
      onRestore();
    };
    box.querySelector("[data-recover-discard]").onclick = function () {
      box.hidden = true;
      onDiscard();
    };
  }

  function draftKey(desk) {
    return "insidersfeed:draft:" + desk.dataset.draftKey;
  }

  function loadedVersion(form) {
    var version = form.querySelector("[name=loaded_version]");
    return version ? version.value : "";
  }

  function keepDraft(form, desk, status) {
    var key = draftKey(desk);
    var hasErrors = document.querySelector(".errornote") !== null;
    var stored = null;
    try {
      stored = JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      stored = null;
    }
    var current = loadedVersion(form);
    var offered = false;
    // A success message after a submit: that save went through (the add form's draft too).
    if (!hasErrors && document.querySelector(".messagelist .success")) {
      Object.keys(window.localStorage).forEach(function (name) {
        if (name.indexOf("insidersfeed:draft:") === 0) {
          try {
            if (JSON.parse(window.localStorage.getItem(name)).submitted) {
              window.localStorage.removeItem(name);
            }
          } catch (error) {
            window.localStorage.removeItem(name);
          }
        }
      });
      stored = null;
    }
    if (stored) {
      var saved = stored.submitted && !hasErrors && (!current || stored.version !== current);
      if (saved || !differs(form, stored.fields)) {
        window.localStorage.removeItem(key);
      } else if (!hasErrors) {
        offered = true;
        offer(
          "Unsaved changes from " + clock(new Date(stored.savedAt)) + " are kept in this browser.",
          function () { restore(form, stored.fields); },
          function () { window.localStorage.removeItem(key); }
        );
      }
    }
    var submitting = false;
    var write = debounce(function () {
      if (submitting) {
        return;  // a late keystroke's timer must not undo the mark the submit left
      }
      window.localStorage.setItem(draftKey(desk), JSON.stringify({
        savedAt: Date.now(), version: loadedVersion(form), submitted: false, fields: snapshot(form),
      }));
      status.textContent = "Draft kept in this browser at " + clock(new Date()) + ".";
    }, DRAFT_DELAY);
    // Only what the person does: widgets that set themselves up at load write no draft.
    function written(event) {
      if (event.isTrusted) {
        write();
      }
    }
    form.addEventListener("input", written);
    form.addEventListener("change", written);
    form.addEventListener("submit", function () {
      submitting = true;
      window.localStorage.setItem(draftKey(desk), JSON.stringify({
        savedAt: Date.now(), version: loadedVersion(form), submitted: true, fields: snapshot(form),
      }));
    });
    return offered;
  }

  function autosave(form, desk, status, offered) {
    var url = desk.dataset.autosaveUrl;
    if (!url) {
      return;
    }
    var pending = document.getElementById("desk-autosave");
    if (pending && !offered) {
      var saved = JSON.parse(pending.textContent);
      offer(
        "Your work " + saved.label + " is newer than the saved article.",
        function () { restore(form, saved.data); },
        function () {
          var data = new FormData();
          data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
          data.append("discard", "1");
          post(url, data);
        }
      );
    }
    var dirty = false;
    var sending = false;
    var held = false;
    var heldSubmitter = null;
    form.addEventListener("input", function () { dirty = true; });
    // A save while the add form's autosave is making the article waits for it, and then goes
    // to that article's change form.
    var submitted = false;
    form.addEventListener("submit", function (event) {
      if (sending && "newArticle" in desk.dataset) {
        event.preventDefault();
        held = true;
        heldSubmitter = event.submitter || null;
        return;
      }
      // The save is on its way: an autosave now would race it, and on the add form make a
      // second article beside the one the save adds.
      submitted = true;
    });
    window.setInterval(function () {
      var title = form.elements.title;
      // A new article is made from its headline: until there is one, the browser keeps it.
      if (submitted || !dirty || sending ||
          ("newArticle" in desk.dataset && !(title && title.value.trim()))) {
        return;
      }
      dirty = false;
      sending = true;
      post(desk.dataset.autosaveUrl, formData(form)).then(function (r) { return r.json(); }).then(function (body) {
        if (body.change_url) {
          becomeArticle(form, desk, body);
          status.textContent = "Saved as a draft at " + body.label + " (not published).";
        } else {
          status.textContent = "Autosaved at " + body.label + " (not published).";
        }
      }).catch(function () {
        dirty = true;
        status.textContent = "Autosave failed; your draft is still kept in this browser.";
      }).finally(function () {
        sending = false;
        if (held) {
          held = false;
          form.requestSubmit(heldSubmitter);
        }
      });
    }, AUTOSAVE_EVERY);
  }

  // The add form's first autosave made the article: from now on this page is its change
  // form, so that the next save (by hand or automatic) updates it instead of adding another.
  function becomeArticle(form, desk, body) {
    var oldKey = draftKey(desk);
    form.action = body.change_url;
    window.history.replaceState(null, "", body.change_url);
    desk.dataset.autosaveUrl = body.autosave_url;
    delete desk.dataset.newArticle;
    desk.dataset.draftKey = body.change_url;
    var kept = window.localStorage.getItem(oldKey);
    window.localStorage.removeItem(oldKey);
    if (kept) {
      window.localStorage.setItem(draftKey(desk), kept);
    }
    form.elements.loaded_version.value = body.loaded_version;
    Object.keys(body.fields).forEach(function (name) {
      if (!form.elements[name]) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = body.fields[name];
        form.appendChild(input);
      }
    });
    var frame = document.querySelector(".desk-preview__frame");
    if (frame) {
      frame.dataset.previewUrl = body.preview_url;
    }
  }

  function livePreview(form, frame) {
    var refresh = debounce(function () {
      post(frame.dataset.previewUrl, formData(form)).then(function (r) { return r.text(); }).then(function (html) {
        var scroll = frame.contentWindow ? frame.contentWindow.scrollY : 0;
        frame.onload = function () {
          frame.contentWindow.scrollTo(0, scroll);
        };
        frame.srcdoc = html;
      }).catch(function () {});
    }, PREVIEW_DELAY);
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    document.addEventListener("formset:removed", refresh);
    refresh();
  }

  function slug(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  }

  function markersInUse(body) {
    var used = {};
    document.querySelectorAll("#callouts-group input[name$='-marker']").forEach(function (input) {
      if (input.name.indexOf("__prefix__") === -1 && input.value) {
        used[input.value] = true;
      }
    });
    (body.value.match(/\[\[callout:([a-z0-9_-]+)\]\]/g) || []).forEach(function (m) {
      used[m.slice(10, -2)] = true;
    });
    return used;
  }

  function freeMarker(base, body, except) {
    var used = markersInUse(body);
    delete used[except];
    var marker = base;
    for (var n = 2; used[marker]; n++) {
      marker = base + "-" + n;
    }
    return marker;
  }

  function insertAtCursor(body, line) {
    var start = body.selectionStart;
    var before = body.value.slice(0, start);
    var after = body.value.slice(body.selectionEnd);
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var tail = after === "" || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    body.value = before + lead + line + tail + after;
    var cursor = (before + lead + line).length;
    body.setSelectionRange(cursor, cursor);
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function insertCallout(kind, body) {
    var add = document.querySelector("#callouts-group .add-row a");
    var total = document.querySelector("[name=callouts-TOTAL_FORMS]");
    if (!add || !total) {
      return;
    }
    add.click();
    var index = parseInt(total.value, 10) - 1;
    var marker = freeMarker(kind, body);
    var kindField = document.getElementById("id_callouts-" + index + "-kind");
    var markerField = document.getElementById("id_callouts-" + index + "-marker");
    kindField.value = kind;
    markerField.value = marker;
    markerField.dataset.auto = "1";
    insertAtCursor(body, "[[callout:" + marker + "]]");
    document.getElementById("id_callouts-" + index + "-label").focus();
  }

  // A marker made by "Insert callout" follows the label typed for it, in the row and the body.
  function followLabel(event, body) {
    var match = /^id_callouts-(\d+)-label$/.exec(event.target.id || "");
    if (!match) {
      return;
    }
    var markerField = document.getElementById("id_callouts-" + match[1] + "-marker");
    if (!markerField || !markerField.dataset.auto) {
      return;
    }
    var kind = document.getElementById("id_callouts-" + match[1] + "-kind").value;
    var old = markerField.value;
    var marker = freeMarker(slug(event.target.value) || kind, body, old);
    if (marker === old) {
      return;
    }
    body.value = body.value.split("[[callout:" + old + "]]").join("[[callout:" + marker + "]]");
    markerField.value = marker;
  }

  function markerLine(marker) {
    return "[[callout:" + marker + "]]";
  }

  // A kept callout row has its marker line in the body; a deleted one has none.
  function placeMarker(body, marker, present) {
    var line = markerLine(marker);
    var lines = body.value.split("\n");
    var there = lines.some(function (l) { return l.trim() === line; });
    if (present && !there) {
      body.value = body.value.replace(/\s*$/, "") + "\n\n" + line;
    } else if (!present && there) {
      body.value = lines.filter(function (l) { return l.trim() !== line; }).join("\n").replace(/\n{3,}/g, "\n\n");
    }
  }

  function setDeleted(form, row, deleted) {
    var name = row + "-DELETE";
    var box = form.querySelector('input[type=checkbox][name="' + CSS.escape(name) + '"]');
    if (box) {
      box.checked = deleted;
      return;
    }
    var hidden = form.querySelector('input[type=hidden][name="' + CSS.escape(name) + '"]');
    if (deleted && !hidden) {
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = name;
      hidden.value = "on";
      form.appendChild(hidden);
    } else if (!deleted && hidden) {
      hidden.remove();
    }
  }

  // One choice per callout or FAQ row: its fields take that version's values, or the row is
  // deleted when that version has none, and the body's marker lines follow.
  function chooseRow(form, box, side) {
    var row = box.dataset.mergeRow;
    var source = box.querySelector(side === "theirs" ? "[data-merge-theirs]" : "[data-merge-yours]");
    var missing = source.hasAttribute("data-missing");
    var values = JSON.parse(source.dataset.value || "null") || {};
    var body = form.elements.body;
    var markerField = form.elements[row + "-marker"];
    var oldMarker = markerField ? markerField.value : "";
    if (!missing) {
      Object.keys(values).forEach(function (name) {
        var field = form.elements[row + "-" + name];
        if (field) {
          field.value = values[name];
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
    }
    setDeleted(form, row, missing);
    if (box.dataset.mergeKind === "callout" && body) {
      var marker = markerField ? markerField.value : oldMarker;
      if (oldMarker && oldMarker !== marker) {
        placeMarker(body, oldMarker, false);
      }
      placeMarker(body, marker, !missing);
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function merging(form) {
    document.querySelectorAll("[data-merge-row] input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        chooseRow(form, radio.closest("[data-merge-row]"), radio.value);
      });
    });
    document.querySelectorAll("[data-merge-field] input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        var box = radio.closest("[data-merge-field]");
        var source = box.querySelector(radio.value === "theirs" ? "[data-merge-theirs]" : "[data-merge-yours]");
        var field = form.elements[box.dataset.mergeField];
        if (field && source) {
          field.value = source.dataset.value;
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var desk = document.querySelector(".desk");
    var form = desk && desk.closest("form");
    if (!form) {
      return;
    }
    var body = document.getElementById("id_body");
    var status = document.querySelector("[data-save-status]") || document.createElement("span");
    document.querySelectorAll("[data-insert-callout]").forEach(function (button) {
      button.addEventListener("click", function () { insertCallout(button.dataset.insertCallout, body); });
    });
    form.addEventListener("input", function (event) { followLabel(event, body); }, true);
    merging(form);
    // The headline block wraps like the page but stays one line: Enter moves on.
    document.querySelectorAll(".desk-headline textarea").forEach(function (area) {
      area.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
        }
      });
    });
    var offered = keepDraft(form, desk, status);
    autosave(form, desk, status, offered);
    var frame = document.querySelector(".desk-preview__frame");
    if (frame) {
      livePreview(form, frame);
    }
  });
})();
