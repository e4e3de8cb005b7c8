//! Plausibility checks: a figure that moved implausibly since the region's
//! previous update (by date) is warned about at the value
//! (`implausible-change`), naming the previous value and its date.
//!
//! - a percentage that moves by 50 points or more;
//! - `shops.total` that changes;
//! - a traffic multiplier of the same label that changes by a factor of 10
//!   or more;
//! - a percentage between 0 and 1 where the previous was 5 or more
//!   ("0.9 — did you mean 90?").
//!
//! `checked: [telework.percent, …]` in an update silences those fields once
//! a person has checked them. These are cross-file checks: each update's
//! watched values are read from its positioned YAML tree when it is loaded
//! (with the source line, for the caret) and kept beside the model, which
//! stays free of positions.

use super::format::CHECKABLE;
use super::model::Date;
use super::validate::{Fields, FileCheck, fmt_num, parse_number};
use super::yaml::{Node, NodeKind, Pos};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

/// A percentage moving by this many points or more is implausible.
const PERCENT_JUMP: f64 = 50.0;
/// A multiplier changing by this factor or more is implausible.
const FACTOR_JUMP: f64 = 10.0;
/// A previous percentage from which a new one below 1 looks like a share
/// written as a fraction (0.9 for 90).
const FRACTION_FROM: f64 = 5.0;

/// The percentages compared with the previous update.
const PERCENTAGES: &[&str] = &[
    "telework.percent",
    "online.customers_percent",
    "online.growth_percent",
];

/// One figure of an update that plausibility checks follow.
#[derive(Debug, Clone, PartialEq)]
struct Value {
    /// Its field, as `checked:` names it.
    field: &'static str,
    /// The multiplier's label (its texts), for `traffic.multipliers`.
    label: Option<String>,
    /// What is compared (a traffic item's factor; a range's middle).
    number: f64,
    /// The figure as written, for messages: `3`, `2–3`, `-5 %`.
    shown: String,
    pos: Pos,
    /// The source line, for the caret display.
    line: String,
}

/// An update's watched figures, with where they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Watched {
    region: String,
    date: Date,
    file: String,
    values: Vec<Value>,
    checked: Vec<String>,
    /// Who its telework share counts (`telework.scope`): shares of other
    /// scopes are not compared.
    telework_scope: Option<String>,
    /// The update has errors: it is not compared, nor compared with.
    invalid: bool,
}

impl Watched {
    /// An update of `region` with errors.
    pub fn invalid(region: &str, date: Date) -> Watched {
        Watched {
            region: region.to_string(),
            date,
            file: String::new(),
            values: Vec::new(),
            checked: Vec::new(),
            telework_scope: None,
            invalid: true,
        }
    }
}

/// Checks `checked:` of an update: a list of known field names, each
/// unknown one a located error with a did-you-mean.
pub fn validate_checked(check: &mut FileCheck, f: &Fields) {
    for item in check.list(f, "", "checked") {
        let Some(name) = check.string(item, "checked") else {
            continue;
        };
        if CHECKABLE.contains(&name.as_str()) {
            continue;
        }
        let message = match did_you_mean(&name, CHECKABLE.iter().copied()) {
            Some(s) => format!("`checked` names an unknown field `{name}`; did you mean `{s}`?"),
            None => format!("`checked` names an unknown field `{name}`"),
        };
        check.error_help(
            item.pos,
            "unknown-field",
            message,
            format!("fields that can be checked: {}", CHECKABLE.join(", ")),
        );
    }
}

fn at<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    path.split('.').try_fold(root, |node, key| node.child(key))
}

fn number(node: &Node) -> Option<f64> {
    match &node.kind {
        NodeKind::Scalar { value, plain: true } => parse_number(value.trim()),
        _ => None,
    }
}

/// A figure: a number, or a range `{min, max}` compared by its middle;
/// with how it is written (`2–3`).
fn figure(node: &Node) -> Option<(f64, String)> {
    if let Some(n) = number(node) {
        return Some((n, fmt_num(n)));
    }
    let (min, max) = (number(node.child("min")?)?, number(node.child("max")?)?);
    Some((
        (min + max) / 2.0,
        format!("{}–{}", fmt_num(min), fmt_num(max)),
    ))
}

/// A label's identity across updates: its text, or its texts by language.
fn label_key(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Scalar { value, .. } => Some(value.trim().to_string()),
        NodeKind::Map(entries) => {
            let mut parts: Vec<String> = entries
                .iter()
                .filter_map(|(k, v)| match (&k.kind, &v.kind) {
                    (NodeKind::Scalar { value: k, .. }, NodeKind::Scalar { value: v, .. }) => {
                        Some(format!("{}={}", k.trim(), v.trim()))
                    }
                    _ => None,
                })
                .collect();
            parts.sort();
            Some(parts.join("\u{1f}"))
        }
        NodeKind::Seq(_) => None,
    }
}

