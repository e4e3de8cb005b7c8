//! Turns positioned YAML trees into the typed model, collecting every problem.
//!
//! Each reader returns `Option`: `None` means "reported, carry on". Nothing
//! here stops at the first problem, so one run reports all of a file's faults.

use super::format::{self, Rule};
use super::model::*;
use super::yaml::{Node, NodeKind, Pos};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

/// Validation context for one file.
pub struct FileCheck<'d> {
    pub file: String,
    pub diags: &'d mut Diagnostics,
}

/// A mapping's entries, looked up by key, with unknown keys already reported.
pub struct Fields<'n> {
    entries: Vec<(String, &'n Node)>,
    pub pos: Pos,
}

impl<'n> Fields<'n> {
    /// The value of `key`, unless absent or null.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_null())
    }
}

impl<'d> FileCheck<'d> {
    pub fn new(file: String, diags: &'d mut Diagnostics) -> Self {
        FileCheck { file, diags }
    }

    pub fn error(&mut self, pos: Pos, code: &'static str, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(&self.file, pos, code, message));
    }

    pub fn error_help(
        &mut self,
        pos: Pos,
        code: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::error(&self.file, pos, code, message).with_help(help));
    }

    pub fn warning(&mut self, pos: Pos, code: &'static str, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(&self.file, pos, code, message));
    }

    /// Reads a mapping whose keys must be among `known`. `path` names it in
    /// messages (`""` for the top level).
    pub fn fields<'n>(&mut self, node: &'n Node, path: &str, known: &[&str]) -> Option<Fields<'n>> {
        let NodeKind::Map(entries) = &node.kind else {
            let what = if path.is_empty() { "the file" } else { path };
            self.error(
                node.pos,
                "type",
                format!(
                    "{what} must be a mapping of keys to values, found {}",
                    node.describe()
                ),
            );
            return None;
        };
        let mut out: Vec<(String, &'n Node)> = Vec::new();
        for (key, value) in entries {
            let name = match &key.kind {
                NodeKind::Scalar { value, .. } => value.clone(),
                _ => {
                    self.error(key.pos, "type", "a key must be plain text");
                    continue;
                }
            };
            let full = join(path, &name);
            if out.iter().any(|(k, _)| *k == name) {
                self.error(
                    key.pos,
                    "duplicate-key",
                    format!("key `{full}` is given twice"),
                );
                continue;
            }
            if !known.contains(&name.as_str()) {
                let message = match did_you_mean(&name, known.iter().copied()) {
                    Some(s) => format!("unknown key `{full}`; did you mean `{}`?", join(path, s)),
                    None => format!("unknown key `{full}`"),
                };
                let help = format!(
                    "keys allowed {}: {}",
                    if path.is_empty() {
                        "here".to_string()
                    } else {
                        format!("in `{path}`")
                    },
                    known.join(", ")
                );
                self.error_help(key.pos, "unknown-key", message, help);
                continue;
            }
            out.push((name, value));
        }
        Some(Fields {
            entries: out,
            pos: node.pos,
        })
    }

    /// Reads the mapping at `path` of a file whose format is `root`
    /// ([`format`]): its keys and required keys come from the table.
    pub fn mapping<'n>(
        &mut self,
        node: &'n Node,
        root: &'static [Rule],
        path: &str,
    ) -> Option<Fields<'n>> {
        let rules = format::map_at(root, path);
        let f = self.fields(node, path, &format::keys(rules))?;
        for rule in rules.iter().filter(|r| r.required) {
            if f.get(rule.key).is_none() {
                self.missing(&f, path, rule.key);
            }
        }
        if let Some(keys) = format::exactly_one(rules) {
            self.exactly_one(&f, path, keys);
        }
        Some(f)
    }

    /// Reports a mapping holding none, or more than one, of `keys`.
    fn exactly_one(&mut self, f: &Fields, path: &str, keys: &[&str]) {
        let given: Vec<&Node> = keys.iter().filter_map(|k| f.get(k)).collect();
        let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        let names = quoted.join(" or ");
        match given.as_slice() {
            [] => self.error_help(
                f.pos,
                "missing-key",
                format!("{path} needs {names}"),
                format!("give exactly one of {names}"),
            ),
            [_] => {}
            [_, second, ..] => self.error_help(
                second.pos,
                "exclusive",
                format!("{path} gives both {}", quoted.join(" and ")),
                format!("keep exactly one of {names}"),
            ),
        }
    }

    /// A number of an update, within the bounds the format gives it
    /// (`path.key`), or reported with the key's meaning as help.
    pub fn update_number(&mut self, fields: &Fields, path: &str, key: &str) -> Option<f64> {
        let (b, meaning) = format::update_bounds(&join(path, key));
        match (b.min, b.above) {
            (Some(min), false) => self.bounded(fields, path, key, min, b.max, meaning),
            _ => self.optional_number(fields, path, key).map(|x| x.0),
        }
    }

    /// Reports a required key that is absent — or present with no value,
    /// which is then pointed at.
    pub fn missing(&mut self, fields: &Fields, path: &str, key: &str) {
        match fields.entries.iter().find(|(k, _)| k == key) {
            Some((_, node)) => self.error_help(
                node.pos,
                "empty",
                format!("`{}` has no value", join(path, key)),
                "write the value after the colon, on the same line",
            ),
            None => self.error(
                fields.pos,
                "missing-key",
                format!("missing required key `{}`", join(path, key)),
            ),
        }
    }

    /// A text value: a plain string, the same in every language, or a map
    /// by language (`{fr: …, en: …}`). Plain numbers and booleans are taken
    /// as text.
    pub fn text(&mut self, node: &Node, path: &str) -> Option<Text> {
        let NodeKind::Map(entries) = &node.kind else {
            return self.string(node, path).map(Text::Plain);
        };
        if entries.is_empty() {
            self.error_help(
                node.pos,
                "empty",
                format!("`{path}` must not be empty"),
                "write the text, or one text per language: `{fr: …, en: …}`",
            );
            return None;
        }
        let mut values: Vec<(Language, String)> = Vec::new();
        let mut ok = true;
        for (key, value) in entries {
            let code = match &key.kind {
                NodeKind::Scalar { value, .. } => value.trim().to_string(),
                _ => String::new(),
            };
            let Some(lang) = Language::from_code(&code) else {
                self.error_help(
                    key.pos,
                    "language",
                    format!(
                        "`{path}` has a text in `{code}`, which is not a language relance writes"
                    ),
                    "a text is a plain string, or a map from language codes (fr, en, es) to texts",
                );
                ok = false;
                continue;
            };
            if values.iter().any(|(l, _)| *l == lang) {
                self.error(
                    key.pos,
                    "duplicate-key",
                    format!("`{path}` gives `{code}` twice"),
                );
                ok = false;
                continue;
            }
            match self.string(value, &format!("{path}.{code}")) {
                Some(t) => values.push((lang, t)),
                None => ok = false,
            }
        }
        ok.then(|| {
            Text::Map(Box::new(TextMap {
                values,
                pos: node.pos,
            }))
        })
    }

    /// A non-empty string (one language, or none: dates, addresses, codes).
    pub fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar { value, .. } => {
                let t = value.trim();
                if t.is_empty() {
                    self.error(node.pos, "empty", format!("`{path}` must not be empty"));
                    None
                } else if t
                    .chars()
                    .all(|c| c.is_whitespace() || is_format(c) || is_mark(c))
                {
                    // Zero-width spaces and joiners, direction marks, accents
                    // with no letter: a card or a page would show nothing.
                    self.error_help(
                        node.pos,
                        "empty",
                        format!("`{path}` holds no visible character"),
                        "write the text (what is there is invisible in most editors)",
                    );
                    None
                } else if let Some((c, what)) = t.chars().find_map(|c| refused(c).map(|w| (c, w))) {
                    // Control characters and noncharacters are invalid in
                    // XML (SVG, feeds) and invisible on a page: almost
                    // always a paste accident.
                    self.error_help(
                        node.pos,
                        "control-character",
                        format!("`{path}` contains {what} U+{:04X}", c as u32),
                        "delete it (it is invisible in most editors; retype the text around it)",
                    );
                    None
                } else {
                    Some(t.to_string())
                }
            }
            _ => {
                self.error(
                    node.pos,
                    "type",
                    format!("`{path}` must be text, found {}", node.describe()),
                );
                None
            }
        }
    }

    pub fn required_text(&mut self, fields: &Fields, path: &str, key: &str) -> Option<Text> {
        match fields.get(key) {
            Some(n) => self.text(n, &join(path, key)),
            None => {
                self.missing(fields, path, key);
                None
            }
        }
    }

    pub fn optional_text(&mut self, fields: &Fields, path: &str, key: &str) -> Option<Text> {
        fields.get(key).and_then(|n| self.text(n, &join(path, key)))
    }

    pub fn number(&mut self, node: &Node, path: &str) -> Option<f64> {
        self.number_like(node, path, "a number such as 90 or 2.5")
    }

    /// [`Self::number`], whose help names `example` (what is expected).
    fn number_like(&mut self, node: &Node, path: &str, example: &str) -> Option<f64> {
        match &node.kind {
            NodeKind::Scalar { value, plain } => {
                let t = value.trim();
                if *plain && let Some(n) = parse_number(t) {
                    if n.abs() > MAX_FIGURE {
                        self.error_help(
                            node.pos,
                            "range",
                            format!("`{path}` is {t}, beyond what any figure here can be"),
                            "figures go up to 10^15 (a million billion): check the figure",
                        );
                        return None;
                    }
                    return Some(n);
                }
                let help = if !*plain && parse_number(t).is_some() {
                    format!("remove the quotes: `{t}`")
                } else if parse_number(&t.replace(',', ".")).is_some() {
                    format!("use a dot for decimals: `{}`", t.replace(',', "."))
                } else if let Some((low, high)) = range_like(t) {
                    if format::takes_range(path) {
                        format!("`{t}` is a range: write it `{{min: {low}, max: {high}}}`")
                    } else {
                        format!(
                            "`{t}` is a range, and this field takes one figure: write one \
                             number (`{low}`) and give the range in the narrative"
                        )
                    }
                } else if let Some(n) = leading_number(t) {
                    format!("write the number alone, without a unit: `{n}`")
                } else {
                    format!("write {example}")
                };
                self.error_help(
                    node.pos,
                    "type",
                    format!("`{path}` must be a number, found {}", node.describe()),
                    help,
                );
                None
            }
            NodeKind::Seq(items) if items.len() == 2 && format::takes_range(path) => {
                let bound = |n: &Node| match &n.kind {
                    NodeKind::Scalar { value, .. } => value.trim().to_string(),
                    _ => "…".to_string(),
                };
                self.error_help(
                    node.pos,
                    "type",
                    format!("`{path}` must be a number, found {}", node.describe()),
                    format!(
                        "write a range as `{{min: {}, max: {}}}`",
                        bound(&items[0]),
                        bound(&items[1])
                    ),
                );
                None
            }
            NodeKind::Map(_) if !format::takes_range(path) => {
                self.error_help(
                    node.pos,
                    "type",
                    format!("`{path}` must be a number, found {}", node.describe()),
                    "this field takes one figure, not a range: write one number and give the range in the narrative",
                );
                None
            }
            _ => {
                self.error(
                    node.pos,
                    "type",
                    format!("`{path}` must be a number, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// A number, or a range `{min, max}` with `min < max`.
    pub fn figure(&mut self, node: &Node, path: &str) -> Option<Figure> {
        if !matches!(node.kind, NodeKind::Map(_)) {
            return self.number(node, path).map(Figure::One);
        }
        let f = self.fields(node, path, &["min", "max"])?;
        let mut bound = |key: &str| match f.get(key) {
            Some(n) => self.number(n, &join(path, key)),
            None => {
                self.missing(&f, path, key);
                None
            }
        };
        let (min, max) = (bound("min"), bound("max"));
        let (min, max) = (min?, max?);
        if min >= max {
            self.error_help(
                node.pos,
                "range",
                format!(
                    "the range `{path}` must go from a smaller to a larger figure, found min {} and max {}",
                    fmt_num(min),
                    fmt_num(max)
                ),
                "write the smaller figure as `min` and the larger as `max`; one figure is written alone",
            );
            return None;
        }
        // Shown to two decimals: bounds that round alike would read "1 à 1".
        let shown = |x: f64| (x * 100.0).round();
        if shown(min) == shown(max) {
            self.error_help(
                node.pos,
                "range",
                format!(
                    "the range `{path}` goes from {} to {}, which read the same once rounded to two decimals",
                    fmt_num(min),
                    fmt_num(max)
                ),
                "give one figure, or bounds at least 0.01 apart",
            );
            return None;
        }
        Some(Figure::Range { min, max })
    }

    pub fn optional_number(
        &mut self,
        fields: &Fields,
        path: &str,
        key: &str,
    ) -> Option<(f64, Pos)> {
        let node = fields.get(key)?;
        self.number(node, &join(path, key)).map(|n| (n, node.pos))
    }

    /// A number within `min..=max`, or reported.
    pub fn bounded(
        &mut self,
        fields: &Fields,
        path: &str,
        key: &str,
        min: f64,
        max: Option<f64>,
        meaning: &str,
    ) -> Option<f64> {
        let (n, pos) = self.optional_number(fields, path, key)?;
        let out_of_range = n < min || max.is_some_and(|m| n > m);
        if out_of_range {
            let range = match max {
                Some(m) => format!("between {} and {}", fmt_num(min), fmt_num(m)),
                None => format!("at least {}", fmt_num(min)),
            };
            self.error_help(
                pos,
                "range",
                format!("{} must be {range}, found {}", join(path, key), fmt_num(n)),
                meaning.to_string(),
            );
            return None;
        }
        Some(n)
    }

    pub fn whole(&mut self, fields: &Fields, path: &str, key: &str) -> Option<(u64, Pos)> {
        let node = fields.get(key)?;
        let pos = node.pos;
        let n = self.number_like(node, &join(path, key), "a whole number such as 12")?;
        if n < 0.0 || n.fract() != 0.0 || n > 1e15 {
            self.error(
                pos,
                "range",
                format!(
                    "{} must be a whole number of 0 or more, found {}",
                    join(path, key),
                    fmt_num(n)
                ),
            );
            return None;
        }
        Some((n as u64, pos))
    }

    pub fn boolean(&mut self, fields: &Fields, path: &str, key: &str) -> Option<bool> {
        let node = fields.get(key)?;
        if let NodeKind::Scalar { value, plain: true } = &node.kind {
            match value.as_str() {
                "true" | "True" | "TRUE" => return Some(true),
                "false" | "False" | "FALSE" => return Some(false),
                _ => {}
            }
        }
        self.error_help(
            node.pos,
            "type",
            format!(
                "`{}` must be true or false, found {}",
                join(path, key),
                node.describe()
            ),
            "write `true` or `false`",
        );
        None
    }

    pub fn date(&mut self, node: &Node, path: &str) -> Option<Date> {
        let text = self.string(node, path)?;
        match Date::parse(&text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error_help(
                    node.pos,
                    "date",
                    format!("`{path}`: {e}"),
                    "write dates as YYYY-MM-DD, e.g. 2020-05-14",
                );
                None
            }
        }
    }

    pub fn optional_date(&mut self, fields: &Fields, path: &str, key: &str) -> Option<(Date, Pos)> {
        let node = fields.get(key)?;
        self.date(node, &join(path, key)).map(|d| (d, node.pos))
    }

    pub fn url(&mut self, fields: &Fields, path: &str, key: &str) -> Option<String> {
        let node = fields.get(key)?;
        let text = self.string(node, &join(path, key))?;
        if is_http_url(&text) {
            // Published with its scheme in lower case (`HTTPS://` is the
            // same address), as every reader of the output expects.
            let (scheme, rest) = text.split_once("://")?;
            Some(format!("{}://{rest}", scheme.to_ascii_lowercase()))
        } else {
            self.error_help(
                node.pos,
                "url",
                format!(
                    "`{}` must be an http or https address, found `{text}`",
                    join(path, key)
                ),
                "write the full address, e.g. https://example.org/page",
            );
            None
        }
    }

    /// Each item of a list, or reported when the value is not a list.
    pub fn list<'n>(&mut self, fields: &Fields<'n>, path: &str, key: &str) -> Vec<&'n Node> {
        let Some(node) = fields.get(key) else {
            return Vec::new();
        };
        match &node.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            _ => {
                self.error_help(
                    node.pos,
                    "type",
                    format!(
                        "`{}` must be a list, found {}",
                        join(path, key),
                        node.describe()
                    ),
                    "write one item per line, each starting with `- `",
                );
                Vec::new()
            }
        }
    }

    pub fn text_list(&mut self, fields: &Fields, path: &str, key: &str) -> Vec<Text> {
        let full = join(path, key);
        self.list(fields, path, key)
            .into_iter()
            .filter_map(|n| self.text(n, &full))
            .collect()
    }
}

