"""Header pieces found by class of layout: bylines among dates and credits, titles above the body,
mojibake repaired, sentences repeated on a page, comment threads under short posts."""

from __future__ import annotations

from pipeline.clean.chrome import repeated_blocks
from pipeline.clean.classify import Verdict, article_region, page_evidence
from pipeline.clean.normalize import repair_mojibake
from pipeline.clean.stopwords import function_words
from pipeline.clean.structure import choose_title, dateline_author, find_header, inline_byline


def test_inline_byline_finds_names_among_dates_and_credits() -> None:
    assert inline_byline("Posted on 21. Juli 2019 by Jane Miller") == ["Jane Miller"]
    assert inline_byline("27. Januar 2014 by Barbara Russ / Kategorien: Event") == ["Barbara Russ"]
    assert inline_byline("Text von Christian Seiler Illustration von Markus Roost")[0].startswith("Christian Seiler")
    assert inline_byline("Gespeichert von rasos am 24. Juli 2017 - 18:55") == ["rasos"]
    assert inline_byline("Von Felix Eisenreich // 1. November 2023") == ["Felix Eisenreich"]


def test_inline_byline_leaves_prepositions_in_sentences_alone() -> None:
    assert inline_byline("Die Rede von Angela Merkel wurde lange erwartet") == []
    assert inline_byline("Empa-Spin-off revolutioniert die Messung von Treibhausgasen") == []
    assert inline_byline("Partner werden") == []
    assert inline_byline("by the way, nothing here", function_words("en")) == []


def test_dateline_author_takes_the_name_beside_the_date() -> None:
    assert dateline_author("Tina Klostermeier 15.12.2022", "15.12.2022") == ["Tina Klostermeier"]
    assert dateline_author("04.02.2022 | 15:33 Uhr | Dennis Steimels", "04.02.2022 | 15:33") == ["Dennis Steimels"]
    assert dateline_author("15.12.2022", "15.12.2022") == []


def test_dateline_author_takes_a_source_given_with_its_full_name() -> None:
    block = "12.12.2022 - Empa (Eidgenössische Materialprüfungs- und Forschungsanstalt)"
    assert dateline_author(block, "12.12.2022") == ["Empa"]
    assert dateline_author("12.12.2022 – DLR (Deutsches Zentrum für Luft- und Raumfahrt)", "12.12.2022") == ["DLR"]
    assert dateline_author("12.12.2022 - Berlin (dpa)", "12.12.2022") == []


def test_title_is_the_heading_above_the_dateline_not_a_picture_heading_below_it() -> None:
    blocks = ["Home", "News", "Ministers agree to cap the price of gas across the union", "Jane Miller",
              "Monday 10 January 2022", "Gas prices in one picture", "Ministers met in Brussels on Tuesday to "
              "agree a common position on energy prices after a hard winter for households."]
    assert choose_title(blocks, 6, 4, set(), set(), None) == 2


def test_title_of_one_word_is_found() -> None:
    blocks = ["Start", "Produkte", "Kontakt", "Baumgutachten",
              "Ein Baumgutachten beschreibt den Zustand eines Baumes und seine Sicherheit im Verkehr."]
    header = find_header(blocks, None, 4, None, set())
    assert header.title == "Baumgutachten"


def test_mojibake_is_repaired_and_clean_text_left_alone() -> None:
    assert repair_mojibake("fÃ¼hrte Â«geringe MengenÂ» GrÃ¼ndung") == "führte «geringe Mengen» Gründung"
    assert repair_mojibake("SÃO PAULO, São Paulo, Ã© alone") == "SÃO PAULO, São Paulo, Ã© alone"


def test_only_repeated_sentences_count_as_chrome() -> None:
    caption = "A man rides a donkey past the settlement of Revava on Friday, November 15, 2019."
    blocks = ["Breaking News", caption, "Body text.", caption, "Breaking News"]
    repeated, sentences = repeated_blocks(blocks)
    assert repeated == {0, 1, 3, 4}
    assert sentences == {1, 3}