/// Reads the watched figures of a valid update from its tree.
pub fn watched(root: &Node, text: &str, region: &str, date: Date, file: &str) -> Watched {
    let line = |pos: Pos| {
        text.lines()
            .nth(pos.line.saturating_sub(1))
            .unwrap_or("")
            .to_string()
    };
    let mut values = Vec::new();
    let mut push = |field: &'static str, label: Option<String>, node: &Node, percent: bool| {
        if let Some((n, shown)) = figure(node) {
            // A change in percent is compared as the factor it makes.
            let (number, shown) = match percent {
                true => (1.0 + n / 100.0, format!("{shown} %")),
                false => (n, shown),
            };
            values.push(Value {
                field,
                label,
                number,
                shown,
                pos: node.pos,
                line: line(node.pos),
            });
        }
    };
    for field in PERCENTAGES.iter().chain(["shops.total"].iter()) {
        if let Some(node) = at(root, field) {
            push(field, None, node, false);
        }
    }
    if let Some(NodeKind::Seq(items)) = at(root, "traffic.multipliers").map(|n| &n.kind) {
        for item in items {
            let Some(label) = item.child("label") else {
                continue;
            };
            if let Some(factor) = item.child("factor") {
                push("traffic.multipliers", label_key(label), factor, false);
            } else if let Some(change) = item.child("change_percent") {
                push("traffic.multipliers", label_key(label), change, true);
            }
        }
    }
    let checked = match at(root, "checked").map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items
            .iter()
            .filter_map(|i| match &i.kind {
                NodeKind::Scalar { value, .. } => Some(value.trim().to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Watched {
        region: region.to_string(),
        date,
        file: file.to_string(),
        values,
        checked,
        telework_scope: at(root, "telework.scope").and_then(label_key),
        invalid: false,
    }
}

/// Compares every update with its region's previous one.
pub fn check(mut all: Vec<Watched>) -> Diagnostics {
    all.sort_by(|a, b| (&a.region, a.date).cmp(&(&b.region, b.date)));
    let mut diags = Diagnostics::default();
    for pair in all.windows(2) {
        let (prev, cur) = (&pair[0], &pair[1]);
        if prev.region != cur.region || prev.invalid || cur.invalid {
            continue;
        }
        for value in &cur.values {
            if cur.checked.iter().any(|c| c == value.field) {
                continue;
            }
            if value.field == "telework.percent" && cur.telework_scope != prev.telework_scope {
                continue;
            }
            let Some(before) = prev
                .values
                .iter()
                .find(|p| p.field == value.field && p.label == value.label)
            else {
                continue;
            };
            if let Some((message, help)) = implausible(value, before, prev.date) {
                let mut d =
                    Diagnostic::warning(&cur.file, value.pos, "implausible-change", message)
                        .with_help(help);
                d.source_line = Some(value.line.clone());
                diags.push(d);
            }
        }
    }
    diags
}

/// The warning's message and help when `value` is implausible after
/// `before` (of `date`).
fn implausible(value: &Value, before: &Value, date: Date) -> Option<(String, String)> {
    let (field, now) = (value.field, value.number);
    // Worded only for a warning: most values are plausible, and an edit
    // of one update checks all of them again.
    let words = || {
        let silence = format!(
            "if the figure is right, add `checked: [{field}]` to this update to silence this warning"
        );
        (format!("{} on {date}", before.shown), silence)
    };
    let before = before.number;
    if PERCENTAGES.contains(&field) {
        if now > 0.0 && now < 1.0 && before >= FRACTION_FROM {
            let (was, silence) = words();
            return Some((
                format!(
                    "{field} is {}, after {was}: a share written as a fraction?",
                    fmt_num(now)
                ),
                format!(
                    "{} — did you mean {}? percentages are written from 0 to 100; {silence}",
                    fmt_num(now),
                    fmt_num((now * 100.0 * 1e9).round() / 1e9)
                ),
            ));
        }
        let moved = (now - before).abs();
        if moved >= PERCENT_JUMP {
            let (was, silence) = words();
            return Some((
                format!(
                    "{field} moved by {} points, from {was} to {}",
                    // 90.2 - 40 is 50.199999999999996 in binary.
                    fmt_num((moved * 1e9).round() / 1e9),
                    fmt_num(now)
                ),
                format!("check the figure; {silence}"),
            ));
        }
    } else if field == "shops.total" {
        if now != before {
            let (was, silence) = words();
            return Some((
                format!(
                    "shops.total changed from {was} to {}: the number of shops rarely changes",
                    fmt_num(now)
                ),
                format!("check the figure; {silence}"),
            ));
        }
    } else if before > 0.0 && now > 0.0 {
        let ratio = (now / before).max(before / now);
        if ratio >= FACTOR_JUMP {
            let label = value
                .label
                .as_deref()
                .map(|l| l.split('\u{1f}').next().unwrap_or(l))
                .unwrap_or("");
            let (was, silence) = words();
            return Some((
                format!(
                    "the traffic multiplier `{label}` changed from {was} to {}, {} times {}",
                    value.shown,
                    fmt_num((ratio * 10.0).round() / 10.0),
                    if now > before { "more" } else { "less" }
                ),
                format!("check the figure; {silence}"),
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched_of(text: &str, date: &str) -> Watched {
        let node = super::super::yaml::parse(text).unwrap().unwrap();
        watched(&node, text, "r", Date::parse(date).unwrap(), "f.yaml")
    }

    #[test]
    fn each_rule_and_its_silencing() {
        let before = watched_of(
            "telework:\n  percent: 90\nonline:\n  customers_percent: 10\nshops:\n  total: 20\ntraffic:\n  multipliers:\n    - label: voix\n      factor: 3\n",
            "2020-05-07",
        );
        let after = "telework:\n  percent: 0.9\nonline:\n  customers_percent: 70\nshops:\n  total: 25\ntraffic:\n  multipliers:\n    - label: voix\n      factor: 30\n";
        let d = check(vec![before.clone(), watched_of(after, "2020-05-14")]);
        let lines: Vec<String> = d.items.iter().map(|d| d.headline()).collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(d.items.iter().all(|d| d.code == "implausible-change"));
        let silenced = format!("{after}checked: [telework.percent, shops.total]\n");
        let d = check(vec![before, watched_of(&silenced, "2020-05-14")]);
        assert_eq!(d.items.len(), 2);
    }

    /// A move is said as the figures' difference reads, never with the
    /// binary's tail (90.2 - 40 is 50.199999999999996).
    #[test]
    fn a_move_is_said_without_binary_noise() {
        let before = watched_of("telework:\n  percent: 40\n", "2020-05-07");
        let after = watched_of("telework:\n  percent: 90.2\n", "2020-05-14");
        let d = check(vec![before, after]);
        assert_eq!(
            d.items[0].message,
            "telework.percent moved by 50.2 points, from 40 on 2020-05-07 to 90.2"
        );
    }

    #[test]
    fn the_synthetic_site_is_plausible() {
        let mut all = Vec::new();
        for r in 0..3 {
            for u in 0..30 {
                let date = crate::synthetic::update_date(u).to_string();
                let mut w = watched_of(&crate::synthetic::update_text(r, u), &date);
                w.region = format!("r{r}");
                all.push(w);
            }
        }
        let d = check(all);
        assert!(d.items.is_empty(), "{:#?}", d.items.first());
    }

    #[test]
    fn an_update_with_errors_between_two_is_not_compared_across() {
        let a = watched_of("shops:\n  total: 20\n", "2020-05-07");
        let b = watched_of("shops:\n  total: 25\n", "2020-05-21");
        let broken = Watched::invalid("r", Date::parse("2020-05-14").unwrap());
        assert_eq!(check(vec![a.clone(), b.clone()]).items.len(), 1);
        assert!(check(vec![a, broken, b]).items.is_empty());
    }

    /// Ranges are compared by their middle and shown as written; a change
    /// in percent is compared as the factor it makes.
    #[test]
    fn ranges_and_changes_in_percent_are_compared() {
        let item =
            |figure: &str| format!("traffic:\n  multipliers:\n    - label: voix\n      {figure}\n");
        let pair = |a: &str, b: &str| {
            check(vec![
                watched_of(&item(a), "2020-05-07"),
                watched_of(&item(b), "2020-05-14"),
            ])
        };
        let d = pair("factor: 0.2", "factor: {min: 2, max: 3}");
        assert_eq!(d.items.len(), 1);
        let line = d.items[0].headline();
        assert!(
            line.contains("changed from 0.2 on 2020-05-07 to 2–3, 12.5 times more"),
            "{line}"
        );
        let d = pair(
            "change_percent: -90",
            "change_percent: {min: 100, max: 200}",
        );
        let line = d.items[0].headline();
        assert!(
            line.contains("from -90 % on 2020-05-07 to 100–200 %, 25 times more"),
            "{line}"
        );
        assert!(
            pair("change_percent: 20", "change_percent: {min: 30, max: 40}")
                .items
                .is_empty()
        );
    }
}
