"""Callout and FAQ rows on a refused stale save, lined up with the rows saved now.

The refused form comes back with the person's rows, but the other save may have added rows
the form never had, or deleted rows it still holds. Bound as they were posted, the first would
be invisible and the second an error. Lined up, the form holds every row of both versions:

- a row both have stays where it was, holding yours;
- a row only they have (they added it) is added, holding theirs, ticked for deletion: that is
  "yours", and one choice keeps it;
- a row they deleted that you still have becomes a new row holding yours.

The formsets are bound to the lined-up data and the merge panel offers each row that the
other save changed, so no row of theirs is dropped without being shown.
"""

import json

from django.http import QueryDict

from .models import Callout, FAQEntry
from .revisions import edit_token

ROW_SETS = {
    "callouts": (Callout, ["kind", "label", "marker", "body"]),
    "faq_entries": (FAQEntry, ["question", "answer"]),
}


def is_stale(article, data):
    """Was the posted change form opened at another version of the article than the saved?"""
    return article.pk is not None and data.get("loaded_version") != edit_token(article.updated_at)


def _number(value):
    return int(value) if str(value).isdigit() else None


def _text(value):
    return str(value if value is not None else "").replace("\r\n", "\n").strip()


def _posted_rows(data, prefix):
    total = min(_number(data.get(f"{prefix}-TOTAL_FORMS")) or 0, 1000)
    start = f"{prefix}-"
    rows = [{} for _ in range(total)]
    for key in data:
        index, _, name = key.removeprefix(start).partition("-")
        if key.startswith(start) and index.isdigit() and int(index) < total:
            rows[int(index)][name] = data.get(key)
    return rows


def line_up(article, data, prefix):
    """The rows of `prefix` as the refused form should hold them: a list of (row, row_id,
    saved) with `row` the posted fields by name, `row_id` the row's id in either version
    (None for a row new in the form), `saved` the row saved now (None when deleted), and the
    number of rows that exist (they come first)."""
    model, fields = ROW_SETS[prefix]
    saved = {row["id"]: row for row in model.objects.filter(article=article).values("id", *fields)}
    posted = _posted_rows(data, prefix)
    initial = min(_number(data.get(f"{prefix}-INITIAL_FORMS")) or 0, len(posted))
    kept, gone = [], []
    for row in posted[:initial]:
        row_id = _number(row.get("id"))
        if row_id in saved:
            kept.append((row, row_id, saved[row_id]))
        else:
            gone.append(({**row, "id": ""}, row_id, None))
    held = {row_id for _, row_id, _ in kept}
    added = [
        ({**{name: str(values[name]) for name in fields}, "id": str(row_id), "DELETE": "on"},
         row_id, values)
        for row_id, values in saved.items()
        if row_id not in held
    ]  # fmt: skip
    for row, _, _ in added:
        row["article"] = str(article.pk)
    new = [(row, None, None) for row in posted[initial:]]
    return kept + added + gone + new, len(kept) + len(added)


def lined_up_data(article, data):
    """The posted data with every row set lined up (see line_up), for the formsets."""
    result = QueryDict(mutable=True)
    for key in data:
        if not any(key.startswith(f"{prefix}-") for prefix in ROW_SETS):
            result.setlist(key, data.getlist(key))
    for prefix in ROW_SETS:
        rows, existing = line_up(article, data, prefix)
        for key in ("MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            if f"{prefix}-{key}" in data:
                result[f"{prefix}-{key}"] = data[f"{prefix}-{key}"]
        result[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        result[f"{prefix}-INITIAL_FORMS"] = str(existing)
        for index, (row, _, _) in enumerate(rows):
            for name, value in row.items():
                result[f"{prefix}-{index}-{name}"] = value
    return result


def _opened_rows(opened):
    """The rows of each set saved with the version the form was opened at, by id."""
    found = {prefix: {} for prefix in ROW_SETS}
    names = {model._meta.model_name: prefix for prefix, (model, _) in ROW_SETS.items()}
    for version in opened.revision.version_set.select_related("content_type"):
        prefix = names.get(version.content_type.model)
        values = version.field_dict
        if prefix and str(values.get("article_id")) == str(opened.object_id):
            found[prefix][values.get("id")] = values
    return found


def _same(fields, one, other):
    if one is None or other is None:
        return one is None and other is None
    return all(_text(one.get(name)) == _text(other.get(name)) for name in fields)


def _describe(prefix, values):
    if values is None:
        return ""
    if prefix == "callouts":
        kind = dict(Callout.Kind.choices).get(values.get("kind"), values.get("kind"))
        return (
            f"{kind}: {_text(values.get('label'))} (marker [[callout:{values.get('marker')}]])\n"
            f"{_text(values.get('body'))}"
        )
    return f"Q: {_text(values.get('question'))}\n{_text(values.get('answer'))}"


def _title(prefix, theirs, yours):
    values = theirs or yours
    if prefix == "callouts":
        return f"Callout “{_text(values.get('label')) or values.get('marker')}”"
    return f"FAQ “{_text(values.get('question'))}”"


def row_conflicts(article, data, opened):
    """One entry per callout or FAQ row the other save changed, added or deleted that the
    refused form does not hold the same: what the merge panel offers, with the row's place in
    the lined-up form. `opened` is the version the form was opened at (None when unknown:
    then every difference counts as theirs)."""
    opened_rows = _opened_rows(opened) if opened else None
    conflicts = []
    for prefix, (_, fields) in ROW_SETS.items():
        rows, _ = line_up(article, data, prefix)
        for index, (row, row_id, saved) in enumerate(rows):
            if row_id is None:
                continue  # new in the form: theirs never had it
            yours = None if row.get("DELETE") else row
            if opened_rows is not None and _same(fields, opened_rows[prefix].get(row_id), saved):
                continue  # they left this row as it was
            if _same(fields, saved, yours):
                continue
            theirs_values = {name: _text(saved[name]) for name in fields} if saved else None
            yours_values = {name: _text(row.get(name)) for name in fields}
            conflicts.append(
                {
                    "name": None,
                    "row": f"{prefix}-{index}",
                    "kind": "callout" if prefix == "callouts" else "faq",
                    "label": _title(prefix, saved, row),
                    "theirs": _describe(prefix, saved),
                    "yours": _describe(prefix, yours),
                    "theirs_missing": saved is None,
                    "yours_missing": yours is None,
                    "theirs_values": json.dumps(theirs_values),
                    "yours_values": json.dumps(yours_values),
                }
            )
    return conflicts
