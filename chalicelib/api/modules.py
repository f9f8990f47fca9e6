"""Every module that declares operations, in the order the document lists their tags: read by
the router (``routing``) and by the framework (``framework.load_all``) alike."""

from __future__ import annotations

ROUTE_MODULES = (
    "submission",
    "applications",
    "lifecycle",
    "delivery",
    "uploads",
    "me",
    "events",
    "departments",
    "reports",
    "admin",
    "connectors",
    "sms",
    "guide",
    "meta",
    "docs",
)
