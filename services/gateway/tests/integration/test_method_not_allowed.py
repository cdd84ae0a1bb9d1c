"""A method an endpoint does not have is a 405 problem that says, in Allow, which methods it has (RFC 9110 15.5.6)."""

import re

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_every_endpoint_answers_a_method_it_lacks_with_405_and_allow(app, client):
    adapter = app.url_map.bind("localhost")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        allowed = set(adapter.allowed_methods(path))
        for method in (m for m in METHODS if m not in allowed):
            response = client.open(path, method=method)
            assert response.status_code == 405, (method, path)
            assert response.content_type == "application/problem+json"
            assert response.json["type"] == "/problems/method-not-allowed"
            assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed, (method, path)
            checked += 1
    assert checked > 50
