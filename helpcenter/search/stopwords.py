"""Stop words per language: very frequent function words that carry no topic.

Kept short on purpose: a word wrongly listed here can never be found, a word missing
from here only costs a little ranking precision. Whoosh ships lists for some languages
(used for English); the others are ours.
"""

from whoosh.lang.stopwords import stoplists

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(stoplists["en"])
    | {"can", "how", "i", "my", "do", "does", "what", "why", "where", "when"},
    "pl": frozenset(
        [
            "a",
            "aby",
            "ale",
            "albo",
            "ani",
            "bo",
            "by",
            "być",
            "był",
            "była",
            "było",
            "co",
            "czy",
            "dla",
            "do",
            "gdy",
            "gdzie",
            "i",
            "ich",
            "im",
            "jak",
            "jaki",
            "jakie",
            "jest",
            "jestem",
            "już",
            "ją",
            "je",
            "jego",
            "jej",
            "kiedy",
            "kto",
            "która",
            "które",
            "który",
            "mi",
            "mnie",
            "mój",
            "moja",
            "moje",
            "mój",
            "na",
            "nad",
            "nie",
            "nim",
            "o",
            "od",
            "oraz",
            "po",
            "pod",
            "przez",
            "przy",
            "się",
            "są",
            "ta",
            "tak",
            "te",
            "tego",
            "tej",
            "ten",
            "to",
            "tu",
            "tym",
            "u",
            "w",
            "we",
            "z",
            "za",
            "ze",
            "że",
            "mam",
            "mogę",
            "można",
            "czemu",
            "dlaczego",
        ]
    ),
    "he": frozenset(
        [
            "של",
            "את",
            "על",
            "עם",
            "זה",
            "זו",
            "זאת",
            "הוא",
            "היא",
            "הם",
            "הן",
            "אני",
            "אתה",
            "את",
            "אנחנו",
            "לא",
            "כן",
            "או",
            "גם",
            "אם",
            "כי",
            "מה",
            "מי",
            "איך",
            "למה",
            "איפה",
            "מתי",
            "יש",
            "אין",
            "כל",
            "רק",
            "עוד",
            "כבר",
            "אבל",
            "אז",
            "שלי",
            "שלך",
        ]
    ),
    "lt": frozenset(
        [
            "ir",
            "ar",
            "bet",
            "kad",
            "kai",
            "kaip",
            "kur",
            "kas",
            "kuris",
            "kuri",
            "kurie",
            "su",
            "be",
            "iš",
            "į",
            "už",
            "ant",
            "per",
            "prie",
            "po",
            "apie",
            "nuo",
            "iki",
            "tai",
            "tas",
            "ta",
            "tie",
            "tos",
            "jis",
            "ji",
            "jie",
            "jos",
            "aš",
            "tu",
            "mes",
            "jūs",
            "mano",
            "tavo",
            "savo",
            "yra",
            "buvo",
            "bus",
            "nėra",
            "ne",
            "taip",
            "jau",
            "dar",
            "tik",
            "čia",
            "ten",
            "kodėl",
            "galiu",
        ]
    ),
    "el": frozenset(
        [
            "και",
            "να",
            "το",
            "τα",
            "τη",
            "την",
            "της",
            "του",
            "των",
            "τον",
            "οι",
            "ο",
            "η",
            "σε",
            "στο",
            "στη",
            "στην",
            "στα",
            "στον",
            "με",
            "για",
            "από",
            "ως",
            "που",
            "πως",
            "πώς",
            "τι",
            "είναι",
            "ήταν",
            "θα",
            "δεν",
            "μη",
            "μην",
            "ένα",
            "μια",
            "ένας",
            "αν",
            "ή",
            "αλλά",
            "μου",
            "σου",
            "μας",
            "σας",
            "τους",
            "αυτό",
            "αυτή",
            "αυτός",
            "γιατί",
            "πού",
            "πότε",
            "μπορώ",
        ]
    ),
    "hr": frozenset(
        [
            "i",
            "a",
            "ali",
            "ili",
            "da",
            "je",
            "su",
            "sam",
            "si",
            "smo",
            "ste",
            "bi",
            "biti",
            "bio",
            "bila",
            "bilo",
            "u",
            "na",
            "za",
            "od",
            "do",
            "iz",
            "s",
            "sa",
            "o",
            "po",
            "pri",
            "kod",
            "se",
            "to",
            "taj",
            "ta",
            "te",
            "ti",
            "ovo",
            "ono",
            "što",
            "kako",
            "gdje",
            "kada",
            "zašto",
            "koji",
            "koja",
            "koje",
            "moj",
            "moja",
            "moje",
            "ne",
            "ni",
            "nije",
            "jer",
            "li",
            "mogu",
        ]
    ),
}

