"""Names vulture cannot see used: called by a framework, a library or by name (tests/test_dead_code.py)."""
# ruff: noqa: B018  (an allowlist is a list of expressions that "use" the names)

from vulture.whitelist_utils import Whitelist

used = Whitelist()
# PTB calls these on its request and update-processor subclasses.
used.do_request, used.do_process_update
# openpyxl and sqlite3 read attributes the code sets; pexpect writes a child's output to logfile_read.
used.freeze_panes, used.row_factory, used.logfile_read
# pytest reads a module's pytestmark.
used.pytestmark
# Callback answers the emulator records, by field name.
used.callback_query_id, used.show_alert
# Columns a repository maps into its dataclass whole, read by some callers and not others.
used.province_fa, used.group_fa, used.group_en, used.progress_platform, used.cancelled_at