def test_a_short_post_is_not_outweighed_by_its_comments() -> None:
    post = ("Our goal with hosting quarterly open threads is to give readers an opportunity to raise "
            "comments or questions about our work in a public space. We will read every comment and answer "
            "as many as we can before the next thread opens, and we list the answers in a post of their own.")
    comment = ("Any update on how the follow-up paper will affect the recommendation? It seems that the "
               "effects fade over time, and I wonder whether the model takes that into account at all.")
    blocks = ["Open thread", post, "Comments", *[comment + f" ({n})" for n in range(20)]]
    evidence = page_evidence(blocks, "en")
    verdicts = [Verdict.BAD, Verdict.GOOD, Verdict.BAD, *[Verdict.GOOD] * 20]
    assert article_region(blocks, verdicts, evidence, start=1, lead_share=0.1, before_boundary=True) == [1]
    assert article_region(blocks, verdicts, evidence, start=1, lead_share=0.1) == list(range(3, 23))


def test_picture_credits_are_chrome_but_text_mentioning_photos_is_not() -> None:
    from pipeline.clean.chrome import chrome_reason

    assert chrome_reason("Protesters have worn masks to protect their identities (Image: GETTY )") == "caption"
    assert chrome_reason("The core stage after the installation of its engines. (credit: NASA/J. Doe)") == "caption"
    assert chrome_reason("Sanjeev Verma/Hindustan Times/Getty Images") == "caption"
    assert chrome_reason("In this Dec. 12, 2006, file photo, made available by NASA, an astronaut works.") == "caption"
    assert chrome_reason("Die Ausstellung zeigt Fotos aus drei Jahrzehnten, darunter viele Porträts.") is None
    assert chrome_reason("He said the photo was taken in May, long before the protests began.") is None


def test_a_kicker_above_the_headline_is_not_the_title() -> None:
    blocks = ["Home", "Gardening", "ENVIRONMENT", "Wild goats ruled this island for a century and now it is reborn",
              "The rocky island, once stripped of its flora by invasive species, is green again, and it shows."]
    assert choose_title(blocks, 4, None, set(), set(), None) == 3


def test_a_short_title_shown_twice_keeps_the_teaser_heading_below() -> None:
    blocks = ["Menu", "Film office Göttingen", "Film office Göttingen",
              "Hollywood on the Leine: the story of a film town",
              "Learn more here about the history of the film town and of the studios that made it famous."]
    assert choose_title(blocks, 4, None, set(), set(), None) in (1, 2)


def test_a_byline_word_alone_names_the_author_on_the_next_line() -> None:
    blocks = ["Home", "Calm through the crisis",
              "Attention is an engine of industrial society, but in a crisis it turns against us, and we feel it.",
              "The author teaches mindfulness and sits on the board of an association.", "von", "Ursula Baatz",
              "Tags"]
    header = find_header(blocks, 1, 2, None, set(), body_end=4)
    assert header.authors == ["Ursula Baatz"]


def test_text_and_photos_byline() -> None:
    assert inline_byline("Text & Fotos: Ivan Valetny 0 337") == ["Ivan Valetny"]


def test_a_series_link_after_the_article_matching_the_url_does_not_take_the_body() -> None:
    from pipeline.clean.extract import extract_article
    from pipeline.clean.site_chrome import SiteChromeModel
    from pipeline.schema import Page

    article = [f"Paragraph {n}: the relief agency trained many volunteers this year, and more women than ever "
               "before took part in the exercises, which the organisers said was a sign of a lasting change."
               for n in range(8)]
    blocks = ["Home", "News", "Women in the relief agency: past, present and future", *article,
              "Related articles", "Series: women in the relief agency", *[f"Region {n}" for n in range(20)],
              "Your opinion counts",
              "Let us know what you like or do not like. We are open to ideas and glad about your praise and "
              "criticism, and we answer every message we receive as soon as we can.", "Give feedback"]
    page = Page("d", "site", "f.txt", "\n\n".join(blocks), url="https://example.org/news/series-women-relief-agency.html")
    result = extract_article(page, SiteChromeModel.empty())
    assert "Paragraph 3" in result.body


