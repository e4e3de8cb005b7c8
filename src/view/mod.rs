//! The presentation model: the derived model with every figure already
//! formatted for the site's language. HTML templates, the Typst PDF templates
//! and the open-data writer all read these structures, so a template only
//! displays and never computes.

use serde::Serialize;

pub mod charts;

use std::collections::BTreeMap;

use crate::content::model::{Date, Language, Region, Site, Text};
use crate::derive::{DerivedRegion, DerivedUpdate, OverviewRow, SiteModel};
use crate::locale::Locale;
use crate::paths;
use crate::render::markdown;
use charts::Chart;

pub use crate::locale::capitalise;

/// The interface words of a page (`t.*` in templates), from the catalogue.
pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub organisation: String,
    pub language: &'static str,
    pub base_url: Option<String>,
    /// Every language of a multilingual site (empty for one language).
    #[serde(skip)]
    pub translations: Vec<Translation>,
}

/// A language of the site, for alternates and the language switcher.
#[derive(Debug, Clone)]
pub struct Translation {
    pub lang: Language,
    /// Its tree (`None`: the default language, at the root).
    pub tree: Option<Language>,
    pub current: bool,
}

/// A page's version in one language: `href` relative to the page, `url`
/// absolute when the site has a `base_url`.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub lang: &'static str,
    pub name: &'static str,
    pub href: String,
    pub url: String,
    pub current: bool,
}

/// The address of tree path `to` as written in the page at tree path
/// `from`: absolute when the site has a `base_url` (share tags need it),
/// else relative.
pub fn link(site: &SiteView, from: &str, to: &str) -> String {
    match &site.base_url {
        Some(base) => {
            let tree = site
                .translations
                .iter()
                .find(|t| t.current)
                .and_then(|t| t.tree);
            format!("{base}{}", paths::in_tree(tree, to))
        }
        None => paths::relative(from, to),
    }
}

/// What a page tells the sites it is shared on (`og:`/`twitter:` tags and
/// the description): its title, a line of description, its address when
/// the site has a `base_url`, and its share card.
#[derive(Debug, Clone, Serialize)]
pub struct ShareMeta {
    /// `article` for an update, `website` for the other pages.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: Option<String>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
}

