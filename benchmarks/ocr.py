"""OCR and PDF reading of typeset clippings, against the text they were set from.

    .venv/bin/python benchmarks/ocr.py [--pages 12] [--verbose]
    .venv/bin/python benchmarks/ocr.py --sample samples/scan-clipping.png

Real article text (the corpus's newspaper/ pages: expected-body.txt, with the headline
and bylines the page declares) is set as a newspaper clipping in HTML (folio, headline,
byline, two or three justified columns), then made into what a library holds:
- screenshots by headless Chromium at 300 and 200 dpi (device scale factor dpi/96),
  clean, and at 200 dpi with speckle noise and a 1-2 degree skew (Pillow);
- a PDF printed by Chromium (with a text layer), and the same PDF rasterised at 300 dpi
  and rebuilt without one.
Each is read by archivekit's extractor. Reported per kind: headline (exact, folded),
bylines (set F1), date (the folio's print date), body character accuracy (1 - edit
distance / length, whitespace folded), seconds per page (wall, and CPU including
Tesseract's). The same text read from a text-layer PDF is the baseline: a scan can
only approach it.
"""

import argparse
import html
import io
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archivekit.extract import extract  # noqa: E402

CORPUS = ROOT.parent.parent / "shared/corpus/newspaper"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/newspaper")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
CSS_DPI = 96
BODY_CHARS = 1800


@dataclass
class Clipping:
    paper: str
    date: str                # ISO
    page: str                # 'A12'
    headline: str
    authors: list[str]
    body: list[str]          # paragraphs
    columns: int = 3
    dateline: str | None = None


_STYLE = """
body { margin: 0; background: #fff; width: 7.4in; padding: 0.3in; color: #111;
       font-family: 'DejaVu Serif', serif; }
.folio { font: 8.5pt 'DejaVu Sans', sans-serif; text-transform: uppercase; letter-spacing: .4pt;
         border-bottom: 1px solid #000; display: flex; justify-content: space-between;
         padding-bottom: 2pt; margin-bottom: 8pt; }
h1 { font-size: 24pt; line-height: 1.12; margin: 0 0 6pt; }
.byline { font: 8.5pt 'DejaVu Sans', sans-serif; text-transform: uppercase; margin: 0 0 6pt; }
.cols { column-gap: 0.22in; font-size: 9.5pt; line-height: 1.32; text-align: justify; }
.cols p { margin: 0; text-indent: 1.2em; }
"""


