//! The typed fact-file model (format v1). Plain data: every renderer reads it.

use serde::{Serialize, Serializer};
use std::fmt;

use super::yaml::Pos;

/// A text of a fact file: a plain string, the same in every language
/// (names, brands, acronyms), or a map by language
/// (`{fr: "Les réseaux ont tenu", en: "Networks held"}`).
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Plain(String),
    /// Boxed: most texts are plain, and a text stays the size of a string.
    Map(Box<TextMap>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextMap {
    /// In the order written until the content is loaded, then the site's
    /// default language first.
    pub values: Vec<(Language, String)>,
    /// Where the map is, for `missing-translation` warnings.
    pub pos: Pos,
}

impl Text {
    pub fn plain(s: impl Into<String>) -> Text {
        Text::Plain(s.into())
    }

    /// The text in `lang`, if the map has it (a plain text has every
    /// language).
    pub fn get(&self, lang: Language) -> Option<&str> {
        match self {
            Text::Plain(s) => Some(s),
            Text::Map(m) => m
                .values
                .iter()
                .find(|(l, _)| *l == lang)
                .map(|(_, s)| s.as_str()),
        }
    }

    /// The default text: the plain string, or the default language's.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Map(m) => m.values.first().map_or("", |(_, s)| s.as_str()),
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text is written as the string a reader sees: in open data (each
/// language's tree is resolved to its language before it is written) and
/// in unit keys (a site of one language shows its default text only).
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!(
                "expected a date written YYYY-MM-DD, found `{text}`"
            ));
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
        let (year, month, day) = (num(0..4) as i32, num(5..7), num(8..10));
        if !(1..=12).contains(&month) {
            return Err(format!(
                "`{text}` is not a real date: there is no month {month}"
            ));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(format!(
                "`{text}` is not a real date: month {month} of {year} has {} days",
                days_in_month(year, month)
            ));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (for differences and feeds).
    pub fn days_since_epoch(&self) -> i64 {
        i64::from(self.calendar().to_julian_day()) - EPOCH_JULIAN_DAY
    }

    /// The date `days` after 1970-01-01 (the inverse of
    /// [`Date::days_since_epoch`]), held within the years -9999 to 9999.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let julian = days.saturating_add(EPOCH_JULIAN_DAY);
        let (min, max) = (time::Date::MIN, time::Date::MAX);
        let date = i32::try_from(julian)
            .ok()
            .and_then(|j| time::Date::from_julian_day(j).ok())
            .unwrap_or(if julian < 0 { min } else { max });
        Date {
            year: date.year(),
            month: u32::from(u8::from(date.month())),
            day: u32::from(date.day()),
        }
    }

    /// The same date in the `time` crate's calendar (a `Date` is made
    /// checked, by [`Date::parse`] or from a day count).
    fn calendar(&self) -> time::Date {
        let month = u8::try_from(self.month)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .unwrap_or(time::Month::January);
        let day = u8::try_from(self.day).unwrap_or(1);
        time::Date::from_calendar_date(self.year, month, day).unwrap_or(time::Date::MIN)
    }
}

/// The Julian day number of 1970-01-01.
const EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// Days in `month` (1 to 12) of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok());
    month.map_or(0, |m| u32::from(m.length(year)))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An instant written in RFC 3339 with an explicit offset
/// (`2020-05-14T18:00:00+02:00`, or `Z` for UTC): when an embargoed update
/// is due. The offset is part of what was written, so the build machine's
/// time zone never decides; instants compare by `unix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix: i64,
    /// The wall-clock date, hour and minute where it was written.
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// The written offset from UTC, in minutes (`+02:00` is 120).
    pub offset_minutes: i32,
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.unix
            .cmp(&other.unix)
            .then(self.offset_minutes.cmp(&other.offset_minutes))
    }
}

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; `T` may be `t` or
    /// a space, as RFC 3339 allows. Fractions of a second are dropped.
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let shape = || {
            format!(
                "expected a date and time with its offset, written like 2020-05-14T18:00:00+02:00, found `{text}`"
            )
        };
        if text.len() < 19 || !text.is_char_boundary(10) || !text.is_char_boundary(19) {
            return Err(shape());
        }
        let date = Date::parse(&text[..10]).map_err(|_| shape())?;
        let sep = text.as_bytes()[10];
        if !matches!(sep, b'T' | b't' | b' ') {
            return Err(shape());
        }
        let clock = &text[11..19];
        let two = |s: &str| -> Option<u32> {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
        };
        let parts: Vec<&str> = clock.split(':').collect();
        let [h, m, sec] = parts.as_slice() else {
            return Err(shape());
        };
        let (Some(hour), Some(minute), Some(second)) = (two(h), two(m), two(sec)) else {
            return Err(shape());
        };
        if hour > 23 || minute > 59 || second > 60 {
            return Err(format!("`{text}` is not a real time of day"));
        }
        let mut rest = &text[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(shape());
            }
            rest = &frac[digits..];
        }
        let offset_minutes = match rest {
            "" => {
                return Err(format!(
                    "`{text}` has no offset from UTC, so the build machine's time zone would decide when it is due"
                ));
            }
            "Z" | "z" => 0,
            o if o.len() == 6 && o.as_bytes()[3] == b':' => {
                let sign = match o.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return Err(shape()),
                };
                let (Some(oh), Some(om)) = (two(&o[1..3]), two(&o[4..6])) else {
                    return Err(shape());
                };
                if oh > 23 || om > 59 {
                    return Err(format!("`{text}` has an impossible offset `{o}`"));
                }
                sign * (oh * 60 + om) as i32
            }
            _ => return Err(shape()),
        };
        let local = date.days_since_epoch() * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second.min(59));
        Ok(Timestamp {
            unix: local - i64::from(offset_minutes) * 60,
            date,
            hour,
            minute,
            second,
            offset_minutes,
        })
    }

    /// The instant `unix` written in UTC (`Z`): what `--now` and the
    /// clock give when no offset was written.
    pub fn from_unix(unix: i64) -> Timestamp {
        let days = unix.div_euclid(86_400);
        let secs = unix.rem_euclid(86_400);
        Timestamp {
            unix,
            date: Date::from_days_since_epoch(days),
            hour: (secs / 3600) as u32,
            minute: (secs % 3600 / 60) as u32,
            second: (secs % 60) as u32,
            offset_minutes: 0,
        }
    }

    /// The offset as written: `+02:00`, `-05:00`, `+00:00` for `Z`.
    pub fn offset(&self) -> String {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let m = self.offset_minutes.unsigned_abs();
        format!("{sign}{:02}:{:02}", m / 60, m % 60)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}{}",
            self.date,
            self.hour,
            self.minute,
            self.second,
            if self.offset_minutes == 0 {
                "Z".to_string()
            } else {
                self.offset()
            }
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fr,
    En,
    Es,
}

