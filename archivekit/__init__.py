"""archivekit: preserve news clippings as sealed, verifiable packages."""

from archivekit._internal.software import SOFTWARE, __version__

__all__ = ["SOFTWARE", "__version__"]
