//! A language's message catalogue: the embedded `locales/<code>.ftl`, with
//! the project's file of the same name laid over it message by message.
//! Built once per run and shared by every rendering thread.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

use crate::content::yaml::Pos;
use crate::diagnostics::{Diagnostic, Diagnostics};

pub struct Catalogue {
    bundle: FluentBundle<Arc<FluentResource>>,
    /// Every message id, embedded and overriding, sorted.
    ids: Vec<String>,
    fingerprint: u64,
    /// Where the messages come from: the embedded catalogue's origin, and
    /// the project's file (origin and text) when it has one.
    origins: (String, Option<(String, String)>),
    /// Messages formatted with something missing since the last
    /// [`Catalogue::take_problems`].
    problems: Mutex<BTreeSet<Problem>>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("messages", &self.ids.len())
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

/// Where a catalogue text comes from, for messages.
pub struct Source<'a> {
    pub text: &'a str,
    pub origin: String,
}

fn line_col(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    Pos {
        line: before.matches('\n').count() + 1,
        column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        width: 1,
    }
}

/// Parses one `.ftl` text; every syntax error is a located diagnostic.
fn parse(src: &Source) -> Result<FluentResource, Diagnostics> {
    FluentResource::try_new(src.text.to_string()).map_err(|(_, errors)| {
        let mut d = Diagnostics::default();
        for e in errors {
            // At the end of the file, point at the entry that is unfinished.
            let at = match e.slice {
                Some(slice) if e.pos.start >= src.text.trim_end().len() => slice.start,
                _ => e.pos.start,
            };
            let pos = line_col(src.text, at);
            let mut diag = Diagnostic::error(
                &src.origin,
                pos,
                "catalogue",
                format!("Fluent syntax error: {}", e.kind),
            )
            .with_help("see https://projectfluent.org/fluent/guide/ for the syntax of .ftl files");
            diag.source_line = src.text.lines().nth(pos.line - 1).map(str::to_string);
            d.push(diag);
        }
        d
    })
}

/// What a message's or term's value and attributes use: other messages
/// (`{ name }`), variables, and terms with the names of the arguments
/// they are called with (`{ -brand(case: "x") }`).
#[derive(Default)]
struct Uses {
    messages: BTreeSet<String>,
    variables: BTreeSet<String>,
    terms: Vec<(String, BTreeSet<String>)>,
}

impl Uses {
    fn of(m: &ast::Message<&str>) -> Uses {
        Uses::of_patterns(m.value.iter().chain(m.attributes.iter().map(|a| &a.value)))
    }

    fn of_term(t: &ast::Term<&str>) -> Uses {
        Uses::of_patterns(std::iter::once(&t.value).chain(t.attributes.iter().map(|a| &a.value)))
    }

    fn of_patterns<'p, 's: 'p>(patterns: impl Iterator<Item = &'p ast::Pattern<&'s str>>) -> Uses {
        let mut uses = Uses::default();
        for p in patterns {
            uses.pattern(p);
        }
        uses
    }

    fn pattern(&mut self, p: &ast::Pattern<&str>) {
        for element in &p.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, e: &ast::Expression<&str>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                self.inline(selector);
                for v in variants {
                    self.pattern(&v.value);
                }
            }
            ast::Expression::Inline(i) => self.inline(i),
        }
    }

    fn inline(&mut self, i: &ast::InlineExpression<&str>) {
        let arguments = match i {
            ast::InlineExpression::MessageReference { id, .. } => {
                self.messages.insert(id.name.to_string());
                return;
            }
            ast::InlineExpression::VariableReference { id } => {
                self.variables.insert(id.name.to_string());
                return;
            }
            ast::InlineExpression::Placeable { expression } => {
                return self.expression(expression);
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => arguments,
            ast::InlineExpression::TermReference { id, arguments, .. } => {
                let named = arguments.iter().flat_map(|a| &a.named);
                let names = named.map(|n| n.name.name.to_string()).collect();
                self.terms.push((id.name.to_string(), names));
                match arguments {
                    Some(arguments) => arguments,
                    None => return,
                }
            }
            _ => return,
        };
        let named = arguments.named.iter().map(|n| &n.value);
        for arg in arguments.positional.iter().chain(named) {
            self.inline(arg);
        }
    }
}

/// A message that could not be formatted whole: what went wrong, where
/// to point in the project's file (`$telework`, `LEAD`), and the
/// variables it was given.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Problem {
    id: String,
    what: String,
    needle: Option<String>,
    given: Vec<String>,
}

