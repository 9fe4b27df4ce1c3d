"""Article revisions with django-reversion, and what they tell a stale form.

An article's revision holds the article with its callouts and FAQ entries, so a restore brings
all three back together. Corrections and the audit log are records of what happened, not
content to roll back: they are left out, so restoring an old revision never deletes them.

A restore puts back one article only. A revision may hold other objects too (a list action
saves several articles in one revision): they are left alone. The objects are saved normally,
not raw, so the caches hear of it, and the form saved on top goes through the publishing action.
"""

import difflib
from contextlib import nullcontext
from datetime import UTC, datetime

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404
from django.utils import timezone
from reversion.models import Version
from reversion.utils import mute_signals

from .models import Article, Author, Callout, FAQEntry, Section, Status

reversion.register(Callout)
reversion.register(FAQEntry)
reversion.register(Article, follow=["callouts", "faq_entries"])

# What a restore leaves as it is for someone who may not publish: publishing is an editor's call.
PUBLISHING_FIELDS = ("status", "published_at")


def article_version(version_id, article_pk=None):
    """The version `version_id` of an Article: of the article `article_pk`, or, with None, of an
    article that no longer exists (the only kind the recover view brings back). Else 404."""
    versions = Version.objects.get_for_model(Article)
    if article_pk is None:
        versions = Version.objects.get_deleted(Article)
    else:
        versions = versions.filter(object_id=str(article_pk))
    version = versions.filter(pk=version_id).first()
    if version is None:
        raise Http404("No such revision of this article.")
    return version


def put_back(version, *, keep_publishing):
    """Restore the article of `version` with its own callouts and FAQ entries from the same
    revision, and nothing else. With `keep_publishing`, the status and publication time stay
    as they are now (or draft for an article being recovered)."""
    old = version._object_version
    article = old.object
    current = Article.objects.filter(pk=article.pk).first()
    if keep_publishing:
        for name in PUBLISHING_FIELDS:
            setattr(article, name, getattr(current, name) if current else None)
        if current is None:
            article.status = Status.DRAFT
    if Article.objects.filter(slug=article.slug).exclude(pk=article.pk).exists():
        article.slug = current.slug if current else f"{article.slug}-restored"
    article._stored_slug = current.slug if current else None
    # Who started the article stays who started it (a login deleted since is no one).
    article.created_by_id = current.created_by_id if current else _existing_user(article)
    saved_at = article.updated_at
    article.save()
    # The restore form was opened at the revision's version: keep its time, so that the form
    # saved on top is not refused as stale.
    Article.objects.filter(pk=article.pk).update(updated_at=saved_at)
    article.updated_at = saved_at
    article.authors.set(Author.objects.filter(pk__in=old.m2m_data.get("authors", [])))
    for model in (Callout, FAQEntry):
        _put_back_children(version.revision, article, model)
    return article


def _existing_user(article):
    user_model = Article._meta.get_field("created_by").related_model
    pk = article.created_by_id
    return pk if pk is not None and user_model.objects.filter(pk=pk).exists() else None


def _put_back_children(revision, article, model):
    kind = ContentType.objects.get_for_model(model)
    restored = []
    for version in revision.version_set.filter(content_type=kind):
        child = version._object_version.object
        if child.article_id != article.pk:
            continue  # another article's: never touched from here
        if model.objects.filter(pk=child.pk).exclude(article_id=article.pk).exists():
            continue
        child.save()
        restored.append(child.pk)
    for extra in model.objects.filter(article=article).exclude(pk__in=restored):
        extra.delete()


def restore_form_view(model_admin, request, version, template_name, context, keep_publishing):
    """django-reversion's restore form, putting back one article instead of the whole revision.

    GET shows the form filled from the revision and rolls everything back; a POST that saves
    keeps it, with the form's own save (and its permission checks) on top.
    """
    quiet = mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
    signals = quiet if request.method == "GET" else nullcontext()
    try:
        with transaction.atomic(), signals:
            article = put_back(version, keep_publishing=keep_publishing)
            with model_admin.create_revision(request):
                response = model_admin.changeform_view(
                    request, str(article.pk), request.path, context
                )
                if request.method == "POST" and response.status_code == 302:
                    when = timezone.localtime(version.revision.date_created)
                    reversion.set_comment(
                        f"Restored the revision saved on {when.strftime('%-d %b %Y %H:%M')}."
                    )
                    return response
                response.template_name = template_name
                response.render()
                raise _Undo(response)
    except _Undo as undo:
        return undo.response


class _Undo(Exception):
    def __init__(self, response):
        self.response = response


# Fields an editor recognises in "what changed".
COMPARED_FIELDS = [
    field
    for field in Article._meta.concrete_fields
    if field.editable and field.name not in ("id", "created_at", "updated_at")
]


def edit_token(updated_at):
    """The version a change form was opened at: the article's updated_at to the millisecond
    (the precision revisions store it with)."""
    moment = updated_at.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000).isoformat()


def saves_since(article, token, limit=50):
    """Revisions saved after the one a form was opened at, newest first, and that one's version
    (None when it is older than `limit` saves or was never recorded)."""
    newer = []
    versions = Version.objects.get_for_object(article).select_related("revision__user")
    for version in versions[:limit]:
        saved_at = version.field_dict.get("updated_at")
        if saved_at and edit_token(saved_at) == token:
            return newer, version
        newer.append(version)
    return newer, None


def _same(old, new):
    if isinstance(old, datetime) and isinstance(new, datetime):
        return edit_token(old) == edit_token(new)
    return old == new


