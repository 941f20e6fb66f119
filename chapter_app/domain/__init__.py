"""What the register's records are: dataclasses, validation, Vietnamese text.

Standard library only: no Qt, no SQLite.
"""
