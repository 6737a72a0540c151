"""Data files shipped with TaperDesk (installed as the package ``taperdesk.resources``)."""