/// Private-use characters relance uses to mark text shown in another
/// language than the page's: never accepted in content.
pub fn is_reserved(c: char) -> bool {
    ('\u{E000}'..='\u{E002}').contains(&c)
}

/// Invisible format characters: zero-width space and joiners, direction
/// marks, embeddings, overrides and isolates, word joiner, byte order mark.
/// (The editor schema's pattern for a visible character is made from
/// these ranges and [`MARKS`].)
pub const FORMAT: [(char, char); 4] = [
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2069}'),
    ('\u{FEFF}', '\u{FEFF}'),
];

/// Combining marks of the blocks that hold only them (accents drawn over
/// the letter before them).
pub const MARKS: [(char, char); 5] = [
    ('\u{0300}', '\u{036F}'),
    ('\u{1AB0}', '\u{1AFF}'),
    ('\u{1DC0}', '\u{1DFF}'),
    ('\u{20D0}', '\u{20FF}'),
    ('\u{FE20}', '\u{FE2F}'),
];

fn in_ranges(c: char, ranges: &[(char, char)]) -> bool {
    ranges.iter().any(|(a, b)| (*a..=*b).contains(&c))
}

/// Whether `c` is one of the invisible format characters of [`FORMAT`].
pub fn is_format(c: char) -> bool {
    in_ranges(c, &FORMAT)
}

