"""The web doors of bot/: Twilio's webhook, the simulator, the SMS upload page, health and metrics."""
