"""The example content `helpcenter new` writes: one category with two articles, and search
queries for `helpcenter eval`, in each language the interface is translated into.

Each language gets its own text, not the English one: an English sentence on a right-to-left
Hebrew page puts its full stop on the wrong side, and a Polish site should start Polish. A
language without texts here (one the interface is not translated into) gets the English ones.
`{translation_path}` in a text is another language's copy of the article, as an example.
"""

from __future__ import annotations

CATEGORY_PATH = "getting-started/_category.md"
WELCOME_PATH = "getting-started/welcome.md"
WRITE_PATH = "getting-started/write-an-article.md"

CATEGORY = {
    "en": """\
---
title: Getting started
summary: What this help center is and how its articles are written.
order: 1
---
""",
    "pl": """\
---
title: Pierwsze kroki
summary: Czym jest to centrum pomocy i jak pisze się jego artykuły.
order: 1
---
""",
    "he": """\
---
title: צעדים ראשונים
summary: מהו מרכז העזרה הזה ואיך כותבים את המאמרים שלו.
order: 1
---
""",
    "lt": """\
---
title: Pirmieji žingsniai
summary: Kas yra šis pagalbos centras ir kaip rašomi jo straipsniai.
order: 1
---
""",
    "el": """\
---
title: Πρώτα βήματα
summary: Τι είναι αυτό το κέντρο βοήθειας και πώς γράφονται τα άρθρα του.
order: 1
---
""",
    "hr": """\
---
title: Prvi koraci
summary: Što je ovaj centar za pomoć i kako se pišu njegovi članci.
order: 1
---
""",
}

