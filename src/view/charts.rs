//! Chart specifications: what each chart shows (data, labels already
//! formatted, title and alt text), as plain data. Drawing them (SVG with
//! plotters, PNG…) is the renderers' business (`render::charts`).

use serde::Serialize;

use super::Labelled;
use crate::content::model::{Date, Language};
use crate::derive::{DerivedRegion, DerivedUpdate, OverviewRow, SiteModel};
use crate::{format, paths};

/// One chart: its file name beside the page, what to draw, and its data
/// as a table for readers who cannot see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chart {
    /// File stem, also the id prefix inside the SVG: `traffic`, `telework`…
    pub id: String,
    pub file: String,
    pub title: String,
    pub alt: String,
    /// The same figures as a table.
    pub rows: Vec<Labelled>,
    /// Column headers of `rows`.
    pub columns: (String, String),
    pub drawing: Drawing,
}

/// The palette's colours by role; the renderer picks the shades.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    Blue,
    Green,
    Orange,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Marker {
    Circle,
    Square,
    Triangle,
}

/// One bar of a horizontal bar chart.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as printed at the bar's end.
    pub shown: String,
}

/// A line of a time-series chart.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Series {
    pub name: String,
    pub colour: Colour,
    pub points: Vec<(Date, f64)>,
    /// Dash pattern in pixels, so series differ without colour too.
    pub dash: Option<(f64, f64)>,
    pub marker: Marker,
}

/// A row of grouped bars: a label and one value per legend entry.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupRow {
    pub label: String,
    /// `(value, shown)` per legend entry; `None` draws nothing.
    pub values: Vec<Option<(f64, String)>>,
}

/// What to draw.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Drawing {
    /// Horizontal bars, labels on the left. `max` fixes the scale (100 for
    /// shares) or, when `None`, the largest value sets it.
    Bars {
        bars: Vec<Bar>,
        max: Option<f64>,
        colour: Colour,
    },
    /// Lines over time on a 0–100 % scale.
    Lines {
        /// Every date of the region, with its short label.
        dates: Vec<(Date, String)>,
        /// Gridlines: value and label.
        axis: Vec<(f64, String)>,
        series: Vec<Series>,
    },
    /// Grouped horizontal bars on a 0–100 scale, with a legend.
    Grouped {
        legend: Vec<(String, Colour)>,
        rows: Vec<GroupRow>,
        /// The widest value label to leave room for.
        widest: String,
    },
}

