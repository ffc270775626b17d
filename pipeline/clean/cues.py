"""Words and phrases that mark site chrome, bylines and appeals, in the major European languages."""

from __future__ import annotations

import re

# Whole blocks that are interface text: buttons, prompts, menus, footers.
CHROME_BLOCK = re.compile(
    r"""^(
      comments?|\d+\s+comments?|share|share\s+(this|on)\b.*|tweet|print|email|e-mail|menu|search|home|
      log\s?in|sign\s?in|sign\s?up|subscribe|register|logout|log\s?out|skip\s+to\s+(main\s+)?content|
      advertisement|advert|sponsored|related(\s+articles?|\s+stories|\s+posts)?|read\s+more|more\s+from\b.*|
      most\s+(read|popular|viewed)|trending|newsletter|follow\s+us.*|you\s+may\s+also\s+like.*|
      kommentare?|teilen|anmelden|abonnieren|werbung|anzeige|mehr\s+zum\s+thema|weiterlesen|suche|
      commentaires?|partager|s'abonner|publicité|lire\s+aussi|se\s+connecter|
      comentarios?|compartir|suscríbete|publicidad|leer\s+más|iniciar\s+sesión|
      commenti|condividi|pubblicità|leggi\s+anche|accedi|
      reacties|delen|inloggen|lees\s+meer|advertentie|
      komentarze|udostępnij|podziel\s+się|reklama|czytaj\s+(też|także|więcej)|zaloguj|
      kommentit|jaa|mainos|lue\s+myös|
      комментарии|поделиться|реклама|читайте\s+также
    )[\s:.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Phrases that make a block chrome wherever they occur in it.
CHROME_PHRASE = re.compile(
    r"""(
      \bcookies?\b|\bprivacy\s+(policy|settings)|\bterms\s+(of\s+(use|service)|and\s+conditions)|
      all\s+rights\s+reserved|©|\(c\)\s*\d{4}|\bnewsletter\b|\bsign\s+up\b|\bsubscribe\b|
      \blog(ged)?\s?in\b|\bsign\s?in\b|\bregister(ing)?\b.*\b(account|free)\b|thank\s+you\s+for\s+registering|
      refresh\s+(the|your)\s+(page|browser)|your\s+email\s+address\s+will\s+not\s+be\s+published|
      this\s+entry\s+was\s+posted\s+in|this\s+post\s+(contains|may\s+contain)\s+(affiliate|references|links)|
      follow\s+(\w+\s+){0,3}on\s+(twitter|facebook|instagram|telegram)|
      deine\s+e-mail-adresse\s+wird\s+nicht\s+veröffentlicht|ihre\s+e-mail-adresse\s+wird\s+nicht\s+veröffentlicht|
      jetzt\s+registrieren|folge(n\s+sie)?\s+uns\s+(auf|bei)|empfiehl\s+(dies|diesen)|
      votre\s+adresse\s+(e-)?mail\s+ne\s+sera\s+pas\s+publiée|suivez-nous|
      tu\s+dirección\s+de\s+correo\s+electrónico\s+no\s+será\s+publicada|s[ií]guenos\s+en|hazte\s+(miembro|socio)|
      seguici\s+su|il\s+tuo\s+indirizzo\s+email\s+non\s+sarà\s+pubblicato|enable\s+javascript|your\s+browser|browser\s+preferences|
      notifications?\s+(from|can\s+be)|\bfollow\s+us\b|\bclick\s+here\b|\bdownload\s+(the|our)\s+app\b|
      join\s+(our\s+)?(commenting|the\s+conversation|the\s+discussion)|commenting\s+forum|
      datenschutz|nutzungsbedingungen|alle\s+rechte\s+vorbehalten|jetzt\s+abonnieren|newsletter\s+abonnieren|
      politique\s+de\s+confidentialité|tous\s+droits\s+réservés|
      política\s+de\s+privacidad|todos\s+los\s+derechos\s+reservados|
      tutti\s+i\s+diritti\s+riservati|
      wszelkie\s+prawa\s+zastrzeżone|
      все\s+права\s+защищены
    )""",
    re.VERBOSE,  # matched on lowercased text: faster than IGNORECASE over ~40 alternatives
)

# Picture captions and credits: a credit closing the block ('(Photo: Getty Images)', 'Credit: ESA',
# 'Name/Agency/Getty Images'), searched in the block's last characters only...
CAPTION_CREDIT = re.compile(
    r"""(
      \((?:ap\s+|afp\s+|reuters\s+)?(?:photo|image|picture|credit|foto|bild)s?(?:\s+credit)?\s*:?[^)]{0,80}\)\s*$|
      (?:photo|image|picture|credit|photograph|foto|bild|quelle|crédit|crédito)s?(?:\s+(?:credit|copyright))?
        \s*[:©]\s*[^.!?:]{2,60}$|
      \b(?:getty\s+images|shutterstock(?:\.com)?|istock(?:photo)?|ap\s+photo|reuters)(?:\s+via\s+[^.]{0,30})?\s*\)?$|
      /\s*(?:afp|epa|dpa|ap)\s*\)?$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
