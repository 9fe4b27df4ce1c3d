"""Newsroom people: membership of Journalist or Editor is what makes someone staff."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

NEWSROOM_GROUPS = ("Journalist", "Editor")
GROUPS_HELP = (
    "Journalist writes and submits articles; Editor also publishes. Adding someone to either "
    "group makes them staff, so they can log in to the admin."
)


def make_newsroom_staff(user):
    """Give admin access to a member of a newsroom group; True when it was missing."""
    if user.is_staff or not user.groups.filter(name__in=NEWSROOM_GROUPS).exists():
        return False
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return True


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "groups" in form.base_fields:
            form.base_fields["groups"].help_text = GROUPS_HELP
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if make_newsroom_staff(form.instance):
            messages.info(
                request,
                f"{form.instance.get_username()} is in a newsroom group, so they are now "
                "staff and can log in to the admin.",
            )
