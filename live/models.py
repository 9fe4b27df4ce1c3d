"""Live coverage: an article told in timestamped updates, newest first, a pinned one on top."""

import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from markdownx.models import MarkdownxField

from articles.markdown_limits import validate_markdown_cost
from articles.models import ONE_LINE_TEXT, AnnouncedQuerySet, Article, Author
from articles.newlines import normalise_newlines
from articles.rendering import render_markdown
from articles.validators import validate_clean_text, validate_one_line

# Clocks on editors' machines and servers differ a little; more than this ahead is a mistake.
CLOCK_SKEW = timedelta(minutes=1)
HEADLINE_FALLBACK_WORDS = 12


def update_image_path(update, filename):
    """Random stored names, as for article images: nothing anyone names reaches the disk."""
    extension = PurePath(filename).suffix.lower()
    return f"live/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def not_in_the_future(value):
    if value and value > timezone.now() + CLOCK_SKEW:
        raise ValidationError(
            "This time is in the future. Live coverage shows what has happened: use now "
            "or a time that has passed."
        )


class Coverage(models.Model):
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="coverage")
    started_at = models.DateTimeField(
        default=timezone.now,
        validators=[not_in_the_future],
        help_text="When the coverage began; shown to machines as the coverage start time.",
    )
    ended_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[not_in_the_future],
        help_text="Leave empty while the story is running. Set it when the coverage ends: the "
        "page then says “Coverage ended” and stops asking readers' browsers for updates.",
    )
    about = models.CharField(
        max_length=200,
        blank=True,
        validators=ONE_LINE_TEXT,
        help_text="What the coverage is about, in a few words, e.g. “2026 general election”.",
    )
    # Moves with every update posted, corrected or deleted: the page's Last-Modified.
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "coverage"

    def __str__(self):
        return f"Live: {self.article.title}"

    def clean(self):
        if self.ended_at and self.started_at and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": "The coverage cannot end before it starts."})

    @property
    def is_running(self):
        return self.ended_at is None


class UpdateQuerySet(AnnouncedQuerySet):
    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_page(self):
        return self.prefetch_related("authors").newest_first()

    def stream(self):
        """The updates in the paged stream: every one but the pinned, which stand on top."""
        return self.filter(pinned=False)


class Update(models.Model):
    coverage = models.ForeignKey(Coverage, on_delete=models.CASCADE, related_name="updates")
    published_at = models.DateTimeField(
        default=timezone.now,
        validators=[not_in_the_future],
        help_text="When it happened or was posted; updates are shown newest first.",
    )
    authors = models.ManyToManyField(Author, related_name="live_updates", blank=True)
    headline = models.CharField(
        max_length=200,
        blank=True,
        validators=ONE_LINE_TEXT,
        help_text="Optional. Without one, machines read the first words of the body.",
    )
    body = MarkdownxField(validators=[validate_clean_text, validate_markdown_cost])
    body_html = models.TextField(editable=False, default="")
    image = models.ImageField(
        upload_to=update_image_path,
        width_field="image_width",
        height_field="image_height",
        blank=True,
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        "image description",
        max_length=250,
        blank=True,
        validators=[validate_clean_text, validate_one_line],
        help_text="What the image shows, for readers who cannot see it. Required with an image.",
    )
    pinned = models.BooleanField(
        default=False,
        help_text="Keep it on top of the page, above the newest updates: a summary or key fact.",
    )

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["coverage", "-published_at", "-id"], name="live_update_stream_idx")
        ]

    def __str__(self):
        return self.headline or self.excerpt

    def save(self, *args, **kwargs):
        self.body = normalise_newlines(self.body)  # as the newsroom's own text is stored
        self.body_html = render_markdown(self.body)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": "Describe the image for readers who cannot see it."}
            )

    @property
    def excerpt(self):
        """The first words of the body as text: the headline machines get when there is none."""
        text = " ".join(strip_tags(self.body_html or render_markdown(self.body)).split())
        return Truncator(text).words(HEADLINE_FALLBACK_WORDS, truncate="…")

    @property
    def anchor(self):
        return f"update-{self.pk}"


class UpdateEvent(models.Model):
    """The audit log of live updates: who posted, corrected or deleted which, when."""

    class Action(models.TextChoices):
        POSTED = "posted", "Posted"
        CORRECTED = "corrected", "Corrected"
        DELETED = "deleted", "Deleted"

    # The log outlives the update and the article: keep the rows and what they said.
    update = models.ForeignKey(Update, on_delete=models.SET_NULL, null=True, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, related_name="+")
    article_title = models.CharField(max_length=200)
    summary = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=Action)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.summary}"
