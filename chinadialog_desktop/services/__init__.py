"""Use cases over a Session: they own the unit of work and return plain DTOs."""
