"""Round 4 of the body rules: layouts of whole pages, each on a small synthetic page."""

from __future__ import annotations

from pipeline.clean.chrome import appeal_blocks
from pipeline.clean.extract import extract_article
from pipeline.clean.site_chrome import SiteChromeModel
from pipeline.schema import Article, Page


def body_of(blocks: list[str], url: str | None) -> str:
    result = extract_article(Page("d", "site", "f.txt", "\n\n".join(blocks), url=url), SiteChromeModel.empty())
    assert isinstance(result, Article)
    return result.body


def test_a_report_on_donations_is_not_an_appeal_but_a_call_to_donate_is() -> None:
    report_de = [
        "Mehrere Staatsanwaltschaften ermitteln bereits wegen möglicher Verstöße gegen das Parteiengesetz, denn "
        "die Spenden aus der Schweiz wurden nicht gemeldet, und die Partei muss nun mit einer Strafe rechnen, "
        "die ein Vielfaches des Wertes der Zuwendung betragen kann, wie ein Sprecher am Montag bestätigte.",
        "Der Verein, der die Zeitung herausgab, wollte sich nicht äußern.",
        "Wenn eine Partei eine Spende annimmt, deren Herkunft sie nicht kennt, muss sie das Geld an die "
        "Bundestagsverwaltung weiterleiten; das gilt auch für Sachleistungen wie Plakate und Zeitungen, die "
        "ein Dritter für die Partei bezahlt, sagte der Parteienrechtler, der den Fall seit Jahren verfolgt.",
    ]
    report_en = ["The chief executive donated $250,000 to a committee supporting the senator's campaign this "
                 "year, according to filings released on Friday, the largest donation he has made in a decade "
                 "of giving to candidates of both parties in the state and in Washington.",
                 "It is an unusually large donation for him, and it came weeks after a meeting with the senator, "
                 "who has since spoken in favour of a bill that the company had asked lawmakers to support."]
    assert appeal_blocks(report_de) == set()
    assert appeal_blocks(report_en) == set()
    # The same words as a short call, or beside one, are an appeal.
    appeal = ["Unterstützen Sie unabhängigen Journalismus!", report_de[0], "Jetzt spenden!"]
    assert appeal_blocks(appeal) == {0, 1, 2}
    assert appeal_blocks(["Your donation can change someone's life"]) == {0}


def test_the_title_shown_first_in_a_list_of_latest_stories_does_not_take_the_body() -> None:
    latest = ["Literatur und Animated Typography",
              "Der Verlag hat in der vergangenen Woche mitgeteilt, dass er seine Bücher nun auch auf dem Tablet "
              "verkaufen will.", "Neue Front gegen Google Books",
              "Die Verbände der Fotografen reichen eine Klage ein, weil sie sich um ihre Rechte an den Bildern "
              "sorgen."]
    menu = "Politik Wirtschaft Sport Kultur Wetter Reisen Podcasts Newsletter Video Fotografie Live Archiv"
    article = [f"Absatz {n}: Ein Lesehinweis in eigener Sache, denn die Zeitschrift bringt heute einen Essay von "
               "mir, in dem ich vorschlage, in der Kunst der animierten Schrift ein Beispiel dafür zu sehen, wie "
               "sich Literatur und Film im Netz begegnen." for n in range(3)]
    blocks = ["Home", "Neueste Artikel", *latest, *[f"{menu} {n}" for n in range(14)],
              "Literatur und Animated Typography", *article, "Kommentare sind geschlossen."]
    body = body_of(blocks, "https://example.org/2010/05/literatur-und-animated-typography/")
    assert "Absatz 1" in body and "Google Books" not in body


