import time
from datetime import timedelta

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin

from . import editorial, people, revisions, workflow  # noqa: F401 (people: the user admin)
from .canonical import absolute_url
from .editor import UploadRejected, decode_image
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
    Status,
)
from .rendering import markers_in
from .revisions import edit_token, stale_form_message

MARKDOWN_EDITOR = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
# How long an opened change form counts as "open" for the who-else-is-here notice.
PRESENCE_SECONDS = 10 * 60


class CalloutFormSet(BaseInlineFormSet):
    """Every callout must have its marker in the body, and every marker a callout."""

    def clean(self):
        super().clean()
        body_markers = set(markers_in(self.instance.body))
        callout_markers = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            marker = form.cleaned_data.get("marker")
            if marker and marker not in body_markers:
                form.add_error(
                    "marker",
                    f"The body has no line [[callout:{marker}]]. Add that line where this "
                    "callout belongs, or change the marker.",
                )
            callout_markers.add(marker)
        missing = sorted(body_markers - callout_markers)
        if missing:
            raise ValidationError(
                "The body places callouts that do not exist: "
                + ", ".join(f"[[callout:{name}]]" for name in missing)
                + ". Add a callout with that marker, or remove the line from the body."
            )


class CalloutInline(admin.StackedInline):
    model = Callout
    formset = CalloutFormSet
    formfield_overrides = MARKDOWN_EDITOR
    fields = [("kind", "label"), "marker", "body", "order"]
    extra = 0


class FAQEntryInline(admin.StackedInline):
    model = FAQEntry
    formfield_overrides = MARKDOWN_EDITOR
    fields = ["question", "answer", "order"]
    extra = 0


class CorrectionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.is_public:
            return
        for form in self.forms:
            data = form.cleaned_data
            if data and not data.get("DELETE") and form.instance.pk is None and form.has_changed():
                raise ValidationError(
                    "Corrections go on published articles. While the article is unpublished, "
                    "fix the text itself."
                )


class CorrectionInline(admin.TabularInline):
    model = Correction
    formset = CorrectionFormSet
    fields = ["corrected_at", "text"]
    formfield_overrides = {
        Correction._meta.get_field("text").__class__: {"widget": forms.Textarea(attrs={"rows": 3})}
    }
    extra = 0


