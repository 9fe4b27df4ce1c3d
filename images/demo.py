"""The demo content's pictures: each demo article's lead image and each demo author's
portrait, drawn (images/demo_art.py), stored under the same upload rules as any other image,
and given to the article or author through the usual saving paths."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import workflow
from articles.editor import decode_image
from articles.models import Author

from . import demo_art
from .models import Image

CREDIT = "Illustration: InsidersFeed graphics desk"
CREATOR = "InsidersFeed graphics desk"
LICENCE = "© InsidersFeed. Not for reuse without permission."

# Demo people: what their author pages say about them when nobody has written it yet.
DEMO_PEOPLE = {
    "Maya Okafor": ("Technology correspondent",
                    "Maya covers the software and hardware everyone relies on and nobody "
                    "budgets for, from open-source maintainers to phone repair benches."),
    "Tomas Lindqvist": ("Policy reporter",
                        "Tomas follows public money into infrastructure: broadband subsidies, "
                        "grid upgrades and the contracts behind them."),
}  # fmt: skip


def stored_image(picture, name, **fields):
    """An Image row for a drawn picture, decoded and re-encoded like an upload. Saving it
    queues its renditions for the worker (images.apps)."""
    out = BytesIO()
    picture.save(out, "JPEG", quality=95)  # flat colours: JPEG encodes them ten times faster
    data, extension = decode_image(SimpleUploadedFile(f"{name}.jpg", out.getvalue()))
    image = Image(credit=CREDIT, creator=CREATOR, licence=LICENCE, **fields)
    image.file.save(f"{name}.{extension}", ContentFile(data), save=False)
    image.full_clean()
    image.save()
    return image


def give_lead_image(article, via):
    """Draw the demo article's picture, unless it has one (or no picture is drawn for it)."""
    found = demo_art.LEAD_PICTURES.get(article.slug)
    if article.lead_image_id or found is None:
        return None
    draw, description, caption = found
    article.lead_image = stored_image(
        draw(), article.slug, description=description, caption=caption, focal_x=0.5, focal_y=0.45
    )
    workflow.change_status(article, user=None, status=article.status, via=via, trusted=True,
                           comment=f"Lead image drawn by {via}.")  # fmt: skip
    return article.lead_image


def give_portraits(authors):
    """A drawn portrait for each demo author without one; a job title and bio for the demo
    people who have none."""
    drawn = []
    for index, author in enumerate(authors):
        if author.portrait_id:
            continue
        job_title, bio = DEMO_PEOPLE.get(author.name, ("", ""))
        author.job_title = author.job_title or job_title
        author.bio = author.bio or bio
        author.portrait = stored_image(
            demo_art.portrait(author.name, index), f"portrait-{author.slug}",
            description=f"The initials of {author.name} in a ring.",
        )  # fmt: skip
        author.full_clean()
        author.save()
        drawn.append(author)
    return drawn


def demo_authors(articles):
    return list(Author.objects.filter(articles__in=articles).distinct().order_by("pk"))
