# relance — catálogo en español.
#
# Every word relance writes in Spanish comes from here. A project may
# override any message in its own `locales/es.ftl`; messages it does not
# give keep the text below.
#
# Variables are already formatted for the voice (digits or spoken words):
# `$percent` is "90 %" or "noventa por ciento". `$count` is the bare number,
# for plural selectors only.
# Functions: LOWER_FIRST($text) lowercases the first letter unless the first
# word looks like an acronym or a brand ("WhatsApp", "4G") or the text starts
# with a proper noun ("État", the site's `proper_nouns`); PREP("à", $text)
# merges a preposition with the text's article ("au début"); LEAD("les",
# $text) and TRAIL($text, "traffic") add a word before or after the text
# unless it is already there.

## Grammar used by spelled numbers: the gender of what is counted
## ("veintiuna tiendas", "veintiún servicios", "un punto").

gender-shops = feminine
gender-services = masculine
gender-points = masculine
gender-times = feminine
gender-staff = masculine

## Interface words (`t.*` in templates: `ui-key-figures` is `t.key_figures`).

ui-overview = Vista general
ui-regions = Regiones
ui-region = Región
ui-latest-update = Último informe
ui-history = Historial
ui-updates = Informes de situación
ui-update-of = Informe del
ui-key-figures = Cifras clave
ui-telework = Teletrabajo
ui-staff-remote = de la plantilla en teletrabajo
ui-except = Excepto
ui-field-work = Intervenciones prioritarias sobre el terreno
ui-priority-services = Servicios prioritarios
ui-traffic = Tráfico
ui-traffic-compared-to = Referencia
ui-network-held = La red ha resistido.
ui-network-not-held = La red no ha resistido en todas partes.
ui-incidents = Incidentes
ui-handled-by = Respuesta
ui-target = Objetivo
ui-online = En línea
ui-customers-online = de los clientes atendidos en línea
ui-online-growth = Crecimiento en línea
ui-shops = Tiendas
ui-shops-reopened = tiendas reabiertas
ui-reopened-on = Reapertura el
ui-by-appointment = Con cita previa
ui-booking = Reserva
ui-indicators = Otros indicadores
ui-notes = Fuentes de las cifras
ui-quotes = Citas
ui-narrative = Relato
ui-speaker = Portavoz
ui-source = Fuente
ui-period = Periodo
ui-changes = Evolución desde el informe anterior
ui-since = desde el
ui-delegate = Delegado
ui-departments = Provincias
ui-download-pdf = Informe en PDF
ui-download-press = Ficha de prensa (PDF)
ui-download-brief = Guion de radio
ui-download-data = Descargar los datos
ui-open-data = Datos abiertos
ui-previous = Informe anterior
ui-next = Informe siguiente
ui-no-updates = Todavía no se ha publicado ningún informe.
ui-chart-data = Datos del gráfico
ui-chart-download = Descargar
ui-chart-png = PNG
ui-chart-svg = SVG
ui-chart-csv = datos (CSV)
ui-embed-chart = Insertar este gráfico
ui-embed-help = Copie este código en su página; el gráfico se adapta a su anchura.
ui-embed-preview = Ver la página insertada
ui-embed-back = Ver el informe completo
ui-figure = Indicador
ui-range-min = Mínimo
ui-range-max = Máximo
ui-value = Valor
ui-date = Fecha
ui-skip-to-content = Ir al contenido
ui-generated-by = Sitio generado con relance
ui-feed = Canal Atom
ui-charts = Gráficos
ui-languages = Idiomas
ui-page = Página
ui-press-sheet = Ficha de prensa
ui-colon = :
ui-quote-open = «
ui-quote-close = »

## Figures on pages.

# A change in percentage points, already signed: "+5 puntos", "−30 puntos".
points = { $points } { $count ->
        [one] punto
       *[other] puntos
    }
percent-signed = +{ $percent }
change-same = estable
figure-with-unit = { $value } { $unit }
# Un intervalo: «+35 a +60 %», «×1,35 a ×1,6» ($min va sin unidad cuando la unidad sigue a $max).
figure-range = { $min }{"\u00A0"}a{"\u00A0"}{ $max }
figure-traffic = { LEAD("tráfico de", LOWER_FIRST($label)) }
figure-services = servicios prioritarios mantenidos
change-online = Clientes atendidos en línea
period-range = { $start } – { $end }
period-from = desde el { $start }
period-until = hasta el { $end }
shops-of = { $reopened } de { $total } { $total-count ->
        [one] tienda reabierta
       *[other] tiendas reabiertas
    }
shops-reopened = { $reopened } { $count ->
        [one] tienda reabierta
       *[other] tiendas reabiertas
    }
shops-total = { $total } { $count ->
        [one] tienda
       *[other] tiendas
    }
overview-top-multiplier = { $factor } { $label }
# "a, b y c": $head is every item but the last, joined by commas;
# "y" becomes "e" before an /i/ sound ($last-sound is "i"): "Francia e Italia".
list-and = { $head } { $last-sound ->
        [i] e
       *[other] y
    } { $last }

## Charts: titles, alt texts, data tables.

