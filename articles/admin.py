from functools import partial

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin

from . import desk, editorial, merging, people, revisions, workflow  # noqa: F401 (people: the user admin)
from .canonical import absolute_url
from .forms import (
    PUBLISHING_BUTTONS,
    ArticleAdminForm,
    AuthorAdminForm,
    CalloutForm,
    CalloutFormSet,
    CorrectionFormSet,
)
from .models import (
    Article,
    Author,
    Autosave,
    Callout,
    Correction,
    FAQEntry,
    PublishingEvent,
    Section,
    SiteAIPreferences,
    SitePage,
    Status,
)
from .rendering import markers_in

MARKDOWN_EDITOR = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class CalloutInline(admin.StackedInline):
    model = Callout
    form = CalloutForm
    formset = CalloutFormSet
    formfield_overrides = MARKDOWN_EDITOR
    # The order is the body's: save_related numbers callouts by where their markers stand.
    fields = [("kind", "label", "marker"), "body"]
    extra = 0


class FAQEntryInline(admin.StackedInline):
    model = FAQEntry
    formfield_overrides = MARKDOWN_EDITOR
    fields = ["question", "answer"]  # in the order of the rows: see save_related
    extra = 0


class CorrectionInline(admin.TabularInline):
    model = Correction
    formset = CorrectionFormSet
    fields = ["corrected_at", "text"]
    formfield_overrides = {
        Correction._meta.get_field("text").__class__: {"widget": forms.Textarea(attrs={"rows": 3})}
    }
    extra = 0


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    formfield_overrides = MARKDOWN_EDITOR
    inlines = [CalloutInline, FAQEntryInline, CorrectionInline]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors"]
    list_display = ["title", "state", "published_at", "updated_at", "byline", "section"]
    list_filter = ["status", "section", "authors", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "standfirst", "body"]
    date_hierarchy = "published_at"
    actions = ["submit_for_review", "publish_now", "schedule", "unpublish"]
    history_latest_first = True
    object_history_template = "admin/articles/article/object_history.html"
    revision_form_template = "admin/articles/article/revision_form.html"
    fieldsets = [
        ("Publishing", {"fields": [("status", "published_at")], "classes": ["desk-publish"]}),
        (
            None,
            {
                "fields": ["title", "standfirst", "kicker", "loaded_version"],
                "classes": ["desk-headline"],
            },
        ),
        (None, {"fields": ["body"], "classes": ["desk-body"]}),
        ("Byline and section", {"fields": [("authors", "section")], "classes": ["desk-side"]}),
        ("Image", {"fields": [("image", "image_alt")], "classes": ["desk-side"]}),
        ("Before you publish", {"fields": ["editorial_checks"], "classes": ["desk-side"]}),
        (
            "Address, search and social",
            {
                "fields": [
                    "slug", "canonical_url", "seo_title", "seo_description",
                    "search_preview", "social_preview",
                ],
                "classes": ["collapse", "desk-side"],
            },
        ),
        (
            "AI use",
            {
                "fields": ["ai_training", "ai_answers", "ai_user_fetch"],
                "classes": ["collapse", "desk-side"],
            },
        ),
    ]  # fmt: skip
    readonly_fields = ["editorial_checks", "search_preview", "social_preview"]

    class Media:
        js = ["js/admin-markdownx-inlines.js", "js/admin-editorial-aids.js", "js/admin-desk.js"]
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    # Permissions: journalists write and submit; publishing in any form needs an editor.

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return desk.can_edit(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("published_at")
        return fields

    def get_inlines(self, request, obj):
        # Corrections belong to articles that exist (and are published: see CorrectionFormSet).
        return [inline for inline in self.inlines if obj or inline is not CorrectionInline]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "POST" and obj is not None and merging.is_stale(obj, request.POST):
            kwargs["data"] = merging.lined_up_data(obj, request.POST)
        return kwargs

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.allowed_statuses = workflow.statuses_for(request.user, obj.status if obj else None)
        return form

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        before = getattr(request, "article_state_before_revert", None)
        if before is None and change:
            before = workflow.stored_state(obj)
        saved_slug = form.initial.get("slug") if change else None
        was_public = (
            change
            and before[0] == Status.PUBLISHED
            and before[1] is not None
            and before[1] <= timezone.now()
        )
        workflow.change_status(
            obj,
            user=request.user,
            status=obj.status,
            published_at=obj.published_at,
            via="the change form",
            before=before,
        )
        if was_public and saved_slug and saved_slug != obj.slug:
            messages.info(
                request,
                f"The address changed from /news/{saved_slug}/ to {obj.get_absolute_url()}; "
                "readers and search engines following the old one are redirected.",
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        for parsed in getattr(article, "pending_callouts", []):
            Callout.objects.create(
                article=article,
                kind=parsed.kind,
                label=parsed.label,
                body=parsed.body,
                marker=parsed.marker,
            )
        # Callouts stand in the body's order; FAQ entries in the order of their rows.
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

    # Workflow actions on the article list.

    @admin.action(description="Submit selected articles for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        articles = queryset.filter(status__in=[Status.DRAFT, Status.UNPUBLISHED])
        self.apply_status(request, articles, Status.REVIEW, "Submitted for review")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        articles = queryset.exclude(status=Status.PUBLISHED, published_at__lte=timezone.now())
        self.apply_status(request, articles, Status.PUBLISHED, "Published", at=timezone.now())

    @admin.action(
        description="Schedule selected articles for their publication time",
        permissions=["publish"],
    )
    def schedule(self, request, queryset):
        articles = queryset.filter(published_at__gt=timezone.now())
        skipped = queryset.count() - articles.count()
        if skipped:
            messages.warning(
                request,
                f"{skipped} article(s) have no publication time in the future. "
                "Set one on the article first.",
            )
        self.apply_status(request, articles, Status.PUBLISHED, "Scheduled")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish(self, request, queryset):
        articles = queryset.filter(status=Status.PUBLISHED)
        self.apply_status(request, articles, Status.UNPUBLISHED, "Unpublished")

    def apply_status(self, request, articles, status, verb, at=None):
        count = 0
        for article in articles:
            workflow.change_status(
                article, user=request.user, status=status, published_at=at, via="the article list"
            )
            count += 1
        if count:
            reversion.set_comment(f"{verb} from the article list.")
        messages.success(request, f"{verb}: {count} article(s).")

    # Restoring a revision reverts the database before the form runs; remember what was there.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if request.method == "POST" and not self.has_change_permission(request, article):
            raise PermissionDenied
        version = revisions.article_version(version_id, article.pk)
        request.article_state_before_revert = (article.status, article.published_at)
        context = {
            "title": f"Revert {version.object_repr}",
            "revert": True,
            "restore_changes": desk.restore_changes(article, version),
        }
        context.update(extra_context or {})
        template = self.revision_form_template
        return revisions.restore_form_view(
            self, request, version, template, context, not self.has_publish_permission(request)
        )

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = revisions.article_version(version_id)  # only articles that were deleted
        request.article_state_before_revert = (None, None)
        context = {"title": f"Recover {version.object_repr}", "recover": True}
        context.update(extra_context or {})
        template = self._reversion_get_template_list("recover_form.html")
        return revisions.restore_form_view(
            self, request, version, template, context, not self.has_publish_permission(request)
        )

    # Share links and the change form's extras.

    def get_urls(self):
        share = path(
            "<path:object_id>/share-link/",
            self.admin_site.admin_view(desk.share_link),
            name="articles_article_share_link",
        )
        view = self.admin_site.admin_view
        return [
            share,
            path(
                "<path:object_id>/share-link/revoke/",
                view(desk.revoke_share_links),
                name="articles_article_revoke_share_links",
            ),
            path("preview/", view(desk.preview), name="articles_article_preview"),
            path("<path:object_id>/preview/", view(desk.preview), name="articles_article_preview"),
            path(
                "autosave/",
                view(partial(desk.autosave_new, model_admin=self)),
                name="articles_article_autosave",
            ),
            path(
                "<path:object_id>/autosave/", view(desk.autosave), name="articles_article_autosave"
            ),
            path(
                "<path:object_id>/history/compare/",
                view(partial(desk.compare, model_admin=self)),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def response_change(self, request, obj):
        # A publishing button saves and stays on the article, saying where it now stands.
        if any(button in request.POST for button in PUBLISHING_BUTTONS):
            messages.success(request, f"“{obj}” is now {obj.workflow_state.lower()}.")
            return redirect("admin:articles_article_change", obj.pk)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, *args, **kwargs):
        context["callout_kinds"] = Callout.Kind.choices
        context["can_publish"] = self.has_publish_permission(request) and not context.get("revert")
        return super().render_change_form(request, context, *args, **kwargs)

    def add_view(self, request, form_url="", extra_context=None):
        context = {"draft_key": desk.draft_key(request), **(extra_context or {})}
        return super().add_view(request, form_url, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        context = {
            "can_share": self.has_publish_permission(request),
            "also_open": desk.also_open(object_id, request.user),
            "autosave": desk.pending_autosave(article, request.user),
            "publishing_events": article.publishing_events.select_related("user")[:20]
            if article
            else [],
        }
        context.update(extra_context or {})
        return super().change_view(request, object_id, form_url, context)

    @admin.display(description="State", ordering="status")
    def state(self, article):
        return article.workflow_state

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.authors.all()) or "—"

    @admin.display(description="Checks")
    def editorial_checks(self, article):
        template = "admin/articles/article/includes/editorial_checks.html"
        return render_to_string(template, {"warnings": editorial.warnings(article)})

    @admin.display(description="In search results")
    def search_preview(self, article):
        return render_to_string(
            "admin/articles/article/includes/search_preview.html",
            {
                "url": absolute_url(article.get_absolute_url() if article.slug else "/news/…/"),
                "title": editorial.search_title(article),
                "description": editorial.search_description(article),
            },
        )

    @admin.display(description="On social media")
    def social_preview(self, article):
        return render_to_string(
            "admin/articles/article/includes/social_preview.html",
            {
                "article": article,
                "site_name": settings.SITE_NAME,
                "title": editorial.search_title(article),
                "description": editorial.search_description(article),
            },
        )


@admin.register(PublishingEvent)
class PublishingEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: nobody edits history."""

    list_display = ["created_at", "action", "article_title", "user", "published_at"]
    list_filter = ["action", "created_at", "user"]
    search_fields = ["article_title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "kind", "job_title", "slug", "user"]
    list_select_related = ["user"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    # An author has a public page and feed: adding or changing one is an editor's call, like
    # publishing. Journalists pick from the existing authors.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_publish(request.user)


@admin.register(SitePage)
class SitePageAdmin(VersionAdmin):
    """Trust pages: linked from every footer and named in the publisher's JSON-LD."""

    list_display = ["title", "kind", "updated_at"]
    fields = ["kind", "title", "body"]
    formfield_overrides = MARKDOWN_EDITOR


@admin.register(SiteAIPreferences)
class SiteAIPreferencesAdmin(VersionAdmin):
    """One row: the site's default for each AI use; articles may override it."""

    fields = ["allow_training", "allow_answers", "allow_user_fetch"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteAIPreferences.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # Straight to the one row once it exists; until then "Add" starts from the defaults.
        row = SiteAIPreferences.objects.first()
        if row is None:
            return super().changelist_view(request, extra_context)
        return redirect(reverse("admin:articles_siteaipreferences_change", args=[row.pk]))
