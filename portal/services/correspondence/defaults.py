"""The templates the portal ships with, in plain words, each with a young person's
version in plainer ones (a young person's response says what they can do next in its own
short sentences, not in ``next_stage.text``). The same words serve an email and a letter: ``{{ how_to_reply }}``
says "reply to this email" only in an email. Staff edit them in the browser
(/staff/letters/templates); an edited template is a new version, and these stay as they are.
"""

from __future__ import annotations

# The sandbox trims the first new line after a block tag: hence the one after {% endif %}.
DEAR = "{% if person.name %}Dear {{ person.name }},{% else %}Hello,{% endif %}\n"
HI = "{% if person.name %}Hi {{ person.name }},{% else %}Hi,{% endif %}\n"
SIGNED = """Yours sincerely,

{{ officer.name }}
Customer Feedback Team
{{ org.name }}"""
SIGNED_YOUNG = """From

{{ officer.name }}
Customer Feedback Team
{{ org.name }}"""

RESPONSE = DEAR + """

Your complaint, reference {{ case.reference }}
Our {{ stage.name }} response, {{ today }}

Thank you for your complaint. We registered it on {{ stage.started_on }}. This is our response at {{ stage.name }}.

[Say who looked into your complaint, who they spoke to and what they read.]

{% if elements | length == 1 %}
You told us about one thing. Here is what we found.
{% else %}
You told us about {{ elements | length }} things. Here is what we found about each one.
{% endif %}
{% for element in elements %}

{{ element.number }}. {{ element.summary }}
Our finding: {{ element.outcome }}.
[Explain what we found, and what we will do.]
{% endfor %}


What you can do next

{{ next_stage.text }}

If you need help, or would like this letter in another format, phone {{ org.phone }} or email {{ org.email }}.

""" + SIGNED

RESPONSE_YOUNG = HI + """

Your complaint, reference {{ case.reference }}

Thank you for telling us what went wrong. We have looked into it. This is our answer.

[Say who looked into it and who they talked to. Use short sentences.]

{% if elements | length == 1 %}
You told us about one thing. This is what we found.
{% else %}
You told us about {{ elements | length }} things. This is what we found.
{% endif %}
{% for element in elements %}

{{ element.number }}. {{ element.summary }}
What we found: {{ element.outcome }}.
[Say what happened and what we will do now.]
{% endfor %}


What you can do next

{% if next_stage.name %}
If you are not happy with our answer, you can ask for {{ next_stage.name }}. This means someone else looks at your complaint again. Please tell us by {{ next_stage.ask_by }}. To tell us, {{ how_to_reply }}.
{% else %}
If you are still not happy, you can ask the {{ ombudsman.name }} to look at it. The Ombudsman is free and does not take sides. Contact them at {{ ombudsman.contact }}. Try to do this soon.
{% endif %}

You can ask an adult you trust, or an advocate, to help you. Phone us on {{ org.phone }} if you want to talk.

""" + SIGNED_YOUNG

