"""The rule registry: every code a Problem can carry, what the rule protects, how to satisfy it.

Codes read like ruff's: one letter for the family, three digits. `ivr validate --explain
CODE` prints an entry. Every code a check or the loader emits is registered here, and
every registered code has a fixture that triggers it (tests/test_lint.py holds both to it).

    F format and loader      G graph and structure    S safety
    T timing and the voice   D discretion             M SMS
    L links                  V vocabulary (keys, keywords, lexicon)
    H hours and hand-offs    O guides offered together on one number (ivr.lint.library)
    W faithful to the written guide
    X translations (the other word families run on each language too)
    C WhatsApp (chat apps)

Numbers 001-099 are the first rules of each family; later rules take 101 and up.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr.errors import ERROR, INFO, WARNING

FAMILIES = {
    "F": "format",
    "G": "structure",
    "S": "safety",
    "T": "timing",
    "D": "discretion",
    "M": "sms",
    "L": "links",
    "V": "vocabulary",
    "H": "hours",
    "O": "opening",
    "X": "translations",
    "W": "fidelity",
    "C": "whatsapp",
}


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    protects: str  # what goes wrong for a caller or texter (or an editor) if it is broken
    satisfy: str  # how to write the script so the rule holds
    severity: str = ERROR

    @property
    def family(self) -> str:
        return FAMILIES[self.code[0]]


_RULES = (
    # -- F: the file and its format (reported by the loader) ---------------------------
    Rule("F001", "A file that is not valid YAML cannot be read at all.",
         "Fix the YAML at the line shown: indentation, quotes around text with ': ', "
         "and quotes around values starting with * or &. Each key appears once."),
    Rule("F002", "A script that cannot be opened cannot be served.",
         "Give the path of an existing file saved as UTF-8 text."),
    Rule("F003", "A field of the wrong kind (a list where a mapping belongs, a number where "
         "words belong) means the script does not say what its writer meant.",
         "Write the field as docs/script-format.md shows: mappings, lists and text where "
         "each is expected."),
    Rule("F004", "A misspelt field would be silently ignored, so what it meant to say "
         "would never be heard or read.",
         "Use only the fields docs/script-format.md lists; the message suggests the "
         "closest one."),
    Rule("F005", "A required field left out leaves a hole in every conversation that "
         "needs it.", "Add the field named in the message."),
    Rule("F006", "Empty words play as silence on a call or an empty text.",
         "Write the words, or leave out a field that is optional."),
    Rule("F007", "YAML reads yes, no, on and off as true/false, so a keyword or text "
         "like NO silently becomes a boolean.", "Put the words in quotes: keyword: \"NO\"."),
    Rule("F008", "A script written for another version of the format may mean something "
         "different to this one.", "Start the file with 'format: 1'."),
    Rule("F009", "Script and node ids travel in web addresses and conversation states.",
         "Use lower-case letters, digits, '-' and '_', starting with a letter or digit."),
    Rule("F010", "Numbers out of range make a call retry forever or hang up at once.",
         "Keep max_retries from 0 to 5 and voice wait_seconds from 2 to 20."),
    Rule("F011", "A placeholder the engine cannot fill in would be read out or sent as "
         "'{name}', or stop the reply being made.",
         "Use only the placeholders the message lists, each written {like_this}; "
         "write a literal brace as {{ or }}."),
    Rule("F012", "Each phrase is used somewhere in every conversation; a missing one "
         "leaves a gap exactly where people need it.",
         "Give every phrase docs/script-format.md lists, with words on each channel "
         "it is used on."),
    Rule("F013", "A key, keyword, channel or action the engine cannot act on makes an "
         "option nobody can choose.",
         "Keys are one of 0-9, * or # in quotes; keywords one word of letters and digits; "
         "channels voice and sms; action repeat, or a target: or dial:."),
    Rule("F014", "A script drafted by `ivr import` marks with DECIDE: what its guide does not "
         "say (a key for a branch, a phone number); served so, a caller would hear the "
         "question, not the answer.",
         "Make each decision: replace the DECIDE: line or value with it, or delete the line "
         "where it says you may (docs/script-format.md, 'Decisions an import leaves')."),
    # -- G: graph and structure ------------------------------------------------------
    Rule("G001", "The engine needs to know which node plays each role (main menu, danger, "
         "clicked a link, under 18).", "Under roles:, name the node that plays each role."),
    Rule("G002", "A role naming a node that does not exist leads nowhere.",
         "Name an existing node id under roles:."),
    Rule("G003", "The main menu is where every conversation starts; it must offer choices.",
         "Make the node the main role names a menu (give it options:)."),
    Rule("G004", "An option leading to a node that does not exist is a dead end.",
         "Point target: (or next:) at an existing node id."),
    Rule("G005", "A menu with no options, or steps with no way on, traps the person.",
         "Give every menu at least one option and every steps node a next:."),
    Rule("G006", "A node nothing leads to is words nobody will ever hear.",
         "Add an option that goes to it, or remove it."),
    Rule("G007", "A node is either a menu (options) or steps read one at a time (steps and "
         "next); half of each is ambiguous.",
         "Give a menu options: and no next:, or a steps node steps: and next:."),
    # -- V: keys and words --------------------------------------------------------------
    Rule("V001", "Two choices on one key or keyword: the person gets the one they did not "
         "mean.", "Give each option of a node, each global option and next its own key "
         "and keyword."),
    Rule("V002", "A node's key or keyword that is also a global option's is taken by the "
         "global one, so the node's option can never be chosen.",
         "Choose keys and keywords that no global option uses."),
    Rule("V003", "Twilio answers STOP, START, HELP and similar words itself; the script "
         "never sees them.", "Choose other words."),
    Rule("V004", "A word that works from anywhere should mean one thing everywhere.",
         "Keep each word in one option among the globals and the main menu.", WARNING),
    Rule("V005", "A caller can only choose an option by pressing its key.",
         'Give the option key: "1" (or another), or channels: [sms] if it is for texts only.'),
    Rule("V101", "A lexicon list in the wrong shape is left out, so its words are not "
         "understood.", "Write each list as 'source:' and 'phrases:', under the sections "
         "docs/script-format.md lists ('Words the line understands')."),
    Rule("V102", "Staff who keep the words must know where each list came from to judge a "
         "change.", "Give every lexicon list a 'source:'."),
    Rule("V103", "A phrase in two lists means two things; only one of them is heard.",
         "Keep each phrase in one list only."),
    Rule("V104", "A keyword, synonym or topic phrase that the line reads as something else "
         "(danger, or another topic) never reaches its own answer.",
         "Choose words the lexicon does not give another meaning, or move the phrase."),
    Rule("V140", "A danger pattern that names a slot no lexicon lists, or that starts or "
         "ends with '...', cannot be compiled, so the crisis words it stands for are "
         "never heard.", "Name only slots listed under 'slots:' (the script's or its "
         "language's), with words on both sides of '...' (docs/script-format.md, "
         "'Danger patterns')."),
    # -- S: safety ----------------------------------------------------------------------
    Rule("S001", "Someone who clicked a link, or who is under 18, must find their route "
         "from the first menu.", "Give the main menu an option for each role node."),
    Rule("S002", "Someone in immediate danger must be one choice away from help wherever "
         "they are, on every channel.",
         "Offer the danger node as a global option on voice and sms."),
    Rule("S003", "Bridging a call to 999 gives the emergency service the helpline's "
         "location, not the caller's.",
         "Do not dial emergency numbers: tell people to hang up and dial 999 themselves."),
    Rule("S004", "A dial: that is not a phone number makes the call fail mid-crisis.",
         "Write the number in international format, for example +443456000459."),
    Rule("S005", "Every conversation must open with 999 for immediate danger and close "
         "(by phone) with 999 and Samaritans 116 123.",
         "Keep 999 in danger_line on both channels, and 999 and 116 123 in goodbye."),
    Rule("S170", "Bridging a call to an emergency number gives the emergency service the "
         "helpline's address, not the caller's.",
         "Never make a transfer to 999, 112, 911 or 18000: tell callers to hang up and dial "
         "999 themselves."),
    Rule("S171", "A child on the under-18 route must be sent to child-specific help, not "
         "put through to a line for adults.",
         "Offer an adults_only transfer only away from the under-18 node."),
    Rule("S172", "The text a caller keeps must still tell them what to do in immediate "
         "danger.", "Put the 999 line in text_me's message."),
    Rule("S173", "After a call that was put through, the caller's last words from this line "
         "must be 999 for danger and Samaritans for someone to talk to.",
         "End the transfer's completed: words with 999 and Samaritans 116 123."),
    Rule("S174", "The text sent to a caller's phone may show on a lock screen others can see.",
         "Open text_me's message with words that do not name the topic."),
    Rule("S101", "Someone who chose danger must be told to call 999, and given Samaritans "
         "116 123, first: heard first, and read in the first text, not after NEXT. 999 "
         "named only to text it (emergencySMS) does not count: few people can.",
         "Start the danger answer with one short paragraph that says to call 999 and gives "
         "Samaritans 116 123; put every other route after it."),
    Rule("S103", "A deaf or speech-impaired texter in danger cannot call 999, and this text "
         "line cannot reach emergency services.",
         "In the texted danger answer, after 999 and Samaritans, give emergencySMS (text 999 "
         "once registered) and Relay UK (18000)."),
    Rule("S102", "A frightened person must find steps, what not to do, what can wait and "
         "support within two choices, even when the phone's first menu is short.",
         "Offer each on the main menu or on a menu the main menu leads to."),
    Rule("S175", "A caller in immediate danger must hear the danger key on every menu.",
         "Never list the danger key under a menu's quiet:."),
    # -- D: discretion -----------------------------------------------------------------
    Rule("D001", "A lock screen shows the start of a text to anyone nearby.",
         "Keep words like 'nude' or 'blackmail' out of the first 160 characters of the "
         "opening text."),
    Rule("D101", "A lock screen shows the start of every text, the second and the fifth as "
         "much as the first.",
         "Start every reply and every part of a long answer with words that do not name "
         "the topic (the script's discretion: words and the built-in ones)."),
    Rule("D102", "A lock screen shows at least the first 100 characters of a text.",
         "Leave discretion: preview_characters out, or make it 100 or more."),
    # -- M: SMS ------------------------------------------------------------------------
    Rule("M001", "One character outside GSM-7 makes every segment of a reply hold 70 "
         "characters instead of 160, and some phones show it as a box.",
         "Use plain quotes, dashes and letters; the message names each character."),
    Rule("M002", "A long reply arrives in pieces, out of order on some phones, and costs "
         "more.", "Keep each reply within 4 segments: shorten its text, labels or phrases."),
    Rule("M003", "How many segments each reply takes, for the editor to see.",
         "Nothing to do: this line is information.", INFO),
    Rule("M004", "A reply with a letter GSM-7 lacks is sent in UCS-2, a segment every 67 "
         "characters; the editor should know which letters do that.",
         "Nothing to do: this line names the characters that need UCS-2.", INFO),
    Rule("M005", "A language marked sms_encoding: ucs2 whose texts are all GSM-7 does not "
         "need the mark, and the mark stops M001 catching a stray character that would "
         "make a reply cost twice as much.",
         "Remove sms_encoding: ucs2 from that language, or leave it if its texts will "
         "need UCS-2 letters soon.", WARNING),
    # -- C: WhatsApp (chat) ------------------------------------------------------------
    Rule("C001", "Twilio refuses a WhatsApp message longer than 1,600 characters, so the "
         "person would get no answer at all.",
         "Shorten the text, or split a long step or paragraph with a blank line: the line "
         "sends a long answer in parts, cut between paragraphs."),
    Rule("C002", "A menu whose labels do not fit WhatsApp's buttons (20 characters) or list "
         "(24) goes as numbered text, which a frightened person must read and type.",
         "Give the label a whatsapp: version that fits (it is used in the numbered list "
         "too).", WARNING),
    Rule("C003", "WhatsApp shows Markdown (**bold**, # headings, [links](...)) and a lone * "
         "or _ as they are, clutter on the screen of someone in a hurry.",
         "Use WhatsApp's own *bold* and _italic_ in pairs, or plain words.", WARNING),
    Rule("C101", "Which menus WhatsApp shows to tap, for the editor to see.",
         "Nothing to do: this line is information.", INFO),
    Rule("C102", "A script (or language) with no whatsapp: labels sends a menu whose SMS "
         "labels are too long to tap as numbered text: it works, but cannot be tapped.",
         "Give the labels whatsapp: versions of at most 20 characters (24 in a list) to "
         "have them tapped.", INFO),
    # -- L: links ----------------------------------------------------------------------
    Rule("L001", "A link that is not https can be read or changed on the way.",
         "Use the https:// address, in the allow-list and in the words."),
    Rule("L002", "Every link is checked by a person before it is sent to someone at risk.",
         "Add the address under links: after checking it, or remove it from the words."),
    Rule("L003", "A bare web address in a text may open insecurely or not at all.",
         "Write the full https:// link in the sms words."),
    Rule("L004", "A web address read aloud without a pronunciation becomes one long word.",
         "Add it under pronounce: with the words as they are said.", WARNING),
    # -- H: hours and hand-offs ---------------------------------------------------------
    Rule("H101", "An option that puts the call through to a line the script does not "
         "define cannot work.", "Name a transfer from transfers:, or add it."),
    Rule("H102", "When the listed closed dates run out, bank holidays are treated as open "
         "days and callers ring a closed line.",
         "Add the next year's dates from the source named beside them.", WARNING),
    Rule("H103", "A transfer with no closed dates is offered on bank holidays.",
         "List the bank holidays under closed_dates:, with their source.", WARNING),
    Rule("H104", "A transfer no option offers is never used, and may be forgotten when its "
         "hours change.", "Offer it from an option, or remove it.", WARNING),
    Rule("H105", "A caller told a line is closed needs the number to call when it opens.",
         "Say the number in the transfer's closed: words.", WARNING),
    Rule("H106", "Texting options without a text_me: section, or a text_me then: that is "
         "not a node, leave a caller nowhere to go.",
         "Add text_me: with the message and what the caller hears; name a menu in then:."),
    Rule("H107", "A text longer than 1,600 characters is refused by Twilio.",
         "Shorten text_me's message: the steps in brief, with the guide's links."),
    Rule("H108", "A text must be sent only after a warning and a key to confirm, and only "
         "offered where it can be sent.",
         "Lead a text_me option to a menu whose text warns and which offers send_text; "
         "reach that menu only through text_me options."),
    Rule("H109", "Two choices on one key while a step is read: one of them can never be "
         "chosen.", "Give a step's option a key that next and the globals do not use."),
    Rule("H114", "A caller who asks for a person while the line is open should be offered it "
         "from a menu that really offers it.",
         "Name under person_menu: a menu with an option transfer: <this transfer>."),
    Rule("H113", "A quiet key that no global option uses does nothing, and may hide a typo.",
         "List only global keys under a menu's quiet:."),
    Rule("H110", "A transfer number that is not in E.164 form cannot be dialled.",
         'Write it with + and the country code, in quotes, e.g. "+443456000459".'),
    Rule("H111", "Opening hours that cannot be read would offer a line at the wrong times.",
         "Write hours as monday-friday: 10:00-16:00, in a tz database zone."),
    Rule("H112", "A closed date that cannot be read would offer a line on a day it is shut.",
         "Write closed dates as 2026-12-25."),
    # -- T: timing and the voice ---------------------------------------------------------
    Rule("T001", "A caller cannot hold more than about 30 seconds of speech in mind.",
         "Split long paragraphs with a blank line, or shorten them."),
    Rule("T002", "A voice name Twilio does not know falls back to a robotic default.",
         "Use a Polly or Google voice name, for example Polly.Amy-Neural.", WARNING),
    Rule("T003", "British callers follow a British English voice most easily.",
         "Use an en-GB language unless the script is in another language.", WARNING),
    Rule("T106", "Speech settings Twilio will not honour (speechTimeout 'auto' with a speech "
         "model, enhanced off the phone_call model, a model that does not list the "
         "language) leave a caller's words unheard or cut off.",
         "Use whole seconds for speech_timeout, enhanced only with phone_call, and a model "
         "that lists the script's language (docs/understanding.md, 'Speech settings').",
         WARNING),
    Rule("T101", "A caller in danger must hear which key to press within seconds, not "
         "after the whole menu.",
         "Give phrases a danger_first sentence, said straight after the danger line."),
    Rule("T102", "A long opening loses a frightened caller before they hear their choice.",
         "Keep the opening, menu included, within limits: opening_within (45 s): a short "
         "welcome, two or three branches, the rest one level down."),
    Rule("T103", "Nobody can hold more than a handful of spoken choices in mind.",
         "Announce at most limits: keys_per_menu (6) keys in a spoken menu, 9, 0 and * "
         "included; move options down a level, or give a global 'announce: main'."),
    Rule("T104", "The helpline's limits protect callers; a script may tighten them, "
         "never loosen them.", "Write each limit at or below its default, or leave it out."),
    Rule("T105", "When each key of a spoken menu is heard, for the editor to see.",
         "Nothing to do: this line is information.", INFO),
    # -- W: faithful to the written guide -------------------------------------------------
    Rule("W001", "A script whose guide cannot be read cannot be checked against it, so "
         "nothing says whether callers still hear what the guide says.",
         "Point guide: source: at the guide's text file, relative to the script, and keep "
         "the guide in its shape (docs/several-guides.md)."),
    Rule("W002", "A step, don't, thing that can wait, service, number or link of the guide "
         "that a channel never says is advice a caller or texter never gets.",
         "Say it on that channel (in your own words if need be), or list it under guide: "
         "left_out: with the reason."),
    Rule("W003", "A left_out item the guide no longer says hides nothing, and misleads the "
         "next editor.", "Take it off left_out:.", WARNING),
    # -- O: guides offered together on one number (ivr validate --library) -------------
    Rule("O001", "A script served without a label and a keyword cannot be named in the "
         "guide choice, so callers to the shared number never reach it.",
         "Give it guide: label: and keyword:, or serve it on a number of its own "
         "(?script=<id>).", WARNING),
    Rule("O002", "The opening says one danger key for every guide; a guide with another "
         "would make that key wrong once the caller is in it.",
         "Give the danger option the same key in every guide offered together."),
    Rule("O003", "The guide choice keys guides 1, 2, ...; one that lands on a global key "
         "(9 for danger) could not be pressed, or would hide the danger key.",
         "Offer fewer guides together, or give some a number of their own."),
    Rule("O004", "A word two guides share (or one of GUIDES, DANGER, MENU) cannot route a "
         "first text to one guide.", "Give each guide keyword and words of its own."),
    Rule("O101", "A caller in danger must hear the danger key within seconds, before any "
         "choice of guide.", "Keep the danger line short and give phrases a danger_first."),
    Rule("O102", "Each menu of the opening, and each guide's first menu once chosen, must "
         "be heard in full within limits: opening_within (45 s) of where it starts.",
         "Shorten the guides' labels, the choose_guide phrase or the guide's welcome."),
    Rule("O103", "Nobody can hold more than a handful of spoken choices in mind, the guide "
         "choice and each main menu with its way back included.",
         "Offer fewer guides together, or move a main-menu option a level down."),
    Rule("O104", "Every text of the opening must arrive in at most four segments, and show "
         "nothing of the topic on a lock screen.",
         "Shorten the guides' labels, and keep topic words out of their start."),
    # -- X: translations (every family above but structure runs on each language too) --
    Rule("X001", "A text with no version in a language the script declares would leave a "
         "caller or texter who chose that language with silence or the wrong language.",
         "Give the text its words in that language, under the language's tag beside the "
         "source words, with from: the fingerprint the message prints."),
    Rule("X002", "A translation made from source words that have since changed may give "
         "advice the source no longer gives (a number or an hour that changed).",
         "Check the translation against the source as it is now, correct it, then write "
         "the fingerprint the message prints as its from: (ivr stamp does it for a "
         "whole language).", WARNING),
    Rule("X003", "A version under a language the script does not declare is never used: "
         "usually a mistyped tag, so the right language lacks it.",
         "Correct the tag (cy-GB), or declare the language under languages:."),
    Rule("X004", "Words nobody fluent has checked can mislead someone in crisis; a draft "
         "language is offered in production only where the operator chooses.",
         "Nothing to do until a fluent speaker has checked every text: then write "
         "status: reviewed.", INFO),
    Rule("X005", "A recording for the wrong paragraph plays other words than the ones the "
         "script (and its timing check) says.",
         "Give play: one https recording per paragraph of the voice words, in order.",
         WARNING),
)  # fmt: skip

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def explain(code: str) -> str | None:
    """What a rule protects and how to satisfy it, as a few lines; None if there is none."""
    rule = RULES.get(code.strip().upper())
    if rule is None:
        return None
    return (
        f"{rule.code} ({rule.family}, {rule.severity})\n"
        f"Protects: {rule.protects}\n"
        f"To satisfy it: {rule.satisfy}"
    )
