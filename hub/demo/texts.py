"""What demo citizens write and what the hub and its advisers answer, per service and channel.

Short, plain messages of the kind a contact centre really receives, so that the adviser
queue, case pages and reports read like a working partnership on first run.
"""
from __future__ import annotations

import random

STREETS = ("Church Street", "High Street", "Station Road", "Victoria Road", "Mill Lane", "Orchard Close",
           "Severn Way", "Malvern Road", "Bath Road", "Ombersley Road", "Laburnum Walk", "Chestnut Drive",
           "St John's Avenue", "Green Lane", "Priory Road", "Canal Side", "Hawthorn Way", "Elm Grove")
LANDMARKS = ("the bus stop", "the primary school", "the Co-op", "the post box", "the park gates",
             "the zebra crossing", "the village hall", "number 14", "the railway bridge", "the doctor's surgery")
BINS = ("general waste", "recycling", "garden waste")
# Outward code -> the town a citizen would name (illustrative).
TOWNS = {"WR1": "Worcester", "WR2": "Worcester", "WR3": "Worcester", "WR4": "Worcester", "WR5": "Worcester",
         "WR6": "Martley", "WR8": "Upton-upon-Severn", "WR9": "Droitwich", "WR10": "Pershore",
         "WR11": "Evesham", "WR13": "Colwall", "WR14": "Malvern", "WR15": "Tenbury Wells",
         "DY10": "Kidderminster", "DY11": "Kidderminster", "DY13": "Stourport-on-Severn",
         "B60": "Bromsgrove", "B61": "Bromsgrove", "B97": "Redditch", "B98": "Redditch",
         "HR1": "Hereford", "HR8": "Ledbury"}

# {street}, {place}, {bin}, {postcode} are filled in per contact.
INBOUND: dict[str, tuple[str, ...]] = {
    "waste.bin_day": ("When is my bin collected? {postcode}", "What day is recycling collected on {street}?",
                      "Is it green bin week this week? {postcode}", "Which bin goes out this week at {postcode}?"),
    "waste.missed_bin": ("My {bin} bin wasn't emptied today, {number} {street} {postcode}",
                         "The crew skipped our road again, {bin} bin still full. {number} {street}",
                         "{bin} collection missed at {number} {street}, {postcode}. It was out by 7am."),
    "waste.bulky": ("I need an old sofa collected from {number} {street}", "How do I get rid of a fridge? {postcode}",
                    "Can you collect a mattress and a wardrobe from {number} {street}?"),
    "waste.new_bin": ("My {bin} bin has been stolen, {number} {street} {postcode}",
                      "The lid of my {bin} bin is broken, can I have a new one? {postcode}",
                      "We've just moved in to {number} {street} and there are no bins"),
    "waste.recycling_centre": ("What time does the tip open on Sunday?", "Can I take paint to the recycling centre?",
                               "Is the household recycling centre open on bank holidays?"),
    "council_tax.payment": ("How do I pay my council tax?", "I want to set up a direct debit for council tax",
                            "Can I pay my council tax at the post office?"),
    "council_tax.account": ("I've moved house, please stop my council tax at {number} {street}",
                            "I live alone now, can I get the single person discount? {postcode}",
                            "Why has my council tax bill gone up this year? {postcode}"),
    "benefits.housing": ("I need help paying my rent, I've lost my job. {postcode}",
                         "How do I claim council tax reduction? {postcode}",
                         "My housing benefit has stopped and I don't know why. {postcode}"),
    "housing.homeless": ("My landlord has given me notice and I have nowhere to go. {postcode}",
                         "I'm being evicted at the end of the month with two children. {postcode}",
                         "I have nowhere to sleep tonight. {postcode}"),
    "planning.application": ("Do I need planning permission for a single storey extension? {postcode}",
                             "I want to object to my neighbour's planning application at {street}",
                             "How long does a planning decision take? {postcode}"),
    "environment.noise": ("My neighbour plays loud music every night until 2am. {postcode}",
                          "The dog next door barks all day while they are at work. {postcode}",
                          "Noisy parties every weekend at {street}, {postcode}"),
    "environment.fly_tipping": ("Rubbish dumped in the lane behind {street}, near {landmark}",
                                "Someone has tipped mattresses by the field gate on {street}",
                                "Bags of builders' waste dumped on {street} near {landmark}"),
    "roads.pothole": ("Huge pothole on {street} near {landmark}", "Road surface broken up outside {landmark} on {street}",
                      "Deep pothole on {street}, {place}, cars swerving round it"),
    "roads.street_light": ("Street light out on {street} near {landmark}", "Lamp post flickering all night on {street}",
                           "Two street lights not working on {street}, {place}, very dark"),
    "social_care.adult": ("My mum needs help at home since her fall. {postcode}",
                          "Can my father have a care assessment? He is 84 and struggling. {postcode}",
                          "I care for my husband and need some respite. {postcode}"),
    "social_care.safeguarding": ("I'm worried about the children next door, they are left alone a lot. {postcode}",
                                 "An elderly neighbour seems frightened of her carer. {postcode}"),
    "schools.admissions": ("How do I apply for a primary school place?", "When is the deadline for secondary school applications?",
                           "We are moving to {place}, how do I get a school place?"),
    "libraries.renewal": ("Can I renew my library books?", "My library card has expired, what do I do?",
                          "How many times can I renew a book?"),
    "registration.birth_death": ("How do I register a death?", "I need to book an appointment to register my baby",
                                 "What documents do I need to register a death?"),
    "transport.blue_badge": ("How do I apply for a blue badge?", "My blue badge expires next month, how do I renew?",
                             "Can I get a blue badge for my son?"),
    "general.enquiry": ("I have a question about something on my street", "Who do I speak to about a tree on council land?",
                        "I sent a letter last month and nobody replied"),
    "general.complaint": ("I want to make a complaint about how I was treated on the phone",
                          "I am unhappy with how my report was handled and want to complain"),
}

