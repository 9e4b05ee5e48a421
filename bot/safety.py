"""Noticing when a private check-in note speaks of self-harm, harm at home or danger, to offer help gently.

Pure functions only: a match is never stored, logged or shared; the caller just puts a kind
pointer to /resources first in the reply only the author sees.

How a note is read, in order:

1. ``normalise`` folds it to plain lower-case words: compatibility forms and accents folded,
   invisible characters dropped, apostrophes removed ("don't" → "dont"), digits and symbols
   used as letters read as letters ("k1ll" → "kill"), every other symbol a space, and runs of
   one letter squeezed to one ("sooo" → "so", "kill" → "kil"), so stretched or doubled
   spellings meet the same rule.
2. Words one slip away from a few long key words ("suicde", "mysefl") are read as the key word.
3. Everyday figures of speech ("not safe for work", "this deadline is killing me") are blanked.
4. The rules below, regular expressions over whole words, are tried category by category.

Rules are written in plain spelling; ``_rule`` squeezes their letters the same way as the note.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Concern(StrEnum):
    """What a note seems to speak of. All three bring the same gentle pointer."""

    SELF_HARM = "self_harm"
    HARM_AT_HOME = "harm_at_home"
    DANGER_NOW = "danger_now"


# Invisible characters someone (or a keyboard) may put inside words: zero-width space,
# non-joiner, joiner, word joiner, byte-order mark, soft hyphen, Mongolian vowel separator.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
APOSTROPHES = re.compile("['\u2019\u2018`\u00b4]")
# Digits and symbols standing in for letters, only inside a word that has a letter ("h3 h1t m3").
LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
MIXED_WORD = re.compile(r"[\w@$]*[^\W\d_][\w@$]*")
SEPARATORS = re.compile(r"[\W_]+")
REPEATS = re.compile(r"([a-z])\1+")


def _fold(word: re.Match[str]) -> str:
    text = word.group(0)
    return text.translate(LOOKALIKES) if any(c.isalpha() for c in text) else text


def normalise(text: str) -> str:
    """Return ``text`` as squeezed lower-case words separated by single spaces (see the module notes)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    visible = APOSTROPHES.sub("", INVISIBLE.sub("", plain)).casefold()
    letters = MIXED_WORD.sub(_fold, visible)
    words = SEPARATORS.sub(" ", letters).strip()
    return REPEATS.sub(r"\1", words)


def normalise_words(text: str) -> str:
    """Return ``text`` as lower-case words separated by single spaces, invisible characters removed.

    Kept for text that is compared as written (no squeezing or look-alike letters).
    """
    visible = INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return SEPARATORS.sub(" ", visible.casefold()).strip()


# --- the rules -------------------------------------------------------------------------------------
# Shared pieces, in plain spelling. ``_`` is up to two other words in between.
_ = r"(?:\w+ ){0,2}"
I_AM = r"(?:i|im|i am|i m|iam|ive been|i have been|i keep|i kept|been)"
ME = r"(?:my ?self|meself|mysef)"
FAMILY = (
    r"(?:partner|boyfriend|bf|girlfriend|gf|husband|hubby|wife|ex|fiance|fiancee|spouse|mum|mom|mam|mother|"
    r"dad|father|stepdad|stepfather|stepmum|stepmom|stepmother|brother|sister|uncle|aunt|auntie|parents?|"
    r"grandad|grandpa|grandfather|grandma|cousin|son|daughter|family|in laws?|roommate|flatmate|fella|man)"
)
WHO = rf"(?:he|she|they|hes|shes|theyre|(?:my )?{FAMILY}|my {FAMILY}s|his {FAMILY}|her {FAMILY})"
VICTIM = (
    r"(?:me|us|(?:my )?(?:mum|mom|mam|mother|sister|brother|kids?|children|baby|little \w+|siblings?)"
    r"|my dog|the kids)"
)
STRONG_HARM = (
    r"(?:choked|chokes|choking|strangled|strangles|strangling|punched|punches|punching|slapped|slaps|slapping|"
    r"beat|beats|beating|beaten|kicked|kicks|kicking|raped|rapes|raping|molested|molests|assaulted|"
    r"assaults|abused|abuses|abusing|smacked|smacks|battered|headbutted|throttled)"
)
WEAK_HARM = (
    r"(?:hit|hits|hitting|hurt|hurts|hurting|shoved|shoves|locked|touched|touches|threatened|threatens|"
    r"threatening|scratched|bit|bites|burned|burnt|spat on|spits on)"
)
HURT_SELF = (
    r"(?:kil|kiling|killed|ofing|end|ending|hurt|hurting|harm|harming|cut|cuting|burn|burning|hang|"
    r"hanging|drown|drowning|shoot|poison|poisoning|starve|starving|punish|unalive|unaliving|stab|stabbing|"
    r"delete|injure|injuring|overdose|scratch|scratched|scratching|bleed|hit|hiting|choke|suffocate|burned|burnt|cuts)"
)


