"""The outside world of messaging: webhooks, simulator, outbox, jobs, locks, and the dispatcher."""
