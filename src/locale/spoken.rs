//! Numbers as they are spoken. Integers in French and English come from
//! num2words (right for both, "quatre-vingts", "soixante et onze",
//! "twenty-one"); the gender of what is counted is applied here.

use std::cell::RefCell;
use std::collections::HashMap;

use num2words::{Lang, Num2Words};

use crate::content::model::Language;

/// The grammatical gender of what a number counts: French "une boutique",
/// Spanish "veintiuna tiendas", "doscientas tiendas".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Masculine,
    Feminine,
    /// Not marked (English), or a number said alone.
    Neuter,
}

impl Gender {
    pub fn parse(text: &str) -> Gender {
        match text.trim() {
            "feminine" => Gender::Feminine,
            "masculine" => Gender::Masculine,
            _ => Gender::Neuter,
        }
    }
}

/// An integer in words. num2words computes with big floats (about 27 µs a
/// number), which dominated a large build's profile, so each thread
/// remembers the numbers it has already spelled.
pub fn cardinal(n: i64, lang: Language, gender: Gender) -> String {
    thread_local! {
        static SPELLED: RefCell<HashMap<(i64, Language, Gender), String>> =
            RefCell::new(HashMap::new());
    }
    SPELLED.with(|cache| {
        let key = (n, lang, gender);
        if let Some(s) = cache.borrow().get(&key) {
            return s.clone();
        }
        let s = spell(n, lang, gender);
        cache.borrow_mut().insert(key, s.clone());
        s
    })
}

fn num2words(n: i64, lang: Lang) -> String {
    Num2Words::new(n)
        .lang(lang)
        .cardinal()
        .to_words()
        .unwrap_or_else(|_| n.to_string())
}

fn spell(n: i64, lang: Language, gender: Gender) -> String {
    match lang {
        Language::Fr => french(n, gender),
        Language::En => num2words(n, Lang::English),
        Language::Es => spanish(n, gender),
    }
}

const ES_UNITS: [&str; 30] = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
];
const ES_TENS: [&str; 10] = [
    "",
    "",
    "",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
];
const ES_HUNDREDS: [&str; 10] = [
    "",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
];

/// Spanish "uno" before a noun: "un servicio", "veintiún servicios",
/// "una tienda", "veintiuna tiendas"; alone it stays "uno", "veintiuno".
fn es_one(word: &str, gender: Gender) -> String {
    let Some(stem) = word.strip_suffix("uno") else {
        return word.to_string();
    };
    match gender {
        Gender::Neuter => word.to_string(),
        Gender::Feminine => format!("{stem}una"),
        Gender::Masculine if stem == "veinti" => "veintiún".to_string(),
        Gender::Masculine => format!("{stem}un"),
    }
}

fn es_below_100(n: u64, gender: Gender) -> String {
    let word = if n < 30 {
        ES_UNITS[n as usize].to_string()
    } else if n.is_multiple_of(10) {
        ES_TENS[(n / 10) as usize].to_string()
    } else {
        format!(
            "{} y {}",
            ES_TENS[(n / 10) as usize],
            ES_UNITS[(n % 10) as usize]
        )
    };
    es_one(&word, gender)
}

/// 0–999; hundreds agree with a feminine noun ("doscientas tiendas").
fn es_below_1000(n: u64, gender: Gender) -> String {
    if n == 100 {
        return "cien".to_string();
    }
    let (h, rest) = (n / 100, n % 100);
    let mut hundreds = ES_HUNDREDS[h as usize].to_string();
    if gender == Gender::Feminine {
        hundreds = hundreds.replace("ientos", "ientas");
    }
    match (h, rest) {
        (0, r) => es_below_100(r, gender),
        (_, 0) => hundreds,
        (_, r) => format!("{hundreds} {}", es_below_100(r, gender)),
    }
}

/// A Spanish cardinal below a billion (10^12; larger stays in digits).
fn spanish(n: i64, gender: Gender) -> String {
    let n = n.unsigned_abs();
    if n >= 1_000_000_000_000 {
        return n.to_string();
    }
    let (millions, thousands, rest) = (n / 1_000_000, n / 1000 % 1000, n % 1000);
    let mut parts = Vec::new();
    match millions {
        0 => {}
        1 => parts.push("un millón".to_string()),
        m => parts.push(format!("{} millones", spanish(m as i64, Gender::Masculine))),
    }
    match thousands {
        0 => {}
        1 => parts.push("mil".to_string()),
        // "veintiún mil", but "veintiuna mil tiendas", "doscientas mil".
        t => {
            let g = if gender == Gender::Feminine {
                Gender::Feminine
            } else {
                Gender::Masculine
            };
            parts.push(format!("{} mil", es_below_1000(t, g)));
        }
    }
    if rest > 0 || parts.is_empty() {
        parts.push(es_below_1000(rest, gender));
    }
    parts.join(" ")
}

