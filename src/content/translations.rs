//! Texts by language, checked once the site's languages are known: a map
//! that lacks one of them falls back to the default language's text and is
//! warned about (`missing-translation`); a text in a language the site does
//! not publish is an error. Narrative files (`<date>.md`, `<date>.en.md`)
//! become the update's narrative map here.

use super::display_path;
use super::model::{Content, Language, Region, Site, Text, TextMap, Update};
use super::yaml::Pos;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Calls `f` with the name and a mutable reference of every text of an
/// update (lists by index: `quotes.1`).
pub fn update_texts(u: &mut Update, f: &mut dyn FnMut(&str, &mut Text)) {
    fn opt(f: &mut dyn FnMut(&str, &mut Text), name: &str, t: &mut Option<Text>) {
        if let Some(t) = t {
            f(name, t)
        }
    }
    f("title", &mut u.title);
    if let Some(p) = &mut u.period {
        opt(f, "period.label", &mut p.label);
    }
    if let Some(s) = &mut u.source {
        opt(f, "source.name", &mut s.name);
        opt(f, "source.kind", &mut s.kind);
    }
    if let Some(s) = &mut u.speaker {
        f("speaker.name", &mut s.name);
        opt(f, "speaker.role", &mut s.role);
    }
    if let Some(t) = &mut u.traffic {
        opt(f, "traffic.baseline", &mut t.baseline);
        for m in &mut t.multipliers {
            f("traffic.multipliers.label", &mut m.label);
            if let Some(s) = &mut m.source {
                f("traffic.multipliers.source.name", &mut s.name);
            }
        }
    }
    for i in u.incidents.iter_mut().flatten() {
        f("incidents.kind", &mut i.kind);
        opt(f, "incidents.target", &mut i.target);
        opt(f, "incidents.response", &mut i.response);
        if let Some(s) = &mut i.source {
            f("incidents.source.name", &mut s.name);
        }
    }
    if let Some(s) = &mut u.shops {
        opt(f, "shops.booking", &mut s.booking);
    }
    for i in &mut u.indicators {
        f("indicators.label", &mut i.label);
        opt(f, "indicators.unit", &mut i.unit);
        if let Some(s) = &mut i.source {
            f("indicators.source.name", &mut s.name);
        }
    }
    opt(f, "narrative", &mut u.narrative);
    for c in &mut u.corrections {
        f("corrections.note", &mut c.note);
    }
    if let Some(t) = &mut u.telework {
        t.except.iter_mut().for_each(|t| f("telework.except", t));
        opt(f, "telework.scope", &mut t.scope);
    }
    for q in &mut u.quotes {
        f("quotes", &mut q.text);
        opt(f, "quotes.by", &mut q.by);
    }
    let lists: [(&str, &mut Vec<Text>); 2] = [
        ("field_work.priorities", &mut u.field_priorities),
        ("priority_services", &mut u.priority_services),
    ];
    for (name, list) in lists {
        for t in list {
            f(name, t);
        }
    }
}

pub fn region_texts(r: &mut Region, f: &mut dyn FnMut(&str, &mut Text)) {
    f("name", &mut r.name);
    if let Some(d) = &mut r.delegate {
        f("delegate.name", &mut d.name);
        if let Some(role) = &mut d.role {
            f("delegate.role", role);
        }
    }
    for d in &mut r.departments {
        f("departments", d);
    }
}

pub fn site_texts(s: &mut Site, f: &mut dyn FnMut(&str, &mut Text)) {
    f("title", &mut s.title);
    f("organisation", &mut s.organisation);
}

/// Checks one map against the site's languages and puts the default
/// language first.
fn check_text(
    (file, name): (&str, &str),
    text: &mut Text,
    languages: &[Language],
    diags: &mut Diagnostics,
) {
    let Text::Map(map) = text else {
        return;
    };
    let TextMap { values, pos } = map.as_mut();
    let order = |l: &Language| languages.iter().position(|x| x == l).unwrap_or(usize::MAX);
    for (lang, _) in values.iter() {
        if order(lang) == usize::MAX {
            diags.push(
                Diagnostic::error(
                    file,
                    *pos,
                    "language",
                    format!(
                        "`{name}` has a text in `{}`, a language the site does not publish",
                        lang.code()
                    ),
                )
                .with_help(format!(
                    "add {} to `languages` in site.yaml, or remove this text",
                    lang.code()
                )),
            );
        }
    }
    values.sort_by_key(|(l, _)| order(l));
    let Some((shown, _)) = values.first() else {
        return;
    };
    for lang in languages {
        if !values.iter().any(|(l, _)| l == lang) {
            diags.push(
                Diagnostic::warning(
                    file,
                    *pos,
                    "missing-translation",
                    format!(
                        "`{name}` has no `{}` text; the `{}` text is shown instead",
                        lang.code(),
                        shown.code()
                    ),
                )
                .with_help(if *pos == Pos::START {
                    let name = file.rsplit('/').next().unwrap_or(file);
                    let stem = name.trim_end_matches(".md");
                    format!(
                        "write its `{}` version beside it, in {stem}.{}.md",
                        lang.code(),
                        lang.code()
                    )
                } else {
                    format!(
                        "add `{}: …` to it, or write a plain string if the text is the same in every language",
                        lang.code()
                    )
                }),
            );
        }
    }
}