# How customers write to a help center, beyond the grammar words above: contractions typed
# with or without the apostrophe, "I want", "please", "someone", "still", "at all" (not "all": "select all" names a task), question
# words and pronouns in their other cases. They name no topic, so as query words they only
# match noise and raise the query's best possible score (the "nothing answers this" floor)
# without any article being able to meet it. Written from the languages, one line a group.
_COLLOQUIAL: dict[str, str] = {
    "en": """
        cant can't cannot wont won't dont don't doesnt doesn't didnt didn't isnt isn't
        arent aren't wasnt wasn't couldnt couldn't shouldnt shouldn't wouldnt wouldn't
        havent haven't im i'm ive i've youre you're thats that's theres there's whats
        what's hows how's want wants wanted wanna need needs please pls plz thanks thank
        thx lol hi hello someone somebody anyone anybody something anything everything
        nothing stuff thing really actually still anymore even also already ever just
        would could us
    """,
    "pl": """
        sie moge mozna moj moja moje moją moim mojej mojego moich ja ty on ona oni wy
        nas was wam mną mna jakoś jakos jakiś jakis jakieś jakies jakiegoś żeby zeby
        chcę chce chciałbym chciałabym chcialbym chcialabym proszę prosze ciągle ciagle
        wciąż wciaz ile jeszcze juz tylko też tez bardzo coś cos nic nikt ktoś ktos da
        może moze muszę musze trzeba jaka jakiej którego ktorego której ktorej których
        ktorych ma mają maja zawsze nadal
    """,
    "he": """
        לי לך לו לה לנו לכם להם אותו אותה אותי אותם אותך שלו שלה שלנו שלכם שלהם הזה הזאת
        האלה אלה אפשר צריך צריכה רוצה רוצים רציתי בבקשה פשוט כלום משהו מישהו שום עדיין
        תמיד כמה איזה איזו האם ממש בכלל ככה כך אצלי אצלנו
    """,
    "lt": """
        man mane manęs tau tave jam jai jį ją jo juos mums jums mūsų jūsų noriu nenoriu
        norėčiau norėjau reikia galima negaliu kada kiek ką kam kuo koks kokia kokie
        kokius net vis visai labai dabar nors prašau kažkas kažką niekas nieko to tą tuo
        šis ši šį šią šio daryti daryt nuolat tiesiog tikrai
    """,
    "el": """
        θέλω ήθελα θέλει μπορείτε μπορεί πρέπει παρακαλώ κάτι τίποτα κάποιος κάποιο
        κάποια συνέχεια πάντα ακόμα ακόμη πολύ μόνο εγώ εμένα μένα τις στις στους ενώ
        όταν ποια ποιο ποιος ποιες ποιους κάθε έχω έχει είμαι εσείς εμείς τώρα ξανά λίγο
        εντελώς καν ήδη ούτε όμως κάνω κάνει κάνουμε
    """,
    "hr": """
        kad kao mi me ga mu joj ih nam vam im ja on ona oni mene meni tebi još već samo
        dok ako ima imam nešto ništa netko nitko neki neka neko nekog želim hoću trebam
        treba može možete molim stalno uvijek jel jeli zar čak baš onda tako ovaj ova
        ove ovu toga tome tom mog mojem mojoj moju moji moga svoj svoju svoje svog moram
        koliko kojeg kojem kojoj koju pa niti nego uopće opet
    """,
}


STOP_WORDS: dict[str, frozenset[str]] = {
    lang: words | frozenset(_COLLOQUIAL.get(lang, "").split())
    for lang, words in _FUNCTION_WORDS.items()
}
