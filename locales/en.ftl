# relance — English catalogue.
#
# Every word relance writes in English comes from here. A project may
# override any message in its own `locales/en.ftl`; messages it does not
# give keep the text below.
#
# Variables are already formatted for the voice (digits or spoken words):
# `$percent` is "90%" or "ninety percent". `$count` is the bare number, for
# plural selectors only.
# Functions: LOWER_FIRST($text) lowercases the first letter unless the first
# word looks like an acronym or a brand ("WhatsApp", "4G") or the text starts
# with a proper noun ("État", the site's `proper_nouns`); PREP("à", $text)
# merges a preposition with the text's article ("au début"); LEAD("les",
# $text) and TRAIL($text, "traffic") add a word before or after the text
# unless it is already there.

## Grammar used by spelled numbers: the gender of what is counted.

gender-shops = neuter
gender-services = neuter
gender-points = neuter
gender-times = neuter
gender-staff = neuter

## Interface words (`t.*` in templates: `ui-key-figures` is `t.key_figures`).

ui-overview = Overview
ui-regions = Regions
ui-region = Region
ui-latest-update = Latest update
ui-history = History
ui-updates = Updates
ui-update-of = Update of
ui-key-figures = Key figures
ui-telework = Telework
ui-staff-remote = of staff working remotely
ui-except = Except
ui-field-work = Field work priorities
ui-priority-services = Priority services
ui-traffic = Traffic
ui-traffic-compared-to = Baseline
ui-network-held = The network held.
ui-network-not-held = The network did not hold everywhere.
ui-incidents = Incidents
ui-handled-by = Response
ui-target = Target
ui-online = Online
ui-customers-online = of customers served online
ui-online-growth = Online growth
ui-shops = Shops
ui-shops-reopened = shops reopened
ui-reopened-on = Reopened on
ui-by-appointment = By appointment
ui-booking = Booking
ui-indicators = Other indicators
ui-notes = Sources of the figures
ui-quotes = Quotes
ui-narrative = Narrative
ui-speaker = Spokesperson
ui-source = Source
ui-period = Period
ui-changes = Change since the previous update
ui-since = since
ui-delegate = Delegate
ui-departments = Departments
ui-download-pdf = PDF report
ui-download-press = Press sheet (PDF)
ui-download-brief = Radio script
ui-download-data = Download the data
ui-open-data = Open data
ui-previous = Previous update
ui-next = Next update
ui-no-updates = No update published yet.
ui-chart-data = Chart data
ui-chart-download = Download
ui-chart-png = PNG
ui-chart-svg = SVG
ui-chart-csv = data (CSV)
ui-embed-chart = Embed this chart
ui-embed-help = Copy this code into your page; the chart fits its width.
ui-embed-preview = See the embedded page
ui-embed-back = See the full update
ui-figure = Figure
ui-range-min = Minimum
ui-range-max = Maximum
ui-value = Value
ui-date = Date
ui-skip-to-content = Skip to content
ui-generated-by = Site built with relance
ui-feed = Atom feed
ui-charts = Charts
ui-languages = Languages
ui-page = Page
ui-press-sheet = Press sheet
ui-colon = :
ui-quote-open = “
ui-quote-close = ”

## Figures on pages.

# A change in percentage points, already signed: "+5 points", "−30 points".
points = { $points } { $count ->
        [1] point
       *[other] points
    }
percent-signed = +{ $percent }
change-same = unchanged
figure-with-unit = { $value } { $unit }
# A range: "+35 to +60%", "1.35× to 1.6×" ($min is written without its unit when the unit follows $max).
figure-range = { $min }{"\u00A0"}to{"\u00A0"}{ $max }
figure-traffic = { TRAIL($label, "traffic") }
figure-services = priority services kept running
change-online = Customers served online
period-range = { $start } – { $end }
period-from = from { $start }
period-until = until { $end }
shops-of = { $reopened } of { $total } { $total-count ->
        [one] shop
       *[other] shops
    } reopened
shops-reopened = { $reopened } { $count ->
        [one] shop
       *[other] shops
    } reopened
shops-total = { $total } { $count ->
        [one] shop
       *[other] shops
    }
overview-top-multiplier = { $factor } { $label }
# "a, b and c": $head is every item but the last, joined by commas.
list-and = { $head } and { $last }

