"""Fixtures live in tests/fixtures/, one module per topic, loaded as plugins."""
pytest_plugins = [
    "fixtures.guards",
    "fixtures.database",
    "fixtures.app",
    "fixtures.redis",
    "fixtures.staff",
    "fixtures.adviser",
    "fixtures.attachments",
    "fixtures.triage",
    "fixtures.twilio_stub",
    "fixtures.browser",
    "fixtures.mail",
    "fixtures.report_data",
]
