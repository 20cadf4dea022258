"""A printed page as positioned lines: its text by blocks, the body's type size, the
headline by display type, and paragraphs put back together across lines and columns."""

from hypothesis import given, strategies as st

from archivekit.extract.layout import HEADLINE_RATIO, Line, Page, body_size, headline_span, paragraphs


def _line(text, top, size=10.0, left=0.0, right=300.0, block=0, confidence=None):
    return Line(text, left, top, right, top + size, size=size, block=block, confidence=confidence)


def test_paragraphs_follow_columns_indents_and_broken_words():
    lines = [
        _line("The first paragraph starts here and runs to the", 0, left=10),
        _line("column's edge, then goes on in the next col-", 12),
        _line("umn, which starts at the top.", 0, block=1, left=320, right=480),
        _line("A new paragraph, indented.", 12, block=1, left=335, right=600),
    ]
    assert paragraphs(lines) == [
        "The first paragraph starts here and runs to the column's edge, then goes on in "
        "the next column, which starts at the top.",
        "A new paragraph, indented."]


def test_a_short_last_line_a_gap_or_a_new_type_size_ends_a_paragraph():
    lines = [
        _line("A paragraph that runs to the edge", 0),
        _line("and stops short.", 12, right=100),            # short, and a sentence ends
        _line("Next one, after the short line,", 24),
        _line("then a gap.", 36),
        _line("After the gap a third one", 60),                # 14 below: a gap
        _line("IN SMALLER TYPE", 72, size=7),
        _line("A break not at a sentence's end", 90, right=100),
        _line("goes on to the edge", 102),
        _line("Indented, a new one", 114, left=15),
    ]
    assert paragraphs(lines) == [
        "A paragraph that runs to the edge and stops short.",
        "Next one, after the short line, then a gap.",
        "After the gap a third one", "IN SMALLER TYPE",
        "A break not at a sentence's end goes on to the edge", "Indented, a new one"]


def test_ocr_line_heights_may_vary_more_than_a_text_layers_font_sizes():
    layer = [_line("set in ten point", 0), _line("then in eleven and a half", 12, size=11.5)]
    ocr = [_line("a line with no descenders", 0, confidence=90.0),
           _line("a line with gjpqy", 12, size=11.5, confidence=90.0)]
    assert len(paragraphs(layer)) == 2 and len(paragraphs(ocr)) == 1


def test_a_region_below_is_the_same_column_only_without_a_gap_and_from_its_edge():
    split = [_line("runs to the column's edge", 0), _line("and goes on", 12, block=1)]
    byline = [_line("runs to the column's edge", 0), _line("By Ann Lee", 40, block=1)]
    wider = [_line("runs to its own column's edge", 0),
             _line("a wider region below", 12, block=1, right=600)]
    assert len(paragraphs(split)) == 1 and len(paragraphs(byline)) == 2
    assert len(paragraphs(wider)) == 2


def test_a_capital_after_a_hyphen_is_not_a_broken_word():
    assert paragraphs([_line("the Austro-", 0), _line("Hungarian border", 12)]) == \
        ["the Austro- Hungarian border"]


WORDS = st.text(alphabet="abc XYZ.,", min_size=1, max_size=30).filter(lambda t: t.strip())


@given(st.lists(st.tuples(WORDS, st.integers(0, 2), st.sampled_from([8.0, 10.0, 16.0]),
                          st.integers(0, 40)), max_size=25))
def test_paragraphs_keep_every_word_of_every_line_in_order(rows):
    lines, top = [], 0.0
    for text, block, size, gap in rows:
        lines.append(_line(text, top, size=size, left=block * 320.0,
                           right=block * 320.0 + 300 - gap, block=block))
        top += size + gap / 4
    joined = paragraphs(lines)
    assert len(joined) <= len(lines) and bool(joined) == bool(lines)
    assert " ".join(joined).split() == " ".join(line.text for line in lines).split()


def test_the_body_size_is_the_size_most_characters_are_set_in():
    lines = [_line("HEADLINE", 0, size=30), _line("KICKER", 40, size=30),
             _line("x" * 50, 80, size=9), _line("TWO", 90, size=30)]
    assert body_size(lines) == 9                          # three lines of 30, fewer characters
    assert body_size([]) == 0.0
    assert body_size([_line("y" * 1000, 0, size=12)] + [_line("z" * 200, 0, size=8)] * 2) == 8


def test_the_headline_is_the_first_run_of_display_type_near_the_top():
    lines = [_line("PAPER, MONDAY", 0, size=8), _line("1234 5678", 10, size=40),
             _line("Board Keeps", 30, size=30), _line("Branch Open", 62, size=28),
             _line("A Smaller Deck", 90, size=15)] + [_line("body", 100 + n, size=10) for n in range(6)]
    assert headline_span(lines, 10.0) == (2, 4)          # figures are no headline; a deck is smaller
    assert headline_span(lines, 0.0) is None
    assert headline_span([_line("Just", 0, size=14.4)] + lines[5:], 10.0) is None   # < 1.45x
    assert headline_span([_line("Just", 0, size=10 * HEADLINE_RATIO)], 10.0) == (0, 1)
    late = [_line("body", n) for n in range(9)] + [_line("Late Big", 99, size=30)]
    assert headline_span(late, 10.0) is None             # below the top third (and six lines)


def test_a_page_reads_a_line_per_line_and_a_blank_line_between_blocks():
    page = Page(1, "ocr", [_line("one", 0), _line("two", 10), _line("three", 0, block=2)])
    assert page.text() == "one\ntwo\n\nthree"
    assert Page(2, "text layer").text() == ""
    assert _line("x", 5, size=7).height == 7
