from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Callout, FAQEntry, Status

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_demo_content_loads_published_articles_with_callouts_and_faq():
    assert "Loaded 4 demo articles" in run("load_demo_content")
    # The live demo article (live/demo_content) is told in updates, not callouts and FAQ.
    articles = Article.objects.published().filter(coverage__isnull=True)
    assert articles.count() == 4
    for article in articles:
        kinds = [c.kind for c in article.callouts.all()]
        assert kinds == [Callout.Kind.KEY, Callout.Kind.NOTE]
        assert article.faq_entries.count() >= 2
        assert "[[callout" not in article.body_html
        assert article.body_html.count("<aside") == 2


def test_demo_content_is_safe_to_load_twice():
    run("load_demo_content")
    counts = (Article.objects.count(), Callout.objects.count(), FAQEntry.objects.count())
    run("load_demo_content")
    assert (Article.objects.count(), Callout.objects.count(), FAQEntry.objects.count()) == counts


def test_loading_the_demo_again_keeps_what_an_editor_changed():
    run("load_demo_content")
    article = Article.objects.order_by("pk").first()
    Article.objects.filter(pk=article.pk).update(title="An editor's headline", status="unpublished")
    output = run("load_demo_content")
    assert "Loaded 0 demo articles" in output and "Kept 4 that exist" in output
    article.refresh_from_db()
    assert (article.title, article.status) == ("An editor's headline", "unpublished")
    assert "Loaded 4 demo articles" in run("load_demo_content", "--update")
    article.refresh_from_db()
    assert article.title != "An editor's headline" and article.status == "published"


def test_demo_dry_run_saves_nothing():
    assert "Checked 4" in run("load_demo_content", "--dry-run")
    assert not Article.objects.exists()


def test_ensure_admin_creates_one_superuser_with_a_random_password():
    first = run("ensure_admin")
    user = get_user_model().objects.get(is_superuser=True)
    password = first.split("password '")[1].split("'")[0]
    assert len(password) >= 16
    assert user.check_password(password)
    second = run("ensure_admin")
    assert "password" not in second.split("Forgot")[0]
    assert get_user_model().objects.count() == 1
    another = run("ensure_admin")
    assert another == second


def test_demo_articles_are_published_status():
    run("load_demo_content")
    assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
