"""Use cases on top of the store and the domain; no Qt."""
