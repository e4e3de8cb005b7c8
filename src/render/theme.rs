//! The default theme, embedded in the binary, and a project's overrides:
//! a file in the project's templates folder with the same name replaces the
//! embedded one; nothing else is read from there. The project's message
//! catalogues (`locales/<code>.ftl`) are part of the theme too: they are
//! read with it, and its fingerprint covers them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Failure;

/// Every file of the default theme, by name.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("region.html", include_str!("../../templates/region.html")),
    ("update.html", include_str!("../../templates/update.html")),
    (
        "corrections.html",
        include_str!("../../templates/corrections.html"),
    ),
    (
        "update_body.html",
        include_str!("../../templates/update_body.html"),
    ),
    ("chart.html", include_str!("../../templates/chart.html")),
    ("embed.html", include_str!("../../templates/embed.html")),
    (
        "chart_list.html",
        include_str!("../../templates/chart_list.html"),
    ),
    ("style.css", include_str!("../../templates/style.css")),
    ("favicon.svg", include_str!("../../templates/favicon.svg")),
    ("update.typ", include_str!("../../templates/update.typ")),
    ("press.typ", include_str!("../../templates/press.typ")),
    ("relance.typ", include_str!("../../templates/relance.typ")),
];

#[derive(Debug, Clone)]
pub struct Theme {
    /// Name → (text, where it came from: `None` for embedded).
    pub files: BTreeMap<String, (String, Option<PathBuf>)>,
    /// The project's catalogues, by file name (`fr.ftl`), with their path.
    pub catalogues: BTreeMap<String, (String, PathBuf)>,
}

impl Theme {
    pub fn embedded() -> Theme {
        Theme {
            files: EMBEDDED
                .iter()
                .map(|(n, t)| (n.to_string(), (t.to_string(), None)))
                .collect(),
            catalogues: BTreeMap::new(),
        }
    }

    /// Adds the project's catalogues found in `dir` (one per language
    /// relance knows; other files are ignored).
    pub fn with_locales(mut self, dir: Option<&Path>) -> Result<Theme, Failure> {
        let Some(dir) = dir.filter(|d| d.is_dir()) else {
            return Ok(self);
        };
        for (lang, _) in crate::locale::EMBEDDED {
            let name = crate::locale::file_name(*lang);
            let path = dir.join(&name);
            if path.is_file() {
                let text = std::fs::read_to_string(&path).map_err(|e| Failure::io(&path, e))?;
                // Windows editors begin a UTF-8 file with a byte order mark.
                let text = text
                    .strip_prefix('\u{FEFF}')
                    .map(str::to_string)
                    .unwrap_or(text);
                self.catalogues.insert(name, (text, path));
            }
        }
        Ok(self)
    }

    /// The project's catalogue `name`, as a source for the locale.
    pub fn catalogue(&self, name: &str) -> Option<crate::locale::Source<'_>> {
        self.catalogues
            .get(name)
            .map(|(text, path)| crate::locale::Source {
                text,
                origin: path.display().to_string(),
            })
    }

    /// The embedded theme with `dir`'s same-named files laid over it.
    pub fn load(dir: Option<&Path>) -> Result<Theme, Failure> {
        let mut theme = Theme::embedded();
        let Some(dir) = dir else { return Ok(theme) };
        if !dir.is_dir() {
            return Ok(theme);
        }
        for (name, _) in EMBEDDED {
            let path = dir.join(name);
            if path.is_file() {
                let text = std::fs::read_to_string(&path).map_err(|e| Failure::io(&path, e))?;
                theme.files.insert(name.to_string(), (text, Some(path)));
            }
        }
        Ok(theme)
    }

    pub fn text(&self, name: &str) -> &str {
        self.files.get(name).map_or("", |(t, _)| t.as_str())
    }

    /// How to name a template in messages: its override path or `(embedded) name`.
    pub fn origin(&self, name: &str) -> String {
        match self.files.get(name).and_then(|(_, p)| p.as_ref()) {
            Some(p) => p.display().to_string(),
            None => format!("(embedded theme)/{name}"),
        }
    }

    /// A fingerprint of every template, for the incremental cache.
    pub fn fingerprint(&self) -> u64 {
        let mut all = Vec::new();
        for (name, (text, _)) in &self.files {
            all.extend_from_slice(name.as_bytes());
            all.push(0);
            all.extend_from_slice(text.as_bytes());
            all.push(0);
        }
        for (name, (text, _)) in &self.catalogues {
            all.extend_from_slice(b"locales/");
            all.extend_from_slice(name.as_bytes());
            all.push(0);
            all.extend_from_slice(text.as_bytes());
            all.push(0);
        }
        crate::fingerprint(&all)
    }
}
