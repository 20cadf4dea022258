"""People's names in bylines: 'By X, Y and Z', all caps, or run together."""

import re

_LEAD = re.compile(r"^(?:by|par|por|von|di|door)(?:\s*:)?\s+", re.I)
_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,|;|\s+and\s+|\s+&\s+|\s+y\s+|\s+et\s+|\s+und\s+"
                    r"|\s+e\s+)\s*")
# 'Martin Untersinger (avec Damien Leloup et Morgane Tual)': the helpers are authors too;
# any other parenthesis is part of the name: 'Richard (R.J.) Eskow'.
_WITH = re.compile(r"\((?:avec|with|con|com|mit)\s+([^)]*)\)", re.I)
# 'Eleanor Ainge Roy (reporting) and Adrian Malloch (photography)': a role in brackets
# names a writer, or someone who made the pictures (a credit, not an author).
_WRITING_ROLE = re.compile(r"\s*\((?:reporting|writing|words|text|story|reporter|writer)\)", re.I)
_PICTURE_ROLE = re.compile(r"\((?:photography|photos?|pictures|video|graphics|illustrations?|"
                           r"design)\)", re.I)
# Prefixes after which an upper-case letter continues the same name (McDonald, DeLuca).
_SURNAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Le", "La", "Van", "Von", "O'", "D'", "Fitz",
                     "de", "di", "da", "le", "la", "van", "von")
# A capital in any alphabet ('Émile', 'Šimon', 'Łukasz'), not only A-Z.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯΑ-Ω"
_NAME_WORD = re.compile(rf"^(?:[{_UPPER}][\w'’.-]*|de|da|di|du|del|der|den|van|von|le|la|bin|al|"
                        rf"(?:de|da|di|du|van|von|le|la|mc|mac)[{_UPPER}][\w'’-]*)$")
# Where a byline names a place or an employer after the person: 'Jon Henley in Paris',
# 'John Smith for The Washington Post'.
_PLACE_OR_EMPLOYER = re.compile(rf"\s+(?i:in|at|for|from|en|pour|para|für|aus)\s+(?=[{_UPPER}])")
# Words of groups, desks and publications, never of a person's name ('Letters to the
# Editor', 'New York Times', 'CNN Business', 'USA Today').
_GROUPS = {"letters", "letter", "readers", "reader", "guest", "admin", "administrator",
           "newsroom", "bureau", "office", "department", "company", "corporation", "network",
           "channel", "radio", "tv", "television", "times", "post", "herald", "journal",
           "tribune", "gazette", "reuters", "afp", "ap", "dpa", "pa", "redaktion", "rédaction",
           "redacción", "redação", "redazione", "agence", "agencia", "agentur",
           "chronicle", "telegraph", "guardian", "observer", "review", "weekly", "today",
           "institute", "university", "foundation", "business", "bloomberg", "insider",
           "digital", "politics", "sports", "health", "science", "technology", "world", "local",
           "blog", "blogs", "national", "international",
           # where a reporter files from: 'Andrew Ramsey, Melbourne Cricket Ground'
           "stadium", "arena", "ground", "airport"}
_NOT_NAMES = {"the", "staff", "editorial", "board", "opinion", "updated", "published", "news",
              "reporter", "correspondent", "contributor", "writer", "editor", "senior", "associate",
              "contributing", "columnist", "photographer", "producer", "director", "analyst",
              "technologist", "project", "magazine", "media", "group", "desk", "team", "press",
              "online", "daily", "follow", "email", "posted", "author", "articles", "view", "send",
              "see", "all", "more", "about", "by", "on", "at", "in", "of", "for", "with", "from",
              "share", "comments", "comment", "subscribe", "read", "minute", "minutes", "hours",
              "ago", "associated", "wire", "service", "agency", "inc", "ltd", "llc", "com",
              # words of title-cased headlines ('How Butterflies Get Their Shine')
              "how", "why", "what", "when", "who", "is", "are", "was", "were", "this", "that",
              "these", "those", "you", "your", "our", "their", "they", "we", "it", "its", "to",
              "not", "get", "gets", "after", "over", "into", "new", "best", "top"}


# 'Paul Ausick December 29, 2014': the month or weekday left once the digits are cut off
_TRAILING_DATE_WORDS = re.compile(
    r"[\s,]+(?:on\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*day|updated|published|posted)"
    r"\.?,?\s*$", re.I)


# 'Lynne Eldridge MD', 'Brenda Goodman, MA': degrees after a name are not part of it
_CREDENTIALS = re.compile(r"(?:,?\s+(?:MD|M\.D\.|PhD|Ph\.D\.|MA|MS|MPH|RN|DO|DDS))+\s*$")


def tidy(name: str) -> str:
    """A name as a byline should give it: spaces collapsed, punctuation around it cut,
    and one printed in capitals ('JANE DOE') in title case."""
    name = " ".join(name.replace("\u00a0", " ").split()).strip(" ,;:|-–—")
    if name.isupper() and len(name) > 3:
        name = " ".join(part.capitalize() if len(part) > 2 or "." not in part else part
                        for part in name.title().split())
    return name


