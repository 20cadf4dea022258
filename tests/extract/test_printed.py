"""Print conventions on single lines, and printed pages' lines made into metadata
(positioned lines built by hand: no OCR here)."""

from hypothesis import given, settings, strategies as st

from archivekit.extract import printed
from archivekit.extract.layout import Line, Page
from archivekit.extract.ocr import parse_tsv


def test_folio_lines_give_paper_date_section_and_page():
    info, paper = printed.folio("THE NEW YORK TIMES, THURSDAY, DECEMBER 28, 2023 A1")
    assert (paper, info.date, info.section, info.page) == ("The New York Times", "2023-12-28", "A", "1")
    info, paper = printed.folio("A12 THE NEW YORK TIMES, THURSDAY, DECEMBER 28, 2023")
    assert (info.section, info.page) == ("A", "12")
    info, paper = printed.folio("Riverton Gazette Monday, Dec. 4, 2023 B7")
    assert (paper, info.date, info.page) == ("Riverton Gazette", "2023-12-04", "7")
    info, _ = printed.folio("THE NEW YORK TIMES, THURSDAY, DECEMBER 28,2023 Al")   # OCR's slips
    assert (info.date, info.page) == ("2023-12-28", "1")
    assert printed.folio("The board met on Thursday, December 28, 2023 at noon") is None
    assert printed.folio("THE TIMES, THURSDAY, FEBRUARY 30, 2023 A1") is None   # no such day


def test_page_markers_jumps_and_picture_credits():
    marker = printed.page_marker("SECTION B PAGE 4")
    assert (marker.section, marker.page) == ("B", "4")
    assert printed.page_marker("The page was blank") is None
    for jump in ("Continued on Page A12", "Continued from Page A1", "See SPY, Page A12",
                 "(Continued on Page B3)"):
        assert printed.is_jump(jump), jump
    assert not printed.is_jump("He continued on page after page of notes about the budget.")
    credit, = printed.picture_credit("CHANG W. LEE/THE NEW YORK TIMES")
    assert (credit.name, credit.agency) == ("Chang W. Lee", "THE NEW YORK TIMES")
    credit, = printed.picture_credit("Photographs by Ana Ruiz for The Riverton Gazette")
    assert (credit.role, credit.name, credit.agency) == ("photograph", "Ana Ruiz", "The Riverton Gazette")
    assert printed.picture_credit("The mayor said the budget was final.") is None


def test_wire_credits_and_datelines():
    assert printed.wire_byline("By The Associated Press") == "The Associated Press"
    assert printed.wire_byline("REUTERS") == "Reuters"
    assert printed.wire_byline("By Jane Doe") is None
    assert printed.dateline("WASHINGTON — The Senate voted") == ("WASHINGTON", None)
    assert printed.dateline("TAIPEI, Taiwan — Voters went") == ("TAIPEI, Taiwan", None)
    assert printed.dateline("NEW YORK (AP) — The city") == ("NEW YORK", "The Associated Press")
    assert printed.dateline("WASHINGTON, Dec. 27 — The Senate") == ("WASHINGTON", None)
    assert printed.dateline("The Senate voted — again — on Tuesday") is None
    assert printed.byline_case("BY JON C. OGG AND PAUL AUSICK") == "By Jon C. Ogg and Paul Ausick"
    assert printed.byline_case("BYGONES ARE BYGONES") == "BYGONES ARE BYGONES"


def _line(text, top, size=10.0, left=0.0, right=300.0, block=0):
    return Line(text, left, top, right, top + size, size=size, block=block)


def test_headline_by_type_size_then_the_copied_text_reader():
    body = "The library board voted on Wednesday to keep the branch open until nine at"
    lines = [
        _line("THE RIVERTON GAZETTE, MONDAY, DECEMBER 4, 2023 B7", 0, size=8),
        _line("LOCAL NEWS", 12),                                       # a kicker
        _line("Board Keeps Branch", 30, size=30),
        _line("Open Late", 62, size=30),
        _line("By The Associated Press", 100, right=120),
        _line("RIVERTON — " + body, 115),
        _line("night, the chair said.", 127, right=110),
        _line("JANE ROE/RIVERTON GAZETTE", 140, size=7, right=100),
        _line("Continued on Page B9", 150, right=90),
    ]
    result = printed.read_printed([Page(1, "text layer", lines)])
    assert result.headline == "Board Keeps Branch Open Late"
    assert [a.name for a in result.authors] == ["The Associated Press"]
    assert result.publisher == {"name": "The Riverton Gazette"}
    assert (result.print.date, result.print.section, result.print.page) == ("2023-12-04", "B", "7")
    assert result.published == "2023-12-04"
    assert (result.print.dateline, result.print.continued) == ("RIVERTON", ["Continued on Page B9"])
    assert [(c.name, c.agency) for c in result.credits] == [("Jane Roe", "RIVERTON GAZETTE")]
    assert result.body == f"RIVERTON — {body} night, the chair said."
    assert result.boilerplate == ["LOCAL NEWS"]


def test_tesseract_tsv_becomes_lines_with_sizes_and_confidence():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = ["4\t1\t1\t1\t1\t0\t10\t20\t300\t60\t-1\t", "5\t1\t1\t1\t1\t1\t10\t20\t100\t60\t96\tBig",
            "5\t1\t1\t1\t1\t2\t120\t20\t100\t60\t8.5\tDJIA", "5\t1\t1\t1\t1\t3\t230\t20\t5\t60\t20\t_",
            "5\t1\t1\t1\t1\t4\t240\t20\t4\t60\t91\t|",   # a column rule read as a mark
            "4\t1\t2\t1\t1\t0\t10\t100\t300\t20\t-1\t", "5\t1\t2\t1\t1\t1\t10\t100\t50\t20\t90\tsmall"]
    page = parse_tsv("\n".join([header] + rows), 3)
    assert [(l.text, l.size, l.block) for l in page.lines] == [("Big DJIA", 60, 1), ("small", 20, 2)]
    assert (page.number, page.method, page.confidence) == (3, "ocr", round((96 + 8.5 + 90) / 3))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=60), st.floats(1, 80), st.integers(0, 3)), max_size=30))
def test_any_lines_make_metadata_without_raising(rows):
    lines = [_line(text, index * 12, size=size, block=block)
             for index, (text, size, block) in enumerate(rows)]
    result = printed.read_printed([Page(1, "ocr", lines)])
    assert result.extraction.method == "text"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789\t\n-.abc ", max_size=400))
def test_any_tsv_parses_without_raising(tsv):
    parse_tsv("header\n" + tsv, 1)