def test_a_paragraph_doubled_in_place_keeps_one_copy() -> None:
    from pipeline.clean.extract import extract_article
    from pipeline.clean.site_chrome import SiteChromeModel
    from pipeline.schema import Page

    lead = ("With the new compact crossover the maker wants a share of the booming segment of small SUVs, only "
            "weeks after the launch of the hatchback it is built on.")
    rest = [f"Paragraph {n}: the hybrid drive is standard, and one buyer in four chooses the optional all-wheel "
            "drive, the importer said on Friday when it presented the figures for the first month." for n in range(4)]
    blocks = ["Home", "New crossover joins the range", lead, lead, *rest, "Related articles", "Other news"]
    page = Page("d", "site", "f.txt", "\n\n".join(blocks), url="https://example.org/news/new-crossover-joins-range")
    body = extract_article(page, SiteChromeModel.empty()).body
    assert body.count(lead) == 1


def test_the_author_box_at_the_foot_of_a_post_is_not_body() -> None:
    from pipeline.clean.extract import _cut_author_box

    blocks = ["Paragraph one of the post, which is long enough to be prose for sure.",
              "Paragraph two of the post, which is long enough to be prose for sure.",
              "About Kathrin", "Hello, I am a food blogger and cookbook author, and I bake since childhood."]
    assert _cut_author_box([0, 1, 2, 3], blocks) == [0, 1]
    assert _cut_author_box([0, 1], blocks) == [0, 1]


def test_a_plural_in_the_headline_still_matches_the_singular_in_the_slug() -> None:
    from pipeline.clean.structure import _slug_score, slug_words

    slug = slug_words("https://example.com/gardening/outdoor/hydrangea-care")
    assert _slug_score("How to Care for Hydrangeas", slug) > _slug_score("How to Care for Roses", slug)


def test_interface_words_are_no_ones_name() -> None:
    from pipeline.clean.structure import looks_like_name

    assert not looks_like_name("View Comments")
    assert not looks_like_name("Teilen Senden")
    assert not looks_like_name("Partager Imprimer")
    assert looks_like_name("Gregory Szorc")
    assert dateline_author("January 13, 2020 | categories: Python | View Comments", "January 13, 2020") == []


def test_a_byline_alone_on_its_line_deep_in_the_body_names_the_author() -> None:
    paragraph = ("Die Gemeinde versteigerte am Sonnabend alte Stühle, Leuchten und Gemälde vom Dachboden der Kirche, "
                 "und der Erlös fließt in die Sanierung des Gotteshauses.")
    blocks = ["Start", "So lief die Auktion in der Kirche", *[paragraph] * 14, "Von Cosima Künzel",
              "Mehr aus der Stadt", "Kneipe schließt nach 41 Jahren"]
    header = find_header(blocks, 1, 2, None, set(), function_words("de"), body_end=len(blocks))
    assert header.authors == ["Cosima Künzel"]
    # A preposition opening a short line of the body is no byline.
    blocks[16] = "Von Beginn an voll"
    assert find_header(blocks, 1, 2, None, set(), function_words("de"), body_end=len(blocks)).authors == []


def test_a_name_under_an_academic_title_is_the_author_not_the_title() -> None:
    from pipeline.clean.structure import parse_byline

    assert parse_byline("Dr. Karin J. Schmitz Abteilung Öffentlichkeitsarbeit") == ["Dr. Karin J. Schmitz"]
    assert parse_byline("Prof. Dr. Hans Weber") == ["Prof. Dr. Hans Weber"]
    assert parse_byline("Dr. med. Anna van Berg, Klinikum Nord") == ["Dr. med. Anna van Berg"]
    blocks = ["Zurück", "Ähnliche Pressemitteilungen", "d", "01.11.2023 11:35", "Efficient hybrid battery",
              "Dr. Karin J. Schmitz Abteilung Öffentlichkeitsarbeit", "Gesellschaft Deutscher Chemiker e.V.",
              "Formic acid is a promising energy carrier, since it can be made from carbon dioxide and used in many "
              "ways, and a team has now built a cell that charges fast."]
    header = find_header(blocks, None, 7, 3, set(), dateline=(3, "01.11.2023 11:35"))
    assert header.title == "Efficient hybrid battery"
    assert header.authors == ["Dr. Karin J. Schmitz"]


def test_the_title_may_follow_the_dateline_directly() -> None:
    blocks = ["Football", "Bundesliga", "Германия", "15 августа 2016, 13:43", "Подольски завершил карьеру в сборной",
              "Ветеран сборной Германии Лукаш Подольски принял решение прекратить выступления за сборную."]
    assert choose_title(blocks, 5, 3, set(), set(), None) == 4
    # A copy of the dateline between them changes nothing.
    blocks.insert(4, blocks[3])
    assert choose_title(blocks, 6, 3, set(), set(), None) == 5


