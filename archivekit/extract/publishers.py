"""What we know of publishers and picture agencies."""

from urllib.parse import urlparse

DOMAINS = {
    "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal", "theguardian.com": "The Guardian",
    "economist.com": "The Economist", "apnews.com": "The Associated Press",
    "reuters.com": "Reuters", "bbc.co.uk": "BBC News", "bbc.com": "BBC News",
    "telegraph.co.uk": "The Telegraph", "seattletimes.com": "The Seattle Times",
    "latimes.com": "Los Angeles Times", "ft.com": "Financial Times",
    "bloomberg.com": "Bloomberg", "cnn.com": "CNN", "lemonde.fr": "Le Monde",
}
AGENCIES = (
    "Associated Press", "The Associated Press", "AP", "AP Photo", "Reuters", "Getty Images",
    "AFP", "Agence France-Presse", "EPA", "EPA-EFE", "Shutterstock", "Bloomberg", "Alamy",
    "Xinhua", "Kyodo", "Sipa", "Sipa USA", "NurPhoto", "Redux", "Polaris", "Magnum Photos",
    "PA", "PA Images", "PA Wire", "Rex", "Anadolu", "Anadolu Agency", "Zuma Press",
)
_AGENCY_SET = {a.lower() for a in AGENCIES}


def is_agency(text: str) -> bool:
    """Whether `text` names a news or picture agency (a credit, not a person)."""
    text = text.strip().lower()
    return text in _AGENCY_SET or text.endswith((" images", " photos", " press", " agency",
                                                 " news agency", " wire"))


def from_url(url: str | None) -> str | None:
    """The publisher a known address belongs to (its host or a subdomain of it), else None."""
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    for domain, name in DOMAINS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None
