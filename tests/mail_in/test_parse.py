"""Reading one message (portal.services.mail_in.parse, html_text, quotes), on the
hand-written messages of tests/mail_in/messages/."""

from __future__ import annotations

from datetime import datetime, timezone

from portal.services.mail_in import html_text, quotes
from portal.services.mail_in.parse import parse
from tests.mail_in.messages import message, with_big_attachment


def test_a_new_concern_gives_its_sender_words_and_its_pdf():
    parsed = parse(message("new_concern_with_pdf"))
    assert (parsed.from_name, parsed.from_address) == ("Sam Parent", "sam.parent@example.net")
    assert parsed.subject == "My son's school transport"
    assert parsed.sent_at == datetime(2034, 10, 17, 18, 42, 10, tzinfo=timezone.utc)  # 19:42 BST
    assert parsed.text.startswith("Hello,\n\nThe taxi that takes my son to school has not come")
    assert parsed.quoted is None
    [attachment] = parsed.attachments
    assert attachment.filename == "school letter.pdf"
    assert attachment.data.startswith(b"%PDF-1.4")


def test_a_reply_keeps_its_own_words_and_folds_the_acknowledgement_it_quotes():
    parsed = parse(message("reply_quoting_acknowledgement"))
    assert parsed.text == ("Thank you. Here is the timetable the taxi firm sent us, which shows the\n"
                           "missed days.\n\nSam")
    assert parsed.quoted.startswith("On 17 Oct 2034, at 20:01, Customer Feedback Team")
    assert "Your reference number is CF-2034-00001" in parsed.quoted
    assert parsed.thread_ids == ["<acknowledgement-1@example.org>"]
    assert [a.filename for a in parsed.attachments] == ["taxi timetable.pdf"]


def test_windows_1252_html_only_mail_is_read_as_text_without_its_script_or_style():
    parsed = parse(message("windows_1252_html_only"))
    assert parsed.html_only
    assert parsed.from_name == "Renée Foster"
    assert parsed.subject == "Payment of £120 – still waiting"
    assert "the “allowance” of £120 for Maïa’s clothes would be paid in September" in parsed.text
    assert "It still hasn’t arrived." in parsed.text
    assert "- Asked in August\n- Chased in September" in parsed.text
    assert "alert" not in parsed.text and "color" not in parsed.text and "<" not in parsed.text


def test_a_plus_address_is_among_the_recipients():
    assert parse(message("plus_addressed_reply")).recipients == ["feedback+cf-2034-00002@example.org"]


def test_a_bounce_names_the_message_of_ours_that_failed_and_why():
    bounce = parse(message("bounce_of_our_message")).bounce
    assert bounce.message_ids == ["<acknowledgement-4@example.org>"]
    assert bounce.recipients == ["no.such.person@example.net"]
    assert bounce.diagnostic == "550 5.1.1 User unknown"


def test_a_malformed_message_is_read_as_far_as_it_can_be_never_refused():
    parsed = parse(message("malformed"))
    assert "StartBoundaryNotFoundDefect" in parsed.serious_defects
    assert "its attachment was lost on the way" in parsed.text
    assert parsed.attachments == []
    assert parsed.from_address == "someone@example.net"


def test_a_20_mb_attachment_is_read_whole():
    parsed = parse(with_big_attachment())
    [attachment] = parsed.attachments
    assert len(attachment.data) == 20 * 1024 * 1024


def test_garbage_is_still_a_message_with_no_sender():
    parsed = parse(b"\x00\xff\xfe not an email at all \r\n\r\n\x80\x81")
    assert parsed.from_address is None and parsed.subject == ""


def test_outlook_and_original_message_quotes_are_folded_but_answers_between_quotes_stay():
    own, quoted = quotes.fold("Yes please.\n\nFrom: Team <t@example.org>\nSent: 17 October 2034\nSubject: x\n\nold")
    assert (own, quoted.splitlines()[0]) == ("Yes please.", "From: Team <t@example.org>")
    assert quotes.fold("Fine.\n-----Original Message-----\nold")[0] == "Fine."
    interleaved = "> Can you come on Monday?\nYes.\n> And bring the letter?\nI will."
    assert quotes.fold(interleaved) == (interleaved, None)
    assert quotes.fold("Thanks\n> old\n> older\n") == ("Thanks", "> old\n> older")


def test_html_links_keep_their_address_and_blockquotes_become_quotes():
    text = html_text.to_text('<p>See <a href="https://example.org/x">our page</a></p>'
                             '<blockquote>earlier words</blockquote>')
    assert text == "See our page (https://example.org/x)\n\n> earlier words"
