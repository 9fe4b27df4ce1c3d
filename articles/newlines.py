"""Text is stored with `\n` line ends only, whatever sent it.

Browsers submit form text with CRLF, and imported files may come from any system; a CR kept in
the database would reach the Markdown export, llms files and feeds line by line. Normalising on
save covers every write path: the admin, list actions, import, revisions restored, the shell.
"""

import re

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

LINE_END = re.compile(r"\r\n?")


def normalise_newlines(text):
    return LINE_END.sub("\n", text) if text else text


@receiver(pre_save)
def store_newlines_only(sender, instance, raw=False, **kwargs):
    if sender._meta.app_label != "articles":
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and "\r" in value:
                setattr(instance, field.attname, normalise_newlines(value))
