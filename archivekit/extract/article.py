"""Where the article is inside a copied web page, on any site.

A page copied from a browser is the article surrounded by the site: menus, share
buttons, lists of other stories, comments, footers. The article is where prose is
dense: one run of lines, most of them sentences. We find that run as the maximum-sum
stretch of lines (prose lines score their length, every other line a small penalty),
cut it at the first section that follows an article (comments, "Related", "More
from"), then look just above it for the headline, byline and date a reader sees there.
Everything works on line indices so callers can say where each field was read.
"""

import re
from functools import lru_cache

# Lines after which the article is over: comments, related stories, newsletters.
_ENDS_ARTICLE = re.compile(
    r"^(?:\d+\s+)?(?:comments?|show comments|view comments|leave a (?:comment|reply)|"
    r"join the (?:conversation|discussion)|related(?: articles| stories| coverage| content)?|"
    r"more from .{0,40}|more stories|recommended(?: for you| stories)?|you (?:may|might) also like|"
    r"read (?:more|next)|trending(?: now)?|most (?:popular|read|viewed)|popular (?:now|stories)|"
    r"what to read next|around the web|from around the web|sponsored(?: content| stories)?|"
    r"related posts|latest (?:news|stories)|also on .{0,40}|don'?t miss|top stories|"
    r"share this (?:article|story)|about the author|filed under:?|tags?:?|you may have missed|"
    r"next (?:story|article|post|up)|previous (?:story|article|post)|"
    r"reprints? (?:and|&) permissions.*|\d+ comments?\b.*|"
    # a label that lists the article's topics: 'Tags: Energy, Materials', 'Topics: Travel'
    r"(?:tags?|tagged(?: with)?|topics|filed under|categories|more on)\s*:.*)\s*:?$", re.I)
# Lines a page puts inside an article that are not the article.
_NOISE = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored|share|shares|tweet|email|e-mail|print|save|"
    r"comment|comments|facebook|twitter|pinterest|linkedin|reddit|whatsapp|google\+|more|"
    r"photo|photos|image|video|close|menu|loading\.*|continue reading.*|read more|"
    r"view gallery|enlarge this image|hide caption|toggle caption|show caption|"
    r"click to (?:expand|enlarge)|play video|watch:?|listen|story continues below.*|"
    r"article continues (?:below|after).*|scroll to continue.*|\d+ of \d+|"
    r"[\w-]+\.(?:jpe?g|png|gif|webp))$", re.I)
