//! Chart specifications: what each chart shows (data, labels already
//! formatted, title and alt text), as plain data. Drawing them (SVG with
//! plotters, PNG…) is the renderers' business (`render::charts`).

use serde::Serialize;

use super::Labelled;
use crate::content::model::{Change, Date};
use crate::derive::{DerivedRegion, DerivedUpdate, OverviewRow, SiteModel};
use crate::locale::Locale;
use crate::paths;

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
    /// What a reader must know to read it right (a break in a series),
    /// shown under the chart and said in its alt text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When a bar is a range: the headers of the lower and upper bounds'
    /// columns in the chart's data file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_columns: Option<(String, String)>,
}

impl Chart {
    /// The chart without language marks, for drawing: an SVG's text is
    /// not HTML, so a fallback text is drawn as it is.
    pub fn unmarked(&self) -> Chart {
        use crate::locale::strip_marks as s;
        let mut c = self.clone();
        c.title = s(&c.title);
        c.alt = s(&c.alt);
        c.note = c.note.as_deref().map(s);
        for r in &mut c.rows {
            r.label = s(&r.label);
            r.value = s(&r.value);
        }
        match &mut c.drawing {
            Drawing::Bars { bars, .. } => bars.iter_mut().for_each(|b| b.label = s(&b.label)),
            Drawing::Lines { series, .. } => series.iter_mut().for_each(|x| x.name = s(&x.name)),
            Drawing::Grouped { rows, .. } => rows.iter_mut().for_each(|r| r.label = s(&r.label)),
        }
        c
    }
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
    /// Where the bar ends (a range's upper bound).
    pub value: f64,
    /// A range's lower bound: the bar is solid up to it, and a lighter
    /// span shows the range up to `value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
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
    /// Dates from which the line starts again, not joined to the point
    /// before: the figures on either side are not comparable.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<Date>,
}

