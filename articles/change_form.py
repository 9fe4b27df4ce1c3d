"""The article change form's work around the form itself, for ArticleAdmin to name: the save
through the publishing action, rows saved in the body's order, restoring a revision, what the
template shows beside the fields, and the desk's own URLs."""

from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone

from . import desk, editorial, merging, revisions, workflow
from .canonical import absolute_url
from .forms import PUBLISHING_BUTTONS
from .models import Autosave, Callout, FAQEntry, Status
from .rendering import markers_in


def save_article(request, article, form, change):
    """The form's save: who started it, then status and time through the publishing action."""
    if not change and article.created_by_id is None:
        article.created_by = request.user
    before = getattr(request, "article_state_before_revert", None)
    if before is None and change:
        before = workflow.stored_state(article)
    was_public = (
        change
        and before[0] == Status.PUBLISHED
        and before[1] is not None
        and before[1] <= timezone.now()
    )
    workflow.change_status(
        article,
        user=request.user,
        status=article.status,
        published_at=article.published_at,
        via="the change form",
        before=before,
    )
    saved_slug = form.initial.get("slug") if change else None
    if was_public and saved_slug and saved_slug != article.slug:
        messages.info(
            request,
            f"The address changed from /news/{saved_slug}/ to {article.get_absolute_url()}; "
            "readers and search engines following the old one are redirected.",
        )


def save_rows(request, form, formsets):
    """After the rows: callouts pasted as blockquotes, callouts in the body's order, FAQ
    entries in the order of their rows; the autosave is spent; the checks are said."""
    article = form.instance
    for parsed in getattr(article, "pending_callouts", []):
        Callout.objects.create(
            article=article,
            kind=parsed.kind,
            label=parsed.label,
            body=parsed.body,
            marker=parsed.marker,
        )
    placed = markers_in(article.body)
    for callout in article.callouts.all():
        order = placed.index(callout.marker) if callout.marker in placed else len(placed)
        Callout.objects.filter(pk=callout.pk).update(order=order)
    faq = next((f for f in formsets if f.model is FAQEntry), None)
    if faq is not None:
        rows = [f.instance for f in faq.forms if f.instance.pk and f not in faq.deleted_forms]
        for order, entry in enumerate(rows):
            FAQEntry.objects.filter(pk=entry.pk).update(order=order)
    Autosave.objects.filter(article=article, user=request.user).delete()
    for warning in editorial.warnings(article):
        messages.warning(request, warning)


def publishing_response(request, article):
    """A publishing button saves and stays on the article, saying where it now stands."""
    if not any(button in request.POST for button in PUBLISHING_BUTTONS):
        return None
    messages.success(request, f"“{article}” is now {article.workflow_state.lower()}.")
    return redirect("admin:articles_article_change", article.pk)


# Restoring a revision reverts the database before the form runs; remember what was there.


def revision_view(model_admin, request, object_id, version_id, extra_context=None):
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404("No such article.")
    if request.method == "POST" and not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    version = revisions.article_version(version_id, article.pk)
    request.article_state_before_revert = (article.status, article.published_at)
    context = {
        "title": f"Revert {version.object_repr}",
        "revert": True,
        "restore_changes": desk.restore_changes(article, version),
        **(extra_context or {}),
    }
    keep_publishing = not model_admin.has_publish_permission(request)
    return revisions.restore_form_view(
        model_admin, request, version, model_admin.revision_form_template, context, keep_publishing
    )


def recover_view(model_admin, request, version_id, extra_context=None):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    version = revisions.article_version(version_id)  # only articles that were deleted
    request.article_state_before_revert = (None, None)
    context = {"title": f"Recover {version.object_repr}", "recover": True, **(extra_context or {})}
    template = model_admin._reversion_get_template_list("recover_form.html")
    keep_publishing = not model_admin.has_publish_permission(request)
    return revisions.restore_form_view(
        model_admin, request, version, template, context, keep_publishing
    )


def formset_kwargs(request, article, kwargs):
    """A refused stale save holds the rows of both versions: see articles/merging.py."""
    if request.method == "POST" and article is not None and merging.is_stale(article, request.POST):
        kwargs["data"] = merging.lined_up_data(article, request.POST)
    return kwargs


def form_context(model_admin, request, context):
    """What the desk template shows beside the fields (see change_form.html)."""
    context["callout_kinds"] = Callout.Kind.choices
    context["can_publish"] = model_admin.has_publish_permission(request) and not context.get(
        "revert"
    )
    return context


def add_context(request):
    return {"draft_key": desk.draft_key(request)}


def change_context(model_admin, request, object_id):
    article = model_admin.get_object(request, unquote(object_id))
    events = article.publishing_events.select_related("user")[:20] if article else []
    return {
        "can_share": model_admin.has_publish_permission(request),
        "also_open": desk.also_open(object_id, request.user),
        "autosave": desk.pending_autosave(article, request.user),
        "publishing_events": events,
    }


def urls(model_admin):
    """The desk's views on an article: share links, preview, autosave, revision compare."""
    view = model_admin.admin_site.admin_view
    name = "articles_article_"
    return [
        path("<path:object_id>/share-link/", view(desk.share_link), name=f"{name}share_link"),
        path(
            "<path:object_id>/share-link/revoke/",
            view(desk.revoke_share_links),
            name=f"{name}revoke_share_links",
        ),
        path("preview/", view(desk.preview), name=f"{name}preview"),
        path("<path:object_id>/preview/", view(desk.preview), name=f"{name}preview"),
        path(
            "autosave/",
            view(partial(desk.autosave_new, model_admin=model_admin)),
            name=f"{name}autosave",
        ),
        path("<path:object_id>/autosave/", view(desk.autosave), name=f"{name}autosave"),
        path(
            "<path:object_id>/history/compare/",
            view(partial(desk.compare, model_admin=model_admin)),
            name=f"{name}compare",
        ),
    ]


# Columns of the list and read-only panels of the form (ArticleAdmin names them).


@admin.display(description="State", ordering="status")
def state(model_admin, article):
    return article.workflow_state


@admin.display(description="Byline")
def byline(model_admin, article):
    return ", ".join(author.name for author in article.authors.all()) or "—"


@admin.display(description="Checks")
def checks(model_admin, article):
    template = "admin/articles/article/includes/editorial_checks.html"
    return render_to_string(template, {"warnings": editorial.warnings(article)})


@admin.display(description="In search results")
def search_preview(model_admin, article):
    return render_to_string(
        "admin/articles/article/includes/search_preview.html",
        {
            "url": absolute_url(article.get_absolute_url() if article.slug else "/news/…/"),
            "title": editorial.search_title(article),
            "description": editorial.search_description(article),
        },
    )


@admin.display(description="On social media")
def social_preview(model_admin, article):
    return render_to_string(
        "admin/articles/article/includes/social_preview.html",
        {
            "article": article,
            "site_name": settings.SITE_NAME,
            "title": editorial.search_title(article),
            "description": editorial.search_description(article),
        },
    )