/// "a, b et c" / "a, b and c".
pub fn join_list(items: &[String], lang: Language) -> String {
    let and = if lang == Language::Fr { "et" } else { "and" };
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} {and} {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn chart(
    id: &str,
    title: String,
    alt: String,
    drawing: Drawing,
    rows: Vec<Labelled>,
    columns: (&str, &str),
) -> Chart {
    Chart {
        id: id.into(),
        file: paths::chart_name(id),
        title,
        alt,
        rows,
        columns: (columns.0.into(), columns.1.into()),
        drawing,
    }
}

fn columns(lang: Language) -> (&'static str, &'static str) {
    match lang {
        Language::Fr => ("Indicateur", "Valeur"),
        Language::En => ("Figure", "Value"),
    }
}

/// The charts of one update, for the sections it has.
pub fn update_charts(d: &DerivedUpdate, lang: Language) -> Vec<Chart> {
    let mut out = Vec::new();
    out.extend(traffic_chart(d, lang));
    out.extend(share_charts(d, lang));
    out
}

fn traffic_chart(d: &DerivedUpdate, lang: Language) -> Option<Chart> {
    if d.multipliers_ranked.is_empty() {
        return None;
    }
    let fr = lang == Language::Fr;
    let title = if fr {
        "Multiplication du trafic"
    } else {
        "Traffic multipliers"
    }
    .to_string();
    let parts: Vec<String> = d
        .multipliers_ranked
        .iter()
        .map(|m| {
            let n = format::number(m.factor, lang);
            if fr {
                format!("par {n} pour {}", super::lowercase_first(&m.label))
            } else {
                format!("{n} times for {}", m.label)
            }
        })
        .collect();
    let baseline = d.update.traffic.as_ref().and_then(|t| t.baseline.clone());
    let mut alt = if fr {
        format!("Trafic multiplié {}", join_list(&parts, lang))
    } else {
        format!("Traffic multiplied {}", join_list(&parts, lang))
    };
    if let Some(b) = baseline {
        alt.push_str(&if fr {
            format!(", par rapport à {b}")
        } else {
            format!(", compared with {b}")
        });
    }
    alt.push('.');
    let bars: Vec<Bar> = d
        .multipliers_ranked
        .iter()
        .map(|m| Bar {
            label: m.label.clone(),
            value: m.factor,
            shown: format::multiplier(m.factor, lang),
        })
        .collect();
    let rows = bars
        .iter()
        .map(|b| Labelled {
            label: b.label.clone(),
            value: b.shown.clone(),
        })
        .collect();
    let drawing = Drawing::Bars {
        bars,
        max: None,
        colour: Colour::Blue,
    };
    Some(chart("traffic", title, alt, drawing, rows, columns(lang)))
}

/// A one-bar chart of a share on a 0–100 scale.
fn share(
    id: &str,
    (title, label, alt): (&str, String, String),
    value: f64,
    colour: Colour,
    lang: Language,
) -> Chart {
    let shown = format::percent(value, lang);
    let bars = vec![Bar {
        label: label.clone(),
        value,
        shown: shown.clone(),
    }];
    let rows = vec![Labelled {
        label,
        value: shown,
    }];
    let drawing = Drawing::Bars {
        bars,
        max: Some(100.0),
        colour,
    };
    chart(id, title.into(), alt, drawing, rows, columns(lang))
}

fn share_charts(d: &DerivedUpdate, lang: Language) -> Vec<Chart> {
    let u = &d.update;
    let fr = lang == Language::Fr;
    let mut out = Vec::new();
    if let Some(p) = u.telework.as_ref().and_then(|t| t.percent) {
        let pc = format::percent(p, lang);
        let texts = if fr {
            (
                "Télétravail",
                "Salariés en télétravail".to_string(),
                format!("{pc} des salariés en télétravail."),
            )
        } else {
            (
                "Telework",
                "Staff working remotely".to_string(),
                format!("{pc} of staff working remotely."),
            )
        };
        out.push(share("telework", texts, p, Colour::Blue, lang));
    }
    if let (Some(pct), Some(s)) = (d.shops_reopened_percent, u.shops.as_ref()) {
        let (r, t) = (s.reopened.unwrap_or(0), s.total.unwrap_or(0));
        let texts = if fr {
            (
                "Boutiques rouvertes",
                format!("{r} boutiques sur {t}"),
                format!(
                    "{r} boutiques rouvertes sur {t}, soit {}.",
                    format::percent(pct, lang)
                ),
            )
        } else {
            (
                "Shops reopened",
                format!("{r} of {t} shops"),
                format!("{r} of {t} shops reopened, {}.", format::percent(pct, lang)),
            )
        };
        out.push(share("shops", texts, pct, Colour::Green, lang));
    }
    if let Some(c) = u.online.as_ref().and_then(|o| o.customers_percent) {
        let pc = format::percent(c, lang);
        let texts = if fr {
            (
                "Clients en ligne",
                "Clients servis en ligne".to_string(),
                format!("{pc} des clients servis en ligne."),
            )
        } else {
            (
                "Online customers",
                "Customers served online".to_string(),
                format!("{pc} of customers served online."),
            )
        };
        out.push(share("online", texts, c, Colour::Orange, lang));
    }
    out
}

fn region_series(region: &DerivedRegion, lang: Language) -> Vec<Series> {
    let fr = lang == Language::Fr;
    let pick = |f: &dyn Fn(&DerivedUpdate) -> Option<f64>| -> Vec<(Date, f64)> {
        region
            .updates
            .iter()
            .filter_map(|d| f(d).map(|v| (d.update.date, v)))
            .collect()
    };
    let all = [
        Series {
            name: if fr { "Télétravail" } else { "Telework" }.into(),
            colour: Colour::Blue,
            points: pick(&|d| d.update.telework.as_ref().and_then(|t| t.percent)),
            dash: None,
            marker: Marker::Circle,
        },
        Series {
            name: if fr {
                "Boutiques rouvertes"
            } else {
                "Shops reopened"
            }
            .into(),
            colour: Colour::Green,
            points: pick(&|d| d.shops_reopened_percent),
            dash: Some((8.0, 4.0)),
            marker: Marker::Square,
        },
        Series {
            name: if fr {
                "Clients en ligne"
            } else {
                "Online customers"
            }
            .into(),
            colour: Colour::Orange,
            points: pick(&|d| d.update.online.as_ref().and_then(|o| o.customers_percent)),
            dash: Some((2.0, 4.0)),
            marker: Marker::Triangle,
        },
    ];
    all.into_iter().filter(|s| !s.points.is_empty()).collect()
}

/// Time series for a region with two or more updates.
pub fn region_charts(region: &DerivedRegion, lang: Language) -> Vec<Chart> {
    if region.updates.len() < 2 {
        return Vec::new();
    }
    let fr = lang == Language::Fr;
    let dates: Vec<Date> = region.updates.iter().map(|d| d.update.date).collect();
    let series = region_series(region, lang);
    if series.is_empty() {
        return Vec::new();
    }
    let title = if fr {
        format!("Évolution en {}", region.region.name)
    } else {
        format!("Trends in {}", region.region.name)
    };
    let describe = |s: &Series| {
        let (a, b) = (s.points[0], s.points[s.points.len() - 1]);
        if fr {
            format!(
                "{} : de {} le {} à {} le {}",
                s.name,
                format::percent(a.1, lang),
                format::date(a.0, lang),
                format::percent(b.1, lang),
                format::date(b.0, lang)
            )
        } else {
            format!(
                "{}: from {} on {} to {} on {}",
                s.name,
                format::percent(a.1, lang),
                format::date(a.0, lang),
                format::percent(b.1, lang),
                format::date(b.0, lang)
            )
        }
    };
    let alt = series.iter().map(describe).collect::<Vec<_>>().join(". ") + ".";
    let rows = dates
        .iter()
        .map(|d| {
            let values: Vec<String> = series
                .iter()
                .filter_map(|s| {
                    s.points
                        .iter()
                        .find(|p| p.0 == *d)
                        .map(|p| format!("{} {}", s.name, format::percent(p.1, lang)))
                })
                .collect();
            Labelled {
                label: format::date(*d, lang),
                value: values.join(" · "),
            }
        })
        .collect();
    let multi_year = dates.first().map(|d| d.year) != dates.last().map(|d| d.year);
    let drawing = Drawing::Lines {
        dates: dates
            .iter()
            .map(|d| (*d, format::short_date(*d, lang, multi_year)))
            .collect(),
        axis: [0.0, 25.0, 50.0, 75.0, 100.0]
            .into_iter()
            .map(|v| (v, format::percent(v, lang)))
            .collect(),
        series,
    };
    let columns = ("Date", if fr { "Valeurs" } else { "Values" });
    vec![chart("trends", title, alt, drawing, rows, columns)]
}

/// Every region's latest telework and shops-reopened shares, side by side.
pub fn overview_charts(model: &SiteModel) -> Vec<Chart> {
    let lang = model.site.language;
    let fr = lang == Language::Fr;
    let mut rows: Vec<&OverviewRow> = model
        .overview
        .iter()
        .filter(|r| r.telework_percent.is_some() || r.shops_reopened_percent.is_some())
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    rows.sort_by(|a, b| {
        b.telework_percent
            .unwrap_or(-1.0)
            .total_cmp(&a.telework_percent.unwrap_or(-1.0))
            .then(a.name.cmp(&b.name))
    });
    let title = if fr {
        "Dernières données par région"
    } else {
        "Latest figures by region"
    }
    .to_string();
    let tw = if fr { "Télétravail" } else { "Telework" };
    let sh = if fr {
        "Boutiques rouvertes"
    } else {
        "Shops reopened"
    };
    let fmt = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format::percent(v, lang));
    let parts: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} : {} {}, {} {}",
                r.name,
                tw.to_lowercase(),
                fmt(r.telework_percent),
                sh.to_lowercase(),
                fmt(r.shops_reopened_percent)
            )
        })
        .map(|s| if fr { s } else { s.replacen(" :", ":", 1) })
        .collect();
    let alt = parts
        .join(" ; ")
        .replace(" ; ", if fr { " ; " } else { "; " })
        + ".";
    let table = rows
        .iter()
        .map(|r| Labelled {
            label: r.name.clone(),
            value: format!(
                "{tw} {} · {sh} {}",
                fmt(r.telework_percent),
                fmt(r.shops_reopened_percent)
            ),
        })
        .collect();
    let shown = |v: Option<f64>| v.map(|v| (v, format::percent(v, lang)));
    let drawing = Drawing::Grouped {
        legend: vec![(tw.into(), Colour::Blue), (sh.into(), Colour::Green)],
        rows: rows
            .iter()
            .map(|r| GroupRow {
                label: r.name.clone(),
                values: vec![shown(r.telework_percent), shown(r.shops_reopened_percent)],
            })
            .collect(),
        widest: format::percent(100.0, lang),
    };
    let columns = (
        if fr { "Région" } else { "Region" },
        if fr { "Valeurs" } else { "Values" },
    );
    vec![chart("overview", title, alt, drawing, table, columns)]
}