def test_a_picture_credit_above_the_byline_is_not_the_author() -> None:
    blocks = ["Leudot talvet tekevät meistä väsyneempiä", "Vuodenaikojen vaihtuminen vaikuttaa mielialaan.",
              "19.2.2020 klo 14.00", "Jalankulkija Helsingin Merihaassa helmikuussa.", "Hanna Matikainen / Lehtikuva",
              "Markus Mäki", "Jaa artikkeli:",
              "Talven pimeys vaikuttaa lähes kaikkiin suomalaisiin, ja moni kokee väsymystä ja alakuloa marraskuusta "
              "helmikuuhun, kertoo tutkija."]
    header = find_header(blocks, 0, 1, None, set(), function_words("fi"), body_end=len(blocks),
                         dateline=(2, "19.2.2020 klo 14.00"))
    assert header.authors == ["Markus Mäki"]


def test_the_title_the_url_names_is_found_above_a_long_list_of_options() -> None:
    from pipeline.clean.structure import slug_words

    options = [f"Größe {n} / Röstung {n}" for n in range(30)]
    blocks = ["Shop", "Happy Coffee Sidamo Bio Bohnen", "€27.90 inkl. MwSt.", *options, "In den Warenkorb",
              "Diese Bohnen stammen aus der Region Sidamo in Äthiopien und werden auf einer Höhe von 1800 Metern "
              "angebaut, von Hand gepflückt und frisch geröstet."]
    url = "https://shop.example/products/happy-coffee-sidamo-bio-kaffeebohnen"
    assert choose_title(blocks, len(blocks) - 1, None, set(), slug_words(url), 1) == 1


def test_the_headline_above_a_dateline_far_from_the_body_is_found() -> None:
    blocks = ["Startseite", "Kaufratgeber: elektronisches Katzenspielzeug für Abwechslung", "1. Februar 2022 Steffi",
              "Die meisten Katzen freuen sich über ein wildes Spiel.", *[f"Produkt {n}" for n in range(20)],
              "3 Bewegungssequenzen, herausnehmbares Kissen, waschbar", "13,99 EUR",
              "Elektronisches Spielzeug bewegt sich von allein, und viele Katzen jagen es stundenlang durch die "
              "Wohnung, während ihre Menschen bei der Arbeit sind."]
    assert choose_title(blocks, len(blocks) - 1, 2, set(), set(), None) == 1


def test_a_link_back_up_the_site_is_not_the_title() -> None:
    blocks = ["Produkte", "< ZURÜCK / Joghurt", "Teilen Senden", "Unsere MinusL Joghurts",
              "Sie lieben Joghurt mit frischen Früchten zum Frühstück oder einen cremigen Joghurt als Snack, und "
              "wir haben für jeden Geschmack eine Sorte."]
    assert choose_title(blocks, 4, None, set(), {"produkt", "kategorien", "joghurt"}, None) == 3


def test_the_pages_html_title_shown_on_it_yields_to_the_headline() -> None:
    from pipeline.clean.structure import slug_words

    blocks = ["Full site", "Best Cheap Homemade Halloween Costumes | 2020",
              "90+ Costumes For Adults to DIY on the Cheap This Halloween", "Oct 30 2020", "by EMILY CO",
              "Cheap and easy costumes are all that matter this Halloween, and we are here to tell you that you can "
              "consider your costume complete."]
    url = "https://www.example.co.uk/smart-living/Cheap-Homemade-Halloween-Costumes-42432483"
    assert choose_title(blocks, 5, 3, set(), slug_words(url), None) == 2


