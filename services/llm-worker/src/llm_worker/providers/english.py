"""English clauses for the offline provider: whether a clause asks for an action, and the clause as an item.

A clause asks for an action when it states an obligation or a prohibition ("must", "is required to", "is
prohibited"), opens with an imperative (a verb in its base form, after any "If ...," or "Before ...," lead),
or gives a named role's routine duty in the present tense ("The kitchen manager checks the sheets weekly").
"May", "can" and "not required" ask for nothing.
"""

import re

_OBLIGATION = re.compile(
    r"\b(?:must|should|shall|ha(?:ve|s) to|needs? to|(?:is|are) (?:required|expected|obliged|asked) to|(?:is|are) to be"
    r"|(?:is|are) (?:required|mandatory|prohibited|forbidden|not (?:permitted|allowed))"
    r"|it is (?:essential|important|vital|necessary|critical|mandatory) (?:to|that)|may not"
    r"|(?:requires?|needs?) (?:[\w-]+ ){0,2}(?:approval|permit|permission|sign-off))\b"
)
_NOT_REQUIRED = re.compile(
    r"\b(?:(?:is|are) not (?:required|necessary|mandatory)|no need to|(?:do|does) not (?:need|have) to"
    r"|don't (?:need|have) to)\b"
)
_PROHIBITION_HEAD = re.compile(r"(?:please\s+)?(?:do not|don't|never|always|avoid)\b")
_LEAD = re.compile(
    r"(?:if|when|whenever|before|after|while|during|once|until|unless|in case of|in the event of|on|upon|for|at|in"
    r"|out of hours|outside|where|as soon as|each time|every time|between)\b[^,;:]{0,120},\s+"
)
_AUXILIARIES_WORDS = "is are was were be been has have had can may will would does do did could might"
_AUXILIARIES = frozenset(_AUXILIARIES_WORDS.split())
# Keeping the document itself up to date is not a reader's action ("The team reviews this standard yearly").
_UPKEEP = re.compile(
    r"\b(?:review|update|revise|approve|own|maintain)s? (?:this|the) (?:standard|policy|guideline|procedure"
    r"|document|guide|manual|guidance)\b"
)
_VERBS_WORDS = (
    "accept access add adjust agree alert allow answer apply approve arrange ask assess assign attach attend audit "
    "avoid back bag bleed block book bring brush call cancel carry change charge check choose clean clear close "
    "collect complete confirm connect consult contact contain continue cool cover create cut date decline deduct "
    "delete deny describe destroy discard disconnect discuss disinfect display dispose divide document download drain "
    "dress drink dry eat empty enable encourage encrypt enrol enroll ensure enter erect escalate escort evacuate "
    "examine explain fill find finish fit fix flush follow forward get give go hand hang hold identify inform insert "
    "inspect install isolate keep label leave let lift limit list listen load lock log look make mark measure meet "
    "mix monitor move name neutralise neutralize notify obtain open order pack park pay perform phone pick place plan "
    "plug post prepare prescribe present press prevent print protect provide pull push put raise reach read recheck "
    "record reduce refer refresh register reheat reject release remind remove renew repair repeat replace report "
    "request reset respond restart restock restore return review rinse rotate rub run save say scan schedule screen "
    "secure seek select send separate serve set share shut sign speak stand start stay stir stop store submit "
    "supervise switch take talk teach tell test throw tidy track train transfer travel treat try turn unplug update "
    "upload use verify visit wait walk warn wash watch wear weigh wipe withdraw work wrap write reconcile calibrate "
    "classify coordinate decide handle investigate manage operate oversee process reply supply"
)
_VERBS = frozenset(_VERBS_WORDS.split())
_PRESENT_FORMS = sorted(
    {
        form
        for verb in _VERBS
        for form in (verb, verb + "s", verb + "es", verb[:-1] + "ies" if verb.endswith("y") else verb)
    },
    key=len,
    reverse=True,
)
_ROLE = re.compile(
    r"(?:the |each |every |all |our |your )?(?:[\w-]+ ){0,4}?(?:manager|team|staff|nurse|employee|officer|lead"
    r"|chef|holder|person|worker|supervisor|specialist|owner|department|committee|desk|director|head|prescriber"
    r"|clinician|operator|driver|member|administrator|contractor|visitor|caller|physician|doctor|ciso|dpo|soc|hr)s?"
    rf" (?:{'|'.join(_PRESENT_FORMS)})\b"
)
_WORD = re.compile(r"[a-z][a-z'\u2019-]*")
_VERBS_OF = frozenset({"dispose", "beware"})  # verbs that take "of" and are never nouns: "Dispose of sharps ..."


def _opens_with_verb(text: str) -> bool:
    """Whether a clause opens with an imperative verb not followed by an auxiliary ("Hand hygiene is ..." is not)."""
    words = _WORD.findall(text[:80].lower())
    if not words or (words[0] not in _VERBS and words[0] not in _VERBS_OF):
        return False
    noun_of = words[1:2] == ["of"] and words[0] not in _VERBS_OF  # "Review of the policy ..." is no instruction
    return not _AUXILIARIES.intersection(words[1:3]) and not noun_of


_ADVERB = re.compile(r"(?:first|then|also|immediately|always|now|next|finally|promptly|please)\s+")


def _heads(text: str) -> list[str]:
    """The clause, and the clause without each of its leading "If ...," / "Before ...," parts in turn."""
    heads = [text]
    while (lead := _LEAD.match(heads[-1])) and len(heads) < 3:
        heads.append(heads[-1][lead.end() :])
    return [_ADVERB.sub("", head, count=1) if _ADVERB.match(head) else head for head in heads]


def is_imperative(clause: str) -> bool:
    """Whether a clause opens with an instruction ("Do not ...", "Wear ...", "If ..., call ...")."""
    return any(_PROHIBITION_HEAD.match(h) or _opens_with_verb(h) for h in _heads(clause.lower()))


def _role_duty(lowered: str) -> bool:
    """Whether a clause gives a named role's duty in the present tense ("Managers review ...", "The chef records")."""
    return bool(_ROLE.match(lowered))


def is_obligation(clause: str) -> bool:
    """Whether a clause states an obligation or a prohibition ("must", "is required", "is prohibited")."""
    lowered = clause.lower()
    return not _NOT_REQUIRED.search(lowered) and bool(_OBLIGATION.search(lowered))


def is_action(clause: str) -> bool:
    """Whether an English clause asks someone to do or not to do something."""
    lowered = clause.lower()
    if _NOT_REQUIRED.search(lowered) or _UPKEEP.search(lowered):
        return False
    if _OBLIGATION.search(lowered):
        return True
    return is_imperative(clause) or _role_duty(lowered)
