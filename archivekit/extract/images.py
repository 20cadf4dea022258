"""Scanned images made ready for OCR: opened within limits, one greyscale page at a
time, at a resolution the engine reads well, straightened.

Pillow does the decoding. Its own decompression-bomb guard (MAX_IMAGE_PIXELS) is a
process-wide setting we leave alone; we check each page's declared size before a
single pixel is decoded, so memory stays bounded by PAGE_PIXEL_LIMIT.
"""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps, ImageSequence, ImageStat, UnidentifiedImageError

# A broadsheet page scanned at 600 dpi is about 95 million pixels.
PAGE_PIXEL_LIMIT = 100_000_000
PAGE_LIMIT = 100                 # pages of a multi-page TIFF
FORMATS = ["PNG", "JPEG", "TIFF", "GIF", "WEBP"]
# Tesseract reads body type best at about 300 dpi; we rescale scans far from it.
TARGET_DPI = 300
RESCALE_BELOW, RESCALE_ABOVE = 250, 400
# Skew: tried from -MAX_SKEW to +MAX_SKEW degrees on a thumbnail; corrected past MIN_SKEW.
MAX_SKEW, SKEW_STEP, MIN_SKEW = 4.0, 0.2, 0.3
THUMBNAIL_WIDTH = 1000


class ImageRefused(Exception):
    """The image cannot or must not be decoded; the message says why, for a person."""


@dataclass
class ScanPage:
    """One page of a scan, ready for OCR."""
    number: int           # 1-based
    image: Image.Image    # greyscale ("L"), rescaled and straightened
    dpi: int | None       # of `image`, when the scan said (or we rescaled to) it
    skew: float           # degrees corrected (counter-clockwise positive)


def pages(data: bytes, dpi: int | None = None, formats: list[str] = FORMATS):
    """Yield each page of an image file as a ScanPage; raise ImageRefused when the
    file is damaged or too large. A page is decoded only when its turn comes.
    `dpi`: the resolution, when the caller knows it better than the file says;
    `formats`: the Pillow formats to accept (a scanner's, unless the caller made the image)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)   # checked below
        warnings.simplefilter("ignore", UserWarning)   # "Corrupt EXIF data": we say what failed
        try:
            image = Image.open(io.BytesIO(data), formats=formats)
        except Image.DecompressionBombError:
            raise ImageRefused(_TOO_LARGE) from None
        except UnidentifiedImageError:
            raise ImageRefused("not a PNG, JPEG, TIFF, GIF or WebP image that can be "
                               "decoded (damaged, or another format)") from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageRefused(f"the image header cannot be read ({exc})") from None
        if _has_more_pages_than(image, PAGE_LIMIT):
            raise ImageRefused(f"more than {PAGE_LIMIT} pages: this reader reads at most "
                               f"{PAGE_LIMIT}")
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            yield _prepare(index + 1, frame, dpi)


def _has_more_pages_than(image: Image.Image, limit: int) -> bool:
    """Walks page headers only, and no further than the limit (n_frames walks them all)."""
    try:
        image.seek(limit)
    except EOFError:
        return False
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRefused(f"the page directory is damaged ({exc})") from None
    finally:
        try:
            image.seek(0)
        except (EOFError, OSError, ValueError):
            pass
    return True


_MILLIONS = PAGE_PIXEL_LIMIT // 1_000_000
_TOO_LARGE = f"the image declares far more than {_MILLIONS} million pixels, the most this reader decodes"


def _prepare(number: int, frame: Image.Image, dpi: int | None) -> ScanPage:
    width, height = frame.size
    if width * height > PAGE_PIXEL_LIMIT:
        raise ImageRefused(f"page {number} is {width}x{height} pixels, more than the "
                           f"{_MILLIONS} million this reader decodes")
    try:
        frame.load()
        grey = _greyscale(frame)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRefused(f"page {number} cannot be decoded: the file is damaged or "
                           f"truncated ({exc})") from None
    dpi = dpi or _dpi(frame)
    if dpi and not RESCALE_BELOW <= dpi <= RESCALE_ABOVE:
        scale = TARGET_DPI / dpi
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.LANCZOS)
        dpi = TARGET_DPI
    # Specks (dust, a photocopy's grain) break letters apart and become false marks; a
    # 3x3 median removes them and leaves 300 dpi strokes, three or more pixels wide, whole.
    grey = _crop_to_ink(grey.filter(ImageFilter.MedianFilter(3)))
    skew = skew_angle(grey)
    if abs(skew) >= MIN_SKEW:
        grey = grey.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    else:
        skew = 0.0
    return ScanPage(number, grey, dpi, skew)


def _crop_to_ink(grey: Image.Image, margin: int = 24) -> Image.Image:
    """Blank margins cost the engine time and tell it nothing: keep the inked area."""
    box = ImageOps.invert(grey).point(lambda v: 255 if v > 96 else 0).getbbox()
    if not box:
        return grey
    left, top, right, bottom = box
    return grey.crop((max(0, left - margin), max(0, top - margin),
                      min(grey.width, right + margin), min(grey.height, bottom + margin)))


def _greyscale(frame: Image.Image) -> Image.Image:
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        # Transparent areas are paper: flatten onto white before dropping colour.
        frame = frame.convert("RGBA")
        white = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, frame)
    if frame.mode.startswith("I"):   # 16-bit greyscale, as many scanners write
        frame = frame.convert("I").point(lambda v: v * (1 / 256))
    return frame.convert("L")


def _dpi(frame: Image.Image) -> int | None:
    dpi = frame.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    # Some writers put 1 or 72 there meaning 'unknown'; a scan below 100 dpi is no scan.
    return value if value and 100 <= value <= 2400 else None


def skew_angle(grey: Image.Image) -> float:
    """The rotation, in degrees, that makes text lines horizontal: the one whose row
    profile (ink per row of a thumbnail) varies most, lines and gaps then being sharpest."""
    scale = min(1.0, THUMBNAIL_WIDTH / grey.width)
    thumb = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                        Image.BOX) if scale < 1 else grey
    ink = ImageOps.invert(thumb).point(lambda v: 255 if v > 96 else 0)
    if thumb.height < 8 or not ink.getbbox():
        return 0.0
    best, best_spread = 0.0, -1.0
    steps = round(MAX_SKEW / SKEW_STEP)
    for step in sorted(range(-steps, steps + 1), key=abs):   # on a tie, the smaller turn
        angle = step * SKEW_STEP
        rows = ink.rotate(angle, resample=Image.NEAREST).resize((1, ink.height), Image.BOX)
        spread = ImageStat.Stat(rows).var[0]
        if spread > best_spread + 1e-9:
            best, best_spread = angle, spread
    return best