CAPTION_TAIL_CHARS = 100
# ... or an agency's 'file photo' or 'Image copyright' opening it.
CAPTION_OPENING = re.compile(
    r"in\s+this\s+(?:\w+\.?\s+)?(?:\d{1,2},\s+)?(?:\d{4},?\s+)?(?:file\s+)?photo\b|image\s+copyright\b",
    re.IGNORECASE,
)

# Appeals for money or subscriptions, which read like prose: they come in runs.
APPEAL_PHRASE = re.compile(
    r"""(
      \byour\s+(support|donation|contribution)\b|\bsupport\s+(us|our\s+(work|journalism|reporting))\b|
      \bdonat(e|ion|ing)\b|\bmake\s+a\s+contribution\b|\bpaywalls?\b|\bbecome\s+a\s+(member|subscriber|supporter)\b|
      \bquality\s+journalism\b|\bindependent\s+journalism\b|\bjournalism\s+should\s+be\b|
      \bunterstützen\s+sie\b|\bunterstütze\b|\bihre\s+unterstützung\b|\bjetzt\s+unterstützen\b|\bspende[nr]?\b|
      \bsoutenez\b|\bvotre\s+soutien\b|\bfaire\s+un\s+don\b|
      \bapóyanos\b|\btu\s+apoyo\b|\bdona(ción|r)\b|
      \bsostienici\b|\bil\s+tuo\s+sostegno\b|
      \bsteun\s+ons\b|\buw\s+steun\b|
      \bwesprzyj\b|\btwoje\s+wsparcie\b
    )""",
    re.VERBOSE,  # matched on lowercased text: faster than IGNORECASE over ~40 alternatives
)

# The appeal words that are also plain nouns and verbs of news ('Spenden', 'donation'): a long block holding
# only these reports on donations rather than asking for one.
APPEAL_NOUN = re.compile(r"\b(?:spende[nr]?|donat(?:e|ion|ing)|dona(?:ción|r))\b")

