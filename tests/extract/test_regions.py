"""Where on an HTML page a node stands: in the article, or in the page around it."""

import lxml.html

from archivekit.extract.regions import elsewhere


def test_navigation_footers_asides_and_boxes_of_other_stories_are_elsewhere():
    doc = lxml.html.document_fromstring(
        "<html><body><article><p id='own'>By Jane Doe</p></article>"
        "<nav><p id='nav'>Home</p></nav><footer><p id='foot'>About</p></footer>"
        "<aside><p id='aside'>More</p></aside>"
        "<div class='related-stories'><p id='related'>By John Roe</p></div>"
        "<div class='c-comments'><p id='comment'>By a reader</p></div></body></html>")
    found = {node.get("id"): elsewhere(node) for node in doc.iter("p")}
    assert found == {"own": False, "nav": True, "foot": True, "aside": True, "related": True,
                     "comment": True}


def test_an_articles_own_footer_is_the_article():
    # <article>...<footer class='post-byline'><time>: the story's byline and date box
    doc = lxml.html.document_fromstring(
        "<html><body><article><p>Text</p><footer><ul><li><time id='own'>12.24.14</time>"
        "</li></ul></footer></article><footer><p id='page'>© 2014</p></footer>"
        "<article><aside><footer><p id='aside'>More</p></footer></aside></article>"
        "</body></html>")
    found = {node.get("id"): elsewhere(node) for node in doc.xpath("//*[@id]")}
    assert found == {"own": False, "page": True, "aside": True}


def test_an_articles_own_aside_is_the_article_only_when_asked():
    # <article><aside class='widget author'>von Hella Schneider: the story's author box
    doc = lxml.html.document_fromstring(
        "<html><body><article><p>Text</p><aside><p id='own'>von Hella Schneider</p></aside>"
        "</article><aside><p id='page'>By John Roe</p></aside></body></html>")
    found = {node.get("id"): (elsewhere(node), elsewhere(node, own_aside=True))
             for node in doc.xpath("//*[@id]")}
    assert found == {"own": (True, False), "page": (True, True)}