## Charts: titles, alt texts, data tables.

chart-values = Values
chart-traffic-title = Traffic multipliers
chart-traffic-part = { brief-approx-factor } times for { LOWER_FIRST($label) }
chart-traffic-alt = Traffic multiplied { $parts }.
chart-traffic-alt-baseline = Traffic multiplied { $parts }, compared with { $baseline }.
chart-traffic-change-title = Traffic change
chart-traffic-change-part = { $direction ->
        [up] up { brief-approx-percent }
        [down] down { brief-approx-percent }
        [same] unchanged
       *[times] { brief-approx-factor } times as high
    } for { LOWER_FIRST($label) }
chart-traffic-change-alt = Traffic { $parts }.
chart-traffic-change-alt-baseline = Traffic { $parts }, compared with { $baseline }.
chart-telework-title = Telework
chart-telework-label = Staff working remotely
chart-telework-alt = { $percent } of staff working remotely.
chart-shops-title = Shops reopened
chart-shops-label = { shops-of }
chart-shops-alt = { shops-of }, { $percent }.
chart-online-title = Online customers
chart-online-label = Customers served online
chart-online-alt = { $percent } of customers served online.
chart-trends-title = { $region }: trends
chart-trends-series = { $series }: from { $first } on { $first-date } to { $last } on { $last-date }
chart-overview-title = Latest figures by region
# A region's latest figures in the overview chart's description, the
# figures it lacks left out (each region has at least one).
chart-overview-part = { $region }: { $figures }
chart-overview-telework = telework { $telework }
chart-overview-shops = shops reopened { $shops }
chart-overview-figures-separator = {", "}
chart-overview-separator = {"; "}
chart-overview-row = { chart-telework-title } { $telework } · { chart-shops-title } { $shops }

## The radio brief: one sentence per figure, in digits or in words.

brief-telework = { $percent } of staff worked remotely.
brief-telework-except = { $percent } of staff worked remotely, except { $except }.
brief-traffic = { TRAIL($label, "traffic") } { brief-traffic-change }.
brief-traffic-baseline = { $direction ->
        [times] { TRAIL($label, "traffic") } was { brief-approx-factor } times what it was { $baseline }.
       *[other] Compared with { $baseline }, { TRAIL(LOWER_FIRST($label), "traffic") } { brief-traffic-change }.
    }
# How a traffic item changed: $direction is times, up, down (a fall, $percent positive) or same.
brief-traffic-change = { $direction ->
        [up] was up { brief-approx-percent }
        [down] was down { brief-approx-percent }
        [same] was unchanged
       *[times] was { brief-approx-factor } times as high
    }
# An estimate ($approx is yes) is said "about": "about 7 times as high". A range ($approx is range) is $percent or $factor already written "35 to 60%".
brief-approx-percent = { $approx ->
        [yes] about { $percent }
       *[other] { $percent }
    }
brief-approx-factor = { $approx ->
        [yes] about { $factor }
       *[other] { $factor }
    }
approx-figure = about { $value }
approx-spoken = about { $value }
brief-network-held = { ui-network-held }
brief-network-not-held = { ui-network-not-held }
brief-field-work = In the field, the priorities were { $items }.
brief-shops-all = { $count ->
        [0] No shop has reopened
        [1] The only shop reopened
       *[other] All { $total } shops reopened
    }
brief-shops-of = { $reopened } of { $total } shops reopened
brief-shops-reopened = { $reopened } { $count ->
        [one] shop
       *[other] shops
    } reopened
brief-shops-on = { $shops } on { $date }
brief-shops-by-appointment = { $shops }, by appointment
brief-shops-booking = Booking: { $booking }.
brief-online-up = up { $percent }
brief-online-down = down { $percent }
brief-online = { $customers } of customers were served online.
brief-online-growth = { $customers } of customers were served online, { $growth }.
brief-online-activity = Online activity is { $growth }.
brief-services = { $services } { $count ->
        [one] service was
       *[other] services were
    } given priority: { $items }.
