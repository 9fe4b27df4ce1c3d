"""Fill the benchmark database with a realistic newsroom: thousands of articles, each with
callouts, FAQ entries, a section and a byline. Run through manage.py shell."""

import os
import random
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from articles.article_markdown import parse, save_parsed
from articles.models import Article, Author, Callout, FAQEntry, Section, Status
from articles.rendering import render_markdown

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "3000"))
DEMO = Path("articles/demo_content/02-open-source-runs-on-goodwill.md")

random.seed(7)


@transaction.atomic
def seed(count=ARTICLES):
    template = save_parsed(parse(DEMO.read_text()), status=Status.PUBLISHED, trusted=True)
    sections = [Section.objects.get_or_create(name=n, slug=n.lower())[0] for n in
                ["World", "Politics", "Business", "Technology", "Science", "Culture"]]  # fmt: skip
    authors = [Author.objects.create(name=f"Reporter {n}", slug=f"reporter-{n}") for n in range(40)]
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"{template.title} ({n})",
            slug=f"{template.slug}-{n}",
            standfirst=template.standfirst,
            kicker=template.kicker,
            body=template.body,
            section=random.choice(sections),
            status=Status.PUBLISHED,
            published_at=now - timedelta(minutes=n * 7),
        )
        for n in range(1, count)
    )
    Article.authors.through.objects.bulk_create(
        Article.authors.through(article=article, author=random.choice(authors))
        for article in articles
    )
    callouts = list(template.callouts.all())
    Callout.objects.bulk_create(
        Callout(article=article, kind=c.kind, label=c.label, body=c.body, marker=c.marker,
                order=c.order)
        for article in articles for c in callouts
    )  # fmt: skip
    answer_html = render_markdown(template.faq_entries.first().answer)
    FAQEntry.objects.bulk_create(
        FAQEntry(article=article, question=f"Question {q} about story {article.pk}?",
                 answer="An answer with a [link](https://example.org/).", answer_html=answer_html,
                 order=q)
        for article in articles for q in range(3)
    )  # fmt: skip
    return Article.objects.count()


print(seed())
