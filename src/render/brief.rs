//! The radio/press briefing: one short sentence per key figure, in the
//! site's language, written to be read aloud; then the changes since the
//! previous update; then the estimated reading time (150 words a minute).
//!
//! Every sentence comes from the catalogue (`brief-*` messages); with
//! `words`, the figures in them are spelled as spoken by the [`Locale`].

use fluent_bundle::FluentValue;
use serde::Serialize;

use crate::content::model::{Change, Date, Figure, Region};
use crate::derive::DerivedUpdate;
use crate::locale::{Arg, Gender, Locale, capitalise};

pub const WORDS_PER_MINUTE: f64 = 150.0;

/// A sentence in both forms: figures as digits and as spoken words.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sentence {
    /// What the sentence is about: `telework`, `traffic`, `shops`…
    pub topic: &'static str,
    pub text: String,
    pub spoken: String,
}

/// A key figure as data, for tools reading `--format json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BriefFigure {
    pub key: String,
    pub label: String,
    /// A number, or `{"min": …, "max": …}` for a range.
    pub value: Figure,
    pub unit: &'static str,
    /// As shown on the site: `90 %`, `×3`.
    pub display: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Brief {
    pub region: String,
    pub region_name: String,
    pub date: String,
    pub date_display: String,
    pub language: &'static str,
    pub title: String,
    pub speaker: Option<String>,
    pub source: Option<String>,
    pub figures: Vec<BriefFigure>,
    /// Corrections since the update, newest first: read before anything
    /// else.
    pub corrections: Vec<Sentence>,
    pub sentences: Vec<Sentence>,
    pub previous_date: Option<String>,
    pub changes: Vec<Sentence>,
    /// Words in the spoken script (digits form), and seconds to read it.
    pub words: usize,
    pub reading_seconds: u64,
}

/// Formats figures for one of the two forms, and words sentences.
struct Voice<'a> {
    loc: &'a Locale,
    words: bool,
}

impl Voice<'_> {
    fn num(&self, n: f64) -> String {
        if self.words {
            self.loc.spoken_number(n, Gender::Neuter)
        } else {
            self.loc.number(n)
        }
    }

    /// A count of `noun`s ("shops", "services"), agreeing with its gender
    /// when spelled.
    fn count(&self, n: u64, noun: &str) -> String {
        if self.words {
            self.loc.spoken_number(n as f64, self.loc.gender(noun))
        } else {
            self.loc.number(n as f64)
        }
    }

    fn pct(&self, n: f64) -> String {
        if self.words {
            self.loc.spoken_percent(n)
        } else {
            self.loc.percent(n)
        }
    }

    fn date(&self, d: Date, with_year: bool) -> String {
        match (self.words, with_year) {
            (true, _) => self.loc.spoken_date(d, with_year),
            (false, true) => self.loc.date(d),
            (false, false) => self.loc.short_date(d, false),
        }
    }

    fn t(&self, id: &str, args: &[Arg]) -> String {
        self.loc.t(id, args)
    }

    fn list(&self, items: &[crate::content::model::Text]) -> String {
        let inline: Vec<String> = items.iter().map(|i| self.loc.inline(i)).collect();
        self.loc.list(&inline)
    }
}

/// A sentence with its topic.
type Topical = (&'static str, String);

fn s<'a>(text: &'a str) -> FluentValue<'a> {
    FluentValue::from(text)
}

fn telework(d: &DerivedUpdate, v: &Voice, out: &mut Vec<Topical>) {
    let Some(t) = d.update.telework.as_ref() else {
        return;
    };
    let Some(percent) = t.percent else { return };
    let mut args = vec![("percent", v.pct(percent).into())];
    // Given as counts: said as counts, with the share they make.
    let id = match (t.remote, t.staff) {
        (Some(remote), Some(staff)) => {
            args.push(("remote", v.count(remote, "staff").into()));
            args.push(("staff", v.count(staff, "staff").into()));
            args.push(("count", remote.into()));
            "brief-telework-counts"
        }
        _ => "brief-telework",
    };
    let text = if t.except.is_empty() {
        v.t(id, &args)
    } else {
        args.push(("except", v.list(&t.except).into()));
        v.t(&format!("{id}-except"), &args)
    };
    out.push(("telework", capitalise(&text)));
    if let Some(scope) = &t.scope {
        out.push((
            "telework",
            v.t("brief-telework-scope", &[("scope", s(scope))]),
        ));
    }
}

