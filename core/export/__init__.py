"""What leaves synthreview: data exports safe for spreadsheets, and a run's bundle.

``data`` writes a table as CSV or Parquet with formulas made inert, ``bundle`` gathers a run's
provenance, report JSON and synthetic data, and ``html_report`` renders the offline HTML report.
"""

from core.export.bundle import (
    ADULT_ATTRIBUTION,
    MSG_EXPORT_REJECTED,
    check_exportable,
    data_bytes,
    export_refusal,
    html_bytes,
    provenance,
    report_json_bytes,
)
from core.export.data import (
    FORMATS,
    FORMULA_PREFIXES,
    MSG_BAD_FORMAT,
    export_bytes,
    export_file,
    neutralize_formulas,
)
from core.export.html_report import render_html

__all__ = [
    "ADULT_ATTRIBUTION",
    "FORMATS",
    "FORMULA_PREFIXES",
    "MSG_BAD_FORMAT",
    "MSG_EXPORT_REJECTED",
    "check_exportable",
    "data_bytes",
    "export_bytes",
    "export_file",
    "export_refusal",
    "html_bytes",
    "neutralize_formulas",
    "provenance",
    "render_html",
    "report_json_bytes",
]
