"""Serializers of the API layer itself (authentication)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TokenObtainSerializer(serializers.Serializer):
    """E-mail address and password in; the user's token out."""

    email = serializers.EmailField(label=_("e-mail address"), write_only=True)
    password = serializers.CharField(
        label=_("password"), write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    token = serializers.CharField(label=_("token"), read_only=True)
