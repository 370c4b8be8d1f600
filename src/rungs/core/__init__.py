"""Framework-free core: interchange files, the policy language, the evaluation engine, the calendar.

Nothing below this package imports Django (tests/core/test_layering.py keeps it so).
"""
