def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] == "ok"


def test_healthz_503_when_the_database_is_unreachable(new_app):
    app = new_app("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"


def test_healthz_checks_redis_when_configured(database_url, redis_url, new_app):
    app = new_app(database_url, REDIS_URL=redis_url)
    assert app.test_client().get("/healthz").json["redis"] == "ok"
    down = new_app(database_url, REDIS_URL="redis://127.0.0.1:1/0")
    assert down.test_client().get("/healthz").status_code == 503