/// French: "un" agrees with a feminine noun at the end of a number
/// ("vingt et une boutiques", "quatre-vingt-une"), not inside ("un million").
fn french(n: i64, gender: Gender) -> String {
    let s = num2words(n, Lang::French);
    if gender == Gender::Feminine && (s == "un" || s.ends_with(" un") || s.ends_with("-un")) {
        s + "e"
    } else {
        s
    }
}

/// An English ordinal ("fourteenth") for spoken dates.
pub fn english_ordinal(n: u32) -> String {
    Num2Words::new(n)
        .lang(Lang::English)
        .ordinal()
        .to_words()
        .unwrap_or_else(|_| n.to_string())
}

/// A year as English says it ("twenty twenty").
pub fn english_year(y: i32) -> String {
    Num2Words::new(y)
        .lang(Lang::English)
        .year()
        .to_words()
        .unwrap_or_else(|_| y.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Gender::*;

    #[test]
    fn french_agrees_with_feminine_nouns() {
        assert_eq!(cardinal(21, Language::Fr, Masculine), "vingt et un");
        assert_eq!(cardinal(21, Language::Fr, Feminine), "vingt et une");
        assert_eq!(cardinal(1, Language::Fr, Feminine), "une");
        assert_eq!(cardinal(81, Language::Fr, Feminine), "quatre-vingt-une");
        assert_eq!(cardinal(80, Language::Fr, Feminine), "quatre-vingts");
        assert_eq!(cardinal(71, Language::Fr, Neuter), "soixante et onze");
        assert_eq!(cardinal(1_000_000, Language::Fr, Feminine), "un million");
    }

    #[test]
    fn spanish_cardinals() {
        let es = |n| cardinal(n, Language::Es, Neuter);
        assert_eq!(es(0), "cero");
        assert_eq!(es(21), "veintiuno");
        assert_eq!(es(16), "dieciséis");
        assert_eq!(es(22), "veintidós");
        assert_eq!(es(31), "treinta y uno");
        assert_eq!(es(90), "noventa");
        assert_eq!(es(100), "cien");
        assert_eq!(es(101), "ciento uno");
        assert_eq!(es(115), "ciento quince");
        assert_eq!(es(500), "quinientos");
        assert_eq!(es(777), "setecientos setenta y siete");
        assert_eq!(es(1000), "mil");
        assert_eq!(es(1001), "mil uno");
        assert_eq!(es(2020), "dos mil veinte");
        assert_eq!(es(12_500), "doce mil quinientos");
        assert_eq!(es(21_000), "veintiún mil");
        assert_eq!(es(100_000), "cien mil");
        assert_eq!(es(1_000_000), "un millón");
        assert_eq!(es(2_000_001), "dos millones uno");
        assert_eq!(es(21_000_000), "veintiún millones");
    }

    #[test]
    fn spanish_agrees_with_its_noun() {
        assert_eq!(cardinal(1, Language::Es, Masculine), "un");
        assert_eq!(cardinal(1, Language::Es, Feminine), "una");
        assert_eq!(cardinal(21, Language::Es, Masculine), "veintiún");
        assert_eq!(cardinal(21, Language::Es, Feminine), "veintiuna");
        assert_eq!(cardinal(31, Language::Es, Feminine), "treinta y una");
        assert_eq!(cardinal(200, Language::Es, Feminine), "doscientas");
        assert_eq!(cardinal(501, Language::Es, Feminine), "quinientas una");
        assert_eq!(cardinal(200_000, Language::Es, Feminine), "doscientas mil");
        assert_eq!(cardinal(21_000, Language::Es, Feminine), "veintiuna mil");
    }

    #[test]
    fn english_cardinals_ordinals_and_years() {
        assert_eq!(cardinal(21, Language::En, Neuter), "twenty-one");
        assert_eq!(english_ordinal(14), "fourteenth");
        assert_eq!(english_year(2020), "twenty twenty");
    }
}
