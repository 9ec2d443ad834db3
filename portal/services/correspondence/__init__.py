"""Letters and emails to the people who write in (issue 18), docs/letters.md.

- merge_fields: the fixed, documented list of fields a template may use, and their
  values for a case (a field with no value shows as missing and blocks sending)
- templates: templates as data, each saved version kept, rendered in Jinja's sandbox;
  a template that does not parse, names an unknown field or reaches outside the sandbox
  is refused when saved, with its line and the reason; the defaults (defaults.py)
- checks: the check before sending (placeholders, a stage response's and an extension's
  required parts, reading age, jargon)
- documents: the letter as a PDF on the letterhead (tagged), as Word, and a batch as one PDF
- letters: write, check, send: the letter kept with its text, PDF and template version

This package sits above procedures/ (a stage's dates and next step) and below the
blueprints; intake/ uses it for the acknowledgement. It never imports casework/.
"""