impl Problem {
    fn of(id: &str, error: &FluentError, given: Vec<String>) -> Problem {
        use fluent_bundle::resolver::errors::{ReferenceKind, ResolverError};
        let not_given = |name: String| {
            (
                format!("uses `{name}`, which relance does not give it"),
                Some(name),
            )
        };
        let (what, needle) = match error {
            FluentError::ResolverError(ResolverError::Reference(kind)) => match kind {
                ReferenceKind::Variable { id } => not_given(format!("${id}")),
                ReferenceKind::Message { id, .. } => (
                    format!("refers to message `{id}`, which does not exist"),
                    Some(id.clone()),
                ),
                ReferenceKind::Term { id, .. } => (
                    format!("refers to term `-{id}`, which does not exist"),
                    Some(format!("-{id}")),
                ),
                ReferenceKind::Function { id } => (
                    format!("calls `{id}`, a function relance does not have"),
                    Some(id.clone()),
                ),
            },
            FluentError::ResolverError(ResolverError::Cyclic) => (
                "reaches messages that refer to each other in a cycle".to_string(),
                None,
            ),
            other => (other.to_string(), None),
        };
        Problem {
            id: id.to_string(),
            what,
            needle,
            given,
        }
    }
}

thread_local! {
    /// The relance function (`LEAD`, `PREP`…) that failed on this thread
    /// while a message was formatted: Fluent then writes `LEAD()` in the
    /// text and reports nothing.
    static FAILED_FUNCTION: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// `function`, registered as `name`, noting on this thread when it fails
/// (arguments it cannot use).
fn noting<F>(
    name: &'static str,
    function: F,
) -> impl for<'a> Fn(&[FluentValue<'a>], &FluentArgs) -> FluentValue<'a> + Send + Sync + 'static
where
    F: for<'a> Fn(&[FluentValue<'a>], &FluentArgs) -> FluentValue<'a> + Send + Sync + 'static,
{
    move |pos, named| {
        let value = function(pos, named);
        if matches!(value, FluentValue::Error) {
            FAILED_FUNCTION.set(Some(name));
        }
        value
    }
}

/// Terms of `over` called without an argument they use: Fluent prints
/// such a variable as `{$percent}` and reports nothing (a term's `$name`s
/// are only its call's arguments, literals, never the message's).
fn term_problems(src: &Source, over: &FluentResource) -> Diagnostics {
    let mut term_vars = std::collections::BTreeMap::new();
    let mut calls = Vec::new();
    for e in over.entries() {
        match e {
            ast::Entry::Message(m) => calls.extend(Uses::of(m).terms),
            ast::Entry::Term(t) => {
                let uses = Uses::of_term(t);
                calls.extend(uses.terms);
                term_vars.insert(t.id.name.to_string(), uses.variables);
            }
            _ => {}
        }
    }
    let mut d = Diagnostics::default();
    let mut reported = BTreeSet::new();
    for (term, passed) in calls {
        let Some(vars) = term_vars.get(&term) else {
            continue;
        };
        for var in vars.difference(&passed) {
            if !reported.insert((term.clone(), var.clone())) {
                continue;
            }
            let start = message_start(src.text, &format!("-{term}")).unwrap_or(0);
            let at = find_name(&src.text[start..], &format!("${var}")).map_or(start, |i| start + i);
            let pos = line_col(src.text, at);
            let mut diag = Diagnostic::error(
                &src.origin,
                pos,
                "catalogue",
                format!("term `-{term}` uses `${var}`, which its call does not give it"),
            )
            .with_help(format!(
                "a term sees only its call's arguments, which are literals (`{{ -{term}({var}: \"…\") }}`): write `${var}` in the messages themselves"
            ));
            diag.source_line = src.text.lines().nth(pos.line - 1).map(str::to_string);
            d.push(diag);
        }
    }
    d
}

fn message_ids(r: &FluentResource) -> Vec<String> {
    r.entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// `LOWER_FIRST($text)`: the text inside a sentence ("voix sur mobile"),
/// acronyms, brands ("WhatsApp") and texts starting with one of `names`
/// ("État") kept as written.
fn lower_first(
    names: Arc<[String]>,
) -> impl for<'a> Fn(&[FluentValue<'a>], &FluentArgs) -> FluentValue<'a> + Send + Sync + 'static {
    move |pos, _| match pos.first() {
        Some(FluentValue::String(s)) => {
            FluentValue::String(super::lowercase_first_keeping(s, &names).into())
        }
        Some(other) => other.clone(),
        None => FluentValue::Error,
    }
}

