from django.conf import settings
from django.contrib import admin, messages
from django.forms import CheckboxSelectMultiple, ModelForm, MultipleChoiceField

from .models import Delivery, DeliveryAttempt, Event, EventKind, WebhookEndpoint
from .outbox import enqueue_on_commit


class WebhookEndpointForm(ModelForm):
    events = MultipleChoiceField(choices=EventKind.choices, widget=CheckboxSelectMultiple)

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "secret", "active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "event_list", "active"]
    list_filter = ["active"]

    @admin.display(description="events")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["number", "started_at", "status_code", "error", "milliseconds"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "target",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "sent_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["target", "key", "event__title"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        # Whoever manages the endpoints (editors) may send again what gave up.
        return request.user.has_perm("distribution.change_webhookendpoint")

    @admin.action(description="Retry the selected failed deliveries now", permissions=["retry"])
    def retry_now(self, request, queryset):
        from django.utils import timezone

        failed = queryset.filter(status=Delivery.Status.FAILED)
        ids = list(failed.values_list("pk", flat=True))
        failed.update(status=Delivery.Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
        enqueue_on_commit(ids)
        self.message_user(request, f"{len(ids)} deliveries queued again.", messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        for line in unconfigured():
            self.message_user(request, line, messages.WARNING)
        return super().changelist_view(request, extra_context)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "title", "url"]
    list_filter = ["kind"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def unconfigured():
    """What is switched off for want of settings, in the words an editor reads."""
    lines = []
    if not (settings.INDEXNOW_ENDPOINT and settings.INDEXNOW_KEY):
        lines.append("IndexNow is off: INDEXNOW_ENDPOINT and INDEXNOW_KEY are not both set.")
    if not settings.WEBSUB_HUB_URL:
        lines.append("WebSub pings are off: WEBSUB_HUB_URL is not set.")
    if not WebhookEndpoint.objects.filter(active=True).exists():
        lines.append("No webhook endpoint is active: no webhooks are sent.")
    if not settings.EMAIL_CONFIGURED:
        lines.append("Email is off: EMAIL_HOST is not set, so no edition or confirmation is sent.")
    if not settings.CACHE_PURGER:
        lines.append("Cache purges are off: CACHE_PURGER is not set (no shared cache is purged).")
    return lines
