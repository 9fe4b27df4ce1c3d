from datetime import timedelta
from io import BytesIO

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from articles.models import Article, Author, Callout, FAQEntry, Section, Status
from images.models import Image


def drawn_png(width=1600, height=900, colour=(30, 90, 160)):
    """A real picture: a coloured field with a light disc off-centre, so crops differ."""
    picture = PILImage.new("RGB", (width, height), colour)
    ImageDraw.Draw(picture).ellipse(
        (width // 5, height // 5, width // 5 + height // 3, height // 5 + height // 3),
        fill=(240, 220, 120),
    )
    out = BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """An image with its original stored (pass width/height for its size); no renditions
    until the task runs (or images.renditions.replace_renditions is called)."""

    class Meta:
        model = Image

    class Params:
        size = (1600, 900)

    file = factory.LazyAttribute(lambda o: ContentFile(drawn_png(*o.size), name="original.png"))
    description = "Ferries at the quay at dawn"
    caption = "The morning crossing leaves on time again."
    credit = "Photo: Ana Ruiz / InsidersFeed"
    licence = "https://creativecommons.org/licenses/by/4.0/"
    creator = "Ana Ruiz"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Story number {n} about the city budget")
    standfirst = "The council found the money, but not where anyone expected."
    kicker = "Read the footnotes before the headline."
    body = "The opening paragraph.\n\n## A subheading\n\nThe second paragraph."
    section = factory.SubFactory(SectionFactory)
    status = Status.PUBLISHED
    # To the second, like the admin's inputs and the <time> elements that show it.
    published_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) - timedelta(hours=1)
    )

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create:
            self.authors.set(extracted if extracted is not None else [AuthorFactory()])


class CalloutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Callout

    article = factory.SubFactory(ArticleFactory)
    kind = Callout.Kind.KEY
    label = "The take:"
    body = "A callout body with **weight**."
    marker = factory.Sequence(lambda n: f"callout-{n}")
    order = factory.Sequence(lambda n: n)


class FAQEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQEntry

    article = factory.SubFactory(ArticleFactory)
    question = factory.Sequence(lambda n: f"What is question number {n}?")
    answer = "An answer with a [link](https://example.org/) and *emphasis*."
    order = factory.Sequence(lambda n: n)