WELCOME = {
    "en": """\
---
title: Welcome to your help center
summary: Where the articles live, how to preview them and how customers find them.
tags: [start, preview, help center]
order: 1
---
This help center is built from the Markdown files in the `articles` folder of this
repository. Each file is one article; each folder under a language is one category.

## Preview your changes

Run `helpcenter serve` in this folder and open the address it prints. Edit an article and
save it: the open page reloads by itself and shows the change. Problems in the page's file
(a broken link, a mistake in the front matter) are listed at the top of the page, in the
preview only.

## Before you commit

Run `helpcenter check`. It lists every problem with its file and line (a broken link, a
missing title, an image that is too large) and fails when there is an error. The CI workflow
in `.github/workflows/check.yml` runs the same check on every push and shows each problem on
its line in a pull request.

Next: [write an article](write-an-article.md).
""",
    "pl": """\
---
title: Witaj w swoim centrum pomocy
summary: Gdzie są artykuły, jak zobaczyć ich podgląd i jak klienci je znajdują.
tags: [start, podgląd, centrum pomocy]
order: 1
---
To centrum pomocy powstaje z plików Markdown w folderze `articles` tego repozytorium. Każdy
plik to jeden artykuł, a każdy folder w folderze języka to jedna kategoria.

## Podgląd zmian

Uruchom `helpcenter serve` w tym folderze i otwórz adres, który wypisze. Zmień artykuł i
zapisz go: otwarta strona sama się odświeży i pokaże zmianę. Problemy w pliku strony
(niedziałający link, błąd w nagłówku artykułu) są wypisane na jej górze, tylko w podglądzie.

## Zanim zatwierdzisz zmiany

Uruchom `helpcenter check`. Wypisuje każdy problem z plikiem i wierszem (niedziałający link,
brak tytułu, za duży obrazek) i kończy się niepowodzeniem, gdy znajdzie błąd. Workflow CI w
`.github/workflows/check.yml` uruchamia to samo sprawdzenie przy każdym pushu i w pull
requeście pokazuje każdy problem przy jego wierszu.

Dalej: [napisz artykuł](write-an-article.md).
""",
    "he": """\
---
title: ברוכים הבאים למרכז העזרה שלכם
summary: איפה נמצאים המאמרים, איך רואים אותם בתצוגה מקדימה ואיך לקוחות מוצאים אותם.
tags: [התחלה, תצוגה מקדימה, מרכז עזרה]
order: 1
---
מרכז העזרה הזה נבנה מקובצי ה-Markdown שבתיקייה `articles` של המאגר הזה. כל קובץ הוא מאמר
אחד, וכל תיקייה בתוך תיקייה של שפה היא קטגוריה אחת.

## תצוגה מקדימה של השינויים

הריצו את `helpcenter serve` בתיקייה הזו ופתחו את הכתובת שהפקודה מציגה. ערכו מאמר ושמרו
אותו: הדף הפתוח נטען מחדש מעצמו ומציג את השינוי. בעיות בקובץ של הדף (קישור שבור, טעות
בכותרת של המאמר) מופיעות בראש הדף, רק בתצוגה המקדימה.

## לפני שמבצעים commit

הריצו את `helpcenter check`. הפקודה מציגה כל בעיה עם הקובץ והשורה שלה (קישור שבור, כותרת
חסרה, תמונה גדולה מדי) ונכשלת כשיש שגיאה. תהליך ה-CI שבקובץ `.github/workflows/check.yml`
מריץ את אותה בדיקה בכל push ומציג כל בעיה ליד השורה שלה ב-pull request.

להמשך: [כתיבת מאמר](write-an-article.md).
""",
    "lt": """\
---
title: Sveiki atvykę į savo pagalbos centrą
summary: Kur yra straipsniai, kaip juos peržiūrėti ir kaip klientai juos randa.
tags: [pradžia, peržiūra, pagalbos centras]
order: 1
---
Šis pagalbos centras kuriamas iš Markdown failų, esančių šios saugyklos aplanke `articles`.
Kiekvienas failas yra vienas straipsnis, o kiekvienas aplankas kalbos aplanke – viena
kategorija.

## Pakeitimų peržiūra

Šiame aplanke paleiskite `helpcenter serve` ir atidarykite adresą, kurį jis parodys.
Pakeiskite straipsnį ir jį išsaugokite: atidarytas puslapis pats atsinaujins ir parodys
pakeitimą. Puslapio failo problemos (neveikianti nuoroda, klaida straipsnio antraštėje)
rodomos puslapio viršuje, tik peržiūroje.

## Prieš pateikdami pakeitimus

Paleiskite `helpcenter check`. Jis išvardija kiekvieną problemą su failu ir eilute
(neveikianti nuoroda, trūkstamas pavadinimas, per didelis paveikslėlis) ir baigiasi nesėkme,
kai randa klaidą. CI darbo eiga `.github/workflows/check.yml` atlieka tą patį patikrinimą po
kiekvieno „push“ ir „pull request“ rodo kiekvieną problemą prie jos eilutės.

Toliau: [parašykite straipsnį](write-an-article.md).
""",
    "el": """\
---
title: Καλώς ήρθατε στο κέντρο βοήθειάς σας
summary: Πού βρίσκονται τα άρθρα, πώς τα βλέπετε σε προεπισκόπηση και πώς τα βρίσκουν οι πελάτες.
tags: [αρχή, προεπισκόπηση, κέντρο βοήθειας]
order: 1
---
Αυτό το κέντρο βοήθειας δημιουργείται από τα αρχεία Markdown του φακέλου `articles` αυτού
του αποθετηρίου. Κάθε αρχείο είναι ένα άρθρο και κάθε φάκελος μέσα στον φάκελο μιας γλώσσας
είναι μία κατηγορία.

## Προεπισκόπηση των αλλαγών

Εκτελέστε `helpcenter serve` σε αυτόν τον φάκελο και ανοίξτε τη διεύθυνση που εμφανίζει.
Επεξεργαστείτε ένα άρθρο και αποθηκεύστε το: η ανοιχτή σελίδα ανανεώνεται μόνη της και
δείχνει την αλλαγή. Τα προβλήματα του αρχείου της σελίδας (ένας σύνδεσμος που δεν λειτουργεί,
ένα λάθος στην κεφαλίδα του άρθρου) εμφανίζονται στην κορυφή της σελίδας, μόνο στην
προεπισκόπηση.

## Πριν από το commit

Εκτελέστε `helpcenter check`. Εμφανίζει κάθε πρόβλημα με το αρχείο και τη γραμμή του
(σύνδεσμος που δεν λειτουργεί, τίτλος που λείπει, εικόνα πολύ μεγάλη) και αποτυγχάνει όταν
βρει σφάλμα. Η ροή εργασιών CI στο `.github/workflows/check.yml` εκτελεί τον ίδιο έλεγχο σε
κάθε push και σε ένα pull request δείχνει κάθε πρόβλημα δίπλα στη γραμμή του.

Επόμενο: [γράψτε ένα άρθρο](write-an-article.md).
""",
    "hr": """\
---
title: Dobro došli u svoj centar za pomoć
summary: Gdje se nalaze članci, kako ih pregledati i kako ih kupci pronalaze.
tags: [početak, pregled, centar za pomoć]
order: 1
---
Ovaj centar za pomoć nastaje iz Markdown datoteka u mapi `articles` ovog repozitorija.
Svaka datoteka jedan je članak, a svaka mapa unutar mape jezika jedna je kategorija.

## Pregled promjena

Pokrenite `helpcenter serve` u ovoj mapi i otvorite adresu koju ispiše. Uredite članak i
spremite ga: otvorena stranica sama se ponovno učita i prikaže promjenu. Problemi u datoteci
stranice (poveznica koja ne radi, pogreška u zaglavlju članka) prikazuju se na vrhu stranice,
samo u pregledu.

## Prije commita

Pokrenite `helpcenter check`. Ispisuje svaki problem s datotekom i retkom (poveznica koja ne
radi, naslov koji nedostaje, prevelika slika) i završava neuspjehom kad pronađe pogrešku. CI
tijek rada u `.github/workflows/check.yml` pokreće istu provjeru pri svakom pushu i u pull
requestu prikazuje svaki problem uz njegov redak.

Dalje: [napišite članak](write-an-article.md).
""",
}

