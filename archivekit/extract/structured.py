"""Structured data a page declares: JSON-LD, meta tags, NYT printInformation."""

import html
import json
import re

# schema.org's articles and postings (NewsArticle, ReportageNewsArticle, BlogPosting,
# SocialMediaPosting, ...) end in these words; a WebPage is taken only when nothing else is.
ARTICLE_ENDINGS = ("article", "posting")
ARTICLE_TYPES = {"report", "review", "webpage"}
_PRINT_INFO = re.compile(r'\{[^{}]*"__typename"\s*:\s*"PrintInformation"[^{}]*\}')


def _load_json(text: str, warnings: list[str]):
    text = text.strip().rstrip(";")
    for opening, closing in (("<!--", "-->"), ("<![CDATA[", "]]>")):
        if text.startswith(opening):
            text = text[len(opening):].rsplit(closing, 1)[0].strip()
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        warnings.append(f"JSON-LD block not parsed: {exc.msg}")
        return None


def _walk(node):
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _walk(node["@graph"])


def _types(node: dict) -> set[str]:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {str(k).lower() for k in kinds if k}


def json_ld_article(doc, warnings: list[str]) -> dict | None:
    """The first article-like JSON-LD object (NewsArticle before WebPage), its author
    and publisher references ({"@id": "#jane"}, as an @graph gives them) replaced by
    the nodes they name."""
    candidates, named = [], {}
    for script in doc.xpath("//script[@type='application/ld+json']"):
        data = _load_json(script.text or "", warnings)
        for node in _walk(data):
            kinds = _types(node)
            if isinstance(node.get("@id"), str) and len(node) > 1:
                named.setdefault(node["@id"], node)
            if _article_kind(kinds):
                candidates.append((("webpage" in kinds and len(kinds) == 1), node))
    candidates.sort(key=lambda c: c[0])
    if not candidates:
        return None
    article = dict(candidates[0][1])
    for key in ("author", "publisher"):
        value = article.get(key)
        article[key] = [_named(v, named) for v in value] if isinstance(value, list) \
            else _named(value, named)
    return article


def _named(value, named: dict):
    """A reference ({"@id": X} alone) as the node it names, when the page holds one."""
    if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
        return named.get(value["@id"], value)
    return value


def _article_kind(kinds) -> bool:
    return bool(kinds & ARTICLE_TYPES) or any(k.endswith(ARTICLE_ENDINGS) for k in kinds)


def microdata_published(doc) -> str | None:
    """The datePublished of the page's article in microdata or RDFa (itemscope
    itemtype=".../NewsArticle", typeof="NewsArticle"): its own, not that of the related
    stories listed inside or beside it, each an item of its own. The article is the item
    that holds the h1, else the first one not in a list, an aside or navigation."""
    scopes = []
    for scope in doc.xpath("//*[@itemscope and @itemtype]|//*[@typeof]"):
        kinds = _terms(scope.get("itemtype") or scope.get("typeof"))
        listed = any(n.tag in _LISTS for n in (scope, *scope.iterancestors()))
        if _article_kind(kinds) and not listed:
            scopes.append(scope)
    if not scopes:
        return None
    article = min(scopes, key=lambda scope: not scope.xpath(".//h1"))   # the first with one
    for node in article.iterdescendants():
        named = _terms(node.get("itemprop") or node.get("property"))
        if "datepublished" in named and _owner(node) is article:
            value = node.get("content") or node.get("datetime") or node.text_content()
            if value and value.strip():
                return value.strip()
    return None


_LISTS = {"li", "aside", "nav", "footer"}


def _terms(value: str | None) -> set[str]:
    """'https://schema.org/NewsArticle schema:datePublished' -> {'newsarticle', 'datepublished'}"""
    return {term.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower()
            for term in (value or "").split()}


def _owner(node):
    """The item a property belongs to: its nearest item ancestor."""
    return next((a for a in node.iterancestors()
                 if a.get("itemscope") is not None or a.get("typeof") is not None), None)


COLLECTION_TYPES = {"collectionpage", "itemlist", "website", "searchresultspage"}


def is_collection_page(doc) -> bool:
    """Whether the page's JSON-LD says it lists articles (a section front, a search page)
    rather than being one. A WebSite node says so only when the page's og:type does not
    say otherwise: many sites declare their WebSite (and its search box) on every page,
    a story ('og:type' article, blog) too."""
    types = set()
    for script in doc.xpath("//script[@type='application/ld+json']"):
        for node in _walk(_load_json(script.text or "", [])):
            types |= _types(node)
    if types & (COLLECTION_TYPES - {"website"}):
        return True
    og_type = doc.xpath("//meta[@property='og:type']/@content")
    return "website" in types and (not og_type or og_type[0].strip().lower() == "website")


def meta_tags(doc) -> dict[str, str]:
    """name/property/itemprop -> content, first occurrence, keys lower-cased. Dublin Core
    written as RDFa ('dc:creator', 'dcterms:issued') is keyed as in HTML ('dc.creator')."""
    tags = {}
    for meta in doc.xpath("//meta[@content]"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        value = " ".join((meta.get("content") or "").split())
        if key and value:
            tags.setdefault(_DUBLIN_CORE.sub(r"\1.", key.strip().lower()), value)
    return tags


_DUBLIN_CORE = re.compile(r"^(dc|dcterms):")


def nyt_print_information(doc) -> dict | None:
    """The New York Times' printInformation JSON inside its preloaded page data."""
    for script in doc.xpath("//script[contains(text(), 'PrintInformation')]"):
        for match in _PRINT_INFO.finditer(script.text or ""):
            try:
                info = json.loads(match.group(0))
            except json.JSONDecodeError:
                continue
            if info.get("page") or info.get("section") or info.get("publicationDate"):
                return info
    return None


def parsely_metadata(tags: dict, warnings: list[str]) -> dict:
    """The Parse.ly metadata a page carries in a meta tag (JSON: headline, authors, date),
    or {}; JSON that does not parse is a warning."""
    raw = tags.get("parsely-page") or tags.get("parsely-metadata")
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        warnings.append("parsely metadata not parsed")
        return {}
    return value if isinstance(value, dict) else {}


def people(value) -> list[str]:
    """JSON-LD author: a Person, a list of them, a string, or an Organization. A user
    name or an address ('mcupdate', '@jdoe', 'https://site/author/jdoe') names no one."""
    found = []
    for node in value if isinstance(value, list) else [value]:
        if isinstance(node, dict) and "organization" not in _types(node):
            node = node.get("name")
        if isinstance(node, str) and not is_handle(node):
            found.append(node)
    return found


def is_handle(value: str) -> bool:
    """A user name or an address, not a name: 'mcupdate', '@jdoe', 'https://site/jdoe'."""
    return _HANDLE.fullmatch(value.strip()) is not None


_HANDLE = re.compile(r"@?[a-z0-9_.-]+|\S*://\S*|www\.\S*")


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def text_of(value) -> str | None:
    """A declared value as a reader would see it. JSON-LD strings and meta values a site
    escaped twice ('Don&#8217;t', '&amp;#039;') still hold HTML entities once the parser
    is done: those are decoded, once."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id")
    if not isinstance(value, str) or not value.strip():
        return None
    if _ENTITY.search(value):
        value = html.unescape(value)
    return " ".join(value.split())
