"""``python -m exo_codegen`` runs the ``exocc`` compiler CLI."""

import sys

from exo_codegen.cli import main

sys.exit(main())