fn traffic(d: &DerivedUpdate, v: &Voice, out: &mut Vec<Topical>) {
    let Some(t) = &d.update.traffic else { return };
    for (i, m) in t.multipliers.iter().enumerate() {
        let mut args = v.loc.change_args(m, v.words);
        let id = match t.baseline.as_deref().filter(|_| i == 0) {
            Some(b) => {
                args.push(("baseline", s(b)));
                "brief-traffic-baseline"
            }
            None => "brief-traffic",
        };
        out.push(("traffic", v.t(id, &args)));
    }
    match t.network_held {
        Some(true) => out.push(("traffic", v.t("brief-network-held", &[]))),
        Some(false) => out.push(("traffic", v.t("brief-network-not-held", &[]))),
        None => {}
    }
}

fn field_work(d: &DerivedUpdate, v: &Voice) -> Option<Topical> {
    let items = &d.update.field_priorities;
    (!items.is_empty()).then(|| {
        let text = v.t("brief-field-work", &[("items", v.list(items).into())]);
        ("field_work", text)
    })
}

fn shops(d: &DerivedUpdate, v: &Voice) -> Option<Topical> {
    let s = d.update.shops.as_ref()?;
    let count = |n: u64| v.count(n, "shops").into();
    let stayed_open = s.stayed_open == Some(true);
    let mut text = match (s.reopened, s.total) {
        (_, Some(t)) if stayed_open => v.t(
            "brief-shops-stayed-open",
            &[("total", count(t)), ("count", t.into())],
        ),
        _ if stayed_open => v.t("brief-shops-stayed-open-all", &[]),
        (Some(r), Some(t)) if r == t => v.t(
            "brief-shops-all",
            &[("total", count(t)), ("count", t.into())],
        ),
        (Some(r), Some(t)) => v.t(
            "brief-shops-of",
            &[
                ("reopened", count(r)),
                ("total", count(t)),
                ("count", r.into()),
            ],
        ),
        (Some(r), None) => v.t(
            "brief-shops-reopened",
            &[("reopened", count(r)), ("count", r.into())],
        ),
        _ => return None,
    };
    if let Some(on) = s.reopened_on {
        let date = v.date(on, true);
        text = v.t(
            "brief-shops-on",
            &[("shops", text.into()), ("date", date.into())],
        );
    }
    if s.by_appointment == Some(true) {
        text = v.t("brief-shops-by-appointment", &[("shops", text.into())]);
    }
    text.push('.');
    if let Some(b) = &s.booking {
        let booking = v.loc.inline(b);
        text.push(' ');
        text.push_str(&v.t("brief-shops-booking", &[("booking", booking.into())]));
    }
    Some(("shops", capitalise(&text)))
}

fn online(d: &DerivedUpdate, v: &Voice) -> Option<Topical> {
    let o = d.update.online.as_ref()?;
    let growth = o.growth_percent.map(|g| {
        let (id, n) = if g >= 0.0 {
            ("brief-online-up", g)
        } else {
            ("brief-online-down", -g)
        };
        v.t(id, &[("percent", v.pct(n).into())])
    });
    let text = match (o.customers_percent, growth) {
        (Some(c), Some(g)) => v.t(
            "brief-online-growth",
            &[("customers", v.pct(c).into()), ("growth", g.into())],
        ),
        (Some(c), None) => v.t("brief-online", &[("customers", v.pct(c).into())]),
        (None, Some(g)) => v.t("brief-online-activity", &[("growth", g.into())]),
        (None, None) => return None,
    };
    Some(("online", capitalise(&text)))
}

fn services(d: &DerivedUpdate, v: &Voice) -> Option<Topical> {
    let items = &d.update.priority_services;
    if items.is_empty() {
        return None;
    }
    let n = items.len() as u64;
    let text = v.t(
        "brief-services",
        &[
            ("services", v.count(n, "services").into()),
            ("count", n.into()),
            ("items", v.list(items).into()),
        ],
    );
    Some(("priority_services", capitalise(&text)))
}

fn incident(i: &crate::content::model::Incident, v: &Voice) -> Topical {
    let target = i.target.as_deref().map(|t| v.loc.inline(t));
    let mut args = vec![("kind", s(&i.kind))];
    let id = match (&target, &i.response) {
        (Some(t), Some(r)) => {
            args.extend([("target", s(t)), ("response", s(r))]);
            "brief-incident-target-response"
        }
        (Some(t), None) => {
            args.push(("target", s(t)));
            "brief-incident-target"
        }
        (None, Some(r)) => {
            args.push(("response", s(r)));
            "brief-incident-response"
        }
        (None, None) => "brief-incident",
    };
    ("incidents", capitalise(&v.t(id, &args)))
}