def test_the_headline_in_full_beats_its_short_form_and_its_form_with_a_kicker() -> None:
    from pipeline.clean.structure import slug_words

    blocks = ["Startseite", "Weihnachten nicht zunehmen: 10 Tipps", "ABNEHM-TRICKS FÜR WEIHNACHTEN",
              "Weihnachten nicht zunehmen: 10 Tipps für ein schlankes Fest",
              "Die Weihnachtszeit steht für Genuss, und wir lassen es uns noch einmal richtig schmecken, bevor wir "
              "mit guten Vorsätzen ins neue Jahr starten."]
    url = "https://www.example.de/abnehmen/weihnachten-nicht-zunehmen/"
    assert choose_title(blocks, 4, None, set(), slug_words(url), 1) == 3
    blocks = ["Aboplus", "Lokales Lübeck So lief die Auktion von St. Johannes", "18:34 19.10.2019",
              "Kostenlos bis 19:34 Uhr", "So lief die Auktion von St. Johannes",
              "Stühle, Leuchten und ein Abendmahl aus Gips: Im Kirchen-Forum wurden die Schätze vom Dachboden der "
              "Kirche versteigert."]
    url = "https://www.example.de/Lokales/Luebeck/Luebeck-So-war-die-Auktion-fuer-St.-Johannes"
    assert choose_title(blocks, 5, 2, set(), slug_words(url), 1) == 4


def test_a_menu_item_matching_a_one_word_path_is_not_the_title() -> None:
    blocks = ["Journal", "Interviews", "Reviews", "About Us", "In the News", "Meet the Team", "Our Partners",
              "The strategic Think & Do Tank",
              "Foreign, security and development policy and analyses, crisis management and civil society "
              "engagement, all in one network of young researchers."]
    assert choose_title(blocks, 8, None, set(), {"about"}, None) == 7


def test_the_headline_under_a_kicker_may_open_the_body_when_the_dateline_follows() -> None:
    headline = "Ravenous wild goats ruled this island for over a century. Now, it's being reborn."
    blocks = ["TV SCHEDULE", "ENVIRONMENT", headline,
              "The rocky island, once stripped of its flora and fauna by invasive species, makes a quick comeback.",
              "Monday, 6 January 2020", "By Michael Hingston",
              "Redonda is a sliver of volcanic rock in the Caribbean, and for more than a century goats and rats "
              "ate everything that grew on it, until a team took them off the island."]
    header = find_header(blocks, None, 2, None, set(), function_words("en"), dateline=(4, "Monday, 6 January 2020"))
    assert header.title == headline
    assert header.authors == ["Michael Hingston"]
    # A lead sentence under a section label, with the dateline above, stays the body's.
    blocks = ["Esportes", "21.04.2022", "Classificação NASCAR",
              "Nesta página você terá sempre a classificação atualizada da NASCAR até a última corrida!",
              *blocks[6:]]
    assert find_header(blocks, None, 3, 1, set(), dateline=(1, "21.04.2022")).title == "Classificação NASCAR"


def test_a_headline_shown_twice_above_a_dateline_inside_the_body_is_the_title() -> None:
    blocks = ["Bücher", "Gutschein", "Bitte warten - die Druckansicht der Seite wird vorbereitet.",
              "Der Druckdialog öffnet sich, sobald die Seite vollständig geladen wurde.", "KulturMagazin",
              "Kreatives Basteln mit Kids", "Blog", "DIY: Kleines Farbbüchlein", "Kreatives Basteln mit Kids",
              "Erstellt am 09.02.2022",
              "Habt ihr Lust, gemeinsam als Familie auf entspannte Weise kreativ zu sein? Dann haben wir hier eine "
              "tolle Idee für euch, die sich kinderleicht umsetzen lässt."]
    header = find_header(blocks, None, 2, None, set(), function_words("de"), dateline=(9, "09.02.2022"))
    assert header.title == "Kreatives Basteln mit Kids"


def test_a_dateline_in_the_third_block_of_the_body_dates_the_article() -> None:
    from pipeline.clean.extract import extract_article
    from pipeline.clean.site_chrome import SiteChromeModel
    from pipeline.schema import Page

    paragraph = ("Die NASA startet einen eigenen Streamingdienst, der ohne Gebühren, Werbung oder Registrierung "
                 "auskommt und Starts, Dokumentationen und Serien zeigt, teils auch in hoher Auflösung.")
    blocks = ["Startseite", "NASA+ Streaming startet ohne Registrierung", paragraph,
              "Bild: NASA", "Christian Kahle, 03.11.2023 15:32 Uhr", *[paragraph.replace("NASA", f"Die Agentur {n}")
                                                                     for n in range(5)],
              "Mehr zum Thema", "Weitere Nachrichten vom 8. November 2023"]
    page = Page("d", "site", "f.txt", "\n\n".join(blocks), url="https://example.de/news/nasa-streaming-startet.html")
    article = extract_article(page, SiteChromeModel.empty())
    assert article.published_at is not None and article.published_at.date().isoformat() == "2023-11-03"