def _rule(source: str) -> re.Pattern[str]:
    """Compile a rule written in plain spelling, squeezing its letter runs as ``normalise`` does."""
    squeezed = re.sub(r"(?<!\\)([a-z])\1+", r"\1", source)
    return re.compile(rf"(?<![a-z0-9])(?:{squeezed})(?![a-z0-9])")


RULES: dict[Concern, tuple[re.Pattern[str], ...]] = {
    Concern.SELF_HARM: tuple(
        _rule(source)
        for source in (
            rf"{HURT_SELF} {ME}",
            rf"(?:to|gona|wana|just|gonna|wanna) of {ME}",
            r"kms",
            r"kys",
            r"kmsl",
            r"unaliv\w*",
            r"un aliv\w*",
            r"self ?(?:harm|harming|harmed|injury|injuring|delete|deleting)",
            r"suicid\w*",
            r"sewer ?slide",
            r"s u i c i d e",
            r"commit(?:ing)? (?:die|not alive)",
            r"ctb",
            rf"(?:want|wanna|wana|need|ready|wish|trying|tempted|plan|planning|deserve|just wanna|i"
            rf" wana) (?:to |2 |ta )?{_}(?:die|dye|be dead|not exist|stop existing|not be alive|not"
            rf" wake up|disappear forever)",
            r"wish (?:i|id|that i) (?:was|were) dead",
            r"wish (?:i|id) (?:wasnt|werent|wasn t) (?:alive|here|around|born)",
            r"wish (?:id|i had|i) never (?:been born|existed|woke up)",
            r"wish i (?:could|would) (?:just )?(?:die|disappear|not wake up|never wake up|stop existing)",
            r"hope i (?:dont|never|do not) wake up",
            r"hope i (?:just )?die",
            r"(?:dont|do not|didnt|never) (?:really |even )?(?:want|wana|wanna) (?:to |2 )?(?:be alive"
            r"|live|exist|be here anymore|be here any more|wake up|be around|keep living|go on living)",
            r"(?:end|ending|ended|take|taking|took) (?:it all|my (?:own )?life(?! savings| back| into|"
            r" in my| by storm)|everything for good)",
            r"(?:better|beter) of (?:dead|without me|if i (?:was|were|wasnt|werent) (?:here|around"
            r"|alive|dead|gone)|with me gone|if i died|if i wasnt)",
            r"(?:no one|nobody|noone|no body) (?:\w+ ){0,2}(?:miss me|notice if i (?:died|was gone"
            r"|disappeared)|care if i (?:died|was gone|disappeared))",
            r"(?:everyone|everybody|world|they|family|you) (?:would|will|wil|\w+)? ?(?:be )?(?:better"
            r"|happier|beter) (?:of )?without me",
            r"(?:no|nothing|zero) (?:reason|point|reasons) (?:to|in|for) (?:live|living|go on|going on"
            r"|stay alive|being alive|keep going|keep living|wake up)",
            r"nothing (?:left )?to live for",
            r"(?:tired|sick|done|exhausted) (?:of|with) (?:living(?! (?:out of|in|with|at|on|near|like"
            r"|abroad|here|there))|life(?! admin)|being alive|existing|being here)",
            r"(?:cant|cannot|can not) (?:go on|keep going|keep living|do life) (?:anymore|any more|like"
            r" this|living)",
            r"(?:cant|cannot) live like this",
            r"(?:took|take|swallowed|taken|downed|popped|taking|swalowing) (?:way )?(?:(?:to much|to"
            r" many|a whole|the whole|a bunch of|a handful of|handfuls of|a bottle of|bottle of|a box"
            r" of|box of|a pack of|pack of|a packet of|packet of|everything in|a lot of|heaps of|loads"
            r" of|extra) ){1,2}(?:my |the |of my |of the |these |of )?(?:pils|pil|tablets|meds"
            r"|medication|painkillers|paracetamol|tylenol|ibuprofen|sleeping pils|antidepresants"
            r"|insulin)",
            r"overdos\w*",
            r"overdoz\w*",
            r"od on",
            r"oding",
            r"oded",
            r"(?:jump|jumping|throw myself) (?:of|from|in front of|under) (?:a |the |my )?(?:bridge"
            r"|roof|building|train|car|bus|cliff|balcony|window|tracks)",
            r"(?:hang|hanging|hanged) (?:myself|me)",
            r"noose",
            r"(?:write|wrote|writing|left) (?:a |my )?(?:suicide |goodbye )?note(?:s)? (?:for|to) (?:my"
            r"|everyone)",
            r"goodbye (?:letter|note)s?",
            r"(?:started|starting|been|im|i) cuting again",
            r"i cut again",
            r"(?:cut|cuting|burning|burned) (?:my )?(?:wrists?|arms?|thighs?|legs?|skin)",
            r"relapsed? (?:on|into|with) (?:self harm|cuting|sh)",
            r"(?:sh|self harm) relapse",
            r"(?:make|made|making) myself (?:bleed|bled|hurt|sick on purpose)",
            r"razor blades? (?:to|on) (?:my|me)",
            r"(?:thinking|thought|thoughts|dreaming|fantasi\w*) (?:about|of) (?:dying|death|ending it"
            r"|not being here|not waking up|disappearing for good|not existing)",
            r"dont want to be here anymore",
            r"dont want to be here any more",
            r"want it all to end",
            r"want (?:it|everything) to (?:be over|stop) for good",
            r"want to sleep forever",
            r"(?:go to sleep|fal asleep) and never wake up",
            r"never wake up again",
            r"not (?:be )?(?:here|around) (?:much|for much) longer",
            r"wont be (?:here|around) (?:much|for) (?:longer|long)",
        )
    ),
    Concern.HARM_AT_HOME: tuple(
        _rule(source)
        for source in (
            rf"{WHO} (?:\w+ )?{STRONG_HARM} {VICTIM}",
            rf"{WHO} (?:\w+ )?{WEAK_HARM} {VICTIM}",
            r"(?:choked|strangled|punched|slapped|raped|molested|assaulted|abused|smacked|battered"
            r"|throttled) me",
            r"(?:beat|beats|kicked|kicks) me (?:again|last night|today|yesterday|every|when|until|so"
            r"|til|and|up|black|in the|on the|in front|at home)",
            r"(?:got|get|gets|getting|was|were|been|being|am|im|keep getting) (?:\w+ )?(?:beaten|beat"
            r" up|punched|slapped|choked|strangled|raped|molested|abused|assaulted|smacked|battered)",
            r"(?:got|get|gets|getting|was|were|been|being|am|im|keep getting) (?:\w+ )?(?:hit|hurt"
            r"|kicked|shoved|pushed around|thrown) (?:again )?(?:by (?:my|him|her|them|he|she)|at home)",
            rf"{WHO} (?:\w+ )?(?:is|was|gets|got|has been|have been|been|can be|becomes|became|are|were"
            rf"|s) (?:\w+ )?(?:abusive|violent(?! in (?:\w+ )?(?:games?|films?|movies?|sports?|rugby"
            rf"|football))|rough with me|physical with me)",
            r"abusive (?:relationship|partner|boyfriend|girlfriend|husband|wife|home|household|parents?"
            r"|dad|father|mum|mom|mother|family|ex|marriage|stepdad)",
            r"domestic (?:violence|abuse|violance)",
            r"(?:being|been|getting|im|am|was|were) abused",
            rf"(?:afraid|scared|terified|terrified|frightened|fear|fearful) (?:of|to be around|to be"
            rf" alone with|of being alone with) (?:{WHO}|him|her|them)",
            r"(?:afraid|scared|terified|terrified|frightened) (?:to|of) (?:go|going|come|coming)"
            r" (?:back )?home",
            r"(?:threatened|threatens|threatening|threaten) (?:me |us )?(?:to )?(?:kil|hurt|beat|hit"
            r"|take the kids|stab|shoot|burn|strangle)",
            r"(?:said|says|saying|swore|told me|promised) (?:(?:he|she|they)(?:d| would| will| wil| is"
            r" going to| was going to| gonna)?|hel|shel|theyl) (?:kil|hurt|beat|hit|stab|shoot) (?:me"
            r"|us)(?! if)",
            r"(?:tried|trying|tries|try) (?:to )?(?:kil|strangle|choke|drown|stab|suffocate|smother)"
            r" (?:me|us)",
            rf"{WHO} (?:\w+ )?(?:wont|will not|doesnt|does not|dont|never) let (?:me|us) (?:leave|have"
            rf" my own money|talk to anyone|see anyone)",
            r"(?:grabbed|grabs|held|holds|pinned|put (?:his|her) hands? (?:around|on)) (?:me |my"
            r" )?(?:by )?(?:the |my )?(?:throat|neck|hair)",
            r"pinned me (?:down|to|against)",
            r"(?:pushed|shoved|threw) me (?:down|against|onto|across|to the (?:floor|ground)|into"
            r" (?:the |a )?(?:wall|door|table))",
            r"grabbed me (?:so )?hard",
            r"(?:left|leaves|gave me|give me|giving me|covered in) (?:\w+ )?(?:bruises|a black eye"
            r"|marks on my)",
            rf"{WHO} (?:\w+ )?broke my (?:arm|nose|wrist|ribs?|jaw|finger)",
            r"(?:threw|throws|throwing) (?:\w+ ){0,2}at (?:me|my head|us)",
            r"(?:unsafe|not safe|dont feel safe) (?:at home|with (?:him|her|them|my)|around (?:him|her"
            r"|them|my)|in my (?:own )?(?:home|house))",
            r"(?:controls|checks|tracks|takes) (?:al )?(?:my|our) (?:money|cards|bank|location|passport)",
        )
    ),
    Concern.DANGER_NOW: tuple(
        _rule(source)
        for source in (
            rf"{I_AM} (?:\w+ )?(?:not|never|no longer|dont feel|do not feel|cant feel) ?(?:feel "
            rf"|feeling )?safe(?! for)",
            r"(?:feel|feeling|felt|am|im|i am) (?:really |so |very |not )?unsafe",
            r"not safe (?:here|right now|at all|anymore|tonight)",
            r"(?:im|i am|we are|were|am|me) (?:\w+ )?in danger(?! of)",
            r"danger (?:right now|tonight)",
            r"(?:my|our) life is in danger",
            r"fear (?:for|of) my life",
            r"(?:scared|afraid|terified|terrified) for my (?:life|safety)",
            r"(?:he|she|they|someone|somebody|hes|shes|theyre|my \w+|a man|a guy)(?: is| was| has| had|"
            r" just| got)? (?:\w+ )?(?:holding|waving|pulled|pulling|pointing|pointed|brandishing"
            r"|grabbed|got|has|had) (?:out )?(?:a |the |his |her |their |my )?(?:knife|gun|blade|weapon"
            r"|pistol|rifle|machete)(?! licen[cs]e| safe| cabinet| colection| set| club| range| for)",
            r"(?:knife|gun|blade|weapon|pistol|rifle|machete) (?:at|to|against) (?:me|my|us|our)",
            r"(?:someone|somebody|a man|a guy|a stranger|he|she|they|people)(?: is| has| are|s| s)?"
            r" (?:\w+ )?(?:breaking|broke|trying to break|trying to get|getting) (?:in|into)",
            r"(?:banging|bashing|pounding|kicking) (?:on|at|down) (?:my|the|our) (?:door|window)",
            r"(?:someone|somebody|he|she|they|a man|a guy|a car|hes|shes|theyre|my ex)(?: is| has| has"
            r" been| keeps| was| been)? (?:\w+ )?(?:following me|stalking me|waiting outside|outside my"
            r" (?:house|home|door|flat|apartment|place|window|work|room)|watching (?:me|my (?:house"
            r"|home|flat|apartment|window)))",
            r"(?:being|been|im being|am being) (?:folowed|stalked)",
            r"stalker",
            r"(?:im|i am|i|were|we are|me) (?:\w+ )?(?:hiding|hid) (?:in|under) (?:the |my |a"
            r" )?(?:bathroom|room|bedroom|closet|car|wardrobe|cupboard|toilet|bed)",
            r"(?:hiding|hid) from (?:him|her|them|my)",
            r"locked myself in",
            r"(?:help|save) me (?:please|now|right now|someone|asap)",
            r"please (?:someone )?(?:help|save) me",
            r"(?:someone|somebody) (?:please )?(?:help|save) me",
            r"(?:call|calling|ring|phone) (?:the )?(?:police|cops|911|999|112|000|ambulance)",
            r"need (?:the )?(?:police|an ambulance|help now|help right now)",
            r"(?:going|gonna|about) to (?:kil|hurt) me",
            r"coming (?:back )?(?:to get|for|after) me",
            r"(?:wont|will not) leave (?:me alone|my (?:house|flat|apartment|place|door))",
            r"(?:trapped|stuck|locked) (?:in|inside)(?: \w+){0,2} (?:with (?:him|her|them)|and cant get"
            r" out)",
            r"(?:drugged|spiked) me",
            r"(?:my drink|i think i) (?:was|got|been) (?:spiked|drugged)",
            r"(?:cant|can not|cannot) (?:get away|escape|get out|leave)(?: \w+)? (?:from )?(?:him|her"
            r"|them|the house)",
        )
    ),
}

