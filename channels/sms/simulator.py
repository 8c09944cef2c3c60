"""Development only: placeholder replaced below."""
from flask import Flask


def init_app(app: Flask) -> None:
    return None
