"""Which of the dates a copied page prints are its publication and update dates."""

from datetime import date, datetime, timezone

from hypothesis import given, settings, strategies as st

from archivekit.extract import extract

MENU = ["Skip to main content", "Home", "News", "World", "Business", "Sports", "Subscribe"]
PARAGRAPHS = [
    "The city's old tram depot will become a library, the council decided on Monday after "
    "a debate that ran long into the evening and filled the public gallery.",
    "Architects will keep the brick halls and the iron roof, and the reading rooms will "
    "open where the trams were once repaired, officials said.",
    "Work is to begin in the spring and the first rooms should open within two years, "
    "though the council warned that the budget could still change.",
]
HEADLINE = "Old tram depot to become the city's new central library"


def _read(lines, captured=None, url=None):
    return extract("\n".join(lines).encode(), "text/plain; charset=utf-8", url,
                   captured=captured)


def test_a_date_without_a_year_on_the_byline_takes_the_copyright_year():
    lines = MENU + ["By Jane Doe March 18 at 3:57 PM Follow @janedoe", "1 of 24", "Full Screen",
                    "Autoplay", "Close", "Skip Ad", HEADLINE, *PARAGRAPHS,
                    "© 1996-2015 The Valley Herald"]
    meta = _read(lines)
    assert meta.published == "2015-03-18"
    assert "the year from the page's copyright line" in meta.provenance["published"]["from"]
    captured = datetime(2016, 1, 2, tzinfo=timezone.utc)
    assert _read(lines, captured).published == "2015-03-18"    # not after the capture
    assert _read(lines[:-1]).published is None                # no year anywhere: no date


def test_a_date_with_its_year_goes_before_one_without():
    lines = MENU + [HEADLINE, "by Jane Doe22 Dec 2016651", "22 Dec, 2016 22 Dec, 2016",
                    *PARAGRAPHS, "Copyright © 2017 Valley Herald"]
    assert _read(lines).published == "2016-12-22"


def test_a_date_alone_far_from_the_article_when_the_page_prints_no_other():
    bio = ["Jane Doe", "Jane is a contributing editor. She writes about rivers and mills."]
    lines = MENU + [HEADLINE, *PARAGRAPHS, *["Related story number %d" % i for i in range(20)],
                    *bio, "12.28.14   1:00PM", "Maker Talks"]
    assert _read(lines).published == "2014-12-28"
    # comments print other days that way: no day is the page's own
    assert _read(lines + ["12.30.14   9:14PM"]).published is None
    # a banner's day over the headline is not another day of the article's
    sections = ["Section %d" % i for i in range(12)]
    assert _read(["Monday, January 5, 2015", *sections, *lines]).published == "2014-12-28"


def test_updated_is_the_update_not_the_publication():
    lines = MENU + [HEADLINE, "By Jane Doe", "Updated 12.29.14", *PARAGRAPHS]
    meta = _read(lines)
    assert (meta.published, meta.modified) == (None, "2014-12-29")


def test_an_ambiguous_date_on_a_page_in_german_reads_day_first():
    german = ["Der Fluss stieg am Dienstag schneller, als die Menschen im Tal es erwartet "
              "hatten, und die Familien mussten ihre Häuser vor der Dämmerung verlassen. "
              "Die Rettungskräfte arbeiteten die ganze Nacht und die Straßen sind nicht offen, "
              "sagte die Bürgermeisterin, und sie ist mit den Helfern auch zufrieden."] * 3
    lines = MENU + ["Der Fluss überflutet das Tal nach dem Rekordregen", "Von Jane Doe",
                    "05.06.14", *german]
    assert _read(lines).published == "2014-06-05"
    lines[len(MENU) + 2] = "06.05.14"
    assert _read(lines).published == "2014-05-06"


def test_a_label_on_the_line_over_the_date():
    lines = MENU + [HEADLINE, "By Jane Doe", "Updated:", "March 5, 2024", *PARAGRAPHS]
    assert (_read(lines).published, _read(lines).modified) == (None, "2024-03-05")
    lines[len(MENU) + 2] = "Published"
    assert (_read(lines).published, _read(lines).modified) == ("2024-03-05", None)