/// Prepositions that merge with the article a text starts with: French
/// "à le" is "au", Spanish "a el" is "al". (Preposition, article,
/// contraction.) No pair exists in two languages with two meanings.
const CONTRACTIONS: &[(&str, &str, &str)] = &[
    ("à", "le", "au"),
    ("à", "les", "aux"),
    ("de", "le", "du"),
    ("de", "les", "des"),
    ("a", "el", "al"),
    ("de", "el", "del"),
];

/// `PREP("à", $text)`: the preposition before a text that may start with
/// an article ("le début du confinement" → "au début du confinement"),
/// keeping the preposition's capital ("À" → "Au").
fn prep<'a>(pos: &[FluentValue<'a>], _: &FluentArgs) -> FluentValue<'a> {
    match pos {
        [FluentValue::String(p), FluentValue::String(text)] => {
            FluentValue::String(with_preposition(p, text).into())
        }
        _ => FluentValue::Error,
    }
}

/// See [`prep`]. A text marked as another language's (a fallback) is
/// left as it is.
pub fn with_preposition(prep: &str, text: &str) -> String {
    let lower = prep.to_lowercase();
    let (mark, _) = super::split_mark(text);
    let (article, rest) = match text.split_once(' ') {
        Some(split) if mark.is_empty() => split,
        _ => ("", ""),
    };
    let found = CONTRACTIONS
        .iter()
        .find(|(p, a, _)| *p == lower && article.to_lowercase() == *a && !rest.is_empty());
    match found {
        Some((_, _, merged)) if prep.starts_with(char::is_uppercase) => {
            format!("{} {rest}", super::capitalise(merged))
        }
        Some((_, _, merged)) => format!("{merged} {rest}"),
        None => format!("{prep} {text}"),
    }
}

/// Words that already determine a noun (articles, possessives,
/// demonstratives) in the catalogues' languages: a text starting with one
/// takes no article of the catalogue's.
const DETERMINERS: &[&str] = &[
    "le", "la", "les", "l'", "l’", "un", "une", "des", "du", "ses", "leurs", "nos", "vos", "ces",
    "ce", "cet", "cette", "tous", "toutes", "the", "a", "an", "our", "their", "its", "all", "el",
    "los", "las", "unos", "unas", "sus", "nuestros", "nuestras", "todos", "todas",
];

/// `LEAD("les", $text)`: the word before a text, unless the text already
/// starts with it ("Trafic voix" after "trafic") or, for an article, with
/// a determiner of its own ("les techniciens", "nos équipes"): never
/// "sauf les les techniciens" nor "le trafic trafic voix".
fn lead<'a>(pos: &[FluentValue<'a>], _: &FluentArgs) -> FluentValue<'a> {
    match pos {
        [FluentValue::String(word), FluentValue::String(text)] => {
            FluentValue::String(with_lead(word, text).into())
        }
        _ => FluentValue::Error,
    }
}

/// See [`lead`].
pub fn with_lead(word: &str, text: &str) -> String {
    let (_, plain) = super::split_mark(text);
    let first = plain.split_whitespace().next().unwrap_or("").to_lowercase();
    let elided = ["l'", "l’"].iter().any(|e| first.starts_with(e));
    let word_lower = word.to_lowercase();
    // "tráfico de" before "Tráfico de voz": its first word decides.
    let word_first = word_lower.split_whitespace().next().unwrap_or("");
    let is_determiner = |w: &str| DETERMINERS.contains(&w);
    let has_own =
        first == word_first || (is_determiner(&word_lower) && (is_determiner(&first) || elided));
    if has_own {
        text.to_string()
    } else {
        format!("{word} {text}")
    }
}

/// `TRAIL($text, "traffic")`: the text followed by a word, unless it
/// already ends with it: "Voice traffic", never "Voice traffic traffic".
fn trail<'a>(pos: &[FluentValue<'a>], _: &FluentArgs) -> FluentValue<'a> {
    match pos {
        [FluentValue::String(text), FluentValue::String(word)] => {
            FluentValue::String(with_trail(text, word).into())
        }
        _ => FluentValue::Error,
    }
}

