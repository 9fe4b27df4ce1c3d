"""The writing desk's own admin views: the live article preview, the autosave, revision
compare, and the lists on the admin index. Staff only; the admin wraps each view."""

import re
import secrets
import time
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST
from reversion.models import Version

from images.models import Image

from . import workflow
from .article_markdown import MarkdownFormatError, extract_callouts
from .canonical import absolute_url
from .forms import TYPED_LINE_END
from .models import (
    Article,
    Author,
    Autosave,
    Callout,
    Section,
    Status,
    compose_body_html,
    minutes_to_read,
)
from .rendering import markers_in, render_markdown
from .revisions import article_snapshot, differences, edit_token, revision_snapshot

# A preview or autosave larger than this is refused: the article limit is far below it.
MAX_FORM_BYTES = 1024 * 1024
DESK_LIST_LENGTH = 8
# How long an opened change form counts as "open" for the who-else-is-here notice.
PRESENCE_SECONDS = 10 * 60
# Names one add form's work, so that its autosaves make one article however many arrive.
DRAFT_KEY = re.compile(r"^[0-9a-f]{32}$")
NEW_DRAFT_COMMENT = "Autosaved draft."


def can_edit(user, article):
    """Journalists change drafts; a published or scheduled article is the editors'."""
    if not user.has_perm("articles.change_article"):
        return False
    return article is None or article.status != Status.PUBLISHED or workflow.can_publish(user)


def _too_large(request):
    length = request.META.get("CONTENT_LENGTH") or "0"
    return not length.isdigit() or int(length) > MAX_FORM_BYTES


def _article_or_404(object_id):
    article = Article.objects.filter(pk=unquote(object_id)).first() if object_id.isdigit() else None
    if article is None:
        raise Http404("No such article.")
    return article


class _Rows(list):
    """A list the article templates can call .all() on, like a related manager."""

    def all(self):
        return self


def _rows(data, prefix, fields):
    total = data.get(f"{prefix}-TOTAL_FORMS", "0")
    for index in range(min(int(total), 1000) if total.isdigit() else 0):
        if data.get(f"{prefix}-{index}-DELETE"):
            continue
        yield {name: data.get(f"{prefix}-{index}-{name}", "") for name in fields}


def _ids(values):
    return [int(value) for value in values if value.isdigit()]


def preview_article(data, saved=None):
    """An unsaved article built from change-form data, the way the page will show it.

    Callouts written as blockquotes go through the same reading as a save. Returns the
    article and a problem the form would refuse on save, if any.
    """
    rows = [
        Callout(**row)
        for row in _rows(data, "callouts", ["kind", "label", "marker", "body"])
        if row["marker"] or row["body"]
    ]
    body, problem = data.get("body", ""), ""
    try:
        body, pasted = extract_callouts(body, taken={row.marker for row in rows})
    except MarkdownFormatError as error:
        pasted, problem = [], f"Line {error.line}: {error.args[0].split(': ', 1)[1]}"
    callouts = rows + [
        Callout(kind=p.kind, label=p.label, marker=p.marker, body=p.body) for p in pasted
    ]
    placed = markers_in(body)
    callouts.sort(key=lambda c: placed.index(c.marker) if c.marker in placed else len(placed))
    authors = Author.objects.in_bulk(_ids(data.getlist("authors")))
    section_id = _ids([data.get("section", "")])
    body_html = compose_body_html(body, callouts)
    faq = [
        SimpleNamespace(question=row["question"], answer_html=render_markdown(row["answer"]))
        for row in _rows(data, "faq_entries", ["question", "answer"])
        if row["question"].strip()
    ]
    article = SimpleNamespace(
        title=data.get("title", ""),
        standfirst=data.get("standfirst", ""),
        kicker=data.get("kicker", ""),
        body_html=body_html,
        reading_minutes=minutes_to_read(body_html),
        authors=_Rows(authors[pk] for pk in _ids(data.getlist("authors")) if pk in authors),
        section=Section.objects.filter(pk__in=section_id).first(),
        faq_entries=_Rows(faq),
        corrections=_Rows(saved.corrections.all() if saved else []),
        lead_image=Image.objects.prefetch_related("renditions")
        .filter(pk__in=_ids([data.get("lead_image", "")]))
        .first(),
        published_at=saved.published_at if saved else None,
        was_updated=False,
    )
    return article, problem


