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
    }
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
    fn english_cardinals_ordinals_and_years() {
        assert_eq!(cardinal(21, Language::En, Neuter), "twenty-one");
        assert_eq!(english_ordinal(14), "fourteenth");
        assert_eq!(english_year(2020), "twenty twenty");
    }
}
