"""exo_codegen package."""
