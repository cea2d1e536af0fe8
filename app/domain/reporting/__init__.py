"""Health, status reports and the portfolio: what a sponsor asks of every capability below."""
