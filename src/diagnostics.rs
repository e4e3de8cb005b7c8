//! Problems found in the content, and how they are shown to people and to CI.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

use crate::content::yaml::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One located problem. `file` is the path as the user would type it
/// (the content folder they gave, joined with the file's relative path).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// A stable identifier for the kind of problem, e.g. `unknown-key`.
    pub code: String,
    pub message: String,
    /// What to do about it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub help: Option<String>,
    #[serde(skip, default = "one")]
    pub width: usize,
    /// The source line, for the caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
}

fn one() -> usize {
    1
}

impl Diagnostic {
    pub fn error(file: &str, pos: Pos, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            severity: Severity::Error,
            code: code.to_string(),
            message: message.into(),
            help: None,
            width: pos.width,
            source_line: None,
        }
    }

    pub fn warning(file: &str, pos: Pos, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, code, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `path:line:column: severity: message`, the line CI tools parse.
    pub fn headline(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {severity}: {}",
            printable(&self.file),
            self.line,
            self.column,
            printable(&self.message)
        )
    }

    /// The headline followed by the source line and a caret, like rustc.
    pub fn render_human(&self) -> String {
        let mut out = self.headline();
        out.push('\n');
        if let Some(src) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let line: String = src.chars().take(200).collect();
            let shown = printable_keep_tabs(&line);
            // The caret follows the escapes: one space per printed column.
            let indent: String = line
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| match c {
                    '\t' => "\t".to_string(),
                    c => " ".repeat(printable(c.encode_utf8(&mut [0; 4])).chars().count()),
                })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {shown}");
            let _ = writeln!(
                out,
                "{pad} | {indent}{}",
                "^".repeat(self.width.clamp(1, 80))
            );
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {}", printable(help));
        }
        out
    }
}

/// Whether printing `c` on a terminal could do something other than show
/// a character: control characters (C0, DEL, C1 — ESC starts terminal
/// commands, CR and BS overwrite what was printed) and the bidirectional
/// overrides that reorder what is shown.
fn is_unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escape_into(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// `text` safe to print on a terminal: every control character (newlines
/// and tabs included) and bidirectional override written as `\u{1b}`.
/// Text without any is returned as is.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Like [`printable`], keeping tabs (source lines are shown as indented).
fn printable_keep_tabs(text: &str) -> String {
    text.split('\t')
        .map(|part| printable(part).into_owned())
        .collect::<Vec<_>>()
        .join("\t")
}

/// A multi-line message safe to print: [`printable`] line by line.
pub fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| printable(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// All the problems of one run, sorted by file, line and column so that the
/// report is the same whatever order the files were read in.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
    }

    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    /// Fills in each diagnostic's source line from the file texts read.
    pub fn attach_sources(&mut self, source_of: impl Fn(&str) -> Option<String>) {
        for d in &mut self.items {
            if d.source_line.is_none()
                && let Some(text) = source_of(&d.file)
            {
                d.source_line = text
                    .lines()
                    .nth(d.line.saturating_sub(1))
                    .map(str::to_string);
            }
        }
    }

    /// "2 errors in 1 file" — the closing line of a human report.
    pub fn summary(&self) -> String {
        let errors = self.errors();
        let warnings = self.warnings();
        let mut files: Vec<&str> = self.items.iter().map(|d| d.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = Vec::new();
        if errors > 0 {
            parts.push(plural(errors, "error", "errors"));
        }
        if warnings > 0 {
            parts.push(plural(warnings, "warning", "warnings"));
        }
        if parts.is_empty() {
            return "no problems".into();
        }
        format!(
            "{} in {}",
            parts.join(" and "),
            plural(files.len(), "file", "files")
        )
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.items).unwrap_or_else(|_| "[]".into()) + "\n"
    }
}

/// The closest candidate within a distance that still looks like a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word.to_lowercase(), c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(
            did_you_mean("telwork", ["telework", "traffic"]),
            Some("telework")
        );
        assert_eq!(did_you_mean("zzz", ["telework", "traffic"]), None);
    }

    #[test]
    fn caret_under_the_value() {
        let mut d = Diagnostic::error(
            "f.yaml",
            Pos {
                line: 2,
                column: 12,
                width: 3,
            },
            "range",
            "too big",
        );
        d.source_line = Some("  percent: 190".into());
        let text = d.render_human();
        assert!(text.contains("2 |   percent: 190\n"), "{text}");
        assert!(text.contains("  |            ^^^\n"), "{text}");
    }

    #[test]
    fn control_characters_are_never_printed_raw() {
        let mut d = Diagnostic::error(
            "a\u{1b}[2J.yaml",
            Pos {
                line: 1,
                column: 9,
                width: 1,
            },
            "x",
            "unknown key `\u{1b}]0;pwned\u{7}`\r",
        )
        .with_help("\u{202E}evil");
        d.source_line = Some("\u{1b}[31mkey: 1".into());
        let text = d.render_human();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(!text.contains('\u{202E}'));
        assert!(
            text.starts_with(
                "a\\u{1b}[2J.yaml:1:9: error: unknown key `\\u{1b}]0;pwned\\u{7}`\\u{d}\n"
            ),
            "{text}"
        );
        // The caret stays under the value: `\u{1b}[31mkey: ` is 13 columns.
        assert!(
            text.contains("1 | \\u{1b}[31mkey: 1\n  |              ^\n"),
            "{text}"
        );
    }
}
