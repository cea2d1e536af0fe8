"""Webhooks: admins' endpoints that receive the organization's events, signed (Standard Webhooks)."""
