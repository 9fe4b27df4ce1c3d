"""The newsroom's two roles. Journalists write and submit; editors also publish and correct."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST = [
    "add_article", "change_article", "view_article",
    "add_callout", "change_callout", "delete_callout", "view_callout",
    "add_faqentry", "change_faqentry", "delete_faqentry", "view_faqentry",
    "view_section", "add_author", "view_author",
    "view_correction", "view_publishingevent",
]  # fmt: skip
EDITOR = JOURNALIST + [
    "publish_article", "delete_article",
    "add_correction", "change_correction", "delete_correction",
    "add_section", "change_section", "change_author",
]  # fmt: skip
GROUPS = {"Journalist": JOURNALIST, "Editor": EDITOR}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run; the groups need them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_corrections_audit_and_publish_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