class ArticleAdminForm(forms.ModelForm):
    """The change form, with the publishing rules, the image check and stale-save protection."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set per request by ArticleAdmin.get_form: the statuses this user may choose.
    allowed_statuses = list(Status)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = edit_token(self.instance.updated_at)
        if "status" in self.fields:
            field = self.fields["status"]
            field.choices = [(status.value, status.label) for status in self.allowed_statuses]
            field.error_messages["invalid_choice"] = (
                "Only editors publish, schedule or unpublish. Choose “In review” to hand "
                "the article to an editor."
            )
        limits = {
            "title": editorial.SEARCH_TITLE_LIMIT,
            "seo_title": editorial.SEARCH_TITLE_LIMIT,
            "standfirst": editorial.SEARCH_DESCRIPTION_LIMIT,
            "seo_description": editorial.SEARCH_DESCRIPTION_LIMIT,
        }
        for name, limit in limits.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-char-limit"] = limit
        if "slug" in self.fields and self.instance.is_public:
            self.fields["slug"].widget.attrs["data-published-slug"] = self.instance.slug

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not isinstance(image, UploadedFile):
            return image
        image.seek(0)
        try:
            data, extension = decode_image(image)
        except UploadRejected as rejected:
            raise ValidationError(str(rejected), code="image") from rejected
        return SimpleUploadedFile(f"image.{extension}", data)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.refuse_stale_save(cleaned.get("loaded_version"))
        return cleaned

    def refuse_stale_save(self, loaded):
        current = edit_token(self.instance.updated_at)
        if loaded == current:
            return
        # The form comes back with the person's text; it now carries the current version, so
        # saving it again, after comparing, knowingly replaces the other save.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current
        if not loaded:
            raise ValidationError(
                "This form does not say which version of the article it was opened at. "
                "Your text is kept below: compare it with the saved article, then save again.",
                code="stale",
            )
        raise ValidationError(stale_form_message(self.instance, loaded), code="stale")


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
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "kicker", "body", "loaded_version"]}),
        ("Byline and section", {"fields": ["authors", "section"]}),
        ("Image", {"fields": ["image", "image_alt"]}),
        ("Search", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
        (
            "Before you publish",
            {"fields": ["editorial_checks", "search_preview", "social_preview"]},
        ),
        ("Publishing", {"fields": ["status", "published_at", "canonical_url"]}),
        (
            "AI use",
            {"fields": ["ai_training", "ai_answers", "ai_user_fetch"], "classes": ["collapse"]},
        ),
        ("Publishing history", {"fields": ["publishing_history"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["editorial_checks", "search_preview", "social_preview", "publishing_history"]

    class Media:
        js = ["js/admin-markdownx-inlines.js", "js/admin-editorial-aids.js"]
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    # Permissions: journalists write and submit; publishing in any form needs an editor.

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # A published or scheduled article is the editors' to change.
        return obj is None or obj.status != Status.PUBLISHED or self.has_publish_permission(request)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("published_at")
        return fields

    def get_inlines(self, request, obj):
        # Corrections belong to articles that exist (and are published: see CorrectionFormSet).
        return [inline for inline in self.inlines if obj or inline is not CorrectionInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.allowed_statuses = workflow.statuses_for(request.user, obj.status if obj else None)
        return form

    def save_model(self, request, obj, form, change):
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
        for warning in editorial.warnings(form.instance):
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
        context = {"title": f"Revert {version.object_repr}", "revert": True}
        context.update(extra_context or {})
        template = self._reversion_get_template_list("revision_form.html")
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
            self.admin_site.admin_view(self.share_link_view),
            name="articles_article_share_link",
        )
        revoke = path(
            "<path:object_id>/share-link/revoke/",
            self.admin_site.admin_view(self.revoke_share_links_view),
            name="articles_article_revoke_share_links",
        )
        return [revoke, share, *super().get_urls()]

    def revoke_share_links_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_publish_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        workflow.revoke_share_links(article)
        messages.success(request, "Every share link given out for this article stops working.")
        return redirect("admin:articles_article_change", article.pk)

    def share_link_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_publish_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {
            "can_share": self.has_publish_permission(request),
            "also_open": self.note_open(object_id, request.user),
        }
        context.update(extra_context or {})
        return super().change_view(request, object_id, form_url, context)

    def note_open(self, object_id, user):
        """Remember who has this form open; return the others who opened it lately."""
        key = f"articles:article-open:{object_id}"
        now = time.time()
        opened = {
            pk: (name, at) for pk, (name, at) in cache.get(key, {}).items()
            if now - at < PRESENCE_SECONDS
        }  # fmt: skip
        others = [
            (name, max(1, round((now - at) / 60)))
            for pk, (name, at) in opened.items()
            if pk != user.pk
        ]
        opened[user.pk] = (user.get_username(), now)
        cache.set(key, opened, PRESENCE_SECONDS)
        return others

    @admin.display(description="State", ordering="status")
    def state(self, article):
        return article.workflow_state

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.authors.all()) or "—"

    @admin.display(description="Checks")
    def editorial_checks(self, article):
        found = editorial.warnings(article)
        if not found:
            return "Nothing to flag."
        return format_html(
            '<ul class="editorial-warnings">{}</ul>',
            format_html_join("", "<li>{}</li>", ((warning,) for warning in found)),
        )

    @admin.display(description="In search results")
    def search_preview(self, article):
        path = article.get_absolute_url() if article.slug else "/news/…/"
        return format_html(
            '<div class="search-preview" data-search-preview>'
            '<span class="search-preview__url" data-preview="url">{}</span>'
            '<span class="search-preview__title" data-preview="title">{}</span>'
            '<span class="search-preview__description" data-preview="description">{}</span>'
            "</div>",
            absolute_url(path),
            editorial.search_title(article),
            editorial.search_description(article),
        )

    @admin.display(description="On social media")
    def social_preview(self, article):
        image = (
            format_html('<img src="{}" alt="" class="social-preview__image">', article.image.url)
            if article.image
            else format_html('<span class="social-preview__no-image">{}</span>', "No image")
        )
        return format_html(
            '<div class="social-preview" data-social-preview>{}'
            '<span class="social-preview__site">{}</span>'
            '<span class="social-preview__title" data-preview="title">{}</span>'
            '<span class="social-preview__description" data-preview="description">{}</span>'
            "</div>",
            image,
            settings.SITE_NAME,
            editorial.search_title(article),
            editorial.search_description(article),
        )

    @admin.display(description="Audit log")
    def publishing_history(self, article):
        if not article.pk:
            return "—"
        events = article.publishing_events.select_related("user")[:20]
        if not events:
            return "Not yet submitted or published."
        return format_html(
            '<ul class="publishing-history">{}</ul>',
            format_html_join(
                "",
                "<li>{} by {} on {}</li>",
                (
                    (
                        event.get_action_display(),
                        event.user.get_username() if event.user else "a deleted user",
                        timezone.localtime(event.created_at).strftime("%-d %b %Y %H:%M"),
                    )
                    for event in events
                ),
            ),
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
    list_display = ["name", "kind", "job_title", "slug"]
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
