"""Adaptive Cards: pure functions from a view-model to a card dict. No I/O."""
