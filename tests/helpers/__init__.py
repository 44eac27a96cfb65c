"""Shared test helpers, imported as a real package: ``from helpers.pdf import all_text``.

``pyproject.toml`` puts ``tests/`` on ``sys.path`` (pytest's ``pythonpath`` setting), so
``helpers`` is one module whatever is collected and in which order — unlike
``from conftest import …``, which meant whichever ``conftest`` had been imported last.
Fixtures stay in the ``conftest.py`` files; plain functions and constants live here.

- ``helpers.paths``          — the repository, ``tests/`` and the fixture folders
- ``helpers.pdf``            — PDF read-back: ``reader``, ``page_texts``, ``all_text``, ``flat``
- ``helpers.db``             — ``db_state``: proof that an import changed nothing
- ``helpers.briefing_sample`` — the demo dossier for the briefing tests
- ``helpers.isolation``      — a private HOME, XDG folders and QSettings per test
"""