brief-incident = { $kind }.
brief-incident-target = { $kind } against { $target }.
brief-incident-response = { $kind }: the response was led by { $response }.
brief-incident-target-response = { $kind } against { $target }: the response was led by { $response }.
brief-indicator = { $label }: { $value }.
brief-since = since { $date }
brief-telework-up = Telework is up { $points } { $since }.
brief-telework-down = Telework is down { $points } { $since }.
brief-telework-same = Telework is unchanged { $since }.
brief-shops-more = { $shops } more { $count ->
        [1] shop has
       *[other] shops have
    } reopened { $since }.
brief-shops-fewer = { $shops } fewer { $count ->
        [1] shop is
       *[other] shops are
    } open { $since }.
brief-shops-same = The number of open shops is unchanged { $since }.
brief-online-change-up = The share of customers served online is up { $points } { $since }.
brief-online-change-down = The share of customers served online is down { $points } { $since }.
brief-online-change-same = The share of customers served online is unchanged { $since }.
brief-speaker = Spokesperson: { $speaker }
brief-changes = Changes
brief-reading = Estimated reading time: { $duration } ({ $words } words at { $rate } words a minute).
duration-seconds = { $seconds } { $count ->
        [1] second
       *[other] seconds
    }
duration-minutes = { $minutes } { $count ->
        [1] minute
       *[other] minutes
    }
duration-minutes-seconds = { $minutes } { $seconds }

## Labels of the key figures in `relance brief --format json`.

brief-figure-telework-percent = telework
brief-figure-shops-total = shops total
brief-figure-shops-reopened = shops reopened
brief-figure-online-customers-percent = customers online
brief-figure-online-growth-percent = online growth
brief-figure-priority-services = priority services
brief-figure-incidents = incidents

## Numbers as spoken (`--words`).

spoken-minus = minus { $number }
spoken-decimal = { $integer } point { $fraction }
spoken-percent = { $number } percent
spoken-first-day = first

## Embargo and corrections.

# A correction published after the update, at the top of its page, in its
# PDFs and read first in the brief: "Correction of 16 May 2020: …".
correction-notice = Correction of { $date }: { $note }
# The preview's banner over an update not yet due (never in a built site).
embargo-until = Embargoed until { $date } at { $time } (UTC{ $offset }): preview only, not in the published site.
time-of-day = { $hour }:{ $minute }
ui-corrections = Corrections
ui-corrections-intro = Every correction made to a published update, newest first.
ui-no-corrections = No correction published.

## `relance init`: the placeholder facts of a new project (the
## delegate replaces them).

init-site-title = Business continuity
init-organisation = My organisation
init-region-slug = my-region
init-region-name = My region
init-delegate = First Last
init-delegate-role = Regional delegate
init-update-title = First situation report
init-period = Lockdown
init-source = Interview on regional radio
init-source-kind = Interview
init-telework-except = field technicians
init-priority = urgent repairs
init-service = emergency service lines
init-baseline = before the crisis
init-multiplier = Mobile voice
init-incident = Cable cut
init-incident-target = the fixed network
init-incident-response = repaired within the day
init-booking = by online appointment
init-indicator = On-site interventions
init-quote = Our teams held.
init-narrative = What the region went through, in a few paragraphs.

## Telework counted (staff, remote, scope) and shops that never closed.

ui-scope = Scope
telework-counts = { $remote } of { $staff } staff, or { $percent }
change-scope-changed = not comparable (different scope)
chart-series-break = { $series }: from { $date }, other people are counted; the figures before and after are not compared.
chart-shops-count-label = { shops-reopened }
chart-shops-count-alt = { shops-reopened } (total number of shops not given).
shops-stayed-open = { $total } { $count ->
        [one] shop
       *[other] shops
    } stayed open
shops-stayed-open-all = Stayed open
figure-shops-stayed-open = { $count ->
        [one] shop stayed open
       *[other] shops stayed open
    }
brief-telework-counts = { $remote } of { $staff } staff worked remotely, or { $percent }.
brief-telework-counts-except = { $remote } of { $staff } staff worked remotely, or { $percent }, except { $except }.
brief-telework-scope = Scope: { $scope }.
brief-telework-scope-changed = Telework is not compared { $since }: other people are counted.
brief-shops-stayed-open = { $count ->
        [one] The only shop stayed open
       *[other] All { $total } shops stayed open
    }
brief-shops-stayed-open-all = The shops stayed open
brief-figure-telework-remote = staff working remotely
brief-figure-telework-staff = staff counted
