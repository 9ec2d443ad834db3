"""The Ombudsman's spreadsheets reconciled with the portal's enquiries
(portal/services/casework/ombudsman_data.py), with the enquiries of tests/annual/data.py:
LGO 26 001 upheld, all complied with; LGO 26 002 not upheld; LGO 26 003 upheld with a
recommendation pending; LGO 26 004 upheld."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.services.casework import ombudsman_data
from tests.annual import data

COLUMNS = {"reference": "Reference", "decision": "Decision", "remedy_complied": "Remedy complied"}


@pytest.fixture
def loaded(app):
    return data.load()


def imported(manager, rows: str):
    ombudsman_data.import_cases("lgsco.csv", ("Reference,Decision,Remedy complied\n" + rows).encode(),
                                COLUMNS, manager)
    db.session.flush()
    return ombudsman_data.reconcile()


def test_the_ombudsmans_way_of_writing_a_reference_matches_ours(loaded, manager):
    """Its spreadsheets write "26 002" where staff wrote "LGO 26 002" (or the LGSCO's name, or
    slashes): the same case, not one missing and one never heard of."""
    found = imported(manager, "26 002,Upheld,\nLGSCO 26 001,Upheld,\n26/003,Upheld,\n26 099,Not upheld,\n")
    assert [d.reference for d in found["missing"]] == ["26 099"]
    assert [(d.reference, d.ours) for d in found["differ"]] == [("26 002", "Not upheld")]


def test_a_case_in_their_spreadsheet_with_no_remedy_column_filled_in_is_not_called_missing(loaded, manager):
    found = imported(manager, "LGO 26 003,Upheld,\n")
    assert [(d.reference, d.theirs) for d in found["not_complied"]] == [("LGO 26 003", "Nothing about the remedy")]
    found = imported(manager, "LGO 26 003,Upheld,Not yet\n")
    assert [(d.reference, d.theirs) for d in found["not_complied"]] == [("LGO 26 003", "Not yet")]


def test_an_enquiry_they_do_not_list_is_said_to_be_not_in_their_spreadsheets(loaded, manager):
    found = imported(manager, "LGO 26 001,Upheld,Yes\n")
    assert [(d.reference, d.theirs) for d in found["not_complied"]] == [("LGO 26 003", "Not in their spreadsheets")]
