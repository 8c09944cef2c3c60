"""Is a person at risk? Three independent checks, any one of which is enough.

Missing a person at risk is the worst error the hub can make, so safeguarding is never left
to one list of words: (1) the partnership's configured terms, (2) paraphrase patterns for
self-harm, domestic abuse, a child at risk and a vulnerable adult being harmed or exploited,
and (3) a high-recall binary classifier trained on the safeguarding messages against all the
others, with a deliberately low threshold. False alarms cost an adviser a minute; a miss can
cost a life.
"""
from __future__ import annotations

import re


from hub.partnership.schema import PartnershipDoc
from hub.triage.classify import BinaryModel, model_text
from hub.triage.text import normalise

# The binary classifier flags a message at this probability of being a safeguarding concern.
# Chosen low on purpose by cross-validation on the training set (recall 0.997 there with the
# terms and patterns; every held-out concern caught), see README and docs/decisions/0029.
THRESHOLD = 0.3


def _near(first: str, second: str, gap: int = 8) -> str:
    """Either phrase within `gap` words of the other, in either order."""
    within = rf"(?:\W+\w+){{0,{gap}}}\W+"
    return rf"(?:\b(?:{first})\b{within}\b(?:{second})\b|\b(?:{second})\b{within}\b(?:{first})\b)"


_HARM = (r"hits?|hitting|hit|beats?|beating|beaten|battering|batters|punch\w*|kick\w*|slap\w*|smack\w*|"
         r"chok\w*|strangl\w*|shov\w*|push\w*|pushed|grab\w*|throttl\w*|threaten\w*|stab\w*|burn\w*|"
         r"hurt\w*|attack\w*|assault\w*|touch\w*|rough with|scream\w* at|shouts? at|yell\w* at")
_FAMILY = (r"mother|father|sister|brother|wife|husband|partner|son|daughter|child|children|kids|baby|friend|"
           r"grandmother|grandfather|gran|nan|nana|girlfriend|boyfriend|little \w+")
_VICTIM = rf"me|her|him|them|us|my (?:{_FAMILY})|the (?:kids|children|baby|child)|(?:his|her) (?:{_FAMILY})"
_CHILD = (r"child|children|kid|kids|baby|babies|toddler|little (?:boy|girl|one|ones|lad)|boy|girl|lad|"
          r"teenager|teenage|pupil|infant|newborn|i am 1[0-7]|[0-9]+ year old|aged 1?[0-9]")
_CHILD_RISK = (r"left alone|home alone|unsupervised|on (?:their|his|her) own|alone|hungry|starving|not fed|"
               r"never fed|no food|very thin|dirty|filthy|neglect\w*|bruis\w*|burns|marks on|screaming|"
               r"crying (?:\w+ ){0,4}for hours|left (?:\w+ ){0,5}for hours|"
               r"(?:parents|mum|dad|mother|father) (?:are |is |were |was )?(?:out|down|at) (?:at )?the pub|slap\w*|smack\w*|locked (?:in|out)|locks (?:him|her|me) out|out at all hours|"
               r"out on the street|in the cold|freezing|must not tell|mustnt tell|not allowed to tell|"
               r"scared to go home|older men|cars with|groom\w*|exploit\w*|never at school|not at school|"
               r"passed out|(?:mother|father|parents?) (?:\w+ ){0,3}drunk|drunk (?:mother|father|parents?)")
_VULNERABLE = (r"elderly|frail|vulnerable|disabled|disabilities|disability|dementia|alzheimers|"
               r"memory problems|confused|learning difficult\w*|in (?:his|her|their) [6-9]0s|[6-9][0-9] year old|"
               r"old (?:man|woman|lady|gentleman|person|chap|boy|girl)|older (?:man|woman|lady|person|people)|"
               r"pensioner|care home|grandmother|grandfather|gran|nana|deaf|learning disabilit\w*|"
               r"(?:she is|he is|shes|hes) (?:[6-9][0-9]|1[01][0-9])|aged [6-9][0-9]")
