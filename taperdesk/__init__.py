"""TaperDesk: an offline assistant for slow, safe benzodiazepine tapers."""

from __future__ import annotations

from importlib import metadata

APP_NAME = "TaperDesk"
APP_ID = "org.taperdesk.TaperDesk"

try:
    __version__ = metadata.version("taperdesk")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