def looks_like_name(text: str) -> bool:
    """Whether `text` reads as a person's name: two to five capitalised words, no digits,
    no word of a role or an organisation ('staff', 'editor', 'Herald'), and not ending in
    an initial."""
    words = text.split()
    words = [w for w in words if not (w.startswith("(") and w.endswith(")"))]
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text):
        return False
    if any(w.lower().strip(".,") in _NOT_NAMES or w.lower() in _GROUPS for w in words):
        return False
    if len(words[-1].rstrip(".")) == 1:
        return False    # a name ends with the surname, not an initial: 'KFC T20' cut at digits
    # an acronym among mixed-case words names an organisation: 'CNN Business'
    if not text.isupper() and any(len(w) > 2 and w.isupper() and "." not in w for w in words):
        return False
    return all(_NAME_WORD.match(w) for w in words) and words[0][:1].isupper()


# The words of a writer's role ('Senior Writer', 'a reporter at', 'contributing editor').
WRITING_ROLES = ("editor|writer|reporter|correspondent|columnist|contributor|critic|producer|"
                 "journalist|blogger")
# A role after the person's name on the same line: 'Antonio Regalado Editor', 'Jane Doe
# Senior online fashion editor, ...'
_ROLE_AFTER = re.compile(
    r"\s+(?:(?:(?i:senior|staff|contributing|associate|assistant|managing|deputy|executive|"
    rf"chief|special|guest|freelance|online|digital|news)|[a-z][\w-]{{3,}})\s+){{0,3}}"
    rf"(?i:{WRITING_ROLES})s?\b")


def role_after(text: str) -> int | None:
    """Where a role after a name on the line begins ('Antonio Regalado Editor' -> 16), if any."""
    match = _ROLE_AFTER.search(text)
    return match.start() if match else None


def byline_words(text: str) -> str:
    """What of a byline should be names: without its lead ('By', 'Par', 'Von'...) or the
    month or weekday left once a date's figures are cut off."""
    return _TRAILING_DATE_WORDS.sub("", _LEAD.sub("", text))


def unglue(text: str, known: list[str] = ()) -> str:
    """'Edward WongJulian E. Barnes' -> 'Edward Wong, Julian E. Barnes'."""
    for name in sorted(known, key=len, reverse=True):
        text = text.replace(name, f", {name}, ")

    def split_here(match):
        before = text[: match.start()]
        word = before.rsplit(" ", 1)[-1]
        return "" if word.endswith(_SURNAME_PREFIXES) and len(word) <= 4 else ", "
    return re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", split_here, text)


def split_byline(text: str, known: list[str] = ()) -> list[str]:
    """Names in a byline, in order, without 'By', roles or dates."""
    # handles and addresses are never part of a name: 'Marah Eakin@marahe'
    text = re.sub(r"[\w.+-]+@[\w-]+\.[\w.]+|@\w+", " ", text)
    text = _WITH.sub(r", \1", _LEAD.sub("", " ".join(text.split())))
    # Dates, times and counts follow a byline, never stand inside one.
    # A separator may end the line: 'By Helen Wood /' over its date.
    text = re.split(r"\s+(?:\||—|–|/|-)(?:\s+|$)|\s*[•·]|\s+(?:Updated|Published|Posted|on|Follow|"
                    r"E-?mail|Become a fan)\b|\d", text)[0]
    text = _CREDENTIALS.sub("", _TRAILING_DATE_WORDS.sub("", text))
    text = re.sub(r"(?:\s+(?:and|&)|,)\s*$", "", text)   # 'X, Y and' when the last name wrapped
    names = []
    for part in _SPLIT.split(unglue(text, known)):
        part = _LEAD.sub("", tidy(_WRITING_ROLE.sub("", part)))
        person, *where = _PLACE_OR_EMPLOYER.split(part, 1)
        if where and len(person.split()) <= 4 and len(where[0].split()) <= 4:
            part = person
        if part.lower() in ("", "and") or _PICTURE_ROLE.search(part):
            continue
        if looks_like_name(part):
            if part not in names:
                names.append(part)
        elif names or len(part.split()) > 5:
            # 'By A, Senior Writer, Org': what follows the names is their roles; and no
            # name follows a phrase ('Senior Vice President of Technology and Ad Operations')
            break
    return names


def says_not_a_person(text: str) -> bool:
    """A section, desk, role or organisation ('Letters to the Editor', 'Staff', 'BBC
    News', 'AFP'), by its words: what a byline may hold that is no one's name."""
    words = [w.lower().strip(".,()") for w in text.split()]
    return not words or any(w in _NOT_NAMES or w in _GROUPS for w in words) or \
        (len(words) == 1 and text.isupper())

