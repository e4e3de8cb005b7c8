//! Open data: every figure of every update as JSON and CSV, and one
//! `facts.json` beside each update page. Numbers are raw (dot decimals),
//! not localised, so that other tools can read them.

use serde::Serialize;

use super::html::to_json;
use crate::content::model::{Figure, Region, Update};
use crate::derive::{Changes, DerivedUpdate, SiteModel};
use crate::error::Failure;

/// One update with its region and derived figures: the open-data record.
#[derive(Serialize)]
pub struct Record<'a> {
    pub region_name: &'a str,
    /// The update's facts; its Markdown narrative is replaced by the plain
    /// paragraphs below, so no markup from a narrative reaches open data.
    #[serde(flatten)]
    pub update: Update,
    pub narrative_text: Vec<String>,
    pub shops_reopened_percent: Option<f64>,
    pub previous_date: Option<String>,
    pub changes: &'a Changes,
}

fn record<'a>(region: &'a Region, d: &'a DerivedUpdate) -> Record<'a> {
    let mut update = d.update.clone();
    let narrative_text = update
        .narrative
        .take()
        .as_deref()
        .map(super::markdown::to_paragraphs)
        .unwrap_or_default();
    Record {
        region_name: &region.name,
        update,
        narrative_text,
        shops_reopened_percent: d.shops_reopened_percent,
        previous_date: d.previous.map(|p| p.to_string()),
        changes: &d.changes,
    }
}

pub fn facts_json(region: &Region, d: &DerivedUpdate) -> Result<String, Failure> {
    to_json(&record(region, d))
}

/// Every update's record, as one JSON list. Each record is made, written
/// and dropped in turn: the list of 10 000 records (each with a copy of
/// its update) was the build's largest allocation.
pub fn updates_json(model: &SiteModel) -> Result<String, Failure> {
    struct Records<'a>(&'a SiteModel);
    impl Serialize for Records<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(
                self.0
                    .regions
                    .iter()
                    .flat_map(|r| r.updates.iter().map(move |d| record(&r.region, d))),
            )
        }
    }
    to_json(&Records(model))
}

/// The CSV columns, in order. Documented in the README; append, never reorder.
pub const CSV_COLUMNS: &[&str] = &[
    "region",
    "region_name",
    "date",
    "title",
    "telework_percent",
    "shops_total",
    "shops_reopened",
    "shops_reopened_percent",
    "shops_reopened_on",
    "shops_by_appointment",
    "online_customers_percent",
    "online_growth_percent",
    "traffic_network_held",
    "traffic_multipliers",
    "priority_services",
    "incidents",
    "telework_change_points",
    "shops_reopened_change",
    "online_change_points",
    "previous_date",
    "source_name",
    "source_url",
    "speaker_name",
    "corrections",
    "indicators",
    "telework_staff",
    "telework_remote",
    "telework_scope",
    "shops_stayed_open",
];

fn num(n: Option<f64>) -> String {
    n.map(crate::content::validate::fmt_num).unwrap_or_default()
}

/// A cell's text as written: without relance's language marks, and a
/// text (not a figure) that a spreadsheet would take for a formula
/// defused with a leading `'`.
fn field(text: &str, is_text: bool) -> String {
    let mut t = crate::locale::strip_marks(text);
    if is_text && t.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        t.insert(0, '\'');
    }
    t
}

/// A CSV document being written, rows of `(cell, is text)`: quoted as a
/// field needs it (RFC 4180, by the `csv` crate), lines ending in `\n`.
struct Csv(csv::Writer<Vec<u8>>);

impl Csv {
    fn new() -> Csv {
        Csv(csv::Writer::from_writer(Vec::new()))
    }

    fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = (S, bool)>) {
        let cells = cells.into_iter().map(|(c, t)| field(c.as_ref(), t));
        // Writing into memory cannot fail.
        let _ = self.0.write_record(cells);
    }

    fn finish(self) -> String {
        let bytes = self.0.into_inner().map_err(|e| e.into_error());
        // Every cell was a string: the bytes are UTF-8.
        String::from_utf8(bytes.unwrap_or_default()).unwrap_or_default()
    }
}

/// An update's corrections in one cell: `2020-05-16: note; …`, in the
/// order written.
fn corrections_cell(u: &Update) -> String {
    u.corrections
        .iter()
        .map(|c| format!("{}: {}", c.date, c.note))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One traffic item as written: `voice=3` for a factor, `sms=-5%` for a
/// change in percent, `data=35..60%` for a range.
fn multiplier_cell(m: &crate::content::model::TrafficMultiplier) -> String {
    let about = approx_sign(m.approx);
    match m.change_percent {
        Some(p) => format!("{}={about}{}%", m.label, figure_cell(p)),
        None => format!("{}={about}{}", m.label, figure_cell(m.factor)),
    }
}

/// A figure in a CSV cell: `3`, or a range `35..60`.
fn figure_cell(f: Figure) -> String {
    use crate::content::validate::fmt_num;
    match f {
        Figure::One(x) => fmt_num(x),
        Figure::Range { min, max } => format!("{}..{}", fmt_num(min), fmt_num(max)),
    }
}

/// `~` before an estimate's value in a CSV cell (`Visio=~7`).
fn approx_sign(approx: bool) -> &'static str {
    if approx { "~" } else { "" }
}

