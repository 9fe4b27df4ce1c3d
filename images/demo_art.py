"""Original pictures for the demo content, drawn with Pillow: the same picture every time
(seeded), nothing downloaded. Each function returns a PIL image."""

import itertools
import math
import random

from PIL import Image, ImageDraw, ImageFont

SIZE = (1800, 1200)  # 3:2, so every crop has a 1200 px version


def _gradient(size, top, bottom):
    """A vertical gradient, drawn as one column and stretched (fast at any size)."""
    _, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize(size)


def heat_pumps():
    """A school on a winter night, warmth rising from it against the cold."""
    picture = _gradient(SIZE, (14, 36, 74), (92, 140, 190))
    draw = ImageDraw.Draw(picture)
    seed = random.Random(1)  # noqa: S311 (a drawing, not a secret)
    for _ in range(160):
        x, y, r = seed.randrange(SIZE[0]), seed.randrange(SIZE[1]), seed.choice((2, 3, 4))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(235, 242, 255))
    draw.rectangle((0, 980, SIZE[0], SIZE[1]), fill=(228, 236, 244))
    for index, radius in enumerate(range(520, 160, -60)):
        warm = (255, 150 + index * 15, 60 + index * 10)
        draw.arc((900 - radius, 700 - radius, 900 + radius, 700 + radius), 200, 340, warm, 14)
    draw.rectangle((560, 640, 1240, 990), fill=(58, 44, 40))
    draw.polygon([(520, 650), (900, 430), (1280, 650)], fill=(86, 40, 32))
    for column in range(5):
        for row in range(2):
            left, top = 610 + column * 124, 690 + row * 140
            draw.rectangle((left, top, left + 70, top + 90), fill=(255, 205, 120))
    draw.rectangle((1300, 860, 1460, 990), fill=(210, 214, 220))
    draw.ellipse((1330, 880, 1430, 980), outline=(90, 96, 110), width=10)
    return picture


def open_source():
    """A network of volunteers: a few hubs carry most of the links."""
    picture = _gradient(SIZE, (18, 20, 34), (40, 30, 66))
    draw = ImageDraw.Draw(picture)
    seed = random.Random(2)  # noqa: S311 (a drawing, not a secret)
    hubs = [(seed.randrange(200, 1600), seed.randrange(200, 1000)) for _ in range(5)]
    nodes = [(seed.randrange(60, 1740), seed.randrange(60, 1140)) for _ in range(140)]
    for x, y in nodes:
        hub = min(hubs, key=lambda h: math.dist(h, (x, y)))
        draw.line((x, y, *hub), fill=(110, 120, 190), width=2)
    for first, second in itertools.pairwise(hubs):
        draw.line((*first, *second), fill=(250, 190, 80), width=6)
    for x, y in nodes:
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=(150, 220, 255))
    for x, y in hubs:
        draw.ellipse(
            (x - 34, y - 34, x + 34, y + 34), fill=(250, 190, 80), outline="white", width=5
        )
    return picture


def right_to_repair():
    """A phone taken apart on a workbench: the parts laid out in order."""
    picture = Image.new("RGB", SIZE, (214, 196, 168))
    draw = ImageDraw.Draw(picture)
    for x in range(0, SIZE[0], 90):
        draw.line((x, 0, x, SIZE[1]), fill=(200, 180, 150), width=3)
    draw.rounded_rectangle(
        (260, 180, 760, 1040), 60, fill=(36, 38, 44), outline=(10, 10, 12), width=8
    )
    draw.rounded_rectangle((300, 240, 720, 980), 30, fill=(60, 120, 170))
    parts = [((900, 200, 1240, 420), (70, 150, 90)), ((1300, 200, 1560, 520), (200, 60, 50)),
             ((900, 500, 1180, 860), (180, 180, 190)), ((1260, 600, 1560, 760), (230, 170, 40)),
             ((1260, 820, 1560, 1000), (90, 90, 100))]  # fmt: skip
    for box, colour in parts:
        draw.rounded_rectangle(box, 18, fill=colour, outline=(30, 30, 30), width=5)
    seed = random.Random(3)  # noqa: S311 (a drawing, not a secret)
    for _ in range(14):
        x, y = seed.randrange(880, 1600), seed.randrange(1040, 1150)
        draw.ellipse((x - 12, y - 12, x + 12, y + 12), fill=(160, 160, 170), outline=(60, 60, 60))
    draw.line((120, 1120, 700, 760), fill=(40, 40, 44), width=22)
    draw.line((700, 760, 820, 686), fill=(190, 40, 40), width=44)
    return picture


