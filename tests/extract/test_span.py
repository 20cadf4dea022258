"""The copied-text span chooser: which block of prose on the page is the article."""

from archivekit.extract import article, extract, span, text

MENU = ["Home", "News", "Business", "Markets", "Subscribe", "Search"]
CAPTION = ("Global monetary policy is expected to loosen in the new year, driving up prices "
           "for metals and improving the outlook for exporters.")
PARAGRAPHS = [
    "Collapsing oil prices are poised to reverberate across the year ahead. If current "
    "pricing sticks, producers will lose a great deal of revenue, and some will cut output.",
    "Oil-exporting nations naturally suffer, with the greatest agony reserved for the "
    "emerging markets that borrowed heavily while the price of a barrel was high.",
    "Desperate times lead to desperate measures, meaning that several regions must be "
    "watched with an eagle eye as their budgets come under strain this spring.",
    "However, let us not lose sight of the bigger picture. The extreme dislocation should "
    "partially unwind, and the global economy as a whole likes low oil prices.",
    "For that matter, every dollar lost by a producer is a dollar gained by a consumer, "
    "and consumers spend what they save at the pump on other things, economists say.",
]
# A caption and the headline's teaser over a 'Comments' link, then the article: the
# densest run starts at the caption and the rules cut it at 'Comments'.
PAGE = MENU + [CAPTION, CAPTION, "(Photo: Staff)",
               "Oil prices and interest rates: what to watch in the new year, and why it "
               "matters to your savings.",
               "Jane Doe", "The Daily Ledger", "Published Monday, Dec. 29 2014, 6:00 PM EST",
               "Comments", "Print", *PARAGRAPHS, "Related Coverage",
               "Consumers end the year in a dour mood", "Topics:", "Energy", "Markets"]


def _view(lines):
    return text.span_page(lines, list(range(1, 2 * len(lines), 2)), lambda line: 0)


def test_the_article_after_a_comments_link_not_the_caption_over_it():
    start, end = span.find(_view(PAGE))
    assert PAGE[start:end] == PARAGRAPHS
    assert PAGE[slice(*article.body_span(PAGE))][0] == CAPTION   # what the rules alone took
    meta = extract("\n\n".join(PAGE).encode(), "text/plain; charset=utf-8")
    assert meta.body.split("\n\n") == PARAGRAPHS


def test_prose_blocks_split_at_end_labels():
    first, comments = PAGE.index(CAPTION), PAGE.index("Comments")
    assert article.prose_blocks(PAGE) == [(first, comments), (comments + 2, comments + 7)]


def test_a_prose_block_runs_past_a_code_sample_the_rules_run_stops_before_it():
    code = ["$app = new Application();", "$app->register(new Provider(), array(", "));"] * 4
    lines = MENU + PARAGRAPHS[:2] + code + PARAGRAPHS[2:3] + MENU
    first = len(MENU)
    assert article.prose_blocks(lines) == [(first, lines.index(PARAGRAPHS[2]) + 1)]
    # the code costs more than the paragraph after it brings
    assert article.body_span(lines) == (first, first + 2)


def test_the_rules_run_is_a_candidate_and_every_candidate_has_every_feature():
    view = _view(PAGE)
    described = span.described(view)
    assert described[0][0] == article.body_span(PAGE, view.paragraphs)
    assert described[0][1][span.FEATURES.index("the rules' run")] == 1.0
    assert all(len(values) == len(span.FEATURES) for _, values in described)
    assert len(span._weights()) == len(span.FEATURES)
    assert span.find(_view(MENU)) is None


def test_a_read_more_link_inside_the_article_does_not_end_it():
    lines = MENU + ["Oil prices: what to watch", "By Jane Doe", "December 29, 2014",
                    *PARAGRAPHS[:2], "Read more", "Markets brace for a rocky year",
                    *PARAGRAPHS[2:], *PARAGRAPHS, "Most Popular", *MENU]
    start, end = span.find(_view(lines))
    assert (lines[start], lines[end - 1]) == (PARAGRAPHS[0], PARAGRAPHS[-1])
    assert lines[slice(*article.body_span(lines))] == PARAGRAPHS[:2]   # the rules stop there


def test_a_box_of_dated_links_inside_the_article_does_not_end_it():
    lines = MENU + ["Oil prices: what to watch", "By Jane Doe", "December 29, 2014",
                    *PARAGRAPHS[:2], "Related Coverage",
                    "Markets brace for a rocky year JULY 26, 2016",
                    "Consumers end the year in a dour mood JULY 25, 2016",
                    *PARAGRAPHS[2:], *PARAGRAPHS, "Most Popular", *MENU]
    start, end = span.find(_view(lines))
    assert (lines[start], lines[end - 1]) == (PARAGRAPHS[0], PARAGRAPHS[-1])
