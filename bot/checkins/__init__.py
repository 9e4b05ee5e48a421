"""Private check-ins: the rules (validation, days, history summary, chart, sharing) and their running."""