impl Language {
    /// Every language relance writes, in the order of their codes' listing.
    pub const ALL: [Language; 3] = [Language::Fr, Language::En, Language::Es];

    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
            Language::Es => "es",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    pub title: Text,
    pub organisation: Text,
    /// The languages the site is published in, the default first (never
    /// empty).
    pub languages: Vec<Language>,
    pub base_url: Option<String>,
    /// Names that keep their capital inside sentences ("Orange", "État"):
    /// every language's text of each entry.
    pub proper_nouns: Vec<String>,
}

impl Site {
    /// The default language: its tree is the site's root.
    pub fn language(&self) -> Language {
        self.languages.first().copied().unwrap_or(Language::Fr)
    }

    pub fn languages(&self) -> Vec<Language> {
        self.languages.clone()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub name: Text,
    pub role: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    pub slug: String,
    pub name: Text,
    pub delegate: Option<Person>,
    pub departments: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub label: Option<Text>,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub name: Option<Text>,
    pub kind: Option<Text>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Telework {
    /// As given, or computed from `remote` and `staff`.
    pub percent: Option<f64>,
    pub except: Vec<Text>,
    /// How many staff are counted (given with `remote`).
    pub staff: Option<u64>,
    /// How many of them worked remotely.
    pub remote: Option<u64>,
    /// Who is counted: updates whose scopes differ are never compared.
    pub scope: Option<Text>,
}

impl Telework {
    /// Whether two updates' telework figures count the same people, so
    /// that comparing them means something.
    pub fn comparable(&self, other: &Telework) -> bool {
        self.scope == other.scope
    }
}

/// A figure as stated: one number, or a range `{min, max}` when the
/// statement gives two ("+35 to 60 %"). A range is never reduced to one
/// of its bounds: every output shows both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    One(f64),
    /// `min < max`.
    Range {
        min: f64,
        max: f64,
    },
}

impl Figure {
    pub fn low(self) -> f64 {
        match self {
            Figure::One(x) | Figure::Range { min: x, .. } => x,
        }
    }