def clipping_html(clip: Clipping) -> str:
    weekday = time.strftime("%A", time.strptime(clip.date, "%Y-%m-%d"))
    day = time.strftime("%B %-d, %Y", time.strptime(clip.date, "%Y-%m-%d"))
    paragraphs = list(clip.body)
    if clip.dateline:
        paragraphs[0] = f"{clip.dateline} — {paragraphs[0]}"
    byline = "By " + _and(clip.authors)
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{_STYLE}"
            f".cols {{ column-count: {clip.columns}; }}</style></head><body>"
            f"<div class='folio'><span>{html.escape(clip.paper)}, {weekday}, {day}</span>"
            f"<span>{clip.page}</span></div><h1>{html.escape(clip.headline)}</h1>"
            f"<div class='byline'>{html.escape(byline)}</div><div class='cols'>"
            + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</div></body></html>")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def corpus_clippings(count: int) -> list[Clipping]:
    """English corpus pages whose own metadata names a headline and a person as author."""
    found = []
    papers = ["The Daily Ledger", "The Evening Courier", "The New York Times", "Riverton Gazette"]
    for folder in sorted(CORPUS.iterdir()):
        if len(found) == count:
            break
        body_file, source = folder / "expected-body.txt", folder / "source.html"
        if not body_file.is_file() or not source.is_file():
            continue
        meta = extract(source.read_bytes(), "text/html")
        body = body_file.read_text("utf-8", "replace")
        if meta.language != "en" or not meta.headline or not meta.authors or \
                len(body) < 900 or len(meta.headline) > 110:
            continue
        authors = [a.name for a in meta.authors][:3]
        if not all(re.fullmatch(r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}", a) for a in authors):
            continue
        index = len(found)
        found.append(Clipping(
            paper=papers[index % len(papers)], date=(meta.published or "2014-12-29")[:10],
            page=f"{'ABCD'[index % 4]}{index % 20 + 1}", headline=meta.headline,
            authors=authors, body=_paragraphs(body), columns=2 + index % 2,
            dateline=("WASHINGTON", "NEW YORK", "LONDON", None)[index % 4]))
    return found


def _paragraphs(body: str) -> list[str]:
    out, size = [], 0
    for paragraph in (" ".join(p.split()) for p in body.split("\n")):
        if not paragraph:
            continue
        out.append(paragraph)
        size += len(paragraph)
        if size >= BODY_CHARS:
            break
    return out


# --- making scans and PDFs -------------------------------------------------------------

def render(pages_html: list[str], dpis: list[int], out: Path) -> dict:
    """Screenshots at each dpi, and a printed PDF, of each page: {(index, kind): path}."""
    from playwright.sync_api import sync_playwright
    made = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for dpi in dpis:
            page = browser.new_page(viewport={"width": 768, "height": 300},
                                    device_scale_factor=dpi / CSS_DPI)
            for index, markup in enumerate(pages_html):
                page.set_content(markup)
                shot = Image.open(io.BytesIO(page.screenshot(full_page=True)))
                path = out / f"{index}-{dpi}.png"
                shot.save(path, dpi=(dpi, dpi))       # a scanner records its resolution
                made[index, f"{dpi}"] = path
            page.close()
        page = browser.new_page()
        for index, markup in enumerate(pages_html):
            page.set_content(markup)
            path = out / f"{index}.pdf"
            page.pdf(path=str(path), width="8.5in", height="11in")
            made[index, "pdf"] = path
        browser.close()
    return made


def degrade(path: Path, seed: int, specks: float = 0.003) -> Path:
    """A worse scan: grey, grainy (Gaussian, sigma 20 levels), dust specks on `specks` of
    the pixels, slightly blurred, turned 1-2 degrees."""
    rng = random.Random(seed)
    image = Image.open(path).convert("L")
    dpi = image.info.get("dpi", (200, 200))
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, 2.0)
    image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    grain = Image.effect_noise(image.size, 20)              # centred on 128
    image = ImageChops.add(image, grain, offset=-128)
    cut = round(128 - 20 * _normal_quantile(1 - specks))     # the darkest `specks` of grain
    dust = Image.effect_noise(image.size, 20).point(lambda v: 0 if v < cut else 255)
    image = ImageChops.darker(image, dust).filter(ImageFilter.GaussianBlur(0.4))
    target = path.with_name(path.stem + "-noisy.png")
    image.save(target, dpi=dpi)
    return target


def _normal_quantile(p: float) -> float:
    from statistics import NormalDist
    return NormalDist().inv_cdf(p)


def without_text_layer(pdf: Path) -> Path:
    """The PDF rasterised at 300 dpi and rebuilt as images only: a scanned PDF."""
    raster = subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "300", "-gray", "-png", str(pdf)],
                            capture_output=True, check=True).stdout
    target = pdf.with_name(pdf.stem + "-image.pdf")
    Image.open(io.BytesIO(raster)).save(target, resolution=300)
    return target


# --- scoring -------------------------------------------------------------------------------

def fold(text: str | None) -> str:
    text = (text or "").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def char_accuracy(expected: str, found: str) -> float:
    expected, found = " ".join(expected.split()), " ".join((found or "").split())
    return max(0.0, 1 - edit_distance(expected, found) / max(1, len(expected)))


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def f1(expected: list[str], found: list[str]) -> float:
    expected, found = {fold(n) for n in expected}, {fold(n) for n in found}
    hits = len(expected & found)
    if not hits:
        return 0.0
    return 2 * hits / (len(expected) + len(found))


def read(path: Path) -> tuple[dict, float, float]:
    media_type = "application/pdf" if path.suffix == ".pdf" else "image/png"
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu, start = time.process_time(), time.perf_counter()
    meta = extract(path.read_bytes(), media_type).to_dict()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + (after.ru_utime - children.ru_utime) + \
        (after.ru_stime - children.ru_stime)
    return meta, wall, cpu


