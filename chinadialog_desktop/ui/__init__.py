"""The Qt window: the only layer (with the GUI start in cli) that imports PySide6.

This package's ``__init__`` and the modules ``display`` and ``milestones`` stay
free of Qt, so the start-up can check the display and the benchmark can
subscribe to milestones before PySide6 is imported.
"""
