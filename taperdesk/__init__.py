"""TaperDesk: an offline assistant for slow, safe benzodiazepine tapers."""

APP_NAME = "TaperDesk"
APP_ID = "org.taperdesk.TaperDesk"

#: The one place the version is written; pyproject.toml reads it from here.
#: (A literal, not importlib.metadata: that import alone costs ~35 ms of start-up.)
__version__ = "0.1.0"