chart-values = Valores
chart-traffic-title = Multiplicación del tráfico
chart-traffic-part = { brief-approx-factor } en { LOWER_FIRST($label) }
chart-traffic-alt = Tráfico multiplicado { $parts }.
chart-traffic-alt-baseline = Tráfico multiplicado { $parts }, respecto { PREP("a", $baseline) }.
chart-traffic-change-title = Evolución del tráfico
chart-traffic-change-part = { $direction ->
        [up] al alza { brief-approx-percent }
        [down] a la baja { brief-approx-percent }
        [same] estable
       *[times] multiplicado { brief-approx-factor }
    } en { LOWER_FIRST($label) }
chart-traffic-change-alt = Tráfico { $parts }.
chart-traffic-change-alt-baseline = Tráfico { $parts }, respecto { PREP("a", $baseline) }.
chart-telework-title = Teletrabajo
chart-telework-label = Plantilla en teletrabajo
chart-telework-alt = El { $percent } de la plantilla en teletrabajo.
chart-shops-title = Tiendas reabiertas
chart-shops-label = { shops-of }
chart-shops-alt = { shops-of }, es decir, el { $percent }.
chart-online-title = Clientes en línea
chart-online-label = Clientes atendidos en línea
chart-online-alt = El { $percent } de los clientes atendidos en línea.
chart-trends-title = { $region }: evolución
chart-trends-series = { $series }: del { $first } el { $first-date } al { $last } el { $last-date }
chart-overview-title = Últimos datos por región
# A region's latest figures in the overview chart's description, the
# figures it lacks left out (each region has at least one).
chart-overview-part = { $region }: { $figures }
chart-overview-telework = teletrabajo { $telework }
chart-overview-shops = tiendas reabiertas { $shops }
chart-overview-figures-separator = {", "}
chart-overview-separator = {"; "}
chart-overview-row = { chart-telework-title } { $telework } · { chart-shops-title } { $shops }

## The radio brief: one sentence per figure, in digits or in words.

brief-telework = El { $percent } de la plantilla ha trabajado a distancia.
brief-telework-except = El { $percent } de la plantilla ha trabajado a distancia, excepto { $except }.
brief-traffic = El { LEAD("tráfico de", LOWER_FIRST($label)) } { brief-traffic-change }.
brief-traffic-baseline = Respecto { PREP("a", $baseline) }, el { LEAD("tráfico de", LOWER_FIRST($label)) } { brief-traffic-change }.
# Cómo cambió el tráfico: $direction es times, up, down (una bajada, $percent positivo) o same.
brief-traffic-change = { $direction ->
        [up] ha aumentado { brief-approx-percent }
        [down] ha bajado { brief-approx-percent }
        [same] se ha mantenido estable
       *[times] se ha multiplicado { brief-approx-factor }
    }
# Una estimación ($approx es yes) se dice "alrededor de": "alrededor de un 35 %"; un intervalo ($approx es range) "entre un 35 % y un 60 %".
brief-approx-percent = { $approx ->
        [yes] alrededor de un { $percent }
        [range] entre un { $min } y un { $max }
       *[other] un { $percent }
    }
brief-approx-factor = { $approx ->
        [yes] por alrededor de { $factor }
        [range] entre { $min } y { $max } veces
       *[other] por { $factor }
    }
approx-figure = aprox. { $value }
approx-spoken = alrededor de { $value }
brief-network-held = { ui-network-held }
brief-network-not-held = { ui-network-not-held }
brief-field-work = Sobre el terreno, las prioridades han sido: { $items }.
brief-shops-all = { $count ->
        [0] Ninguna tienda ha reabierto
        [1] La única tienda ha reabierto
       *[other] Las { $total } tiendas han reabierto
    }
brief-shops-of = { $reopened } de { $total } tiendas { $count ->
        [one] ha reabierto
       *[other] han reabierto
    }
brief-shops-reopened = { $reopened } { $count ->
        [one] tienda ha reabierto
       *[other] tiendas han reabierto
    }
brief-shops-on = { $shops } el { $date }
brief-shops-by-appointment = { $shops }, con cita previa
brief-shops-booking = Reserva: { $booking }.
brief-online-up = un { $percent } más
brief-online-down = un { $percent } menos
brief-online = El { $customers } de los clientes ha sido atendido en línea.
brief-online-growth = El { $customers } de los clientes ha sido atendido en línea, { $growth }.
brief-online-activity = Actividad en línea: { $growth }.
brief-services = { $services } { $count ->
        [one] servicio ha sido atendido
       *[other] servicios han sido atendidos
    } con prioridad: { $items }.
brief-incident = { $kind }.
brief-incident-target = { $kind } contra { $target }.
brief-incident-response = { $kind }: la respuesta corrió a cargo de { $response }.
brief-incident-target-response = { $kind } contra { $target }: la respuesta corrió a cargo de { $response }.
brief-indicator = { $label }: { $value }.
brief-since = desde el { $date }
brief-telework-up = El teletrabajo sube { $points } { $since }.
brief-telework-down = El teletrabajo baja { $points } { $since }.
brief-telework-same = El teletrabajo se mantiene estable { $since }.
brief-shops-more = { $count ->
        [one] Ha reabierto { $shops } tienda más
       *[other] Han reabierto { $shops } tiendas más
    } { $since }.
