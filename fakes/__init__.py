"""Stand-ins for the world outside Hunar (Twilio, eBay, a phone's camera, an artisan), used by tests/ and bench/."""
