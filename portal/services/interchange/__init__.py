"""The feedback interchange format, version 1 (``../shared/interchange/FORMAT.md``).

``flask data import PATH`` and ``flask data export PATH`` (``portal/cli_data.py``) use this
package: ``schema`` checks a line's structure, ``rules`` what the structure cannot say,
``importer`` checks a whole file and loads it through ``loading``, ``summary`` says what it
found and did, ``export`` writes one; ``tables`` names the tables both work on. See
``docs/interchange.md``.
"""

from portal.services.interchange import export
from portal.services.interchange.importer import check_file, import_file
from portal.services.interchange.summary import LineError, Summary

__all__ = ["LineError", "Summary", "check_file", "export", "import_file"]
