from django import template

from ..desk import desk_lists

register = template.Library()


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def newsroom_desk(context):
    """The desk on the admin index, for people who write or edit articles."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"lists": []}
    return {"lists": desk_lists(user), "can_add": user.has_perm("articles.add_article")}
