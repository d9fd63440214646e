"""exo_stdlib package."""
