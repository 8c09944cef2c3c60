"""Fixtures live in tests/fixtures/, one module per topic, loaded as plugins."""
pytest_plugins = [
    "fixtures.guards",
    "fixtures.database",
    "fixtures.app",
    "fixtures.redis",
    "fixtures.staff",
    "fixtures.report_data",
]
