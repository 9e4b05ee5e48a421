"""Appreciation reminders: pure rules for recurrence choices, idea rotation, snoozing and limits."""
