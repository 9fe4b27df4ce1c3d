"""import_articles: no silent overwrite, a revision first, audit events, a dry run that shows."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from articles.article_markdown import export
from articles.models import Article, PublishingEvent, Status

from .factories import ArticleFactory, CalloutFactory, FAQEntryFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("import_articles", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def live(settings):
    settings.SITE_URL = "https://insidersfeed.com"
    article = ArticleFactory(title="The live title", body="Intro.\n\n[[callout:take]]")
    CalloutFactory(article=article, marker="take", label="Take:", body="The take.")
    FAQEntryFactory(article=article, question="Why?", answer="Because.")
    return article


def edited_export(article, tmp_path, *replacements):
    text = export(article)
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / f"{article.slug}.md"
    path.write_text(text)
    return path


def test_an_existing_slug_is_refused_without_update(live, tmp_path):
    path = edited_export(live, tmp_path, ("The live title", "Overwritten"))
    with pytest.raises(CommandError, match="--update"):
        run(path)
    live.refresh_from_db()
    assert (live.title, live.status) == ("The live title", Status.PUBLISHED)


def test_update_keeps_the_status_records_a_revision_first_and_says_what_changed(live, tmp_path):
    path = edited_export(
        live,
        tmp_path,
        ("The live title", "The new title"),
        ("The take.", "A sharper take."),
        ("Because.", "Because it is."),
    )
    out = run(path, "--update")
    live.refresh_from_db()
    assert (live.title, live.status) == ("The new title", Status.PUBLISHED)
    assert live.is_public
    assert "(updated)" in out
    assert "title: 'The live title' -> 'The new title'" in out
    assert "callouts: changed 'take'" in out
    assert "FAQ: changed 'Why?'" in out
    versions = list(Version.objects.get_for_object(live))
    assert [v.field_dict["title"] for v in versions[:2]] == ["The new title", "The live title"]
    assert versions[1].revision.comment.startswith("As it was before import_articles")
    assert not PublishingEvent.objects.exists()  # no publishing change


def test_update_with_a_status_is_audited(live, tmp_path):
    path = edited_export(live, tmp_path)
    out = run(path, "--update", "--status", "draft")
    live.refresh_from_db()
    assert live.status == Status.DRAFT
    assert "status: published -> draft" in out
    event = PublishingEvent.objects.get()
    assert (event.action, event.article, event.user) == ("unpublished", live, None)


def test_dry_run_shows_the_changes_and_writes_nothing(live, tmp_path):
    path = edited_export(live, tmp_path, ("The live title", "The new title"))
    out = run(path, "--update", "--dry-run", "--status", "draft")
    assert "title: 'The live title' -> 'The new title'" in out
    assert "status: published -> draft" in out
    assert "nothing was saved" in out
    live.refresh_from_db()
    assert (live.title, live.status) == ("The live title", Status.PUBLISHED)
    assert not PublishingEvent.objects.exists()
    assert not Version.objects.exists()


def test_dry_run_checks_the_whole_article(tmp_path, live):
    path = edited_export(live, tmp_path, ("Why?", "x" * 400 + "?"))
    with pytest.raises(CommandError, match="at most 300"):
        run(path, "--update", "--dry-run")


def test_a_new_published_article_is_audited(live, tmp_path):
    path = edited_export(live, tmp_path)
    live.delete()
    out = run(path, "--status", "published")
    article = Article.objects.get()
    assert "(new, published)" in out
    assert PublishingEvent.objects.get().article == article


def test_export_with_a_canonical_override_updates_its_own_article(live, tmp_path):
    other = ArticleFactory(slug="other-story", title="The other story")
    live.canonical_url = "https://partner.example/news/other-story"
    live.save()
    path = edited_export(live, tmp_path, ("The live title", "Changed"))
    run(path, "--update")
    other.refresh_from_db()
    assert other.title == "The other story"
    live.refresh_from_db()
    assert live.title == "Changed"


def test_a_second_canonical_line_is_refused(live, tmp_path):
    path = edited_export(
        live,
        tmp_path,
        ("Canonical: ", "Canonical: https://insidersfeed.com/news/other-story\nCanonical: "),
    )
    with pytest.raises(CommandError, match="second 'Canonical:'"):
        run(path, "--update")


def test_the_longest_callout_label_survives_export_and_import(live, tmp_path):
    callout = live.callouts.get()
    callout.label = "L" * 80
    callout.save()
    path = edited_export(live, tmp_path)
    run(path, "--update")
    assert live.callouts.get().label == "L" * 80


def test_owner_names_who_started_new_articles_only(live, tmp_path, django_user_model):
    jo = django_user_model.objects.create_user("jo", password="x" * 16)
    new = edited_export(live, tmp_path, (f"/news/{live.slug}/", "/news/a-new-one/"))
    new = new.rename(tmp_path / "a-new-one.md")
    updated = edited_export(live, tmp_path, ("The live title", "Retitled"))
    run(new, updated, "--update", "--owner", "jo")
    assert Article.objects.get(slug="a-new-one").created_by == jo
    live.refresh_from_db()
    assert (live.title, live.created_by) == ("Retitled", None)
    with pytest.raises(CommandError, match="no login named 'nobody'"):
        run(new, "--update", "--owner", "nobody")


def test_without_owner_an_imported_article_is_nobodys(tmp_path, live):
    path = edited_export(live, tmp_path, (f"/news/{live.slug}/", "/news/unowned/"))
    run(path)
    assert Article.objects.get(slug="unowned").created_by is None