# Headings that open what follows an article: comments, related stories, tags. A body does not run on
# across one of these.
SECTION_BOUNDARY = re.compile(
    r"""^(
      \d*\s*comments?|leave\s+a\s+(comment|reply)|add\s+a\s+comment|post\s+a\s+comment|
      related(\s+(articles?|stories|posts|content|news|coverage|topics))?|recommended(\s+for\s+you)?|
      more\s+(stories|news|articles|from\b.*)|you\s+(may|might)\s+also\s+(like|be\s+interested\s+in).*|
      read\s+(next|more|also)|(most\s+)?(popular|read|viewed)(\s+(now|today|stories|articles))?|tags?|topics|
      share\s+this(\s+(article|story|post))?|about\s+the\s+authors?|more\s+on\s+this(\s+(story|topic))?|
      further\s+reading|see\s+also|
      über\s+(den|die)\s+autor(in|en)?|(weitere\s+)?artikel\s+zum\s+thema|themen\s+in\s+diesem\s+artikel|
      mehr\s+(zu|zum|zur)\s+\w+(\s+\w+){0,3}|siehe\s+auch|das\s+könnte\s+dich\s+(auch\s+)?interessieren|
      weiterführende\s+(links|informationen|artikel)|
      otras\s+noticias|más\s+noticias|también\s+te\s+puede\s+interesar|sobre\s+el\s+autor|
      vos\s+réactions|à\s+propos\s+de\s+l'auteur|dans\s+la\s+même\s+rubrique|
      leia\s+mais|sobre\s+o\s+autor|altre\s+notizie|potrebbe\s+interessarti|
      \d*\s*kommentare?|kommentar\s+(schreiben|verfassen)|das\s+könnte\s+sie\s+(auch\s+)?interessieren|
      mehr\s+zum\s+thema|weitere\s+(artikel|beiträge|nachrichten|themen)|(ähnliche|verwandte)\s+(artikel|beiträge)|
      auch\s+interessant|schlagworte|themen|meistgelesen|
      \d*\s*commentaires?|laisser\s+un\s+commentaire|articles?\s+(similaires|liés)|à\s+lire\s+aussi|
      sur\s+le\s+même\s+sujet|
      \d*\s*comentarios?|deja\s+un\s+comentario|(artículos|noticias)\s+relacionad[ao]s|te\s+puede\s+interesar|
      \d*\s*comentários|(artigos|notícias)\s+relacionad[ao]s|leia\s+também|veja\s+também|
      \d*\s*commenti|articoli\s+correlati|lascia\s+un\s+commento|
      \d*\s*reacties|gerelateerde\s+artikelen|lees\s+ook|
      \d*\s*komentarz[ey]?|podobne\s+artykuły|zobacz\s+(też|także)|czytaj\s+(też|także)|tagi|polecamy|
      (unsere\s+)?empfehlungen|nous\s+recommandons|mots[- ]clés|recomendamos|etiquetas|consigliati|aanbevolen|
      \d*\s*kommentit|aiheeseen\s+liittyvät|lue\s+myös|lue\s+seuraavaksi|
      \d*\s*комментари[йия]?|похожие\s+(статьи|новости)|читайте\s+также
    )[\s:.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# The boundaries that only ever end an article: its comment thread. (Related links, 'read more' and share
# boxes also stand inside articles.)
COMMENT_BOUNDARY = re.compile(
    r"""^(
      \d*\s*(leser-?|reader\s+|user-?)?(comments?|kommentare?|commentaires?|comentarios?|comentários|commenti|reacties|komentarz[ey]?|
      kommentit|комментари[йия]?)|
      leave\s+a\s+(comment|reply)|add\s+a\s+comment|post\s+a\s+comment|kommentar\s+(schreiben|verfassen)|
      laisser\s+un\s+commentaire|vos\s+réactions|deja\s+un\s+comentario|lascia\s+un\s+commento
    )[\s:.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# The heading of a recipe's ingredients, whose list of amounts stands above the steps.
INGREDIENTS_HEADING = re.compile(
    r"^(ingredients?|zutaten|ingrédients|ingredientes|ingredienti|ingrediënten|składniki|ainekset|ingredienser|"
    r"ингредиенты)\b[^.!?]{0,30}$",
    re.IGNORECASE,
)

# An inline link to another story inside the text ('Lesen Sie auch:' and its headline): the text goes on below.
READ_ALSO = re.compile(
    r"^(read\s+also|see\s+also|(lesen\s+sie|lies)\s+auch|(à\s+)?lire\s+aussi|le[ae]\s+también|leggi\s+anche|"
    r"lees\s+ook|leia\s+também|czytaj\s+(też|także)|zobacz\s+(też|także)|lue\s+myös|läs\s+också|læs\s+også|"
    r"les\s+også|читайте\s+также)[\s:.!]*$",
    re.IGNORECASE,
)

# A count of comments opening a longer call to write one ('33 Leser-Kommentare Geben Sie jetzt Ihre Meinung ab').
COMMENT_COUNT = re.compile(
    r"^\d+\s+(leser-?|reader\s+|user-?)?(comments?|kommentare?|commentaires?|comentarios?|comentários|commenti|"
    r"reacties|komentarz[ey]?|kommentit|комментари[йия]?)\b",
    re.IGNORECASE,
)

# "By Jane Doe" and its kin: the word that introduces an author's name.
BYLINE_PREFIX = re.compile(
    r"^(by|written\s+by|words\s+by|von|text(?:\s*(?:&|und|and)\s*fotos?)?:?|autor(in)?:?|author:?|par|por|di|door|af|av|przez|kirjoittanut|автор:?)\s+",
    re.IGNORECASE,
)

# Words of buttons and links, which no one's name holds ('View Comments', 'Teilen Senden').
INTERFACE_WORDS = frozenset({
    "comments", "comment", "view", "share", "print", "email", "download", "upgrade", "subscribe", "login", "menu",
    "search", "home", "reply", "read", "next", "previous", "back", "send", "save", "follow", "kommentare",
    "kommentar", "teilen", "senden", "drucken", "speichern", "mehr", "lesen", "suche", "zurück", "weiter",
    "antworten", "commentaires", "partager", "imprimer", "retour", "suivant", "comentarios", "compartir", "imprimir",
    "volver", "commenti", "condividi", "stampa", "indietro", "reacties", "delen", "afdrukken", "terug", "komentarze",
    "udostępnij", "drukuj", "wstecz", "kommentit", "jaa", "tulosta", "комментарии", "поделиться", "печать", "назад",
    # ... and of the sections they lead to ('Neueste Artikel', 'Aktuelle Meldungen', 'Weiterführende Informationen')
    "untermenü", "submenu", "übersicht", "overview", "artikel", "articles", "meldungen", "informationen", "themen",
    "topics", "wishlist", "partners", "kanäle", "channels", "newsletter", "podcast", "podcasts", "videos",
})

# Words of a writer's post, which follow the name in a byline ('Robert Burns, AP National Security Writer').
ROLE_WORDS = frozenset({
    "writer", "correspondent", "editor", "reporter", "columnist", "contributor", "journalist", "redakteur",
    "redakteurin", "korrespondent", "korrespondentin", "journalistin", "rédacteur", "rédactrice", "correspondant",
    "correspondante", "journaliste", "redactor", "redactora", "corresponsal", "periodista", "giornalista",
    "redattore", "redattrice", "corrispondente", "verslaggever", "redacteur", "correspondente", "jornalista",
    "dziennikarz", "dziennikarka", "korespondent", "toimittaja", "kirjeenvaihtaja", "корреспондент", "журналист",
})

# A link to the author's page, naming them ('Mehr Artikel von Stefanus', 'View all posts by Jane Doe') ...
AUTHOR_LINK_NAMED = re.compile(
    r"""^(?:
      (?:view\s+|see\s+)?(?:more|all|other)\s+(?:articles|posts|stories)\s+(?:by|from)|view\s+all\s+posts\s+by|
      (?:mehr|alle|weitere)\s+(?:artikel|beiträge|texte)\s+von|
      (?:plus\s+d'|tous\s+les\s+)articles\s+(?:de|par)|(?:más|todos\s+los)\s+artículos\s+de|
      (?:altri|tutti\s+gli)\s+articoli\s+di|(?:meer|alle)\s+artikelen\s+van
    )\s+(?P<name>\S.*?)[\s→»›>.]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# ... or standing under their name without it ('Iris Lange-Fricke' / 'zu allen Rezepten vom Autor').
AUTHOR_LINK = re.compile(
    r"""^(?:
      (?:view\s+|see\s+)?(?:more|all|other)\s+(?:articles|posts|stories)\s+(?:by|from)\s+(?:this|the)\s+author|
      (?:zu\s+)?(?:mehr|alle[nr]?|weitere)\s+(?:artikeln?|beiträgen?|texten?|rezepten?)\s+(?:vom|des|der)\s+autor(?:s|in)?|
      autorenseite|zum\s+autorenprofil|
      (?:plus\s+d'|tous\s+les\s+)articles\s+de\s+(?:cet\s+|l')auteur|(?:más|todos\s+los)\s+artículos\s+del\s+autor|
      (?:altri|tutti\s+gli)\s+articoli\s+dell'autore|meer\s+(?:artikelen\s+)?van\s+deze\s+auteur|
      (?:więcej|inne)\s+artykuły\s+autora|kirjoittajan\s+(?:muut\s+)?(?:jutut|artikkelit)|
      (?:другие|все)\s+(?:статьи|материалы)\s+автора
    )[\s→»›>.:]*$""",
    re.IGNORECASE | re.VERBOSE,
)

TERMINAL_PUNCTUATION = (".", "!", "?", "…", '"', "”", "’", "»", "«", "'", ")", ":", "“", "。", "！", "？", "」")

# The opening of an author's box at the foot of a post: a short self-introduction or a bio in the third
# person ('Hallo, ich bin ...', 'Als Content Managerin betreue ich ...', 'Schreibt seit 2008 für ...').
BIO_OPENING = re.compile(
    r"""^(?:(?:hallo|hi|hey|hello|salut|hola|ciao)[,!]?\s+)?(?:
      ich\s+bin\b|als\s+\w+(?:\s+\w+){0,4}\s+(?:betreue|schreibe|leite|arbeite)\s+ich\b|schreibt\s+seit\b|
      i\s+am\s+(?:a|an|the)\b|i'm\s+(?:a|an|the)\b|je\s+suis\b|soy\b|sono\b|
      (?:writes|has\s+written)\s+(?:about|for)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
