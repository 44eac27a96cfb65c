"""Search everything: the dialog and the index job."""