# Site furniture: in a short line these words mean a button or a link, never a headline.
_FURNITURE = re.compile(
    r"\b(?:subscribe|subscription|sign (?:in|up|out)|log ?(?:in|out)|register|newsletters?|"
    r"share (?:on|via|this)|follow (?:us|@)|see all|view all|rss|cookies?|privacy|terms of|"
    r"all rights reserved|advertise|contact us|about us|skip to|jump to|menu|search|"
    r"download (?:the|our) app|job board|sitemap|site map|account)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]。！？」』]\s*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
NOT_PROSE_PENALTY = 25
# each line is asked about many times (as a candidate headline, a neighbour, a follower)
LINES_REMEMBERED = 4096
PROSE_MAX_SCORE = 600


def cjk_count(line: str) -> int:
    """Characters of scripts written without spaces (CJK, Thai): words() counts them apart."""
    return len(_CJK.findall(line))


@lru_cache(maxsize=LINES_REMEMBERED)
def words(line: str) -> int:
    """Words in a line; a CJK or Thai character counts as half a word."""
    return len(line.split()) + cjk_count(line) // 2


# Sentences a site says about itself, not the article: cookie and consent prompts,
# terms of use, browser warnings, video players.
_SITE_SPEAKS = re.compile(
    r"\bcookies?\b|\bprivacy (?:policy|notice|statement)\b|\buser agreement\b|"
    r"\bterms (?:of (?:use|service)|and conditions)\b|\ball rights reserved\b|"
    r"\bmay not be reproduced\b|"
    r"\byour browser\b|\bmodal window\b|\b(?:enable|turn on) javascript\b|"
    r"\b(?:subscribe to|sign up for) (?:our|the)\b", re.I)
_CODE = re.compile(r"[{}();=<>$\[\]|]")
_JSON = re.compile(r'^\s*"[\w@]+"\s*:')


@lru_cache(maxsize=LINES_REMEMBERED)
def is_prose(line: str) -> bool:
    """A paragraph of running text, not a label, a link, a headline or code."""
    if words(line) < 10 or len(line) < 50:
        return False
    split = line.split()
    if sum(w[:1].isupper() for w in split) > 0.7 * len(split):
        return False   # Title Case Is A Headline Or A List Of Them
    if len(_CODE.findall(line)) > len(split) / 3 or _JSON.match(line) or \
            _SITE_SPEAKS.search(line[:300]):
        return False
    if _SENTENCE_END.search(line):
        return True
    # a long paragraph whose last sentence the page split off still reads as prose
    return len(re.findall(r"[.!?。] ", line)) >= 2


@lru_cache(maxsize=LINES_REMEMBERED)
def is_noise(line: str) -> bool:
    """A page's button or label alone on its line ('Share', 'Advertisement', 'Read more'):
    never part of the article."""
    return bool(_NOISE.match(line.strip(" |·•-–—:")))


# A picture's caption or credit, or a line of code a page printed: never a headline.
_NOT_A_HEADLINE = re.compile(
    r"\b(?:photograph|photo|image|foto|picture|credit|illustration)s?\s*(?::|by\b)|"
    r"getty images|\b(?:AP|AFP|Reuters|EPA)\b\s*(?:photo|$)|/(?:AP|AFP|Reuters|Getty)\b|"
    r"[{};]\s*$|^\s*(?://|/\*|\*|!function|function\b|var\b|\$\()|=>", re.I)


@lru_cache(maxsize=LINES_REMEMBERED)
def is_furniture(line: str) -> bool:
    """A link or button of the site: 'Share on Facebook', 'Sign up for our newsletter'."""
    return words(line) <= 8 and bool(_FURNITURE.search(line))


def ends_article(line: str) -> bool:
    """A line after which a page stops telling the article: comments, related stories,
    'Most popular'."""
    return bool(_ENDS_ARTICLE.match(line.strip(" |·•-–—")))


def _line_score(line: str) -> int:
    return min(len(line), PROSE_MAX_SCORE) if is_prose(line) else -NOT_PROSE_PENALTY


def _dense_runs(lines: list[str]) -> list[tuple[int, int, int, int]]:
    """(first, last + 1, sum, end of the last prose line) of each stretch where the running
    sum of line scores stays positive, cut where that sum is highest: the page's blocks
    of prose, in order. The last prose line may lie past the cut (a tutorial whose code
    samples cost more than its next paragraphs bring)."""
    runs, best, best_span, total, last = [], 0, None, 0, 0
    for index, line in enumerate(lines):
        if total <= 0:
            if best_span:
                runs.append((*best_span, best, last))
            best, best_span, total, start = 0, None, 0, index
        total += _line_score(line)
        if is_prose(line):
            last = index + 1
        if total > best:
            best, best_span = total, (start, index + 1)
    if best_span:
        runs.append((*best_span, best, last))
    return runs


def _run_on(lines: list[str], paragraphs: list[bool] | None, end: int) -> int:
    """Where a run of prose really ends: short paragraphs after it, standing between blank
    lines as a browser copies `<p>`s (a list of events, 'Price: $31.00'), still belong
    to it; a menu's or a list's lines follow each other and do not."""
    for index in range(end, len(lines) if paragraphs else end):
        if ends_article(lines[index]) or not (paragraphs[index] or is_noise(lines[index])):
            break
        if not is_noise(lines[index]) and not is_furniture(lines[index]):
            end = index + 1
    return end


def body_span(lines: list[str], paragraphs: list[bool] | None = None) -> tuple[int, int] | None:
    """(first, last + 1) of the densest run of prose, or None when there is no prose.
    `paragraphs[i]`: line i stands between blank lines, as a browser copies a paragraph."""
    runs = _dense_runs(lines)
    if not runs:
        return None
    first, end, _, _ = max(runs, key=lambda run: run[2])
    end = _run_on(lines, paragraphs, end)
    for index in range(first + 1, end):   # comments and related lists follow the article
        if ends_article(lines[index]) and sum(len(l) for l in lines[first:index]) > 300:
            end = index
            break
    return first, end


def prose_blocks(lines: list[str], paragraphs: list[bool] | None = None) -> list[tuple[int, int]]:
    """Every block of prose on the page, in order, as (first, last + 1): each dense run,
    run on over its short paragraphs and split at the labels that end an article
    ('Comments', 'Related', 'Tags:'), each part from its first prose line."""
    blocks = []
    for first, _, _, end in _dense_runs(lines):
        end = _run_on(lines, paragraphs, end)
        # a run that ran on into the next dense run has taken that run's lines: blocks
        # never overlap (the span chooser measures the gaps between them)
        first = max(first, blocks[-1][1]) if blocks else first
        cuts = [i for i in range(first + 1, end) if ends_article(lines[i])]
        for start, stop in zip([first, *(c + 1 for c in cuts)], [*cuts, end]):
            start = next((i for i in range(start, stop) if is_prose(lines[i])), stop)
            if start < stop:
                blocks.append((start, stop))
    return blocks


def headline_score(line: str, index: int, lines: list[str], body_start: int,
                   byline_kind, date_in, repeated: set, lead: set) -> float | None:
    """How much a line looks like this article's headline; None when it cannot be one.
    `byline_kind(line)`: 2 for 'By ...', 1 for a line of names only, 0 otherwise;
    `lead`: the words of the article's first paragraphs, which speak of what the headline says."""
    count = words(line)
    if not 3 <= count <= 32 or not 12 <= len(line) <= 220 or is_noise(line) or is_furniture(line):
        return None
    # a title-cased headline reads like a line of names: only a 'By' line is never one
    if line.endswith((":", ",")) or line.startswith(("©", "http", "www.")) or byline_kind(line) == 2 \
            or _NOT_A_HEADLINE.search(line):
        return None
    if date_in(line) and count <= 8:
        return None
    score = min(count, 8) / 8
    # the byline and date sit right under the headline, at most a dek between them
    following = [l for l in lines[index + 1: index + 8]
                 if not (is_noise(l) or is_furniture(l) or words(l) <= 2)][:5]
    kinds = [byline_kind(l) for l in following]
    nearness = [1, 1, 0.75, 0.5, 0.5][:len(following)]
    score += max((3 if k == 2 else 1.5 if k else 0) * n for k, n in zip(kinds, nearness)) \
        if following else 0
    dated = any(date_in(l) for l in following)
    score += 1.5 if dated else 0
    if not line.endswith(".") or line.endswith(("..", "…")):
        score += 1
    elif count > 14:
        score -= 2   # a sentence: a dek, a teaser or a caption
    capitals = sum(w[:1].isupper() for w in line.split())
    if len(line.split()) >= 4 and capitals / len(line.split()) >= 0.6:
        score += 0.5
    if is_prose(line):
        score -= 2
    if count >= 5 and line in repeated:
        score += 1   # pages repeat their headline (breadcrumbs, share bars, the print title)
    if not any(kinds) and not dated:
        # a list of other stories: neighbours that look the same
        neighbours = [l for l in (lines[index - 1] if index else "", lines[index + 1]
                                  if index + 1 < len(lines) else "")
                      if 1 <= words(l) <= 25 and not is_prose(l)]
        score -= 1.0 * len(neighbours)
    own = content_words(line)
    if own:
        score += 2.5 * len(own & lead) / len(own)
    score -= 0.05 * abs(body_start - index)
    return score


def content_words(text: str) -> set:
    """The words that carry meaning, cut to five letters so that a headline's
    'butterflies' meets the article's 'butterfly'."""
    found = {w[:5] for w in re.findall(r"\w+", text.lower()) if len(w) >= 4}
    return found or set(_CJK.findall(text))
