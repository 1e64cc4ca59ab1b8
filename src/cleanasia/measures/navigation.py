"""Placeholder: the measures module registers its workspace section here."""
