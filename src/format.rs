//! Numbers and dates as a French or English reader expects them. The same
//! functions serve HTML, charts, PDF and briefings, so a figure reads the same
//! everywhere.

use crate::content::model::{Date, Language};

/// U+202F NARROW NO-BREAK SPACE: French puts it before `%` and between
/// thousands.
pub const NNBSP: char = '\u{202F}';
/// U+2212 MINUS SIGN, typographically correct for negative figures.
pub const MINUS: char = '\u{2212}';

/// A number with at most two decimals, trailing zeros dropped, the locale's
/// decimal mark and thousands grouping.
pub fn number(n: f64, lang: Language) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let abs = rounded.abs();
    let text = format!("{abs:.2}");
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac_part.trim_end_matches('0');
    let (group_sep, decimal_mark, min_group) = match lang {
        // French leaves four-digit numbers unsplit (2020, 1500).
        Language::Fr => (NNBSP, ',', 5),
        Language::En => (',', '.', 4),
    };
    let mut grouped = String::new();
    if int_part.len() >= min_group {
        for (i, c) in int_part.chars().enumerate() {
            if i > 0 && (int_part.len() - i) % 3 == 0 {
                grouped.push(group_sep);
            }
            grouped.push(c);
        }
    } else {
        grouped.push_str(int_part);
    }
    let mut out = String::new();
    if negative {
        out.push(MINUS);
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push(decimal_mark);
        out.push_str(frac);
    }
    out
}

/// `90 %` (fr, narrow no-break space) or `90%` (en).
pub fn percent(n: f64, lang: Language) -> String {
    match lang {
        Language::Fr => format!("{}{NNBSP}%", number(n, lang)),
        Language::En => format!("{}%", number(n, lang)),
    }
}

/// `×3`, `×2,5` (fr) or `3×`, `2.5×` (en).
pub fn multiplier(n: f64, lang: Language) -> String {
    match lang {
        Language::Fr => format!("×{}", number(n, lang)),
        Language::En => format!("{}×", number(n, lang)),
    }
}

/// A change with its sign always shown: `+5`, `−30`, `0`.
pub fn signed(n: f64, lang: Language) -> String {
    if n > 0.0 {
        format!("+{}", number(n, lang))
    } else {
        number(n, lang)
    }
}

/// A change in percentage points: `+5 points`, `−30 points`, `1 point`.
pub fn points(n: f64, lang: Language) -> String {
    let unit = if n.abs() == 1.0 { "point" } else { "points" };
    format!("{} {unit}", signed(n, lang))
}

const MONTHS_FR: [&str; 12] = [
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
];
const MONTHS_EN: [&str; 12] = [
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
];

pub fn month_name(month: u32, lang: Language) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Language::Fr => MONTHS_FR[i],
        Language::En => MONTHS_EN[i],
    }
}

/// `14 mai 2020`, `1er mai 2020` (fr) or `14 May 2020` (en).
pub fn date(d: Date, lang: Language) -> String {
    let day = match (lang, d.day) {
        (Language::Fr, 1) => "1er".to_string(),
        _ => d.day.to_string(),
    };
    format!("{day} {} {}", month_name(d.month, lang), d.year)
}

/// A short date for chart axes: `14 mai` / `14 May`, with the year when the
/// series spans several years.
pub fn short_date(d: Date, lang: Language, with_year: bool) -> String {
    let mut s = match (lang, d.day) {
        (Language::Fr, 1) => format!("1er {}", month_name(d.month, lang)),
        _ => format!("{} {}", d.day, month_name(d.month, lang)),
    };
    if with_year {
        s.push(' ');
        s.push_str(&d.year.to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{En, Fr};

    #[test]
    fn design_table() {
        assert_eq!(percent(90.0, Fr), "90\u{202F}%");
        assert_eq!(percent(90.0, En), "90%");
        assert_eq!(multiplier(3.0, Fr), "×3");
        assert_eq!(multiplier(2.5, Fr), "×2,5");
        assert_eq!(multiplier(3.0, En), "3×");
        assert_eq!(multiplier(2.5, En), "2.5×");
        assert_eq!(number(85.5, Fr), "85,5");
        assert_eq!(number(85.5, En), "85.5");
        let d = Date::parse("2020-05-14").unwrap();
        assert_eq!(date(d, Fr), "14 mai 2020");
        assert_eq!(date(d, En), "14 May 2020");
        assert_eq!(date(Date::parse("2020-05-01").unwrap(), Fr), "1er mai 2020");
    }

    #[test]
    fn grouping_and_signs() {
        assert_eq!(number(12345.0, Fr), "12\u{202F}345");
        assert_eq!(number(1500.0, Fr), "1500");
        assert_eq!(number(1500.0, En), "1,500");
        assert_eq!(number(-30.0, En), "\u{2212}30");
        assert_eq!(points(-30.0, Fr), "\u{2212}30 points");
        assert_eq!(points(5.0, En), "+5 points");
        assert_eq!(number(0.004, En), "0");
    }
}
