"""Small helpers for reading API answers in tests."""

import json

PROBLEM = "application/problem+json"


def problem(response, status: int) -> dict:
    """The problem document of an error answer, after checking its status and media type."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    return body


def patch_json(client, url: str, body, **headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", headers=headers)