_EXPLOIT = (r"(?:tak\w*|took|steal\w*|stole|stolen|using|spend\w*) (?:his|her|their) (?:money|pension|benefit\w*|"
            r"cards?|bank\w*|savings)|cheques?|bank card|signs? over|taken over|moved into (?:his|her|their) (?:flat|house|home|spare room)|cuckoo\w*|"
            r"shouts? at|shouting at|scream\w* at|rough|hurt\w*|hits?|slap\w*|bruis\w*|locked|locks|"
            r"frightened|scared|afraid|neglect\w*|soiled|not eaten|has not eaten|no food|left alone|"
            r"not been seen|not seen (?:her|him)|have not seen|took (?:her|his) phone|takes (?:her|his) phone|"
            r"strangers? (?:\w+ )?(?:in|using) (?:his|her|their) (?:flat|house|home)|"
            r"(?:using|use|used) (?:it|(?:his|her|their) (?:flat|house|home)) (?:to|2) deal|deal\w* (?:drugs )?from|"
            r"(?:taken|took|takes|take) (?:his|her|their) (?:key|keys)|scam\w*|rogue|doorstep (?:traders?|sellers?|callers?)|"
            r"payments? (?:to|for) (?:a |the )?\w+ (?:company|firm)")

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((label, re.compile(rx)) for label, rx in (
    ("self-harm or suicide",
     r"\b(?:end(?:ing)? (?:it all|it|things|my life|everything)|kill(?:ing)? (?:myself|himself|herself|themselves)|"
     r"(?:hang|hanging|harm|harming|hurt|hurting|cut|cutting|cuts) (?:myself|himself|herself|themselves)|"
     r"take (?:all )?(?:my|the|these|those) (?:pills|tablets)|taking all (?:my|the) (?:pills|tablets)|"
     r"(?:pills|tablets) ready|(?:have|got) (?:all )?(?:my|the) (?:pills|tablets) (?:ready|lined up|in front of me|next to me)|"
     r"(?:want|wanted|wanting|wish) (?:it all|everything|the pain) (?:to |2 )?(?:stop|end|be over)|overdos\w*|"
     r"(?:saving|saved|stockpil\w*|hoard\w*) (?:up )?(?:all )?(?:my |the |some )?(?:pills|tablets|meds|medication|painkillers)|"
     r"stockpil\w* (?:his|her|their|my) (?:\w+ )?(?:pills|tablets|meds|medication|medicine|painkillers|prescribed|prescription)|"
     r"(?:walk|walking|throw myself|throwing myself) into (?:the )?(?:river|severn|sea|canal|lake)|"
     r"(?:go to sleep|fall asleep|sleep) (?:and )?(?:not|never) wake up|"
     r"(?:i am|im|i feel|feel like|feeling like) (?:such )?(?:a |such a )?burden|"
     r"thinking (?:about|of) (?:the )?(?:railway|train) (?:line|lines|tracks)|"
     r"(?:step|stepping|walk|walking|jump|jumping) in front of (?:a |the )?(?:train|lorry|bus)|(?:want|wanna|going|gonna) (?:to )?(?:die|disappear)|"
     r"better off (?:dead|without me|if i (?:was|were) not (?:around|here|alive))|no (?:point|reason) (?:in |to )?(?:living|live|anything|going on)|"
     r"(?:do not|dont|don't) (?:want|wanna) to (?:be here|live|wake up|be alive|exist)|point of living|"
     r"can not go on|not worth living|(?:can not|cannot) do (?:this|it) any ?more(?! (?:with|of|from))|"
     r"wanted (?:someone|somebody|anyone) to (?:know|no)(?! (?:that )?(?:the|my|our|about|how|when|where))|jump\w* (?:off|in front)|suicid\w*|self harm\w*|"
     r"i (?:just )?(?:want to |wish i could |wish i did |could )(?:just )?not exist|i (?:just )?want to stop existing|"
     r"(?:thoughts? (?:of|about)|thinking (?:of|about)|want to|going to|gonna|might|could) (?:just )?"
     r"(?:drive|driving|crash|crashing|steer|steering) my car (?:into|off)|"
     r"(?:drive|driving|drove|crash\w*|steer\w*) my car (?:into|off) (?:\w+ ){0,6}on purpose|"
     r"(?:^|i am |im |i was |am )(?:sat|sitting|stood|standing) on (?:the |a )?"
     r"(?:railway bridge|motorway bridge|(?:edge of (?:the |a )?)?(?:ledge|cliff))|"
     r"(?:can not|cannot) (?:be bothered (?:to |2 )?)?(?:fight|fighting) (?:it|this|on) any ?more|"
     r"(?:sick|tired|had enough) of (?:living|being alive|life)(?! (?:next|near|opposite|beside|by|at|on|under|above|below|"
     r"in (?:this|the|a|my|our) (?:house|flat|street|road|area|town|village|estate|city|close|building)))|"
     r"(?:see|find) (?:the|any) point (?:of|in) (?:carrying on|going on|living)|"
     r"(?:put|got|bought|have|hung|tied) (?:up )?a (?:rope|noose) (?:in|up in|from) (?:the|my) "
     r"(?:garage|loft|attic|shed|tree|wardrobe|banister|stairs)|noose|"
     r"(?:nobody|no one|noone|none of them|my (?:kids|children|family|mother|father|son|daughter|wife|husband|partner)) "
     r"(?:has|have|will have|needs?|should have) to find me|find my body|by the time (?:they|you|anyone|someone) finds? me|"
     r"(?:after|when|once) i (?:am|have) gone\b(?! (?:to|through|on|out|in|back|over|away|past|into|down|up|for|and|shopping|home))|"
     # Putting affairs in order and saying goodbye, the signs most often missed in unseen data.
     r"final arrangements|affairs in order(?! (?:before|as|because) (?:we|i) (?:am |are )?(?:move|moving|emigrat\w*|relocat\w*))|arranged my (?:own )?funeral|paid for (?:my|the) (?:own )?(?:funeral|cremation)|"
     r"before i join (?:him|her|them|my)|no way out|last (?:\w+ ){0,2}i(?:ll| will) ever|"
     r"(?:said|saying) (?:thank you and )?goodbye to (?:the people|everyone|my|all)|"
     r"(?:written|wrote|left|leaving) (?:my |a )?(?:notes?|letters?) (?:for|to) (?:everyone|my family|my (?:kids|children|wife|"
     r"husband|daughter|son|mother|father))|(?:go|going) off the top of|"
     r"(?:putting|put|kept|keeping) (?:my |the )?(?:\w+ )?(?:pills|tablets|meds) (?:aside|by)|(?:there is|theres) a (?:rope|noose)"
     r")\b"),
    ("domestic abuse",
     rf"\b(?!(?:kick\w*|chuck\w*|throw\w*|threw) (?:{_VICTIM}) out\b)(?:{_HARM}) (?:{_VICTIM})\b|\b(?:domestic (?:abuse|violence)|coercive|controls? (?:all )?(?:my|our) money|"
     r"(?:will not|wont|not) let me (?:leave|go out|see|out)|scared (?:to go|of going) home|"
     r"afraid (?:to go|of going) home|(?:he|she|they) (?:broke|fractured|split|cut) my (?:arm|nose|jaw|ribs?|wrist|lip|head)|"
     r"(?:leave|left|flee|fled) (?:home|the house) with the (?:kids|children|baby)|(?:he|she) (?:found out|knows) where (?:i|we|she) (?:live|am|are|was|were|staying)|lock\w* (?:me|her|him|them) (?:in|out of the house)|not safe at home|fleeing|fled|refuge|"
     r"threaten\w* (?:to )?(?:kill|stab|hurt)|(?:he|she)ll (?:kill|hurt) me)\b"),
    ("a child at risk", _near(_CHILD, _CHILD_RISK, 10)),
    ("a vulnerable adult being harmed or exploited", _near(_VULNERABLE, _EXPLOIT, 12)),
    ("abuse or exploitation",
     r"\b(?:self neglect\w*|squalor|abus(?:e|ed|ing|er)|(?<!dog )groom(?:ed|ing)|exploit(?:ed|ing|ation)|sexual(?:ly)?|rape\w*|"
     r"traffick\w*|modern slavery|forced to work|touching me|touches me|molest\w*|neglected|"
     r"(?:i|i am|she is|he is|they are|we are|child is|children are|kids are|someone is) "
     r"(?:at risk|in danger|unsafe|not safe|scared for (?:my|her|his) life))\b"),
))