/// See [`trail`].
pub fn with_trail(text: &str, word: &str) -> String {
    let (_, plain) = super::split_mark(text);
    let last = plain.split_whitespace().last().unwrap_or("");
    if last.to_lowercase() == word.to_lowercase() {
        text.to_string()
    } else {
        format!("{text} {word}")
    }
}

impl Catalogue {
    /// The catalogue of `code` from the embedded text and, when the project
    /// has one, its overriding file. Overriding messages that the embedded
    /// catalogue does not know are warned about (a typo in an id).
    pub fn load(
        code: &str,
        embedded: &Source,
        project: Option<&Source>,
        names: Arc<[String]>,
    ) -> Result<(Catalogue, Diagnostics), Diagnostics> {
        let base = Arc::new(parse(embedded)?);
        let mut ids = message_ids(&base);
        let langid: LanguageIdentifier = code.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        bundle.set_use_isolating(false);
        let mut fp = crate::fingerprint(names.join("\n").as_bytes());
        let _ = bundle.add_function("LOWER_FIRST", noting("LOWER_FIRST", lower_first(names)));
        let _ = bundle.add_function("PREP", noting("PREP", prep));
        let _ = bundle.add_function("LEAD", noting("LEAD", lead));
        let _ = bundle.add_function("TRAIL", noting("TRAIL", trail));
        // The embedded catalogue never holds a message twice (tested).
        let _ = bundle.add_resource(base);
        let mut warnings = Diagnostics::default();
        fp = fp.rotate_left(1) ^ crate::fingerprint(embedded.text.as_bytes());
        if let Some(p) = project {
            let over = Arc::new(parse(p)?);
            let terms = term_problems(p, &over);
            if terms.errors() > 0 {
                return Err(terms);
            }
            // A message of the project's own, referred to by another.
            let referred: BTreeSet<String> = over
                .entries()
                .filter_map(|e| match e {
                    ast::Entry::Message(m) => Some(Uses::of(m).messages),
                    _ => None,
                })
                .flatten()
                .collect();
            for id in message_ids(&over) {
                if !ids.contains(&id) && !referred.contains(&id) {
                    warnings.push(unknown_message(p, &id));
                    ids.push(id);
                }
            }
            bundle.add_resource_overriding(over);
            fp = fp.rotate_left(1) ^ crate::fingerprint(p.text.as_bytes());
        }
        ids.sort();
        ids.dedup();
        Ok((
            Catalogue {
                bundle,
                ids,
                fingerprint: fp,
                origins: (
                    embedded.origin.clone(),
                    project.map(|p| (p.origin.clone(), p.text.to_string())),
                ),
                problems: Mutex::default(),
            },
            warnings,
        ))
    }

    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }

    /// The message `id` formatted with `args`. A missing message gives its
    /// id, so a broken override shows where it is broken instead of failing.
    pub fn format(&self, id: &str, args: &[(&str, FluentValue)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            self.note(Problem {
                id: id.to_string(),
                what: "has no text of its own (only attributes, or none)".to_string(),
                needle: None,
                given: Vec::new(),
            });
            return id.to_string();
        };
        let mut fa = FluentArgs::with_capacity(args.len());
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        FAILED_FUNCTION.set(None);
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fa), &mut errors)
            .into_owned();
        let failed = FAILED_FUNCTION.take();
        if !errors.is_empty() || failed.is_some() {
            let given: Vec<String> = args.iter().map(|(k, _)| format!("${k}")).collect();
            for e in &errors {
                self.note(Problem::of(id, e, given.clone()));
            }
            if let Some(name) = failed {
                self.note(Problem {
                    id: id.to_string(),
                    what: format!("calls `{name}` with arguments it cannot use"),
                    needle: Some(name.to_string()),
                    given,
                });
            }
        }
        text
    }

    fn note(&self, problem: Problem) {
        let mut problems = self.problems.lock().unwrap_or_else(|p| p.into_inner());
        problems.insert(problem);
    }

    /// Every message formatted with something missing (a variable relance
    /// does not give it, a message that does not exist) since the last
    /// call, as located errors: such a text would be published with
    /// `{$name}` in it.
    pub fn take_problems(&self) -> Diagnostics {
        let problems =
            std::mem::take(&mut *self.problems.lock().unwrap_or_else(|p| p.into_inner()));
        let mut d = Diagnostics::default();
        for p in problems {
            d.push(self.problem_diagnostic(&p));
        }
        d
    }

    fn problem_diagnostic(&self, p: &Problem) -> Diagnostic {
        let (embedded, project) = &self.origins;
        let mut given = p.given.clone();
        given.sort();
        let help = match given.is_empty() {
            true => "relance gives this message no variable: write its text in full".to_string(),
            false => format!(
                "relance gives this message {}",
                given
                    .iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let message = format!("message `{}` {}", p.id, p.what);
        // The embedded catalogues format whole (tested): with a project's
        // file, what broke is in it, even when the message is embedded
        // (one of its messages in a cycle, say).
        let Some((origin, text)) = project else {
            return Diagnostic::error(embedded, Pos::START, "catalogue", message).with_help(help);
        };
        let start = message_start(text, &p.id);
        let found = |from: usize| {
            let needle = p.needle.as_deref()?;
            find_name(&text[from..], needle).map(|i| from + i)
        };
        let at = start
            .and_then(found)
            .or_else(|| found(0))
            .or(start)
            .unwrap_or(0);
        let pos = line_col(text, at);
        let mut diag = Diagnostic::error(origin, pos, "catalogue", message).with_help(help);
        diag.source_line = text.lines().nth(pos.line - 1).map(str::to_string);
        diag
    }
}

/// Where message `id` starts in a catalogue's text (its first line),
/// whatever its line ends.
fn message_start(text: &str, id: &str) -> Option<usize> {
    text.split_inclusive('\n')
        .scan(0usize, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
        .find(|(_, l)| l.split('=').next().map(str::trim) == Some(id))
        .map(|(start, _)| start)
}

/// Where `name` (`$count`, a message id) first stands whole in `text`:
/// never inside a longer name (`$count` is not in `$counts`).
fn find_name(text: &str, name: &str) -> Option<usize> {
    let part_of_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(name).map(|(i, _)| i).find(|&i| {
        let line = &text[text[..i].rfind('\n').map_or(0, |n| n + 1)..i];
        if line.trim_start().starts_with('#') {
            return false; // a comment
        }
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !after.is_some_and(part_of_name)
            && (name.starts_with('$') || !before.is_some_and(|c| part_of_name(c) || c == '$'))
    })
}

fn unknown_message(src: &Source, id: &str) -> Diagnostic {
    let offset = message_start(src.text, id).unwrap_or(0);
    Diagnostic::warning(
        &src.origin,
        line_col(src.text, offset),
        "unknown-message",
        format!("message `{id}` is not one relance writes; it is never used"),
    )
    .with_help("check its name against the embedded catalogue (README, \"Languages\")")
}

#[cfg(test)]
mod preposition_tests {
    use super::with_preposition;

    #[test]
    fn prepositions_merge_with_articles() {
        for (prep, text, said) in [
            ("à", "le début du confinement", "au début du confinement"),
            ("À", "Le début du confinement", "Au début du confinement"),
            ("à", "les fêtes", "aux fêtes"),
            ("de", "le mois", "du mois"),
            ("à", "la fin", "à la fin"),
            ("à", "l'origine", "à l'origine"),
            ("à", "avant le confinement", "à avant le confinement"),
            ("à", "lesbos", "à lesbos"),
            ("à", "le", "à le"),
            ("a", "el inicio", "al inicio"),
            ("a", "la semana", "a la semana"),
            ("de", "el mes", "del mes"),
        ] {
            assert_eq!(with_preposition(prep, text), said, "{prep} + {text}");
        }
    }
}

#[cfg(test)]
mod lead_tests {
    use super::with_lead;

    #[test]
    fn a_lead_word_is_never_said_twice() {
        for (word, text, said) in [
            ("les", "techniciens", "les techniciens"),
            (
                "les",
                "les techniciens d'intervention",
                "les techniciens d'intervention",
            ),
            ("les", "Les techniciens", "Les techniciens"),
            ("les", "nos équipes", "nos équipes"),
            ("les", "l'équipe technique", "l'équipe technique"),
            ("trafic", "trafic voix", "trafic voix"),
            ("trafic", "voix sur mobile", "trafic voix sur mobile"),
            ("trafic", "la voix", "trafic la voix"),
            ("los", "técnicos", "los técnicos"),
            ("tráfico de", "voz", "tráfico de voz"),
            ("tráfico de", "tráfico de voz", "tráfico de voz"),
            ("los", "los técnicos de campo", "los técnicos de campo"),
        ] {
            assert_eq!(with_lead(word, text), said, "{word} + {text}");
        }
    }
}