def score(clip: Clipping, meta: dict) -> dict:
    truth = " ".join(clip.body)
    if clip.dateline:
        truth = f"{clip.dateline} — {truth}"
    return {
        "headline": float(fold(meta["headline"]) == fold(clip.headline)),
        "bylines": f1(clip.authors, [a["name"] for a in meta["authors"]]),
        "date": float((meta.get("print") or {}).get("date") == clip.date),
        "body": char_accuracy(truth, meta.get("body") or ""),
    }


KINDS = ["300", "200", "200-noisy", "pdf", "pdf-image"]
GOALS = {"300": {"body": 0.98, "headline": 0.90, "bylines": 0.85, "date": 0.90},
         "200-noisy": {"body": 0.95}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--sample", type=Path, help="write the bundled sample scan and stop")
    args = parser.parse_args()
    if args.sample:
        return make_sample(args.sample)
    clips = corpus_clippings(args.pages)
    rows = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory() as folder:
        made = render([clipping_html(c) for c in clips], [300, 200], Path(folder))
        for index, clip in enumerate(clips):
            paths = {"300": made[index, "300"], "200": made[index, "200"],
                     "200-noisy": degrade(made[index, "200"], index), "pdf": made[index, "pdf"],
                     "pdf-image": without_text_layer(made[index, "pdf"])}
            for kind, path in paths.items():
                meta, wall, cpu = read(path)
                scores = score(clip, meta) | {"wall": wall, "cpu": cpu}
                rows[kind].append(scores)
                if args.verbose:
                    print(f"{index:2} {kind:10} " + " ".join(f"{k} {v:.3f}" for k, v in scores.items())
                          + f"  | {meta['headline']!r} {[a['name'] for a in meta['authors']]}",
                          flush=True)
    print(f"\n{len(clips)} clippings from {CORPUS}")
    print(f"  {'kind':10} {'headline':>9} {'bylines':>8} {'date':>6} {'body':>7} "
          f"{'min body':>9} {'s/page':>7} {'cpu s':>6}")
    for kind in KINDS:
        values = rows[kind]
        mean = {k: sum(r[k] for r in values) / len(values) for k in values[0]}
        worst = min(r["body"] for r in values)
        goals = GOALS.get(kind, {})
        missed = [k for k, goal in goals.items() if mean[k] < goal]
        print(f"  {kind:10} {100 * mean['headline']:8.1f}% {100 * mean['bylines']:7.1f}% "
              f"{100 * mean['date']:5.1f}% {100 * mean['body']:6.2f}% {100 * worst:8.2f}% "
              f"{mean['wall']:7.2f} {mean['cpu']:6.2f}"
              + (f"   below goal: {', '.join(missed)}" if missed else ""))


SAMPLE = Clipping(
    paper="Riverton Gazette", date="2023-12-28", page="A1",
    headline="Library Board Approves Extended Hours",
    authors=["Jane Doe", "Omar Reyes"], columns=2, dateline="RIVERTON",
    body=["The Riverton Public Library will stay open until 9 p.m. on weekdays from "
          "January, after the library board voted 5 to 2 on Wednesday night to extend "
          "its hours for the first time in a decade.",
          "The change, which will cost about $84,000 a year, was paid for by a state "
          "grant and by savings from the new self-service checkout machines, said Maria "
          "Chen, the board's chair.",
          "Students and shift workers had asked for later hours at three public meetings "
          "this fall. The two members who voted against the plan said they worried about "
          "staffing the branch libraries in winter."])


def make_sample(target: Path) -> None:
    """The bundled sample scan: a fictional clipping, 200 dpi, grey, slightly turned."""
    with tempfile.TemporaryDirectory() as folder:
        made = render([clipping_html(SAMPLE)], [200], Path(folder))
        image = Image.open(made[0, "200"]).convert("L")
        image = image.rotate(0.8, resample=Image.BICUBIC, expand=True, fillcolor=255)
        image.save(target, dpi=(200, 200), optimize=True)
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
