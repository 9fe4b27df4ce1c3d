"""Anything a reader can see changed: start a new page-cache generation and purge shared caches."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from . import ai_preferences, caching, purging
from .article_pages import mark_stale
from .models import (
    Article,
    Author,
    Callout,
    Correction,
    FAQEntry,
    Section,
    SiteAIPreferences,
    SitePage,
)
from .site_pages import forget_footer_links

WATCHED = (Article, Callout, FAQEntry, Correction, Author, Section)


def _stale_pages(instance):
    """The articles whose stored page shows this instance."""
    if isinstance(instance, Article):
        # Its section's pages list it among their related stories.
        return Article.objects.filter(Q(pk=instance.pk) | Q(section_id=instance.section_id))
    if isinstance(instance, (Callout, FAQEntry, Correction)):
        return Article.objects.filter(pk=instance.article_id)
    if isinstance(instance, Author):
        return Article.objects.filter(authors=instance)
    return Article.objects.filter(section=instance)


def _articles_of(instance):
    if isinstance(instance, Article):
        return [instance]
    if isinstance(instance, (Callout, FAQEntry, Correction)):
        return [instance.article]
    return None  # a section or author: every page may show it


@receiver(pre_save, sender=Article)
def remember_old_slug(sender, instance, **kwargs):
    """A renamed article's old address must be purged too (the model tracks its loaded slug)."""
    old = getattr(instance, "_stored_slug", None)
    instance.slug_before_save = old if old != instance.slug else None


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, instance, **kwargs):
    if sender in WATCHED and not kwargs.get("raw"):
        mark_stale(_stale_pages(instance))
        caching.pages_changed()
        purging.purge_after_commit(_articles_of(instance))


@receiver(m2m_changed, sender=Article.authors.through)
def byline_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        mark_stale(_stale_pages(instance))
        caching.pages_changed()
        purging.purge_after_commit([instance] if isinstance(instance, Article) else None)


@receiver(post_save, sender=SitePage)
@receiver(post_delete, sender=SitePage)
@receiver(post_save, sender=SiteAIPreferences)
def site_wide_change(sender, instance, **kwargs):
    """Trust pages are in every footer; the AI-use preferences in every page's headers."""
    if kwargs.get("raw"):
        return
    forget_footer_links()
    ai_preferences.forget_site_preferences()
    transaction.on_commit(forget_footer_links)
    transaction.on_commit(ai_preferences.forget_site_preferences)
    mark_stale(Article.objects.all())
    caching.pages_changed()
    purging.purge_after_commit(None)