fn indicator(ind: &crate::content::model::Indicator, v: &Voice) -> Topical {
    let value = v
        .loc
        .with_unit(ind.value, ind.unit.as_deref(), |x| v.num(x), |x| v.pct(x));
    let value = match ind.approx {
        true => v.t("approx-spoken", &[("value", value.into())]),
        false => value,
    };
    let text = v.t(
        "brief-indicator",
        &[("label", s(&ind.label)), ("value", value.into())],
    );
    ("indicators", text)
}

/// The sentences of the figures, in a fixed order.
fn figure_sentences(d: &DerivedUpdate, v: &Voice) -> Vec<Topical> {
    let mut out = Vec::new();
    telework(d, v, &mut out);
    traffic(d, v, &mut out);
    out.extend(field_work(d, v));
    out.extend(shops(d, v));
    out.extend(online(d, v));
    out.extend(services(d, v));
    out.extend(d.update.incidents.iter().flatten().map(|i| incident(i, v)));
    out.extend(d.update.indicators.iter().map(|i| indicator(i, v)));
    out
}

/// The corrections, newest first: "Correction du 16 mai 2020 : …".
fn correction_sentences(d: &DerivedUpdate, v: &Voice) -> Vec<Topical> {
    d.update
        .corrections_newest_first()
        .into_iter()
        .map(|c| {
            let args = [("date", v.date(c.date, true).into()), ("note", s(&c.note))];
            ("correction", v.t("correction-notice", &args))
        })
        .collect()
}

/// `up`, `down` or `same`: which of three messages words a change.
fn direction(x: f64) -> &'static str {
    match x.partial_cmp(&0.0) {
        Some(std::cmp::Ordering::Greater) => "up",
        Some(std::cmp::Ordering::Less) => "down",
        _ => "same",
    }
}

/// The changes since the previous update.
fn change_sentences(d: &DerivedUpdate, v: &Voice) -> Vec<Topical> {
    let Some(since) = d.changes.since else {
        return Vec::new();
    };
    let same_year = since.year == d.update.date.year;
    let when = v.t("brief-since", &[("date", v.date(since, !same_year).into())]);
    let pts = |x: f64| {
        let n = x.abs();
        let points = v.count_points(n);
        v.t("points", &[("points", points.into()), ("count", n.into())])
    };
    let mut out = Vec::new();
    if d.changes.telework_scope_changed {
        out.push((
            "telework",
            v.t("brief-telework-scope-changed", &[("since", s(&when))]),
        ));
    }
    if let Some(x) = d.changes.telework_points {
        let id = format!("brief-telework-{}", direction(x));
        let args = [("points", pts(x).into()), ("since", s(&when))];
        out.push(("telework", v.t(&id, &args)));
    }
    if let Some(x) = d.changes.shops_reopened {
        let n = x.unsigned_abs();
        let id = match direction(x as f64) {
            "up" => "brief-shops-more",
            "down" => "brief-shops-fewer",
            _ => "brief-shops-same",
        };
        let args = [
            ("shops", v.count(n, "shops").into()),
            ("count", n.into()),
            ("since", s(&when)),
        ];
        out.push(("shops", v.t(id, &args)));
    }
    if let Some(x) = d.changes.online_points {
        let id = format!("brief-online-change-{}", direction(x));
        let args = [("points", pts(x).into()), ("since", s(&when))];
        out.push(("online", v.t(&id, &args)));
    }
    out.into_iter()
        .map(|(t, text)| (t, capitalise(&text)))
        .collect()
}

impl Voice<'_> {
    /// A number of percentage points.
    fn count_points(&self, n: f64) -> String {
        if self.words {
            self.loc.spoken_number(n, self.loc.gender("points"))
        } else {
            self.loc.number(n)
        }
    }
}

