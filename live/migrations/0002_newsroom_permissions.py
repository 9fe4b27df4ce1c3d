"""Live coverage for the newsroom's two roles (articles/migrations/0006_newsroom_groups.py).

Both may post, correct and delete updates; live/updates.py adds that on a published article
only editors may, as only editors publish. Starting or ending coverage changes how a
published page looks, so coverage itself is the editors'; journalists may see it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST = [
    "add_update", "change_update", "delete_update", "view_update",
    "add_coverage", "change_coverage", "view_coverage", "view_updateevent",
]  # fmt: skip
EDITOR = [*JOURNALIST, "delete_coverage"]
GROUPS = {"Journalist": JOURNALIST, "Editor": EDITOR}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations run; the groups need them now.
    app_config = apps.get_app_config("live")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="live", codename__in=codenames
        )
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="live"))


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_coverage_and_updates"),
        ("articles", "0006_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
