"""Guided repair after conflict: pure rules for I-statements and how often a request may be sent."""