def test_a_recipes_short_steps_between_counters_stay_one_run_and_its_picture_buttons_are_left_out() -> None:
    from pipeline.clean.classify import article_runs, context_pass, initial_verdict, page_evidence

    step = ("Damit sich der Kuchen nach dem Backen gut aus der Form lösen lässt, fette den Boden der Springform "
            "mit etwas Butter ein, und stelle die Form dann in den Kühlschrank.")
    # Steps thick with quantities and thin in stop words: not prose on their own.
    short_steps = [f"{n}: 150 g Weizenmehl, 2 TL Backpulver, 2 EL Back-Kakao, 125 g Zucker, 1 Pck. Vanillezucker."
                   for n in ("Mische", "Siebe", "Füge", "Verrühre")]
    blocks = ["1 von 6", step]
    for number, short in enumerate(short_steps, 2):
        blocks += ["Bild anzeigen Bild schließen", f"{number} von 6", short]
    blocks += ["Bild anzeigen Bild schließen", "6 von 6", step.replace("Kuchen", "Teig")]
    evidence = page_evidence(blocks, "de")
    verdicts = context_pass([initial_verdict(e, False) for e in evidence])
    runs, _ = article_runs(blocks, verdicts, evidence)
    assert len(runs) == 1 and runs[0][0] == 1 and runs[0][-1] == len(blocks) - 1

    body = body_of(["Rezepte", "Maulwurfkuchen mit Erdbeeren", *blocks, "Neugierig geworden?"],
                   "https://example.org/rezept/maulwurfkuchen-mit-erdbeeren")
    assert "Verrühre:" in body and "Bild anzeigen" not in body


def test_tags_and_recommendations_end_the_article_in_more_languages() -> None:
    from pipeline.clean.cues import CHROME_BLOCK, SECTION_BOUNDARY

    for heading in ("Tagi:", "Polecamy", "Unsere Empfehlungen", "Nous recommandons", "Mots-clés", "Etiquetas",
                    "Consigliati", "Aanbevolen"):
        assert SECTION_BOUNDARY.match(heading), heading
    assert CHROME_BLOCK.match("Podziel się")
    assert not SECTION_BOUNDARY.match("Tagi i etykiety w nowym systemie")


def test_a_copy_of_the_title_over_a_single_summary_at_the_foot_does_not_take_the_body() -> None:
    steps = [f"Krok {n}: Z mąki, wody, soli i jajka zrób klasyczne ciasto na pierogi, a po wyrobieniu ciasta odstaw "
             "je do lodówki na dwadzieścia minut, zanim je rozwałkujesz." for n in range(1, 3)]
    summary = ("Pierogi to klasyczne danie nie tylko kuchni polskiej, bo podobne potrawy zjeść można także w innych "
               "regionach świata, a nasz przepis na pierogi z dynią w sosie szałwiowym jest prosty i szybki, i "
               "na pewno zasmakuje całej rodzinie, także tym, którzy za dynią nie przepadają.") * 2
    menu = "Przepisy Blog Społeczność Składniki Newsletter Kontakt Regulamin Polityka prywatności Mapa witryny"
    blocks = ["Przepisy", "Pierogi z dynią w sosie szałwiowym", *steps, *[f"{menu} {n}" for n in range(14)],
              "Pierogi z dynią w sosie szałwiowym", summary, "Ustawienia plików cookie"]
    body = body_of(blocks, "https://example.org/przepis/pierogi-z-dynia-w-sosie-szalwiowym")
    assert "Krok 2" in body and "klasyczne danie" not in body


