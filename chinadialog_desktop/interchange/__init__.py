"""Reading and writing exchanged files: packages, CSV, XLSX, JSON and FollowTheMoney."""