/// Folds `<date>.md` and `<date>.<code>.md` into the narrative map; a
/// file in a language the site does not publish is an error at that file.
fn narrative_from_files(
    u: &mut Update,
    languages: &[Language],
    shown: &str,
    diags: &mut Diagnostics,
) {
    if u.narrative_files.is_empty() {
        return;
    }
    let mut values: Vec<(Language, String)> = Vec::new();
    for (lang, text) in std::mem::take(&mut u.narrative_files) {
        match lang {
            None => values.push((languages[0], text)),
            // `<date>.md` is in the default language: `<date>.<default>.md`
            // beside it is a second narrative in that language.
            Some(l) if values.iter().any(|(v, _)| *v == l) => diags.push(
                Diagnostic::error(
                    &display_path(
                        shown,
                        &format!("regions/{}/{}.{}.md", u.region, u.date, l.code()),
                    ),
                    Pos::START,
                    "narrative-twice",
                    format!(
                        "this update has both {date}.md and {date}.{code}.md, and {code} is the site's default language: two narratives in one language",
                        date = u.date,
                        code = l.code()
                    ),
                )
                .with_help("keep one of the two files"),
            ),
            Some(l) if languages.contains(&l) => values.push((l, text)),
            Some(l) => diags.push(
                Diagnostic::error(
                    &display_path(
                        shown,
                        &format!("regions/{}/{}.{}.md", u.region, u.date, l.code()),
                    ),
                    Pos::START,
                    "language",
                    format!(
                        "narrative in `{}`, a language the site does not publish",
                        l.code()
                    ),
                )
                .with_help(format!(
                    "add {} to `languages` in site.yaml, or remove this file",
                    l.code()
                )),
            ),
        }
    }
    u.narrative = Some(Text::Map(Box::new(TextMap {
        values,
        pos: Pos::START,
    })));
}

/// Checks every text of the content against the site's languages.
pub fn check(content: &mut Content, shown: &str) -> Diagnostics {
    let languages = content.site.languages.clone();
    let mut diags = Diagnostics::default();
    let file = display_path(shown, "site.yaml");
    site_texts(&mut content.site, &mut |name, t| {
        check_text((&file, name), t, &languages, &mut diags)
    });
    for r in &mut content.regions {
        let file = display_path(shown, &format!("regions/{}/region.yaml", r.slug));
        region_texts(r, &mut |name, t| {
            check_text((&file, name), t, &languages, &mut diags)
        });
    }
    for u in &mut content.updates {
        narrative_from_files(u, &languages, shown, &mut diags);
        let file = display_path(shown, &format!("regions/{}/{}.yaml", u.region, u.date));
        update_texts(u, &mut |name, t| {
            // A narrative from files is located at its file.
            let f = match (name, &t) {
                ("narrative", Text::Map(m)) if m.pos == Pos::START => file.replace(".yaml", ".md"),
                _ => file.clone(),
            };
            check_text((&f, name), t, &languages, &mut diags)
        });
    }
    diags
}

/// Replaces `t` by its text in `lang`, marked when it falls back to
/// another language ([`crate::locale::mark`]).
pub fn localise_text(t: &mut Text, lang: Language) {
    let (text, from) = resolve(t, lang);
    let text = match from {
        Some(other) => crate::locale::mark(text, other),
        None => text.to_string(),
    };
    *t = Text::Plain(text);
}

/// `text` in `lang`: its own text, or the default language's when the map
/// lacks `lang` (with the language it is in).
pub fn resolve(text: &Text, lang: Language) -> (&str, Option<Language>) {
    match text {
        Text::Plain(s) => (s, None),
        Text::Map(m) => match m.values.iter().find(|(l, _)| *l == lang) {
            Some((_, s)) => (s, None),
            None => m
                .values
                .first()
                .map_or(("", None), |(l, s)| (s.as_str(), Some(*l))),
        },
    }
}
