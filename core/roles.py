"""Granting model permissions to the newsroom's groups from data migrations."""

from django.contrib.auth.management import create_permissions


def grant_model_permissions(apps, app_label, grants):
    """Give each group the listed permission codenames of `app_label`'s models.

    `grants` maps a group name to codenames, e.g. {"Editors": ["add_author"]}.
    Permissions are normally created after all migrations ran; they are created
    here first so that a fresh database gets its roles in one `migrate`.
    """
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in grants.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )
