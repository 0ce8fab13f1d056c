"""Blueprints: the HTTP API now; the phone, projector and console pages come with the screens."""
