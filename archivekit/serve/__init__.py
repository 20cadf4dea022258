"""The reading room: a local web interface over a collection (`archivekit serve`)."""
