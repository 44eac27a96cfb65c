"""The main window: pages, workspace, undo steps, parts, start-up."""