@require_POST
def preview(request, object_id=None):
    if _too_large(request):
        return JsonResponse({"error": "The form is too large to preview."}, status=413)
    saved = _article_or_404(object_id) if object_id else None
    if not can_edit(request.user, saved):
        raise PermissionDenied
    article, problem = preview_article(request.POST, saved)
    return render(
        request,
        "admin/articles/article/preview.html",
        {"article": article, "problem": problem, "preview": True},
    )


@require_POST
def autosave(request, object_id):
    """Keep what the form holds now for this person; the article itself is not touched."""
    if _too_large(request):
        return JsonResponse({"error": "The form is too large to autosave."}, status=413)
    article = _article_or_404(object_id)
    if not can_edit(request.user, article):
        raise PermissionDenied
    if request.POST.get("discard"):
        Autosave.objects.filter(article=article, user=request.user).delete()
        return JsonResponse({"discarded": True})
    saved = _keep_form(request, article)
    return JsonResponse({"saved_at": saved.saved_at.isoformat(), "label": _clock(saved.saved_at)})


def draft_key(request):
    """The add form's draft key: the one it was sent with (a refused save keeps it), or new."""
    sent = request.POST.get("draft_key", "")
    return sent if DRAFT_KEY.match(sent) else secrets.token_hex(16)


@require_POST
def autosave_new(request, model_admin):
    """The add form's autosave. The first one with a headline makes the article, a draft
    started by this person holding the headline; the whole form is its autosave, as on any
    change form. The answer tells the page to carry on as that article's change form, so
    saving it updates the article instead of adding a second one."""
    if _too_large(request):
        return JsonResponse({"error": "The form is too large to autosave."}, status=413)
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    key = request.POST.get("draft_key", "")
    if not DRAFT_KEY.match(key):
        return JsonResponse({"error": "Reload the form: it does not name its draft."}, status=400)
    article = _started_draft(request.user, key)
    if article is None:
        try:
            article = _start_draft(request.user, request.POST.get("title", ""))
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
    saved = _keep_form(request, article)
    return JsonResponse(
        {
            "saved_at": saved.saved_at.isoformat(),
            "label": _clock(saved.saved_at),
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "autosave_url": reverse("admin:articles_article_autosave", args=[article.pk]),
            "preview_url": reverse("admin:articles_article_preview", args=[article.pk]),
            "loaded_version": edit_token(article.updated_at),
            "fields": _change_form_only_fields(model_admin, request, article),
        }
    )


def _started_draft(user, key):
    """The article an add form's autosave made, or None."""
    if not DRAFT_KEY.match(key):
        return None
    return Article.objects.filter(
        created_by=user, autosaves__user=user, autosaves__data__draft_key=[key]
    ).first()


def resume_started_draft(request):
    """An add form posted after its autosave made the article (the save overtook the page's
    switch to the change form) adds nothing: the posted form becomes that article's autosave,
    and the journalist lands on its change form, which offers it back. None otherwise."""
    if request.method != "POST":
        return None
    article = _started_draft(request.user, request.POST.get("draft_key", ""))
    if article is None or not can_edit(request.user, article):
        return None
    _keep_form(request, article)
    messages.warning(
        request,
        "This article was saved as a draft while you wrote, so nothing was added twice. "
        "Your text is kept: restore it below, then save.",
    )
    return redirect("admin:articles_article_change", article.pk)


def _start_draft(user, title):
    """A draft holding just the headline, saved through the publishing action."""
    title = TYPED_LINE_END.sub(" ", title).strip()
    if not title:
        raise ValidationError("Write a headline first: the draft is made from it.")
    article = Article(title=title, status=Status.DRAFT, created_by=user)
    article.title = Article._meta.get_field("title").clean(title, article)
    workflow.change_status(
        article, user=user, status=Status.DRAFT, via="autosave", comment=NEW_DRAFT_COMMENT
    )
    return article


def _keep_form(request, article):
    data = {
        key: request.POST.getlist(key)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "loaded_version")
    }
    saved, _ = Autosave.objects.update_or_create(
        article=article, user=request.user, defaults={"data": data}
    )
    return saved


def _change_form_only_fields(model_admin, request, article):
    """The inline management fields of the article's change form, which the add form it
    grew from may lack (corrections belong to articles that exist)."""
    fields = {}
    for formset, inline in model_admin.get_formsets_with_inlines(request, article):
        rows = formset(instance=article, queryset=inline.get_queryset(request))
        form = rows.management_form
        fields.update({form.add_prefix(name): form[name].value() for name in form.fields})
    return fields


