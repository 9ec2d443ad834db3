"""The feedback report: every figure of interchange/REPORT.md for any period of up to 12
months, with the same dates a year earlier, counted as DOMAIN.md's "The reporting period"
says.

One module per section of the report; ``build.build_report`` puts them together and
``export`` writes the CSV and XLSX forms. docs/reports.md lists each figure's rule.
"""

from portal.services.reports.build import FORMAT, build_report
from portal.services.reports.period import Period, quick_picks

__all__ = ["FORMAT", "Period", "build_report", "quick_picks"]
