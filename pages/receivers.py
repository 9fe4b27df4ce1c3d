"""Every change a reader could see bumps the versions of the tags it touches and purges them.

Connected per sender in PagesConfig.ready(). Receivers run inside the change's transaction
(the newsroom's models save atomically; bulk writes announce `rows_changed` inside theirs), so
the new versions commit with the change: a request that starts after the commit sees both.
Raw saves (fixtures, revision restores) count too.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from articles.models import (
    Article,
    Author,
    Callout,
    Correction,
    FAQEntry,
    Section,
    SiteAIPreferences,
    SitePage,
)
from articles.signals import rows_changed
from images.models import Image

from . import purging, tags, versions


def changed(touched):
    versions.bump(touched)
    purging.purge_after_commit(touched)


def _article_tags(pks, instance=None):
    touched = tags.of_articles(pks)
    if instance is not None:  # a deleted row is gone from the database: its own values
        touched |= {tags.LISTINGS, tags.article(instance.pk)}
        if instance.section_id:
            touched.add(tags.section(instance.section_id))
    return touched


def _of_article_rows(model, pks):
    article_pks = model._default_manager.filter(pk__in=pks).values_list("article_id", flat=True)
    touched = {tags.article(pk) for pk in set(article_pks)}
    return touched | ({tags.LISTINGS} if model is Correction and touched else set())


# An article: before the write (its old section and byline) and after (its new ones).
def article_saved(sender, instance, **kwargs):
    changed(_article_tags([instance.pk], instance) if instance.pk else set())


def article_deleting(sender, instance, **kwargs):
    changed(_article_tags([instance.pk], instance))


def articles_written(sender, pks, **kwargs):
    changed(tags.of_articles(pks))


def byline_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith(("pre_", "post_")):
        return
    article_pks = set(pk_set or ()) if reverse else {instance.pk}
    authors = [instance.pk] if reverse else pk_set or ()
    touched = {tags.author(pk) for pk in authors}
    if action == "pre_clear" and reverse:
        article_pks = set(instance.articles.values_list("pk", flat=True))
    changed(touched | tags.of_articles(article_pks))


# A callout, FAQ entry or correction shows on its article (corrections on /corrections/ too).
def part_saved(sender, instance, **kwargs):
    touched = {tags.article(instance.article_id)}
    changed(touched | ({tags.LISTINGS} if sender is Correction else set()))


def parts_written(sender, pks, **kwargs):
    changed(_of_article_rows(sender, pks))


# Every page's header lists the sections, so a section's change reaches every page.
def section_saved(sender, instance, **kwargs):
    changed(tags.of_sections([instance.pk]) | {tags.SITE})


def sections_written(sender, pks, **kwargs):
    changed(tags.of_sections(pks) | {tags.SITE})


def author_saved(sender, instance, **kwargs):
    changed(tags.of_authors([instance.pk]))


def authors_written(sender, pks, **kwargs):
    changed(tags.of_authors(pks))


# A picture shows on the pages of the articles it leads and the authors it portrays (and on
# every listing of those articles). Its renditions are written by the task, which then saves
# the image: that save reaches here too.
def image_saved(sender, instance, **kwargs):
    articles = Article.objects.filter(lead_image_id=instance.pk).values_list("pk", flat=True)
    authors = Author.objects.filter(portrait_id=instance.pk).values_list("pk", flat=True)
    changed(tags.of_articles(list(articles)) | {tags.author(pk) for pk in authors})


# Trust pages are in every footer, the AI-use preferences in every page's headers.
def site_changed(sender, **kwargs):
    changed({tags.SITE})


def connect():
    uid = "pages.receivers"
    pre_save.connect(article_saved, sender=Article, dispatch_uid=f"{uid}.article.pre")
    post_save.connect(article_saved, sender=Article, dispatch_uid=f"{uid}.article.post")
    pre_delete.connect(article_deleting, sender=Article, dispatch_uid=f"{uid}.article.delete")
    rows_changed.connect(articles_written, sender=Article, dispatch_uid=f"{uid}.articles")
    m2m_changed.connect(byline_changed, sender=Article.authors.through, dispatch_uid=f"{uid}.by")
    for model in (Callout, FAQEntry, Correction):
        name = model._meta.model_name
        post_save.connect(part_saved, sender=model, dispatch_uid=f"{uid}.{name}.save")
        post_delete.connect(part_saved, sender=model, dispatch_uid=f"{uid}.{name}.delete")
        rows_changed.connect(parts_written, sender=model, dispatch_uid=f"{uid}.{name}.rows")
    for model, saved, written in (
        (Section, section_saved, sections_written),
        (Author, author_saved, authors_written),
    ):
        name = model._meta.model_name
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}.{name}.save")
        pre_delete.connect(saved, sender=model, dispatch_uid=f"{uid}.{name}.delete")
        rows_changed.connect(written, sender=model, dispatch_uid=f"{uid}.{name}.rows")
    post_save.connect(image_saved, sender=Image, dispatch_uid=f"{uid}.image.save")
    pre_delete.connect(image_saved, sender=Image, dispatch_uid=f"{uid}.image.delete")
    for model in (SitePage, SiteAIPreferences):
        name = model._meta.model_name
        post_save.connect(site_changed, sender=model, dispatch_uid=f"{uid}.{name}.save")
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"{uid}.{name}.delete")
