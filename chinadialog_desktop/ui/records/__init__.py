"""Record lists and editors: forms, child panels, item models, pickers."""
