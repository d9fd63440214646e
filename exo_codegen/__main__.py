"""``python -m exo_codegen`` runs the ``exocc`` compiler CLI."""

import sys

from .cli import main

sys.exit(main())
