"""The newsroom's publishing rules: who may publish, what counts as publishing, the audit log,
signed share links for outside reviewers, and the article list's transitions."""

import secrets

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import PublishingEvent, Status

PUBLISH_PERMISSION = "articles.publish_article"
# What a journalist may set. Publishing, scheduling and unpublishing are for editors.
JOURNALIST_STATUSES = (Status.DRAFT, Status.REVIEW)
SHARE_LINK_SALT = "articles.share-link"


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def statuses_for(user, current=None):
    """The status choices a user may pick, given the article's current status."""
    if can_publish(user):
        return list(Status)
    allowed = list(JOURNALIST_STATUSES)
    if current == Status.UNPUBLISHED:
        allowed.append(Status.UNPUBLISHED)
    return allowed


def is_publishing_change(before, after):
    """Does going from `before` to `after` ((status, published_at) pairs) need an editor?

    Anything that makes an article published, changes when a published article goes live,
    or takes a published article down.
    """
    before_status, before_time = before or (None, None)
    after_status, after_time = after
    if Status.PUBLISHED in (before_status, after_status):
        return before != after
    return before_time != after_time


def transition(before, after, now=None):
    """The audit action for a status change, or None when nothing worth logging happened."""
    now = now or timezone.now()
    before_status, before_time = before or (None, None)
    after_status, after_time = after
    if before == after:
        return None
    if after_status == Status.PUBLISHED:
        if after_time and after_time > now:
            return PublishingEvent.Action.SCHEDULED
        was_public = before_status == Status.PUBLISHED and before_time and before_time <= now
        return None if was_public else PublishingEvent.Action.PUBLISHED
    if before_status == Status.PUBLISHED:
        return PublishingEvent.Action.UNPUBLISHED
    if after_status == Status.REVIEW and before_status != Status.REVIEW:
        return PublishingEvent.Action.SUBMITTED
    return None


def stored_state(article):
    """The (status, published_at) pair the database holds for an article; None for a new one."""
    if article.pk is None:
        return None
    row = type(article).objects.filter(pk=article.pk).values_list("status", "published_at")
    return row.first()


def check_permission(user, before, after, *, trusted=False):
    """Refuse a publishing change to anyone without the publish permission.

    `user=None` is for commands run by an operator; they must pass `trusted=True` to say so.
    """
    if user is None:
        if not trusted:
            raise PermissionDenied("Only a trusted command may change an article with no user.")
        return
    if is_publishing_change(before, after) and not can_publish(user):
        raise PermissionDenied("Only editors publish, schedule or unpublish articles.")


def change_status(
    article, *, user, status, published_at=None, via, before=None, trusted=False, comment=""
):
    """The one way an article is saved with a status: every path that writes one uses it.

    Checks that `user` may make this change (PermissionDenied for a publishing change without
    `articles.publish_article`; `user=None` only with `trusted=True`, for operator commands),
    sets `status` and, when given, `published_at` (None keeps the article's own time; the model
    fills in "now" when it is published without one), saves the article with every other
    change already made to it inside a django-reversion revision, writes the PublishingEvent
    audit row when the change is worth logging, and returns that event or None.

    `via` names the path in the revision's comment ("the change form", "the article list",
    "import", ...). `before` is the (status, published_at) the article had, for callers whose
    database row was already changed (a revision restore); by default it is read from the
    database. The page cache and shared caches hear of the save through the post_save
    receivers in articles/signals.py.
    """
    before = before if before is not None else stored_state(article)
    after_time = published_at if published_at is not None else article.published_at
    if status == Status.PUBLISHED and after_time is None:
        after_time = timezone.now().replace(microsecond=0)  # to the second, as pages show it
    check_permission(user, before, (status, after_time), trusted=trusted)
    with transaction.atomic(), reversion.create_revision():
        article.status = status
        article.published_at = after_time
        article.save()
        action = transition(before, (article.status, article.published_at))
        if user is not None:
            reversion.set_user(user)
        label = action.label if action else "Saved"
        reversion.set_comment(comment or f"{label} via {via}.")
        return record(article, user, action) if action else None


def record(article, user, action):
    return PublishingEvent.objects.create(
        article=article,
        article_title=article.title,
        action=action,
        user=user if user and user.is_authenticated else None,
        published_at=article.published_at,
    )


def share_token(article):
    """A signed link for outside reviewers; it carries the article's share key, so that
    revoke_share_links ends every link given out so far."""
    if not article.share_key:
        article.share_key = secrets.token_hex(16)
        type(article).objects.filter(pk=article.pk).update(share_key=article.share_key)
    data = {"article": article.pk, "key": article.share_key}
    return signing.dumps(data, salt=SHARE_LINK_SALT, compress=True)


def revoke_share_links(article):
    article.share_key = secrets.token_hex(16)
    type(article).objects.filter(pk=article.pk).update(share_key=article.share_key)


def shared_article_pk(token):
    """The article a share link points at, with the key it was made with; raises
    signing.SignatureExpired / BadSignature."""
    data = signing.loads(token, salt=SHARE_LINK_SALT, max_age=settings.SHARE_LINK_MAX_AGE)
    return data["article"], data.get("key", "")


def share_link_works(article, key):
    """A link works while its key is the article's and the article is not taken down."""
    return bool(key) and key == article.share_key and article.status != Status.UNPUBLISHED


# The article list's actions: each a transition of the selected articles through change_status.


def _apply(request, articles, status, verb, at=None):
    count = 0
    for article in articles:
        change_status(
            article, user=request.user, status=status, published_at=at, via="the article list"
        )
        count += 1
    if count:
        reversion.set_comment(f"{verb} from the article list.")
    messages.success(request, f"{verb}: {count} article(s).")


@admin.action(description="Submit selected articles for review", permissions=["change"])
def submit_for_review(model_admin, request, queryset):
    articles = queryset.filter(status__in=[Status.DRAFT, Status.UNPUBLISHED])
    _apply(request, articles, Status.REVIEW, "Submitted for review")


@admin.action(description="Publish selected articles now", permissions=["publish"])
def publish_now(model_admin, request, queryset):
    articles = queryset.exclude(status=Status.PUBLISHED, published_at__lte=timezone.now())
    _apply(request, articles, Status.PUBLISHED, "Published", at=timezone.now())


@admin.action(
    description="Schedule selected articles for their publication time", permissions=["publish"]
)
def schedule(model_admin, request, queryset):
    articles = queryset.filter(published_at__gt=timezone.now())
    skipped = queryset.count() - articles.count()
    if skipped:
        messages.warning(
            request,
            f"{skipped} article(s) have no publication time in the future. "
            "Set one on the article first.",
        )
    _apply(request, articles, Status.PUBLISHED, "Scheduled")


@admin.action(description="Unpublish selected articles", permissions=["publish"])
def unpublish(model_admin, request, queryset):
    articles = queryset.filter(status=Status.PUBLISHED)
    _apply(request, articles, Status.UNPUBLISHED, "Unpublished")


LIST_ACTIONS = [submit_for_review, publish_now, schedule, unpublish]
