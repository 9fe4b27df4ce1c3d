"""Draw the favicon and the touch icon from the site's mark (the same design as favicon.svg).

The files are committed under public/ and served at the site root; run this again only to
change the design: `manage.py draw_site_icons`.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw, ImageFont

MARK_RED = (138, 28, 28)
SERIF_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")


def draw_mark(size):
    """A rounded red square with the initials in white serif, drawn at 4x and scaled down."""
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 // 32, fill=MARK_RED)
    font_size = big * 18 // 32
    font = (
        ImageFont.truetype(str(SERIF_BOLD), font_size)
        if SERIF_BOLD.exists()
        else ImageFont.load_default(size=font_size)
    )
    draw.text((big / 2, big / 2), "IF", font=font, fill="white", anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


class Command(BaseCommand):
    help = "Draw public/favicon.ico (16, 32, 48 px) and public/apple-touch-icon.png (180 px)."

    def handle(self, *args, **options):
        root = Path(settings.WHITENOISE_ROOT)
        root.mkdir(exist_ok=True)
        draw_mark(48).save(root / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
        # Touch icons sit on a home screen: opaque, the system rounds the corners itself.
        touch = Image.new("RGB", (180, 180), MARK_RED)
        touch.paste(draw_mark(180), mask=draw_mark(180))
        touch.save(root / "apple-touch-icon.png", optimize=True)
        self.stdout.write(f"Drew {root / 'favicon.ico'} and {root / 'apple-touch-icon.png'}")