def test_a_recipe_card_after_the_post_keeps_the_post_above_it() -> None:
    post = [f"Absatz {n}: Oft braucht es für den großen Genuss gar keine besonders raffinierte Torte, denn ein "
            "einfacher saftiger Zitronenkuchen tut es auch, und er gelingt auch denen, die selten backen." for n in
            range(4)]
    card = ["Zutaten", "300 Gramm Butter weich", "200 Gramm Zucker", "6 mittelgroße Eier", "Zubereitung",
            *[f"Schritt {n}: Den Ofen auf 175 Grad vorheizen, dann das Blech einfetten und mit etwas Mehl "
              "bestäuben, bevor der Teig darauf verteilt wird." for n in range(3)]]
    comments = [f"Kommentar {n}: Ich habe den Kuchen am Wochenende gebacken, und er ist wirklich sehr saftig "
                "geworden, auch wenn ich etwas weniger Zucker genommen habe als im Rezept steht, danke dafür!"
                for n in range(12)]
    blocks = ["Startseite", "Saftiger Zitronenkuchen vom Blech: einfach köstlich!", "von Kathrin", *post,
              "Zitronenkuchen vom Blech", "Rezept drucken", *card, "Kommentare", *comments]
    body = body_of(blocks, "https://example.org/rezepte/saftiger-zitronenkuchen-vom-blech.html")
    assert "Absatz 0" in body and "Schritt 2" in body and "Kommentar 1" not in body


def test_an_inline_read_also_link_inside_the_text_does_not_end_the_article() -> None:
    before = [f"Teil {n}: Die Kanzlerin traf am Mittwoch in Berlin die finnische Regierungschefin, und beide "
              "sprachen lange über den Haushalt der Union, über den die Mitgliedstaaten seit Monaten streiten."
              for n in range(3)]
    after = [f"Weiter {n}: Der Präsident des Rates versucht nun, einen Kompromiss zu finden, doch die Positionen "
             "liegen weit auseinander, und eine Einigung ist vor dem Sommer nicht zu erwarten." for n in range(3)]
    for cue, languages in (("Lesen Sie auch:", "de"), ("Lue myös:", "fi"), ("Read also", "en")):
        blocks = ["Nachrichten", "Kanzlerin trifft Regierungschefin in Berlin", *before, cue,
                  "Auf dieser Liste steht das Land auf Platz 7 – die Verteilung der Gelder beginnt", *after,
                  "Kommentare", *[f"Kommentar {n}: Das ist doch alles schon lange bekannt, und es ändert sich nichts, "
                                  "egal wer gerade regiert, schreibt ein Leser." for n in range(12)]]
        body = body_of(blocks, "https://example.org/politik/kanzlerin-trifft-regierungschefin-in-berlin")
        assert "Teil 0" in body and "Weiter 2" in body, languages
        assert "Platz 7" not in body and "Kommentar 1" not in body, languages


def test_a_recipes_ingredients_above_its_steps_are_part_of_the_body_but_a_menu_entry_is_not() -> None:
    from pipeline.clean.classify import context_pass, initial_verdict, page_evidence
    from pipeline.clean.extract import _with_ingredients

    ingredients = ["Składniki", "dynia", "400 gramów", "cebula", "1 sztuka", "ząbki czosnku", "3 sztuki", "masło",
                   "2 łyżki"]
    steps = [f"Krok {n}: Z mąki, wody, soli i jajka zrób klasyczne ciasto na pierogi, a po wyrobieniu ciasta "
             "odstaw je do lodówki na dwadzieścia minut, zanim je rozwałkujesz." for n in range(1, 4)]
    blocks = ["Przepisy", "Pierogi z dynią w sosie szałwiowym", "60 min.", "łatwe", *ingredients,
              "Przygotowanie krok po kroku", *steps]
    body = body_of(blocks, "https://example.org/przepis/pierogi-z-dynia-w-sosie-szalwiowym")
    assert "400 gramów" in body and "Krok 3" in body and "60 min." not in body

    menu = ["Zutaten", "Bücher", "Artikel", "Gesundheitstipps", "Verdauung", "Reisen", "Europa", "Küchengeräte"]
    evidence = page_evidence([*menu, *steps], "de")
    region = [i for i, v in enumerate(context_pass([initial_verdict(e, False) for e in evidence]))
              if v.value == "good" and i >= len(menu)]
    assert _with_ingredients(region, [*menu, *steps], evidence, None) == region
