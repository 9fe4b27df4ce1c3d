"""The newsroom's publishing rules: who may publish, what counts as publishing, the audit log,
and signed share links for outside reviewers."""

from django.conf import settings
from django.core import signing
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


def record(article, user, action):
    return PublishingEvent.objects.create(
        article=article,
        article_title=article.title,
        action=action,
        user=user if user and user.is_authenticated else None,
        published_at=article.published_at,
    )


def share_token(article):
    return signing.dumps({"article": article.pk}, salt=SHARE_LINK_SALT, compress=True)


def article_pk_from_share_token(token):
    """The article a share link points at; raises signing.SignatureExpired / BadSignature."""
    data = signing.loads(token, salt=SHARE_LINK_SALT, max_age=settings.SHARE_LINK_MAX_AGE)
    return data["article"]
