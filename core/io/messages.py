"""Message templates for :mod:`core.io`, kept in one place; import them from here.

``MSG_*`` refuse a file (``UserInputError``), ``WARN_*`` and ``NOTE_*`` are sentences in the
``LoadReport``, ``REASON_*`` say why a record was rejected. Tests assert them exactly.
"""

MSG_FILE_TOO_LARGE = (
    "'{name}' is {size_mb:,.1f} MB; the limit is {limit_mb:,} MB. Load a smaller file (a sample "
    "of the rows), or raise the limit with SYNTHREVIEW_MAX_FILE_MB."
)
MSG_NOT_FOUND = "There is no file at '{path}'. Check the path and try again."
MSG_EMPTY = (
    "The file '{name}' is empty. Choose a file with a header line and at least one data row."
)
MSG_HEADER_ONLY = (
    "The file '{name}' has a header but no data rows. Add at least one data row below the header."
)
MSG_WRONG_CONTENT = (
    "'{name}' is {what}, not a {expected} file. Export the table as CSV, Parquet or Excel (.xlsx)."
)
MSG_WRONG_EXTENSION = (
    "'{name}' is {what}, but its name ends in '{ext}'. Rename it to end in '{right}' and load it "
    "again."
)
MSG_UNSUPPORTED_EXTENSION = (
    "'{name}' has the extension '{ext}', which synthreview cannot read. Export the table as CSV, "
    "Parquet or Excel (.xlsx)."
)
MSG_BAD_UTF8 = (
    "'{name}' is UTF-8 text, but line {line:,} has bytes that are not valid UTF-8 (the first is "
    "0x{byte:02X}; {count:,} invalid sequence(s) in all). Re-save the file as UTF-8 and load it "
    "again."
)
MSG_UNDECODABLE = (
    "'{name}' starts like {encoding} text but cannot be decoded (byte {pos:,} is invalid). "
    "Re-save the file as UTF-8 and load it again."
)
MSG_UNCLOSED_QUOTE = (
    "'{name}' has a quote (\") opened on line {line:,} that is never closed, so the rest of the "
    "file would be read as one value. Close or remove that quote and load the file again."
)
MSG_ALL_REJECTED = (
    "None of the {count:,} data lines in '{name}' has the {expected:,} fields of the header line; "
    "line {line:,} has {found:,}. Check the header line and the delimiter."
)
MSG_CONTROL_CHARACTERS = (
    "'{name}' is not a text table: {count:,} of its {total:,} characters ({percent:.1f}%) are "
    "control characters, and a CSV file may hold at most {limit}% (tabs and line breaks do not "
    "count). Check that it is the file you meant, or export the table as CSV, Parquet or Excel "
    "(.xlsx)."
)
MSG_CSV_UNREADABLE = "'{name}' could not be read as CSV ({detail}). Check that it is a CSV file."
MSG_TOO_MANY_ROWS = (
    "'{name}' has {rows:,} data rows; the limit is {limit:,}. Load a sample of the rows, or raise "
    "the limit with SYNTHREVIEW_MAX_ROWS."
)
MSG_TOO_MANY_COLUMNS = (
    "'{name}' has {columns:,} columns; the limit is {limit:,}. Keep only the columns you need, or "
    "raise the limit with SYNTHREVIEW_MAX_COLUMNS."
)
MSG_TOO_MANY_CELLS = (
    "'{name}' has {rows:,} rows x {columns:,} columns = {cells:,} cells; the limit is {limit:,}. "
    "Load fewer rows or columns, or raise the limit with SYNTHREVIEW_MAX_CELLS."
)
MSG_NAME_TOO_LONG = (
    "Column {position}'s name is {length:,} characters long; the limit is {limit:,}. Shorten it."
)
MSG_HEADER_PROBLEMS = "The header of '{name}' has {count} problems. Fix them and load it again."
MSG_PARQUET_CORRUPT = (
    "'{name}' is not a readable Parquet file ({reason}). Export it again, or export the table as "
    "CSV."
)
MSG_PARQUET_TYPES = (
    "These columns hold nested or binary values that synthreview cannot use: {columns}. Drop or "
    "flatten them and export the file again."
)
MSG_XLSX_CORRUPT = (
    "'{name}' is not a readable Excel file ({reason}). Open it in Excel and save it again, or "
    "export the table as CSV."
)
MSG_XLSX_BOMB = (
    "'{name}' is not safe to open: it would expand to {size_mb:,.1f} MB, and its part '{member}' "
    "expands {ratio:,.0f} times (limits: {limit_mb:,} MB in all, {max_ratio:,} times for a part "
    "over 1 MB). Export the sheet as CSV instead."
)
MSG_NO_SHEET = "'{name}' has no sheet called '{sheet}'. Its sheets are: {sheets}."
MSG_EMPTY_SHEET = "Sheet '{sheet}' in '{name}' is empty. Choose another sheet: {sheets}."

REASON_FIELDS = "expected {expected:,} fields, found {found:,}"
NOTE_RENAMED_DUPLICATE = (
    "Column {position:,} is named '{original}' like an earlier column; it was renamed '{name}'."
)
NOTE_RENAMED_BLANK = "Column {position:,} has no name; it was named '{name}'."
NOTE_MARKER = (
    "Column '{column}' read as numbers with '{token}' as missing ({count:,} cells mapped to null)."
)
NOTE_NUMBERS = "Read {count:,} of {total:,} columns as numbers: {columns}."
NOTE_DECIMAL_COMMA = (
    "Column '{column}' read as numbers with a decimal comma ('{value}' -> {number})."
)
NOTE_MIXED = (
    "Column '{column}' read as text because {where} has '{value}' ({numbers:,} of {values:,} "
    "values are numbers)."
)
NOTE_LEADING_ZEROS = "Column '{column}' read as text to keep leading zeros ({where} has '{value}')."
NOTE_LONG_INTEGERS = (
    "Column '{column}' read as text because {where} has '{value}', a whole number too long to "
    "keep exactly as a number."
)
NOTE_DECIMAL_TYPE = "Column '{column}' read as floating-point numbers (it is {type} in the file)."
WARN_NUL = "Removed {count:,} NUL characters (\\x00) from the file, on line(s) {lines}."
WARN_BLANK_LINES = "Skipped {count:,} blank line(s) inside the data: line(s) {lines}."
WARN_REJECTED = (
    "Rejected {count:,} of {total:,} data lines because they do not have the {expected:,} fields "
    "of the header line: line(s) {lines}. The other {kept:,} were loaded."
)
WARN_INFINITE = (
    "Column '{column}' had {count:,} infinite values ({values}); they were mapped to null."
)
WARN_ALL_NULL = "Column '{column}' is empty: every value is null."
WARN_CONSTANT = "Column '{column}' has only one value, '{value}'; it carries no information."
WARN_AMBIGUOUS_DATES = (
    "Column '{column}' holds dates such as '{value}' that read as {day_first} (day first) or "
    "{month_first} (month first); nothing was changed. Choose the order in the schema step."
)
WARN_SHEETS = "Read sheet '{sheet}'; the workbook has {count} sheets: {sheets}."
WARN_EMPTY_ROWS = "Skipped {count:,} empty row(s) inside the sheet: row(s) {rows}."
