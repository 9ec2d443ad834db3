"""Placeholders (issue 13): the square-bracketed places in a template where staff write
their own words, found so that nothing is sent with one still in it."""

from portal.services.common.placeholders import placeholders, problem


def test_each_placeholder_is_found_once_in_order_and_named_in_the_message():
    text = ("Dear Sam,\n[Say who looked into it.]\n1. Late\n   [Explain what we found.]\n"
            "2. Rude\n   [Explain what we found.]\nYours, [Your name]")
    assert placeholders(text) == ["[Say who looked into it.]", "[Explain what we found.]", "[Your name]"]
    assert problem(text) == (
        "Replace each part in square brackets with your own words: \u2018[Say who looked into it.]\u2019, "
        "\u2018[Explain what we found.]\u2019 (2 times) and \u2018[Your name]\u2019")
    assert problem("Dear Sam, [Your name]") == "Replace \u2018[Your name]\u2019 with your own words"


def test_a_letter_with_its_words_written_in_has_none():
    assert placeholders("We found the taxi was late on 3 days (see 1 and 2).") == []
    assert problem("") is problem(None) is None


def test_brackets_without_words_or_across_lines_are_not_placeholders():
    assert placeholders("Scores [1] and [2, 3] and [ ] and [half\nof it]") == []