brief-shops-fewer = { $count ->
        [one] Hay { $shops } tienda abierta menos
       *[other] Hay { $shops } tiendas abiertas menos
    } { $since }.
brief-shops-same = El número de tiendas abiertas no ha cambiado { $since }.
brief-online-change-up = La proporción de clientes atendidos en línea sube { $points } { $since }.
brief-online-change-down = La proporción de clientes atendidos en línea baja { $points } { $since }.
brief-online-change-same = La proporción de clientes atendidos en línea se mantiene estable { $since }.
brief-speaker = Portavoz: { $speaker }
brief-changes = Evolución
brief-reading = Tiempo de lectura estimado: { $duration } ({ $words } palabras, a { $rate } palabras por minuto).
duration-seconds = { $seconds } { $count ->
        [one] segundo
       *[other] segundos
    }
duration-minutes = { $minutes } { $count ->
        [one] minuto
       *[other] minutos
    }
duration-minutes-seconds = { $minutes } y { $seconds }

## Labels of the key figures in `relance brief --format json`.

brief-figure-telework-percent = teletrabajo
brief-figure-shops-total = tiendas en total
brief-figure-shops-reopened = tiendas reabiertas
brief-figure-online-customers-percent = clientes en línea
brief-figure-online-growth-percent = crecimiento en línea
brief-figure-priority-services = servicios prioritarios
brief-figure-incidents = incidentes

## Numbers as spoken (`--words`).

spoken-minus = menos { $number }
spoken-decimal = { $integer } coma { $fraction }
spoken-percent = { $number } por ciento
spoken-first-day = primero

## Embargo and corrections.

# A correction published after the update, at the top of its page, in its
# PDFs and read first in the brief: «Corrección del 16 de mayo de 2020: …».
correction-notice = Corrección del { $date }: { $note }
# The preview's banner over an update not yet due (never in a built site).
embargo-until = Bajo embargo hasta el { $date } a las { $time } (UTC{ $offset }): solo vista previa, ausente del sitio publicado.
time-of-day = { $hour }:{ $minute }
ui-corrections = Correcciones
ui-corrections-intro = Todas las correcciones hechas a las actualizaciones publicadas, de la más reciente a la más antigua.
ui-no-corrections = Ninguna corrección publicada.

## `relance init`: the placeholder facts of a new project (the
## delegate replaces them).

init-site-title = Continuidad de la actividad
init-organisation = Mi organización
init-region-slug = mi-region
init-region-name = Mi región
init-delegate = Nombre Apellido
init-delegate-role = Delegado regional
init-update-title = Primer informe de situación
init-period = Confinamiento
init-source = Entrevista en la radio regional
init-source-kind = Entrevista
init-telework-except = los técnicos de campo
init-priority = las reparaciones urgentes
init-service = las líneas de los servicios de emergencia
init-baseline = antes de la crisis
init-multiplier = Voz móvil
init-incident = Cable cortado
init-incident-target = la red fija
init-incident-response = reparado en el día
init-booking = con cita previa en línea
init-indicator = Intervenciones in situ
init-quote = Nuestros equipos resistieron.
init-narrative = Lo que vivió la región, en unos párrafos.

## Teletrabajo contado (staff, remote, scope) y tiendas que nunca cerraron.

ui-scope = Ámbito
telework-counts = { $remote } { $count ->
        [one] empleado
       *[other] empleados
    } de { $staff }, es decir, el { $percent }
change-scope-changed = no comparable (otro ámbito)
chart-series-break = { $series }: desde el { $date } se cuenta a otras personas; las cifras de antes y después no se comparan.
chart-shops-count-label = { shops-reopened }
chart-shops-count-alt = { shops-reopened } (número total de tiendas no comunicado).
shops-stayed-open = { $total } { $count ->
        [one] tienda siguió abierta
       *[other] tiendas siguieron abiertas
    }
shops-stayed-open-all = Siguieron abiertas
figure-shops-stayed-open = { $count ->
        [one] tienda siguió abierta
       *[other] tiendas siguieron abiertas
    }
brief-telework-counts = { $remote } { $count ->
        [one] empleado de { $staff } ha trabajado
       *[other] empleados de { $staff } han trabajado
    } a distancia, es decir, el { $percent }.
brief-telework-counts-except = { $remote } { $count ->
        [one] empleado de { $staff } ha trabajado
       *[other] empleados de { $staff } han trabajado
    } a distancia, es decir, el { $percent }, excepto { $except }.
brief-telework-scope = Ámbito: { $scope }.
brief-telework-scope-changed = El teletrabajo no se compara { $since }: se cuenta a otras personas.
brief-shops-stayed-open = { $count ->
        [one] La única tienda siguió abierta
       *[other] Las { $total } tiendas siguieron abiertas
    }
brief-shops-stayed-open-all = Las tiendas siguieron abiertas
brief-figure-telework-remote = empleados en teletrabajo
brief-figure-telework-staff = empleados contados