BODIES: dict[str, tuple[str, str, str]] = {
    # purpose: (subject, adults, young people)
    "acknowledgement": (
        "We have received your {{ case.what }} - reference {{ case.reference }}",
        DEAR + """

Thank you for your {{ case.what }}. We received it on {{ case.received_on }}.

Your reference number is {{ case.reference }}. Please keep it and use it if you contact us about this.

What happens next
{% if case.is_compliment %}
We will pass your compliment on to the team and their manager. Thank you for taking the time to tell us.
{% elif case.is_complaint %}
A member of our Customer Feedback Team will contact you within 5 working days to talk about your complaint and agree how we will look into it.

We aim to send you our response within 10 working days of registering your complaint. If we need longer, we will tell you why; it will be no more than 20 working days. Working days are Monday to Friday, not counting bank holidays.
{% else %}
A member of our Customer Feedback Team will contact you within 5 working days. We will try to sort this out with you quickly and informally. If you are still unhappy after that, you can ask us to treat it as a formal complaint.
{% endif %}
{% if case.advocate_requested %}

You asked for an advocate. We will arrange this and tell you who it will be.
{% endif %}
{% if case.safeguarding_concern %}

You told us a child may be at risk of harm. We have passed this to our duty team. If a child is in danger right now, call 999. Children can call Childline free on 0800 1111.
{% endif %}
{% if status_link %}

You can see where your feedback is, and add information to it, at:
{{ status_link }}
Please do not share this link: anyone with it can see your feedback.
{% endif %}

If you need to talk to us, {{ how_to_reply }}.

{{ org.name }}
Customer Feedback Team""",
        HI + """

Thank you for getting in touch. We got your message on {{ case.received_on }}.

Your reference number is {{ case.reference }}. Keep it safe. Use it if you talk to us about this.

What happens next
{% if case.is_compliment %}
We will tell the team what you said. Thank you!
{% else %}
Someone from our team will get in touch within 5 working days. Working days are Monday to Friday.
{% endif %}
{% if case.advocate_requested %}

You asked for an advocate. This is someone who can help you say what you think. We will tell you who it will be.
{% endif %}
{% if case.safeguarding_concern %}

You told us someone may be in danger. We have told our duty team. If you are in danger right now, call 999. You can call Childline free on 0800 1111.
{% endif %}
{% if status_link %}

You can see what is happening with your message here:
{{ status_link }}
Do not share this link with anyone.
{% endif %}

To talk to us, {{ how_to_reply }}.

{{ org.name }}
Customer Feedback Team"""),
    "extension": (
        "We need more time to respond to your complaint - reference {{ case.reference }}",
        DEAR + """

Your complaint, reference {{ case.reference }}

We are sorry: we need more time to finish looking into your complaint at {{ stage.name }}.

Why we need more time: {{ stage.extension_reason }}

We will now send you our response by {{ stage.extended_to }}.
{% if stage.under_the_code %}

If you are unhappy about the delay, you can contact the {{ ombudsman.name }}. The Ombudsman is free and independent: {{ ombudsman.contact }}.
{% endif %}

If you have any questions, {{ how_to_reply }}.

""" + SIGNED,
        HI + """

Your complaint, reference {{ case.reference }}

We are sorry. We need more time to look into your complaint.

This is why: {{ stage.extension_reason }}

We will send you our answer by {{ stage.extended_to }}.
{% if stage.under_the_code %}

If you are not happy that we need more time, you can tell the {{ ombudsman.name }}. The Ombudsman is free and does not take sides: {{ ombudsman.contact }}.
{% endif %}

If you have a question, {{ how_to_reply }}.

""" + SIGNED_YOUNG),
    "stage1_response": ("Our Stage 1 response to your complaint - reference {{ case.reference }}",
                        RESPONSE, RESPONSE_YOUNG),
    "stage2_response": ("Our Stage 2 response to your complaint - reference {{ case.reference }}",
                        RESPONSE, RESPONSE_YOUNG),
    "stage3_response": ("Our Stage 3 response to your complaint - reference {{ case.reference }}",
                        RESPONSE, RESPONSE_YOUNG),
    "initial_contact_outcome": (
        "What we have done about your {{ case.what }} - reference {{ case.reference }}",
        DEAR + """

Your {{ case.what }}, reference {{ case.reference }}

Thank you for contacting us on {{ case.received_on }}.
{% if case.resolution %}

What we did: {{ case.resolution }}

[Say what happens now.]
{% else %}

[Say what we did and what happens now.]
{% endif %}

If you are still unhappy, you can ask us to look at this as a formal complaint. To do this, {{ how_to_reply }}.

""" + SIGNED,
        HI + """

Your message, reference {{ case.reference }}

Thank you for getting in touch with us.
{% if case.resolution %}

What we did: {{ case.resolution }}

[Say what happens now, in short sentences.]
{% else %}

[Say what we did, in short sentences.]
{% endif %}

If you are still not happy, you can make a complaint. To do this, {{ how_to_reply }}.

""" + SIGNED_YOUNG),
    "persistent_contact": (
        "How we will keep in touch with you",
        DEAR + """

How we will keep in touch with you

We are writing about how you contact us. [Say briefly what has happened.]

Why we have decided this: {{ restriction.reason }}

From {{ restriction.letter_date }}, we will:
{% for item in restriction.list %}
- {{ item }}
{% endfor %}

Your named contact is {{ restriction.contact }}.

This does not stop you making a new complaint. We will look at any new complaint fairly.

We will look at this again on {{ restriction.review_on }}. If you want us to look at it sooner, {{ restriction.how_to_ask_for_review }}.

""" + SIGNED,
        HI + """

How we will keep in touch with you

We need to change how you contact us. [Say what has happened, in short sentences.]

This is why: {{ restriction.reason }}

From {{ restriction.letter_date }}:
{% for item in restriction.list %}
- {{ item }}
{% endfor %}

Your contact person is {{ restriction.contact }}.

You can still make a new complaint. We will look at it fairly.

We will check this again on {{ restriction.review_on }}. If you want us to check it sooner, {{ restriction.how_to_ask_for_review }}.

""" + SIGNED_YOUNG),
    "restriction_review": (
        "We have looked again at how we keep in touch with you",
        DEAR + """

How we keep in touch with you: our review

On {{ restriction.letter_date }} we wrote to you about how you contact us. We looked at this again on {{ restriction.reviewed_on }}.

What we decided: {{ restriction.review_result }}
{% if restriction.lifted %}

This means the limits on how you contact us have ended. You can contact us in the usual way.
{% else %}

From now on, we will:
{% for item in restriction.list %}
- {{ item }}
{% endfor %}

Your named contact is {{ restriction.contact }}. We will look at this again on {{ restriction.review_on }}. If you want us to look at it sooner, {{ restriction.how_to_ask_for_review }}.
{% endif %}

[Say what happens now.]

This never stops you making a new complaint. We will look at any new complaint fairly.

""" + SIGNED,
        HI + """

We have looked again at how you contact us

What we decided: {{ restriction.review_result }}
{% if restriction.lifted %}

This means you can contact us in the usual way again.
{% else %}

From now on:
{% for item in restriction.list %}
- {{ item }}
{% endfor %}

The person to contact is {{ restriction.contact }}. We will check this again on {{ restriction.review_on }}. If you want us to check it sooner, {{ restriction.how_to_ask_for_review }}.
{% endif %}

[Say what happens now, in short sentences.]

You can still make a new complaint.

""" + SIGNED_YOUNG),
    "referral": (
        "Who can help with your {{ case.what }} - reference {{ case.reference }}",
        DEAR + """

Your {{ case.what }}, reference {{ case.reference }}

Thank you for contacting us on {{ case.received_on }}. We are not the right people to look at this. We have passed it to {{ case.referred_to }}, who can help.

[Say how to contact them, and what they will do.]

If you have any questions, {{ how_to_reply }}.

""" + SIGNED,
        HI + """

Your message, reference {{ case.reference }}

Thank you for getting in touch. Someone else can help you better with this. We have sent your message to {{ case.referred_to }}.

[Say how to contact them, in short sentences.]

If you have a question, {{ how_to_reply }}.

""" + SIGNED_YOUNG),
    "ombudsman_cover_note": (
        "Our response to the Ombudsman - reference {{ case.reference }}",
        DEAR + """

Your complaint, reference {{ case.reference }}

The {{ ombudsman.name }} asked us about your complaint. We have sent them our response. A copy is with this letter.

[Say what we told the Ombudsman, briefly.]

The Ombudsman will contact you about what happens next. You can contact them at {{ ombudsman.contact }}.

""" + SIGNED,
        HI + """

Your complaint, reference {{ case.reference }}

The {{ ombudsman.name }} asked us about your complaint. The Ombudsman is free and does not take sides. We have sent them our answer. A copy is with this letter.

The Ombudsman will get in touch with you. You can contact them at {{ ombudsman.contact }}.

""" + SIGNED_YOUNG),
    "not_accepted": (
        "Your complaint - reference {{ case.reference }}: our decision",
        DEAR + """

Your complaint, reference {{ case.reference }}

Thank you for contacting us on {{ case.received_on }}. We have decided not to accept it as a complaint under our complaints procedure.

Why: {{ case.not_accepted_reason }}.

{{ case.not_accepted_detail }}

If you are unhappy with this decision, you can contact the {{ ombudsman.name }}. The Ombudsman is free and independent: {{ ombudsman.contact }}.

If you have any questions, {{ how_to_reply }}.

""" + SIGNED,
        HI + """

Your complaint, reference {{ case.reference }}

Thank you for telling us about this. We cannot look at it as a complaint.

This is why: {{ case.not_accepted_detail }}

If you are not happy about this, you can tell the {{ ombudsman.name }}. The Ombudsman is free and does not take sides: {{ ombudsman.contact }}.

You can ask an adult you trust, or an advocate, to help you. If you have a question, {{ how_to_reply }}.

""" + SIGNED_YOUNG),
}


def template(purpose: str, channel: str, audience: str) -> tuple[str, str]:
    """The default subject and text of a template."""
    subject, adults, young = BODIES[purpose]
    return subject, young if audience == "young" else adults
