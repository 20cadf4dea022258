"""Clippings drawn with Pillow for the OCR tests: small, quick to read, and we know
exactly what they say."""

import io

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
FOLIO = "THE NEW YORK TIMES, THURSDAY, DECEMBER 28, 2023 A1"
HEADLINE = "Library Board Votes to Stay Open Late"
BYLINE = "By Jane Doe and Omar Reyes"
LEFT = ["WASHINGTON — The city library board", "voted on Wednesday night to keep",
        "the main branch open until nine", "at night on weekdays from January,", "the chair said."]
RIGHT = ["Students had asked for the change", "at three public meetings that were",
         "held this fall in the reading room", "of the old branch.", "Continued on Page A12"]
COLUMN_WIDTH = 640


def font(size: int, bold: bool = False):
    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    return ImageFont.truetype(FONT_DIR + name, size)


def clipping(scale: float = 1.0, colour: bool = False, skew: float = 0.0,
             kicker: str | None = None) -> Image.Image:
    """A two-column clipping at 300 dpi x scale: folio, headline, byline, body."""
    def s(value):
        return round(value * scale)
    paper = (236, 228, 205) if colour else (255, 255, 255)
    ink = (40, 30, 20) if colour else (0, 0, 0)
    image = Image.new("RGB", (s(1500), s(900)), paper)
    draw = ImageDraw.Draw(image)
    draw.text((s(60), s(40)), FOLIO, font=font(s(26)), fill=ink)
    top = 110
    if kicker:
        draw.text((s(60), s(top)), kicker, font=font(s(26)), fill=ink)
        top += 50
    draw.text((s(60), s(top)), HEADLINE, font=font(s(60), bold=True), fill=ink)
    draw.text((s(60), s(top + 100)), BYLINE, font=font(s(28)), fill=ink)
    body = font(s(32))
    for column, lines in ((60, LEFT), (760, RIGHT)):
        for row, line in enumerate(lines):
            last = row == len(lines) - 1 or line.endswith(".")
            _justified(draw, (s(column), s(top + 170 + row * 44)), line, body, ink,
                       None if last else s(COLUMN_WIDTH))
    if skew:
        image = image.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=paper)
    return image


def _justified(draw, at, line, face, ink, width):
    """Set a line as newspapers do: words spread to fill the column (the last line not)."""
    words = line.split()
    if width is None or len(words) < 2:
        draw.text(at, line, font=face, fill=ink)
        return
    used = sum(draw.textlength(word, font=face) for word in words)
    gap = (width - used) / (len(words) - 1)
    x = at[0]
    for word in words:
        draw.text((x, at[1]), word, font=face, fill=ink)
        x += draw.textlength(word, font=face) + gap


def encoded(image: Image.Image, kind: str = "PNG", dpi: int = 300, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, dpi=(dpi, dpi), **options)
    return out.getvalue()
