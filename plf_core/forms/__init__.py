"""The framework's forms as data: one definition drives the card, validation and reports."""
