"""The working group's report (工作专班报表): one self-contained HTML page with charts, and
the same figures as an .xlsx workbook, both from the API's summary of the same period."""
