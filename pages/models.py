"""What page delivery keeps in the database, the one store every process and instance shares."""

from django.db import models


class TagVersion(models.Model):
    """The version of one cache tag ("article-12", "section-3", "listings"...).

    A change bumps the versions of the tags it touches in its own transaction, so the bump and
    the change commit together. A cached page remembers the versions it was rendered under and is
    served only while they are still current: read from here on every request, never trusted from
    a process's memory.
    """

    tag = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField()

    def __str__(self):
        return f"{self.tag}@{self.version}"


class KeptPage(models.Model):
    """A rendered page kept in the database, with what decides whether it may still be served."""

    html = models.TextField()
    # Compressed once when kept, so a page served from here is never compressed per request.
    gzip = models.BinaryField(null=True)
    brotli = models.BinaryField(null=True)
    # Valid while the release matches, the tag versions match and the next story is not live.
    release = models.CharField(max_length=64)
    versions = models.JSONField(default=dict)
    valid_until = models.DateTimeField(null=True, blank=True)
    last_modified = models.CharField(max_length=40, blank=True)
    # The SHA-1 of the HTML, for the ETag: kept so a large page (a feed) is not hashed per request.
    digest = models.CharField(max_length=40, blank=True)
    # The view's own headers (Content-Type, Vary, Content-Usage, Link...), replayed with the HTML.
    headers = models.JSONField(default=dict)

    class Meta:
        abstract = True


class StoredPage(KeptPage):
    """A published article's rendered page, kept with the row so a cold process or a new
    instance serves it with one query instead of six."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="stored_page"
    )

    def __str__(self):
        return f"Stored page of article {self.article_id}"


class StoredListing(KeptPage):
    """A listing page (home, a section's or author's page, a feed, a sitemap) kept in the
    database, so that without a page cache, or with a cold one, it costs a query, not a render.
    Checked like a cache entry: the release, the tag versions and the next scheduled story."""

    key = models.CharField(max_length=80, primary_key=True)  # the page key: path, params, variant
    path = models.CharField(max_length=2000)
    release = models.CharField(max_length=64, db_index=True)  # earlier releases' rows are cleared

    def __str__(self):
        return f"Stored listing {self.path}"
