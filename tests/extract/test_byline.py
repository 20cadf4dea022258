"""The copied-text byline chooser: learned weights over the bylines the rules find."""

import pytest

from archivekit.extract import byline, extract, text

MENU = ["Home", "News", "World", "Business", "Subscribe", "Search"]
HEADLINE = "River floods the valley as levee strains under record rain"
PARAGRAPHS = [
    "Water crept over the lower fields before sunrise on Tuesday, and by noon the road to the "
    "school was closed in both directions.",
    "Volunteers filled sandbags in the church car park while the fire brigade pumped out the "
    "cellars of the houses along the quay.",
    "The council said it would open the sports hall to anyone who could not stay at home "
    "tonight, and asked drivers to keep off the valley road.",
]
# another story's teaser under the article, with its own byline
TEASER = ["Read next", "City council approves the new budget after a long night",
          "By Sam Other"]


def _read(lines):
    return extract("\n".join(lines).encode(), "text/plain; charset=utf-8")


def test_the_byline_under_the_headline_not_a_teasers_under_the_article():
    meta = _read(MENU + [HEADLINE, "By Jane Doe", *PARAGRAPHS, *TEASER])
    assert [a.name for a in meta.authors] == ["Jane Doe"]
    assert meta.body.split("\n\n") == PARAGRAPHS


def test_a_by_line_under_the_article_when_none_is_by_the_headline():
    # beyond where the rules alone looked (three lines under the article's last paragraph)
    lines = MENU + [HEADLINE, *PARAGRAPHS, "Share", "Print", "Email", "Posted in Weather",
                    "by Jane Doe"]
    assert [a.name for a in _read(lines).authors] == ["Jane Doe"]


def test_a_by_line_far_over_the_article_when_captions_stand_between():
    # a gallery's captions between the byline and the article's text: the headline we
    # take may be one of them, and the byline stands far over the article
    captions = [f"Weather threatens holiday plans, picture {n} of 20" for n in range(20)]
    lines = MENU + ["By Jane Doe, CNN", "November 28, 2013", *captions, HEADLINE, *PARAGRAPHS]
    assert [a.name for a in _read(lines).authors] == ["Jane Doe"]
    # with another 'By' line over the article, neither is surely the article's
    lines[3:3] = ["By Sam Other"]
    assert _read(lines).authors == []


@pytest.mark.parametrize("chrome", ["Previous Story Next Story", "Modal Trigger"])
def test_a_sites_buttons_beside_a_date_are_no_byline(chrome):
    lines = MENU + [HEADLINE, chrome, "December 29, 2014", *PARAGRAPHS]
    assert _read(lines).authors == []


def test_every_candidate_has_one_value_per_feature_and_the_weights_match():
    lines, candidates, place, given = text.byline_page(
        "\n".join(MENU + [HEADLINE, "By Jane Doe", *PARAGRAPHS, *TEASER]))
    assert [c.names for c in candidates] == [("Jane Doe",), ("Sam Other",)]
    assert place.rule == candidates[0].index and given == []
    rows = [byline.features(c, place, lines) for c in [None, *candidates]]
    assert all(len(row) == len(byline.FEATURES) for row in rows)
    assert len(byline._weights()) == len(byline.FEATURES)
    assert byline.choose(candidates, place, lines) == candidates[0]


def test_no_candidate_means_no_byline():
    lines, candidates, place, _ = text.byline_page("\n".join(MENU + [HEADLINE, *PARAGRAPHS]))
    assert candidates == [] and byline.choose(candidates, place, lines) is None
    assert _read(MENU + [HEADLINE, *PARAGRAPHS]).authors == []



def test_a_line_of_names_beside_a_time_is_a_byline():
    # a date in figures and a time the date reader does not take; the names are alone
    lines = MENU + [HEADLINE, *PARAGRAPHS, "Categories", "Weather, Floods", "12.24.14   9:00AM",
                    "Jane Doe", "Renovation Diaries"]
    assert [a.name for a in _read(lines).authors] == ["Jane Doe"]


def test_a_line_of_names_over_a_sentence_about_the_person_is_a_byline():
    # an author box under the article: the name, then 'Jane is a ...'
    lines = MENU + [HEADLINE, *PARAGRAPHS, "Promoted Stories", "Jane Doe", "",
                    "Jane is a contributing editor who covers the valley's weather and roads."]
    assert [a.name for a in _read(lines).authors] == ["Jane Doe"]


def test_a_line_of_names_with_its_employer_after_a_comma_is_a_byline():
    # 'Name, Publication' over the date: the publication is neither a name nor a reason to
    # think the line is something other than a byline
    lines = MENU + [HEADLINE, "Jane Doe, The Valley Courier", "Dec. 29, 2014, 5:04 PM",
                    *PARAGRAPHS]
    assert [a.name for a in _read(lines).authors] == ["Jane Doe"]


