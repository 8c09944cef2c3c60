"""The shared contact hub: one queue, self-service first, each council's data kept apart."""
from hub.app import create_app

__all__ = ["create_app"]
