//! The radio/press briefing: one short sentence per key figure, in the
//! site's language, written to be read aloud; then the changes since the
//! previous update; then the estimated reading time (150 words a minute).
//!
//! With `words`, numbers are spelled as spoken: integers through num2words,
//! decimals, percentages, factors and dates by the rules below.

use num2words::{Lang, Num2Words};
use serde::Serialize;

use crate::content::model::{Date, Language, Region, Site};
use crate::derive::DerivedUpdate;
use crate::format;
use crate::view::lowercase_first;

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
    pub value: f64,
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
    pub sentences: Vec<Sentence>,
    pub previous_date: Option<String>,
    pub changes: Vec<Sentence>,
    /// Words in the spoken script (digits form), and seconds to read it.
    pub words: usize,
    pub reading_seconds: u64,
}

/// Formats numbers for one of the two forms.
struct Voice {
    lang: Language,
    words: bool,
}

fn lang_of(lang: Language) -> Lang {
    match lang {
        Language::Fr => Lang::French,
        Language::En => Lang::English,
    }
}

/// An integer in words ("vingt et un", "twenty-one"). num2words computes
/// with big floats (about 27 µs a number), which dominated a large build's
/// profile, so each thread remembers the numbers it has already spelled.
pub fn cardinal(n: i64, lang: Language) -> String {
    thread_local! {
        static SPELLED: std::cell::RefCell<std::collections::HashMap<(i64, bool), String>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    SPELLED.with(|cache| {
        let key = (n, lang == Language::Fr);
        if let Some(s) = cache.borrow().get(&key) {
            return s.clone();
        }
        let s = Num2Words::new(n)
            .lang(lang_of(lang))
            .cardinal()
            .to_words()
            .unwrap_or_else(|_| n.to_string());
        cache.borrow_mut().insert(key, s.clone());
        s
    })
}

/// Any number as spoken: "deux virgule cinq", "two point five",
/// "moins trente", "minus thirty".
pub fn spoken_number(n: f64, lang: Language) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let abs = rounded.abs();
    let int = abs.trunc() as i64;
    let frac_digits = format!("{:.2}", abs.fract());
    let frac = frac_digits
        .trim_start_matches('0')
        .trim_start_matches('.')
        .trim_end_matches('0');
    let mut out = String::new();
    if negative {
        out.push_str(if lang == Language::Fr {
            "moins "
        } else {
            "minus "
        });
    }
    out.push_str(&cardinal(int, lang));
    if !frac.is_empty() {
        match lang {
            Language::Fr => {
                // French reads the decimals as a number, keeping a leading
                // zero: 2,05 → "deux virgule zéro cinq".
                out.push_str(" virgule ");
                if frac.starts_with('0') {
                    out.push_str("zéro ");
                }
                out.push_str(&cardinal(frac.parse::<i64>().unwrap_or(0), lang));
            }
            Language::En => {
                // English reads decimals digit by digit: 2.25 → "two point two five".
                out.push_str(" point");
                for c in frac.chars() {
                    out.push(' ');
                    out.push_str(&cardinal(i64::from(c.to_digit(10).unwrap_or(0)), lang));
                }
            }
        }
    }
    out
}

impl Voice {
    fn num(&self, n: f64) -> String {
        if self.words {
            spoken_number(n, self.lang)
        } else {
            format::number(n, self.lang)
        }
    }

    fn count(&self, n: u64) -> String {
        self.num(n as f64)
    }

    fn pct(&self, n: f64) -> String {
        match (self.words, self.lang) {
            (true, Language::Fr) => format!("{} pour cent", spoken_number(n, self.lang)),
            (true, Language::En) => format!("{} percent", spoken_number(n, self.lang)),
            (false, _) => format::percent(n, self.lang),
        }
    }

    /// "multiplié par 3" / "3 times": the factor alone, as read.
    fn factor(&self, n: f64) -> String {
        self.num(n)
    }

