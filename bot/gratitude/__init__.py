"""Gratitude: cards in a channel, the weekly digest and the appreciation rotation."""
