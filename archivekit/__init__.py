"""archivekit: preserve news clippings as sealed, verifiable packages."""

__version__ = "0.1.0"
SOFTWARE = {"name": "archivekit", "version": __version__}
