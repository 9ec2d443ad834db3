"""The case file (issue 17): documents on a case, checked (checks), kept (storage), scanned
(scanning) and added, described, removed and downloaded (documents)."""
