"""Entry point for ``python -m chinadialog_desktop``."""

import sys

from chinadialog_desktop.cli import main

sys.exit(main())
