"""Cleaning: normalize, split into blocks, drop chrome, recover structure."""
