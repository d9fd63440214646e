"""The RVM conv1d case study: a 1-D convolution scheduled onto the 4 x 4 tile
registers of the RVM accelerator (see ``conv1d.py`` and docs/tutorial.md)."""
