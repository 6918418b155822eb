"""Normalization over other axes (to be filled)."""
__all__ = []
