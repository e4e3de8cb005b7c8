# relance — catalogue français.
#
# Every word relance writes in French comes from here. A project may
# override any message in its own `locales/fr.ftl`; messages it does not
# give keep the text below.
#
# Variables are already formatted for the voice (digits or spoken words):
# `$percent` is « 90 % » or « quatre-vingt-dix pour cent ». `$count` is the
# bare number, for plural selectors only.
# Functions: LOWER_FIRST($text) lowercases the first letter unless the first
# word looks like an acronym or a brand ("WhatsApp", "4G") or the text starts
# with a proper noun ("État", the site's `proper_nouns`); PREP("à", $text)
# merges a preposition with the text's article ("au début"); LEAD("les",
# $text) and TRAIL($text, "traffic") add a word before or after the text
# unless it is already there.

## Grammar used by spelled numbers: the gender of what is counted.

gender-shops = feminine
gender-services = masculine
gender-points = masculine
gender-times = masculine
gender-staff = masculine

## Interface words (`t.*` in templates: `ui-key-figures` is `t.key_figures`).

ui-overview = Vue d'ensemble
ui-regions = Régions
ui-region = Région
ui-latest-update = Dernier point
ui-history = Historique
ui-updates = Points de situation
ui-update-of = Point du
ui-key-figures = Chiffres clés
ui-telework = Télétravail
ui-staff-remote = des salariés en télétravail
ui-except = Sauf
ui-field-work = Interventions prioritaires sur le terrain
ui-priority-services = Services prioritaires
ui-traffic = Trafic
ui-traffic-compared-to = Base de comparaison
ui-network-held = Le réseau a tenu.
ui-network-not-held = Le réseau n'a pas tenu partout.
ui-incidents = Incidents
ui-handled-by = Réponse
ui-target = Cible
ui-online = En ligne
ui-customers-online = des clients servis en ligne
ui-online-growth = Croissance en ligne
ui-shops = Boutiques
ui-shops-reopened = boutiques rouvertes
ui-reopened-on = Réouverture le
ui-by-appointment = Sur rendez-vous
ui-booking = Réservation
ui-indicators = Autres indicateurs
ui-notes = Sources des chiffres
ui-quotes = Citations
ui-narrative = Récit
ui-speaker = Porte-parole
ui-source = Source
ui-period = Période
ui-changes = Évolution depuis le point précédent
ui-since = depuis le
ui-delegate = Délégué
ui-departments = Départements
ui-download-pdf = Rapport PDF
ui-download-press = Fiche presse (PDF)
ui-download-brief = Script radio
ui-download-data = Télécharger les données
ui-open-data = Données ouvertes
ui-previous = Point précédent
ui-next = Point suivant
ui-no-updates = Aucun point de situation publié pour l'instant.
ui-chart-data = Données du graphique
ui-chart-download = Télécharger
ui-chart-png = PNG
ui-chart-svg = SVG
ui-chart-csv = données (CSV)
ui-embed-chart = Intégrer ce graphique
ui-embed-help = Copiez ce code dans votre page ; le graphique s’adapte à sa largeur.
ui-embed-preview = Voir la page intégrée
ui-embed-back = Voir le point de situation complet
ui-figure = Indicateur
ui-range-min = Minimum
ui-range-max = Maximum
ui-value = Valeur
ui-date = Date
ui-skip-to-content = Aller au contenu
ui-generated-by = Site produit par relance
ui-feed = Flux Atom
ui-charts = Graphiques
ui-languages = Langues
ui-page = Page
ui-press-sheet = Fiche presse
# A colon as French writes it, with a no-break space before.
ui-colon = {"\u00A0"}:
ui-quote-open = «{"\u202F"}
ui-quote-close = {"\u202F"}»

## Figures on pages.

# A change in percentage points, already signed: « +5 points », « −30 points ».
points = { $points } { $count ->
        [1] point
       *[other] points
    }
percent-signed = +{ $percent }
change-same = stable
figure-with-unit = { $value } { $unit }
# A range: « +35 à +60 % », « ×1,35 à ×1,6 » ($min is written without its unit when the unit follows $max).
figure-range = { $min }{"\u00A0"}à{"\u00A0"}{ $max }
figure-traffic = { LEAD("trafic", LOWER_FIRST($label)) }
figure-services = services prioritaires maintenus
change-online = Clients servis en ligne
period-range = { $start } – { $end }
period-from = depuis le { $start }
period-until = jusqu'au { $end }
shops-of = { $reopened } { $count ->
        [one] boutique rouverte
       *[other] boutiques rouvertes
    } sur { $total }
shops-reopened = { $reopened } { $count ->
        [one] boutique rouverte
       *[other] boutiques rouvertes
    }
shops-total = { $total } { $count ->
        [one] boutique
       *[other] boutiques
    }
overview-top-multiplier = { $factor } { $label }
# « a, b et c »: $head is every item but the last, joined by commas.
list-and = { $head } et { $last }

## Charts: titles, alt texts, data tables.

