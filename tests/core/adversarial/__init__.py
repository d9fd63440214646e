"""Adversarial soundness tests of the scheduling primitives."""
