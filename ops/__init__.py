"""``ops``: the operators' command-line tool (运维工具) for the people who run the service.

Run as ``python -m ops …`` or ``make ops ARGS="…"``. Not deployed: nothing here is imported by
``app.py`` or the Lambda package."""
