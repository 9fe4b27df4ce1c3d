"""Live coverage reaches readers' pages through page delivery's tags (pages/tags.py).

An update shows on its article's page, its older-updates pages, its feed and its JSON: all
carry the article's tag, so a change bumps that tag inside its transaction. Coverage starting
or ending also changes the News sitemap (the listings).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from articles.models import Author
from articles.signals import rows_changed
from pages import tags
from pages.receivers import changed

from .models import Coverage, Update


def _article_of_coverage(coverage_pk):
    pk = Coverage.objects.filter(pk=coverage_pk).values_list("article_id", flat=True).first()
    return {tags.article(pk)} if pk else set()


def update_saved(sender, instance, **kwargs):
    changed(_article_of_coverage(instance.coverage_id))


def updates_written(sender, pks, **kwargs):
    coverages = Update.objects.filter(pk__in=pks).values_list("coverage_id", flat=True)
    touched = set()
    for pk in set(coverages):
        touched |= _article_of_coverage(pk)
    changed(touched)


def byline_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # an author's updates
        updates_written(Update, pks=pk_set or ())
    else:
        update_saved(Update, instance)


def author_changed(sender, instance=None, pks=(), **kwargs):
    """A byline on updates shows the author's name: their updates' articles change too."""
    authors = [instance.pk] if instance is not None else list(pks)
    articles = Coverage.objects.filter(updates__authors__in=authors).values_list(
        "article_id", flat=True
    )
    changed({tags.article(pk) for pk in set(articles)})


def coverage_saved(sender, instance, **kwargs):
    changed({tags.article(instance.article_id), tags.LISTINGS})


def connect():
    uid = "live.receivers"
    post_save.connect(update_saved, sender=Update, dispatch_uid=f"{uid}.update.save")
    post_delete.connect(update_saved, sender=Update, dispatch_uid=f"{uid}.update.delete")
    m2m_changed.connect(byline_changed, sender=Update.authors.through, dispatch_uid=f"{uid}.by")
    post_save.connect(coverage_saved, sender=Coverage, dispatch_uid=f"{uid}.coverage.save")
    post_delete.connect(coverage_saved, sender=Coverage, dispatch_uid=f"{uid}.coverage.delete")
    rows_changed.connect(updates_written, sender=Update, dispatch_uid=f"{uid}.update.rows")
    post_save.connect(author_changed, sender=Author, dispatch_uid=f"{uid}.author.save")
    pre_delete.connect(author_changed, sender=Author, dispatch_uid=f"{uid}.author.delete")
    rows_changed.connect(author_changed, sender=Author, dispatch_uid=f"{uid}.author.rows")