@pytest.mark.parametrize("by_headline", [
    ["Par Jane Doe", "4 mars 2024"],                    # a lead in another language
    ["Von Jane Doe", "04.03.2024"],
    ["Le Courrier | 04.03.2024 à 13h36 | Par Jane Doe"],  # that lead after a separator
    ["Jane Doe", "The Valley Courier", "March 4, 2024"],  # the publication between
    ["Jane Doe", "jane.doe@courier.example"],           # an address under the name
    ["Jane Doe /", "Published 4th March 2024"],          # a separator ends the line
    ["Jane Doe", "Published", "March 4, 2024"],          # the date's label set apart
    ["Jane Doe", "The Valley Courier", "Updated:", "March 4, 2024"],
])
def test_a_line_of_names_by_the_headline_that_the_page_says_is_a_byline(by_headline):
    assert [a.name for a in _read(MENU + [HEADLINE, *by_headline, *PARAGRAPHS]).authors] == \
        ["Jane Doe"]


def test_short_names_fill_a_line_that_ends_with_a_separator():
    lines = MENU + [HEADLINE, "Jo Wu & Al Li /", "Published 4th March 2024", *PARAGRAPHS]
    assert [a.name for a in _read(lines).authors] == ["Jo Wu", "Al Li"]


def test_a_by_line_in_a_list_of_other_stories_is_not_the_articles_byline():
    # teasers over the article, each with its byline; the article's own names its writer
    # beside its date
    teasers = ["Council approves the new budget", "By Sam Other", "Schools close early",
               "By Ann Other", "Bridge reopens after repairs", "By Bo Other"]
    lines = MENU + [*teasers, HEADLINE, "Jane Doe Dec 29 2014, 12:16 PM ET", *PARAGRAPHS]
    assert [a.name for a in _read(lines).authors] == ["Jane Doe"]


def test_a_sentence_about_the_writer_under_the_article_names_the_author():
    lines = MENU + [HEADLINE, *PARAGRAPHS,
                    "Jane Doe is a reporter at The Valley Courier covering the environment.",
                    "Most read", "About us"]
    meta = _read(lines)
    assert [a.name for a in meta.authors] == ["Jane Doe"]
    # and so does it for the page's byline, elsewhere
    _, candidates, _, _ = text.byline_page("\n".join(lines))
    assert [(c.about, c.described) for c in candidates] == [(True, True)]


def test_a_sentence_about_the_writer_with_an_aside_and_an_author_link_under_it():
    # no writing word in the sentence: the link under it says it is the author's box
    bio = ["Andrew Roe (aka pixelmonkey, amroe) is the co-founder of a data startup in "
           "the valley.", "More from this author...", "Leave a Reply"]
    assert [a.name for a in _read(MENU + [HEADLINE, *PARAGRAPHS, *bio]).authors] == ["Andrew Roe"]
    # without the link, a sentence about someone is not about the writer
    assert _read(MENU + [HEADLINE, *PARAGRAPHS, bio[0], bio[2]]).authors == []


@pytest.mark.parametrize("line, tail, expected", [
    ("Jane Doe Senior Writer", [], ["Jane Doe"]),
    # 'games' is a word the page writes in lower case: the role's, not a surname
    ("Ben Silverman Games Editor", ["More games news from the valley"], ["Ben Silverman"]),
    ("BY JANE DOE / STAFF WRITER", [], ["Jane Doe"]),
    ("By Jane Doe & Sam Lee /", [], ["Jane Doe", "Sam Lee"]),   # the separator before a date
])
def test_a_role_after_the_names_on_their_line(line, tail, expected):
    assert [a.name for a in _read(MENU + [HEADLINE, line, *PARAGRAPHS, *tail]).authors] == \
        expected


_JA_PARAGRAPHS = ["市議会は月曜日、古い路面電車の車庫を図書館に改装する計画を承認した。"
                  "議論は夜遅くまで続き、傍聴席は満員だった。",
                  "建築家はれんがの建物と鉄の屋根を残し、かつて電車を修理した場所に閲覧室を設けると"
                  "説明した。",
                  "工事は春に始まり、最初の部屋は二年以内に開く予定だが、市は予算が変わる可能性が"
                  "あると警告した。"]


@pytest.mark.parametrize("line, expected", [
    ("編集委員　中沢克二", ["中沢克二"]),       # a role, then the name
    ("ワシントン＝中村亮", ["中村亮"]),         # where the writer is, then the name
    ("记者 张三", ["张三"]),
    ("김철수 기자", ["김철수"]),               # the name, then the role
    ("記者会見", []),                          # 'press conference': no space, no byline
    ("文部科学省", []),                        # a ministry, not 'text by'
])
def test_a_byline_in_chinese_japanese_or_korean(line, expected):
    lines = ["ホーム", "ニュース", "経済", "路面電車の車庫が市の新しい中央図書館に", line,
             *_JA_PARAGRAPHS]
    assert [a.name for a in _read(lines).authors] == expected
