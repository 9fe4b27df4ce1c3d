import secrets
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from markdownx.models import MarkdownxField

from .canonical import absolute_url, default_social_image
from .markdown_limits import validate_markdown_cost
from .rendering import render_markdown, splice_callouts
from .signals import rows_changed
from .validators import (
    profile_link_lines,
    validate_callout_label,
    validate_canonical_url,
    validate_clean_text,
    validate_no_bidi_controls,
    validate_one_line,
    validate_profile_links,
)

# Headlines, names, labels: one line of text that reads as it is written.
ONE_LINE_TEXT = [validate_clean_text, validate_one_line, validate_no_bidi_controls]


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


def unique_slug(model, text, instance_pk=None, max_length=100, fallback="item"):
    """A slug for `text` unique in `model`, never empty, even for titles with no letters."""
    base = slugify(text, allow_unicode=True)[:max_length].strip("-")
    if not base:
        base = f"{fallback}-{secrets.token_hex(3)}"
    others = model._default_manager.exclude(pk=instance_pk)
    slug, suffix = base, 2
    while others.filter(slug=slug).exists():
        tail = f"-{suffix}"
        slug = base[: max_length - len(tail)] + tail
        suffix += 1
    return slug


# Older migrations name it as the upload path of the lead image that images.Image replaced.
def article_image_path(article, filename):
    """Random stored names: nothing a journalist or an attacker names reaches the disk."""
    extension = PurePath(filename).suffix.lower()
    return f"articles/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class AnnouncedQuerySet(models.QuerySet):
    """Bulk writes skip the model signals: announce the rows they change (articles.signals)."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            rows_changed.send(sender=self.model, pks=pks)
            count = super().update(**kwargs)
            rows_changed.send(sender=self.model, pks=pks)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            pks = [obj.pk for obj in created if obj.pk is not None]
            rows_changed.send(sender=self.model, pks=pks)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        pks = [obj.pk for obj in objs]
        with transaction.atomic(using=self.db):
            rows_changed.send(sender=self.model, pks=pks)
            count = super().bulk_update(objs, fields, *args, **kwargs)
            rows_changed.send(sender=self.model, pks=pks)
        return count


class AtomicSave:
    """A row and what its post_save receivers write commit together, even in autocommit mode."""

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)


class Section(AtomicSave, models.Model):
    name = models.CharField(max_length=80, unique=True, validators=ONE_LINE_TEXT)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    description = models.TextField(
        blank=True,
        validators=[validate_clean_text],
        help_text="One or two sentences shown at the top of the section page.",
    )

    objects = AnnouncedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class Author(AtomicSave, models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DESK = "desk", "Desk (the newsroom as an organization)"

    name = models.CharField(max_length=120, validators=ONE_LINE_TEXT)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.PERSON)
    job_title = models.CharField(
        max_length=120, blank=True, validators=[validate_clean_text, validate_one_line]
    )
    bio = models.TextField(
        blank=True,
        validators=[validate_clean_text],
        help_text="Plain text shown on the author's page.",
    )
    profile_links = models.TextField(
        blank=True,
        validators=[validate_profile_links],
        help_text="The author's profiles elsewhere (their site, social accounts), one address "
        "a line. Shown on the author's page and given to search engines as the same person.",
    )
    portrait = models.ForeignKey(
        "images.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portrait_of",
        help_text="Shown square on the author's page: a head-and-shoulders picture.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="The newsroom login this byline belongs to: articles under it show in "
        "that person's “My drafts”. One login has one byline.",
    )

    objects = AnnouncedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])

    @property
    def profile_urls(self):
        return profile_link_lines(self.profile_links)


# An average adult reads 200 to 250 words a minute; reading time is shown in whole minutes.
WORDS_PER_MINUTE = 230
SEARCH_CONFIG = "english"
UPDATE_GRACE = timedelta(minutes=10)


def minutes_to_read(html):
    """Whole minutes to read rendered HTML, at least one; worked out when the page renders."""
    words = len(strip_tags(html).split())
    return max(1, round(words / WORDS_PER_MINUTE))


def search_document():
    """Title (weight A), standfirst (B) and body (C) as one tsvector.

    Migration 0003 builds a GIN index on exactly this expression on PostgreSQL, so searches
    use the index and the document can never fall out of step with the row.
    """
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


class AIPreference(models.TextChoices):
    """One article's choice for one AI use; empty follows the site's default."""

    SITE_DEFAULT = "", "Site default"
    ALLOW = "allow", "Allow"
    DISALLOW = "disallow", "Disallow"


def _ai_preference_field(use):
    return models.CharField(
        f"AI {use}",
        max_length=8,
        choices=AIPreference,
        default=AIPreference.SITE_DEFAULT,
        blank=True,
        help_text="Overrides the site's AI-use preference for this article (an exclusive, say).",
    )


class ArticleQuerySet(AnnouncedQuerySet):
    def published(self, now=None):
        return self.filter(status=Status.PUBLISHED, published_at__lte=now or timezone.now())

    def next_publish_at(self):
        """When the next scheduled article goes live, or None."""
        scheduled = self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())
        return scheduled.aggregate(next=models.Min("published_at"))["next"]

    def owned_by(self, user):
        """The articles someone started, or whose byline is theirs."""
        bylined = Article.authors.through.objects.filter(author__user=user).values("article_id")
        return self.filter(Q(created_by=user) | Q(pk__in=bylined))

    def for_listing(self):
        return self.select_related("section", "lead_image").prefetch_related(
            "authors", "lead_image__renditions"
        )

    def for_page(self):
        return self.select_related("section", "lead_image").prefetch_related(
            "authors", "faq_entries", "corrections", "callouts", "lead_image__renditions"
        )

    def search(self, text):
        """Best matches first: ranked full-text search on PostgreSQL, a plain match elsewhere."""
        if connections[self.db].vendor == "postgresql":
            query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
            return (
                self.alias(document=search_document())
                .filter(document=query)
                .annotate(rank=SearchRank(search_document(), query))
                .order_by("-rank", "-published_at", "-pk")
            )
        words = text.split()
        return self.filter(
            *[
                Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
                for word in words
            ]
        )


class Article(models.Model):
    title = models.CharField(max_length=200, validators=ONE_LINE_TEXT)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The last part of the article's address. Filled in from the title; "
        "left empty, one is made for you.",
    )
    standfirst = models.CharField(
        max_length=300,
        validators=ONE_LINE_TEXT,
        help_text="One sentence under the headline. Also the description search engines show.",
    )
    kicker = models.CharField(
        max_length=200,
        blank=True,
        validators=ONE_LINE_TEXT,
        help_text="A short italic line under the standfirst that tells the reader why it matters.",
    )
    body = MarkdownxField(
        validators=[validate_clean_text, validate_markdown_cost],
        help_text="Markdown. Put a line [[callout:NAME]] where a callout named NAME belongs.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", null=True, blank=True
    )
    authors = models.ManyToManyField(Author, related_name="articles", blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers may see it. A time in the future schedules the article.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who started the article: with the byline's logins, whose "My drafts" it is in.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    canonical_url = models.URLField(
        "canonical URL override",
        blank=True,
        validators=[validate_canonical_url],
        help_text="Only for a story first published elsewhere: the original's address.",
    )
    lead_image = models.ForeignKey(
        "images.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_of",
        help_text="Shown at the top of the article, on cards and on social cards. "
        "At least 1200 px wide, with a description and a credit.",
    )
    seo_title = models.CharField(
        "search title",
        max_length=70,
        blank=True,
        validators=ONE_LINE_TEXT,
        help_text="Replaces the headline in search results and the browser tab. "
        "Search engines show about 60 characters.",
    )
    seo_description = models.CharField(
        "search description",
        max_length=160,
        blank=True,
        validators=ONE_LINE_TEXT,
        help_text="Replaces the standfirst in search results. About 155 characters show.",
    )
    # Per-article AI-use preferences (articles/ai_preferences.py); empty follows the site.
    ai_training = _ai_preference_field("training")
    ai_answers = _ai_preference_field("search answers")
    ai_user_fetch = _ai_preference_field("user-requested fetches")

    # Part of every share link (articles/workflow.py): a new key revokes the links given out.
    share_key = models.CharField(max_length=32, editable=False, blank=True, default="")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_published_idx")]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title, self.pk, fallback="article")
        if self.status == Status.PUBLISHED and self.published_at is None:
            # To the second, as every page, feed and export shows it.
            self.published_at = timezone.now().replace(microsecond=0)
        # Recorded here, not in one form, so that every way of renaming an article
        # (admin, import, shell, restoring a revision) keeps its old address alive.
        old_slug = getattr(self, "_stored_slug", None)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_slug != self.slug:
                # A live slug always wins over an old one that another article once had.
                SlugHistory.objects.filter(slug=self.slug).delete()
            if old_slug and old_slug != self.slug:
                SlugHistory.objects.update_or_create(slug=old_slug, defaults={"article": self})
        self._stored_slug = self.slug

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    @classmethod
    def from_db(cls, *args, **kwargs):
        article = super().from_db(*args, **kwargs)
        article._stored_slug = article.__dict__.get("slug")  # to notice a rename on save
        return article

    def get_canonical_url(self):
        return self.canonical_url or self.get_site_url()

    def get_site_url(self):
        """This site's absolute address for the article: where every redirect lands."""
        return absolute_url(self.get_absolute_url())

    def get_markdown_url(self):
        return absolute_url(reverse("articles:markdown", args=[self.slug]))

    @property
    def modified_at(self):
        """When readers last saw a change: the publication time, or a later edit."""
        if self.published_at is None or self.updated_at > self.published_at + UPDATE_GRACE:
            return self.updated_at
        return self.published_at

    @property
    def social_image(self):
        """The image for link previews: the lead image's wide crop, else the site-wide one."""
        if self.lead_image:
            return self.lead_image.shared("16:9")
        return default_social_image()

    @property
    def is_public(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def workflow_state(self):
        """Where the article stands: draft, in review, scheduled, published or unpublished."""
        if self.status == Status.PUBLISHED and not self.is_public:
            return "Scheduled"
        return self.get_status_display()

    @property
    def was_updated(self):
        """Changed after publication; edits in the first minutes are not worth a notice."""
        return self.published_at is not None and self.modified_at != self.published_at

    def related(self, limit=4):
        """The newest other published articles from the same section, as cards with their
        lead images (two queries at most, whatever the number of images; no authors)."""
        if self.section_id is None:
            return Article.objects.none()
        return (
            Article.objects.published()
            .filter(section_id=self.section_id)
            .exclude(pk=self.pk)
            .select_related("lead_image")
            .prefetch_related("lead_image__renditions")[:limit]
        )

    @property
    def reading_minutes(self):
        return minutes_to_read(self.body_html)

    @property
    def body_html(self):
        """The body with each callout spliced in at its marker line, composed from the rows
        whenever it is shown (prefetch `callouts`), so no way of saving a callout leaves it stale.
        """
        return compose_body_html(self.body, self.callouts.all() if self.pk else [])


def compose_body_html(body, callouts):
    """The body rendered once, with each callout spliced in at its marker line (also what the
    change form's preview shows for callouts not saved yet)."""
    rendered = {}
    for index, callout in enumerate(callouts, start=1):
        html = render_to_string(
            "articles/includes/callout.html",
            {"callout": callout, "body_html": render_markdown(callout.body), "index": index},
        )
        rendered.setdefault(callout.marker, []).append(html)
    return splice_callouts(render_markdown(body), rendered)


class SlugHistory(models.Model):
    """An address an article had before its slug changed; it answers with a 301."""

    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "slug history"

    def __str__(self):
        return f"{self.slug} → {self.article.slug}"


class Callout(AtomicSave, models.Model):
    class Kind(models.TextChoices):
        KEY = "key", "Key"
        NOTE = "note", "Note"
        CONTEXT = "context", "Context"
        WARNING = "warning", "Warning"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="callouts")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.KEY)
    label = models.CharField(
        max_length=80,
        blank=True,
        validators=[
            validate_clean_text,
            validate_one_line,
            validate_no_bidi_controls,
            validate_callout_label,
        ],
        help_text='Bold lead-in, for example "The take:".',
    )
    body = MarkdownxField(validators=[validate_clean_text, validate_markdown_cost])
    marker = models.SlugField(
        max_length=40,
        help_text="Where it goes: a line [[callout:MARKER]] in the article body.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = AnnouncedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.label or self.marker}"

    # What readers see above a callout: an editorial label, not the kind's internal name.
    READER_LABELS = {Kind.KEY: "Key point", Kind.NOTE: "Note", Kind.CONTEXT: "Context"}

    @property
    def reader_label(self):
        return self.READER_LABELS.get(self.kind, self.get_kind_display())


class FAQEntry(AtomicSave, models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="faq_entries")
    question = models.CharField(max_length=300, validators=ONE_LINE_TEXT)
    answer = MarkdownxField(
        validators=[validate_clean_text, validate_markdown_cost],
        help_text="Markdown. Keep to paragraphs, lists, links and emphasis: "
        "search engines drop other markup from FAQ answers.",
    )
    answer_html = models.TextField(editable=False, default="")
    order = models.PositiveSmallIntegerField(default=0)

    objects = AnnouncedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.answer_html = render_markdown(self.answer)
        super().save(*args, **kwargs)


class CorrectionQuerySet(AnnouncedQuerySet):
    def public(self):
        """Corrections readers can see: those on published articles."""
        return self.filter(article__in=Article.objects.published())


class Correction(AtomicSave, models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(
        validators=[validate_clean_text],
        help_text="Plain text: what the article got wrong and what is right. "
        "Readers see it under the article and on the corrections page.",
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["corrected_at", "pk"]

    def __str__(self):
        return f"Correction to {self.article} ({self.corrected_at:%Y-%m-%d})"


class PublishingEvent(models.Model):
    """The audit log: who submitted, published, scheduled or unpublished which article, when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished"

    # The log outlives the article: keep the row and the title it had.
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, related_name="publishing_events"
    )
    article_title = models.CharField(max_length=200)
    action = models.CharField(max_length=12, choices=Action)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="The publication time the article had after the action."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article_title}"


# The environment's defaults for a site that never saved its preferences.
def default_allow_training():
    return settings.AI_ALLOW_TRAINING


def default_allow_answers():
    return settings.AI_ALLOW_ANSWERS


def default_allow_user_fetch():
    return settings.AI_ALLOW_USER_FETCH


class SiteAIPreferences(AtomicSave, models.Model):
    """The site's AI-use preferences: one row, edited in the admin; the environment gives the
    values it starts with (AI_ALLOW_TRAINING, AI_ALLOW_ANSWERS, AI_ALLOW_USER_FETCH)."""

    allow_training = models.BooleanField(
        "allow AI training",
        default=default_allow_training,
        help_text="Crawlers that collect text to train models (GPTBot, ClaudeBot, CCBot…).",
    )
    allow_answers = models.BooleanField(
        "allow AI search answers",
        default=default_allow_answers,
        help_text="Crawlers that index articles for AI answers (OAI-SearchBot, PerplexityBot…).",
    )
    allow_user_fetch = models.BooleanField(
        "allow user-requested fetches",
        default=default_allow_user_fetch,
        help_text="Assistants fetching an article because a person asked (ChatGPT-User…).",
    )

    class Meta:
        verbose_name = verbose_name_plural = "AI-use preferences"

    def __str__(self):
        return "AI-use preferences"

    def save(self, *args, **kwargs):
        self.pk = 1  # one row
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The stored row, or the environment's defaults when none was saved (nothing written)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class SitePage(AtomicSave, models.Model):
    """A trust page: who is behind the site and by which rules it works."""

    class Kind(models.TextChoices):
        PUBLISHING_PRINCIPLES = "publishing-principles", "Publishing principles"
        CORRECTIONS_POLICY = "corrections-policy", "Corrections policy"
        ETHICS_POLICY = "ethics-policy", "Ethics policy"
        MASTHEAD = "masthead", "Masthead"
        OWNERSHIP_FUNDING = "ownership-and-funding", "Ownership and funding"
        FEEDBACK_POLICY = "feedback-policy", "Feedback policy"
        CONTACT = "contact", "Contact"

    kind = models.CharField(max_length=30, choices=Kind, unique=True)
    title = models.CharField(
        max_length=120, validators=[validate_clean_text, validate_no_bidi_controls]
    )
    body = MarkdownxField(validators=[validate_clean_text], help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:site-page", args=[self.kind])


class Autosave(models.Model):
    """What one person's change form held a few seconds ago. Never published, never the
    article itself: the form offers it back, and a save of the article discards it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_autosave_per_person")
        ]

    def __str__(self):
        return f"Autosave of {self.article} by {self.user}"
