"""Help: handbook, first steps, About."""
