"""Page rows of the scope matrix, one module per app (see tests/matrix.py)."""