def test_a_link_to_the_authors_page_names_the_author() -> None:
    from pipeline.clean.structure import author_link

    assert author_link(["Instagram: stefa.nus", "Mehr Artikel von Stefanus →"], set()) == (["Stefanus"], None)
    assert author_link(["View all posts by Jane Doe"], set()) == (["Jane Doe"], None)
    assert author_link(["Tous les articles de Marie Dupont"], set()) == (["Marie Dupont"], None)
    blocks = ["Lue seuraavaksi:", "Tapio Nurminen", "Ota yhteyttä", "Kirjoittajan muut jutut"]
    assert author_link(blocks, set(), function_words("fi")) == (["Tapio Nurminen"], 1)
    blocks = ["Entwicklung dieses Rezeptes:", "Iris Lange-Fricke", "zu allen Rezepten vom Autor", "Zutaten"]
    assert author_link(blocks, set(), function_words("de")) == (["Iris Lange-Fricke"], 1)
    # A link to other articles that names no one, or a lowercase phrase, names no author.
    assert author_link(["Weitere Nachrichten", "Mehr Artikel von heute", "Alle Artikel des Ressorts"], set(),
                       function_words("de")) == ([], None)


def test_the_author_after_the_articles_date_in_its_facts_box() -> None:
    paragraph = ("Der heimische Luftfahrtzulieferer profitiert von der starken Nachfrage, sagte der Konzernchef am "
                 "Dienstag, und der Auftragseingang sei so hoch wie nie zuvor in der Geschichte des Unternehmens.")
    blocks = ["News", "Luftfahrtbranche hebt nach Corona ab", "31.10.2023", paragraph, paragraph + " Zweitens.",
              "Sie wollen mehr von uns?", "Erstveröffentlichung", "31.10.2023", "Letzte Aktualisierung", "31.10.2023",
              "Tom Arnold", "#Maschinenbau"]
    header = find_header(blocks, 1, 3, 2, set(), function_words("de"), body_end=5, dateline=(2, "31.10.2023"))
    assert header.authors == ["Tom Arnold"]


def test_menu_items_and_section_names_are_no_authors() -> None:
    from pipeline.clean.structure import looks_like_name

    assert not looks_like_name("Neueste Artikel")
    assert not looks_like_name("Aktuelle Meldungen")
    paragraph = ("Docker Engine is an open source containerization technology for building and containerizing your "
                 "applications, and it runs on many Linux distributions and on Windows.")
    blocks = ["Manuals", "Docker Engine", "Install", "Overview", "Docker Engine overview", paragraph, paragraph + " 2"]
    assert find_header(blocks, 4, 5, None, set(), function_words("en"), body_end=7).authors == []
    # A name among short lines, right beside the dateline, is the byline.
    blocks = ["Science", "Security", "Louise Matsakis", "Business", "11.15.2019 10:09 AM",
              "Why My Friend Became a Grocery Store on Instagram", paragraph, paragraph + " 2"]
    header = find_header(blocks, None, 6, 4, set(), function_words("en"), body_end=8,
                         dateline=(4, "11.15.2019 10:09 AM"))
    assert header.authors == ["Louise Matsakis"]


def test_a_headline_inside_a_breadcrumb_above_a_dateline_inside_the_body_is_the_title() -> None:
    headline = "UN-Klimakonferenz in Glasgow - DRK: Immer mehr Menschen auf Hilfe angewiesen"
    blocks = ["Mediathek", "DRK Styleguide", "PressePressemitteilungen" + headline, "Vorlesen", headline,
              "Berlin, 28.10.2021, 058/21",
              "Vor Beginn der UN-Klimakonferenz ruft das Deutsche Rote Kreuz dazu auf, die Menschen in den am "
              "stärksten betroffenen Ländern besser zu schützen."]
    header = find_header(blocks, None, 3, None, set(), function_words("de"), dateline=(5, "28.10.2021"))
    assert header.title == headline


