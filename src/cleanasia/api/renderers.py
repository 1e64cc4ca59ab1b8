"""Renderers of the API: problem details (RFC 9457) for errors."""

from rest_framework.renderers import JSONRenderer

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemJSONRenderer(JSONRenderer):
    """JSON under the problem-details media type.

    Not offered in content negotiation (a successful answer is never a
    problem); `api.problems.ProblemResponse` uses it for every error.
    """

    media_type = PROBLEM_MEDIA_TYPE
    format = "problem+json"