    pub fn high(self) -> f64 {
        match self {
            Figure::One(x) | Figure::Range { max: x, .. } => x,
        }
    }

    /// The middle of a range (ranking only: never shown).
    pub fn mid(self) -> f64 {
        (self.low() + self.high()) / 2.0
    }

    pub fn is_range(self) -> bool {
        matches!(self, Figure::Range { .. })
    }

    /// The figure through `f`, bounds kept in increasing order (`f` may
    /// be decreasing, as "a factor of 0.9 is a fall of 10 %" is).
    pub fn map(self, f: impl Fn(f64) -> f64) -> Figure {
        match self {
            Figure::One(x) => Figure::One(f(x)),
            Figure::Range { min, max } => {
                let (a, b) = (f(min), f(max));
                Figure::Range {
                    min: a.min(b),
                    max: a.max(b),
                }
            }
        }
    }
}

/// A number, or `{"min": …, "max": …}`.
impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        match *self {
            Figure::One(x) => s.serialize_f64(x),
            Figure::Range { min, max } => {
                let mut st = s.serialize_struct("Range", 2)?;
                st.serialize_field("min", &min)?;
                st.serialize_field("max", &max)?;
                st.end()
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrafficMultiplier {
    pub label: Text,
    /// How many times the baseline: as given (`factor:`), or
    /// `1 + change_percent / 100`.
    pub factor: Figure,
    /// The change as given in percent (`change_percent: -5`), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_percent: Option<Figure>,
    /// An estimate ("about ×7").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub approx: bool,
    /// Where this figure comes from, when not from the update's source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ItemSource>,
}

/// The source of one figure or incident: shown as a numbered note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemSource {
    pub name: Text,
    pub url: Option<String>,
}

/// How a traffic item changed, as it is worded: the one place deciding
/// that a fall is said as a fall ("down 5%"), never "multiplied by 0.95".
/// A range keeps one direction (the validator refuses one that rises at
/// one end and falls at the other).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Multiplied by this factor (greater than 1, given as a factor).
    Times(Figure),
    /// Up by this many percent.
    Up(Figure),
    /// Down by this many percent (positive numbers, smallest first).
    Down(Figure),
    /// No change.
    Same,
}

impl Change {
    /// `up`, `down`, `same` or `times`: the catalogues' selector.
    pub fn direction(self) -> &'static str {
        match self {
            Change::Times(_) => "times",
            Change::Up(_) => "up",
            Change::Down(_) => "down",
            Change::Same => "same",
        }
    }
}

impl TrafficMultiplier {
    pub fn change(&self) -> Change {
        match self.change_percent {
            Some(p) if p.low() > 0.0 => Change::Up(p),
            Some(p) if p.high() < 0.0 => Change::Down(p.map(|x| -x)),
            Some(_) => Change::Same,
            None if self.factor.low() > 1.0 => Change::Times(self.factor),
            None if self.factor.high() < 1.0 => {
                Change::Down(self.factor.map(|f| (1.0 - f) * 100.0))
            }
            None => Change::Same,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Traffic {
    pub baseline: Option<Text>,
    pub network_held: Option<bool>,
    pub multipliers: Vec<TrafficMultiplier>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub kind: Text,
    pub target: Option<Text>,
    pub response: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ItemSource>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Online {
    pub customers_percent: Option<f64>,
    pub growth_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shops {
    pub total: Option<u64>,
    /// The shops never closed (`reopened` is then absent).
    pub stayed_open: Option<bool>,
    pub reopened: Option<u64>,
    pub reopened_on: Option<Date>,
    pub by_appointment: Option<bool>,
    pub booking: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub label: Text,
    pub value: Figure,
    pub unit: Option<Text>,
    /// An estimate ("about 25").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub approx: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ItemSource>,
}

/// A quote, and who said it (`None`: the update's speaker).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub text: Text,
    pub by: Option<Text>,
}

/// A correction published after an update: when, and what it says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    pub date: Date,
    pub note: Text,
}

/// One update: what a region reported on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    pub region: String,
    pub date: Date,
    pub title: Text,
    pub period: Option<Period>,
    pub source: Option<Source>,
    pub speaker: Option<Person>,
    pub telework: Option<Telework>,
    pub field_priorities: Vec<Text>,
    pub priority_services: Vec<Text>,
    pub traffic: Option<Traffic>,
    /// `None`: the update says nothing about incidents (not "none").
    pub incidents: Option<Vec<Incident>>,
    pub online: Option<Online>,
    pub shops: Option<Shops>,
    pub indicators: Vec<Indicator>,
    pub quotes: Vec<Quote>,
    /// Markdown source, from `narrative:` or the `<date>.md` files.
    pub narrative: Option<Text>,
    /// When the update may be published (`None`: at once).
    pub publish_at: Option<Timestamp>,
    /// Corrections published since, in the order written.
    pub corrections: Vec<Correction>,
    /// Narratives read from `<date>.md` (no language: the site's default)
    /// and `<date>.<code>.md`, folded into `narrative` once the site's
    /// languages are known.
    #[serde(skip)]
    pub narrative_files: Vec<(Option<Language>, String)>,
}

impl Update {
    /// Its corrections, newest first (in the order written among those of
    /// the same day): how every output lists them.
    pub fn corrections_newest_first(&self) -> Vec<&Correction> {
        let mut list: Vec<&Correction> = self.corrections.iter().collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.date));
        list
    }

