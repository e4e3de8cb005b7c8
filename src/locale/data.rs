//! What a language needs besides its catalogue: how it writes numbers and
//! dates, and how it reads them aloud. Adding a language is one entry here
//! (and its `locales/<code>.ftl`).

use crate::content::model::Language;

/// How a language reads the decimals of a number aloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimals {
    /// As a number, keeping leading zeros: 2,05 → "deux virgule zéro cinq".
    AsNumber,
    /// Digit by digit: 2.25 → "two point two five".
    DigitByDigit,
}

/// How a spoken date says its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpokenDay {
    /// A cardinal, the first of the month said with the catalogue's
    /// `spoken-first-day` ("premier", "primero").
    Cardinal,
    /// An ordinal ("fourteenth").
    Ordinal,
}

/// How a spoken date says its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpokenYear {
    /// A cardinal: "deux mille vingt".
    Cardinal,
    /// In pairs, as English does: "twenty twenty".
    Pairs,
}

#[derive(Debug)]
pub struct LocaleData {
    pub code: &'static str,
    /// The language's name in itself, for the language switcher.
    pub name: &'static str,
    pub decimal_mark: char,
    pub group_separator: char,
    /// Numbers with fewer integer digits than this are not grouped
    /// (CLDR's minimum grouping digits: French and English write
    /// 1 800 and 1,800, Spanish 1800 and 12.500).
    pub min_grouping_digits: usize,
    /// Written around a number: `90 %`, `90%`.
    pub percent: (&'static str, &'static str),
    /// Written around a factor: `×3`, `3×`.
    pub times: (&'static str, &'static str),
    pub months: [&'static str; 12],
    /// `{day}`, `{month}`, `{year}`: "14 mai 2020", "14 de mayo de 2020".
    pub date: &'static str,
    /// Without the year: "14 mai".
    pub short_date: &'static str,
    /// How the first day of a month is written, when not as a number ("1er").
    pub first_day: Option<&'static str>,
    pub decimals: Decimals,
    pub spoken_day: SpokenDay,
    pub spoken_year: SpokenYear,
    /// Spoken dates: "onze mai deux mille vingt", "May eleventh, twenty twenty".
    pub spoken_date: &'static str,
    pub spoken_short_date: &'static str,
}

/// U+202F NARROW NO-BREAK SPACE: French puts it before `%` and between
/// thousands.
pub const NNBSP: char = '\u{202F}';
/// U+2212 MINUS SIGN, typographically correct for negative figures.
pub const MINUS: char = '\u{2212}';

pub const FR: LocaleData = LocaleData {
    code: "fr",
    name: "Français",
    decimal_mark: ',',
    group_separator: NNBSP,
    min_grouping_digits: 4,
    percent: ("", "\u{202F}%"),
    times: ("×", ""),
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    date: "{day} {month} {year}",
    short_date: "{day} {month}",
    first_day: Some("1er"),
    decimals: Decimals::AsNumber,
    spoken_day: SpokenDay::Cardinal,
    spoken_year: SpokenYear::Cardinal,
    spoken_date: "{day} {month} {year}",
    spoken_short_date: "{day} {month}",
};

pub const EN: LocaleData = LocaleData {
    code: "en",
    name: "English",
    decimal_mark: '.',
    group_separator: ',',
    min_grouping_digits: 4,
    percent: ("", "%"),
    times: ("", "×"),
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    date: "{day} {month} {year}",
    short_date: "{day} {month}",
    first_day: None,
    decimals: Decimals::DigitByDigit,
    spoken_day: SpokenDay::Ordinal,
    spoken_year: SpokenYear::Pairs,
    spoken_date: "{month} {day}, {year}",
    spoken_short_date: "{month} {day}",
};

pub const ES: LocaleData = LocaleData {
    code: "es",
    name: "Español",
    decimal_mark: ',',
    group_separator: '.',
    // Spanish leaves four-digit numbers unsplit (2020, 1500).
    min_grouping_digits: 5,
    percent: ("", "\u{A0}%"),
    times: ("×", ""),
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    date: "{day} de {month} de {year}",
    short_date: "{day} de {month}",
    first_day: None,
    decimals: Decimals::AsNumber,
    spoken_day: SpokenDay::Cardinal,
    spoken_year: SpokenYear::Cardinal,
    spoken_date: "{day} de {month} de {year}",
    spoken_short_date: "{day} de {month}",
};

pub fn of(lang: Language) -> &'static LocaleData {
    match lang {
        Language::Fr => &FR,
        Language::En => &EN,
        Language::Es => &ES,
    }
}
