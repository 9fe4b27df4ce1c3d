from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from articles.models import Article, Status

from . import editions
from .models import Edition, Subscriber
from .sending import email_configured

OFF = "Email is off: EMAIL_HOST is not set, so nothing is sent to anyone."


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["article"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["article"]
        field.required = True
        field.queryset = Article.objects.filter(status=Status.PUBLISHED).order_by("-published_at")
        field.help_text = (
            "A published or scheduled story. A scheduled one goes out when it is live."
        )

    def clean(self):
        cleaned = super().clean()
        if not email_configured():
            raise forms.ValidationError(OFF)
        article = cleaned.get("article")
        if article and Edition.objects.filter(key=f"article:{article.pk}").exists():
            self.add_error("article", "This story has already gone out by email.")
        return cleaned


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    form = EditionForm
    list_display = ["created_at", "kind", "subject", "status", "recipients", "created_by"]
    list_filter = ["kind", "status"]
    readonly_fields = ["kind", "subject", "status", "recipients", "created_by", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, edition, form, change):
        article = edition.article
        edition.key = f"article:{article.pk}"
        edition.kind = Edition.Kind.ARTICLE
        edition.subject = article.title
        edition.created_by = request.user
        edition.created_at = timezone.now()
        super().save_model(request, edition, form, change)
        if article.is_public:
            editions.queue(edition)

    def changelist_view(self, request, extra_context=None):
        if not email_configured():
            self.message_user(request, OFF, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if not email_configured() and request.method == "GET":
            self.message_user(request, OFF, messages.WARNING)
        return super().add_view(request, form_url, extra_context)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    readonly_fields = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]

    def has_add_permission(self, request):
        return False  # only readers subscribe themselves: that is the double opt-in
