"""The inbox's rows as HTML, written in Python: the markup templates/staff/_inbox_row.html
made with a Jinja macro a row, byte for byte. A page's 50 to 60 rows through the macro
(its calls, its dictionary of badge colours made again for each flag, a macro for each
date) were a third of the inbox's time at 1,000,000 records, more than its SQL; written
here they take a tenth of that. The words are those of the list's CSV (``InboxRow.what``
and ``flags``), so the two cannot drift apart.

Every value from the database goes through ``escape`` (markupsafe's, character for character); what is not escaped is this
module's own markup.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

# markupsafe's escaping, character for character (&#34; and &#39; for the quotes), done
# by str.translate: making a Markup object for each of a row's values cost more than the
# rest of the row.
_ESCAPED = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def escape(value) -> str:
    return str(value).translate(_ESCAPED)

# The badge colour of each flag (MOJ Frontend's badges); any other status is black.
FLAG_COLOURS = {"Safeguarding": "red", "Overdue": "red", "Formal complaint requested": "orange",
                "New": "bright-purple", "Closed": "grey"}
_FLAG_GAP = '<span class="govuk-visually-hidden">, </span>'


def inbox_rows(rows, selectable: bool, *, today: date, case_url, ticked=frozenset(), suggested=None,
               csrf_token=None) -> Markup:
    """The ``<tr>`` of each row, as the table's body holds them. ``selectable`` adds each
    row's checkbox (named ``selected``, the record's id and the version the row shows)
    and the model's suggestions for a missing theme or team (``suggested``, by record id:
    their forms are after the list; ``csrf_token`` makes the token they carry)."""
    return Markup("".join(_row(row, selectable, today, case_url, ticked, suggested, csrf_token) for row in rows))


def _compact_date(day: date) -> str:
    """18 Oct 2034: the date in the list's few characters (its datetime says it whole)."""
    return f"{day.day} {day.strftime('%b %Y')}"


def _row(row, selectable, today, case_url, ticked, suggested, csrf_token) -> str:
    reference = escape(row.reference)
    url = escape(case_url(row.reference))
    parts = [f'      <tr class="govuk-table__row" id="row-{reference}">\n']
    if selectable:
        tick = escape(f"{row.id}:{row.version}")
        checked = " checked" if f"{row.id}:{row.version}" in ticked else ""
        parts.append(
            '  <td class="govuk-table__cell app-inbox__tick">\n'
            '    <div class="govuk-checkboxes govuk-checkboxes--small">\n'
            '      <div class="govuk-checkboxes__item">\n'
            f'        <input class="govuk-checkboxes__input" type="checkbox" name="selected" value="{tick}" '
            f'id="tick-{reference}"{checked}>\n'
            f'        <label class="govuk-label govuk-checkboxes__label" for="tick-{reference}">'
            f'<span class="govuk-visually-hidden">Select {reference}</span></label>\n'
            '      </div>\n'
            '    </div>\n'
            '  </td>\n')
    colour = "purple" if row.procedure else ("green" if row.kind == "compliment" else "blue")
    parts.append(
        f'  <td class="govuk-table__cell"><a class="govuk-link" href="{url}">{reference}</a></td>\n'
        f'  <td class="govuk-table__cell app-inbox__badges"><strong class="moj-badge moj-badge--{colour}">'
        f'{escape(row.what())}</strong></td>\n'
        f'  <td class="govuk-table__cell app-inbox__clip">{escape(row.person_name or "Anonymous")}</td>\n'
        f'  <td class="govuk-table__cell app-inbox__clip">{escape(row.team_name or "")}</td>\n'
        f'  <td class="govuk-table__cell"><time datetime="{row.received_on.isoformat()}">'
        f'{_compact_date(row.received_on)}</time></td>\n'
        '  <td class="govuk-table__cell">')
    if row.due_on:
        parts.append(f'<time datetime="{row.due_on.isoformat()}">{_compact_date(row.due_on)}</time>')
    parts.append(
        '</td>\n'
        f'  <td class="govuk-table__cell app-inbox__clip">{escape(row.assigned_to_name or "Nobody")}</td>\n'
        '  <td class="govuk-table__cell app-badges app-inbox__badges">')
    offered = ((suggested.get(row.id) if suggested else None) or {}) if selectable else {}
    for which, suggestion in offered.items():
        which, name = escape(which), escape(suggestion.name)
        form = escape(f"suggest-{row.reference}-") + which
        parts.append(
            f'      <span class="govuk-body-s app-suggestion">Suggested {which}: {name} '
            f'({int(suggestion.confidence * 100 // 1):d}%)</span>\n'
            f'      <input type="hidden" form="{form}" name="csrf_token" value="{escape(csrf_token())}">\n'
            f'      <input type="hidden" form="{form}" name="version" value="{escape(row.version)}">\n'
            f'      <input type="hidden" form="{form}" name="which" value="{which}">'
            f'<input type="hidden" form="{form}" name="name" value="{name}">\n'
            f'      <button type="submit" form="{form}" formaction="{url}/suggestion" class="govuk-button '
            'govuk-button--secondary govuk-!-margin-bottom-0 app-suggestion__accept" data-module="govuk-button">'
            f'Accept<span class="govuk-visually-hidden"> {which} {name} for {reference}</span></button>')
    flags = row.flags(today)
    parts.append(_FLAG_GAP.join(
        f'<strong class="moj-badge moj-badge--{FLAG_COLOURS.get(flag, "black")}">{escape(flag)}</strong>'
        for flag in flags))
    parts.append('</td>\n</tr>\n')
    return "".join(parts)