    fn date(&self, d: Date, with_year: bool) -> String {
        if !self.words {
            return if with_year {
                format::date(d, self.lang)
            } else {
                format::short_date(d, self.lang, false)
            };
        }
        let month = format::month_name(d.month, self.lang);
        match self.lang {
            Language::Fr => {
                let day = if d.day == 1 {
                    "premier".to_string()
                } else {
                    cardinal(i64::from(d.day), self.lang)
                };
                let mut s = format!("{day} {month}");
                if with_year {
                    s.push(' ');
                    s.push_str(&cardinal(i64::from(d.year), self.lang));
                }
                s
            }
            Language::En => {
                let day = Num2Words::new(d.day)
                    .lang(Lang::English)
                    .ordinal()
                    .to_words()
                    .unwrap_or_else(|_| d.day.to_string());
                let mut s = format!("{month} {day}");
                if with_year {
                    let year = Num2Words::new(d.year)
                        .lang(Lang::English)
                        .year()
                        .to_words()
                        .unwrap_or_else(|_| d.year.to_string());
                    s.push_str(", ");
                    s.push_str(&year);
                }
                s
            }
        }
    }
}

fn list(items: &[String], lang: Language) -> String {
    crate::view::charts::join_list(items, lang)
}

/// A sentence with its topic.
type Topical = (&'static str, String);

/// Writes the sentences for one voice; called twice (digits, words).
fn sentences(d: &DerivedUpdate, v: &Voice) -> (Vec<Topical>, Vec<Topical>) {
    let u = &d.update;
    let fr = v.lang == Language::Fr;
    let mut out: Vec<(&'static str, String)> = Vec::new();

    if let Some(t) = &u.telework
        && let Some(p) = t.percent
    {
        let except: Vec<String> = t.except.iter().map(|e| lowercase_first(e)).collect();
        let s = match (fr, except.is_empty()) {
            (true, true) => format!("{} des salariés ont travaillé à distance.", v.pct(p)),
            (true, false) => format!(
                "{} des salariés ont travaillé à distance, sauf les {}.",
                v.pct(p),
                list(&except, v.lang)
            ),
            (false, true) => format!("{} of staff worked remotely.", v.pct(p)),
            (false, false) => format!(
                "{} of staff worked remotely, except {}.",
                v.pct(p),
                list(&except, v.lang)
            ),
        };
        out.push(("telework", capitalise_sentence(&s)));
    }
    if let Some(t) = &u.traffic {
        for (i, m) in t.multipliers.iter().enumerate() {
            let baseline = if i == 0 { t.baseline.as_deref() } else { None };
            let s = if fr {
                match baseline {
                    Some(b) => format!(
                        "Par rapport à {b}, le trafic {} a été multiplié par {}.",
                        lowercase_first(&m.label),
                        v.factor(m.factor)
                    ),
                    None => format!(
                        "Le trafic {} a été multiplié par {}.",
                        lowercase_first(&m.label),
                        v.factor(m.factor)
                    ),
                }
            } else {
                match baseline {
                    Some(b) => format!(
                        "{} traffic was {} times what it was {b}.",
                        m.label,
                        v.factor(m.factor)
                    ),
                    None => format!(
                        "{} traffic was {} times as high.",
                        m.label,
                        v.factor(m.factor)
                    ),
                }
            };
            out.push(("traffic", s));
        }
        match t.network_held {
            Some(true) => out.push((
                "traffic",
                if fr {
                    "Le réseau a tenu.".into()
                } else {
                    "The network held.".into()
                },
            )),
            Some(false) => out.push((
                "traffic",
                if fr {
                    "Le réseau n'a pas tenu partout.".into()
                } else {
                    "The network did not hold everywhere.".into()
                },
            )),
            None => {}
        }
    }
    if !u.field_priorities.is_empty() {
        let items: Vec<String> = u
            .field_priorities
            .iter()
            .map(|p| lowercase_first(p))
            .collect();
        let s = if fr {
            format!(
                "Sur le terrain, les priorités ont été : {}.",
                list(&items, v.lang)
            )
        } else {
            format!(
                "In the field, the priorities were {}.",
                list(&items, v.lang)
            )
        };
        out.push(("field_work", s));
    }
    if let Some(s) = &u.shops {
        let mut parts = Vec::new();
        match (s.reopened, s.total) {
            (Some(r), Some(t)) if r == t && fr => {
                parts.push(format!("Les {} boutiques ont rouvert", v.count(t)))
            }
            (Some(r), Some(t)) if r == t => {
                parts.push(format!("All {} shops reopened", v.count(t)))
            }
            (Some(r), Some(t)) if fr => parts.push(format!(
                "{} boutiques sur {} ont rouvert",
                v.count(r),
                v.count(t)
            )),
            (Some(r), Some(t)) => {
                parts.push(format!("{} of {} shops reopened", v.count(r), v.count(t)))
            }
            (Some(r), None) if fr => parts.push(format!("{} boutiques ont rouvert", v.count(r))),
            (Some(r), None) => parts.push(format!("{} shops reopened", v.count(r))),
            _ => {}
        }
        if !parts.is_empty() {
            if let Some(on) = s.reopened_on {
                parts[0].push_str(&if fr {
                    format!(" le {}", v.date(on, true))
                } else {
                    format!(" on {}", v.date(on, true))
                });
            }
            if s.by_appointment == Some(true) {
                parts[0].push_str(if fr {
                    ", sur rendez-vous"
                } else {
                    ", by appointment"
                });
            }
            let mut sentence = parts.join("");
            sentence.push('.');
            if let Some(b) = &s.booking {
                sentence.push_str(&if fr {
                    format!(" {} : {}.", "Réservation", lowercase_first(b))
                } else {
                    format!(" Booking: {}.", lowercase_first(b))
                });
            }
            out.push(("shops", capitalise_sentence(&sentence)));
        }
    }
    if let Some(o) = &u.online {
        let growth = o.growth_percent.map(|g| match (fr, g >= 0.0) {
            (true, true) => format!("en hausse de {}", v.pct(g)),
            (true, false) => format!("en baisse de {}", v.pct(-g)),
            (false, true) => format!("up {}", v.pct(g)),
            (false, false) => format!("down {}", v.pct(-g)),
        });
        let s = match (o.customers_percent, growth) {
            (Some(c), Some(g)) if fr => Some(format!(
                "{} des clients ont été servis en ligne, {g}.",
                v.pct(c)
            )),
            (Some(c), Some(g)) => Some(format!(
                "{} of customers were served online, {g}.",
                v.pct(c)
            )),
            (Some(c), None) if fr => {
                Some(format!("{} des clients ont été servis en ligne.", v.pct(c)))
            }
            (Some(c), None) => Some(format!("{} of customers were served online.", v.pct(c))),
            (None, Some(g)) if fr => Some(format!("L'activité en ligne est {g}.")),
            (None, Some(g)) => Some(format!("Online activity is {g}.")),
            (None, None) => None,
        };
        if let Some(s) = s {
            out.push(("online", capitalise_sentence(&s)));
        }
    }
    if !u.priority_services.is_empty() {
        let items: Vec<String> = u
            .priority_services
            .iter()
            .map(|p| lowercase_first(p))
            .collect();
        let n = u.priority_services.len() as u64;
        let s = if fr {
            format!(
                "{} services ont été traités en priorité : {}.",
                v.count(n),
                list(&items, v.lang)
            )
        } else {
            format!(
                "{} services were given priority: {}.",
                v.count(n),
                list(&items, v.lang)
            )
        };
        out.push(("priority_services", capitalise_sentence(&s)));
    }
    for i in &u.incidents {
        let mut s = i.kind.clone();
        if let Some(t) = &i.target {
            s.push_str(&if fr {
                format!(" contre les {}", lowercase_first(t))
            } else {
                format!(" against {}", lowercase_first(t))
            });
        }
        match &i.response {
            Some(r) if fr => s.push_str(&format!(" : la riposte a été assurée par {r}.")),
            Some(r) => s.push_str(&format!(": the response was led by {r}.")),
            None => s.push('.'),
        }
        out.push(("incidents", capitalise_sentence(&s)));
    }
    for ind in &u.indicators {
        let value = match ind.unit.as_deref() {
            Some("%") => v.pct(ind.value),
            Some(unit) => format!("{} {unit}", v.num(ind.value)),
            None => v.num(ind.value),
        };
        out.push((
            "indicators",
            format!("{} : {value}.", ind.label).replace(" : ", if fr { " : " } else { ": " }),
        ));
    }

    let mut changes = Vec::new();
    if let Some(since) = d.changes.since {
        let same_year = since.year == u.date.year;
        let when = if fr {
            format!("depuis le {}", v.date(since, !same_year))
        } else {
            format!("since {}", v.date(since, !same_year))
        };
        let pts = |x: f64| {
            let n = x.abs();
            let unit = if n == 1.0 { "point" } else { "points" };
            format!("{} {unit}", v.num(n))
        };
        if let Some(x) = d.changes.telework_points {
            changes.push((
                "telework",
                match (fr, x.partial_cmp(&0.0)) {
                    (true, Some(std::cmp::Ordering::Greater)) => {
                        format!("Le télétravail progresse de {} {when}.", pts(x))
                    }
                    (true, Some(std::cmp::Ordering::Less)) => {
                        format!("Le télétravail recule de {} {when}.", pts(x))
                    }
                    (true, _) => format!("Le télétravail est stable {when}."),
                    (false, Some(std::cmp::Ordering::Greater)) => {
                        format!("Telework is up {} {when}.", pts(x))
                    }
                    (false, Some(std::cmp::Ordering::Less)) => {
                        format!("Telework is down {} {when}.", pts(x))
                    }
                    (false, _) => format!("Telework is unchanged {when}."),
                },
            ));
        }
        if let Some(x) = d.changes.shops_reopened {
            let n = x.unsigned_abs();
            changes.push((
                "shops",
                match (fr, x.cmp(&0)) {
                    (true, std::cmp::Ordering::Greater) => format!(
                        "{} {} de plus {} rouvert {when}.",
                        v.count(n),
                        if n > 1 { "boutiques" } else { "boutique" },
                        if n > 1 { "ont" } else { "a" }
                    ),
                    (true, std::cmp::Ordering::Less) => format!(
                        "{} {} de moins {} ouvertes {when}.",
                        v.count(n),
                        if n > 1 { "boutiques" } else { "boutique" },
                        if n > 1 { "sont" } else { "est" }
                    ),
                    (true, _) => format!("Le nombre de boutiques ouvertes est inchangé {when}."),
                    (false, std::cmp::Ordering::Greater) => format!(
                        "{} more {} reopened {when}.",
                        v.count(n),
                        if n > 1 { "shops have" } else { "shop has" }
                    ),
                    (false, std::cmp::Ordering::Less) => format!(
                        "{} fewer {} open {when}.",
                        v.count(n),
                        if n > 1 { "shops are" } else { "shop is" }
                    ),
                    (false, _) => format!("The number of open shops is unchanged {when}."),
                },
            ));
        }
        if let Some(x) = d.changes.online_points {
            changes.push((
                "online",
                match (fr, x.partial_cmp(&0.0)) {
                    (true, Some(std::cmp::Ordering::Greater)) => format!(
                        "La part des clients servis en ligne progresse de {} {when}.",
                        pts(x)
                    ),
                    (true, Some(std::cmp::Ordering::Less)) => format!(
                        "La part des clients servis en ligne recule de {} {when}.",
                        pts(x)
                    ),
                    (true, _) => format!("La part des clients servis en ligne est stable {when}."),
                    (false, Some(std::cmp::Ordering::Greater)) => format!(
                        "The share of customers served online is up {} {when}.",
                        pts(x)
                    ),
                    (false, Some(std::cmp::Ordering::Less)) => format!(
                        "The share of customers served online is down {} {when}.",
                        pts(x)
                    ),
                    (false, _) => {
                        format!("The share of customers served online is unchanged {when}.")
                    }
                },
            ));
        }
    }
    (
        out,
        changes
            .into_iter()
            .map(|(t, s)| (t, capitalise_sentence(&s)))
            .collect(),
    )
}

fn capitalise_sentence(s: &str) -> String {
    crate::view::capitalise(s)
}

fn figures(d: &DerivedUpdate, lang: Language) -> Vec<BriefFigure> {
    let u = &d.update;
    let mut out = Vec::new();
    let mut push = |key: String, label: String, value: f64, unit: &'static str, display: String| {
        out.push(BriefFigure {
            key,
            label,
            value,
            unit,
            display,
        });
    };
    if let Some(p) = u.telework.as_ref().and_then(|t| t.percent) {
        push(
            "telework.percent".into(),
            "telework".into(),
            p,
            "%",
            format::percent(p, lang),
        );
    }
    if let Some(t) = &u.traffic {
        for m in &t.multipliers {
            push(
                "traffic.multipliers".into(),
                m.label.clone(),
                m.factor,
                "×",
                format::multiplier(m.factor, lang),
            );
        }
    }
    if let Some(s) = &u.shops {
        if let Some(t) = s.total {
            push(
                "shops.total".into(),
                "shops total".into(),
                t as f64,
                "",
                format::number(t as f64, lang),
            );
        }
        if let Some(r) = s.reopened {
            push(
                "shops.reopened".into(),
                "shops reopened".into(),
                r as f64,
                "",
                format::number(r as f64, lang),
            );
        }
    }
    if let Some(o) = &u.online {
        if let Some(c) = o.customers_percent {
            push(
                "online.customers_percent".into(),
                "customers online".into(),
                c,
                "%",
                format::percent(c, lang),
            );
        }
        if let Some(g) = o.growth_percent {
            push(
                "online.growth_percent".into(),
                "online growth".into(),
                g,
                "%",
                format::percent(g, lang),
            );
        }
    }
    push(
        "priority_services".into(),
        "priority services".into(),
        u.priority_services.len() as f64,
        "",
        format::number(u.priority_services.len() as f64, lang),
    );
    push(
        "incidents".into(),
        "incidents".into(),
        u.incidents.len() as f64,
        "",
        format::number(u.incidents.len() as f64, lang),
    );
    for i in &u.indicators {
        push(
            "indicators".into(),
            i.label.clone(),
            i.value,
            "",
            format::number(i.value, lang),
        );
    }
    out
}

pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Builds the briefing of one update, sentences in both forms.
pub fn build(site: &Site, region: &Region, d: &DerivedUpdate) -> Brief {
    let lang = site.language;
    let digits = Voice { lang, words: false };
    let words = Voice { lang, words: true };
    let (a, ca) = sentences(d, &digits);
    let (b, cb) = sentences(d, &words);
    let pair = |a: Vec<(&'static str, String)>, b: Vec<(&'static str, String)>| -> Vec<Sentence> {
        a.into_iter()
            .zip(b)
            .map(|((topic, text), (_, spoken))| Sentence {
                topic,
                text,
                spoken,
            })
            .collect()
    };
    let sentences = pair(a, b);
    let changes = pair(ca, cb);
    let words_n: usize = sentences
        .iter()
        .chain(&changes)
        .map(|s| word_count(&s.spoken))
        .sum();
    // Round up to the next 5 seconds: a script is never shorter than read.
    let secs = (words_n as f64 / WORDS_PER_MINUTE * 60.0).ceil() as u64;
    let reading_seconds = secs.div_ceil(5) * 5;
    let u = &d.update;
    Brief {
        region: region.slug.clone(),
        region_name: region.name.clone(),
        date: u.date.to_string(),
        date_display: format::date(u.date, lang),
        language: lang.code(),
        title: u.title.clone(),
        speaker: u.speaker.as_ref().map(|s| match &s.role {
            Some(r) => format!("{}, {r}", s.name),
            None => s.name.clone(),
        }),
        source: u.source.as_ref().and_then(|s| s.name.clone()),
        figures: figures(d, lang),
        sentences,
        previous_date: d.previous.map(|p| p.to_string()),
        changes,
        words: words_n,
        reading_seconds,
    }
}

fn duration(secs: u64, lang: Language) -> String {
    let (m, s) = (secs / 60, secs % 60);
    let fr = lang == Language::Fr;
    let unit = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (m, s) {
        (0, s) => unit(
            s,
            if fr { "seconde" } else { "second" },
            if fr { "secondes" } else { "seconds" },
        ),
        (m, 0) => unit(m, "minute", "minutes"),
        (m, s) => format!(
            "{} {}",
            unit(m, "minute", "minutes"),
            unit(
                s,
                if fr { "seconde" } else { "second" },
                if fr { "secondes" } else { "seconds" }
            )
        ),
    }
}

fn language(b: &Brief) -> Language {
    if b.language == "en" {
        Language::En
    } else {
        Language::Fr
    }
}

fn reading_line(b: &Brief) -> String {
    let lang = language(b);
    let d = duration(b.reading_seconds, lang);
    if lang == Language::Fr {
        format!(
            "Durée de lecture estimée : {d} ({} mots, à {} mots par minute).",
            b.words, WORDS_PER_MINUTE
        )
    } else {
        format!(
            "Estimated reading time: {d} ({} words at {} words a minute).",
            b.words, WORDS_PER_MINUTE
        )
    }
}

fn pick(s: &Sentence, words: bool) -> &str {
    if words { &s.spoken } else { &s.text }
}

/// The script as plain text: what `brief.txt` holds.
pub fn render_text(b: &Brief, words: bool) -> String {
    let lang = language(b);
    let mut out = format!("{} — {}\n{}\n", b.region_name, b.date_display, b.title);
    if let Some(s) = &b.speaker {
        out.push_str(&format!(
            "{} {s}\n",
            if lang == Language::Fr {
                "Porte-parole :"
            } else {
                "Spokesperson:"
            }
        ));
    }
    out.push('\n');
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
    out.push_str(&reading_line(b));
    out.push('\n');
    out
}

/// The script as Markdown, for pasting into notes.
pub fn render_markdown(b: &Brief, words: bool) -> String {
    let lang = language(b);
    let fr = lang == Language::Fr;
    let mut out = format!(
        "# {} — {}\n\n**{}**\n\n",
        b.region_name, b.date_display, b.title
    );
    if let Some(s) = &b.speaker {
        out.push_str(&format!(
            "*{} {s}*\n\n",
            if fr {
                "Porte-parole :"
            } else {
                "Spokesperson:"
            }
        ));
    }
    out.push_str(if fr {
        "## Chiffres clés\n\n"
    } else {
        "## Key figures\n\n"
    });
    for s in &b.sentences {
        out.push_str(&format!("- {}\n", pick(s, words)));
    }
    if !b.changes.is_empty() {
        out.push_str(if fr {
            "\n## Évolution\n\n"
        } else {
            "\n## Changes\n\n"
        });
        for s in &b.changes {
            out.push_str(&format!("- {}\n", pick(s, words)));
        }
    }
    out.push_str(&format!("\n_{}_\n", reading_line(b)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_are_spoken_correctly() {
        assert_eq!(spoken_number(90.0, Language::Fr), "quatre-vingt-dix");
        assert_eq!(spoken_number(21.0, Language::Fr), "vingt et un");
        assert_eq!(spoken_number(2.5, Language::Fr), "deux virgule cinq");
        assert_eq!(spoken_number(2.05, Language::Fr), "deux virgule zéro cinq");
        assert_eq!(spoken_number(-30.0, Language::Fr), "moins trente");
    }

    #[test]
    fn english_numbers_are_spoken_correctly() {
        assert_eq!(spoken_number(90.0, Language::En), "ninety");
        assert_eq!(spoken_number(2.5, Language::En), "two point five");
        assert_eq!(spoken_number(21.0, Language::En), "twenty-one");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(45, Language::Fr), "45 secondes");
        assert_eq!(duration(70, Language::En), "1 minute 10 seconds");
    }
}
