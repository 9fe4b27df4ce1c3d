from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin

from images.admin import image_thumbnail

from . import (
    change_form,
    desk,
    people,  # noqa: F401 (it registers the user admin)
    workflow,
)
from .forms import (
    ArticleAdminForm,
    AuthorAdminForm,
    CalloutForm,
    CalloutFormSet,
    CorrectionFormSet,
)
from .models import (
    Article,
    Author,
    Callout,
    Correction,
    FAQEntry,
    PublishingEvent,
    Section,
    SiteAIPreferences,
    SitePage,
)

MARKDOWN_EDITOR = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class CalloutInline(admin.StackedInline):
    model = Callout
    form = CalloutForm
    formset = CalloutFormSet
    formfield_overrides = MARKDOWN_EDITOR
    # The order is the body's: change_form.save_rows numbers callouts by where their markers stand.
    fields = [("kind", "label", "marker"), "body"]
    extra = 0


class FAQEntryInline(admin.StackedInline):
    model = FAQEntry
    formfield_overrides = MARKDOWN_EDITOR
    fields = ["question", "answer"]  # in the order of the rows: see change_form.save_rows
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
    """The writing desk: its form is in forms.py, transitions in workflow.py, the save and
    restores in change_form.py, preview, autosave and compare in desk.py, markup in templates."""

    form = ArticleAdminForm
    formfield_overrides = MARKDOWN_EDITOR
    inlines = [CalloutInline, FAQEntryInline, CorrectionInline]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors", "lead_image"]
    list_display = ["title", "state", "published_at", "updated_at", "byline", "section"]
    list_filter = ["status", "section", "authors", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "standfirst", "body"]
    date_hierarchy = "published_at"
    actions = workflow.LIST_ACTIONS
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
        ("Image", {"fields": ["lead_image", "lead_image_preview"], "classes": ["desk-side"]}),
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
    readonly_fields = ["editorial_checks", "search_preview", "social_preview", "lead_image_preview"]
    state, byline, editorial_checks = change_form.state, change_form.byline, change_form.checks
    search_preview, social_preview = change_form.search_preview, change_form.social_preview

    class Media:
        js = [
            "js/admin-markdownx-inlines.js",
            "js/admin-editorial-aids.js",
            "js/admin-desk.js",
            "js/admin-autocomplete-names.js",
        ]
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    # Permissions: journalists write and submit; publishing in any form needs an editor.

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and desk.can_edit(request.user, obj)

    @admin.display(description="Chosen image")
    def lead_image_preview(self, article):
        return image_thumbnail(article.lead_image)

    def get_readonly_fields(self, request, obj=None):
        editors_only = [] if self.has_publish_permission(request) else ["published_at"]
        return [*super().get_readonly_fields(request, obj), *editors_only]

    def get_inlines(self, request, obj):
        # Corrections belong to articles that exist (and are published: see CorrectionFormSet).
        return [inline for inline in self.inlines if obj or inline is not CorrectionInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.allowed_statuses = workflow.statuses_for(request.user, obj.status if obj else None)
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        return change_form.formset_kwargs(request, obj, kwargs)

    def save_model(self, request, obj, form, change):
        change_form.save_article(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        change_form.save_rows(request, form, formsets)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        return change_form.revision_view(self, request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        return change_form.recover_view(self, request, version_id, extra_context)

    def get_urls(self):
        return change_form.urls(self) + super().get_urls()

    def response_change(self, request, obj):
        return change_form.publishing_response(request, obj) or super().response_change(
            request, obj
        )

    def render_change_form(self, request, context, *args, **kwargs):
        context = change_form.form_context(self, request, context)
        return super().render_change_form(request, context, *args, **kwargs)

    def add_view(self, request, form_url="", extra_context=None):
        resumed = self.has_add_permission(request) and desk.resume_started_draft(request)
        context = {**change_form.add_context(request), **(extra_context or {})}
        return resumed or super().add_view(request, form_url, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {**change_form.change_context(self, request, object_id), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)


class AuditLogAdmin(admin.ModelAdmin):
    """An audit log, read-only: nobody edits history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishingEvent)
class PublishingEventAdmin(AuditLogAdmin):
    list_display = ["created_at", "action", "article_title", "user", "published_at"]
    list_filter = ["action", "created_at", "user"]
    search_fields = ["article_title"]
    date_hierarchy = "created_at"


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
    autocomplete_fields = ["portrait"]

    class Media:
        js = ["js/admin-autocomplete-names.js"]

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
