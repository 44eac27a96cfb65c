"""Plain domain objects: enums, value objects and rules. Imports neither Qt nor a Session."""
