"""Benchmarks of keras_shapes_magic: run ``python benchmarks/run.py`` (see run.py)."""