# Figures of speech blanked before the rules run, so a note about work or a film isn't taken for
# danger. Each is squeezed like the rules; keep them narrow enough that real worry still shows.
FIGURES = tuple(
    _rule(source)
    for source in (
        r"not safe for (?:work|school|kids|the office|public|stream)",
        r"nsfw",
        r"safe for work",
        r"sfw",
        r"(?:career|political|social|comercial|electoral|financial|fashion|tactical) suicide",
        r"suicide (?:squad|doors?|drils?|runs?|sprints?|mission to|king|blonde|season)",
        r"(?:kiling|kil|kils|killed) (?:it|the lights?|the engine|the music|time|the vibe|the mood|the"
        r" process|the app|the power|the game|a bottle of wine|the weeds|the bugs|the spider|the plant"
        r"|my plant|the wifi|the fish|two birds|them with kindness|the batery)",
        r"(?:would|id|could) kil for",
        r"(?:is|are|was|its|thats|this|theyre) (?:\w+ )?kiling me",
        r"kiling me (?:softly|slowly here)",
        r"(?:wil|will) be the death of me",
        r"(?:my|these) (?:\w+ )?(?:are|is) kiling me",
        r"(?:kil|kiled|kiling|hurt|cut|burn|burned|burnt|hit|injure|injured) myself (?:laughing|with"
        r" laughter|at work|working|studying|at the gym|on(?! purpose)|while|shaving|cooking|playing"
        r"|running|lifting|by accident|accidentally|in the kitchen|falling|trying)",
        r"dying (?:to|for|of laughter|laughing|of embarrassment|of cringe|of boredom|of heat|over)",
        r"died (?:laughing|of embarrassment|of laughter|a little inside)",
        r"(?:i|im) (?:literally )?(?:dead|ded|deceased)(?! inside)",
        r"(?:die|died|dying) (?:of|from) (?:embarrassment|shame|happiness|laughter|cringe|boredom|heat"
        r"|cuteness|jealousy)",
        r"hil to die on",
        r"die on (?:this|that) hil",
        r"die hard",
        r"(?:hit|hits) me up",
        r"(?:hit|hits|hitting) (?:me )?(?:right )?(?:in the feels|hard|like a truck)",
        r"it (?:just )?(?:hit|hits) me",
        r"(?:beat|beats|beating) me (?:again |easily )?(?:to it|at|in (?:a|the) (?:race|game|match"
        r"|round|quiz)|fair)",
        r"kicked (?:me )?(?:out of the|of the|off the) (?:group|chat|server|game|team|call)",
        r"choked (?:me )?up",
        r"(?:baby|bump|cat|dog|puppy|kitten|toddler|horse) (?:\w+ )?(?:kicked|kicks|bit|bites|scratched"
        r"|headbutted|hit) me",
        r"(?:cut|cuting) (?:back|down|out|ties|my hair|the cake|corners|costs?|onions|the grass|it"
        r" close|class|in line|loose)",
        r"(?:shoot|shot) (?:me )?(?:a (?:text|message|dm|email|line)|my shot)",
        r"break a leg",
        r"(?:the )?(?:phone|batery|laptop|plant|car|console|game) (?:is |was )?(?:dead|died)",
        r"dead (?:tired|serious|end|line|lines|heat)",
        r"deadline",
        r"(?:danger|dangerously) (?:zone|close|low|good|high)",
        r"danger noodle",
        r"in danger of",
        r"(?:safe|safely) (?:and sound|to say|bet|space|word)",
        r"play it safe",
        r"beter safe than",
        r"(?:want|wanted|going|need|gonna) to (?:die|dye) (?:my|your|her|his|the) (?:hair|shirt|clothes"
        r"|jeans|eggs)",
        r"hair dye",
        r"tie dye",
        r"(?:end|ending|ended) (?:it|things) with (?:him|her|them|my)",
        r"(?:would|will|wil|gonna|going to|is going to|is gonna|d) kil me (?:if|when|for)",
        r"kil me now",
        r"overdos\w* on (?:netflix|tv|youtube|tiktok|sugar|chocolate|cake|candy|sweets|anime|cuteness"
        r"|memes|content|carbs|cheese)",
        r"(?:threatened|threatens|threatening) (?:to )?(?:rain|storm|snow)",
        r"(?:hurt|hurts|hurting) (?:me )?(?:\w+ )?(?:feelings|pride|ego)",
        r"(?:following|follows) me (?:on|back)",
        r"(?:broke|breaking|burst|bursting) into (?:song|tears|laughter|a smile|a grin|applause|a run|a"
        r" sweat|dance)",
        r"(?:help|save) me (?:please )?(?:with|choose|pick|decide|find|understand|out)",
        r"(?:call|called|ring) (?:the )?(?:police|cops) on",
    )
)