fn is_mark(c: char) -> bool {
    in_ranges(c, &MARKS)
}

/// What a character refused in any text is, for the message: controls
/// other than tab and newline, the two noncharacters XML 1.0 forbids (an
/// SVG or a feed holding one does not parse), relance's reserved marks,
/// and the bidirectional embeddings, overrides and isolates (the marks
/// LRM, RLM and ALM are kept: they reorder nothing beyond a character).
pub(crate) fn refused(c: char) -> Option<&'static str> {
    if c.is_control() && !matches!(c, '\n' | '\t') {
        Some("the control character")
    } else if matches!(c, '\u{FFFE}' | '\u{FFFF}') {
        Some("the noncharacter")
    } else if is_reserved(c) {
        Some("the private-use character relance reserves,")
    } else if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
        // An embedding, override or isolate left open reverses what a
        // template puts after the text: "14 MAI 2020" read "0202 IAM 41".
        Some("the direction control")
    } else {
        None
    }
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The largest figure a fact file may give, either sign (10^15: beyond,
/// a number no longer holds every digit, and no statement needs one).
pub const MAX_FIGURE: f64 = 1e15;

/// YAML 1.2 core-schema numbers, without infinities or NaN.
pub fn parse_number(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let valid = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && body
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.');
    if !valid {
        return None;
    }
    // `-0` is 0: open data would write `-0.0` in JSON and `0` in CSV.
    let n = text.parse::<f64>().ok().filter(|n| n.is_finite())?;
    Some(if n == 0.0 { 0.0 } else { n })
}

/// `35-60`, `1.35 – 1.6`: two numbers joined by a hyphen or a dash, as
/// statements give a range.
fn range_like(text: &str) -> Option<(String, String)> {
    // The separator is looked for after the first character, so that a
    // first bound may be negative (`-60--35`).
    let first = text.chars().next()?.len_utf8();
    let (head, rest) = text.split_at(first);
    let (low, high) = [" à ", " a ", " to ", "..", "-", "–", "—", " "]
        .iter()
        .find_map(|sep| rest.split_once(sep))
        .map(|(l, h)| (format!("{head}{l}"), h.to_string()))?;
    let number = |s: &str| {
        let s = s.trim().trim_end_matches(['%', ' ']).replace(',', ".");
        parse_number(&s).is_some().then_some(s)
    };
    Some((number(&low)?, number(&high)?))
}

fn leading_number(text: &str) -> Option<String> {
    let n: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        .collect();
    (!n.is_empty() && n.chars().any(|c| c.is_ascii_digit())).then(|| n.replace(',', "."))
}

pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// An http or https address (the scheme in any case, as URLs allow).
pub fn is_http_url(text: &str) -> bool {
    let rest = strip_prefix_ignore_case(text, "https://")
        .or_else(|| strip_prefix_ignore_case(text, "http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && !text
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
        }
        None => false,
    }
}

pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

// ---------------------------------------------------------------- site.yaml

pub fn site(check: &mut FileCheck, root: &Node) -> Option<Site> {
    let f = check.mapping(root, format::SITE, "")?;
    let title = check.optional_text(&f, "", "title");
    let organisation = check.optional_text(&f, "", "organisation");
    let languages = site_languages(check, &f);
    let base_url = match f.get("base_url") {
        Some(node) => {
            let url = check.url(&f, "", "base_url")?;
            // Every address of the site is the base followed by a path:
            // after a query or a fragment, that path would be part of it.
            if url.contains(['?', '#']) {
                check.error_help(
                    node.pos,
                    "url",
                    format!("`base_url` must be the site's folder address, without `?` or `#`, found `{url}`"),
                    "write the address the site is served from, e.g. https://example.org/updates/",
                );
                return None;
            }
            Some(if url.ends_with('/') { url } else { url + "/" })
        }
        None => None,
    };
    let proper_nouns = check
        .text_list(&f, "", "proper_nouns")
        .iter()
        .flat_map(|t| match t {
            Text::Plain(s) => vec![s.clone()],
            Text::Map(m) => m.values.iter().map(|(_, s)| s.clone()).collect(),
        })
        .collect();
    Some(Site {
        title: title?,
        organisation: organisation?,
        languages: languages?,
        base_url,
        proper_nouns,
    })
}

const LANGUAGE_HELP: &str = "relance writes French (fr), English (en) and Spanish (es)";

fn language_code(check: &mut FileCheck, node: &Node, path: &str) -> Option<Language> {
    let code = check.string(node, path)?;
    let lang = Language::from_code(&code);
    if lang.is_none() {
        check.error_help(
            node.pos,
            "language",
            format!("{path} must be `fr`, `en` or `es`, found `{code}`"),
            LANGUAGE_HELP,
        );
    }
    lang
}

/// `language: fr` or `languages: [fr, en]` (the first is the default), not
/// both; `fr` when neither is given.
fn site_languages(check: &mut FileCheck, f: &Fields) -> Option<Vec<Language>> {
    let list = match (f.get("language"), f.get("languages")) {
        (None, None) => return Some(vec![Language::Fr]),
        (Some(_), Some(both)) => {
            check.error_help(
                both.pos,
                "language",
                "`language` and `languages` are both given",
                "keep `languages: [fr, en]` (the first is the default) and delete `language`",
            );
            return None;
        }
        (Some(one), None) => return language_code(check, one, "language").map(|l| vec![l]),
        (None, Some(list)) => list,
    };
    let NodeKind::Seq(items) = &list.kind else {
        check.error_help(
            list.pos,
            "type",
            format!("`languages` must be a list, found {}", list.describe()),
            "write `languages: [fr, en]`, the default language first",
        );
        return None;
    };
    if items.is_empty() {
        check.error_help(
            list.pos,
            "language",
            "`languages` lists no language",
            "write `languages: [fr, en]`, the default language first",
        );
        return None;
    }
    let mut out: Vec<Language> = Vec::new();
    let mut ok = true;
    for item in items {
        match language_code(check, item, "languages") {
            Some(l) if out.contains(&l) => {
                check.error(
                    item.pos,
                    "language",
                    format!("`{}` is listed twice in `languages`", l.code()),
                );
                ok = false;
            }
            Some(l) => out.push(l),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

// -------------------------------------------------------------- region.yaml

fn person(
    check: &mut FileCheck,
    fields: &Fields,
    root: &'static [Rule],
    key: &str,
) -> Option<Person> {
    let node = fields.get(key)?;
    let f = check.mapping(node, root, key)?;
    let name = check.optional_text(&f, key, "name");
    let role = check.optional_text(&f, key, "role");
    Some(Person { name: name?, role })
}

pub fn region(check: &mut FileCheck, root: &Node, slug: &str) -> Option<Region> {
    let f = check.mapping(root, format::REGION, "")?;
    let name = check.optional_text(&f, "", "name");
    let delegate = person(check, &f, format::REGION, "delegate");
    let departments = check.text_list(&f, "", "departments");
    Some(Region {
        slug: slug.to_string(),
        name: name?,
        delegate,
        departments,
    })
}

// ------------------------------------------------------------------ updates

/// Reports an entry that repeats an earlier one of the same list.
fn unique_texts(check: &mut FileCheck, nodes: &[&Node], texts: &[Option<Text>], path: &str) {
    for (i, t) in texts.iter().enumerate() {
        let Some(t) = t else { continue };
        let key = t.to_lowercase();
        if texts[..i]
            .iter()
            .flatten()
            .any(|earlier| earlier.to_lowercase() == key)
        {
            check.error(
                nodes[i].pos,
                "duplicate",
                format!("`{t}` is listed twice in {path}"),
            );
        }
    }
}

/// Validates one update. `file_date` is the date its file name gives.
///
/// Each section has its own function below; a section that finds an error
/// which makes the whole update unusable clears `ok`, while an error that
/// only drops the section returns `None` for it.
pub fn update(check: &mut FileCheck, root: &Node, region: &str, file_date: Date) -> Option<Update> {
    let f = check.mapping(root, format::UPDATE, "")?;
    let mut ok = true;
    let title = check.optional_text(&f, "", "title");
    let date = update_date(check, &f, file_date);
    let period = f
        .get("period")
        .and_then(|n| period(check, n, file_date, &mut ok));
    let source = f.get("source").and_then(|n| source(check, n, &mut ok));
    let speaker = person(check, &f, format::UPDATE, "speaker");
    let telework = f.get("telework").and_then(|n| telework(check, n, &mut ok));
    let field_priorities = f
        .get("field_work")
        .and_then(|node| {
            let w = check.mapping(node, format::UPDATE, "field_work")?;
            Some(check.text_list(&w, "field_work", "priorities"))
        })
        .unwrap_or_default();
    let priority_services = priority_services(check, &f);
    let traffic = f.get("traffic").and_then(|n| traffic(check, n));
    let incidents = incidents(check, &f);
    let online = f.get("online").and_then(|n| online(check, n));
    let shops = f.get("shops").and_then(|n| shops(check, n, &mut ok));
    let indicators = indicators(check, &f);
    let quotes = quotes(check, &f);
    let narrative = f.get("narrative").and_then(|n| check.text(n, "narrative"));
    super::plausibility::validate_checked(check, &f);
    let publish_at = publish_at(check, &f, &mut ok);
    let corrections = corrections(check, &f, file_date, &mut ok);

    if !ok {
        return None;
    }
    Some(Update {
        region: region.to_string(),
        date: date?,
        title: title?,
        period,
        source,
        speaker,
        telework,
        field_priorities,
        priority_services,
        traffic,
        incidents,
        online,
        shops,
        indicators,
        quotes,
        narrative,
        publish_at,
        corrections,
        narrative_files: Vec::new(),
    })
}

/// The `date:` key, which must repeat the file name's date.
fn update_date(check: &mut FileCheck, f: &Fields, file_date: Date) -> Option<Date> {
    let node = f.get("date")?;
    match check.date(node, "date") {
        Some(d) if d != file_date => {
            check.error_help(
                node.pos,
                "date-mismatch",
                format!("date {d} does not match the file name {file_date}.yaml"),
                "an update's file is named after its date: rename the file or correct the date",
            );
            None
        }
        other => other,
    }
}

fn period(check: &mut FileCheck, node: &Node, file_date: Date, ok: &mut bool) -> Option<Period> {
    let p = check.mapping(node, format::UPDATE, "period")?;
    let label = check.optional_text(&p, "period", "label");
    let start = check.optional_date(&p, "period", "start");
    let end = check.optional_date(&p, "period", "end");
    let mut wrong = |pos: Pos, message: String| {
        check.error(pos, "period", message);
        *ok = false;
    };
    if let (Some((s, _)), Some((e, epos))) = (start, end)
        && s > e
    {
        wrong(
            epos,
            format!("period.end ({e}) is before period.start ({s})"),
        );
    }
    if let Some((e, epos)) = end
        && e > file_date
    {
        wrong(
            epos,
            format!("period.end ({e}) is after the update's date ({file_date})"),
        );
    }
    if let (Some((s, spos)), None) = (start, end)
        && s > file_date
    {
        wrong(
            spos,
            format!("period.start ({s}) is after the update's date ({file_date})"),
        );
    }
    Some(Period {
        label,
        start: start.map(|x| x.0),
        end: end.map(|x| x.0),
    })
}

fn source(check: &mut FileCheck, node: &Node, ok: &mut bool) -> Option<Source> {
    let s = check.mapping(node, format::UPDATE, "source")?;
    let has_url = s.get("url").is_some();
    let url = check.url(&s, "source", "url");
    if has_url && url.is_none() {
        *ok = false;
    }
    Some(Source {
        name: check.optional_text(&s, "source", "name"),
        kind: check.optional_text(&s, "source", "kind"),
        url,
    })
}

/// How far a typed `telework.percent` may be from the one the counts give.
const TELEWORK_AGREEMENT: f64 = 0.5;

fn telework(check: &mut FileCheck, node: &Node, ok: &mut bool) -> Option<Telework> {
    let t = check.mapping(node, format::UPDATE, "telework")?;
    let percent = check.update_number(&t, "telework", "percent");
    let counts = telework_counts(check, &t, ok);
    // To one decimal, as a share is published ("soit 41,7 %").
    let derived =
        counts.map(|(remote, staff)| (remote as f64 * 1000.0 / staff as f64).round() / 10.0);
    if let (Some(p), Some(d), Some(node)) = (percent, derived, t.get("percent"))
        && (p - d).abs() > TELEWORK_AGREEMENT
    {
        let (remote, staff) = counts.unwrap_or_default();
        check.error_help(
            node.pos,
            "range",
            format!(
                "telework.percent ({}) does not agree with the counts: {remote} of {staff} is {}",
                fmt_num(p),
                fmt_num(d)
            ),
            "remove `percent` (it is computed from `remote` and `staff`), or correct the counts",
        );
        *ok = false;
    }
    Some(Telework {
        percent: percent.or(derived),
        except: check.text_list(&t, "telework", "except"),
        staff: counts.map(|c| c.1),
        remote: counts.map(|c| c.0),
        scope: check.optional_text(&t, "telework", "scope"),
    })
}

/// `telework.remote` and `telework.staff`, which go together: `(remote,
/// staff)` when both are given and remote ≤ staff, staff ≥ 1.
fn telework_counts(check: &mut FileCheck, t: &Fields, ok: &mut bool) -> Option<(u64, u64)> {
    let staff = check.whole(t, "telework", "staff");
    let remote = check.whole(t, "telework", "remote");
    let help = "give both `staff` (how many are counted) and `remote` (how many of them worked remotely), or `percent` alone";
    match (remote, staff) {
        (Some((r, rpos)), Some((s, spos))) => {
            if s == 0 {
                check.error_help(spos, "range", "telework.staff must be at least 1", help);
            } else if r > s {
                check.error(
                    rpos,
                    "range",
                    format!("telework.remote ({r}) is more than telework.staff ({s})"),
                );
            } else {
                return Some((r, s));
            }
        }
        (Some((_, pos)), None) => check.error_help(
            pos,
            "missing-key",
            "telework.remote needs telework.staff: of how many staff?",
            help,
        ),
        (None, Some((_, pos))) => check.error_help(
            pos,
            "missing-key",
            "telework.staff needs telework.remote: how many of them worked remotely?",
            help,
        ),
        (None, None) => return None,
    }
    *ok = false;
    None
}

fn priority_services(check: &mut FileCheck, f: &Fields) -> Vec<Text> {
    let nodes = check.list(f, "", "priority_services");
    let texts: Vec<Option<Text>> = nodes
        .iter()
        .map(|n| check.text(n, "priority_services"))
        .collect();
    unique_texts(check, &nodes, &texts, "priority_services");
    texts.into_iter().flatten().collect()
}

fn traffic(check: &mut FileCheck, node: &Node) -> Option<Traffic> {
    let t = check.mapping(node, format::UPDATE, "traffic")?;
    let baseline = check.optional_text(&t, "traffic", "baseline");
    let network_held = check.boolean(&t, "traffic", "network_held");
    let nodes = check.list(&t, "traffic", "multipliers");
    let mut labels: Vec<Option<Text>> = Vec::new();
    let mut label_nodes: Vec<&Node> = Vec::new();
    let mut multipliers = Vec::new();
    for item in &nodes {
        let Some(m) = check.mapping(item, format::UPDATE, "traffic.multipliers") else {
            continue;
        };
        let label = check.optional_text(&m, "traffic.multipliers", "label");
        if let Some(ln) = m.get("label") {
            label_nodes.push(ln);
            labels.push(label.clone());
        }
        let change_percent = above_floor(check, &m, "change_percent")
            .and_then(|p| one_direction(check, &m, "change_percent", p, 0.0))
            .and_then(|p| shown_as_said(check, &m, "change_percent", p));
        let (key, factor) = match change_percent {
            Some(p) => ("change_percent", Some(p.map(|p| 1.0 + p / 100.0))),
            None => (
                "factor",
                above_floor(check, &m, "factor")
                    .and_then(|f| one_direction(check, &m, "factor", f, 1.0))
                    .and_then(|f| shown_as_said(check, &m, "factor", f)),
            ),
        };
        if let Some(f) = factor {
            warn_if_large(check, &m, key, f);
        }
        let approx = approx(check, &m, "traffic.multipliers", factor);
        if let (Some(label), Some(factor)) = (label, factor) {
            let source = item_source(check, &m, "traffic.multipliers");
            multipliers.push(TrafficMultiplier {
                label,
                factor,
                change_percent,
                approx,
                source,
            });
        }
    }
    unique_texts(check, &label_nodes, &labels, "traffic.multipliers labels");
    Some(Traffic {
        baseline,
        network_held,
        multipliers,
    })
}

/// A traffic item's figure that must be above its floor (`factor` above
/// 0, `change_percent` above −100), both bounds of a range included.
fn above_floor(check: &mut FileCheck, m: &Fields, key: &str) -> Option<Figure> {
    let path = format!("traffic.multipliers.{key}");
    let node = m.get(key)?;
    let x = check.figure(node, &path)?;
    let (bounds, meaning) = format::update_bounds(&path);
    let floor = bounds.min.unwrap_or(0.0);
    if x.low() <= floor {
        // A range's `min` is pointed at and named.
        let (pos, path) = match (x, node.child("min")) {
            (Figure::Range { .. }, Some(min)) => (min.pos, join(&path, "min")),
            _ => (node.pos, path),
        };
        check.error_help(
            pos,
            "range",
            format!(
                "{path} must be greater than {}, found {}",
                fmt_num(floor),
                fmt_num(x.low())
            ),
            meaning,
        );
        return None;
    }
    Some(x)
}

/// A range that rises at one end and falls at the other (`neutral` is
/// "no change": 0 % or a factor of 1) says nothing a reader can use.
fn one_direction(
    check: &mut FileCheck,
    m: &Fields,
    key: &str,
    x: Figure,
    neutral: f64,
) -> Option<Figure> {
    let Figure::Range { min, max } = x else {
        return Some(x);
    };
    if min > neutral || max < neutral {
        return Some(x);
    }
    let node = m.get(key)?;
    check.error_help(
        node.pos,
        "range",
        format!(
            "the range traffic.multipliers.{key} goes from {} to {}: it must rise at both ends or fall at both ends (no bound may be \"no change\")",
            fmt_num(min),
            fmt_num(max)
        ),
        "give the figure the statement stresses, or split the item in two",
    );
    None
}

/// A traffic figure as it is published: figures are shown to two
/// decimals, so a change too small to show would read "×1" or "+0 %" (no
/// change, which it is not), and a fall within 0.005 points of 100 % would
/// read "down 100 %" (which the floor refuses as written). Such a figure
/// is refused where it is written, rather than published as what it does
/// not say.
fn shown_as_said(check: &mut FileCheck, m: &Fields, key: &str, x: Figure) -> Option<Figure> {
    let shown = crate::locale::shown_value;
    // The change each bound is published as, in percent or as a factor.
    let misread = [x.low(), x.high()].into_iter().find_map(|v| {
        let (change, factor_up) = match key {
            "factor" if v >= 1.0 => (None, Some(v)),
            "factor" => (Some((1.0 - v) * 100.0), None),
            _ => (Some(v.abs()), None),
        };
        match (change, factor_up) {
            (_, Some(f)) if f != 1.0 && shown(f) == 1.0 => Some((v, "×1, no change")),
            (Some(c), _) if c != 0.0 && shown(c) == 0.0 => Some((v, "0 %, no change")),
            (Some(c), _) if v < 1.0 && shown(c) >= 100.0 => Some((v, "down 100 %")),
            _ => None,
        }
    });
    let Some((v, read)) = misread else {
        return Some(x);
    };
    let node = m.get(key)?;
    // A factor near 1 is a small change: say it in percent, which shows it
    // (both bounds of a range).
    let percent = |f: f64| crate::locale::shown_value((f - 1.0) * 100.0);
    let as_percent = match x {
        Figure::One(f) => fmt_num(percent(f)),
        Figure::Range { min, max } => {
            format!(
                "{{min: {}, max: {}}}",
                fmt_num(percent(min)),
                fmt_num(percent(max))
            )
        }
    };
    let help = match key == "factor" && percent(v) != 0.0 && read != "down 100 %" {
        true => format!(
            "a change this small reads better in percent: write `change_percent: {as_percent}` instead of the factor"
        ),
        false => "give the figure to two decimals, as the statement does (a change this small is no change to a reader)".to_string(),
    };
    check.error_help(
        node.pos,
        "range",
        format!(
            "traffic.multipliers.{key} {} would be published as {read}: figures are shown to two decimals",
            fmt_num(v)
        ),
        help,
    );
    None
}

/// `approx: true`, refused beside a range (a range is already an
/// estimate, and "about 35 to 60 %" says nothing more).
fn approx(check: &mut FileCheck, m: &Fields, path: &str, figure: Option<Figure>) -> bool {
    let approx = check.boolean(m, path, "approx") == Some(true);
    if approx && figure.is_some_and(Figure::is_range) {
        if let Some(node) = m.get("approx") {
            check.error_help(
                node.pos,
                "exclusive",
                format!("{path} gives a range and approx: true"),
                "a range already says the figure is not exact: remove `approx`",
            );
        }
        return false;
    }
    approx
}

/// Traffic multiplied by more than 100 (given as a factor, or as a
/// change of more than 9 900 %) is warned about.
fn warn_if_large(check: &mut FileCheck, m: &Fields, key: &str, factor: Figure) {
    if let (true, Some(node)) = (factor.high() > 100.0, m.get(key)) {
        check.warning(
            node.pos,
            "large-factor",
            format!(
                "traffic multiplied by {} is unusually large; check the figure",
                fmt_num(factor.high())
            ),
        );
    }
}

/// The incidents listed, or `None` when the update has no `incidents`
/// key (it says nothing about them, which is not "no incident").
/// The `source:` of a traffic item, an incident or an indicator at
/// `path`: a name, and an address.
fn item_source(check: &mut FileCheck, item: &Fields, path: &str) -> Option<ItemSource> {
    let node = item.get("source")?;
    let path = join(path, "source");
    let s = check.mapping(node, format::UPDATE, &path)?;
    let url = check.url(&s, &path, "url");
    let name = check.required_text(&s, &path, "name")?;
    Some(ItemSource { name, url })
}

fn incidents(check: &mut FileCheck, f: &Fields) -> Option<Vec<Incident>> {
    f.get("incidents")?;
    let mut incidents = Vec::new();
    for item in check.list(f, "", "incidents") {
        let Some(i) = check.mapping(item, format::UPDATE, "incidents") else {
            continue;
        };
        let kind = check.optional_text(&i, "incidents", "kind");
        let target = check.optional_text(&i, "incidents", "target");
        let response = check.optional_text(&i, "incidents", "response");
        if let Some(kind) = kind {
            let source = item_source(check, &i, "incidents");
            incidents.push(Incident {
                kind,
                target,
                response,
                source,
            });
        }
    }
    Some(incidents)
}

fn online(check: &mut FileCheck, node: &Node) -> Option<Online> {
    let o = check.mapping(node, format::UPDATE, "online")?;
    Some(Online {
        customers_percent: check.update_number(&o, "online", "customers_percent"),
        growth_percent: check.update_number(&o, "online", "growth_percent"),
    })
}

fn shops(check: &mut FileCheck, node: &Node, ok: &mut bool) -> Option<Shops> {
    let s = check.mapping(node, format::UPDATE, "shops")?;
    let total = check.whole(&s, "shops", "total");
    let reopened = check.whole(&s, "shops", "reopened");
    if let (Some((t, _)), Some((r, rpos))) = (total, reopened)
        && r > t
    {
        check.error(
            rpos,
            "range",
            format!("shops.reopened ({r}) is more than shops.total ({t})"),
        );
        *ok = false;
    }
    let stayed_open = check.boolean(&s, "shops", "stayed_open");
    if let (Some(true), Some((_, rpos))) = (stayed_open, reopened) {
        check.error_help(
            rpos,
            "exclusive",
            "shops.reopened with shops.stayed_open: true: shops that never closed did not reopen",
            "keep `stayed_open: true` and `total`, or remove `stayed_open` if the shops closed and reopened",
        );
        *ok = false;
    }
    let reopened_on = check.optional_date(&s, "shops", "reopened_on").map(|x| x.0);
    Some(Shops {
        total: total.map(|x| x.0),
        stayed_open,
        reopened: reopened.map(|x| x.0),
        reopened_on,
        by_appointment: check.boolean(&s, "shops", "by_appointment"),
        booking: check.optional_text(&s, "shops", "booking"),
    })
}

/// `publish_at:` — the embargo: an RFC 3339 date-time with an explicit
/// offset. An update whose embargo cannot be read is not published.
fn publish_at(check: &mut FileCheck, f: &Fields, ok: &mut bool) -> Option<Timestamp> {
    let node = f.get("publish_at")?;
    let text = match &node.kind {
        NodeKind::Scalar { value, .. } => value.trim().to_string(),
        _ => String::new(),
    };
    match Timestamp::parse(&text) {
        Ok(t) => Some(t),
        Err(e) => {
            let message = if text.is_empty() {
                format!(
                    "`publish_at` must be a date and time, found {}",
                    node.describe()
                )
            } else {
                format!("`publish_at`: {e}")
            };
            check.error_help(
                node.pos,
                "publish-at",
                message,
                "write the instant with its offset from UTC, e.g. 2020-05-14T18:00:00+02:00 (or …T16:00:00Z)",
            );
            *ok = false;
            None
        }
    }
}

/// `corrections:` — a list of `{date, note}`, each dated on or after the
/// update. A wrong correction keeps the whole update from being published:
/// publishing it without its correction would repeat the error.
fn corrections(
    check: &mut FileCheck,
    f: &Fields,
    file_date: Date,
    ok: &mut bool,
) -> Vec<Correction> {
    let before = check.diags.errors();
    let mut out = Vec::new();
    for item in check.list(f, "", "corrections") {
        let Some(c) = check.mapping(item, format::UPDATE, "corrections") else {
            continue;
        };
        let date = c
            .get("date")
            .and_then(|node| correction_date(check, node, file_date));
        let note = match c.get("note") {
            Some(node) if is_blank(node) => {
                check.error_help(
                    node.pos,
                    "empty",
                    "`corrections.note` must not be empty",
                    NOTE_HELP,
                );
                None
            }
            Some(node) => check.text(node, "corrections.note"),
            None => None,
        };
        if let (Some(date), Some(note)) = (date, note) {
            out.push(Correction { date, note });
        }
    }
    if check.diags.errors() > before {
        *ok = false;
    }
    out
}

const NOTE_HELP: &str =
    "say what was wrong and what is right, e.g. note: \"18 boutiques avaient rouvert, et non 20.\"";

/// A scalar with nothing but spaces in it (`""`, `"  "`).
fn is_blank(node: &Node) -> bool {
    matches!(&node.kind, NodeKind::Scalar { value, .. } if value.trim().is_empty())
}

/// A correction's date: a real date, not before the update's.
fn correction_date(check: &mut FileCheck, node: &Node, file_date: Date) -> Option<Date> {
    let d = check.date(node, "corrections.date")?;
    if d < file_date {
        check.error_help(
            node.pos,
            "correction-date",
            format!("the correction is dated {d}, before the update it corrects ({file_date})"),
            "a correction is published on or after its update's date: write the day it was made",
        );
        return None;
    }
    Some(d)
}

/// `quotes:` — each a text (the speaker's words), or `{text, by}`.
fn quotes(check: &mut FileCheck, f: &Fields) -> Vec<Quote> {
    let mut out = Vec::new();
    for item in check.list(f, "", "quotes") {
        let attributed = matches!(&item.kind, NodeKind::Map(entries)
            if entries.iter().any(|(k, _)| matches!(&k.kind,
                NodeKind::Scalar { value, .. } if value == "text" || value == "by")));
        if !attributed {
            out.extend(
                check
                    .text(item, "quotes")
                    .map(|text| Quote { text, by: None }),
            );
            continue;
        }
        let Some(q) = check.mapping(item, format::UPDATE, "quotes") else {
            continue;
        };
        let by = check.optional_text(&q, "quotes", "by");
        if let Some(text) = check.required_text(&q, "quotes", "text") {
            out.push(Quote { text, by });
        }
    }
    out
}

fn indicators(check: &mut FileCheck, f: &Fields) -> Vec<Indicator> {
    let mut indicators = Vec::new();
    for item in check.list(f, "", "indicators") {
        let Some(i) = check.mapping(item, format::UPDATE, "indicators") else {
            continue;
        };
        let label = check.optional_text(&i, "indicators", "label");
        let value = i
            .get("value")
            .and_then(|n| check.figure(n, "indicators.value"));
        let unit = check.optional_text(&i, "indicators", "unit");
        let approx = approx(check, &i, "indicators", value);
        let source = item_source(check, &i, "indicators");
        if let (Some(label), Some(value)) = (label, value) {
            indicators.push(Indicator {
                label,
                value,
                unit,
                approx,
                source,
            });
        }
    }
    indicators
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_core_schema() {
        assert_eq!(parse_number("90"), Some(90.0));
        assert_eq!(parse_number("-2.5"), Some(-2.5));
        assert_eq!(parse_number(".inf"), None);
        assert_eq!(parse_number("90 %"), None);
        assert_eq!(parse_number("1e3"), Some(1000.0));
        assert_eq!(parse_number("e3"), None);
        // `-0` is zero, written `0` everywhere (never `-0.0` in JSON).
        let zero = parse_number("-0").unwrap();
        assert!(zero == 0.0 && zero.is_sign_positive());
        assert!(parse_number("-0.0").unwrap().is_sign_positive());
    }

    #[test]
    fn urls_and_slugs() {
        assert!(is_http_url("https://example.org/x"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("ftp://x"));
        assert!(!is_http_url("https://"));
        // The scheme in any case, as URLs allow; never a prefix of it.
        assert!(is_http_url("HTTPS://example.org/x"));
        assert!(is_http_url("Http://example.org"));
        assert!(!is_http_url("HTTPX://example.org"));
        assert!(!is_http_url("é"));
        assert!(is_slug("languedoc-roussillon"));
        assert!(!is_slug("Bad_Slug"));
        assert!(!is_slug("a--b"));
    }
}
