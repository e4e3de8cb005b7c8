//! One [`Locale`] per language: how numbers, percentages, multipliers,
//! points and dates are written and spoken, and the catalogue of every word
//! and sentence relance writes. Views, charts, PDFs, feeds and briefs all
//! go through it, so a figure reads the same everywhere and no renderer
//! holds a sentence of its own.

mod catalogue;
pub mod data;
pub mod spoken;

use std::collections::BTreeMap;
use std::sync::Arc;

use fluent_bundle::FluentValue;
use serde::{Serialize, Serializer};

pub use catalogue::{Catalogue, Source};
pub use data::{LocaleData, MINUS, NNBSP};
pub use spoken::Gender;

use crate::content::model::{Change, Date, Figure, Indicator, Language, TrafficMultiplier};
use crate::diagnostics::Diagnostics;
use data::{Decimals, SpokenDay, SpokenYear};

/// A message argument: text already formatted, or a number for plural
/// selectors.
pub type Arg<'a> = (&'a str, FluentValue<'a>);

/// Words that keep their capital inside a sentence whatever the site
/// says ("État": the state, not a condition), in every language's
/// sentences (a text may be shown as another language's fallback).
const PROPER_NOUNS: &[&str] = &["État", "Etat", "Estado"];

/// A language's formats and catalogue.
#[derive(Debug)]
pub struct Locale {
    pub lang: Language,
    data: &'static LocaleData,
    catalogue: Catalogue,
    /// Texts starting with these keep their case inside sentences.
    names: Arc<[String]>,
}

/// A unit's key holds the language and the catalogue's fingerprint: an
/// edited catalogue re-renders what it words.
impl Serialize for Locale {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Locale", 2)?;
        st.serialize_field("lang", &self.lang)?;
        st.serialize_field("catalogue", &self.catalogue.fingerprint())?;
        st.end()
    }
}

/// The embedded catalogue of each language.
pub const EMBEDDED: &[(Language, &str)] = &[
    (Language::Fr, include_str!("../../locales/fr.ftl")),
    (Language::En, include_str!("../../locales/en.ftl")),
    (Language::Es, include_str!("../../locales/es.ftl")),
];

/// The file name of a language's catalogue: `fr.ftl`.
pub fn file_name(lang: Language) -> String {
    format!("{}.ftl", lang.code())
}

pub fn embedded(lang: Language) -> &'static str {
    EMBEDDED
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or("", |(_, t)| t)
}

impl Locale {
    /// The locale of `lang` with its catalogue (see [`Catalogue::load`]).
    /// `names` are the site's proper nouns (`proper_nouns:`), kept as
    /// written inside sentences with the language's own.
    pub fn load(
        lang: Language,
        project: Option<&Source>,
        names: &[String],
    ) -> Result<(Locale, Diagnostics), Diagnostics> {
        let embedded = Source {
            text: embedded(lang),
            origin: format!("(embedded)/locales/{}", file_name(lang)),
        };
        let data = data::of(lang);
        let names: Arc<[String]> = PROPER_NOUNS
            .iter()
            .map(|n| n.to_string())
            .chain(names.iter().cloned())
            .collect();
        let (catalogue, warnings) =
            Catalogue::load(lang.code(), &embedded, project, names.clone())?;
        Ok((
            Locale {
                lang,
                data,
                catalogue,
                names,
            },
            warnings,
        ))
    }

    /// A text inside a sentence: its first letter lowercased unless it is
    /// an acronym, a brand or starts with a proper noun ("État").
    pub fn inline(&self, text: &str) -> String {
        lowercase_first_keeping(text, &self.names)
    }

    /// The embedded locale of `lang`, without project overrides.
    pub fn embedded(lang: Language) -> Locale {
        match Locale::load(lang, None, &[]) {
            Ok((l, _)) => l,
            // The embedded catalogues parse (a unit test checks each).
            Err(d) => panic!("embedded catalogue of {} is broken: {d:?}", lang.code()),
        }
    }

