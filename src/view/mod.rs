//! The presentation model: the derived model with every figure already
//! formatted for the site's language. HTML templates, the Typst PDF templates
//! and the open-data writer all read these structures, so a template only
//! displays and never computes.

use serde::Serialize;

pub mod charts;

use crate::content::model::{Language, Region, Site};
use crate::derive::{DerivedRegion, DerivedUpdate, OverviewRow, SiteModel};
use crate::render::i18n::{Labels, labels};
use crate::render::markdown;
use crate::{format, paths};
use charts::Chart;

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub organisation: String,
    pub language: &'static str,
    pub base_url: Option<String>,
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
    pub multipliers: Vec<Labelled>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShopsView {
    /// "20 boutiques rouvertes sur 20" / "20 of 20 shops reopened".
    pub summary: Option<String>,
    pub reopened_on: Option<String>,
    pub by_appointment: Option<bool>,
    pub booking: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeleworkView {
    pub percent: Option<String>,
    pub except: Vec<String>,
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
    pub indicators: Vec<Labelled>,
    pub quotes: Vec<String>,
    /// Sanitised HTML.
    pub narrative_html: Option<String>,
    /// Plain text of the narrative, for PDF and feeds.
    pub narrative_text: Vec<String>,
    pub changes_since: Option<String>,
    pub changes: Vec<Labelled>,
    pub previous_date: Option<String>,
    pub next_date: Option<String>,
    pub links: UpdateLinks,
    pub charts: Vec<Chart>,
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

/// Options that change what the pages link to.
#[derive(Debug, Clone, Copy)]
pub struct ViewOptions {
    pub pdf: bool,
}

pub fn site_view(site: &Site) -> SiteView {
    SiteView {
        title: site.title.clone(),
        organisation: site.organisation.clone(),
        language: site.language.code(),
        base_url: site.base_url.clone(),
    }
}

pub fn t(site: &Site) -> Labels {
    labels(site.language)
}

fn person(p: &crate::content::model::Person) -> PersonView {
    PersonView {
        name: p.name.clone(),
        role: p.role.clone(),
    }
}

pub fn shops_summary(reopened: Option<u64>, total: Option<u64>, lang: Language) -> Option<String> {
    let n = |x: u64| format::number(x as f64, lang);
    Some(match (lang, reopened, total) {
        (Language::Fr, Some(r), Some(t)) => format!(
            "{} {} sur {}",
            n(r),
            if r > 1 {
                "boutiques rouvertes"
            } else {
                "boutique rouverte"
            },
            n(t)
        ),
        (Language::En, Some(r), Some(t)) => format!(
            "{} of {} {} reopened",
            n(r),
            n(t),
            if t == 1 { "shop" } else { "shops" }
        ),
        (Language::Fr, Some(r), None) => format!(
            "{} {}",
            n(r),
            if r > 1 {
                "boutiques rouvertes"
            } else {
                "boutique rouverte"
            }
        ),
        (Language::En, Some(r), None) => format!(
            "{} {} reopened",
            n(r),
            if r == 1 { "shop" } else { "shops" }
        ),
        (Language::Fr, None, Some(t)) => format!("{} boutiques", n(t)),
        (Language::En, None, Some(t)) => format!("{} shops", n(t)),
        (_, None, None) => return None,
    })
}

pub fn update_view(
    site: &Site,
    region: &Region,
    d: &DerivedUpdate,
    opts: ViewOptions,
) -> UpdateView {
    let lang = site.language;
    let tl = labels(lang);
    let u = &d.update;
    let pct = |x: f64| format::percent(x, lang);
    let date = |x| format::date(x, lang);

    let key_figures = key_figures(d, lang);

    let mut changes = Vec::new();
    if let Some(x) = d.changes.telework_points {
        changes.push(Labelled {
            label: tl.telework.into(),
            value: format::points(x, lang),
        });
    }
    if let Some(x) = d.changes.shops_reopened {
        changes.push(Labelled {
            label: capitalise(tl.shops_reopened),
            value: format::signed(x as f64, lang),
        });
    }
    if let Some(x) = d.changes.online_points {
        let label = match lang {
            Language::Fr => "Clients servis en ligne",
            Language::En => "Customers served online",
        };
        changes.push(Labelled {
            label: label.into(),
            value: format::points(x, lang),
        });
    }

    let slug = region.slug.as_str();
    let page = paths::update_page(slug, u.date);
    let link = |date| paths::relative(&page, &paths::update_page(slug, date));
    let narrative_html = u.narrative.as_deref().map(markdown::to_safe_html);
    let narrative_text = u
        .narrative
        .as_deref()
        .map(markdown::to_paragraphs)
        .unwrap_or_default();

    UpdateView {
        region_slug: region.slug.clone(),
        region_name: region.name.clone(),
        date_iso: u.date.to_string(),
        date: date(u.date),
        title: u.title.clone(),
        period: u.period.as_ref().map(|p| PeriodView {
            label: p.label.clone(),
            range: match (p.start, p.end) {
                (Some(s), Some(e)) => Some(format!("{} – {}", date(s), date(e))),
                (Some(s), None) => Some(format!(
                    "{} {}",
                    if lang == Language::Fr {
                        "depuis le"
                    } else {
                        "from"
                    },
                    date(s)
                )),
                (None, Some(e)) => Some(format!(
                    "{} {}",
                    if lang == Language::Fr {
                        "jusqu'au"
                    } else {
                        "until"
                    },
                    date(e)
                )),
                (None, None) => None,
            },
        }),
        source: u.source.as_ref().map(|s| SourceView {
            name: s.name.clone(),
            kind: s.kind.clone(),
            url: s.url.clone(),
        }),
        speaker: u.speaker.as_ref().map(person),
        key_figures,
        telework: u.telework.as_ref().map(|t| TeleworkView {
            percent: t.percent.map(pct),
            except: t.except.clone(),
        }),
        field_priorities: u.field_priorities.clone(),
        priority_services: u.priority_services.clone(),
        traffic: u.traffic.as_ref().map(|t| TrafficView {
            baseline: t.baseline.clone(),
            network_held: t.network_held,
            multipliers: t
                .multipliers
                .iter()
                .map(|m| Labelled {
                    label: m.label.clone(),
                    value: format::multiplier(m.factor, lang),
                })
                .collect(),
        }),
        incidents: u
            .incidents
            .iter()
            .map(|i| IncidentView {
                kind: i.kind.clone(),
                target: i.target.clone(),
                response: i.response.clone(),
            })
            .collect(),
        online: u.online.as_ref().map(|o| OnlineView {
            customers: o.customers_percent.map(pct),
            growth: o.growth_percent.map(|g| {
                let s = format::percent(g, lang);
                if g > 0.0 { format!("+{s}") } else { s }
            }),
        }),
        shops: u.shops.as_ref().map(|s| ShopsView {
            summary: shops_summary(s.reopened, s.total, lang),
            reopened_on: s.reopened_on.map(date),
            by_appointment: s.by_appointment,
            booking: s.booking.clone(),
        }),
        indicators: u
            .indicators
            .iter()
            .map(|i| Labelled {
                label: i.label.clone(),
                value: match &i.unit {
                    Some(unit) if unit == "%" => pct(i.value),
                    Some(unit) => format!("{} {unit}", format::number(i.value, lang)),
                    None => format::number(i.value, lang),
                },
            })
            .collect(),
        quotes: u.quotes.clone(),
        narrative_html,
        narrative_text,
        changes_since: d.changes.since.map(date),
        changes,
        previous_date: d.previous.map(date),
        next_date: d.next.map(date),
        links: UpdateLinks {
            pdf: opts.pdf.then(|| paths::report_pdf_name(slug, u.date)),
            press: opts.pdf.then(|| paths::press_pdf_name(slug, u.date)),
            brief: paths::BRIEF.into(),
            data: paths::FACTS.into(),
            previous: d.previous.map(link),
            next: d.next.map(link),
        },
        charts: charts::update_charts(d, lang),
    }
}

/// The 4–6 figures shown in large type (cards, press sheet, feed summary).
pub fn key_figures(d: &DerivedUpdate, lang: Language) -> Vec<Figure> {
    let tl = labels(lang);
    let u = &d.update;
    let pct = |x: f64| format::percent(x, lang);
    let mut key_figures = Vec::new();
    if let Some(p) = u.telework.as_ref().and_then(|t| t.percent) {
        key_figures.push(Figure {
            value: pct(p),
            label: tl.staff_remote.into(),
        });
    }
    if let Some(top) = d.multipliers_ranked.first() {
        let label = match lang {
            Language::Fr => format!("trafic {}", lowercase_first(&top.label)),
            Language::En => format!("{} traffic", top.label),
        };
        key_figures.push(Figure {
            value: format::multiplier(top.factor, lang),
            label,
        });
    }
    if let Some(s) = &u.shops
        && let (Some(r), Some(t)) = (s.reopened, s.total)
    {
        key_figures.push(Figure {
            value: format!(
                "{}/{}",
                format::number(r as f64, lang),
                format::number(t as f64, lang)
            ),
            label: tl.shops_reopened.into(),
        });
    }
    if let Some(c) = u.online.as_ref().and_then(|o| o.customers_percent) {
        key_figures.push(Figure {
            value: pct(c),
            label: tl.customers_online.into(),
        });
    }
    if !u.priority_services.is_empty() {
        let label = match lang {
            Language::Fr => "services prioritaires maintenus",
            Language::En => "priority services kept running",
        };
        key_figures.push(Figure {
            value: format::number(u.priority_services.len() as f64, lang),
            label: label.into(),
        });
    }

    key_figures
}

pub fn update_summary(d: &DerivedUpdate, lang: Language, href: String) -> UpdateSummary {
    let u = &d.update;
    UpdateSummary {
        date_iso: u.date.to_string(),
        date: format::date(u.date, lang),
        title: u.title.clone(),
        href,
        telework: u
            .telework
            .as_ref()
            .and_then(|t| t.percent)
            .map(|p| format::percent(p, lang)),
        shops: u
            .shops
            .as_ref()
            .and_then(|s| shops_summary(s.reopened, s.total, lang)),
        online: u
            .online
            .as_ref()
            .and_then(|o| o.customers_percent)
            .map(|p| format::percent(p, lang)),
    }
}

pub fn region_view(site: &Site, region: &DerivedRegion, opts: ViewOptions) -> RegionView {
    let lang = site.language;
    let page = paths::region_page(&region.region.slug);
    RegionView {
        slug: region.region.slug.clone(),
        name: region.region.name.clone(),
        delegate: region.region.delegate.as_ref().map(person),
        departments: region.region.departments.clone(),
        updates: region
            .updates
            .iter()
            .rev()
            .map(|d| {
                let target = paths::update_page(&region.region.slug, d.update.date);
                update_summary(d, lang, paths::relative(&page, &target))
            })
            .collect(),
        latest: region
            .latest()
            .map(|d| update_view(site, &region.region, d, opts)),
        charts: charts::region_charts(region, lang),
    }
}

pub fn overview_view(model: &SiteModel) -> OverviewView {
    let lang = model.site.language;
    let rows = model
        .overview
        .iter()
        .map(|r| overview_row(r, lang))
        .collect();
    OverviewView {
        rows,
        charts: charts::overview_charts(model),
        update_count: model.regions.iter().map(|r| r.updates.len()).sum(),
        latest_date: model
            .regions
            .iter()
            .filter_map(|r| r.latest())
            .map(|d| d.update.date)
            .max()
            .map(|d| format::date(d, lang)),
    }
}

fn overview_row(r: &OverviewRow, lang: Language) -> OverviewRowView {
    OverviewRowView {
        name: r.name.clone(),
        href: paths::relative(paths::OVERVIEW, &paths::region_page(&r.slug)),
        date: r.date.map(|d| format::date(d, lang)),
        telework: r.telework_percent.map(|p| format::percent(p, lang)),
        shops: shops_summary(r.shops_reopened, r.shops_total, lang),
        online: r.online_percent.map(|p| format::percent(p, lang)),
        top_multiplier: r
            .top_multiplier
            .as_ref()
            .map(|m| format!("{} {}", format::multiplier(m.factor, lang), m.label)),
    }
}

pub fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        // Keep acronyms ("WhatsApp", "4G") as they are.
        Some(c)
            if chars
                .clone()
                .take_while(|n| !n.is_whitespace())
                .all(|n| !n.is_uppercase()) =>
        {
            c.to_lowercase().chain(chars).collect()
        }
        Some(c) => std::iter::once(c).chain(chars).collect(),
        None => String::new(),
    }
}

pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
