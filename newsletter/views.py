"""Subscribe, confirm, unsubscribe and delete: pages that work without JavaScript.

The sign-up page is an ordinary cached public page, so it carries no CSRF token. Its form
posts to `subscribe`, which is exempt from CSRF on purpose: the worst a forged post can do is
what anyone can do with the form, ask for one confirmation email, and that is rate-limited
per address and per client; nothing is sent until the link in it is followed (double opt-in).
The token views are exempt too: the unguessable token in the link is the reader's credential,
and mail clients post to the unsubscribe link without any cookie (RFC 8058).
"""

import uuid

from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from distribution.models import Delivery
from distribution.outbox import enqueue_on_commit
from pages.decorators import cache_public_page

from . import ratelimit
from .forms import SubscribeForm
from .models import Subscriber
from .sending import email_configured


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@cache_public_page
def signup(request):
    return render(
        request, "newsletter/signup.html", {"form": SubscribeForm(), "enabled": email_configured()}
    )


def _client(request):
    return request.META.get("REMOTE_ADDR", "")


@csrf_exempt
@never_cache
@require_POST
def subscribe(request):
    if not email_configured():
        page = {"title": "Not available yet", "message": "The email edition is not open yet."}
        return _private(render(request, "newsletter/message.html", page, status=503))
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "enabled": True}
        return _private(render(request, "newsletter/signup.html", context, status=400))
    address = form.cleaned_data["email"]
    if not ratelimit.allowed(address, _client(request)):
        page = {"title": "Too many requests", "message": "Please try again in an hour."}
        return _private(render(request, "newsletter/message.html", page, status=429))
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=address)
        if subscriber.status != Subscriber.Status.CONFIRMED:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.save(update_fields=["status"])
            delivery = Delivery.objects.create(
                key=f"confirm:{subscriber.pk}:{uuid.uuid4().hex}",
                kind=Delivery.Kind.EMAIL,
                target=f"subscriber {subscriber.pk}",
                payload={"confirm": True, "subscriber": subscriber.pk},
            )
            enqueue_on_commit([delivery.pk])
    # The same answer whatever the address's state: nobody learns who subscribes.
    page = {
        "title": "Check your inbox",
        "message": "If that address can receive our email edition, a confirmation link is on "
        "its way. Nothing is sent until you follow it.",
    }
    return _private(render(request, "newsletter/message.html", page))


def _subscriber(token):
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None or len(token) > 64:
        raise Http404("No such subscription.")
    return subscriber


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscriber = _subscriber(token)
    if request.method == "GET":
        # A button, not an action on GET: link scanners in mail systems follow links.
        return _private(render(request, "newsletter/confirm.html", {"token": token}))
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
    page = {"title": "You are subscribed", "message": "The next edition will reach you."}
    return _private(render(request, "newsletter/message.html", page))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = _subscriber(token)
    if request.method == "GET":
        return _private(render(request, "newsletter/unsubscribe.html", {"token": token}))
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    page = {"title": "You are unsubscribed", "message": "You will get no more email from us."}
    return _private(render(request, "newsletter/message.html", page))


@csrf_exempt
@never_cache
@require_POST
def delete_data(request, token):
    subscriber = _subscriber(token)
    with transaction.atomic():
        Delivery.objects.filter(
            kind=Delivery.Kind.EMAIL, target=f"subscriber {subscriber.pk}"
        ).delete()
        subscriber.delete()
    page = {"title": "Your data is deleted", "message": "We no longer hold your address."}
    return _private(render(request, "newsletter/message.html", page))