    pub fn code(&self) -> &'static str {
        self.data.code
    }

    /// The messages formatted with something missing since the last call
    /// (see [`Catalogue::take_problems`]).
    pub fn take_problems(&self) -> Diagnostics {
        self.catalogue.take_problems()
    }

    /// The message `id` with its arguments.
    pub fn t(&self, id: &str, args: &[Arg]) -> String {
        self.catalogue.format(id, args)
    }

    /// Every `ui-*` message as `t.*` for templates (`ui-key-figures` is
    /// `key_figures`), with `lang`.
    pub fn labels(&self) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = self
            .catalogue
            .ids()
            .filter_map(|id| id.strip_prefix("ui-").map(|k| (k, id)))
            .map(|(k, id)| (k.replace('-', "_"), self.t(id, &[])))
            .collect();
        out.insert("lang".into(), self.code().into());
        out
    }

    /// The gender of what `noun` names (`gender-<noun>` in the catalogue).
    pub fn gender(&self, noun: &str) -> Gender {
        Gender::parse(&self.t(&format!("gender-{noun}"), &[]))
    }

    // ------------------------------------------------------------ written

    /// A number with at most two decimals, trailing zeros dropped, the
    /// language's decimal mark and grouping.
    pub fn number(&self, n: f64) -> String {
        let rounded = shown_value(n);
        let text = format!("{:.2}", rounded.abs());
        let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
        let frac = frac_part.trim_end_matches('0');
        let mut out = String::new();
        if rounded < 0.0 {
            out.push(MINUS);
        }
        if int_part.len() >= self.data.min_grouping_digits {
            for (i, c) in int_part.chars().enumerate() {
                if i > 0 && (int_part.len() - i) % 3 == 0 {
                    out.push(self.data.group_separator);
                }
                out.push(c);
            }
        } else {
            out.push_str(int_part);
        }
        if !frac.is_empty() {
            out.push(self.data.decimal_mark);
            out.push_str(frac);
        }
        out
    }

    /// `90 %`, `90%`.
    pub fn percent(&self, n: f64) -> String {
        let (before, after) = self.data.percent;
        format!("{before}{}{after}", self.number(n))
    }

    /// A percentage with its sign when it rises: `+35 %`.
    pub fn signed_percent(&self, n: f64) -> String {
        let p = self.percent(n);
        if n > 0.0 {
            self.t("percent-signed", &[("percent", p.into())])
        } else {
            p
        }
    }

    /// `×3`, `3×`.
    pub fn multiplier(&self, n: f64) -> String {
        let (before, after) = self.data.times;
        format!("{before}{}{after}", self.number(n))
    }

    /// A figure: one value written by `full`, or a range "{min} à {max}"
    /// (`figure-range`) whose lower bound is written by `bare` (the unit
    /// said once, after the upper: "+35 à +60 %").
    pub fn range(
        &self,
        f: Figure,
        bare: impl Fn(f64) -> String,
        full: impl Fn(f64) -> String,
    ) -> String {
        match f {
            Figure::One(x) => full(x),
            Figure::Range { min, max } => self.t(
                "figure-range",
                &[("min", bare(min).into()), ("max", full(max).into())],
            ),
        }
    }

    /// A number or a range of numbers: `25`, `20 à 25`.
    pub fn figure_number(&self, f: Figure) -> String {
        self.range(f, |x| self.number(x), |x| self.number(x))
    }

    /// A percentage or a range of them: `25 %`, `20 à 25 %`.
    pub fn figure_percent(&self, f: Figure) -> String {
        self.range(f, |x| self.number(x), |x| self.percent(x))
    }

    /// An indicator's value with its unit, written by `num` and `pct`
    /// (digits or words): "25 %", "20 à 25 cas", "12 500".
    pub fn with_unit(
        &self,
        value: Figure,
        unit: Option<&str>,
        num: impl Fn(f64) -> String,
        pct: impl Fn(f64) -> String,
    ) -> String {
        match unit {
            Some("%") => self.range(value, num, pct),
            Some(unit) => self.t(
                "figure-with-unit",
                &[
                    ("value", self.range(value, &num, &num).into()),
                    ("unit", unit.to_string().into()),
                ],
            ),
            None => self.range(value, &num, &num),
        }
    }

    /// A traffic change as shown beside its label: `×3`, `+35 %`, `−5 %`,
    /// `stable`; a range with both bounds: `+35 à +60 %`, `×1,35 à ×1,6`.
    pub fn change(&self, c: Change) -> String {
        match c {
            Change::Times(f) => self.range(f, |x| self.multiplier(x), |x| self.multiplier(x)),
            Change::Up(p) => self.range(p, |x| self.signed(x), |x| self.signed_percent(x)),
            Change::Down(p) => self.range(p.map(|x| -x), |x| self.number(x), |x| self.percent(x)),
            Change::Same => self.t("change-same", &[]),
        }
    }

    /// The arguments of a message wording a traffic change, written
    /// (`spoken` false) or in words: `direction` (`times`, `up`, `down`,
    /// `same`), `factor` and `percent` (a fall as a positive percentage:
    /// the sentence says it falls), `approx` (`yes`, `no`, or `range`,
    /// with `min` and `max` each with its unit, for languages that say a
    /// range in their own way) and `label`.
    pub fn change_args(&self, m: &TrafficMultiplier, spoken: bool) -> Vec<Arg<'static>> {
        let num = |x: f64| match spoken {
            true => self.spoken_number(x, Gender::Neuter),
            false => self.number(x),
        };
        let pct = |x: f64| match spoken {
            true => self.spoken_percent(x),
            false => self.percent(x),
        };
        // "entre veintiuna y treinta y una veces": the bounds of a factor
        // agree with the word for "times" (`gender-times`).
        let times = self.gender("times");
        let num_times = |x: f64| match spoken {
            true => self.spoken_number(x, times),
            false => self.number(x),
        };
        let c = m.change();
        let (factor, percent, bounds) = match c {
            Change::Times(f) => (self.range(f, num, num), String::new(), f),
            Change::Up(p) | Change::Down(p) => (String::new(), self.range(p, num, pct), p),
            Change::Same => (String::new(), String::new(), Figure::One(0.0)),
        };
        let full = |x: f64| match c {
            Change::Times(_) => num_times(x),
            _ => pct(x),
        };
        let approx = match bounds.is_range() {
            true => "range",
            false => Locale::approx_selector(m.approx),
        };
        vec![
            ("direction", c.direction().into()),
            ("factor", factor.into()),
            ("percent", percent.into()),
            ("approx", approx.into()),
            ("min", full(bounds.low()).into()),
            ("max", full(bounds.high()).into()),
            ("label", m.label.to_string().into()),
        ]
    }

    /// A figure as shown, with "about" when it is an estimate
    /// (`approx: true`): "environ ×7", "about 2,500".
    pub fn about(&self, shown: String, approx: bool) -> String {
        match approx {
            true => self.t("approx-figure", &[("value", shown.into())]),
            false => shown,
        }
    }

    /// How a traffic item changed, as shown: "×3", "−5 %", "environ ×7".
    pub fn traffic_figure(&self, m: &TrafficMultiplier) -> String {
        self.about(self.change(m.change()), m.approx)
    }

    /// An indicator's value as shown: "25 %", "20 à 25 cas", "environ 12".
    pub fn indicator_figure(&self, i: &Indicator) -> String {
        let num = |x| self.number(x);
        let shown = self.with_unit(i.value, i.unit.as_deref(), num, |x| self.percent(x));
        self.about(shown, i.approx)
    }

    /// `yes` or `no`: the catalogues' selector for an estimate.
    pub fn approx_selector(approx: bool) -> &'static str {
        if approx { "yes" } else { "no" }
    }

    /// A change with its sign always shown: `+5`, `−30`, `0`.
    pub fn signed(&self, n: f64) -> String {
        if n > 0.0 {
            format!("+{}", self.number(n))
        } else {
            self.number(n)
        }
    }

    /// A change in percentage points: `+5 points`, `−30 points`, `1 point`.
    pub fn points(&self, n: f64) -> String {
        self.t(
            "points",
            &[("points", self.signed(n).into()), ("count", n.abs().into())],
        )
    }

    pub fn month(&self, month: u32) -> &'static str {
        self.data.months[(month.clamp(1, 12) - 1) as usize]
    }

    fn day(&self, d: Date) -> String {
        match (d.day, self.data.first_day) {
            (1, Some(first)) => first.to_string(),
            _ => d.day.to_string(),
        }
    }

    /// `14 mai 2020`, `1er mai 2020`, `14 May 2020`.
    pub fn date(&self, d: Date) -> String {
        fill(
            self.data.date,
            &self.day(d),
            self.month(d.month),
            &d.year.to_string(),
        )
    }

    /// A short date for chart axes: `14 mai`, with the year when the
    /// series spans several years.
    pub fn short_date(&self, d: Date, with_year: bool) -> String {
        if with_year {
            self.date(d)
        } else {
            fill(self.data.short_date, &self.day(d), self.month(d.month), "")
        }
    }

    /// "a, b et c", "a, b and c".
    pub fn list(&self, items: &[String]) -> String {
        match items.len() {
            0 => String::new(),
            1 => items[0].clone(),
            n => self.t(
                "list-and",
                &[
                    ("head", items[..n - 1].join(", ").into()),
                    ("last", items[n - 1].as_str().into()),
                    ("last-sound", first_sound(&items[n - 1]).into()),
                ],
            ),
        }
    }

    // ------------------------------------------------------------- spoken

    /// An integer in words, agreeing with `gender`.
    pub fn cardinal(&self, n: i64, gender: Gender) -> String {
        spoken::cardinal(n, self.lang, gender)
    }

    /// Any number as spoken: "deux virgule cinq", "two point five",
    /// "moins trente".
    pub fn spoken_number(&self, n: f64, gender: Gender) -> String {
        let rounded = (n * 100.0).round() / 100.0;
        let abs = rounded.abs();
        let frac_digits = format!("{:.2}", abs.fract());
        let frac = frac_digits
            .trim_start_matches('0')
            .trim_start_matches('.')
            .trim_end_matches('0');
        let int = abs.trunc() as i64;
        let mut out = if frac.is_empty() {
            self.cardinal(int, gender)
        } else {
            self.t(
                "spoken-decimal",
                &[
                    ("integer", self.cardinal(int, gender).into()),
                    ("fraction", self.spoken_decimals(frac).into()),
                ],
            )
        };
        if rounded < 0.0 {
            out = self.t("spoken-minus", &[("number", out.into())]);
        }
        out
    }

    fn spoken_decimals(&self, frac: &str) -> String {
        let zero = self.cardinal(0, Gender::Neuter);
        match self.data.decimals {
            // Leading zeros are said: 2,05 → "deux virgule zéro cinq".
            Decimals::AsNumber => {
                let zeros = frac.chars().take_while(|c| *c == '0').count();
                let mut words = vec![zero; zeros];
                words.push(self.cardinal(frac.parse().unwrap_or(0), Gender::Neuter));
                words.join(" ")
            }
            Decimals::DigitByDigit => frac
                .chars()
                .map(|c| self.cardinal(i64::from(c.to_digit(10).unwrap_or(0)), Gender::Neuter))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// "quatre-vingt-dix pour cent", "ninety percent".
    pub fn spoken_percent(&self, n: f64) -> String {
        let number = self.spoken_number(n, Gender::Neuter);
        self.t("spoken-percent", &[("number", number.into())])
    }

    /// "onze mai deux mille vingt", "May eleventh, twenty twenty".
    pub fn spoken_date(&self, d: Date, with_year: bool) -> String {
        let day = match self.data.spoken_day {
            SpokenDay::Cardinal if d.day == 1 => self.t("spoken-first-day", &[]),
            SpokenDay::Cardinal => self.cardinal(i64::from(d.day), Gender::Neuter),
            SpokenDay::Ordinal => spoken::english_ordinal(d.day),
        };
        let year = match self.data.spoken_year {
            SpokenYear::Cardinal => self.cardinal(i64::from(d.year), Gender::Neuter),
            SpokenYear::Pairs => spoken::english_year(d.year),
        };
        let pattern = if with_year {
            self.data.spoken_date
        } else {
            self.data.spoken_short_date
        };
        fill(pattern, &day, self.month(d.month), &year)
    }
}

fn fill(pattern: &str, day: &str, month: &str, year: &str) -> String {
    pattern
        .replace("{day}", day)
        .replace("{month}", month)
        .replace("{year}", year)
}

/// The locales of a site, one per language, shared by every thread.
#[derive(Debug, Clone, Default)]
pub struct Locales(Vec<Arc<Locale>>);

impl Locales {
    pub fn new(list: Vec<Locale>) -> Locales {
        Locales(list.into_iter().map(Arc::new).collect())
    }

    /// The locale of `lang`; the embedded one if the site did not load it.
    pub fn get(&self, lang: Language) -> &Locale {
        self.0
            .iter()
            .find(|l| l.lang == lang)
            .map_or_else(|| fallback(lang), |l| l.as_ref())
    }

    /// The locale of the site's (default) language.
    pub fn default_for(&self, site: &crate::content::model::Site) -> &Locale {
        self.0
            .iter()
            .find(|l| l.lang == site.language())
            .map_or_else(|| fallback(site.language()), |l| l.as_ref())
    }

    /// Every locale's [`Locale::take_problems`], in the site's order.
    pub fn take_problems(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        for l in &self.0 {
            all.extend(l.take_problems());
        }
        all
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<Locale>> {
        self.0.iter()
    }
}

/// The embedded locales, built once: for callers without a loaded site.
fn fallback(lang: Language) -> &'static Locale {
    static ALL: std::sync::OnceLock<Vec<Locale>> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| EMBEDDED.iter().map(|(l, _)| Locale::embedded(*l)).collect());
    all.iter().find(|l| l.lang == lang).unwrap_or(&all[0])
}