# Long key words whose one-letter slips ("suicde", "mysefl", "overdoes") are read as the word.
KEY_WORDS = ("suicide", "suicidal", "myself", "strangled", "unalive")
MIN_SLIP_LENGTH = 6


def _one_slip(word: str, key: str) -> bool:
    """Return whether ``word`` is ``key`` with one letter added, dropped, changed or two swapped."""
    if word == key or abs(len(word) - len(key)) > 1:
        return False
    if len(word) == len(key):
        diffs = [i for i, (a, b) in enumerate(zip(word, key, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        first, second = diffs[0], diffs[-1]
        return (
            len(diffs) == 2
            and second == first + 1
            and word[first] == key[second]
            and word[second] == key[first]
        )
    shorter, longer = (word, key) if len(word) < len(key) else (key, word)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


SQUEEZED_KEYS = tuple(REPEATS.sub(r"\1", key) for key in KEY_WORDS)


def _mend(word: str) -> str:
    if len(word) < MIN_SLIP_LENGTH or not word.isalpha():
        return word
    for key in SQUEEZED_KEYS:
        if len(key) >= MIN_SLIP_LENGTH and _one_slip(word, key):
            return key
    return word


def read_note(text: str) -> str:
    """Return the note as the rules see it: normalised, slips mended, figures of speech blanked."""
    words = " ".join(_mend(word) for word in normalise(text).split(" "))
    for figure in FIGURES:
        words = figure.sub(" | ", words)
    return words


def concern_in(text: str | None) -> Concern | None:
    """Return what the note seems to speak of (self-harm first), or None. Never store or log it."""
    if not text:
        return None
    words = read_note(text)
    for concern, rules in RULES.items():
        if any(rule.search(words) for rule in rules):
            return concern
    return None


def mentions_danger(text: str | None) -> bool:
    """Return whether the note speaks of self-harm, harm at home or danger now."""
    return concern_in(text) is not None
