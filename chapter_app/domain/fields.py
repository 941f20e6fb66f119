"""Field lists needed without the record classes (the schema imports them at start-up)."""

from __future__ import annotations

# sensitive fields of a person (Law 91/2025): kept out of lists, exports and reports by default
SENSITIVE_PERSON_FIELDS = ("ethnicity", "religion", "health_notes", "disability", "agent_orange")