# Phrases that make a street report urgent (they contain the service's urgent terms).
URGENT_INBOUND = {
    "environment.fly_tipping": "Fly-tipping on {street} near {landmark} and it looks like asbestos sheets",
    "roads.pothole": "Pothole on {street} has collapsed, a cyclist fell off there this morning",
    "roads.street_light": "Street light on {street} is sparking and has exposed wires at the base",
}
REPEAT_INBOUND = ("I reported this a few days ago and nothing has happened. {text}",
                  "Chasing my earlier message: {text}", "Still waiting to hear back about this. {text}")
SUBJECTS = {"waste": "Bins", "council_tax": "Council tax", "benefits": "Benefits", "housing": "Housing",
            "planning": "Planning", "environment": "Report", "roads": "Road problem", "social_care": "Help needed",
            "schools": "School places", "libraries": "Library", "registration": "Registration",
            "transport": "Blue badge", "general": "Enquiry"}
ADVISER_REPLIES: dict[str, str] = {
    "waste": "I've logged this with the waste team and the crew will deal with it within five working days.",
    "council_tax": "I've updated your council tax account; a revised bill will follow in the post.",
    "benefits": "I've started your claim and sent you a link to upload your evidence.",
    "housing": "A housing options officer will call you today to talk through your situation.",
    "planning": "A planning officer has looked at this and sent you the guidance that applies.",
    "environment": "An officer will visit this week and has opened an investigation.",
    "roads": "This has been inspected and a repair has been ordered.",
    "social_care": "A social worker will call you to arrange an assessment.",
    "general": "I've looked into this and passed it to the right team, who will be in touch.",
}
ASSISTED_PREFIX = {"phone": "Phone call: caller said: ", "face_to_face": "Visit to the customer service centre: "}


def fill(template: str, rng: random.Random, postcode: str | None) -> tuple[str, str]:
    """The template with its blanks filled; also the location text a street report records."""
    street = rng.choice(STREETS)
    place = TOWNS.get((postcode or "WR1").split(" ")[0], "Worcester")
    values = {"street": street, "place": place, "bin": rng.choice(BINS), "postcode": postcode or "",
              "number": str(rng.randint(1, 120)), "landmark": rng.choice(LANDMARKS)}
    text = template.format(**values).replace("  ", " ").strip().rstrip(",")
    return text[0].upper() + text[1:], f"{street}, {place}"


def inbound(service: str, channel: str, rng: random.Random, postcode: str | None, *,
            urgent: bool = False, repeat: bool = False, name: str | None = None) -> tuple[str, str | None, str]:
    """(body, subject, location text) of what the citizen sent, in the way the channel shapes it."""
    template = URGENT_INBOUND[service] if urgent else rng.choice(INBOUND[service])
    text, location = fill(template, rng, postcode)
    if repeat:
        text = rng.choice(REPEAT_INBOUND).format(text=text)
    subject = None
    if channel == "sms":
        text = text.lower() if rng.random() < 0.4 else text
    elif channel == "email":
        subject = SUBJECTS[service.split(".")[0]]
        text = f"Hello,\n\n{text}\n\nThanks,\n{name or 'A resident'}"
    elif channel == "api":
        text = f"Reported through the street reporting app: {text}"
    elif channel in ASSISTED_PREFIX:
        text = ASSISTED_PREFIX[channel] + text
    return text, subject, location


def adviser_reply(service: str, first_name: str | None) -> str:
    greeting = f"Dear {first_name}, " if first_name else "Hello, "
    return greeting + ADVISER_REPLIES.get(service.split(".")[0], ADVISER_REPLIES["general"])