def satellite_broadband():
    """A farm under a night sky crossed by satellite tracks, and what each home costs."""
    picture = _gradient(SIZE, (6, 10, 30), (30, 50, 90))
    draw = ImageDraw.Draw(picture)
    seed = random.Random(4)  # noqa: S311 (a drawing, not a secret)
    for _ in range(260):
        x, y = seed.randrange(SIZE[0]), seed.randrange(760)
        draw.point((x, y), fill=(255, 255, 255))
    for offset in range(0, 400, 100):
        draw.arc(
            (-500 + offset * 2, 120 + offset, 2300 - offset, 1500), 195, 345, (120, 200, 255), 4
        )
    draw.rectangle((1290, 300, 1330, 330), fill=(230, 230, 240))
    draw.rectangle((1230, 305, 1285, 325), fill=(80, 140, 220))
    draw.rectangle((1335, 305, 1390, 325), fill=(80, 140, 220))
    draw.polygon([(0, 880), (500, 760), (1100, 840), (1800, 740), (1800, 1200), (0, 1200)],
                 fill=(22, 48, 30))  # fmt: skip
    draw.rectangle((260, 760, 420, 880), fill=(120, 40, 30))
    draw.polygon([(240, 770), (340, 700), (440, 770)], fill=(70, 30, 24))
    draw.pieslice((520, 700, 640, 820), 180, 360, fill=(220, 220, 230))
    draw.line((580, 760, 580, 880), fill=(220, 220, 230), width=8)
    for index, height in enumerate((120, 190, 260, 420, 610)):
        left = 1080 + index * 130
        draw.rectangle((left, 1150 - height, left + 90, 1150), fill=(250, 190, 80))
    return picture


def council_budget():
    """A council chamber's seats in a half circle, above a budget with a gap in the middle."""
    picture = _gradient(SIZE, (244, 238, 226), (214, 200, 176))
    draw = ImageDraw.Draw(picture)
    for ring, radius in enumerate((300, 400, 500)):
        seats = 7 + ring * 3
        for seat in range(seats):
            angle = math.pi + math.pi * (seat + 0.5) / seats
            x, y = 900 + radius * math.cos(angle), 620 + radius * math.sin(angle)
            colour = (138, 28, 28) if (seat + ring) % 3 else (40, 60, 110)
            draw.ellipse((x - 26, y - 26, x + 26, y + 26), fill=colour)
    draw.rectangle((820, 540, 980, 640), fill=(92, 64, 40))
    for index, height in enumerate((260, 330, 0, 300, 240)):
        left = 360 + index * 230
        if height:
            draw.rectangle((left, 1120 - height, left + 160, 1120), fill=(40, 60, 110))
        else:  # the hole the council has to fill
            for top in range(820, 1120, 40):
                draw.rectangle((left, top, left + 160, top + 20), outline=(138, 28, 28), width=6)
    draw.line((300, 1122, 1500, 1122), fill=(60, 50, 40), width=8)
    return picture


LEAD_PICTURES = {
    "riverton-council-budget-night": (
        council_budget,
        "Council seats in a half circle above a bar chart whose middle bar is missing.",
        "Five budget lines, one of them still unfunded as the council sits down to vote.",
    ),
    "city-bets-winter-on-heat-pumps": (
        heat_pumps,
        "A school at night with warm arcs rising from its roof against a cold sky.",
        "The city's schools are the first buildings to switch from gas boilers to heat pumps.",
    ),
    "open-source-runs-on-goodwill": (
        open_source,
        "A network of small dots, most linked to a handful of large glowing hubs.",
        "Most of the work runs through a few maintainers, whatever the size of the community.",
    ),
    "right-to-repair-phones-software-fight": (
        right_to_repair,
        "A phone taken apart on a workbench, its battery, screen and boards laid out in a row.",
        "The parts come out with a screwdriver; the software that pairs them is the hard part.",
    ),
    "satellite-broadband-rural-subsidy-math": (
        satellite_broadband,
        "A farmhouse and dish under a night sky crossed by satellite tracks, beside rising bars.",
        "The further the home, the higher the bar: what a connection costs the subsidy scheme.",
    ),
}

PORTRAIT_COLOURS = [(138, 28, 28), (11, 79, 168), (45, 106, 53), (168, 100, 0)]


def portrait(name, index=0):
    """Initials in a ring on a coloured square (pages show it as a circle)."""
    size = 800
    colour = PORTRAIT_COLOURS[index % len(PORTRAIT_COLOURS)]
    picture = _gradient((size, size), colour, tuple(min(255, c + 70) for c in colour))
    draw = ImageDraw.Draw(picture)
    light = tuple(min(255, c + 45) for c in colour)
    draw.polygon([(0, 560), (560, 0), (800, 0), (800, 120), (120, 800), (0, 800)], fill=light)
    draw.ellipse((90, 90, 710, 710), outline="white", width=14)
    words = [word for word in name.split() if word[:1].isupper() and word != "The"]
    initials = "".join(word[0] for word in words)[:2] or "?"
    font = ImageFont.load_default(size=300)
    draw.text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    return picture
