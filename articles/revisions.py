"""Article revisions with django-reversion, and what they tell a stale form.

An article's revision holds the article with its callouts and FAQ entries, so a restore brings
all three back together. Corrections and the audit log are records of what happened, not
content to roll back: they are left out, so restoring an old revision never deletes them.

A restore puts back one article only. A revision may hold other objects too (a list action
saves several articles in one revision): they are left alone. The objects are saved normally,
not raw, so the caches hear of it, and the form saved on top goes through the publishing action.
"""

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

from .models import Article, Author, Callout, FAQEntry, Status

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
        "Your text is kept below. Open the article in another tab to compare, "
        "then save again to replace their version with yours."
    )
    return " ".join(parts)
