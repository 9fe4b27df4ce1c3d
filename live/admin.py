"""Live coverage in the admin: coverage rows, the live desk (post an update in one step,
correct or delete the ones posted) and each update's change form for corrections."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from articles.admin import AuditLogAdmin
from articles.models import Author
from articles.workflow import can_publish

from . import revisions, updates  # noqa: F401 (revisions: registers before VersionAdmin does)
from .forms import CorrectUpdateForm, UpdateForm
from .models import Coverage, Update, UpdateEvent

DESK_LIST_LENGTH = 50
Action = UpdateEvent.Action


def may_change_coverage(user, coverage):
    """Starting or ending coverage changes a published page: editors only, like publishing."""
    return coverage is None or not updates.readers_can_see(coverage.article) or can_publish(user)


def default_authors(user, coverage):
    """The byline the desk suggests: the one this person used last, else their own author
    (Author.user), else an author of their name."""
    last = (
        Update.objects.filter(pk__in=UpdateEvent.objects.filter(
            user=user, action=Action.POSTED, update__isnull=False
        ).values("update")).order_by("-pk").first()
    )  # fmt: skip
    if last is not None and last.authors.exists():
        return list(last.authors.all())
    own = Author.objects.filter(user=user)[:1]
    if own:
        return list(own)
    name = user.get_full_name().strip()
    return list(Author.objects.filter(name=name)[:1]) if name else []


@admin.register(Coverage)
class CoverageAdmin(VersionAdmin):
    list_display = ["article", "state", "started_at", "ended_at", "update_count", "desk_link"]
    list_select_related = ["article"]
    search_fields = ["article__title", "about"]
    autocomplete_fields = ["article"]
    fields = ["article", "about", "started_at", "ended_at"]

    class Media:
        js = ["js/admin-autocomplete-names.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(update_total=Count("updates"))

    @admin.display(description="state")
    def state(self, coverage):
        return "Live" if coverage.is_running else "Ended"

    @admin.display(description="updates", ordering="update_total")
    def update_count(self, coverage):
        return coverage.update_total

    @admin.display(description="desk")
    def desk_link(self, coverage):
        url = reverse("admin:live_coverage_desk", args=[coverage.pk])
        return format_html('<a href="{}">Open the live desk</a>', url)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and may_change_coverage(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and may_change_coverage(request.user, obj)

    def save_model(self, request, obj, form, change):
        if not may_change_coverage(request.user, obj):
            raise PermissionDenied("Only editors start or end coverage of a published article.")
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # A new live article goes straight to its desk, where updates are posted.
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            return redirect("admin:live_coverage_desk", obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        desk = self.admin_site.admin_view(self.desk_view)
        return [
            path("<path:object_id>/desk/", desk, name="live_coverage_desk"),
            *super().get_urls(),
        ]

    def desk_view(self, request, object_id):
        """One page per live article: post an update at the top, the newest below it."""
        coverage = self.get_object(request, unquote(object_id))
        if coverage is None:
            raise Http404("No such coverage.")
        if not self.has_view_or_change_permission(request, coverage):
            raise PermissionDenied
        article = coverage.article
        may_post = updates.may(request.user, Action.POSTED, article)
        form = None
        if may_post:
            if request.method == "POST":
                form = UpdateForm(request.POST, request.FILES)
                if form.is_valid():
                    update = form.save(commit=False)
                    update.coverage = coverage
                    updates.post(update, user=request.user, authors=form.cleaned_data["authors"])
                    messages.success(request, f"Posted at {update.published_at:%H:%M:%S}.")
                    return redirect("admin:live_coverage_desk", coverage.pk)
            else:
                form = UpdateForm(initial={"authors": default_authors(request.user, coverage)})
        elif request.method == "POST":
            raise PermissionDenied("Only editors post updates on a published article.")
        recent = list(coverage.updates.for_page()[:DESK_LIST_LENGTH])
        context = {
            **self.admin_site.each_context(request),
            "title": f"Live desk: {article.title}",
            "coverage": coverage,
            "article": article,
            "form": form,
            "may_post": may_post,
            "may_correct": updates.may(request.user, Action.CORRECTED, article),
            "may_delete": updates.may(request.user, Action.DELETED, article),
            "recent": recent,
            "total": coverage.updates.count(),
            "opts": self.model._meta,
            "media": self.media + form.media if form else self.media,
        }
        return TemplateResponse(request, "admin/live/desk.html", context)


@admin.register(Update)
class UpdateAdmin(VersionAdmin):
    form = CorrectUpdateForm
    list_display = ["__str__", "coverage", "published_at", "pinned"]
    list_filter = ["pinned", "coverage"]
    list_select_related = ["coverage__article"]
    search_fields = ["headline", "body"]
    actions = None  # deleting in bulk would skip the audit trail's one event per update

    def has_add_permission(self, request):
        return False  # updates are posted on their coverage's live desk

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or updates.may(request.user, Action.CORRECTED, obj.coverage.article)
        )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or updates.may(request.user, Action.DELETED, obj.coverage.article)
        )

    def save_model(self, request, obj, form, change):
        updates.correct(obj, user=request.user)

    def delete_model(self, request, obj):
        updates.delete(obj, user=request.user)

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        messages.success(request, "Corrected.")
        return redirect("admin:live_coverage_desk", obj.coverage_id)

    def response_delete(self, request, obj_display, obj_id):
        messages.success(request, f"Deleted “{obj_display}”.")
        coverage = getattr(request, "_live_coverage_pk", None)
        if coverage:
            return redirect("admin:live_coverage_desk", coverage)
        return super().response_delete(request, obj_display, obj_id)

    def delete_view(self, request, object_id, extra_context=None):
        update = self.get_object(request, unquote(object_id))
        if update is not None:
            request._live_coverage_pk = update.coverage_id  # to return to its desk
        return super().delete_view(request, object_id, extra_context)


@admin.register(UpdateEvent)
class UpdateEventAdmin(AuditLogAdmin):
    list_display = ["created_at", "action", "summary", "article_title", "user"]
    list_filter = ["action"]
    search_fields = ["summary", "article_title"]
