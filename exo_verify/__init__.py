"""exo_verify package."""