def test_the_writers_post_after_the_name_is_no_second_author() -> None:
    paragraph = ("Defense Secretary Mark Esper accused China on Wednesday of intimidating smaller Asian nations, "
                 "and he urged them to stand together against what he called coercion.")
    blocks = ["News", "Esper accuses China of intimidating smaller Asian nations",
              "Robert Burns, AP National Security Writer", paragraph, paragraph + " Again."]
    assert find_header(blocks, 1, 3, None, set(), function_words("en"), body_end=5).authors == ["Robert Burns"]
    blocks[2] = "Anna Weber, Korrespondentin Brüssel"
    assert find_header(blocks, 1, 3, None, set(), function_words("de"), body_end=5).authors == ["Anna Weber"]
    blocks[2] = "By Staff Writer"  # a post alone is what the page names
    assert find_header(blocks, 1, 3, None, set(), function_words("en"), body_end=5).authors == ["Staff Writer"]


def test_word_limits_read_as_a_full_split_does() -> None:
    import random

    from pipeline.clean.structure import _MIN_LETTERS, TITLE_MAX_WORDS, _more_words_than, _title_shaped, is_headline

    rng = random.Random(3)
    pieces = ["a", "Wort", " ", "  ", "\t", "\u00a0", "\u2003", "\n", "x.y", "", ".", ":", "©", "http", "…"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 120)))
        for limit in (0, 1, 3, 8, 16, 24):
            assert _more_words_than(text, limit) == (len(text.split()) > limit), (text, limit)
        words = len(text.split())
        assert is_headline(text) == (3 <= words <= 40 and not text.endswith((".", ":", ";", ",")) and
                                     not text.startswith(("©", "http"))), text
        assert _title_shaped(text) == (1 <= words <= TITLE_MAX_WORDS and not text.endswith((".", ",", ";", ":", "…"))
                                       and not text.startswith(("©", "http")) and _MIN_LETTERS.search(text) is not None)


def test_title_anchor_skips_only_blocks_sharing_no_word_with_the_slug() -> None:
    """title_anchor rules out blocks by a substring test of the slug's stems: it picks the block that
    scoring every headline-shaped block would pick, on ASCII, accented and umlaut headlines alike."""
    import random

    from pipeline.clean.structure import MIN_SLUG_SCORE, _slug_score, is_headline, slug_words, title_anchor

    rng = random.Random(13)
    words = ["Hydrangea", "care", "Über", "Größe", "groesse", "uber", "café", "cafe", "news", "Regeln", "regel",
             "city", "council", "votes", "budget", "the", "of", "a", "zürich", "zuerich", "ΑΘΗΝΑ", "straße", "strasse"]
    chosen = 0
    for _ in range(1500):
        blocks = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 7))) for _ in range(rng.randint(1, 12))]
        url = "https://example.org/" + "-".join(rng.choice(words).lower() for _ in range(rng.randint(1, 5)))
        excluded = {i for i in range(len(blocks)) if rng.random() < 0.1}
        before = rng.choice([None, rng.randint(0, len(blocks))])
        slug = slug_words(url)
        expected = None
        if len(slug) >= 2:
            scores = [(_slug_score(b, slug), -i) for i, b in enumerate(blocks[:before])
                      if i not in excluded and is_headline(b)]
            if scores and max(scores)[0] >= MIN_SLUG_SCORE:
                expected = -max(scores)[1]
        assert title_anchor(blocks, url, excluded, before) == expected, (blocks, url)
        chosen += expected is not None
    assert chosen > 100


def test_folding_drops_every_combining_character() -> None:
    """The slug fold drops marks with a table of the code points below COMBINING_BELOW: there are none above."""
    import sys
    import unicodedata

    from pipeline.clean.structure import COMBINING_BELOW, _fold

    assert not [code for code in range(COMBINING_BELOW, sys.maxunicode + 1) if unicodedata.combining(chr(code))]
    for text in ["Café Zürich", "Ǻngström", "ﬁnance ½", "Ελλάδα", "Straße", "e\u0301\u0327\u20dd x", "Łódź"]:
        folded = text.casefold().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae",
                                                          "ø": "oe", "å": "aa"}))
        expected = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
        assert _fold(text) == expected
