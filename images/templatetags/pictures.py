"""{% picture image crop sizes loading priority %}: an image as <picture>, from its
prefetched renditions (AVIF and WebP sources, JPEG fallback), or the original while the
renditions are not made yet. Width and height are always there, so nothing shifts."""

from django import template

register = template.Library()

SOURCE_FORMATS = ("avif", "webp")
# The fallback <img src> for browsers without srcset: wide enough for a phone or a card.
FALLBACK_WIDTH = 800


def srcset(renditions):
    return ", ".join(f"{rendition.file.url} {rendition.width}w" for rendition in renditions)


@register.inclusion_tag("images/picture.html")
def picture(image, crop="free", sizes="100vw", loading="lazy", priority=False, css_class=""):
    context = {"image": image, "sizes": sizes, "priority": priority, "css_class": css_class,
               "loading": "eager" if priority else loading}  # fmt: skip
    if image is None:
        return context
    jpegs = image.renditions_of(crop, "jpeg")
    if not jpegs:
        context["img"] = {"src": image.file.url, "width": image.width, "height": image.height}
        return context
    fallback = next((r for r in jpegs if r.width >= FALLBACK_WIDTH), jpegs[-1])
    context["sources"] = [
        {"type": f"image/{name}", "srcset": srcset(found)}
        for name in SOURCE_FORMATS
        if (found := image.renditions_of(crop, name))
    ]
    context["img"] = {"src": fallback.file.url, "srcset": srcset(jpegs),
                      "width": fallback.width, "height": fallback.height}  # fmt: skip
    return context