def stale_form_message(article, token):
    """Tell the person holding a stale form who changed the article since, when, and what."""
    newer, opened = saves_since(article, token)
    saves = []
    for version in newer:
        revision = version.revision
        who = revision.user.get_username() if revision.user else "someone"
        when = timezone.localtime(revision.date_created).strftime("%-d %b %H:%M")
        saves.append(f"{who} at {when}" + (f" ({revision.comment})" if revision.comment else ""))
    if opened is not None:
        changed = [
            str(field.verbose_name)
            for field in COMPARED_FIELDS
            if not _same(opened.field_dict.get(field.attname), getattr(article, field.attname))
        ]
    else:
        changed = []
    parts = ["Someone saved this article after you opened it, so your save was refused."]
    if saves:
        parts.append("Saved by " + "; ".join(saves) + ".")
    else:
        when = timezone.localtime(article.updated_at).strftime("%-d %b %H:%M")
        parts.append(f"It was last changed at {when}.")
    if changed:
        parts.append("Fields that changed: " + ", ".join(changed) + ".")
    parts.append(
        "Your text is kept in the form. Above, each field they changed is shown beside "
        "yours: choose per field, then save again to store the form as it then stands."
    )
    return " ".join(parts)


# What a person can take from the other version with one choice on the refused form.
CHOOSABLE_FIELDS = [
    "title", "slug", "standfirst", "kicker", "body", "seo_title", "seo_description",
    "canonical_url",
]  # fmt: skip


def _text(value):
    return str(value if value is not None else "").replace("\r\n", "\n").strip()


def callouts_text(rows):
    return "\n\n".join(
        f"[{row.get('marker', '')}] {row.get('kind', '')}: {_text(row.get('label'))}\n"
        f"{_text(row.get('body'))}"
        for row in rows
    )


def faq_text(rows):
    return "\n\n".join(
        f"Q: {_text(row.get('question'))}\n{_text(row.get('answer'))}" for row in rows
    )


def _saved_rows(article):
    callouts = list(article.callouts.values("marker", "kind", "label", "body"))
    faq = list(article.faq_entries.values("question", "answer"))
    return callouts_text(callouts), faq_text(faq)


def opened_version(article, token):
    """The version of the article a change form was opened at, or None when unknown."""
    return saves_since(article, token)[1] if token else None


def stale_conflicts(article, opened, data):
    """Field by field, what the other save changed that the refused form does not hold.

    Each entry: name (the form field one choice takes), label, theirs, yours. Nothing the
    other person wrote is left out: when the version the form was opened at (`opened`) is
    unknown, every difference counts as theirs. The rows are articles/merging.py's.
    """
    conflicts = []
    for name in CHOOSABLE_FIELDS:
        field = Article._meta.get_field(name)
        theirs = _text(getattr(article, field.attname))
        yours = _text(data.get(name))
        they_changed = opened is None or _text(opened.field_dict.get(field.attname)) != theirs
        if they_changed and theirs != yours:
            conflicts.append(
                {"name": name, "label": field.verbose_name, "theirs": theirs, "yours": yours}
            )
    return conflicts


def revision_rows(article_version):
    """The callouts and FAQ saved with an article's version, as the compare and merge views
    show them (a revision may hold other articles too: a list action saves several)."""
    callouts, faq = [], []
    for version in article_version.revision.version_set.select_related("content_type"):
        model = version.content_type.model
        if str(version.field_dict.get("article_id")) != str(article_version.object_id):
            continue
        if model == "callout":
            callouts.append(version.field_dict)
        elif model == "faqentry":
            faq.append(version.field_dict)
    callouts.sort(key=lambda row: (row.get("order", 0), row.get("id", 0)))
    faq.sort(key=lambda row: (row.get("order", 0), row.get("id", 0)))
    return {"callouts": callouts_text(callouts), "faq": faq_text(faq)}


def _field_texts(values):
    """Readable text for each compared field, keyed by its label."""
    texts = {}
    for field in COMPARED_FIELDS:
        value = values.get(field.attname)
        if field.name == "section":
            value = Section.objects.filter(pk=value).values_list("name", flat=True).first()
        elif isinstance(value, datetime):
            value = timezone.localtime(value).strftime("%-d %b %Y %H:%M")
        elif field.choices and value is not None:
            value = dict(field.flatchoices).get(value, value)
        texts[str(field.verbose_name).capitalize()] = _text(value)
    authors = values.get("authors") or []
    names = Author.objects.filter(pk__in=authors).values_list("name", flat=True)
    texts["Byline"] = ", ".join(sorted(names))
    return texts


def revision_snapshot(version):
    """One revision of an article as label -> text, with its callouts and FAQ."""
    return {**_field_texts(version.field_dict), **_labelled(revision_rows(version))}


def article_snapshot(article):
    values = {field.attname: getattr(article, field.attname) for field in COMPARED_FIELDS}
    values["authors"] = list(article.authors.values_list("pk", flat=True))
    callouts, faq = _saved_rows(article)
    return {**_field_texts(values), **_labelled({"callouts": callouts, "faq": faq})}


def _labelled(rows):
    return {"Callouts": rows["callouts"], "FAQ": rows["faq"]}


def differences(old, new):
    """Per label that differs: the changed lines with a little context, for a template."""
    changes = []
    for label in old.keys() | new.keys():
        before, after = old.get(label, ""), new.get(label, "")
        if before == after:
            continue
        lines = []
        diff = difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=1)
        for line in list(diff)[2:]:
            if line.startswith("@@"):
                lines.append(("gap", "…"))
            else:
                lines.append(({"+": "ins", "-": "del"}.get(line[:1], "same"), line[1:]))
        changes.append({"label": label, "lines": lines})
    order = list(new) + [label for label in old if label not in new]
    return sorted(changes, key=lambda change: order.index(change["label"]))