impl BriefFigure {
    /// The figure `key` (labelled by the fact's own `label`, else by the
    /// catalogue's `brief-figure-<key>`), shown as `shown` or, without it,
    /// as its value with its unit.
    fn new(
        loc: &Locale,
        (key, label): (&str, Option<&str>),
        (value, unit): (Figure, &'static str),
        shown: Option<String>,
    ) -> BriefFigure {
        let label = label.map_or_else(
            || {
                loc.t(
                    &format!("brief-figure-{}", key.replace(['.', '_'], "-")),
                    &[],
                )
            },
            str::to_string,
        );
        let display = shown.unwrap_or_else(|| match unit {
            "%" => loc.figure_percent(value),
            _ => loc.figure_number(value),
        });
        BriefFigure {
            key: key.to_string(),
            label,
            value,
            unit,
            display,
        }
    }
}

/// A traffic item as data: a factor (`×`) when it was multiplied, else
/// the change in percent (a change given in percent, or a fall).
fn traffic_data(m: &crate::content::model::TrafficMultiplier) -> (Figure, &'static str) {
    match (m.change(), m.change_percent) {
        (Change::Times(f), _) => (f, "×"),
        (_, Some(p)) => (p, "%"),
        // Rounded past float noise: 0.9 is −10 %, not −9.999999999999998.
        (_, None) => (
            m.factor.map(|f| ((f - 1.0) * 100.0 * 1e9).round() / 1e9),
            "%",
        ),
    }
}

/// The key figures as data; each label is the catalogue's
/// `brief-figure-<key>` (`brief-figure-shops-total`), or the fact's own.
fn figures(d: &DerivedUpdate, loc: &Locale) -> Vec<BriefFigure> {
    let u = &d.update;
    let mut out = Vec::new();
    let mut push = |key: &str, label: Option<&str>, value: Figure, unit, shown: Option<String>| {
        out.push(BriefFigure::new(loc, (key, label), (value, unit), shown));
    };
    let one = Figure::One;
    if let Some(t) = &u.telework {
        if let Some(p) = t.percent {
            push("telework.percent", None, one(p), "%", None);
        }
        if let (Some(remote), Some(staff)) = (t.remote, t.staff) {
            push("telework.remote", None, one(remote as f64), "", None);
            push("telework.staff", None, one(staff as f64), "", None);
        }
    }
    for m in u.traffic.iter().flat_map(|t| &t.multipliers) {
        let (value, unit) = traffic_data(m);
        push(
            "traffic.multipliers",
            Some(&m.label),
            value,
            unit,
            Some(loc.traffic_figure(m)),
        );
    }
    if let Some(s) = &u.shops {
        if let Some(t) = s.total {
            push("shops.total", None, one(t as f64), "", None);
        }
        if let Some(r) = s.reopened {
            push("shops.reopened", None, one(r as f64), "", None);
        }
    }
    if let Some(o) = &u.online {
        if let Some(c) = o.customers_percent {
            push("online.customers_percent", None, one(c), "%", None);
        }
        if let Some(g) = o.growth_percent {
            push("online.growth_percent", None, one(g), "%", None);
        }
    }
    if !u.priority_services.is_empty() {
        push(
            "priority_services",
            None,
            one(u.priority_services.len() as f64),
            "",
            None,
        );
    }
    if let Some(incidents) = &u.incidents {
        push("incidents", None, one(incidents.len() as f64), "", None);
    }
    for i in &u.indicators {
        let shown = loc.indicator_figure(i);
        push("indicators", Some(&i.label), i.value, "", Some(shown));
    }
    out
}

pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Pairs the digits and the words forms of the same sentences.
fn pair(a: Vec<Topical>, b: Vec<Topical>) -> Vec<Sentence> {
    a.into_iter()
        .zip(b)
        .map(|((topic, text), (_, spoken))| Sentence {
            topic,
            text,
            spoken,
        })
        .collect()
}

/// The brief without language marks: a script is plain text.
fn unmarked(mut b: Brief) -> Brief {
    use crate::locale::strip_marks as s;
    for x in b
        .corrections
        .iter_mut()
        .chain(b.sentences.iter_mut())
        .chain(b.changes.iter_mut())
    {
        x.text = s(&x.text);
        x.spoken = s(&x.spoken);
    }
    for f in &mut b.figures {
        f.label = s(&f.label);
    }
    b.region_name = s(&b.region_name);
    b.title = s(&b.title);
    b.speaker = b.speaker.as_deref().map(s);
    b.source = b.source.as_deref().map(s);
    b
}

/// Builds the briefing of one update, sentences in both forms.
pub fn build(loc: &Locale, region: &Region, d: &DerivedUpdate) -> Brief {
    unmarked(build_marked(loc, region, d))
}

fn build_marked(loc: &Locale, region: &Region, d: &DerivedUpdate) -> Brief {
    let digits = Voice { loc, words: false };
    let words = Voice { loc, words: true };
    let sentences = pair(figure_sentences(d, &digits), figure_sentences(d, &words));
    let changes = pair(change_sentences(d, &digits), change_sentences(d, &words));
    let corrections = pair(
        correction_sentences(d, &digits),
        correction_sentences(d, &words),
    );
    let words_n: usize = corrections
        .iter()
        .chain(&sentences)
        .chain(&changes)
        .map(|s| word_count(&s.spoken))
        .sum();
    // Round up to the next 5 seconds: a script is never shorter than read.
    let secs = (words_n as f64 / WORDS_PER_MINUTE * 60.0).ceil() as u64;
    let reading_seconds = secs.div_ceil(5) * 5;
    let u = &d.update;
    Brief {
        region: region.slug.clone(),
        region_name: region.name.to_string(),
        date: u.date.to_string(),
        date_display: loc.date(u.date),
        language: loc.code(),
        title: u.title.to_string(),
        speaker: u.speaker.as_ref().map(|s| match &s.role {
            Some(r) => format!("{}, {r}", s.name),
            None => s.name.to_string(),
        }),
        source: u
            .source
            .as_ref()
            .and_then(|s| s.name.as_ref().map(|n| n.to_string())),
        figures: figures(d, loc),
        corrections,
        sentences,
        previous_date: d.previous.map(|p| p.to_string()),
        changes,
        words: words_n,
        reading_seconds,
    }
}

fn duration(secs: u64, loc: &Locale) -> String {
    let (m, s) = (secs / 60, secs % 60);
    let seconds = || {
        loc.t(
            "duration-seconds",
            &[("seconds", s.to_string().into()), ("count", s.into())],
        )
    };
    let minutes = || {
        loc.t(
            "duration-minutes",
            &[("minutes", m.to_string().into()), ("count", m.into())],
        )
    };
    match (m, s) {
        (0, _) => seconds(),
        (_, 0) => minutes(),
        _ => loc.t(
            "duration-minutes-seconds",
            &[("minutes", minutes().into()), ("seconds", seconds().into())],
        ),
    }
}

fn reading_line(b: &Brief, loc: &Locale) -> String {
    loc.t(
        "brief-reading",
        &[
            ("duration", duration(b.reading_seconds, loc).into()),
            ("words", b.words.to_string().into()),
            ("rate", WORDS_PER_MINUTE.to_string().into()),
            ("count", b.words.into()),
        ],
    )
}

fn pick(s: &Sentence, words: bool) -> &str {
    if words { &s.spoken } else { &s.text }
}

/// The script as plain text: what `brief.txt` holds.
pub fn render_text(b: &Brief, loc: &Locale, words: bool) -> String {
    let mut out = format!("{} — {}\n{}\n", b.region_name, b.date_display, b.title);
    if let Some(s) = &b.speaker {
        out.push_str(&loc.t("brief-speaker", &[("speaker", s.as_str().into())]));
        out.push('\n');
    }
    out.push('\n');
    if !b.corrections.is_empty() {
        for s in &b.corrections {
            out.push_str(pick(s, words));
            out.push('\n');
        }
        out.push('\n');
    }
    for s in &b.sentences {
        out.push_str(pick(s, words));
        out.push('\n');
    }
    if !b.changes.is_empty() {
        out.push('\n');
        for s in &b.changes {
            out.push_str(pick(s, words));
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(&reading_line(b, loc));
    out.push('\n');
    out
}

/// The script as Markdown, for pasting into notes.
pub fn render_markdown(b: &Brief, loc: &Locale, words: bool) -> String {
    let mut out = format!(
        "# {} — {}\n\n**{}**\n\n",
        b.region_name, b.date_display, b.title
    );
    if let Some(s) = &b.speaker {
        let line = loc.t("brief-speaker", &[("speaker", s.as_str().into())]);
        out.push_str(&format!("*{line}*\n\n"));
    }
    if !b.corrections.is_empty() {
        out.push_str(&format!("## {}\n\n", loc.t("ui-corrections", &[])));
        for s in &b.corrections {
            out.push_str(&format!("- {}\n", pick(s, words)));
        }
        out.push('\n');
    }
    out.push_str(&format!("## {}\n\n", loc.t("ui-key-figures", &[])));
    for s in &b.sentences {
        out.push_str(&format!("- {}\n", pick(s, words)));
    }
    if !b.changes.is_empty() {
        out.push_str(&format!("\n## {}\n\n", loc.t("brief-changes", &[])));
        for s in &b.changes {
            out.push_str(&format!("- {}\n", pick(s, words)));
        }
    }
    out.push_str(&format!("\n_{}_\n", reading_line(b, loc)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::Language;

    #[test]
    fn durations_read_naturally() {
        let (fr, en) = (
            Locale::embedded(Language::Fr),
            Locale::embedded(Language::En),
        );
        assert_eq!(duration(45, &fr), "45 secondes");
        assert_eq!(duration(60, &fr), "1 minute");
        assert_eq!(duration(70, &en), "1 minute 10 seconds");
        assert_eq!(duration(121, &en), "2 minutes 1 second");
    }
}