WRITE = {
    "en": """\
---
title: Write an article
summary: Front matter, links between articles, images and translations.
tags: [write, markdown, translate, front matter]
order: 2
---
An article is a Markdown file that starts with front matter between two `---` lines:

```markdown
---
title: Reset your password
summary: Get a new password when you have forgotten yours.
tags: [password, login]
---
The first paragraph of the article.
```

## Links and images

Link to another article by its file, e.g. `[welcome](welcome.md)`: the site turns it into
the right address in the reader's language. Put images beside the articles that use them.

## Translations

A translation has the same path under its language's folder: `{translation_path}`
translates this article. An article may also exist in one language only, e.g. one about a
local payment method: it is shown in that language alone.
""",
    "pl": """\
---
title: Napisz artykuł
summary: Nagłówek artykułu, linki między artykułami, obrazki i tłumaczenia.
tags: [pisanie, markdown, tłumaczenie, front matter]
order: 2
---
Artykuł to plik Markdown, który zaczyna się nagłówkiem (front matter) między dwiema liniami
`---`:

```markdown
---
title: Zresetuj hasło
summary: Ustaw nowe hasło, gdy zapomnisz starego.
tags: [hasło, logowanie]
---
Pierwszy akapit artykułu.
```

## Linki i obrazki

Do innego artykułu linkuj przez jego plik, np. `[witaj](welcome.md)`: strona zamieni to na
właściwy adres w języku czytelnika. Obrazki umieszczaj obok artykułów, które ich używają.

## Tłumaczenia

Tłumaczenie ma tę samą ścieżkę w folderze swojego języka: `{translation_path}` to
tłumaczenie tego artykułu. Artykuł może też istnieć tylko w jednym języku, na przykład
artykuł o lokalnej metodzie płatności: wtedy jest pokazywany tylko w tym języku.
""",
    "he": """\
---
title: כתיבת מאמר
summary: כותרת המאמר, קישורים בין מאמרים, תמונות ותרגומים.
tags: [כתיבה, markdown, תרגום, front matter]
order: 2
---
מאמר הוא קובץ Markdown שמתחיל בכותרת (front matter) בין שתי שורות `---`:

```markdown
---
title: איפוס הסיסמה
summary: קבלו סיסמה חדשה כששכחתם את הישנה.
tags: [סיסמה, התחברות]
---
הפסקה הראשונה של המאמר.
```

## קישורים ותמונות

קשרו למאמר אחר דרך הקובץ שלו, למשל `[ברוכים הבאים](welcome.md)`: האתר הופך אותו לכתובת
הנכונה בשפה של הקורא. שימו תמונות ליד המאמרים שמשתמשים בהן.

## תרגומים

לתרגום יש אותו נתיב בתיקייה של השפה שלו: `{translation_path}` הוא תרגום של המאמר הזה.
מאמר יכול להתקיים גם בשפה אחת בלבד, למשל מאמר על אמצעי תשלום מקומי: הוא מוצג רק בשפה הזו.
""",
    "lt": """\
---
title: Straipsnio rašymas
summary: Straipsnio antraštė, nuorodos tarp straipsnių, paveikslėliai ir vertimai.
tags: [rašymas, markdown, vertimas, front matter]
order: 2
---
Straipsnis – tai Markdown failas, prasidedantis antrašte (front matter) tarp dviejų eilučių
`---`:

```markdown
---
title: Slaptažodžio atkūrimas
summary: Gaukite naują slaptažodį, jei pamiršote senąjį.
tags: [slaptažodis, prisijungimas]
---
Pirmoji straipsnio pastraipa.
```

## Nuorodos ir paveikslėliai

Į kitą straipsnį nurodykite per jo failą, pvz., `[sveiki](welcome.md)`: svetainė tai pavers
teisingu adresu skaitytojo kalba. Paveikslėlius laikykite šalia juos naudojančių straipsnių.

## Vertimai

Vertimas turi tą patį kelią savo kalbos aplanke: `{translation_path}` yra šio straipsnio
vertimas. Straipsnis gali būti ir tik viena kalba, pavyzdžiui, straipsnis apie vietinį
mokėjimo būdą: tada jis rodomas tik ta kalba.
""",
    "el": """\
---
title: Γράψτε ένα άρθρο
summary: Η κεφαλίδα του άρθρου, σύνδεσμοι μεταξύ άρθρων, εικόνες και μεταφράσεις.
tags: [γράψιμο, markdown, μετάφραση, front matter]
order: 2
---
Ένα άρθρο είναι ένα αρχείο Markdown που ξεκινά με μια κεφαλίδα (front matter) ανάμεσα σε
δύο γραμμές `---`:

```markdown
---
title: Επαναφορά κωδικού πρόσβασης
summary: Ορίστε νέο κωδικό όταν έχετε ξεχάσει τον παλιό.
tags: [κωδικός, σύνδεση]
---
Η πρώτη παράγραφος του άρθρου.
```

## Σύνδεσμοι και εικόνες

Συνδέστε ένα άλλο άρθρο μέσω του αρχείου του, π.χ. `[καλώς ήρθατε](welcome.md)`: ο
ιστότοπος το μετατρέπει στη σωστή διεύθυνση στη γλώσσα του αναγνώστη. Βάλτε τις εικόνες
δίπλα στα άρθρα που τις χρησιμοποιούν.

## Μεταφράσεις

Μια μετάφραση έχει την ίδια διαδρομή στον φάκελο της γλώσσας της: το
`{translation_path}` είναι μετάφραση αυτού του άρθρου. Ένα άρθρο μπορεί επίσης να υπάρχει
σε μία μόνο γλώσσα, για παράδειγμα ένα άρθρο για έναν τοπικό τρόπο πληρωμής: τότε
εμφανίζεται μόνο σε αυτή τη γλώσσα.
""",
    "hr": """\
---
title: Napišite članak
summary: Zaglavlje članka, poveznice između članaka, slike i prijevodi.
tags: [pisanje, markdown, prijevod, front matter]
order: 2
---
Članak je Markdown datoteka koja počinje zaglavljem (front matter) između dva retka `---`:

```markdown
---
title: Ponovno postavljanje lozinke
summary: Postavite novu lozinku kad zaboravite staru.
tags: [lozinka, prijava]
---
Prvi odlomak članka.
```

## Poveznice i slike

Na drugi članak povežite se preko njegove datoteke, npr. `[dobro došli](welcome.md)`:
stranica to pretvara u ispravnu adresu na jeziku čitatelja. Slike stavite pokraj članaka
koji ih koriste.

## Prijevodi

Prijevod ima istu putanju u mapi svog jezika: `{translation_path}` prijevod je ovog
članka. Članak može postojati i samo na jednom jeziku, primjerice članak o lokalnom načinu
plaćanja: tada se prikazuje samo na tom jeziku.
""",
}

