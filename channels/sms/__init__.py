"""SMS through Twilio: the inbound webhook, delivery callbacks and the outbound sender."""
