"""Qt side of the shared core: the Qt hall client and translation loading.

This package is the only part of `shared` that imports PySide6.
"""
