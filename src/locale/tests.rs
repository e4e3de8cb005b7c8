use super::*;
use Language::{En, Fr};

fn loc(lang: Language) -> Locale {
    Locale::embedded(lang)
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn every_embedded_catalogue_parses_and_has_every_message() {
    let reference: Vec<String> = loc(Fr).catalogue.ids().map(String::from).collect();
    for (lang, _) in EMBEDDED {
        let l = loc(*lang);
        let ids: Vec<String> = l.catalogue.ids().map(String::from).collect();
        assert_eq!(ids, reference, "{} lacks or adds messages", lang.code());
        for id in &ids {
            assert!(!l.t(id, &[]).is_empty(), "{}: {id} is empty", lang.code());
        }
    }
}

#[test]
fn design_table() {
    let (fr, en) = (loc(Fr), loc(En));
    assert_eq!(fr.percent(90.0), "90\u{202F}%");
    assert_eq!(en.percent(90.0), "90%");
    assert_eq!(fr.multiplier(3.0), "×3");
    assert_eq!(fr.multiplier(2.5), "×2,5");
    assert_eq!(en.multiplier(3.0), "3×");
    assert_eq!(en.multiplier(2.5), "2.5×");
    assert_eq!(fr.number(85.5), "85,5");
    assert_eq!(en.number(85.5), "85.5");
    assert_eq!(fr.date(d("2020-05-14")), "14 mai 2020");
    assert_eq!(en.date(d("2020-05-14")), "14 May 2020");
    assert_eq!(fr.date(d("2020-05-01")), "1er mai 2020");
    assert_eq!(fr.short_date(d("2020-05-01"), false), "1er mai");
}

#[test]
fn grouping_signs_and_points() {
    let (fr, en) = (loc(Fr), loc(En));
    assert_eq!(fr.number(12345.0), "12\u{202F}345");
    assert_eq!(
        fr.number(1500.0),
        "1\u{202F}500",
        "French groups from 4 digits (CLDR)"
    );
    assert_eq!(en.number(1500.0), "1,500");
    assert_eq!(en.number(-30.0), "\u{2212}30");
    assert_eq!(fr.points(-30.0), "\u{2212}30 points");
    assert_eq!(en.points(5.0), "+5 points");
    assert_eq!(en.points(-1.0), "\u{2212}1 point");
    assert_eq!(fr.points(0.0), "0 points");
    assert_eq!(en.number(0.004), "0");
    assert_eq!(fr.signed_percent(35.0), "+35\u{202F}%");
}

#[test]
fn spoken_numbers() {
    let (fr, en) = (loc(Fr), loc(En));
    let n = Gender::Neuter;
    assert_eq!(fr.spoken_number(90.0, n), "quatre-vingt-dix");
    assert_eq!(fr.spoken_number(21.0, n), "vingt et un");
    assert_eq!(fr.spoken_number(2.5, n), "deux virgule cinq");
    assert_eq!(fr.spoken_number(2.05, n), "deux virgule zéro cinq");
    assert_eq!(fr.spoken_number(-30.0, n), "moins trente");
    assert_eq!(fr.spoken_percent(80.0), "quatre-vingts pour cent");
    assert_eq!(en.spoken_number(90.0, n), "ninety");
    assert_eq!(en.spoken_number(2.5, n), "two point five");
    assert_eq!(en.spoken_number(2.25, n), "two point two five");
    assert_eq!(en.spoken_number(21.0, n), "twenty-one");
    assert_eq!(en.spoken_percent(57.0), "fifty-seven percent");
    assert_eq!(
        fr.spoken_date(d("2020-05-11"), true),
        "onze mai deux mille vingt"
    );
    assert_eq!(fr.spoken_date(d("2020-05-01"), false), "premier mai");
    assert_eq!(
        en.spoken_date(d("2020-05-11"), true),
        "May eleventh, twenty twenty"
    );
}

#[test]
fn lists_and_text_helpers() {
    let items: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    assert_eq!(loc(Fr).list(&items), "a, b et c");
    assert_eq!(loc(En).list(&items[..2]), "a and b");
    assert_eq!(
        lowercase_first_keeping("Voix sur mobile", &[]),
        "voix sur mobile"
    );
    assert_eq!(lowercase_first_keeping("WhatsApp", &[]), "WhatsApp");
    assert_eq!(lowercase_first_keeping("4G network", &[]), "4G network");
    assert_eq!(capitalise("éte"), "Éte");
}

#[test]
fn marks_wrap_fallback_texts_and_strip_cleanly() {
    let m = mark("Voix sur mobile", Fr);
    assert_eq!(strip_marks(&m), "Voix sur mobile");
    assert_eq!(
        strip_marks(&lowercase_first_keeping(&m, &[])),
        "voix sur mobile"
    );
    assert_eq!(strip_marks(&capitalise(&mark("été", Fr))), "Été");
    assert_eq!(strip_marks(&format!("a {m} b")), "a Voix sur mobile b");
}

#[test]
fn labels_for_templates() {
    let t = loc(Fr).labels();
    assert_eq!(t["lang"], "fr");
    assert_eq!(t["key_figures"], "Chiffres clés");
    assert_eq!(t["colon"], "\u{a0}:");
    assert_eq!(loc(En).labels()["colon"], ":");
}

#[test]
fn a_project_catalogue_overrides_message_by_message() {
    let src = Source {
        text: "ui-overview = Accueil\nui-overveiw = typo\n",
        origin: "locales/fr.ftl".into(),
    };
    let (l, warnings) = Locale::load(Fr, Some(&src), &[]).unwrap();
    assert_eq!(l.t("ui-overview", &[]), "Accueil");
    assert_eq!(l.t("ui-history", &[]), "Historique");
    assert_eq!(warnings.items.len(), 1);
    assert_eq!(warnings.items[0].line, 2);
    let bad = Source {
        text: "ui-overview = Accueil\nbroken = {\n",
        origin: "locales/fr.ftl".into(),
    };
    let errors = Locale::load(Fr, Some(&bad), &[]).unwrap_err();
    assert_eq!(errors.items[0].line, 2, "{errors:?}");
}

#[test]
fn spanish_formats_as_the_design_says() {
    let es = loc(Language::Es);
    assert_eq!(es.percent(90.0), "90\u{A0}%");
    assert_eq!(es.multiplier(3.0), "×3");
    assert_eq!(es.multiplier(2.5), "×2,5");
    assert_eq!(es.number(2.5), "2,5");
    assert_eq!(es.number(12500.0), "12.500");
    assert_eq!(es.number(2020.0), "2020");
    assert_eq!(es.number(-30.0), "\u{2212}30");
    assert_eq!(es.date(d("2020-05-14")), "14 de mayo de 2020");
    assert_eq!(es.date(d("2020-05-01")), "1 de mayo de 2020");
    assert_eq!(es.short_date(d("2020-05-14"), false), "14 de mayo");
    assert_eq!(es.points(-1.0), "\u{2212}1 punto");
    assert_eq!(es.points(30.0), "+30 puntos");
    let items: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    assert_eq!(es.list(&items), "a, b y c");
    // "y" becomes "e" before an /i/ sound, not before a diphthong.
    let pair = |a: &str, b: &str| es.list(&[a.to_string(), b.to_string()]);
    assert_eq!(pair("Francia", "Italia"), "Francia e Italia");
    assert_eq!(pair("voz", "Internet"), "voz e Internet");
    assert_eq!(pair("padres", "hijos"), "padres e hijos");
    assert_eq!(pair("agua", "hielo"), "agua y hielo");
    assert_eq!(pair("voz", "datos"), "voz y datos");
    // Other languages ignore the sound.
    assert_eq!(
        loc(Fr).list(&["voix".into(), "Internet".into()]),
        "voix et Internet"
    );
}

#[test]
fn spanish_numbers_are_spoken() {
    let es = loc(Language::Es);
    let n = Gender::Neuter;
    assert_eq!(es.spoken_percent(90.0), "noventa por ciento");
    assert_eq!(es.spoken_number(3.0, n), "tres");
    assert_eq!(es.spoken_number(21.0, n), "veintiuno");
    assert_eq!(es.spoken_number(2.5, n), "dos coma cinco");
    assert_eq!(es.spoken_number(2.05, n), "dos coma cero cinco");
    assert_eq!(es.spoken_number(-30.0, n), "menos treinta");
    assert_eq!(es.spoken_number(21.0, Gender::Feminine), "veintiuna");
    assert_eq!(
        es.spoken_date(d("2020-05-14"), true),
        "catorce de mayo de dos mil veinte"
    );
    assert_eq!(es.spoken_date(d("2020-05-01"), false), "primero de mayo");
}

#[test]
fn typed_figures_are_held_together() {
    let nb = '\u{202F}';
    assert_eq!(
        bind_figures("Télétravail : 90 % des salariés"),
        format!("Télétravail : 90{nb}% des salariés")
    );
    assert_eq!(bind_figures("1 800 salariés"), format!("1{nb}800 salariés"));
    assert_eq!(bind_figures("12 500 appels"), format!("12{nb}500 appels"));
    // Not a grouped number, not a unit: left as written.
    assert_eq!(bind_figures("le 12 mai"), "le 12 mai");
    assert_eq!(bind_figures("2 1000"), "2 1000");
    assert_eq!(bind_figures("pour 100 personnes"), "pour 100 personnes");
    assert!(matches!(
        bind_figures("no figure"),
        std::borrow::Cow::Borrowed(_)
    ));
    assert!(!is_breakable_space(nb) && !is_breakable_space('\u{A0}'));
    assert!(is_breakable_space(' ') && is_breakable_space('\n'));
}

/// A range of factors said in Spanish agrees with "veces" (feminine);
/// one factor is said as a number ("por veintiuno").
#[test]
fn spanish_factor_ranges_agree_with_veces() {
    use crate::content::model::{Figure, Text, TrafficMultiplier};
    let es = loc(Language::Es);
    let item = |factor| TrafficMultiplier {
        label: Text::plain("datos"),
        factor,
        change_percent: None,
        approx: false,
        source: None,
    };
    let said = |m: &TrafficMultiplier| es.t("brief-traffic", &es.change_args(m, true));
    let range = said(&item(Figure::Range {
        min: 21.0,
        max: 31.0,
    }));
    assert!(
        range.contains("se ha multiplicado entre veintiuna y treinta y una veces"),
        "{range}"
    );
    let one = said(&item(Figure::One(21.0)));
    assert!(one.contains("se ha multiplicado por veintiuno"), "{one}");
}

/// A range reads with both bounds in every language, held together by
/// no-break spaces.
#[test]
fn ranges_are_written_with_both_bounds() {
    use crate::content::model::Figure;
    let r = Figure::Range {
        min: 35.0,
        max: 60.0,
    };
    assert_eq!(loc(Fr).figure_percent(r), "35\u{a0}à\u{a0}60\u{202f}%");
    assert_eq!(loc(En).figure_percent(r), "35\u{a0}to\u{a0}60%");
    assert_eq!(loc(Language::Es).figure_number(r), "35\u{a0}a\u{a0}60");
    assert_eq!(
        loc(Fr).figure_number(Figure::One(1e308)),
        loc(Fr).number(1e15)
    );
}