/// An update's indicators in one cell: `label=value unit; …`, in the
/// order written (`Minutes of voice=12500 minutes`, `Sites open=21`).
fn indicators_cell(u: &Update) -> String {
    u.indicators
        .iter()
        .map(|i| {
            let about = approx_sign(i.approx);
            let value = figure_cell(i.value);
            match &i.unit {
                Some(unit) => format!("{}={about}{value} {unit}", i.label),
                None => format!("{}={about}{value}", i.label),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The site's open data, JSON and CSV, made in parallel.
pub fn open_data(model: &SiteModel) -> Result<Vec<super::OutputFile>, Failure> {
    use crate::paths;
    let (json, csv) = rayon::join(|| updates_json(model), || updates_csv(model));
    Ok(vec![
        super::OutputFile::new(paths::DATA_JSON, json?),
        super::OutputFile::new(paths::DATA_CSV, csv),
    ])
}

pub fn updates_csv(model: &SiteModel) -> String {
    let mut out = Csv::new();
    out.row(CSV_COLUMNS.iter().map(|c| (c, true)));
    for region in &model.regions {
        for d in &region.updates {
            let u = &d.update;
            let shops = u.shops.as_ref();
            let telework = u.telework.as_ref();
            let online = u.online.as_ref();
            let traffic = u.traffic.as_ref();
            let b = |x: Option<bool>| x.map(|v| v.to_string()).unwrap_or_default();
            let cells: Vec<(String, bool)> = vec![
                (u.region.clone(), true),
                (region.region.name.to_string(), true),
                (u.date.to_string(), false),
                (u.title.to_string(), true),
                (num(u.telework.as_ref().and_then(|t| t.percent)), false),
                (num(shops.and_then(|s| s.total).map(|v| v as f64)), false),
                (num(shops.and_then(|s| s.reopened).map(|v| v as f64)), false),
                (num(d.shops_reopened_percent), false),
                (
                    shops
                        .and_then(|s| s.reopened_on)
                        .map(|x| x.to_string())
                        .unwrap_or_default(),
                    false,
                ),
                (b(shops.and_then(|s| s.by_appointment)), false),
                (num(online.and_then(|o| o.customers_percent)), false),
                (num(online.and_then(|o| o.growth_percent)), false),
                (b(traffic.and_then(|t| t.network_held)), false),
                (
                    traffic
                        .map(|t| {
                            t.multipliers
                                .iter()
                                .map(multiplier_cell)
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                        .unwrap_or_default(),
                    true,
                ),
                (
                    u.priority_services
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                    true,
                ),
                (
                    u.incidents
                        .as_ref()
                        .map(|i| i.len().to_string())
                        .unwrap_or_default(),
                    false,
                ),
                (num(d.changes.telework_points), false),
                (num(d.changes.shops_reopened.map(|v| v as f64)), false),
                (num(d.changes.online_points), false),
                (d.previous.map(|p| p.to_string()).unwrap_or_default(), false),
                (
                    u.source
                        .as_ref()
                        .and_then(|s| s.name.as_ref().map(|n| n.to_string()))
                        .unwrap_or_default(),
                    true,
                ),
                (
                    u.source
                        .as_ref()
                        .and_then(|s| s.url.clone())
                        .unwrap_or_default(),
                    true,
                ),
                (
                    u.speaker
                        .as_ref()
                        .map(|s| s.name.to_string())
                        .unwrap_or_default(),
                    true,
                ),
                (corrections_cell(u), true),
                (indicators_cell(u), true),
                (num(telework.and_then(|t| t.staff).map(|v| v as f64)), false),
                (
                    num(telework.and_then(|t| t.remote).map(|v| v as f64)),
                    false,
                ),
                (
                    telework
                        .and_then(|t| t.scope.as_ref())
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                    true,
                ),
                (b(shops.and_then(|s| s.stayed_open)), false),
            ];
            out.row(cells);
        }
    }
    out.finish()
}

/// The figures a chart draws, raw (dot decimals), one row per bar, date or
/// group: the first column names what a row is (the chart's own column
/// header), the others the values (one per series or legend entry).
pub fn chart_csv(chart: &crate::view::charts::Chart) -> String {
    use crate::view::charts::Drawing;
    let value = |v: f64| crate::content::validate::fmt_num(v);
    let mut out = Csv::new();
    match &chart.drawing {
        // A chart with a range has a lower and an upper column (a single
        // figure is both), so no bound is ever written alone.
        Drawing::Bars { bars, .. } => {
            let mut head = vec![(chart.columns.0.clone(), true)];
            match &chart.range_columns {
                Some((low, high)) => head.extend([(low.clone(), true), (high.clone(), true)]),
                None => head.push((chart.columns.1.clone(), true)),
            }
            out.row(head);
            for b in bars {
                let mut cells = vec![(b.label.clone(), true)];
                if chart.range_columns.is_some() {
                    cells.push((value(b.from.unwrap_or(b.value)), false));
                }
                cells.push((value(b.value), false));
                out.row(cells);
            }
        }
        Drawing::Lines { dates, series, .. } => {
            let mut head = vec![("date".to_string(), true)];
            head.extend(series.iter().map(|s| (s.name.clone(), true)));
            out.row(head);
            for (d, _) in dates {
                let mut cells = vec![(d.to_string(), false)];
                cells.extend(series.iter().map(|s| {
                    let v = s.points.iter().find(|(pd, _)| pd == d).map(|p| p.1);
                    (num(v), false)
                }));
                out.row(cells);
            }
        }
        Drawing::Grouped { legend, rows, .. } => {
            let mut head = vec![(chart.columns.0.clone(), true)];
            head.extend(legend.iter().map(|(n, _)| (n.clone(), true)));
            out.row(head);
            for r in rows {
                let mut cells = vec![(r.label.clone(), true)];
                cells.extend(
                    r.values
                        .iter()
                        .map(|v| (num(v.as_ref().map(|x| x.0)), false)),
                );
                out.row(cells);
            }
        }
    }
    out.finish()
}