impl Series {
    /// The points as runs to draw as separate lines, split at `breaks`.
    pub fn runs(&self) -> Vec<&[(Date, f64)]> {
        let mut runs = Vec::new();
        let mut start = 0;
        for (i, p) in self.points.iter().enumerate() {
            if i > start && self.breaks.contains(&p.0) {
                runs.push(&self.points[start..i]);
                start = i;
            }
        }
        if start < self.points.len() {
            runs.push(&self.points[start..]);
        }
        runs
    }
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

fn chart(
    id: &str,
    (title, alt): (String, String),
    drawing: Drawing,
    rows: Vec<Labelled>,
    columns: (String, String),
) -> Chart {
    Chart {
        id: id.into(),
        file: paths::chart_name(id),
        title,
        alt,
        rows,
        columns,
        drawing,
        note: None,
        range_columns: None,
    }
}

fn columns(loc: &Locale) -> (String, String) {
    (loc.t("ui-figure", &[]), loc.t("ui-value", &[]))
}

/// The charts of one update, for the sections it has.
pub fn update_charts(d: &DerivedUpdate, loc: &Locale) -> Vec<Chart> {
    let mut out = Vec::new();
    out.extend(traffic_chart(d, loc));
    out.extend(share_charts(d, loc));
    out
}

fn traffic_chart(d: &DerivedUpdate, loc: &Locale) -> Option<Chart> {
    if d.multipliers_ranked.is_empty() {
        return None;
    }
    // All multiplied: "Traffic multiplied 3 times for voice"; any fall or
    // change in percent: "Traffic change: voice up 35%, SMS down 5%".
    let all_times = d
        .multipliers_ranked
        .iter()
        .all(|m| matches!(m.change(), Change::Times(_)));
    let (part_id, alt_id) = if all_times {
        ("chart-traffic-part", "chart-traffic-alt")
    } else {
        ("chart-traffic-change-part", "chart-traffic-change-alt")
    };
    let parts: Vec<String> = d
        .multipliers_ranked
        .iter()
        .map(|m| loc.t(part_id, &loc.change_args(m, false)))
        .collect();
    let parts = loc.list(&parts);
    let baseline = d
        .update
        .traffic
        .as_ref()
        .and_then(|t| t.baseline.as_deref());
    let alt = match baseline {
        Some(b) => loc.t(
            &format!("{alt_id}-baseline"),
            &[("parts", parts.into()), ("baseline", b.into())],
        ),
        None => loc.t(alt_id, &[("parts", parts.into())]),
    };
    let bars: Vec<Bar> = d
        .multipliers_ranked
        .iter()
        .map(|m| Bar {
            label: m.label.to_string(),
            value: m.factor.high(),
            from: m.factor.is_range().then(|| m.factor.low()),
            shown: loc.traffic_figure(m),
        })
        .collect();
    let rows = bars
        .iter()
        .map(|b| Labelled {
            label: b.label.clone(),
            value: b.shown.clone(),
        })
        .collect();
    let ranges = bars.iter().any(|b| b.from.is_some());
    let drawing = Drawing::Bars {
        bars,
        max: None,
        colour: Colour::Blue,
    };
    let title = loc.t(
        if all_times {
            "chart-traffic-title"
        } else {
            "chart-traffic-change-title"
        },
        &[],
    );
    let mut c = chart("traffic", (title, alt), drawing, rows, columns(loc));
    c.range_columns = ranges.then(|| (loc.t("ui-range-min", &[]), loc.t("ui-range-max", &[])));
    Some(c)
}

/// A one-bar chart of a share on a 0–100 scale.
fn share(
    id: &str,
    (title, label, alt): (String, String, String),
    value: f64,
    colour: Colour,
    loc: &Locale,
) -> Chart {
    let shown = loc.percent(value);
    let bars = vec![Bar {
        label: label.clone(),
        value,
        from: None,
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
    chart(id, (title, alt), drawing, rows, columns(loc))
}

/// Title, bar label and alt text of a share chart from the catalogue:
/// `chart-<id>-title`, `chart-<id>-label`, `chart-<id>-alt`.
fn share_texts(id: &str, loc: &Locale, args: &[crate::locale::Arg]) -> (String, String, String) {
    (
        loc.t(&format!("chart-{id}-title"), args),
        loc.t(&format!("chart-{id}-label"), args),
        loc.t(&format!("chart-{id}-alt"), args),
    )
}

/// Shops reopened out of an unknown total: the count alone, on a scale of
/// its own, with no share invented.
fn reopened_count(reopened: u64, loc: &Locale) -> Chart {
    let args = [
        ("reopened", loc.number(reopened as f64).into()),
        ("count", reopened.into()),
    ];
    let (title, label, alt) = (
        loc.t("chart-shops-title", &args),
        loc.t("chart-shops-count-label", &args),
        loc.t("chart-shops-count-alt", &args),
    );
    let shown = loc.number(reopened as f64);
    let drawing = Drawing::Bars {
        bars: vec![Bar {
            label: label.clone(),
            value: reopened as f64,
            from: None,
            shown: shown.clone(),
        }],
        max: None,
        colour: Colour::Green,
    };
    let rows = vec![Labelled {
        label,
        value: shown,
    }];
    chart("shops", (title, alt), drawing, rows, columns(loc))
}

fn share_charts(d: &DerivedUpdate, loc: &Locale) -> Vec<Chart> {
    let u = &d.update;
    let mut out = Vec::new();
    if let Some(p) = u.telework.as_ref().and_then(|t| t.percent) {
        let texts = share_texts("telework", loc, &[("percent", loc.percent(p).into())]);
        out.push(share("telework", texts, p, Colour::Blue, loc));
    }
    if let (Some(pct), Some(s)) = (d.shops_reopened_percent, u.shops.as_ref()) {
        let (r, t) = (s.reopened.unwrap_or(0), s.total.unwrap_or(0));
        let args = [
            ("reopened", loc.number(r as f64).into()),
            ("total", loc.number(t as f64).into()),
            ("count", r.into()),
            ("total-count", t.into()),
            ("percent", loc.percent(pct).into()),
        ];
        let texts = share_texts("shops", loc, &args);
        out.push(share("shops", texts, pct, Colour::Green, loc));
    } else if let Some(s) = u.shops.as_ref().filter(|s| s.total.is_none()) {
        out.extend(s.reopened.map(|r| reopened_count(r, loc)));
    }
    if let Some(c) = u.online.as_ref().and_then(|o| o.customers_percent) {
        let texts = share_texts("online", loc, &[("percent", loc.percent(c).into())]);
        out.push(share("online", texts, c, Colour::Orange, loc));
    }
    out
}

/// The dates whose telework share counts other people than the share
/// before it (another `scope`).
fn telework_breaks(region: &DerivedRegion) -> Vec<Date> {
    let shares: Vec<(Date, &crate::content::model::Telework)> = region
        .updates
        .iter()
        .filter_map(|d| {
            let t = d.update.telework.as_ref()?;
            t.percent.map(|_| (d.update.date, t))
        })
        .collect();
    shares
        .windows(2)
        .filter(|w| !w[1].1.comparable(w[0].1))
        .map(|w| w[1].0)
        .collect()
}

fn region_series(region: &DerivedRegion, loc: &Locale) -> Vec<Series> {
    let pick = |f: &dyn Fn(&DerivedUpdate) -> Option<f64>| -> Vec<(Date, f64)> {
        region
            .updates
            .iter()
            .filter_map(|d| f(d).map(|v| (d.update.date, v)))
            .collect()
    };
    let all = [
        Series {
            name: loc.t("chart-telework-title", &[]),
            colour: Colour::Blue,
            points: pick(&|d| d.update.telework.as_ref().and_then(|t| t.percent)),
            dash: None,
            marker: Marker::Circle,
            breaks: telework_breaks(region),
        },
        Series {
            name: loc.t("chart-shops-title", &[]),
            colour: Colour::Green,
            points: pick(&|d| d.shops_reopened_percent),
            dash: Some((8.0, 4.0)),
            marker: Marker::Square,
            breaks: Vec::new(),
        },
        Series {
            name: loc.t("chart-online-title", &[]),
            colour: Colour::Orange,
            points: pick(&|d| d.update.online.as_ref().and_then(|o| o.customers_percent)),
            dash: Some((2.0, 4.0)),
            marker: Marker::Triangle,
            breaks: Vec::new(),
        },
    ];
    all.into_iter().filter(|s| !s.points.is_empty()).collect()
}

/// "Télétravail : de 90 % le 7 mai 2020 à 60 % le 14 mai 2020".
fn describe_series(s: &Series, loc: &Locale) -> String {
    let (a, b) = (s.points[0], s.points[s.points.len() - 1]);
    loc.t(
        "chart-trends-series",
        &[
            ("series", s.name.as_str().into()),
            ("first", loc.percent(a.1).into()),
            ("first-date", loc.date(a.0).into()),
            ("last", loc.percent(b.1).into()),
            ("last-date", loc.date(b.0).into()),
        ],
    )
}

/// "Le périmètre du télétravail change le 12 mai 2020 : …", for the
/// breaks of a time series.
fn series_note(drawing: &Drawing, loc: &Locale) -> Option<String> {
    let Drawing::Lines { series, .. } = drawing else {
        return None;
    };
    let notes: Vec<String> = series
        .iter()
        .flat_map(|s| {
            s.breaks.iter().map(|d| {
                loc.t(
                    "chart-series-break",
                    &[
                        ("series", s.name.as_str().into()),
                        ("date", loc.date(*d).into()),
                    ],
                )
            })
        })
        .collect();
    (!notes.is_empty()).then(|| notes.join(" "))
}

/// Time series for a region with two or more updates.
pub fn region_charts(region: &DerivedRegion, loc: &Locale) -> Vec<Chart> {
    if region.updates.len() < 2 {
        return Vec::new();
    }
    let dates: Vec<Date> = region.updates.iter().map(|d| d.update.date).collect();
    let series = region_series(region, loc);
    if series.is_empty() {
        return Vec::new();
    }
    let title = loc.t(
        "chart-trends-title",
        &[("region", region.region.name.to_string().into())],
    );
    let alt = series
        .iter()
        .map(|s| describe_series(s, loc))
        .collect::<Vec<_>>()
        .join(". ")
        + ".";
    let rows = dates
        .iter()
        .map(|d| {
            let values: Vec<String> = series
                .iter()
                .filter_map(|s| {
                    s.points
                        .iter()
                        .find(|p| p.0 == *d)
                        .map(|p| format!("{} {}", s.name, loc.percent(p.1)))
                })
                .collect();
            Labelled {
                label: loc.date(*d),
                value: values.join(" · "),
            }
        })
        .collect();
    let multi_year = dates.first().map(|d| d.year) != dates.last().map(|d| d.year);
    let drawing = Drawing::Lines {
        dates: dates
            .iter()
            .map(|d| (*d, loc.short_date(*d, multi_year)))
            .collect(),
        axis: [0.0, 25.0, 50.0, 75.0, 100.0]
            .into_iter()
            .map(|v| (v, loc.percent(v)))
            .collect(),
        series,
    };
    let columns = (loc.t("ui-date", &[]), loc.t("chart-values", &[]));
    let note = series_note(&drawing, loc);
    let alt = match &note {
        Some(n) => format!("{alt} {n}"),
        None => alt,
    };
    let mut c = chart("trends", (title, alt), drawing, rows, columns);
    c.note = note;
    vec![c]
}

/// Every region's latest telework and shops-reopened shares, side by side.
pub fn overview_charts(model: &SiteModel, loc: &Locale) -> Vec<Chart> {
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
            .then(a.name.as_str().cmp(b.name.as_str()))
    });
    let fmt = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| loc.percent(v));
    let figures = |r: &OverviewRow| -> [crate::locale::Arg<'static>; 3] {
        [
            ("region", r.name.to_string().into()),
            ("telework", fmt(r.telework_percent).into()),
            ("shops", fmt(r.shops_reopened_percent).into()),
        ]
    };
    // In the description, a figure a region lacks is left out rather
    // than said as a dash ("shops reopened —").
    let said = |r: &OverviewRow| {
        let figures = [
            r.telework_percent.map(|v| {
                loc.t(
                    "chart-overview-telework",
                    &[("telework", loc.percent(v).into())],
                )
            }),
            r.shops_reopened_percent
                .map(|v| loc.t("chart-overview-shops", &[("shops", loc.percent(v).into())])),
        ];
        let figures: Vec<String> = figures.into_iter().flatten().collect();
        let figures = figures.join(&loc.t("chart-overview-figures-separator", &[]));
        loc.t(
            "chart-overview-part",
            &[
                ("region", r.name.to_string().into()),
                ("figures", figures.into()),
            ],
        )
    };
    let parts: Vec<String> = rows.iter().map(|r| said(r)).collect();
    let alt = parts.join(&loc.t("chart-overview-separator", &[])) + ".";
    let table = rows
        .iter()
        .map(|r| Labelled {
            label: r.name.to_string(),
            value: loc.t("chart-overview-row", &figures(r)),
        })
        .collect();
    let shown = |v: Option<f64>| v.map(|v| (v, loc.percent(v)));
    let legend = vec![
        (loc.t("chart-telework-title", &[]), Colour::Blue),
        (loc.t("chart-shops-title", &[]), Colour::Green),
    ];
    let drawing = Drawing::Grouped {
        legend,
        rows: rows
            .iter()
            .map(|r| GroupRow {
                label: r.name.to_string(),
                values: vec![shown(r.telework_percent), shown(r.shops_reopened_percent)],
            })
            .collect(),
        widest: loc.percent(100.0),
    };
    let title = loc.t("chart-overview-title", &[]);
    let columns = (loc.t("ui-region", &[]), loc.t("chart-values", &[]));
    vec![chart("overview", (title, alt), drawing, table, columns)]
}