chart-values = Valeurs
chart-traffic-title = Multiplication du trafic
chart-traffic-part = par { brief-approx-factor } pour { LOWER_FIRST($label) }
chart-traffic-alt = Trafic multiplié { $parts }.
chart-traffic-alt-baseline = Trafic multiplié { $parts }, par rapport { PREP("à", $baseline) }.
chart-traffic-change-title = Évolution du trafic
chart-traffic-change-part = { $direction ->
        [up] en hausse { brief-approx-percent }
        [down] en baisse { brief-approx-percent }
        [same] stable
       *[times] multiplié par { brief-approx-factor }
    } pour { LOWER_FIRST($label) }
chart-traffic-change-alt = Trafic { $parts }.
chart-traffic-change-alt-baseline = Trafic { $parts }, par rapport { PREP("à", $baseline) }.
chart-telework-title = Télétravail
chart-telework-label = Salariés en télétravail
chart-telework-alt = { $percent } des salariés en télétravail.
chart-shops-title = Boutiques rouvertes
chart-shops-label = { shops-of }
chart-shops-alt = { shops-of }, soit { $percent }.
chart-online-title = Clients en ligne
chart-online-label = Clients servis en ligne
chart-online-alt = { $percent } des clients servis en ligne.
chart-trends-title = { $region } : évolution
chart-trends-series = { $series } : de { $first } le { $first-date } à { $last } le { $last-date }
chart-overview-title = Dernières données par région
# A region's latest figures in the overview chart's description, the
# figures it lacks left out (each region has at least one).
chart-overview-part = { $region } : { $figures }
chart-overview-telework = télétravail { $telework }
chart-overview-shops = boutiques rouvertes { $shops }
chart-overview-figures-separator = {", "}
chart-overview-separator = {" ; "}
chart-overview-row = { chart-telework-title } { $telework } · { chart-shops-title } { $shops }

## The radio brief: one sentence per figure, in digits or in words.

brief-telework = { $percent } des salariés ont travaillé à distance.
brief-telework-except = { $percent } des salariés ont travaillé à distance, sauf { LEAD("les", $except) }.
brief-traffic = Le { LEAD("trafic", LOWER_FIRST($label)) } { brief-traffic-change }.
brief-traffic-baseline = Par rapport { PREP("à", $baseline) }, le { LEAD("trafic", LOWER_FIRST($label)) } { brief-traffic-change }.
# How a traffic item changed: $direction is times, up, down (a fall, $percent positive) or same.
brief-traffic-change = { $direction ->
        [up] est en hausse { brief-approx-percent }
        [down] est en baisse { brief-approx-percent }
        [same] est stable
       *[times] a été multiplié par { brief-approx-factor }
    }
# An estimate ($approx is yes) is said "environ": "en hausse d'environ 35 %". A range ($approx is range) comes in $percent or $factor already written « 35 à 60 % » ($min and $max hold its bounds).
brief-approx-percent = { $approx ->
        [yes] d'environ { $percent }
       *[other] de { $percent }
    }
brief-approx-factor = { $approx ->
        [yes] environ { $factor }
       *[other] { $factor }
    }
approx-figure = environ { $value }
approx-spoken = environ { $value }
brief-network-held = { ui-network-held }
brief-network-not-held = { ui-network-not-held }
brief-field-work = Sur le terrain, les priorités ont été : { $items }.
brief-shops-all = { $count ->
        [0] Aucune boutique n'a rouvert
        [1] La seule boutique a rouvert
       *[other] Les { $total } boutiques ont rouvert
    }
brief-shops-of = { $reopened } { $count ->
        [one] boutique sur { $total } a rouvert
       *[other] boutiques sur { $total } ont rouvert
    }
brief-shops-reopened = { $reopened } { $count ->
        [one] boutique a rouvert
       *[other] boutiques ont rouvert
    }
brief-shops-on = { $shops } le { $date }
brief-shops-by-appointment = { $shops }, sur rendez-vous
brief-shops-booking = Réservation : { $booking }.
brief-online-up = en hausse de { $percent }
brief-online-down = en baisse de { $percent }
brief-online = { $customers } des clients ont été servis en ligne.
brief-online-growth = { $customers } des clients ont été servis en ligne, { $growth }.
brief-online-activity = L'activité en ligne est { $growth }.
brief-services = { $services } { $count ->
        [one] service a été traité
       *[other] services ont été traités
    } en priorité : { $items }.
brief-incident = { $kind }.
brief-incident-target = { $kind } contre les { $target }.
brief-incident-response = { $kind } : la riposte a été assurée par { $response }.
brief-incident-target-response = { $kind } contre les { $target } : la riposte a été assurée par { $response }.
brief-indicator = { $label } : { $value }.
brief-since = depuis le { $date }
brief-telework-up = Le télétravail progresse de { $points } { $since }.
brief-telework-down = Le télétravail recule de { $points } { $since }.
brief-telework-same = Le télétravail est stable { $since }.
brief-shops-more = { $shops } { $count ->
        [1] boutique de plus a
       *[other] boutiques de plus ont
    } rouvert { $since }.
