"""Lead images for the demo stories, drawn with Pillow when the demo loads.

Nothing is downloaded: the calls story gets a bar chart of the detainer
figures its body reports, and any other story a plain illustration (a page of
columns under a magnifying glass) with the name of the issue it follows. Each
image is made once, found again by its title, so load_demo stays idempotent.
"""

import io

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection

WIDTH, HEIGHT = 1200, 675
PAPER = "#fffdf8"
INK = "#1b1b1b"
MUTED = "#5a5a5a"
ACCENT = "#8a1c1c"
LIGHT_ACCENT = "#d9a5a5"

CALLS_SLUG = "mayors-office-stops-taking-calls-on-sanctuary-reversal"

# The figures of the calls story (CALLS_STORY's body and its data point):
# label, low value and high value (a projection is a range).
DETAINER_BARS = [
    ("2012, whole year", 2000, 2000),
    ("Jan. 26 to Feb. 6, 2017", 27, 27),
    ("2017, projected", 1000, 1500),
]
CALLS_IMAGE = {
    "alt": (
        "Bar chart of ICE detainer requests to Miami-Dade jails: about 2,000 in "
        "2012, 27 in the 11 days after the January 2017 executive order, and a "
        "projected 1,000 to 1,500 for 2017 at that pace."
    ),
    "caption": (
        "Detainer requests received by the county's jails. The 2017 projection "
        "assumes the pace of the first 11 days holds."
    ),
    "credit": "Chart: Data desk. Figures: Miami Herald analysis",
}


def lead_image_for(spec, tracker=None):
    """The lead image of the demo story `spec`, with its alt text, caption and
    credit: (image, alt, caption, credit). `tracker` names the illustration."""
    if spec["slug"] == CALLS_SLUG:
        image = _ensure_image(f"Demo chart: {spec['slug']}", _detainer_chart)
        return image, CALLS_IMAGE["alt"], CALLS_IMAGE["caption"], CALLS_IMAGE["credit"]
    name = tracker.title if tracker else settings.WAGTAIL_SITE_NAME
    image = _ensure_image(
        f"Demo illustration: {spec['slug']}", lambda: _illustration(name)
    )
    return (
        image,
        f"An illustration: a newspaper page under a magnifying glass, labelled "
        f"“{name}”.",
        f"Our reporting on {name}.",
        f"Illustration: {settings.WAGTAIL_SITE_NAME}",
    )


def _ensure_image(title, draw):
    """The image titled `title`, drawn by `draw()` and saved the first time."""
    model = get_image_model()
    image = model.objects.filter(title=title).first()
    if image:
        return image
    pixels = io.BytesIO()
    draw().save(pixels, "PNG", optimize=True)
    slug = title.split(": ", 1)[-1][:60]
    return model.objects.create(
        title=title,
        file=ImageFile(pixels, name=f"{slug}.png"),
        collection=Collection.get_first_root_node(),
    )


def _font(size):
    return ImageFont.load_default(size=size)


def _detainer_chart():
    canvas = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(canvas)
    title = "ICE detainer requests, Miami-Dade jails"
    draw.text((60, 40), title, fill=INK, font=_font(44))
    left, right, top, row = 430, WIDTH - 160, 150, 150
    scale = (right - left) / 2000
    for index, (label, low, high) in enumerate(DETAINER_BARS):
        y = top + index * row
        draw.text((60, y + 30), label, fill=INK, font=_font(30))
        draw.rectangle([left, y + 10, left + max(low * scale, 4), y + 90], fill=ACCENT)
        if high > low:
            # The projection's uncertain part, lighter.
            draw.rectangle(
                [left + low * scale, y + 10, left + high * scale, y + 90],
                fill=LIGHT_ACCENT,
                outline=ACCENT,
                width=3,
            )
        figure = f"{low:,}" if low == high else f"{low:,} to {high:,}"
        draw.text((left + high * scale + 16, y + 30), figure, fill=INK, font=_font(32))
    draw.line([left, top, left, top + 3 * row - 30], fill=INK, width=3)
    return canvas


def _illustration(name):
    canvas = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(canvas)
    # A page of newsprint: a headline bar and three columns of lines.
    draw.rectangle([140, 70, 760, 600], fill="#ffffff", outline=INK, width=4)
    draw.rectangle([180, 110, 720, 150], fill=INK)
    for column in range(3):
        x = 180 + column * 185
        for line in range(11):
            y = 190 + line * 34
            draw.rectangle([x, y, x + 155, y + 10], fill="#c9c4b8")
    # A magnifying glass over it.
    draw.ellipse([640, 220, 940, 520], outline=ACCENT, width=22)
    draw.line([905, 485, 1060, 640], fill=ACCENT, width=40)
    draw.text((140, 620), name[:55], fill=MUTED, font=_font(34))
    return canvas