# Per language: (query, expected article id or NONE), as a customer of that language asks.
QUERIES = {
    "en": [
        ("how do I preview my changes", "getting-started/welcome"),
        ("links between articles", "getting-started/write-an-article"),
        ("opening hours of the shop", "NONE"),
    ],
    "pl": [
        ("jak zobaczyć podgląd zmian", "getting-started/welcome"),
        ("linki między artykułami", "getting-started/write-an-article"),
        ("godziny otwarcia sklepu", "NONE"),
    ],
    "he": [
        ("איך רואים תצוגה מקדימה של השינויים", "getting-started/welcome"),
        ("קישורים בין מאמרים", "getting-started/write-an-article"),
        ("שעות הפתיחה של החנות", "NONE"),
    ],
    "lt": [
        ("kaip peržiūrėti pakeitimus", "getting-started/welcome"),
        ("nuorodos tarp straipsnių", "getting-started/write-an-article"),
        ("parduotuvės darbo laikas", "NONE"),
    ],
    "el": [
        ("πώς βλέπω προεπισκόπηση των αλλαγών", "getting-started/welcome"),
        ("σύνδεσμοι μεταξύ άρθρων", "getting-started/write-an-article"),
        ("ωράριο λειτουργίας του καταστήματος", "NONE"),
    ],
    "hr": [
        ("kako pregledati promjene", "getting-started/welcome"),
        ("poveznice između članaka", "getting-started/write-an-article"),
        ("radno vrijeme trgovine", "NONE"),
    ],
}


def example_files(languages: list[str]) -> dict[str, str]:
    """The example articles of a site in `languages` (the first the default), by their path
    under articles/, and the evaluation queries file (search-queries.tsv)."""
    files = {}
    for code in languages:
        text = code if code in WELCOME else "en"
        other = next((lang for lang in languages if lang != code), "pl" if code == "en" else "en")
        translation = f"articles/{other}/{WRITE_PATH}"
        files[f"articles/{code}/{CATEGORY_PATH}"] = CATEGORY[text]
        files[f"articles/{code}/{WELCOME_PATH}"] = WELCOME[text]
        files[f"articles/{code}/{WRITE_PATH}"] = WRITE[text].replace(
            "{translation_path}", translation
        )
    rows = ["lang\tquery\texpected"]
    rows += [
        f"{code}\t{query}\t{expected}"
        for code in languages
        for query, expected in QUERIES[code if code in QUERIES else "en"]
    ]
    files["search-queries.tsv"] = "\n".join(rows) + "\n"
    return files