    /// The day the update last changed in public: its date, or its latest
    /// correction's (feeds' `<updated>`, the sitemap's `<lastmod>`).
    pub fn last_modified(&self) -> Date {
        self.corrections
            .iter()
            .map(|c| c.date)
            .fold(self.date, Date::max)
    }
}

/// Everything loaded and validated from a content folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    pub site: Site,
    /// Sorted by slug.
    pub regions: Vec<Region>,
    /// Sorted by region slug, then date.
    pub updates: Vec<Update>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_the_size_of_a_string() {
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<String>());
    }

    #[test]
    fn dates_are_checked() {
        assert!(Date::parse("2020-02-29").is_ok());
        assert!(Date::parse("2021-02-29").is_err());
        assert!(Date::parse("2020-13-01").is_err());
        assert!(Date::parse("2020-5-1").is_err());
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
        assert_eq!(
            Date::parse("2020-05-14").unwrap().days_since_epoch(),
            18_396
        );
        assert_eq!(Date::parse("1969-12-31").unwrap().days_since_epoch(), -1);
        assert_eq!(
            Date::from_days_since_epoch(18_396).to_string(),
            "2020-05-14"
        );
        let texts = [
            "1970-01-01",
            "2020-02-29",
            "1969-12-31",
            "2400-03-01",
            "0000-01-01",
            "9999-12-31",
        ];
        for text in texts {
            let d = Date::parse(text).unwrap();
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        }
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2021, 13), 0);
        // Beyond the calendar's years: held at its ends, never a panic.
        assert_eq!(
            Date::from_days_since_epoch(i64::MAX).to_string(),
            "9999-12-31"
        );
        assert_eq!(Date::from_days_since_epoch(i64::MIN).year, -9999);
    }

    #[test]
    fn timestamps_need_an_offset() {
        let t = Timestamp::parse("2020-05-14T18:00:00+02:00").unwrap();
        assert_eq!(t.unix, 1_589_472_000);
        assert_eq!(t.to_string(), "2020-05-14T18:00:00+02:00");
        assert_eq!(
            Timestamp::parse("2020-05-14T16:00:00Z").unwrap().unix,
            t.unix
        );
        assert_eq!(
            Timestamp::parse("2020-05-14T11:30:00.5-04:30")
                .unwrap()
                .unix,
            t.unix
        );
        assert!(Timestamp::parse("2020-05-14T18:00:00").is_err());
        assert!(Timestamp::parse("2020-05-14").is_err());
        assert!(Timestamp::parse("2020-05-14T25:00:00Z").is_err());
        assert!(Timestamp::parse("2020-05-14T18:00:00+2:00").is_err());
        assert!(Timestamp::parse("tomorrow").is_err());
        assert_eq!(
            Timestamp::from_unix(t.unix).to_string(),
            "2020-05-14T16:00:00Z"
        );
    }
}
