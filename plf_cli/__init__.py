"""The `plf` terminal command: the QA team's and the operator's edge, like `bot/` is Teams'."""