def configured_terms(doc: PartnershipDoc, norm: str) -> str | None:
    padded = f" {norm} "
    for term in doc.safeguarding.terms:
        if f" {normalise(term)} " in padded:
            return f"it contains the safeguarding term '{term}'"
    return None


def paraphrase(norm: str) -> str | None:
    for label, pattern in PATTERNS:
        if pattern.search(norm):
            return f"its wording suggests {label}"
    return None


# The safeguarding head: a BinaryModel trained on safeguarding flags (kept under this name).
SafeguardingModel = BinaryModel


class SafeguardingDetector:
    """The three checks together; returns the first reason found, or None."""

    def __init__(self, doc: PartnershipDoc, model: SafeguardingModel | None, threshold: float = THRESHOLD):
        self.doc = doc
        self.model = model
        self.threshold = threshold

    def check(self, text: str, channel: str | None = None) -> str | None:
        # The whole message, quoted history included: a disclosure in an earlier email still counts.
        norm = normalise(text)
        reason = configured_terms(self.doc, norm) or paraphrase(norm)
        if reason:
            return reason
        if self.model is not None:
            probability = self.model.probability(model_text(text, channel))
            if probability >= self.threshold:
                return f"the safeguarding classifier rates it {probability:.2f} (flagged from {self.threshold:.2f})"
        return None
