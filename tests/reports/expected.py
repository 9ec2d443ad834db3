"""The report for dataset.py's period, every figure taken from the hand-worked comments
there (the comments say which record gives which count)."""

EXPECTED = {
    "format": "feedback-report/1",
    "period": {"from": "2023-05-15", "to": "2023-11-14"},
    "previous_period": {"from": "2022-05-15", "to": "2022-11-14"},
    "quarters": [
        {"label": "Q1", "from": "2023-05-15", "to": "2023-06-30"},
        {"label": "Q2", "from": "2023-07-01", "to": "2023-09-30"},
        {"label": "Q3", "from": "2023-10-01", "to": "2023-11-14"},
    ],
    "feedback_received": {
        "compliments": {"by_quarter": [2, 1, 1], "total": 4},
        "initial_contacts": {"by_quarter": [2, 2, 2], "total": 6},
        # K1, K2 | K4 | K9, K10, K3
        "stage1": {"by_quarter": [2, 1, 3], "total": 6},
        # K6 | K5
        "stage2": {"by_quarter": [1, 1, 0], "total": 2},
        # K8
        "stage3": {"by_quarter": [0, 1, 0], "total": 1},
        "ombudsman": {"by_quarter": [1, 2, 1], "total": 4},
    },
    "compliments": {
        "total": 4,
        "by_submitter_role": {"child_or_young_person": 1, "parent_or_carer": 2, "professional": 1},
        "by_team": {"Fostering Team": 2, "Early Help": 1, "Not recorded": 1},
    },
    "initial_contacts": {
        "received": {"by_quarter": [2, 2, 2], "total": 6},
        "resolved": {"by_quarter": [1, 0, 1], "total": 2},
        "progressed": {"by_quarter": [0, 1, 0], "total": 1},
        "withdrawn": {"by_quarter": [0, 1, 0], "total": 1},
        "referred": {"by_quarter": [0, 0, 1], "total": 1},
        "open": {"by_quarter": [1, 0, 0], "total": 1},
    },
    "complaints_received": {
        "statutory": {
            "stage1": {"by_quarter": [2, 0, 0], "total": 2, "previous": 1},  # K1, K2 | p0
            "stage2": {"by_quarter": [0, 1, 0], "total": 1, "previous": 2},  # K5 | p1, p3
            "stage3": {"by_quarter": [0, 1, 0], "total": 1, "previous": 0},  # K8
        },
        "corporate": {
            "stage1": {"by_quarter": [0, 1, 3], "total": 4, "previous": 0},  # K4 | K9 K10 K3
            "stage2": {"by_quarter": [1, 0, 0], "total": 1, "previous": 2},  # K6 | p2, p4
        },
        "all": {
            "stage1": {"by_quarter": [2, 1, 3], "total": 6, "previous": 1},
            "stage2": {"by_quarter": [1, 1, 0], "total": 2, "previous": 4},
            "stage3": {"by_quarter": [0, 1, 0], "total": 1, "previous": 0},
        },
    },
    "complaints_from_young_people": {"total": 2, "previous": 1},  # K2, K3 | p0
    # K2 (own), K10 (record) | K4 (own), K9 (record) | K3 | K1 (record)
    "stage1_by_team": {"Early Help": 2, "Fostering Team": 2, "Not recorded": 1, "SEND Team": 1},
    # K3, K10 | K2 (own) | K4 (record) | K9 (record) | K1 (record)
    "stage1_by_theme": {"Not recorded": 2, "Case management": 1, "Communication": 1,
                        "Finance": 1, "SEND": 1},
    "stage2_by_team": {"Assessment Teams": 1, "SEND Team": 1},  # K5 (own) | K6 (record)
    "stage2_by_theme": {"SEND": 2},  # K5 (own), K6 (record)
    "timeliness": {
        # K5 yes, K1 yes | K2 no (capped extension), K4 yes (pause) | K9 yes (extra day),
        # K10 yes
        "stage1": {"concluded": {"by_quarter": [2, 2, 2], "total": 6},
                   "in_time": {"by_quarter": [2, 1, 2], "total": 5}},
        # K6 no | K5 yes (extension)
        "stage2": {"concluded": {"by_quarter": [1, 1, 0], "total": 2},
                   "in_time": {"by_quarter": [0, 1, 0], "total": 1}},
        # K7 yes | K8 no (panel late)
        "stage3": {"concluded": {"by_quarter": [0, 1, 1], "total": 2},
                   "in_time": {"by_quarter": [0, 1, 0], "total": 1}},
    },
    # (26 + 48) / 2 = 37.0 | (1 + 1 + 1 + 2) / 4 = 1.25 -> 1.3
    "stage2_average_working_days": {"current": 37.0, "previous": 1.3},
    "element_outcomes": {
        # upheld: K1 x2, K4, K5, K10; partially: K2; not: K1, K9; unable: K4; withdrawn: K2
        "stage1": {"upheld": 5, "partially_upheld": 1, "not_upheld": 2,
                   "unable_to_determine": 1, "withdrawn": 1},
        "stage2": {"upheld": 2, "partially_upheld": 1, "not_upheld": 1,
                   "unable_to_determine": 0, "withdrawn": 0},  # K5, K6
        "stage3": {"upheld": 1, "partially_upheld": 0, "not_upheld": 1,
                   "unable_to_determine": 1, "withdrawn": 0},  # K7, K8
    },
    "upheld_elements_by_theme": {
        # SEND: K1 (record), K4 (own); Communication: K1 (own); Delay: K5 (stage);
        # Not recorded: K10
        "stage1": {"SEND": 2, "Communication": 1, "Delay": 1, "Not recorded": 1},
        "stage2": {"Finance": 1, "SEND": 1},  # K5 (own) | K6 (record)
    },
    "ombudsman": {"received": 4, "by_outcome": {
        "upheld": 1, "closed_after_initial_enquiries": 1, "in_progress": 2}},
    "costs": {"investigation": {"current": "1550.50", "previous": "4058.00"},
              "financial_remedies": {"current": "800.00", "previous": "0.00"}},
    "restriction_letters": {"current": 3, "previous": 1},
    "learning_actions": {"raised": 6, "completed": 1, "open": 5, "overdue": 3},
}
