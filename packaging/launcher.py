"""The frozen app's entry point: the same ``main`` as the ``taperdesk`` gui-script."""

import sys

from taperdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