def test_a_date_with_only_an_update_time_after_it_is_the_update():
    lines = MENU + [HEADLINE, "By Jane Doe", "November 28, 2013 -- Updated 0203 GMT (1003 HKT)",
                    *PARAGRAPHS]
    meta = _read(lines)
    assert (meta.published, meta.modified) == (None, "2013-11-28")
    # a publication label before the date keeps it the publication's
    lines[len(MENU) + 2] = "Published: Jan. 14, 2015 Updated: 4:49 p.m."
    assert (_read(lines).published, _read(lines).modified) == ("2015-01-14", None)


def test_the_one_date_labelled_published_when_the_page_prints_several_alone():
    related = ["Related story number %d" % i for i in range(20)]
    lines = MENU + [HEADLINE, *PARAGRAPHS, *related, "Published December 20, 2014",
                    "Another story", "May 14, 2014", "A third story", "Mar 08, 2014"]
    assert _read(lines).published == "2014-12-20"
    unlabelled = [line.replace("Published ", "") for line in lines]
    assert _read(unlabelled).published is None     # three days alone: none is the page's


def test_a_list_of_dated_lines_by_the_headline_is_no_date_line():
    schedule = ["Tuesday, September 24, 2013 at 2:30 PM", "Monday, November 25, 2013 at 3:00 PM",
                "Tuesday, April 22, 2014 at 1:00 PM"]
    lines = MENU + [HEADLINE, *schedule, *PARAGRAPHS]
    assert _read(lines).published is None
    assert _read(MENU + [HEADLINE, *schedule[:2], *PARAGRAPHS]).published == "2013-09-24"


def test_the_date_nearest_the_headline_under_it_before_one_over_it():
    # a site's banner prints today's date a few lines over the headline
    lines = MENU + ["Wednesday, January 7, 2015", "Weather 41°F", "Metro", HEADLINE,
                    "By Jane Doe", "December 29, 2014", *PARAGRAPHS]
    assert _read(lines).published == "2014-12-29"
    # under it first, however close the banner stands over it
    lines = MENU + ["Wednesday, January 7, 2015", HEADLINE, "By Jane Doe", "Staff Writer",
                    "Metro desk", "December 29, 2014", *PARAGRAPHS]
    assert _read(lines).published == "2014-12-29"
    # the only date by the headline, over it, is still read
    assert _read(MENU + ["December 29, 2014", HEADLINE, "By Jane Doe", *PARAGRAPHS]
                 ).published == "2014-12-29"


def test_a_date_without_a_year_takes_the_year_of_the_day_in_the_address():
    lines = MENU + [HEADLINE, "Jane Doe", "Mar 17 · 11 min read", *PARAGRAPHS]
    captured = datetime(2026, 12, 2, tzinfo=timezone.utc)
    meta = _read(lines, captured, "https://medium.example/2015/03/17/open-journalism")
    assert meta.published == "2015-03-17"
    assert meta.provenance["published"]["from"].endswith("the year from the page's address")
    assert _read(lines, captured).published == "2026-03-17"


def test_a_year_set_apart_on_the_line_beside_a_date_is_its_year():
    # '2014 / Dec 29 / 10:00 PM': the page styles the year apart, the copy splits it
    for split in (["2014", "Dec 29", "10:00 PM"], ["Dec 29", "2014"]):
        lines = MENU + [*split, "By Jane Doe", HEADLINE, *PARAGRAPHS, "© 2015 Valley Herald"]
        meta = _read(lines)
        assert meta.published == "2014-12-29"
        assert meta.provenance["published"]["from"].endswith(
            "the year from the line over it" if split[0] == "2014" else
            "the year from the line under it")
    # no year beside it: the copyright line's
    assert _read(MENU + ["Dec 29", "By Jane Doe", HEADLINE, *PARAGRAPHS,
                         "© 2015 Valley Herald"]).published == "2015-12-29"


@settings(max_examples=60, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2150, 12, 31)), st.sampled_from(["%b %d", "%B %-d"]),
       st.booleans())
def test_any_date_with_its_year_on_the_line_beside_it_reads_back(day, form, over):
    printed, year = day.strftime(form), str(day.year)
    beside = [year, printed] if over else [printed, year]
    lines = MENU + [*beside, "By Jane Doe", HEADLINE, *PARAGRAPHS]
    assert _read(lines).published == day.isoformat()


