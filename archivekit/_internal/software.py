"""Who wrote a package: the name and version recorded in every WARC, descriptor and event."""

__version__ = "0.1.0"
SOFTWARE = {"name": "archivekit", "version": __version__}
