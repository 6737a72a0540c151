"""``python -m taperdesk`` starts the app (or runs a subcommand)."""

import sys

from taperdesk.cli import main

sys.exit(main())