brief-shops-fewer = { $shops } { $count ->
        [one] boutique de moins est ouverte
       *[other] boutiques de moins sont ouvertes
    } { $since }.
brief-shops-same = Le nombre de boutiques ouvertes est inchangé { $since }.
brief-online-change-up = La part des clients servis en ligne progresse de { $points } { $since }.
brief-online-change-down = La part des clients servis en ligne recule de { $points } { $since }.
brief-online-change-same = La part des clients servis en ligne est stable { $since }.
brief-speaker = Porte-parole : { $speaker }
brief-changes = Évolution
brief-reading = Durée de lecture estimée : { $duration } ({ $words } mots, à { $rate } mots par minute).
duration-seconds = { $seconds } { $count ->
        [1] seconde
       *[other] secondes
    }
duration-minutes = { $minutes } { $count ->
        [1] minute
       *[other] minutes
    }
duration-minutes-seconds = { $minutes } { $seconds }

## Labels of the key figures in `relance brief --format json`.

brief-figure-telework-percent = télétravail
brief-figure-shops-total = boutiques au total
brief-figure-shops-reopened = boutiques rouvertes
brief-figure-online-customers-percent = clients servis en ligne
brief-figure-online-growth-percent = croissance en ligne
brief-figure-priority-services = services prioritaires
brief-figure-incidents = incidents

## Numbers as spoken (`--words`).

spoken-minus = moins { $number }
spoken-decimal = { $integer } virgule { $fraction }
spoken-percent = { $number } pour cent
spoken-first-day = premier

## Embargo and corrections.

# A correction published after the update, at the top of its page, in its
# PDFs and read first in the brief: « Correction du 16 mai 2020 : … ».
correction-notice = Correction du { $date }{"\u00A0"}: { $note }
# The preview's banner over an update not yet due (never in a built site).
embargo-until = Sous embargo jusqu'au { $date } à { $time } (UTC{ $offset }){"\u00A0"}: aperçu seulement, absent du site publié.
time-of-day = { $hour }{"\u00A0"}h{"\u00A0"}{ $minute }
ui-corrections = Corrections
ui-corrections-intro = Toutes les corrections apportées aux points de situation publiés, de la plus récente à la plus ancienne.
ui-no-corrections = Aucune correction publiée.

## `relance init`: the placeholder facts of a new project (the
## delegate replaces them).

init-site-title = Continuité d'activité
init-organisation = Mon organisation
init-region-slug = ma-region
init-region-name = Ma région
init-delegate = Prénom Nom
init-delegate-role = Délégué régional
init-update-title = Premier point de situation
init-period = Confinement
init-source = Entretien à la radio régionale
init-source-kind = Entretien
init-telework-except = les techniciens d'intervention
init-priority = les réparations urgentes
init-service = les lignes des services d'urgence
init-baseline = avant la crise
init-multiplier = Voix sur mobile
init-incident = Câble coupé
init-incident-target = le réseau fixe
init-incident-response = réparé dans la journée
init-booking = sur rendez-vous en ligne
init-indicator = Interventions sur site
init-quote = Nos équipes ont tenu.
init-narrative = Ce que la région a vécu, en quelques paragraphes.

## Telework counted (staff, remote, scope) and shops that never closed.

ui-scope = Périmètre
telework-counts = { $remote } { $count ->
        [one] salarié
       *[other] salariés
    } sur { $staff }, soit { $percent }
change-scope-changed = non comparable (autre périmètre)
chart-series-break = { $series } : à partir du { $date }, d'autres personnes sont comptées ; les chiffres d'avant et d'après ne sont pas comparés.
chart-shops-count-label = { shops-reopened }
chart-shops-count-alt = { shops-reopened } (nombre total de boutiques non communiqué).
shops-stayed-open = { $total } { $count ->
        [one] boutique restée ouverte
       *[other] boutiques restées ouvertes
    }
shops-stayed-open-all = Restées ouvertes
figure-shops-stayed-open = { $count ->
        [one] boutique restée ouverte
       *[other] boutiques restées ouvertes
    }
brief-telework-counts = { $remote } { $count ->
        [one] salarié sur { $staff } a travaillé
       *[other] salariés sur { $staff } ont travaillé
    } à distance, soit { $percent }.
brief-telework-counts-except = { $remote } { $count ->
        [one] salarié sur { $staff } a travaillé
       *[other] salariés sur { $staff } ont travaillé
    } à distance, soit { $percent }, sauf { LEAD("les", $except) }.
brief-telework-scope = Périmètre : { $scope }.
brief-telework-scope-changed = Le télétravail n'est pas comparé { $since } : d'autres personnes sont comptées.
brief-shops-stayed-open = { $count ->
        [one] La seule boutique est restée ouverte
       *[other] Les { $total } boutiques sont restées ouvertes
    }
brief-shops-stayed-open-all = Les boutiques sont restées ouvertes
brief-figure-telework-remote = salariés en télétravail
brief-figure-telework-staff = salariés comptés
