from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.article_markdown import MarkdownFormatError, export, parse, save_parsed
from articles.models import Article, Author, Status

from .factories import ArticleFactory, CalloutFactory, FAQEntryFactory

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "article.md"
DEMO = sorted((Path(__file__).resolve().parents[1] / "articles" / "demo_content").glob("*.md"))

needs_reference = pytest.mark.skipif(
    not REFERENCE.exists(), reason=f"the reference article is not at {REFERENCE}"
)


@needs_reference
def test_importing_the_reference_article_keeps_every_part():
    call_command("import_articles", str(REFERENCE), "--status", "published", verbosity=0)
    article = Article.objects.get()
    assert article.slug == "qwen-won-open-source-then-half-closed"
    assert article.title.startswith("Qwen quietly won open-source AI")
    assert article.standfirst.startswith("Qwen is the world")
    assert article.kicker.startswith("The most-downloaded open model family")
    assert [a.name for a in article.authors.all()] == ["The InsidersFeed Desk"]
    assert article.authors.get().kind == Author.Kind.DESK
    callouts = list(article.callouts.all())
    assert [(c.kind, c.label) for c in callouts] == [
        ("key", "The take:"),
        ("note", "Fair counter:"),
    ]
    body = article.body
    assert body.startswith("[[callout:the-take]]")
    assert body.index("Give away the on-ramp") < body.index("[[callout:fair-counter]]")
    assert body.index("[[callout:fair-counter]]") < body.index("So don't mistake")
    assert [f.question for f in article.faq_entries.all()] == [
        "Is Qwen still open-source?",
        "Why does Qwen give models away?",
    ]
    assert "## FAQ" not in body


def snapshot(article):
    article.refresh_from_db()
    return {
        "fields": [
            article.title, article.slug, article.standfirst, article.kicker, article.body,
            article.body_html, article.section_id, article.published_at,
        ],
        "authors": [a.pk for a in article.authors.all()],
        "callouts": [(c.kind, c.label, c.body, c.marker) for c in article.callouts.all()],
        "faq": [(f.question, f.answer, f.answer_html) for f in article.faq_entries.all()],
    }  # fmt: skip


@pytest.mark.parametrize("source", [*DEMO, pytest.param(REFERENCE, marks=needs_reference)])
def test_export_then_import_gives_the_same_article(source, tmp_path, settings):
    settings.SITE_URL = "https://insidersfeed.com"
    article = save_parsed(parse(source.read_text()), status=Status.PUBLISHED, trusted=True)
    before = snapshot(article)
    call_command("export_articles", article.slug, output_dir=tmp_path, verbosity=0)
    exported = (tmp_path / f"{article.slug}.md").read_text()
    call_command(
        "import_articles",
        str(tmp_path / f"{article.slug}.md"),
        "--status",
        "published",
        "--update",
        verbosity=0,
    )
    assert Article.objects.count() == 1
    assert snapshot(article) == before
    assert export(Article.objects.get()) == exported


def test_an_admin_written_article_survives_the_round_trip():
    article = ArticleFactory(
        body="Intro.\n\n[[callout:heads-up]]\n\nMore.\n\n- a list\n- of things"
    )
    CalloutFactory(article=article, marker="heads-up", label="Heads up:", body="One.\n\nTwo.")
    FAQEntryFactory(article=article, answer="First.\n\nSecond paragraph.")
    before = snapshot(article)
    text = export(article)
    Article.objects.all().delete()
    imported = save_parsed(parse(text), status=Status.PUBLISHED, trusted=True)
    after = snapshot(imported)
    assert after["callouts"] == before["callouts"]
    assert after["faq"] == before["faq"]
    assert after["fields"][4:6] == before["fields"][4:6]  # body and body_html
    assert export(imported) == text


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Title without hash\n", 1, "title"),
        ("# Title\n\nNo standfirst here\n", 3, "standfirst"),
        ("# T\n\n> S\n\n*K*\n\nWritten by nobody\n", 7, "byline"),
        ("# T\n> S\nBy A · X\nPublished: yesterday\n\nBody.\n", 4, "ISO 8601"),
        ("# T\n> S\nBy A · X\nCanonical: not-a-url\n\nBody.\n", 4, "absolute"),
        ("# T\n> S\nBy A · X\n\nBody.\n\n## FAQ\n\nStray text\n", 9, "FAQ question"),
        (
            "# T\n> S\nBy A · X\n\nBody.\n\n## FAQ\n\n### Empty?\n\n### Next?\nYes.\n",
            9,
            "no answer",
        ),
        ("# T\n> S\nBy A · X\n\n", 4, "no body"),
        ("# T\n> S\nBy A · X\n\nBody.\n\n[[callout:The-Take]]\n", 7, "looks like a callout"),
        ("# T\n> S\nBy A · X\n\nSee [[callout:take]] here.\n", 5, "looks like a callout"),
    ],
)
def test_malformed_files_name_the_line(text, line, message):
    with pytest.raises(MarkdownFormatError) as error:
        parse(text)
    assert error.value.line == line
    assert message in str(error.value)


def test_a_bad_file_in_a_batch_leaves_nothing_half_imported(tmp_path):
    good = tmp_path / "good.md"
    good.write_text(DEMO[0].read_text())
    bad = tmp_path / "bad.md"
    bad.write_text("# T\n> S\nBy A · X\n\nBody.\n\n## FAQ\n\nStray\n")
    with pytest.raises(CommandError, match=r"bad\.md: line 9"):
        call_command("import_articles", str(good), str(bad), verbosity=0)
    assert not Article.objects.exists()
    assert not Author.objects.exists()


def test_import_of_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_articles", str(tmp_path / "nope.md"), verbosity=0)