def _clock(moment):
    return timezone.localtime(moment).strftime("%H:%M:%S")


def pending_autosave(article, user):
    """This person's autosave newer than the saved article, as data for the form, or None."""
    if article is None:
        return None
    saved = Autosave.objects.filter(
        article=article, user=user, saved_at__gt=article.updated_at
    ).first()
    if saved is None:
        return None
    return {"data": saved.data, "label": f"autosaved at {_clock(saved.saved_at)}"}


@require_GET
def compare(request, object_id, model_admin):
    """Two revisions of an article (or one and the article as it is now), field by field."""
    article = _article_or_404(object_id)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    versions = Version.objects.get_for_object(article).select_related("revision__user")
    chosen = {}
    for side in ("from", "to"):
        value = request.GET.get(side, "current")
        if value == "current":
            chosen[side] = (None, article_snapshot(article))
            continue
        version = versions.filter(revision_id=value).first() if value.isdigit() else None
        if version is None:
            return HttpResponseBadRequest("Choose two revisions of this article from its history.")
        chosen[side] = (version, revision_snapshot(version))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": f"Compare revisions of “{article}”",
        "older": chosen["from"][0],
        "newer": chosen["to"][0],
        "changes": differences(chosen["from"][1], chosen["to"][1]),
    }
    return TemplateResponse(request, "admin/articles/article/compare.html", context)


def restore_changes(article, version):
    """What restoring `version` would change in the article as it is now."""
    return differences(article_snapshot(article), revision_snapshot(version))


def desk_lists(user):
    """The admin index's desk: my drafts, in review (for editors), scheduled, just published."""
    now = timezone.now()
    articles = Article.objects.only("title", "status", "published_at", "updated_at")
    mine = articles.owned_by(user)
    lists = [
        (
            "My drafts",
            mine.filter(status__in=[Status.DRAFT, Status.UNPUBLISHED]).order_by("-updated_at"),
            "Nothing of yours is waiting. Start a new article.",
        )
    ]
    if workflow.can_publish(user):
        lists.append(
            (
                "In review",
                articles.filter(status=Status.REVIEW).order_by("updated_at"),
                "Nothing to review.",
            )
        )
    else:
        lists.append(
            (
                "Mine in review",
                mine.filter(status=Status.REVIEW).order_by("-updated_at"),
                "None of yours is with an editor.",
            )
        )
    lists += [
        (
            "Scheduled",
            articles.filter(status=Status.PUBLISHED, published_at__gt=now).order_by("published_at"),
            "Nothing scheduled.",
        ),
        ("Recently published", articles.published(now).order_by("-published_at"), "Nothing yet."),
    ]
    return [
        {"title": title, "articles": list(queryset[:DESK_LIST_LENGTH]), "empty": empty}
        for title, queryset, empty in lists
    ]


@require_POST
def share_link(request, object_id):
    """A signed link for an outside reviewer, shown once in a message; editors only."""
    if not workflow.can_publish(request.user):
        raise PermissionDenied
    article = _article_or_404(object_id)
    token = workflow.share_token(article)
    url = absolute_url(reverse("articles:shared-preview", args=[token]))
    expires = timezone.localtime() + timedelta(seconds=settings.SHARE_LINK_MAX_AGE)
    messages.success(
        request,
        format_html(
            "Share link for an outside reviewer, working until {}: "
            '<input class="share-link" readonly value="{}" aria-label="Share link">',
            expires.strftime("%-d %b %Y %H:%M"),
            url,
        ),
    )
    return redirect("admin:articles_article_change", article.pk)


@require_POST
def revoke_share_links(request, object_id):
    """End every share link given out for an article; editors only."""
    if not workflow.can_publish(request.user):
        raise PermissionDenied
    article = _article_or_404(object_id)
    workflow.revoke_share_links(article)
    messages.success(request, "Every share link given out for this article stops working.")
    return redirect("admin:articles_article_change", article.pk)


def also_open(object_id, user):
    """Remember who has this form open; return the others who opened it lately."""
    key = f"articles:article-open:{object_id}"
    now = time.time()
    opened = {
        pk: (name, at) for pk, (name, at) in cache.get(key, {}).items()
        if now - at < PRESENCE_SECONDS
    }  # fmt: skip
    others = [
        (name, max(1, round((now - at) / 60))) for pk, (name, at) in opened.items() if pk != user.pk
    ]
    opened[user.pk] = (user.get_username(), now)
    cache.set(key, opened, PRESENCE_SECONDS)
    return others
