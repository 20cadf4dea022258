"""Where on an HTML page a node stands: in the article, or in the page around it."""

# Classes of the boxes that hold other stories or readers' words, not this article's.
_NOT_THE_ARTICLE = ("list", "related", "promo", "teaser", "recommend", "comment")


def elsewhere(node, own_aside: bool = False) -> bool:
    """In navigation, a footer or a list of other stories, not in this article's byline.
    An <article>'s own <footer> is its byline and date box (HTML's meaning of it), not
    the page's; with `own_aside`, so is its own <aside> (an author's box beside it)."""
    own = ("footer", "aside") if own_aside else ("footer",)
    for ancestor in node.iterancestors():
        if ancestor.tag in ("nav", "aside", "footer") and not (
                ancestor.tag in own and next(ancestor.iterancestors("article"), None) is not None):
            return True
        if any(word in (ancestor.get("class") or "").lower() for word in _NOT_THE_ARTICLE):
            return True
    return False


def in_caption(node) -> bool:
    """In a figure or its caption."""
    for ancestor in node.iterancestors():
        if ancestor.tag in ("figcaption", "figure") or "caption" in (ancestor.get("class") or ""):
            return True
    return False


def in_picture(node) -> bool:
    """Among a picture's data ('photo-data', 'image-credit'): a byline there names who
    made the picture (not 'first-image-100w75h', a layout's name)."""
    return any(word.startswith(("photo", "image", "picture"))
               for ancestor in node.iterancestors()
               for word in (ancestor.get("class") or "").lower().split())
