from portal.services.intake.risk_of_harm import words_of_harm


def test_the_plain_signs_of_harm_are_found_once_each_in_order():
    assert words_of_harm("He HITS ME. He hits me every week and I am not\nsafe.") == ["hits me", "not safe"]


def test_ordinary_complaints_find_nothing():
    assert words_of_harm("The taxi was late three times and nobody rang us.") == []
    assert words_of_harm("Our chat about the hitchhiker") == []  # words, not parts of words
