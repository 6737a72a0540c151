"""matplotlib's font cache in a folder that lasts.

Unless the person set ``MPLCONFIGDIR`` themselves, matplotlib gets a folder under the
user cache directory, keyed by TaperDesk's version. PyInstaller's runtime hook
``pyi_rth_mplconfig`` pointed it at a new temporary folder at every start of the frozen
app, so the font list was rebuilt each time (~0.8 s) and a temporary folder was left
whenever the app was killed; the spec leaves that hook out, and this runs first instead.
"""

from __future__ import annotations

import os
from pathlib import Path


def use_lasting_matplotlib_cache() -> Path | None:
    """Set ``MPLCONFIGDIR`` (before matplotlib is imported); the folder, or None when the
    person chose one or no cache folder can be made."""
    if os.environ.get("MPLCONFIGDIR"):
        return None
    import appdirs

    from taperdesk import __version__

    folder = Path(appdirs.user_cache_dir("TaperDesk", appauthor=False)) / (
        f"matplotlib-{__version__}"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None  # matplotlib then picks its own place, as before
    os.environ["MPLCONFIGDIR"] = str(folder)
    return folder
