"""Writes tests/insight/data/test.jsonl: the held-out records `flask insight evaluate` is
scored on (tests/insight/test_evaluation.py), kept apart from the training file.

    .venv/bin/python -m tests.insight.held_out_records   # writes data/test.jsonl

Each record below is one story, written whole by hand as a person would put it in the
complaint form, an email or a phone note: parents, young people (some writing fast, in
lower case, with their own spelling), care leavers, foster carers, special guardians,
advocates and professionals. None is put together from parts, and none shares a sentence,
or a run of seven words, with the sentence banks of make_records.py (the training file's
source; test_evaluation.py checks both). They were written before the model was scored on
them and have not been changed to suit it. The themes and teams are those the training
file uses, in about its proportions; the team is the one the story is about.

Only the record's frame (reference, dates, channel, kind, outcome) is drawn, from a fixed
seed; the words are all here.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 2203
START = date(2033, 1, 10)
DATA = Path(__file__).resolve().parent / "data"

CM, SEND, COMM, INFO, CONDUCT, DELAY, MONEY, TRANSPORT, OTHER = (
    "Case management", "SEND", "Communication", "Information held", "Social worker conduct", "Delay",
    "Finance", "Transport", "Other")

ASSESS, CP, PERM, EH, NEXT, CWD, ADOPT = ("Assessment Teams", "Child Protection Teams", "Permanence Teams",
                                          "Early Help", "Next Steps Team", "Children with Disabilities Team",
                                          "Adoption Team")
SENDT, FOSTER, BS, ICRT, CFT, KIN, HOMES, FIN, TRANS = (
    "SEND Team", "Fostering Team", "Business Support", "Independent Children's Reviewing Team (ICRT)",
    "Customer Feedback Team", "Connected Carers Team", "Children's Homes", "Finance", "Education - Transport")

PARENT, YOUNG, LEAVER, CARER, GUARDIAN, PRO, ADVOCATE, FAMILY = (
    "parent_or_carer", "child_or_young_person", "care_leaver", "foster_carer", "special_guardian", "professional",
    "advocate_or_representative", "other_family")

# (theme, team, who wrote it, what they told us, what they want or None)
STORIES: list[tuple[str, str, str, str, str | None]] = [
    # Case management
    (CM, ASSESS, PARENT,
     "My son was referred by his school in January after he said things about his step dad. Someone came out "
     "once, asked a lot of questions and then we heard nothing. When I chased it I was told the assessment had "
     "been 'completed' and the case closed. Nobody asked to speak to my son again and his step dad is still "
     "coming round. How can that be finished?",
     "The case looked at again by a manager, and my son actually spoken to."),
    (CM, PERM, YOUNG,
     "ive had 5 social workers since i came into care and i have to tell every one of them the same stuff about "
     "my mum. the last one left and nobody even said bye. who is my social worker now because i dont know",
     "just want one person who stays"),
    (CM, PERM, CARER,
     "The boy we look after has been with us eighteen months and his care plan still says the long term plan is "
     "'to be decided'. His review in October agreed a permanence plan would be written before Christmas. It is "
     "now March. He asks us whether he is staying and we can't give him an answer.",
     "A written permanence plan, and a date for it."),
    (CM, CP, PRO,
     "I am the designated safeguarding lead at the secondary school two of the children attend. Since the "
     "initial conference in May the school has not been invited to a single core group, and we only learnt the "
     "plan had been stepped down to child in need when the younger child mentioned it in class. We see these "
     "children every day and we are being left out of the planning for them.",
     "Schools included in core groups and told when a plan changes."),
    (CM, EH, PARENT,
     "We were put with early help after I asked for support with my daughter's behaviour. The worker came "
     "twice, did a family star thing with us and then went off sick. Nobody picked it up. Three months later I "
     "got a letter saying the case had been closed because we had 'disengaged'. We didn't disengage, there was "
     "nobody there to engage with.",
     "Reopen it and give us a worker who turns up."),
    (CM, NEXT, LEAVER,
     "I'm 20. My pathway plan still says I'm at college doing hairdressing. I finished that over a year ago and "
     "I work in a warehouse now. Nobody has sat down with me to update it and the adviser keeps changing "
     "every few months so nobody knows me.",
     "can someone actually do my plan with me"),
    (CM, CWD, PARENT,
     "My daughter is 11, she has cerebral palsy and epilepsy. Her social worker was supposed to look at her care "
     "package again after her hip operation because she needs far more help now, especially at night. That was "
     "in the summer. We are still on the old package and I'm doing the extra nights myself.",
     "A review of her package this month."),
    (CM, ADOPT, PARENT,
     "We adopted two siblings three years ago. Part of their support plan was a yearly letterbox exchange with "
     "their birth grandmother, arranged by the team. This year the letter we sent in spring was never passed on, "
     "and when I asked, the worker who had it had left and nobody knew where it was. It's a small thing on paper "
     "but it matters enormously to the children.",
     "Find the letter, send it, and tell us who handles letterbox now."),
    (CM, ASSESS, GUARDIAN,
     "I phoned in about my grandchildren because I was worried about their mum's drinking. A social worker saw "
     "them at school and said there would be a full assessment. Then a different worker rang me to say it was "
     "being closed with no further action, and she didn't seem to know the first one had been out at all. "
     "Which is it? Nothing has got better in that house.",
     "Somebody to explain what was decided and why."),
    (CM, CP, PARENT,
     "The protection plan says a family support worker will help me with the mornings and getting the kids to "
     "school on time. It's been four months and I've never met them. At the next review they'll say I haven't "
     "made progress but I never got the help that was written down.",
     "The support that was agreed, or the plan changed to say it isn't coming."),
    (CM, PERM, ADVOCATE,
     "I am the advocate for a 14 year old girl in residential care. Her looked after review recorded that "
     "contact with her brother would go back to fortnightly once a suitable venue was found. Nobody was given "
     "the job of finding one, and each time she asks she's told it's 'being looked at'. She has not seen her "
     "brother since August.",
     "A named person to arrange the contact and a date for the first session."),
    (CM, ASSESS, YOUNG,
     "why did u close my case. my mum still kicks off every night and i told the lady that. she said she would "
     "come back and see me on my own and she never did",
     None),
    (CM, EH, PARENT,
     "Short version: referred to early help in June, moved up to social care in August, back down to early help "
     "in October. Three different plans, none of them finished. My son is still not going to school.",
     "One plan that somebody sticks to."),
    (CM, PERM, CARER,
     "We care for a sibling group of three. Each child now has a different social worker and they don't talk to "
     "each other, so we get three different answers about holidays, haircuts, sleepovers and family time. Last "
     "week two of them gave us opposite instructions about the same visit to their aunt.",
     "One social worker for all three, or at least one plan they all follow."),
    (CM, CP, PRO,
     "As health visitor for the youngest child I was named on the plan as the person monitoring his weight. "
     "Nobody has sent me the plan as updated at the review, so I don't know whether my part has changed. Visits "
     "by the social worker also seem to have lapsed; as far as I can tell I have been the only professional in "
     "the home since January. I'm worried the plan is drifting.",
     None),
    (CM, NEXT, LEAVER,
     "when i turned 18 the leaving care lot said theyd help me find somewhere to live before my foster "
     "placement ended. nobody did anything untill 2 weeks before and now im sofa surfing at my mates. there was "
     "ment to be a plan for this",
     "somewhere to live"),
    (CM, CWD, PARENT,
     "My son's case was moved from the disabilities team to the transitions team and somewhere in the handover "
     "his overnight stays at the respite unit disappeared from his plan. I've asked three people who is "
     "responsible and each of them says it's the other team.",
     "Put his overnights back in the plan and tell me who his worker is."),
    (CM, ADOPT, PARENT,
     "We were matched with a little girl in the spring and introductions were planned for July. Then her "
     "social worker changed and the new one wanted to redo the matching from the start, with fresh reports "
     "on us. It feels like all the work that was done has been thrown in the bin.",
     "Carry on from where the last worker got to."),

    # SEND
    (SEND, SENDT, PARENT,
     "My son is in year 5 and has been on SEN support since reception. The school asked for an EHC needs "
     "assessment in October and we got a refusal saying his needs can be met from the school's own resources. "
     "The school told you in writing they have spent everything they have on him and he is still falling "
     "further behind. Who actually decides this, and did anyone read the school's evidence?",
     "Assess him properly. We will go to mediation if we have to."),
    (SEND, SENDT, PARENT,
     "EHCP annual review was held on 12 May. Its now November and I still havent got the amended plan. Without "
     "it the secondary school wont confirm his place for september. Please can someone tell me whats going on.",
     "The amended plan before the transfer deadline."),
    (SEND, SENDT, YOUNG,
     "im 14 and i have an ehcp for dyslexia and anxiety. it says i get extra time and a reader in exams but "
     "school said i cant have it for mocks because its not in the right bit of the plan?? my mum emailed the "
     "sen lady and got nothing back",
     "i want it written properly so i get my help"),
    (SEND, SENDT, PARENT,
     "The council named a mainstream secondary in my daughter's final EHCP even though that school wrote to say "
     "it could not meet her needs, and even though we asked for a particular special school. We have had to "
     "lodge an appeal with the tribunal. I cannot understand how this decision was made.",
     "Name the school we asked for and stop putting us through this."),
    (SEND, SENDT, PRO,
     "I am SENCo at an infant school. We have a pupil in reception whose needs are well beyond what we can "
     "provide: he is non-verbal, has no sense of danger and needs an adult beside him all day. We sent a request "
     "for statutory assessment with reports from the paediatrician and speech therapy. It was turned down at "
     "panel without a single question being asked of us.",
     "Reconsider the request with all the evidence in front of you."),
    (SEND, SENDT, GUARDIAN,
     "my grandson hasnt been in school since easter, the primary excluded him and there is no special school "
     "place for him. the council offered five hours a week tuition in the library. thats it. hes 8 years old. "
     "I gave up my job to have him at home",
     "a proper full time school place"),
    (SEND, CWD, PARENT,
     "Our son has Down's syndrome and the EHCP from nursery was simply rolled over when he started school. The "
     "outcomes in it are things he learnt to do two years ago. At the last review his social worker and the "
     "school both agreed it needed rewriting but nobody has done it.",
     "The plan rewritten with outcomes that fit him now."),
    (SEND, SENDT, PARENT,
     "The plan says my son will have 'access to' occupational therapy. The school says that means he can be "
     "referred, the therapy service says they have no capacity. He has had no OT in a year. The plan needs to "
     "say how many sessions and who gives them, otherwise it means nothing.",
     None),
    (SEND, SENDT, PARENT,
     "Hi, I'm writing because I'm confused. We got a letter saying the local authority 'intends to cease to "
     "maintain' my daughter's EHC plan because she is going to college. She still has the same needs. What does "
     "this mean and are they allowed to do it?",
     "Someone to explain, and her plan kept in place."),
    (SEND, SENDT, CARER,
     "The boy placed with me has an EHCP from another council. Since he moved here nobody has taken the plan on "
     "or consulted any local schools, so he has no school place at all. He has been with me seven weeks and is "
     "just at home with me every day.",
     "A school place, urgently."),
    (SEND, SENDT, PARENT,
     "I am furious. The officer told me on the phone that my son 'isn't complex enough' for a specialist "
     "setting. He has an autism diagnosis, he hasn't managed a full day in school since Year 3 and he hurts "
     "himself when he's made to go in.",
     "A specialist placement, and an apology for that comment."),
    (SEND, SENDT, PRO,
     "As his class teacher I want to raise that the one-to-one hours in this pupil's plan were cut from 25 to 15 "
     "at his annual review with no new evidence at all. Nothing about him has changed. We are now trying to meet "
     "his needs with one teaching assistant shared between three children.",
     "His hours restored."),
    (SEND, SENDT, ADVOCATE,
     "I'm writing on behalf of a mum I support whose first language is Urdu. The council agreed to assess her "
     "son's needs, but the draft plan should have come by week 16 and there is still no sign of it at week 24. "
     "She didn't know she could complain until I told her.",
     "The draft plan issued, and an interpreter at the meeting about it."),
    (SEND, SENDT, PARENT,
     "Quick question - my son's EHCP review is next Thursday and nobody from the council has said whether they "
     "are coming. Last year no one turned up and the changes we agreed never got made. Will somebody be there "
     "this time?",
     None),
    (SEND, SENDT, YOUNG,
     "I'm starting college in September and my plan still has all my school stuff in it. The college say they "
     "haven't been asked about me and don't know what support I need. I'm worried I'll end up dropping out like "
     "last time.",
     "Sort my plan out before I start."),
    (SEND, SENDT, PARENT,
     "Our daughter is deafblind. Her teacher from the sensory support service used to visit school every week, "
     "and it is written into her plan. Since January the visits have stopped because of staff shortages and we "
     "are told to wait. She is losing skills she worked so hard for.",
     "The visits in her plan to start again."),
    (SEND, SENDT, PARENT,
     "after months of fighting the council agreed to fund a place at the independent special school and then "
     "two weeks before term they changed there mind and named the unit at the local primary, which had already "
     "told us it was full",
     "stick to what you agreed"),
    (SEND, CWD, PARENT,
     "We've been told our son needs an autism diagnosis before the council will even look at an EHC needs "
     "assessment. That isn't what the law says. The wait for a diagnosis here is two years.",
     "Assess his needs now, not in two years."),

    # Communication
    (COMM, ASSESS, PARENT,
     "I have rung the number on the letter 14 times since Monday. It goes to an answerphone that says the "
     "mailbox cannot take any more messages. I have a letter about a 'home visit' but no time, no name and no "
     "idea what it is about. I'm frightened.",
     "Tell me who is coming and why."),
    (COMM, FOSTER, CARER,
     "We only found out the child in our care was moving placement when his teacher congratulated him on his "
     "'new family'. Nobody from the team had told us, or told him properly. He was heartbroken and we were left "
     "to pick up the pieces.",
     "An explanation, and next time a proper plan for telling him."),
    (COMM, PERM, YOUNG,
     "my social worker never replys to my texts. i sent her like 10 messages about seeing my sister and got "
     "nothing. when i rang the office they said shes on leave for 3 weeks and nobody told me",
     "someone to text me back"),
    (COMM, CP, PARENT,
     "I was told at 4pm on a Friday, by text message, that my children would not be coming home for the weekend "
     "as planned. No reason, no phone call, nothing. I tried to ring and the office had shut. I spent the whole "
     "weekend not knowing if my kids were alright.",
     "Never tell a parent something like that by text again."),
    (COMM, CP, PRO,
     "As the family's GP I wrote to the children's social care team asking for the outcome of the strategy "
     "discussion about a child registered with our practice. That was five weeks ago and I have had no "
     "acknowledgement. I need to know whether we should carry on monitoring or whether someone else is.",
     "A reply to my letter."),
    (COMM, BS, PARENT,
     "I missed my son's review because the invitation went to my old address. I told reception I had moved back "
     "in the summer. When I rang to ask why nobody had let me know another way, the woman on the phone just "
     "said 'it was sent'.",
     None),
    (COMM, ICRT, PARENT,
     "The reviewing officer has never once spoken to me before a review. I'm his mum, I still have parental "
     "responsibility, and I get the minutes months later if at all. I would like to be asked my views before "
     "decisions are made about him.",
     "To be contacted before the next review."),
    (COMM, SENDT, PARENT,
     "I emailed my son's caseworker on the 3rd, the 10th and the 21st. No replies. I then got an out of office "
     "saying she had left the authority and to use the general inbox, which doesn't reply either.",
     "A named caseworker who answers emails."),
    (COMM, ASSESS, PARENT,
     "I am from Romania, my English is not so good. Social worker come to my house and speak very fast, use many "
     "words I do not know. I ask for interpreter but she say is not needed. I sign paper I do not understand.",
     "Interpreter for every meeting please."),
    (COMM, FOSTER, CARER,
     "Our supervising social worker changed in September and nobody thought to mention it. We found out because "
     "the new person emailed to arrange a visit and signed off with her name. We'd been trying to get hold of "
     "the old one for weeks about a respite weekend.",
     "Let carers know when their worker changes."),
    (COMM, ICRT, YOUNG,
     "nobody asked me what i thought before my review. the IRO just read out what everyone else said and then "
     "it was over. i didnt even know i could talk to her on my own first",
     None),
    (COMM, PERM, PARENT,
     "Could I please have a regular update, even once a month, on how my daughter is getting on in her "
     "placement? I am allowed to know how she is doing at school and with her health, but I haven't heard "
     "anything since June. Thank you.",
     "A monthly update by email."),
    (COMM, CP, PARENT,
     "The conference report was handed to me ten minutes before the meeting started. It was 30 pages long. I "
     "couldn't read it, I couldn't take any of it in, and then I was expected to agree with it. Please send "
     "reports in time for parents to read them.",
     None),
    (COMM, ASSESS, PRO,
     "I made a referral about a pupil on Monday morning because I was worried about bruising on his arms. I have "
     "had no acknowledgement and no feedback. He is back in school today and I have no idea whether anyone has "
     "looked into it or what I should be doing.",
     "Feedback to the school on referrals we make."),
    (COMM, BS, PARENT,
     "Every time I ring the main number I'm kept on hold for 40 minutes and then cut off. Today I held for an "
     "hour and ten minutes. I have a disabled child at home, I can't spend my day listening to hold music.",
     "A direct number for the team."),
    (COMM, PERM, ADVOCATE,
     "The girl I advocate for was told by text that her social worker was leaving, the day before she left. "
     "They had worked together for four years. There was no goodbye visit and no introduction to the new "
     "worker. She is now refusing to speak to anyone from the team.",
     "A proper introduction to the new worker and an apology to her."),
    (COMM, SENDT, PARENT,
     "why is every letter from the send team written like a legal document? i read it three times and i still "
     "dont know if they said yes or no to the assessment. please just write in plain english",
     None),
    (COMM, ASSESS, PARENT,
     "On three separate occasions I've been told someone will ring me back 'within 24 hours'. It has been 11 "
     "days. I have now taken a day off work to sit by the phone.",
     "A phone call."),

    # Information held
    (INFO, BS, LEAVER,
     "I asked for my care file in March. In August I got a box of paper with whole pages blanked out, including "
     "the parts about my own mum. I'm 24 and I just want to understand why I went into care.",
     "The blanked out parts looked at again."),
    (INFO, ASSESS, PARENT,
     "The assessment says my partner lives with us. He doesn't and he never has, he lives in Leeds. The same "
     "mistake has been copied into the next three documents and now the school thinks he is living at home.",
     "Correct the assessment and tell everyone it went to."),
    (INFO, CP, PARENT,
     "At conference the report gave my son's new school and the area we have moved to. My ex, who we ran away "
     "from, was at the same conference and now knows roughly where we are. We are having to move again.",
     "An investigation into how this happened."),
    (INFO, PERM, YOUNG,
     "my file says i got excluded in year 8. i didnt, that was a different kid. i only found out cos my new "
     "social worker brought it up. can u take it out",
     None),
    (INFO, CFT, PARENT,
     "Your stage 1 response to my complaint had the name and address of another complainant in it. I have "
     "deleted it, but now I'm worried my own details have been sent to someone else as well.",
     "Tell me whether my details went to anyone."),
    (INFO, BS, PARENT,
     "I sent a subject access request on 2 January. You have a month by law. All I've had is one email saying "
     "it is 'in the queue'.",
     "My records."),
    (INFO, PERM, CARER,
     "A report about the children in our care says we 'struggle to set boundaries'. Nobody has ever said this "
     "to us, it isn't true, and it has now gone to the court. At the very least we want our response attached "
     "to it.",
     None),
    (INFO, ASSESS, PARENT,
     "The social worker wrote that I seemed 'under the influence' during her visit. I was on prescribed "
     "painkillers after an operation and I told her so at the time. I have a letter from my consultant. I want "
     "the record to say that.",
     "My consultant's letter added and the entry changed."),
    (INFO, CP, PRO,
     "The core group minutes record me as saying the baby was underweight. I said the opposite: his weight is "
     "back on track. Those minutes are being relied on by other agencies. I have emailed a correction twice.",
     "The minutes corrected."),
    (INFO, BS, PARENT,
     "An envelope came this morning with somebody else's child's assessment inside. I don't know the family but "
     "I can see their names and the school. I've put it back in an envelope. Who do I give it back to?",
     "Collect it, and check mine hasn't gone somewhere too."),
    (INFO, BS, LEAVER,
     "who is my real dad?? does it say anywhere in my care file. where do i ask for that",
     None),
    (INFO, PERM, PARENT,
     "My daughter's records have her as White British. We are a mixed heritage family and her dad's side is "
     "Jamaican. It matters for who she is and for her care plan, and it's wrong on every form.",
     "Her ethnicity put right on everything."),
    (INFO, CFT, PARENT,
     "I'm asking for every email the complaints team has sent about me to the service, after I saw one that "
     "called me 'a serial complainer'. I believe I'm entitled to see what is being said about me.",
     "Copies of the emails."),
    (INFO, PERM, ADVOCATE,
     "I represent a young man who left care last year. His chronology records that he assaulted a member of "
     "staff in 2029. The police looked into it and found nothing had happened, and the chronology leaves that "
     "out. It is now being held against him in his supported housing application.",
     "The chronology amended to include the police outcome."),
    (INFO, ASSESS, PARENT,
     "The assessment has my childrens birthdays wrong and the wrong name for my youngest. If you cant get the "
     "basics right what else is wrong in their?",
     None),
    (INFO, CP, GUARDIAN,
     "I was told I can't see the reports from the child protection case about my grandchildren, even though I "
     "now have an SGO and they live with me. Surely I am entitled to know their history so I can look after "
     "them properly.",
     "Access to the reports."),
    (INFO, CFT, PARENT,
     "Please confirm what personal information you hold about me and my family, and whether any of it has been "
     "passed to the police. I am asking formally.",
     None),
    (INFO, BS, PARENT,
     "The man on the front desk read out my name and why I was there loud enough for the whole waiting room to "
     "hear. A child protection meeting is not something I want strangers knowing about.",
     "Staff trained to keep people's business private."),

    # Social worker conduct
    (CONDUCT, CP, PARENT,
     "During the home visit the social worker opened my fridge and cupboards without asking and said there was "
     "'nothing healthy' in there. I'd done a food shop the day before, it just wasn't put away yet. I felt "
     "humiliated in my own kitchen.",
     "An apology and a different worker."),
    (CONDUCT, HOMES, YOUNG,
     "one of the staff at my home keeps going through my stuff when im at school and then laughs about it with "
     "the others. she read my diary. its not fair",
     "i want her to stop"),
    (CONDUCT, ASSESS, PARENT,
     "The social worker told my 7 year old, without me in the room, that mummy 'might not be able to look after "
     "her'. She came to me in tears. Whatever you think of me, that is not how you speak to a child.",
     None),
    (CONDUCT, CP, PARENT,
     "She laughed when I said I was trying my best. Laughed. In a room full of professionals. I will never "
     "forget it.",
     "I want her spoken to about it."),
    (CONDUCT, PERM, CARER,
     "The child's social worker arrived 50 minutes late for his statutory visit, didn't apologise, spent most of "
     "it on her laptop and left without seeing his bedroom or talking to him alone. He told me afterwards he "
     "doesn't think she likes him.",
     None),
    (CONDUCT, ICRT, PARENT,
     "At my son's review the reviewing officer kept cutting me off and told me 'we're not here to talk about "
     "you'. I was trying to explain something about his health. I found her cold and I left feeling worthless.",
     None),
    (CONDUCT, CP, PARENT,
     "Our social worker has been posting about 'nightmare parents' on her public Facebook page. The details "
     "make it obvious it is us. My sister saw it and sent me the screenshots.",
     "The posts removed and this investigated."),
    (CONDUCT, PERM, YOUNG,
     "my social worker swore at me in the car and said im the reason my placements keep breaking down. i told my "
     "carer and she said to write this",
     "new social worker"),
    (CONDUCT, ASSESS, PARENT,
     "I'm the children's dad. The social worker spoke only to my ex-wife for the whole assessment, ignored my "
     "emails, and then wrote that I was 'absent' although the children stay with me every weekend. It felt like "
     "she had decided dads don't count.",
     "To be treated as their parent."),
    (CONDUCT, HOMES, PRO,
     "I'm a youth worker and I visited a young person at the home on Tuesday evening. I saw a member of night "
     "staff shout at him to 'get out of my face' and slam a door on him. He is 13. I am reporting it because I "
     "think it needs looking at.",
     None),
    (CONDUCT, CP, PARENT,
     "The worker made a remark about how many children I have 'by different dads'. It has nothing to do with "
     "anything and she said it in front of my eldest.",
     "An apology."),
    (CONDUCT, ASSESS, GUARDIAN,
     "The lady who came to assess whether we could care for our grandchildren was very rude. She kept looking at "
     "her watch, told my husband his heart condition 'would be a problem' before asking a single question about "
     "it, and left after 25 minutes.",
     "A fair assessment by someone else."),
    (CONDUCT, PERM, YOUNG,
     "when i was in care my social worker promised to take me to my nans grave on the anniversary. she "
     "cancelled 3 times and then told my foster carer i was being 'demanding'. im 17 not a baby",
     None),
    (CONDUCT, CP, PARENT,
     "I want to complain formally about how the social worker behaved at Thursday's meeting. She raised her "
     "voice, accused me of coaching my daughter, and wouldn't let my support worker speak. I left shaking.",
     "Her conduct investigated."),
    (CONDUCT, ICRT, ADVOCATE,
     "The young person I support says the conference chair called him 'a troublemaker' in front of his parents. "
     "He is 15 and it was the first conference he had ever come to. He says he will not go to another one.",
     "An apology to him from the chair."),
    (CONDUCT, ASSESS, PARENT,
     "The social worker turned up wearing earphones, kept answering personal calls while we were talking, and "
     "told me to 'hurry up' because she had somewhere else to be.",
     None),
    (CONDUCT, HOMES, YOUNG,
     "the manager at the home says if i dont stop running off shell make sure i get moved somewhere miles away "
     "and never see my friends. thats a threat isnt it",
     None),
    (CONDUCT, PERM, PARENT,
     "My son's social worker told him his dad 'doesn't want to see him'. That is untrue, his dad has asked for "
     "contact every month. I don't understand why anyone would say that to a nine year old.",
     "The worker to put it right with my son."),

    # Delay
    (DELAY, ADOPT, PARENT,
     "We were approved as adopters in February last year and have been told about two children since, both of "
     "whom then went to 'another family'. It is now 14 months. We were told the average wait was six. We would "
     "just like to know if anything is actually happening.",
     "A realistic idea of how long."),
    (DELAY, KIN, GUARDIAN,
     "We have had our granddaughter since she was 3 weeks old. The assessment for us to become her special "
     "guardians started in April and is now on its fourth assessor. She is nearly one and we still cannot sign "
     "for her jabs.",
     "The assessment finished."),
    (DELAY, CFT, PARENT,
     "I made a complaint on 6 June. I was told I would have a reply in ten working days, then twenty. It's now "
     "August. I am not even sure anyone has read it.",
     "My response."),
    (DELAY, NEXT, LEAVER,
     "I asked my personal adviser in April to help me set up staying put so I could stay with my foster carer "
     "after 18. My birthday is in three weeks and it still hasn't been approved. I don't know where I'll be "
     "living.",
     "A decision before my birthday."),
    (DELAY, FOSTER, CARER,
     "We applied to foster in September. We had the first visit and did the training in October. Since then, "
     "nothing. Our assessment still has not been given to anyone and we keep being told there is a backlog.",
     None),
    (DELAY, ASSESS, PARENT,
     "I asked for a carer's assessment for myself last spring because I look after my disabled son full time. "
     "Eight months on it hasn't happened. I am exhausted.",
     None),
    (DELAY, ADOPT, PARENT,
     "The court can't list our adoption hearing because the local authority still hasn't filed its report. The "
     "judge has set three deadlines. The children have lived with us for two years and they are desperate to "
     "have our surname.",
     "The report filed this month."),
    (DELAY, NEXT, YOUNG,
     "im 18 and still waiting to be given a PA, its been since my birthday in march. they told me id get one "
     "straight away",
     None),
    (DELAY, FOSTER, CARER,
     "We asked in June for our approval to be reviewed so that we could take a sibling group. Panel was booked "
     "for September, cancelled, rebooked for November and cancelled again. Meanwhile the two brothers we hoped "
     "to take have been split up.",
     None),
    (DELAY, KIN, CARER,
     "My sister's kids have lived with me since March as a family placement. I was told my assessment would be "
     "done within 16 weeks. It's week 30. Nobody will give me a date.",
     "A date."),
    (DELAY, CFT, PARENT,
     "My stage 2 investigation was agreed in March. The investigating officer was appointed in May. Now I'm told "
     "the report will be 'delayed further'. The complaint is about my son, who has left care since. At this rate "
     "he'll be thirty.",
     None),
    (DELAY, ASSESS, PARENT,
     "My referral for help with my daughter's behaviour went in over the winter. In the summer I got a call "
     "asking whether I still needed help. Yes, I did, that is why I asked in the first place.",
     None),
    (DELAY, NEXT, LEAVER,
     "I asked next steps in October to help me get my birth certificate and passport back so I could start a "
     "job. Still nothing, and I've lost the job offer.",
     "My documents."),
    (DELAY, ADOPT, PARENT,
     "We asked for therapy for our son through the adoption support fund in January. The team still hasn't sent "
     "off the application. He is struggling badly at school and at home and we are at breaking point.",
     "The application sent this week."),
    (DELAY, CFT, PARENT,
     "short and simple - where is my complaint response. it was due 3 weeks ago.",
     None),
    (DELAY, KIN, GUARDIAN,
     "It took four months for the team to even start assessing us, and all that time we weren't allowed to have "
     "our grandchildren overnight. They were with strangers in foster care when they could have been with their "
     "family.",
     None),
    (DELAY, FOSTER, CARER,
     "The referral for therapeutic support for the little girl placed with us went in during the summer. Every "
     "month we're told it is 'with the funding panel'. In that time there have been two serious incidents at "
     "home.",
     "A decision from the panel."),
    (DELAY, ASSESS, PRO,
     "I referred a family on 3 March because of concerns about neglect. The assessment did not begin until 21 "
     "April and the children were not seen until May. That is far too slow for children in that situation.",
     None),

    # Finance
    (MONEY, FOSTER, CARER,
     "Our allowance for December came in on the 9th of January. It has happened before. We are a one income "
     "household and our direct debits bounced, and the bank has charged us £60.",
     "Pay on time and refund the bank charges."),
    (MONEY, NEXT, LEAVER,
     "im at uni and the leaving care team said theyd cover my rent over the summer between terms. they havent "
     "paid june or july and my landlord is threatening to kick me out",
     "pay my rent"),
    (MONEY, KIN, GUARDIAN,
     "My SGO payment was reassessed and cut by £45 a week because my husband's pension started. Nobody explained "
     "the sums. I am caring for two children on a pension. Please tell me how the figure was worked out.",
     "The calculation in writing."),
    (MONEY, CWD, PARENT,
     "We get direct payments to employ a personal assistant for our son. The council has clawed back £1,200 as "
     "'unspent', but we were keeping that money to pay for his support over the summer holidays, which we were "
     "told we could do.",
     "The £1,200 returned."),
    (MONEY, FIN, PARENT,
     "I got an invoice for £340 as a 'contribution to care costs' for my daughter's placement. Nobody ever told "
     "me I would have to pay anything. I'm on benefits and I can't pay this.",
     "The invoice cancelled."),
    (MONEY, FOSTER, CARER,
     "We spent £180 on a residential trip and a new blazer for our foster daughter. We sent the receipts in "
     "October as we were told to and we still haven't been paid back. I have asked four times.",
     "Our £180."),
    (MONEY, NEXT, LEAVER,
     "I'm 21 and was told I could get help with driving lessons from my leaving care budget. Now they say the "
     "budget has been 'used up' but no one can show me what on.",
     "A breakdown of what has been spent."),
    (MONEY, FIN, PARENT,
     "Why does your payments team keep sending me reminders for a bill I paid in full in March? I have the bank "
     "statement to prove it. I am now being threatened with court.",
     None),
    (MONEY, FOSTER, CARER,
     "As foster carers we get a birthday payment for each child. Our eldest turned 10 in April and it never "
     "came. Our old supervising social worker said she would chase it; the new one says there is no record of "
     "it.",
     None),
    (MONEY, KIN, CARER,
     "We were told we would be paid as family foster carers while the assessment went on. We've had the kids six "
     "weeks and haven't had a penny. We have spent more than £800 on beds, clothes and food.",
     "Back pay from the day they came to us."),
    (MONEY, CWD, PARENT,
     "Our son's overnight stays at the respite unit are part of his care plan and we were never told there was "
     "a charge. Now we have a bill going back a whole year.",
     None),
    (MONEY, NEXT, YOUNG,
     "i was told i get £20 a week from the leaving care team for getting to college and its stopped for 3 weeks "
     "with no reason. i cant get there without it",
     "start paying it again"),
    (MONEY, FIN, CARER,
     "Our mileage claims for taking the children to see their parents, over 100 miles a week, have been "
     "rejected because we used 'the old form'. Nobody told us there was a new one.",
     "The claims paid."),
    (MONEY, FIN, PARENT,
     "Polite query: I was told I would be refunded £75 for the nursery sessions the council cancelled in "
     "September. It hasn't arrived. Could you let me know when to expect it? Many thanks.",
     None),
    (MONEY, KIN, GUARDIAN,
     "We have been told the council no longer pays the settling in grant to special guardians that was in our "
     "support plan. We agreed to the order on the strength of that plan.",
     "The grant paid as the plan says."),
    (MONEY, NEXT, LEAVER,
     "They gave me my setting up money as vouchers for one shop only and that shop doesnt sell the fridge I "
     "need. Can I have it some other way?",
     None),
    (MONEY, CWD, PARENT,
     "I was told we qualified for a grant towards adapting my daughter's bedroom. We got three quotes like we "
     "were asked and now the disability team say the money has all gone for this year.",
     "The grant honoured."),
    (MONEY, FIN, CARER,
     "The payments were moved to monthly in arrears with no notice. That month we had nothing coming in at all "
     "and had to go to a food bank. Foster carers should not be using food banks.",
     "Notice of any change, and help for the month we lost."),

    # Transport
    (TRANSPORT, TRANS, PARENT,
     "Our daughter has a place at a special school 9 miles away. The transport application went in in May. It's "
     "the first week of term and nothing has been confirmed, so I'm driving her there and back twice a day and "
     "losing hours at work.",
     "Her transport confirmed."),
    (TRANSPORT, TRANS, YOUNG,
     "the minibus driver plays music really loud and shouts at us if we talk. my little brother is autistic and "
     "he screams the whole way to school now. pls do something",
     None),
    (TRANSPORT, TRANS, PARENT,
     "The taxi firm has changed three times this year. Each time there is a new driver and a new escort with no "
     "handover, and my son, who is non-verbal, has to get into a car with complete strangers.",
     "One firm that stays, and a handover when staff change."),
    (TRANSPORT, TRANS, PARENT,
     "We've been told our son no longer gets a seat on the school bus because his walking route has been "
     "reassessed as 'available'. It's 2.8 miles along a 60 mph road with no pavement for part of the way. He's "
     "10.",
     "His seat back."),
    (TRANSPORT, TRANS, CARER,
     "The boy placed with us travels back to his old school 20 miles away so his education isn't disrupted. His "
     "social worker agreed transport but the transport team say they never got the paperwork, so we have been "
     "driving him ourselves for a month with no mileage.",
     None),
    (TRANSPORT, TRANS, PRO,
     "I'm head of a special school. This week three of our pupils arrived after 10am because no vehicle had been "
     "assigned to their route. This is the fourth week running that routes have been disrupted, and parents are "
     "ringing us, not you.",
     "Routes fixed and a contact for schools."),
    (TRANSPORT, TRANS, PARENT,
     "On Tuesday the escort left my daughter alone on the bus while the driver went into a shop. She is 6 and "
     "has epilepsy. I found out from another parent.",
     None),
    (TRANSPORT, SENDT, PARENT,
     "The EHCP says our son needs transport with a trained escort because of his seizures. The council has "
     "offered us a travel budget instead. I can't drive and I work full time. It isn't a real option.",
     "The transport his plan says he needs."),
    (TRANSPORT, TRANS, YOUNG,
     "im at college now and they stopped my bus pass cos post 16 is different?? i have to pay £3.50 a day and i "
     "dont have that. i might have to quit",
     None),
    (TRANSPORT, TRANS, PARENT,
     "Please can somebody call me before 7am tomorrow. The car didn't come for my son again today and I need to "
     "know whether to take the day off. No one answers the phone there until 9.",
     None),
    (TRANSPORT, TRANS, GUARDIAN,
     "My granddaughter is collected at 7.15 for a 15 minute journey because the taxi goes round four other "
     "children first. She is worn out before the school day starts.",
     "A shorter route for her."),
    (TRANSPORT, TRANS, PARENT,
     "Instead of a taxi we were offered independent travel training for our son. He has a learning disability "
     "and no sense of danger near roads. The trainer gave up after two sessions but your records still say he is "
     "'in training' so there is no car for him.",
     None),
    (TRANSPORT, TRANS, PARENT,
     "Our driver is lovely but the car has no wheelchair clamps, so my son's chair has to be folded and he has to "
     "be lifted in. He is 14 and hates it. I reported this at the start of term.",
     "A vehicle that takes his wheelchair."),
    (TRANSPORT, SENDT, PRO,
     "Writing as SENCo. A pupil of ours with an EHCP is being dropped at school 40 minutes before the doors "
     "open and left with the office staff. His transport times haven't been looked at since his school day "
     "changed.",
     None),
    (TRANSPORT, TRANS, PARENT,
     "THE TAXI DID NOT COME. AGAIN. Third time this month. My son has missed two GCSE mocks because of this. Who "
     "do I send the bill to for the tutor I am now paying for?",
     None),
    (TRANSPORT, TRANS, PARENT,
     "School finishes at 3.15 on Fridays now and the transport still comes at 3.45. My daughter waits outside in "
     "the cold with a TA every week.",
     "Friday pick up moved to 3.15."),
    (TRANSPORT, TRANS, YOUNG,
     "hi the escort on my taxi keeps asking me personal stuff about my mum and dad and if im in care. it makes "
     "me feel weird. can i have a different escort",
     None),
    (TRANSPORT, TRANS, PARENT,
     "We applied for travel help for our 4 year old who is starting at a specialist nursery. We were told it's "
     "only for children of compulsory school age. She can't get there any other way.",
     None),

    # Other
    (OTHER, BS, PARENT,
     "Your online complaints form doesn't work on my phone, the send button does nothing at all. I've had to "
     "borrow my neighbour's laptop to write this.",
     None),
    (OTHER, HOMES, PARENT,
     "There are police cars outside the children's home on our road most weeks, sometimes at 2 or 3 in the "
     "morning. Young people smoke in the garden and throw bottles over our fence.",
     "Somebody to do something about it."),
    (OTHER, CFT, PARENT,
     "I'd like to complain about a teacher at my daughter's secondary school who made a comment about her weight "
     "in front of the whole class.",
     None),
    (OTHER, EH, PARENT,
     "The children's centre near us has shut and the nearest one is two buses away. There's nowhere now for me "
     "to take my toddler to meet other mums.",
     None),
    (OTHER, BS, PRO,
     "I work on reception at a GP surgery and I keep getting calls from parents who found our number on your "
     "website under 'children's social care complaints'. Please correct the number.",
     None),
    (OTHER, EH, PARENT,
     "The parenting group at the family centre starts at 9.15, so I can't do the school run and go. I asked if "
     "there is an evening group and was told no. It isn't much use to parents who work.",
     None),
    (OTHER, HOMES, YOUNG,
     "the wifi at the home has been broke for 3 weeks and i cant do my homework or talk to my friends. staff said "
     "its head offices problem",
     "fix the wifi"),
    (OTHER, CFT, PARENT,
     "My complaint is about the police officer who came to our house after my son went missing. He was rude to "
     "my son and to me. I was told to send it here.",
     None),
    (OTHER, BS, PARENT,
     "The lift at the civic centre has been broken for weeks, so you can't get up to the meeting rooms with a "
     "pushchair or a wheelchair. I had to have my meeting in the corridor.",
     None),
    (OTHER, EH, PARENT,
     "I'd like to say something about the holiday activities scheme. All the places went within an hour of "
     "booking opening online, and families without the internet had no chance.",
     None),
    (OTHER, CFT, FAMILY,
     "I'm not sure this is the right place. My grandson's dad won't let me see him any more and I'd like to know "
     "my rights as a grandparent.",
     None),
    (OTHER, HOMES, PARENT,
     "I'm worried about the state of the children's home where my daughter lives. There's black mould in the "
     "bathroom and the curtains in her room are hanging off. She says it has been like that since she moved in.",
     "Repairs done."),
    (OTHER, EH, YOUNG,
     "the youth worker from the hub stopped coming to our after school club and nobody said why. it was the only "
     "thing i actually liked",
     None),
    (OTHER, CFT, PARENT,
     "I want to raise a concern about a private nursery my son goes to. The staff numbers look very low and "
     "nobody seems to be watching the children in the garden. I don't know whether the council or Ofsted is the "
     "right place for this.",
     None),
    (OTHER, BS, PARENT,
     "Compliment and a moan: the woman on reception was lovely, but the waiting area has no baby changing and I "
     "had to change my son on the floor.",
     None),
    (OTHER, HOMES, YOUNG,
     "the food at the home is the same every week and theres never anything halal. ive asked loads of times",
     None),
    (OTHER, EH, PRO,
     "I run a community food project. Several families sent to us by the family hub were told we give out weekly "
     "food parcels, which we have never done. Please can your staff check what we offer before they refer.",
     None),
    (OTHER, CFT, PARENT,
     "The lollipop man outside my son's primary school hasn't been there for weeks and the crossing is "
     "dangerous. Who do I complain to?",
     None),
]

OUTCOMES = ["upheld", "partially_upheld", "not_upheld", "unable_to_determine"]
CORPORATE = {TRANS, FIN, BS, SENDT, CFT}  # as make_records.py: the rest are statutory


def records(seed: int = SEED):
    """Each story as a closed interchange record: about one in three an initial contact
    resolved at first contact, the rest a complaint closed at Stage 1."""
    rng = random.Random(seed)
    for n, (theme, team, role, summary, want) in enumerate(STORIES, 1):
        received = START + timedelta(days=rng.randrange(0, 600))
        line = {
            "type": "feedback", "reference": f"CF-{received.year}-{9000 + n:05d}",
            "received_on": received.isoformat(),
            "channel": rng.choice(["web", "web", "web", "email", "email", "phone", "letter"]),
            "submitter": {"role": role, "name": f"Held-out writer {n}", "email": f"heldout{n}@example.org"},
            "team": team, "theme": theme, "summary": summary,
        }
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
            responded = started + timedelta(days=rng.randrange(9, 20))
            line["complaint"] = {
                "procedure": "corporate" if team in CORPORATE else "statutory",
                "stages": [{"stage": 1, "started_on": started.isoformat(), "team": team, "theme": theme,
                            "responded_on": responded.isoformat(),
                            "elements": [{"number": 1, "summary": "What the person raised", "theme": theme,
                                          "outcome": rng.choice(OUTCOMES)}]}],
            }
        yield line


def main(folder: Path = DATA) -> None:
    """test.jsonl in ``folder``, in order of reference."""
    folder.mkdir(exist_ok=True)
    with open(folder / "test.jsonl", "w", encoding="utf-8") as out:
        for line in sorted(records(), key=lambda line: line["reference"]):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
