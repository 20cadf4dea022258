"""Publishers' conventions: print-edition lines and caption credits, from real lines."""

import pytest

from archivekit.extract import conventions


@pytest.mark.parametrize("line,expected", [
    ("A version of this article appears in print on January 13, 2017, on Page A7 of the "
     "New York edition with the headline: Sanctions on Sudan Will Be Lifted.   Order Reprints",
     ("2017-01-13", "A", "7", "New York", "Sanctions on Sudan Will Be Lifted")),
    ("A version of this article appears in print on Dec. 28, 2023, Section A, Page 1 of the "
     "New York edition with the headline: Beijing-Washington Spy Competition Escalates.",
     ("2023-12-28", "A", "1", "New York", "Beijing-Washington Spy Competition Escalates")),
    ("A version of this article appears in print on March 3, 2024, Section A, Page 12 of the "
     "National edition with the headline: A Quiet Vote.",
     ("2024-03-03", "A", "12", "National", "A Quiet Vote")),
    ("A version of this article appears in print on Oct. 8, 2023, Page 30 of the Sunday "
     "Magazine with the headline: The Long Game.",
     ("2023-10-08", "Sunday Magazine", "30", None, "The Long Game")),
    # the empty-date variant, as nytimes-3 prints it
    ("A version of this article appears in print on , on Page A22 of the New York edition "
     "with the headline: Under the City’s Streets, A Battle Against Winter. Order Reprints",
     (None, "A", "22", "New York", "Under the City’s Streets, A Battle Against Winter")),
    ("Appeared in the November 1, 2025, print edition as 'Fed Holds Rates Steady'.",
     ("2025-11-01", None, None, None, "Fed Holds Rates Steady")),
    ("This article appeared in the Finance & economics section of the print edition under "
     "the headline \"Bitter pills\"",
     (None, "Finance & economics", None, None, "Bitter pills")),
])
def test_print_lines(line, expected):
    info, _publisher = conventions.print_line(line)
    assert (info.date, info.section, info.page, info.edition, info.headline) == expected


@pytest.mark.parametrize("caption,expected", [
    ("A Con Edison worker repairing underground cables this month in Flushing, Queens."
     "CreditCreditChang W. Lee/The New York Times",
     [("photograph", "Chang W. Lee", "The New York Times")]),
    ("Interest payments on the federal debt could surpass the Defense Department budget in "
     "2023.CreditCreditJeon Heon-Kyun/EPA, via Shutterstock",
     [("photograph", "Jeon Heon-Kyun", "EPA, via Shutterstock")]),
    ("United Nations peacekeepers at a refugee camp in Sudan on Monday. "
     "Credit Ashraf Shazly/Agence France-Presse — Getty Images",
     [("photograph", "Ashraf Shazly", "Agence France-Presse/Getty Images")]),
    ("Whale expert Hori Parata. Photograph: Adrian Malloch for the Guardian",
     [("photograph", "Adrian Malloch", "the Guardian")]),
    ("Protesters outside parliament. Photograph: Toby Melville/Reuters",
     [("photograph", "Toby Melville", "Reuters")]),
    ("Israeli Prime Minister Benjamin Netanyahu reacts as he visits the Western Wall in "
     "Jerusalem on March 18. (Thomas Coex/AFP/Getty Images)",
     [("photograph", "Thomas Coex", "AFP/Getty Images")]),
])
def test_caption_credits(caption, expected):
    role, text = conventions.credit_text(caption)
    assert [(c.role, c.name, c.agency) for c in conventions.parse_credits(text, role)] == expected
