"""The ReportLab briefing builder: styles as data, fonts, flowables, charts, page templates.

Import ``chinadialog_desktop.reports.pdf`` only when exporting: ReportLab is
kept off the application's start-up path.
"""
