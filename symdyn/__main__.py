"""``python -m symdyn`` runs the ``symdyn`` command."""

import sys

from .cli import main

sys.exit(main())