def test_a_date_alone_without_its_year_far_from_the_article_only_as_a_timestamp():
    holidays = ["Holidays", "Easter", "Mother's Day", "July 4th", "Halloween"]
    lines = MENU + [HEADLINE, *PARAGRAPHS, *["Related story %d" % i for i in range(20)],
                    *holidays, "© 2012 Meredith Corporation"]
    assert _read(lines).published is None
    stamped = MENU + [HEADLINE, *PARAGRAPHS, *["Related story %d" % i for i in range(20)],
                      "Dec 29 10:00 PM", "© 2015 Valley Herald"]
    assert _read(stamped).published == "2015-12-29"


GERMAN = ["Der Fluss stieg am Dienstag schneller, als die Menschen im Tal es erwartet hatten, "
          "und die Familien mussten ihre Häuser vor der Dämmerung verlassen. Die Rettungskräfte "
          "arbeiteten die ganze Nacht, sagte die Bürgermeisterin."] * 3


def test_update_and_publication_labels_in_the_pages_language():
    head = MENU + ["Der Fluss überflutet das Tal nach dem Rekordregen", "Von Jane Doe"]
    meta = _read(head + ["Aktualisiert am 18.03.2018, 10:12 Uhr · Veröffentlicht am 17.03.2018",
                         *GERMAN])
    assert (meta.published, meta.modified) == ("2018-03-17", "2018-03-18")
    # a label is the next date's only: the site's name then its own date
    meta = _read(head + ["Aktualisiert am 18.03.2018 · Tagesblatt | 17.03.2018", *GERMAN])
    assert (meta.published, meta.modified) == ("2018-03-17", "2018-03-18")


def test_the_date_on_the_bylines_own_line_when_the_headline_taken_is_another():
    # the article's headline is missing from the copy: a related story's title is taken
    # for it, far under the byline; the byline still dates the article
    lines = MENU + ["Resources", "By Jane Doe | Posted Feb. 27, 2014, 5:17 p.m.", "Share:",
                    *PARAGRAPHS, "Read Also:", "Resources",
                    "The council's budget for libraries in the coming year"]
    meta = _read(lines)
    assert meta.headline != lines[len(MENU) + 1] and meta.authors[0].name == "Jane Doe"
    assert meta.published == "2014-02-27"
    # with its year only: a count glued to the year is no year-less '22 Dec' of the
    # copyright's year; the date under it is read
    glued = [*lines[:len(MENU) + 1], "By Jane Doe22 Dec 2016651", "22 Dec, 2016",
             *lines[len(MENU) + 2:], "© 2017 Valley Herald"]
    assert _read(glued).published == "2016-12-22"


def test_a_dateline_that_opens_the_first_paragraph_before_its_dash():
    first = " ".join(PARAGRAPHS[:2])     # a long paragraph, no date line
    lines = MENU + [HEADLINE, "By Jane Doe", "April 17, 2015 -- " + first, PARAGRAPHS[2]]
    assert _read(lines).published == "2015-04-17"
    # a wire's dateline without its year takes the year the page implies
    wire = MENU + [HEADLINE, "LONDON, Dec 30 (Reuters) - " + first, PARAGRAPHS[2],
                   "© 2014 Reuters"]
    assert _read(wire).published == "2014-12-30"
    # a date inside the paragraph, or before a dash far into it, opens nothing
    inside = first.replace("on Monday", "on April 17, 2015 - Monday")
    assert _read(MENU + [HEADLINE, "By Jane Doe", inside, PARAGRAPHS[2]]).published is None



def test_the_date_a_long_first_paragraph_begins_with_goes_before_a_teasers_over_the_headline():
    first = " ".join(PARAGRAPHS[:2])
    lines = MENU + ["December 16, 2014, 14:45 Other story's teaser", "Most read", HEADLINE,
                    "December 24, 2014 Libraries " + first, PARAGRAPHS[2]]
    assert _read(lines).published == "2014-12-24"


def test_a_sentence_at_the_articles_end_that_says_when_it_was_posted():
    def published(sentence: str) -> str | None:
        return _read(MENU + [HEADLINE, *PARAGRAPHS, sentence, "Leave a Reply"]).published
    posted = ("This entry was posted on Tuesday, September 3rd, 2013 at 12:53 pm and is filed "
              "under Startups. You can follow any responses to this entry through the RSS feed.")
    assert published(posted) == "2013-09-03"
    # the label just before the date: an update's, or none, says nothing of the publication
    assert published(posted.replace("posted", "updated")) is None
    assert published(posted.replace("This entry was posted", "The council met")) is None
    assert published(posted.replace("posted on", "posted after the council met on")) is None
