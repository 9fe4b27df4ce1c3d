from datetime import timedelta

import factory
from django.utils import timezone

from live.models import Coverage, Update

from .factories import ArticleFactory


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    article = factory.SubFactory(ArticleFactory)
    started_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) - timedelta(minutes=50)
    )
    about = "The city council's budget night"


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Update
        skip_postgeneration_save = True

    coverage = factory.SubFactory(CoverageFactory)
    headline = factory.Sequence(lambda n: f"Update number {n}")
    body = factory.Sequence(lambda n: f"The council voted on item {n}. **Seven** in favour.")
    # Each one a second after the one before, all in the past, to the second.
    published_at = factory.Sequence(
        lambda n: (
            timezone.now().replace(microsecond=0) - timedelta(minutes=40) + timedelta(seconds=n)
        )
    )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)


def updates_for(coverage, count, **fields):
    """`count` updates on `coverage` in one insert, oldest first, a second apart."""
    start = timezone.now().replace(microsecond=0) - timedelta(seconds=count + 60)
    rows = [
        Update(
            coverage=coverage,
            headline=f"Bulk update {number}",
            body=f"Bulk body {number}.",
            body_html=f"<p>Bulk body {number}.</p>",
            published_at=start + timedelta(seconds=number),
            **fields,
        )
        for number in range(count)
    ]
    return Update.objects.bulk_create(rows)
