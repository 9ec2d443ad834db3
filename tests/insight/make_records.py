"""Writes tests/insight/data/train.jsonl: 360 closed feedback records in the interchange format,
in the words people use, that the insight tests and `flask insight evaluate` learn from.

    .venv/bin/python -m tests.insight.make_records   # writes data/train.jsonl

It no longer writes the test file. That used to be every fourth record drawn here, and half of
those were made of the very sentences the training records use, so they scored as if the
model had read them (top-3 1.00) and flattered the figure. data/test.jsonl is now written
by held_out_records.py, from records written whole, each one story, sharing no sentence
with the banks below. The 480 records are still drawn as before and the fourth ones dropped,
so that train.jsonl is the file it was.

Deterministic (a fixed seed). Every sentence below was written by hand for this file, in
the voices of parents, young people, care leavers, foster carers and professionals; a record
is a few of them put together: how the person starts, what the team is to them, what went
wrong (one to three sentences of its theme, sometimes one of another theme, sometimes a line
of plain frustration that belongs to no theme), and what they want. Then some of the words
are mistyped, as people mistype them, and some records lose their capitals or punctuation.
So no one word separates the themes: "social worker", "delay", "letter", "money" and
"school" each turn up under several.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 22
COUNT = 480  # drawn; every fourth (the old test file's) is dropped, leaving 360
HELD_OUT = 4  # sentences of each theme that only the dropped records use
START = date(2031, 4, 1)
DATA = Path(__file__).resolve().parent / "data"

# What went wrong, by theme. Several sentences share words across themes on purpose.
THEMES: dict[str, list[str]] = {
    "Case management": [
        "We have had four different social workers in a year and every one of them starts again from scratch.",
        "The plan that was agreed at the meeting in March has never actually been put in place.",
        "Nobody seems to be in charge of my daughter's case, when I ring I get passed from one person to the next.",
        "The child in need plan says there will be visits every two weeks but we have seen someone twice since Christmas.",
        "The assessment was closed without anyone telling us why, even though nothing has changed at home.",
        "My case was transferred to another team and the new worker didnt know anything about us.",
        "The review meeting was cancelled three times and there is still no new date.",
        "They closed the case the week after he was excluded from school which makes no sense.",
        "Actions from the core group meeting are just not happening and no one follows them up.",
        "I was told a family support worker would be allocated but we are still on a waiting list with no one.",
        "Her pathway plan hasnt been reviewed since she turned seventeen.",
        "The contact arrangements keep changing and nobody has written down what was decided.",
        "The worker changed again last month and the new one hasnt even read the file.",
        "We were promised a review of the plan after six weeks and it is now five months.",
        "No one has done the visits that were written into the plan, the children havent been seen.",
        "Our case keeps being closed and reopened and each time we start again with someone new.",
        "The team said they would refer us to the parenting course and it never happened.",
        "As the referrer I was never told the outcome of the assessment or whether the case was even open.",
        "The placement plan is out of date and still lists the school he left last year.",
        "There is no plan for what happens when the current arrangement ends in the summer.",
        "Every time there is a new worker the chronology gets lost and we have to tell our story again.",
    ],
    "SEND": [
        "My son's EHCP still names a school that cannot meet his needs and the annual review was months ago.",
        "We applied for an education health and care needs assessment in September and have heard nothing.",
        "The draft EHC plan doesnt mention his speech and language therapy at all even though the report said he needs it weekly.",
        "She has been out of school since half term because there is no suitable place for her.",
        "The SEN caseworker never replies and the tribunal deadline is coming up.",
        "The provision in section F is so vague the school says they dont have to do anything.",
        "Our request for a specialist placement was refused without anyone from the panel meeting our child.",
        "He has autism and ADHD and the school keeps sending him home, the plan needs to change.",
        "The final plan was issued at week 30, way past the 20 weeks it is supposed to take.",
        "Nobody from the local authority came to the annual review and the amendments were never made.",
        "The educational psychologist report was done but the needs assessment was still refused.",
        "The school says they cannot meet her needs without more funding and the council says the plan is fine.",
        "He is dyslexic and has sensory needs and nothing in the plan reflects that.",
        "We asked for the annual review to be brought forward because of his exclusion and were ignored.",
        "The panel decided not to assess without reading the reports from his paediatrician.",
        "My daughter needs one to one support in class and the EHCP only gives her group support.",
        "We were told there are no places at any resource base and to keep her at home in the meantime.",
        "The reduced timetable was supposed to be for two weeks and it has now been a whole term.",
        "I had to pay privately for an OT assessment because the SEND team would not arrange one.",
        "The consultation with the special school went to the wrong school entirely.",
    ],
    "Communication": [
        "I have left voicemail after voicemail and nobody ever rings me back.",
        "Emails go unanswered for weeks, I dont even get an automatic reply.",
        "I found out about the meeting from my son's school, not from the social worker.",
        "The letter was full of jargon and abbreviations and I could not understand what it meant for us.",
        "Nobody told me the worker had left, I kept emailing someone who wasnt there any more.",
        "I asked for information in Polish because my English is not good and it was only sent in English.",
        "The duty line just rings out and rings out, or it goes to a full mailbox.",
        "I was promised a call back on Friday and it never came, and this has happened before.",
        "Decisions are made about my child and I am the last to know.",
        "They keep calling my ex partner instead of me even though I am the one with the child living with me.",
        "I am deaf and asked for contact by text or email only but they keep phoning.",
        "I rang the office every day for a week and each time I was told someone would get back to me.",
        "Nobody replied to my email so I had to come into the building in person.",
        "It would help if someone just told us what is happening instead of us having to chase.",
        "The letter arrived after the meeting it was inviting me to.",
        "I don't know who to contact any more, all the numbers I've been given are dead ends.",
        "As a foster carer I am not kept in the loop, I hear things from the child before I hear them from the team.",
        "Nobody explained what would happen after the strategy meeting or what it meant.",
        "When I finally got through the person was rude and said it wasnt their job to pass messages on.",
        "I have written three times asking who my worker is and I still dont know.",
    ],
    "Information held": [
        "The assessment says I have a drink problem which is completely untrue and I want it taken out.",
        "There are things in my file that are just wrong, they have my dates of birth mixed up with my sister.",
        "I asked for a copy of my records from when I was in care and it has been over two months.",
        "My address was sent to my ex partner in a letter, he is not supposed to know where we live.",
        "The report shared at conference had another family's details in it.",
        "When I got my file half of it was blacked out and some pages were missing completely.",
        "The minutes of the meeting dont reflect what was said, I want my comments added to the record.",
        "My name is spelt wrong on every single document even though I have corrected it many times.",
        "I want to know who my information has been shared with and why.",
        "The case notes say I refused a visit but I was never offered one.",
        "The report describes an argument that never happened and I want it corrected.",
        "I want to see what was written about me when I was a child in care.",
        "They put my new address on a letter that went to my abusive ex.",
        "The records still say my son lives with his dad, he hasnt for three years.",
        "A copy of our assessment was given to the other side in court without asking me.",
        "I made a subject access request and only got part of what I asked for.",
        "Information about my children was emailed to the wrong school.",
        "The chronology has a list of incidents that didnt happen in our family.",
        "My old social worker wrote things about my mental health that no doctor has ever said.",
    ],
    "Social worker conduct": [
        "The social worker was rude to me in front of my children and spoke down to me the whole visit.",
        "She turned up unannounced at eight in the morning and went into the kids bedrooms without asking.",
        "The worker shouted at me on the phone and then put the phone down.",
        "I felt judged and bullied at the meeting, the social worker rolled her eyes when I spoke.",
        "He made comments about my religion that I found offensive.",
        "The worker talked about our family in the school playground where other parents could hear.",
        "The social worker lied in the report about what my daughter told her.",
        "I was threatened that my children would be removed if I didnt sign the agreement.",
        "The social worker was on his phone the whole time and didnt listen to a word I said.",
        "She promised my son she would come to his birthday and then never turned up, he was devastated.",
        "The social worker was aggressive and made my daughter cry.",
        "She called me a liar in the meeting in front of everyone.",
        "The worker told my children things about me that were not true.",
        "He was late to every visit and then rushed through it in ten minutes.",
        "I felt the social worker had made her mind up about us before she even met us.",
        "The worker was unprofessional and swore during a home visit.",
        "The way the IRO spoke to me at the review was dismissive and patronising.",
        "My worker keeps cancelling at the last minute and then blames me in the notes.",
        "The social worker questioned my child without me there and put words in his mouth.",
    ],
    "Delay": [
        "We have been waiting over six months for the assessment to even start.",
        "The adoption has been dragging on for two years and nothing seems to be moving.",
        "It took eleven weeks for anyone to look at the referral I made.",
        "The special guardianship assessment was meant to be finished in twelve weeks and it is now seven months.",
        "My complaint response is overdue and no one has told me when I will get it.",
        "The fostering assessment keeps getting put back and we have had our spare room ready since last year.",
        "Still waiting for the life story work that was promised when he was placed.",
        "The case conference has been delayed again and the children are stuck in limbo.",
        "It has taken so long to get a decision that my daughter has missed the start of college.",
        "The panel date keeps being moved, we were told June then September and now maybe next year.",
        "We are still waiting for the outcome of the assessment that started in the spring.",
        "The process is taking forever and the children are the ones suffering.",
        "Three months after the meeting we still havent had the minutes or the decision.",
        "Every step takes weeks longer than we were told it would.",
        "We were promised an answer by the end of the month and that was four months ago.",
        "I was told the outcome would be in 20 working days and we are at 45 now.",
        "The paperwork has been sitting on someone's desk for months waiting for a signature.",
        "Months on, we still have no date for the court paperwork to be done.",
        "My housing application cant go ahead until you send a letter and I have been waiting since January.",
    ],
    "Finance": [
        "My fostering allowance has been paid late three months in a row and I have had to borrow money.",
        "The setting up home allowance I was promised when I left care has never come through.",
        "We were overpaid and now they want it all back in one go which we cannot afford.",
        "I have been charged for respite care that we were told would be free.",
        "The special guardianship allowance was cut without any warning or explanation.",
        "I am still waiting to be paid my mileage expenses from the last four months.",
        "The direct payment for my son's care has stopped and nobody can tell me why.",
        "My leaving care grant was less than my friend got and nobody will explain the difference.",
        "The invoice we got doesnt match what was agreed and we are being chased by debt collectors.",
        "I have paid for the school uniform and the trip out of my own pocket and still havent been reimbursed.",
        "The allowance stopped when she turned eighteen even though she is still living with us.",
        "I was told the council would pay the deposit on my flat and now they say they wont.",
        "We havent received the payment for the summer holidays we were promised.",
        "The money for his clothing was refused and I had to buy everything myself.",
        "I got a bill out of nowhere saying we owe hundreds of pounds.",
        "The holiday and birthday payments for the children in my care were never paid.",
        "The bursary for university was stopped while I was still studying.",
        "Our connected carers allowance is much lower than foster carers get for doing exactly the same thing.",
        "The council took money out of my account twice for the same thing.",
    ],
    "Transport": [
        "The taxi to school didnt turn up again this morning and my son missed his first lesson.",
        "The school transport application was refused because we are apparently 0.2 of a mile too close.",
        "The driver doesnt have a booster seat and the escort keeps changing so my daughter gets anxious.",
        "The minibus picks him up at 7am for a school that starts at 9, he is on it for nearly two hours.",
        "Transport was stopped when he moved into sixth form even though nothing about his needs has changed.",
        "The bus pass never arrived and I have been paying for her fares every day.",
        "The escort was on her phone the whole journey and didnt notice he had taken his seatbelt off.",
        "Nobody told us the route had changed and he was left standing outside waiting for a cab that wasnt coming.",
        "We appealed the travel assistance decision in July and are still waiting for a hearing.",
        "The taxi was forty minutes late and my daughter was in a state by the time she got to school.",
        "We were told transport would be sorted for September and it still isnt.",
        "The driver is different every day and my son who has autism cannot cope with that.",
        "She has to get two buses to college and the pass only covers one.",
        "The pick up time keeps changing and no one lets us know.",
        "The personal travel budget is nowhere near enough to cover the petrol for a 40 minute drive each way.",
        "The driver dropped her off at the wrong gate and she wandered off, the school had to find her.",
        "Home to school transport keeps getting cancelled at the last minute with no replacement.",
        "We moved house and the transport team still send the taxi to our old address.",
    ],
    "Other": [
        "The parking outside the family centre is impossible and there is no disabled bay.",
        "The building where contact takes place is freezing and the toys are broken.",
        "I want to complain about a decision of the school, not the council, but I didnt know where else to go.",
        "The website form kept crashing and I lost everything I had written twice.",
        "The police took my son home and I want to know why nobody from the council came.",
        "The hospital discharged my daughter without telling anyone, that is who I want to complain about.",
        "My neighbour's children are outside late every night and I dont know who to tell.",
        "I want to complain about the noise from the childrens home next door at night.",
        "The youth club closing has left my son with nowhere to go in the evenings.",
        "I am complaining about the NHS waiting list for CAMHS, which I know isnt you.",
        "The play area at the contact centre is dirty and not safe for toddlers.",
        "My complaint is about the academy trust, they said to contact the council.",
        "I want to complain about the bin collection but the form sent me here.",
        "I don't think the leisure centre should have stopped the disabled swimming session.",
        "The court made the order, I dont agree with the judge and want someone to look at it again.",
        "The benefits office stopped my universal credit and I was told social care could help.",
        "The housing association wont fix the damp in the flat we were moved to.",
        "I want to know why the family hub is only open three days a week now.",
    ],
}

# What the team is to the person: often the only words that say which team it is.
TEAMS: dict[str, list[str]] = {
    "SEND Team": ["The SEND team", "the SEN department at the council", "our SEND caseworker",
                  "the EHCP coordinator"],
    "Assessment Teams": ["the assessment team", "the social worker who did the assessment",
                         "the front door team after my referral", "the duty social worker"],
    "Child Protection Teams": ["the child protection social worker", "the CP team",
                               "the worker since the children went on a protection plan",
                               "the social worker from the conference"],
    "Adoption Team": ["the adoption team", "our adoption social worker",
                      "the adoption support fund people", "the team handling our adoption"],
    "Connected Carers Team": ["the kinship care team", "the connected carers team",
                              "the team that assessed us as grandparents", "the SGO support worker"],
    "Independent Children's Reviewing Team (ICRT)": ["the IRO", "the independent reviewing officer",
                                                       "the conference chair", "the reviewing team"],
    "Children with Disabilities Team": ["the disabled children's team", "the CWD social worker",
                                        "the short breaks team", "the disability team"],
    "Early Help": ["the early help worker", "the family support team", "early help",
                   "the family hub"],
    "Permanence Teams": ["my social worker in the looked after team", "the children in care team",
                         "the permanence social worker", "his social worker since he came into care"],
    "Education - Transport": ["the school transport team", "the travel assistance team",
                              "the transport office", "passenger transport"],
    "Fostering Team": ["my supervising social worker", "the fostering team",
                       "the fostering service", "the fostering social worker"],
    "Children's Homes": ["the staff at the children's home", "the home I live in",
                         "the residential home", "the manager of the home"],
    "Next Steps Team": ["my PA", "the leaving care team", "my personal adviser at next steps",
                        "the care leavers team"],
    "Business Support": ["the admin team", "the office", "reception at the civic centre",
                         "whoever sends out the letters"],
    "Finance": ["the finance team", "the payments team", "the people who do the allowances",
                "the council's finance department"],
    "Customer Feedback Team": ["the complaints team", "customer feedback", "the complaints officer",
                               "the team dealing with my complaint"],
}

# Which teams each theme's records are about, most likely first.
THEME_TEAMS: dict[str, list[str]] = {
    "Case management": ["Assessment Teams", "Child Protection Teams", "Permanence Teams", "Early Help",
                        "Next Steps Team", "Children with Disabilities Team", "Adoption Team"],
    "SEND": ["SEND Team", "SEND Team", "SEND Team", "Children with Disabilities Team"],
    "Communication": ["Assessment Teams", "Child Protection Teams", "Fostering Team", "Business Support",
                      "Permanence Teams", "Independent Children's Reviewing Team (ICRT)", "SEND Team"],
    "Information held": ["Assessment Teams", "Child Protection Teams", "Business Support",
                         "Customer Feedback Team", "Permanence Teams"],
    "Social worker conduct": ["Child Protection Teams", "Assessment Teams", "Permanence Teams",
                              "Independent Children's Reviewing Team (ICRT)", "Children's Homes"],
    "Delay": ["Adoption Team", "Connected Carers Team", "Assessment Teams", "Fostering Team",
              "Customer Feedback Team", "Next Steps Team"],
    "Finance": ["Finance", "Fostering Team", "Connected Carers Team", "Next Steps Team",
                "Children with Disabilities Team"],
    "Transport": ["Education - Transport", "Education - Transport", "Education - Transport", "SEND Team"],
    "Other": ["Early Help", "Children's Homes", "Business Support", "Customer Feedback Team"],
}

# How each kind of person starts.
OPENERS: dict[str, list[str]] = {
    "parent_or_carer": ["I am writing about my son.", "Hi, I'm mum to two boys, 9 and 12.",
                        "I want to make a complaint.", "This is about my daughter who is 14.",
                        "To whom it may concern,", "I'm at the end of my tether.",
                        "I have never complained before but I have had enough.", ""],
    "child_or_young_person": ["hi im 15", "I dont normally do this but", "my advocate said I should write this.",
                              "This is about me not my mum.", "I'm 13 and I want someone to listen.", ""],
    "care_leaver": ["I left care two years ago.", "I'm 19 and a care leaver.", "hi, I am a care leaver in my first flat.",
                    "I've been trying to sort this out on my own.", ""],
    "foster_carer": ["We have been foster carers for eleven years.", "I foster two siblings, 6 and 8.",
                     "As a foster carer with the council,", "Writing on behalf of myself and my husband, we foster.", ""],
    "special_guardian": ["I am special guardian to my grandson.", "We took on our niece under an SGO.",
                         "I'm nan and I look after the three of them now.", ""],
    "professional": ["I am a teacher and the DSL at a primary school.", "I'm writing as the family's health visitor.",
                     "As the GP for this family,", "I am a youth worker supporting a young person.",
                     "I work for a charity supporting families and want to raise a concern on their behalf.", ""],
    "advocate_or_representative": ["I am an advocate for a young person in care.",
                                   "I'm writing as the family's representative.",
                                   "On behalf of my client, a young person aged 16,", ""],
}

# Lines that belong to no theme: how people feel about it all.
FEELINGS = [
    "I am so stressed and it is affecting the whole family.",
    "Honestly it feels like nobody cares.",
    "This isn't good enough.",
    "I have lost all trust in the service.",
    "I'm not sleeping because of this.",
    "Please can someone just help us.",
    "My son keeps asking me what is happening and I don't know what to tell him.",
    "We are not asking for much.",
    "I have spoken to my local councillor as well.",
    "I am trying to stay calm but it's really hard.",
]

WANTS = [
    "I want an apology.", "I want someone to ring me.", "Please sort it out.",
    "I would like a meeting with a manager.", "I want it put right and for this not to happen to anyone else.",
    "Can someone explain what is going on?", "I want a different worker.", "I want to be paid what I'm owed.",
    "I just want an answer.", "I want to know what you're going to do about it.", "",
]

OUTCOMES = ["upheld", "partially_upheld", "not_upheld", "unable_to_determine"]
ACTIONS = {
    "Case management": "Managers to check every open plan has a named lead and a review date",
    "SEND": "SEND caseworkers to confirm annual review amendments within four weeks",
    "Communication": "Teams to return phone calls within two working days and record it",
    "Information held": "Remind staff how to record a parent's disagreement on the file",
    "Social worker conduct": "Reflective supervision with the worker about how families are spoken to",
    "Delay": "Weekly tracking of assessments past their timescale",
    "Finance": "Allowance payments checked against the payment calendar each month",
    "Transport": "Operators to tell families of route changes the day before",
    "Other": "Signpost to the right organisation in the first reply",
}
ROLES = list(OPENERS)
ROLE_WEIGHTS = [40, 10, 8, 14, 6, 14, 8]


def _typo(word: str, rng: random.Random) -> str:
    """One of the slips people make: two letters swapped, one dropped, or one doubled."""
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind < 0.75:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def _mistyped(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    slips = rng.choice([0, 0, 1, 1, 2, 3])
    for _ in range(slips):
        j = rng.randrange(len(words))
        words[j] = _typo(words[j], rng)
    text = " ".join(words)
    style = rng.random()
    if style < 0.12:
        text = text.lower()
    elif style < 0.2:
        text = text.replace(".", "").replace(",", "")
    elif style < 0.26:
        text = text.replace("I ", "i ").replace("'", "")
    return text


def sentences(theme: str, held_out: bool) -> list[str]:
    """A theme's sentences for the training file, or the few kept back for the dropped
    records (once half of the old test file), which train.jsonl never uses."""
    return THEMES[theme][-HELD_OUT:] if held_out else THEMES[theme][:-HELD_OUT]


def _summary(theme: str, team: str, role: str, rng: random.Random, held_out: bool) -> str:
    parts = [rng.choice(OPENERS[role])]
    pool = sentences(theme, held_out)
    core = rng.sample(pool, min(len(pool), rng.choice([1, 1, 2, 2, 3])))
    if rng.random() < 0.6:
        about = rng.choice(TEAMS[team])
        parts.append(rng.choice([f"It's about {about}.", f"My complaint is about {about}.",
                                 f"I've been dealing with {about}.", f"This concerns {about}."]))
    parts += core
    if rng.random() < 0.2:
        other = rng.choice([t for t in THEMES if t != theme])
        parts.append(rng.choice(sentences(other, held_out)))
    if rng.random() < 0.45:
        parts.insert(rng.randrange(1, len(parts) + 1), rng.choice(FEELINGS))
    return _mistyped(" ".join(p for p in parts if p), rng)


def records(count: int = COUNT, seed: int = SEED):
    """The records as first drawn: every fourth was the old test file (every eighth of them
    in the kept-back sentences); ``main`` keeps the others. Drawn still, so the rest come
    out the same."""
    rng = random.Random(seed)
    themes = list(THEMES)
    for n in range(1, count + 1):
        theme = themes[(n - 1) % len(themes)] if n <= len(themes) * 3 else rng.choice(themes)
        team = rng.choice(THEME_TEAMS[theme])
        role = rng.choices(ROLES, ROLE_WEIGHTS)[0]
        received = START + timedelta(days=rng.randrange(0, 900))
        line = {
            "type": "feedback", "reference": f"CF-{received.year}-{n:05d}", "received_on": received.isoformat(),
            "channel": rng.choice(["web", "web", "web", "email", "phone", "letter"]),
            "submitter": {"role": role, "name": f"Writer {n}", "email": f"writer{n}@example.org"},
            "team": team, "theme": theme, "summary": _summary(theme, team, role, rng, held_out=n % 8 == 0),
        }
        want = rng.choice(WANTS)
        if want:
            line["desired_outcome"] = want
        if rng.random() < 0.35:
            line["kind"] = "initial_contact"
            line["initial_contact"] = {
                "category": rng.choice(["query", "concern", "issue"]),
                "outcome": rng.choice(["resolved", "resolved", "resolved", "withdrawn", "referred"]),
                "outcome_on": (received + timedelta(days=rng.randrange(2, 15))).isoformat(),
            }
        else:
            line["kind"] = "complaint"
            started = received + timedelta(days=rng.randrange(0, 4))
            outcome = rng.choice(OUTCOMES)
            responded = started + timedelta(days=rng.randrange(9, 20))
            line["complaint"] = {
                "procedure": "corporate" if team in ("Education - Transport", "Finance", "Business Support",
                                                     "SEND Team", "Customer Feedback Team") else "statutory",
                "stages": [{"stage": 1, "started_on": started.isoformat(), "team": team, "theme": theme,
                            "responded_on": responded.isoformat(),
                            "elements": [{"number": 1, "summary": "What the person raised", "theme": theme,
                                          "outcome": outcome}]}],
            }
            if outcome in ("upheld", "partially_upheld") and rng.random() < 0.45:
                amount = rng.choice([50, 100, 150, 200, 250, 300, 400, 500]) * (2 if theme == "Finance" else 1)
                line["payments"] = [{"kind": "financial_remedy", "amount": f"{amount}.00",
                                     "paid_on": (responded + timedelta(days=10)).isoformat(),
                                     "description": "Time and trouble", "decided_by": "Team manager"}]
            if outcome != "not_upheld" and rng.random() < 0.4:
                line["actions"] = [{"recommendation": ACTIONS[theme], "stage": 1,
                                    "raised_on": responded.isoformat(), "status": "done",
                                    "completed_on": (responded + timedelta(days=30)).isoformat()}]
        yield line


def main(folder: Path = DATA) -> None:
    """train.jsonl in ``folder``: the records drawn but every fourth. (test.jsonl is
    held_out_records.py's.)"""
    folder.mkdir(exist_ok=True)
    part = [line for i, line in enumerate(records(), 1) if i % 4]
    with open(folder / "train.jsonl", "w", encoding="utf-8") as out:
        for line in sorted(part, key=lambda line: line["reference"]):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