impl ShareMeta {
    /// The tags of the page at tree path `page`, with the card at tree
    /// path `card`, if any.
    pub fn new(
        site: &SiteView,
        page: &str,
        (kind, title, description): (&'static str, String, String),
        card: Option<(&str, String)>,
    ) -> ShareMeta {
        let (image, image_alt) = match card {
            Some((path, alt)) => (Some(link(site, page, path)), Some(alt)),
            None => (None, None),
        };
        ShareMeta {
            kind,
            title,
            description: crate::locale::strip_marks(&description),
            url: site.base_url.as_ref().map(|_| link(site, page, page)),
            image,
            image_alt,
        }
    }
}

/// A description of at most about `max` characters: `text` cut at a word
/// boundary, with an ellipsis when cut.
pub fn summary(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    format!("{out}…")
}

/// The versions of the page at tree path `page` in every language of the
/// site, the default first (empty for a site of one language).
pub fn alternates(site: &SiteView, page: &str) -> Vec<Alternate> {
    let Some(here) = site.translations.iter().find(|t| t.current) else {
        return Vec::new();
    };
    let from = paths::in_tree(here.tree, page);
    site.translations
        .iter()
        .map(|t| {
            let to = paths::in_tree(t.tree, page);
            let href = paths::relative(&from, &to);
            Alternate {
                lang: t.lang.code(),
                name: crate::locale::data::of(t.lang).name,
                url: site
                    .base_url
                    .as_ref()
                    .map_or_else(|| href.clone(), |b| format!("{b}{to}")),
                href,
                current: t.current,
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Labelled {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    pub kind: String,
    pub target: Option<String>,
    pub response: Option<String>,
    /// The number of its source's note, if it has its own source.
    pub note: Option<usize>,
}

/// A figure, its label and the number of its source's note.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Noted {
    pub label: String,
    pub value: String,
    pub note: Option<usize>,
}

/// A numbered source note: where one or more figures come from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NoteView {
    pub number: usize,
    pub name: String,
    pub url: Option<String>,
}

/// The source notes of an update, numbered in the order first cited; a
/// source cited twice keeps its number.
#[derive(Default)]
struct Notes(Vec<NoteView>);

impl Notes {
    fn cite(&mut self, source: Option<&crate::content::model::ItemSource>) -> Option<usize> {
        let s = source?;
        let (name, url) = (s.name.to_string(), s.url.clone());
        if let Some(n) = self.0.iter().find(|n| n.name == name && n.url == url) {
            return Some(n.number);
        }
        let number = self.0.len() + 1;
        self.0.push(NoteView { number, name, url });
        Some(number)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub name: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    pub label: Option<String>,
    /// "17 mars 2020 – 11 mai 2020", or one end alone.
    pub range: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrafficView {
    pub baseline: Option<String>,
    pub network_held: Option<bool>,
    /// In the order the fact file gives.
    pub multipliers: Vec<Noted>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShopsView {
    /// "20 boutiques rouvertes sur 20" / "20 of 20 shops reopened".
    pub summary: Option<String>,
    pub reopened_on: Option<String>,
    pub by_appointment: Option<bool>,
    pub booking: Option<String>,
}

/// A quote and who said it: its own `by`, or the update's speaker.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub text: String,
    pub by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeleworkView {
    pub percent: Option<String>,
    pub except: Vec<String>,
    /// "750 salariés sur 1 800, soit 41,7 %", when counts were given.
    pub counts: Option<String>,
    /// Who is counted.
    pub scope: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OnlineView {
    pub customers: Option<String>,
    pub growth: Option<String>,
}

/// Links from an update page, relative to that page.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateLinks {
    pub pdf: Option<String>,
    pub press: Option<String>,
    pub brief: String,
    pub data: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub region_slug: String,
    pub region_name: String,
    pub date_iso: String,
    pub date: String,
    pub title: String,
    pub period: Option<PeriodView>,
    pub source: Option<SourceView>,
    pub speaker: Option<PersonView>,
    pub key_figures: Vec<Figure>,
    pub telework: Option<TeleworkView>,
    pub field_priorities: Vec<String>,
    pub priority_services: Vec<String>,
    pub traffic: Option<TrafficView>,
    pub incidents: Vec<IncidentView>,
    pub online: Option<OnlineView>,
    pub shops: Option<ShopsView>,
    pub indicators: Vec<Noted>,
    /// The figures' own sources, numbered as cited.
    pub notes: Vec<NoteView>,
    /// The quotes' texts (as before attribution: kept for templates of
    /// older projects).
    pub quotes: Vec<String>,
    /// The quotes with who said each.
    pub quoted: Vec<QuoteView>,
    /// Sanitised HTML.
    pub narrative_html: Option<String>,
    /// The narrative's language when it is not the page's (a translation
    /// that falls back to the default language's text).
    pub narrative_lang: Option<String>,
    /// Plain text of the narrative, for feeds and briefs.
    pub narrative_text: Vec<String>,
    /// The narrative's Markdown as blocks, for the PDF report.
    pub narrative_blocks: Vec<markdown::Block>,
    pub changes_since: Option<String>,
    pub changes: Vec<Labelled>,
    pub previous_date: Option<String>,
    pub next_date: Option<String>,
    pub links: UpdateLinks,
    pub charts: Vec<Chart>,
    /// Corrections, newest first.
    pub corrections: Vec<CorrectionView>,
    /// The preview's "embargo until …" banner over an update not yet due
    /// (`None` in every built page).
    pub embargo: Option<String>,
    /// schema.org JSON-LD of the page (a `Report`, with its corrections as
    /// `CorrectionComment`s), escaped for a `<script>` element.
    pub json_ld: String,
}

/// A correction as every output shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    pub date_iso: String,
    pub date: String,
    pub note: String,
    /// The whole notice: "Correction du 16 mai 2020 : …".
    pub notice: String,
}

/// One line of the site-wide corrections page.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionItem {
    pub correction: CorrectionView,
    pub region_name: String,
    pub title: String,
    pub update_date: String,
    /// The corrected update's page, relative to the corrections page.
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrectionsView {
    /// Newest first.
    pub items: Vec<CorrectionItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateSummary {
    pub date_iso: String,
    pub date: String,
    pub title: String,
    pub href: String,
    pub telework: Option<String>,
    pub shops: Option<String>,
    pub online: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionView {
    pub slug: String,
    pub name: String,
    pub delegate: Option<PersonView>,
    pub departments: Vec<String>,
    /// Newest first.
    pub updates: Vec<UpdateSummary>,
    pub latest: Option<UpdateView>,
    pub charts: Vec<Chart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverviewRowView {
    pub name: String,
    pub href: String,
    pub date: Option<String>,
    pub telework: Option<String>,
    pub shops: Option<String>,
    pub online: Option<String>,
    pub top_multiplier: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverviewView {
    pub rows: Vec<OverviewRowView>,
    pub charts: Vec<Chart>,
    pub update_count: usize,
    pub latest_date: Option<String>,
}

fn text(t: &Option<Text>) -> Option<String> {
    t.as_ref().map(Text::to_string)
}

fn texts(t: &[Text]) -> Vec<String> {
    t.iter().map(Text::to_string).collect()
}

/// Options that change what the pages link to.
#[derive(Debug, Clone, Copy)]
pub struct ViewOptions {
    pub pdf: bool,
}

pub fn site_view(site: &Site, loc: &Locale) -> SiteView {
    let translations = if site.languages.len() > 1 {
        site.languages
            .iter()
            .map(|l| Translation {
                lang: *l,
                tree: paths::tree(site, *l),
                current: *l == loc.lang,
            })
            .collect()
    } else {
        Vec::new()
    };
    SiteView {
        title: site.title.to_string(),
        organisation: site.organisation.to_string(),
        language: loc.code(),
        base_url: site.base_url.clone(),
        translations,
    }
}

pub fn t(loc: &Locale) -> Labels {
    loc.labels()
}

fn person(p: &crate::content::model::Person) -> PersonView {
    PersonView {
        name: p.name.to_string(),
        role: text(&p.role),
    }
}

/// The telework counts as the pages word them: "750 salariés sur 1 800,
/// soit 41,7 %".
pub fn telework_counts(t: &crate::content::model::Telework, loc: &Locale) -> Option<String> {
    let (remote, staff, percent) = (t.remote?, t.staff?, t.percent?);
    Some(loc.t(
        "telework-counts",
        &[
            ("remote", loc.number(remote as f64).into()),
            ("staff", loc.number(staff as f64).into()),
            ("count", remote.into()),
            ("percent", loc.percent(percent).into()),
        ],
    ))
}

/// The shops figure as the pages word it: "20 boutiques rouvertes sur 20".
pub fn shops_summary(
    reopened: Option<u64>,
    total: Option<u64>,
    stayed_open: bool,
    loc: &Locale,
) -> Option<String> {
    let n = |x: u64| loc.number(x as f64).into();
    if stayed_open {
        return Some(match total {
            Some(t) => loc.t("shops-stayed-open", &[("total", n(t)), ("count", t.into())]),
            None => loc.t("shops-stayed-open-all", &[]),
        });
    }
    Some(match (reopened, total) {
        (Some(r), Some(t)) => loc.t(
            "shops-of",
            &[
                ("reopened", n(r)),
                ("total", n(t)),
                ("count", r.into()),
                ("total-count", t.into()),
            ],
        ),
        (Some(r), None) => loc.t("shops-reopened", &[("reopened", n(r)), ("count", r.into())]),
        (None, Some(t)) => loc.t("shops-total", &[("total", n(t)), ("count", t.into())]),
        (None, None) => return None,
    })
}

fn changes(d: &DerivedUpdate, loc: &Locale) -> Vec<Labelled> {
    let mut changes = Vec::new();
    if let Some(x) = d.changes.telework_points {
        changes.push(Labelled {
            label: loc.t("ui-telework", &[]),
            value: loc.points(x),
        });
    }
    if d.changes.telework_scope_changed {
        changes.push(Labelled {
            label: loc.t("ui-telework", &[]),
            value: loc.t("change-scope-changed", &[]),
        });
    }
    if let Some(x) = d.changes.shops_reopened {
        changes.push(Labelled {
            label: capitalise(&loc.t("ui-shops-reopened", &[])),
            value: loc.signed(x as f64),
        });
    }
    if let Some(x) = d.changes.online_points {
        changes.push(Labelled {
            label: loc.t("change-online", &[]),
            value: loc.points(x),
        });
    }
    changes
}

fn period(p: &crate::content::model::Period, loc: &Locale) -> PeriodView {
    let date = |x| loc.date(x).into();
    PeriodView {
        label: text(&p.label),
        range: match (p.start, p.end) {
            (Some(s), Some(e)) => {
                Some(loc.t("period-range", &[("start", date(s)), ("end", date(e))]))
            }
            (Some(s), None) => Some(loc.t("period-from", &[("start", date(s))])),
            (None, Some(e)) => Some(loc.t("period-until", &[("end", date(e))])),
            (None, None) => None,
        },
    }
}

fn update_links(region: &Region, d: &DerivedUpdate, opts: ViewOptions) -> UpdateLinks {
    let slug = region.slug.as_str();
    let date = d.update.date;
    let page = paths::update_page(slug, date);
    let link = |date| paths::relative(&page, &paths::update_page(slug, date));
    UpdateLinks {
        pdf: opts.pdf.then(|| paths::report_pdf_name(slug, date)),
        press: opts.pdf.then(|| paths::press_pdf_name(slug, date)),
        brief: paths::BRIEF.into(),
        data: paths::FACTS.into(),
        previous: d.previous.map(link),
        next: d.next.map(link),
    }
}

fn traffic_view(
    t: &crate::content::model::Traffic,
    loc: &Locale,
    notes: &mut Notes,
) -> TrafficView {
    TrafficView {
        baseline: text(&t.baseline),
        network_held: t.network_held,
        multipliers: t
            .multipliers
            .iter()
            .map(|m| Noted {
                label: m.label.to_string(),
                value: loc.traffic_figure(m),
                note: notes.cite(m.source.as_ref()),
            })
            .collect(),
    }
}

fn incident_view(i: &crate::content::model::Incident, notes: &mut Notes) -> IncidentView {
    IncidentView {
        kind: i.kind.to_string(),
        target: text(&i.target),
        response: text(&i.response),
        note: notes.cite(i.source.as_ref()),
    }
}

/// The quotes with who said each: their own `by`, or the speaker.
fn quoted(u: &crate::content::model::Update) -> Vec<QuoteView> {
    let speaker = u.speaker.as_ref().map(|s| &s.name);
    u.quotes
        .iter()
        .map(|q| QuoteView {
            text: q.text.to_string(),
            by: q.by.as_ref().or(speaker).map(|b| b.to_string()),
        })
        .collect()
}

/// The sections of an update whose items may cite their own source, and
/// the notes they cite.
struct Cited {
    traffic: Option<TrafficView>,
    incidents: Vec<IncidentView>,
    indicators: Vec<Noted>,
    notes: Notes,
}

/// [`Cited`] of `u`: notes are numbered in reading order (traffic,
/// incidents, indicators).
fn cited(u: &crate::content::model::Update, loc: &Locale) -> Cited {
    let mut notes = Notes::default();
    let traffic = u.traffic.as_ref().map(|t| traffic_view(t, loc, &mut notes));
    let incidents = u
        .incidents
        .iter()
        .flatten()
        .map(|i| incident_view(i, &mut notes))
        .collect();
    let indicators = u
        .indicators
        .iter()
        .map(|i| Noted {
            label: i.label.to_string(),
            value: loc.indicator_figure(i),
            note: notes.cite(i.source.as_ref()),
        })
        .collect();
    Cited {
        traffic,
        incidents,
        indicators,
        notes,
    }
}

pub fn update_view(
    loc: &Locale,
    region: &Region,
    d: &DerivedUpdate,
    opts: ViewOptions,
) -> UpdateView {
    let u = &d.update;
    let pct = |x: f64| loc.percent(x);
    let date = |x| loc.date(x);
    let cited = cited(u, loc);
    UpdateView {
        region_slug: region.slug.clone(),
        region_name: region.name.to_string(),
        date_iso: u.date.to_string(),
        date: date(u.date),
        title: u.title.to_string(),
        period: u.period.as_ref().map(|p| period(p, loc)),
        source: u.source.as_ref().map(|s| SourceView {
            name: text(&s.name),
            kind: text(&s.kind),
            url: s.url.clone(),
        }),
        speaker: u.speaker.as_ref().map(person),
        key_figures: key_figures(d, loc),
        telework: u.telework.as_ref().map(|t| TeleworkView {
            percent: t.percent.map(pct),
            except: texts(&t.except),
            counts: telework_counts(t, loc),
            scope: text(&t.scope),
        }),
        field_priorities: texts(&u.field_priorities),
        priority_services: texts(&u.priority_services),
        traffic: cited.traffic,
        incidents: cited.incidents,
        online: u.online.as_ref().map(|o| OnlineView {
            customers: o.customers_percent.map(pct),
            growth: o.growth_percent.map(|g| loc.signed_percent(g)),
        }),
        shops: u.shops.as_ref().map(|s| ShopsView {
            summary: shops_summary(s.reopened, s.total, s.stayed_open == Some(true), loc),
            reopened_on: s.reopened_on.map(date),
            by_appointment: s.by_appointment,
            booking: text(&s.booking),
        }),
        indicators: cited.indicators,
        notes: cited.notes.0,
        quotes: u.quotes.iter().map(|q| q.text.to_string()).collect(),
        quoted: quoted(u),
        narrative_html: u
            .narrative
            .as_deref()
            .map(|n| markdown::to_safe_html(&crate::locale::strip_marks(n))),
        narrative_lang: u
            .narrative
            .as_deref()
            .and_then(crate::locale::marked_lang)
            .map(str::to_string),
        narrative_text: u
            .narrative
            .as_deref()
            .map(markdown::to_paragraphs)
            .unwrap_or_default(),
        narrative_blocks: u
            .narrative
            .as_deref()
            .map(|n| markdown::to_blocks(&crate::locale::strip_marks(n)))
            .unwrap_or_default(),
        changes_since: d.changes.since.map(date),
        changes: changes(d, loc),
        previous_date: d.previous.map(date),
        next_date: d.next.map(date),
        links: update_links(region, d, opts),
        charts: charts::update_charts(d, loc),
        corrections: corrections(u, loc),
        embargo: embargo_banner(d, loc),
        json_ld: json_ld(region, d, loc),
    }
}

/// A correction's notice, dated by the locale.
pub fn correction_view(c: &crate::content::model::Correction, loc: &Locale) -> CorrectionView {
    let date = loc.date(c.date);
    CorrectionView {
        date_iso: c.date.to_string(),
        notice: loc.t(
            "correction-notice",
            &[
                ("date", date.clone().into()),
                ("note", c.note.as_str().into()),
            ],
        ),
        date,
        note: c.note.to_string(),
    }
}

/// An update's corrections, newest first (the order written among those
/// of the same day).
fn corrections(u: &crate::content::model::Update, loc: &Locale) -> Vec<CorrectionView> {
    u.corrections_newest_first()
        .into_iter()
        .map(|c| correction_view(c, loc))
        .collect()
}

/// The preview's banner over an update not yet due: its `publish_at` as
/// written (date, time and offset), worded by the catalogue.
fn embargo_banner(d: &DerivedUpdate, loc: &Locale) -> Option<String> {
    let at = d.update.publish_at.filter(|_| d.embargoed)?;
    let time = loc.t(
        "time-of-day",
        &[
            ("hour", format!("{:02}", at.hour).into()),
            ("minute", format!("{:02}", at.minute).into()),
        ],
    );
    Some(loc.t(
        "embargo-until",
        &[
            ("date", loc.date(at.date).into()),
            ("time", time.into()),
            ("offset", at.offset().into()),
        ],
    ))
}

/// The page's schema.org description: a `Report` with its corrections.
/// `<`, `>` and `&` are written as JSON escapes, so no fact can close the
/// `<script>` element it is written in.
fn json_ld(region: &Region, d: &DerivedUpdate, loc: &Locale) -> String {
    use crate::locale::strip_marks;
    let u = &d.update;
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": strip_marks(&u.title),
        "about": strip_marks(&region.name),
        "datePublished": u.date.to_string(),
        "inLanguage": loc.code(),
    });
    if let Some(last) = u.corrections.iter().map(|c| c.date).max() {
        value["dateModified"] = last.to_string().into();
        value["correction"] = u
            .corrections
            .iter()
            .map(|c| {
                serde_json::json!({
                    "@type": "CorrectionComment",
                    "datePublished": c.date.to_string(),
                    "text": strip_marks(&c.note),
                })
            })
            .collect();
    }
    script_json(&value)
}

/// JSON safe inside an HTML `<script>` element.
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Every correction of the site, newest first (then by region and date),
/// linked from the corrections page.
pub fn corrections_view(model: &SiteModel, loc: &Locale) -> CorrectionsView {
    type Keyed<'m> = (Date, &'m str, Date, CorrectionItem);
    let mut items: Vec<Keyed> = Vec::new();
    for r in &model.regions {
        for d in &r.updates {
            let u = &d.update;
            let page = paths::update_page(&r.region.slug, u.date);
            for c in &u.corrections {
                items.push((
                    c.date,
                    &r.region.slug,
                    u.date,
                    CorrectionItem {
                        correction: correction_view(c, loc),
                        region_name: r.region.name.to_string(),
                        title: u.title.to_string(),
                        update_date: loc.date(u.date),
                        href: paths::relative(paths::CORRECTIONS, &page),
                    },
                ));
            }
        }
    }
    items.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(b.2.cmp(&a.2)));
    CorrectionsView {
        items: items.into_iter().map(|(.., item)| item).collect(),
    }
}

/// The 4–6 figures shown in large type (cards, press sheet, feed summary).
pub fn key_figures(d: &DerivedUpdate, loc: &Locale) -> Vec<Figure> {
    let u = &d.update;
    let mut out = Vec::new();
    let mut push = |value: String, label: String| out.push(Figure { value, label });
    if let Some(p) = u.telework.as_ref().and_then(|t| t.percent) {
        push(loc.percent(p), loc.t("ui-staff-remote", &[]));
    }
    if let Some(top) = d.multipliers_ranked.first() {
        push(
            loc.traffic_figure(top),
            loc.t("figure-traffic", &[("label", top.label.to_string().into())]),
        );
    }
    if let Some(s) = &u.shops {
        match (s.stayed_open == Some(true), s.reopened, s.total) {
            (true, _, Some(t)) => push(
                loc.number(t as f64),
                loc.t("figure-shops-stayed-open", &[("count", t.into())]),
            ),
            (false, Some(r), Some(t)) => push(
                format!("{}/{}", loc.number(r as f64), loc.number(t as f64)),
                loc.t("ui-shops-reopened", &[]),
            ),
            // No total: the count alone, no share invented.
            (false, Some(r), None) => push(loc.number(r as f64), loc.t("ui-shops-reopened", &[])),
            _ => {}
        }
    }
    if let Some(c) = u.online.as_ref().and_then(|o| o.customers_percent) {
        push(loc.percent(c), loc.t("ui-customers-online", &[]));
    }
    if !u.priority_services.is_empty() {
        let n = u.priority_services.len();
        push(
            loc.number(n as f64),
            loc.t("figure-services", &[("count", n.into())]),
        );
    }
    out
}

pub fn update_summary(d: &DerivedUpdate, loc: &Locale, href: String) -> UpdateSummary {
    let u = &d.update;
    UpdateSummary {
        date_iso: u.date.to_string(),
        date: loc.date(u.date),
        title: u.title.to_string(),
        href,
        telework: u
            .telework
            .as_ref()
            .and_then(|t| t.percent)
            .map(|p| loc.percent(p)),
        shops: u
            .shops
            .as_ref()
            .and_then(|s| shops_summary(s.reopened, s.total, s.stayed_open == Some(true), loc)),
        online: u
            .online
            .as_ref()
            .and_then(|o| o.customers_percent)
            .map(|p| loc.percent(p)),
    }
}

pub fn region_view(loc: &Locale, region: &DerivedRegion, opts: ViewOptions) -> RegionView {
    let page = paths::region_page(&region.region.slug);
    RegionView {
        slug: region.region.slug.clone(),
        name: region.region.name.to_string(),
        delegate: region.region.delegate.as_ref().map(person),
        departments: texts(&region.region.departments),
        updates: region
            .updates
            .iter()
            .rev()
            .map(|d| {
                let target = paths::update_page(&region.region.slug, d.update.date);
                update_summary(d, loc, paths::relative(&page, &target))
            })
            .collect(),
        latest: region
            .latest()
            .map(|d| update_view(loc, &region.region, d, opts)),
        charts: charts::region_charts(region, loc),
    }
}

pub fn overview_view(model: &SiteModel, loc: &Locale) -> OverviewView {
    OverviewView {
        rows: model
            .overview
            .iter()
            .map(|r| overview_row(r, loc))
            .collect(),
        charts: charts::overview_charts(model, loc),
        update_count: model.regions.iter().map(|r| r.updates.len()).sum(),
        latest_date: model
            .regions
            .iter()
            .filter_map(|r| r.latest())
            .map(|d| d.update.date)
            .max()
            .map(|d| loc.date(d)),
    }
}

fn overview_row(r: &OverviewRow, loc: &Locale) -> OverviewRowView {
    OverviewRowView {
        name: r.name.to_string(),
        href: paths::relative(paths::OVERVIEW, &paths::region_page(&r.slug)),
        date: r.date.map(|d| loc.date(d)),
        telework: r.telework_percent.map(|p| loc.percent(p)),
        shops: shops_summary(r.shops_reopened, r.shops_total, r.shops_stayed_open, loc),
        online: r.online_percent.map(|p| loc.percent(p)),
        top_multiplier: r.top_multiplier.as_ref().map(|m| {
            loc.t(
                "overview-top-multiplier",
                &[
                    ("factor", loc.traffic_figure(m).into()),
                    ("label", m.label.to_string().into()),
                ],
            )
        }),
    }
}
