from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .models import Article, Author, Callout, FAQEntry, Section
from .rendering import markers_in

MARKDOWN_EDITOR = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = MARKDOWN_EDITOR
    inlines = [CalloutInline, FAQEntryInline]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors"]
    list_display = ["title", "status", "published_at", "updated_at", "byline", "section"]
    list_filter = ["status", "section", "authors", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "standfirst", "body"]
    date_hierarchy = "published_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "kicker", "body"]}),
        ("Byline and section", {"fields": ["authors", "section"]}),
        ("Image", {"fields": ["image", "image_alt"]}),
        ("Search", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
        ("Publishing", {"fields": ["status", "published_at", "canonical_url"]}),
    ]

    class Media:
        js = ["js/admin-markdownx-inlines.js"]
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.authors.all()) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_body_html()


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
