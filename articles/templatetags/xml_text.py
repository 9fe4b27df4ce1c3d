from django import template

from ..validators import xml_text as strip_what_xml_cannot_carry

register = template.Library()


@register.filter
def xml_text(value):
    """Text without the characters XML 1.0 cannot carry (old rows saved before validation)."""
    return strip_what_xml_cannot_carry(value)
