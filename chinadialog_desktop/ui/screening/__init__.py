"""The screening window, its models and worker, and the Screening menu."""
