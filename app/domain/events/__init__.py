"""The events feed: the organization's committed changes in ``seq`` order (API.md "Events")."""