/// Spaces that never break a line: no-break, narrow no-break, figure
/// space and word joiner. Wrapping splits only at other whitespace.
pub fn is_breakable_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{202F}' | '\u{2007}' | '\u{2060}')
}

/// A typed text with its figures held together: a plain space between a
/// digit and `%`, `‰` or `°`, or inside a grouped number (`1 800`, a
/// digit, a space and exactly three digits), becomes a narrow no-break
/// space, so that no line of a page, chart or PDF starts with `%` or
/// `800`. Everything else is left as written.
pub fn bind_figures(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(' ') {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let binds = |i: usize| {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = &chars[i + 1..];
        let digit_before = before.is_some_and(|c| c.is_ascii_digit());
        let unit_after = after.first().is_some_and(|c| matches!(c, '%' | '‰' | '°'));
        let group_after = after.len() >= 3
            && after[..3].iter().all(char::is_ascii_digit)
            && !after.get(3).is_some_and(char::is_ascii_digit);
        digit_before && (unit_after || group_after)
    };
    if !(0..chars.len()).any(|i| chars[i] == ' ' && binds(i)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let out = (0..chars.len())
        .map(|i| {
            if chars[i] == ' ' && binds(i) {
                '\u{202F}'
            } else {
                chars[i]
            }
        })
        .collect();
    std::borrow::Cow::Owned(out)
}

/// Marks around a text shown in another language than its page's (a
/// translation falling back to the default language): `MARK_OPEN`, the
/// language code, `MARK_LANG_END`, the text, `MARK_CLOSE`. The HTML
/// renderer turns them into `<span lang="…">`; every other output strips
/// them ([`strip_marks`]). Content can never hold these characters.
pub const MARK_OPEN: char = '\u{E000}';
pub const MARK_LANG_END: char = '\u{E001}';
pub const MARK_CLOSE: char = '\u{E002}';

/// `text` marked as written in `lang`.
pub fn mark(text: &str, lang: Language) -> String {
    format!(
        "{MARK_OPEN}{}{MARK_LANG_END}{text}{MARK_CLOSE}",
        lang.code()
    )
}

/// `s` without language marks.
pub fn strip_marks(s: &str) -> String {
    if !s.contains(MARK_OPEN) {
        return s.to_string();
    }
    unmarked_chars(s).collect()
}

/// The characters of `s` outside its language marks.
pub fn unmarked_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut in_code = false;
    s.chars().filter(move |c| match *c {
        MARK_OPEN => {
            in_code = true;
            false
        }
        MARK_LANG_END => {
            in_code = false;
            false
        }
        MARK_CLOSE => false,
        _ => !in_code,
    })
}

/// The language of a text marked whole (`mark(text, lang)`).
pub fn marked_lang(s: &str) -> Option<&str> {
    let (mark, _) = split_mark(s);
    mark.strip_prefix(MARK_OPEN)?.strip_suffix(MARK_LANG_END)
}

/// Splits a leading mark off: `(mark, rest)`.
fn split_mark(s: &str) -> (&str, &str) {
    match s.find(MARK_LANG_END) {
        Some(i) if s.starts_with(MARK_OPEN) => s.split_at(i + MARK_LANG_END.len_utf8()),
        _ => ("", s),
    }
}

/// The text inside a sentence: the first letter lowercased, unless the
/// first word looks like an acronym or a brand ("WhatsApp", "4G") or the
/// text starts with one of `names` (whole words: "État", "Orange Bank").
pub fn lowercase_first_keeping(s: &str, names: &[String]) -> String {
    let (mark, plain) = split_mark(s);
    if names.iter().any(|n| starts_with_word(plain, n)) {
        return s.to_string();
    }
    mark.to_string() + &lowercase_first_plain(plain)
}

/// Whether `text` starts with `word` followed by the end or a non-letter.
fn starts_with_word(text: &str, word: &str) -> bool {
    !word.is_empty()
        && text
            .strip_prefix(word)
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
}

fn lowercase_first_plain(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
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

/// The first letter uppercased, for the start of a sentence.
pub fn capitalise(s: &str) -> String {
    let (mark, s) = split_mark(s);
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => mark.chars().chain(c.to_uppercase()).chain(chars).collect(),
        None => mark.to_string(),
    }
}

/// The value a figure is written as: two decimals at most (and held
/// within ±10^15, the validator's limit, so that no "inf" may come out of
/// a derived figure). The validator refuses a figure that would read as
/// something else once shown so.
pub fn shown_value(n: f64) -> f64 {
    (n.clamp(-1e15, 1e15) * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests;

/// How a text starts when read aloud, for catalogues whose little words
/// change before a sound (Spanish "y" becomes "e" before an /i/: "Francia
/// e Italia", but "agua y hielo"): `i` for a vowel /i/ (i, í, hi, hí, not
/// followed by another vowel), `other` otherwise.
pub fn first_sound(text: &str) -> &'static str {
    let plain = strip_marks(text);
    let lower: String = plain
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .take(3)
        .flat_map(char::to_lowercase)
        .collect();
    let rest = lower.strip_prefix('h').unwrap_or(&lower);
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some('i' | 'í'), next)
            if !matches!(next, Some('a' | 'e' | 'o' | 'u' | 'á' | 'é' | 'ó' | 'ú')) =>
        {
            "i"
        }
        _ => "other",
    }
}
