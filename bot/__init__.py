"""The outside world of messaging. A message goes web/webhook → inbox → jobs → turns → outbox → twilio_api."""
