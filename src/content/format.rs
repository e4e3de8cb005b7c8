//! The fact-file format as data: every key of `site.yaml`, `region.yaml` and
//! an update, with its type, whether it is required, its bounds and what it
//! means.
//!
//! One source of truth: the validator takes from these tables the keys it
//! accepts in each mapping, the keys it requires and the bounds of each
//! number (with their meaning as the help line), and `relance schema`
//! writes them out as JSON Schema for editors ([`super::schema`]). The
//! checks that a table cannot say (a date equal to the file name, period
//! order, reopened ≤ total, labels unique, languages the site publishes)
//! stay in the validator.

/// The type of a value.
#[derive(Debug, Clone, Copy)]
pub enum Type {
    /// A plain string (the same in every language) or a map by language.
    Text,
    /// Markdown text, plain or by language.
    Markdown,
    /// `YYYY-MM-DD`, a real date.
    Date,
    /// An instant: an RFC 3339 date and time with its offset from UTC.
    Instant,
    /// A number within bounds (`min` is exclusive when `above` is set).
    Number(Bounds),
    /// A number within bounds, or a range `{min: 35, max: 60}` of two
    /// (both within the bounds, `min < max`).
    Figure(Bounds),
    /// A whole number of 0 or more.
    Whole,
    Bool,
    /// An http or https address.
    Url,
    /// The address a site is served from: http or https, without a query
    /// or fragment (every address of the site is it followed by a path).
    BaseUrl,
    /// One of a fixed list of words.
    Enum(&'static [&'static str]),
    /// A mapping with these keys only.
    Map(&'static [Rule]),
    /// A non-empty list of distinct language codes.
    Languages,
    /// A list of values of one type (`unique`: no value twice).
    List(&'static Type, Unique),
    /// A text, or a mapping with these keys (told apart by its keys: a
    /// text by language has language codes as keys).
    TextOr(&'static [Rule]),
}

/// Whether a list may hold the same value twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    Any,
    /// No two items equal ignoring case (the validator's check; a schema
    /// can only say "no two items equal").
    IgnoringCase,
    /// No two items with the same `label` (not expressible in a schema).
    Labels,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: Option<f64>,
    /// `min` itself is excluded (a factor must be greater than 0).
    pub above: bool,
    pub max: Option<f64>,
}

const fn between(min: f64, max: f64) -> Type {
    Type::Number(Bounds {
        min: Some(min),
        above: false,
        max: Some(max),
    })
}

const fn at_least(min: f64) -> Type {
    Type::Number(Bounds {
        min: Some(min),
        above: false,
        max: None,
    })
}

const fn above(min: f64) -> Type {
    Type::Number(Bounds {
        min: Some(min),
        above: true,
        max: None,
    })
}

/// A number of type `number` (bounds and all), or a range of two.
const fn figure(number: Type) -> Type {
    match number {
        Type::Number(b) => Type::Figure(b),
        other => other,
    }
}

const ANY_NUMBER: Type = Type::Number(Bounds {
    min: None,
    above: false,
    max: None,
});

/// One key of a mapping.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub key: &'static str,
    pub ty: Type,
    pub required: bool,
    /// What the key means: the schema's description, the validator's help
    /// line for a number out of bounds, the comment `relance init` writes.
    pub doc: &'static str,
}

const fn opt(key: &'static str, ty: Type, doc: &'static str) -> Rule {
    Rule {
        key,
        ty,
        required: false,
        doc,
    }
}

const fn req(key: &'static str, ty: Type, doc: &'static str) -> Rule {
    Rule {
        key,
        ty,
        required: true,
        doc,
    }
}

/// The language codes relance writes.
pub const LANGUAGES: &[&str] = &["fr", "en", "es"];

// ---------------------------------------------------------------- site.yaml

pub const SITE: &[Rule] = &[
    req("title", Type::Text, "the site's title"),
    req(
        "organisation",
        Type::Text,
        "the organisation publishing the site",
    ),
    opt(
        "language",
        Type::Enum(LANGUAGES),
        "the site's language: fr, en or es (default fr); not with `languages`",
    ),
    opt(
        "languages",
        Type::Languages,
        "a site in several languages, the default first; not with `language`",
    ),
    opt(
        "base_url",
        Type::BaseUrl,
        "the published address, e.g. https://example.org/ (feeds, sitemap)",
    ),
    opt(
        "proper_nouns",
        Type::List(&Type::Text, Unique::Any),
        "names that keep their capital inside a sentence, e.g. [Orange, Paris] (État is known)",
    ),
];

/// Keys of `site.yaml` that may not be given together.
pub const SITE_EXCLUSIVE: (&str, &str) = ("language", "languages");

// -------------------------------------------------------------- region.yaml

const PERSON: &[Rule] = &[
    req("name", Type::Text, "the person's name"),
    opt("role", Type::Text, "their role"),
];

pub const REGION: &[Rule] = &[
    req("name", Type::Text, "the region's name"),
    opt("delegate", Type::Map(PERSON), "who speaks for the region"),
    opt(
        "departments",
        Type::List(&Type::Text, Unique::Any),
        "department codes or names (quote codes: \"11\")",
    ),
];

// ------------------------------------------------------------------ updates

const PERIOD: &[Rule] = &[
    opt("label", Type::Text, "the period's name, e.g. the lockdown"),
    opt("start", Type::Date, "its first day (YYYY-MM-DD)"),
    opt(
        "end",
        Type::Date,
        "its last day, not after the update's date (YYYY-MM-DD)",
    ),
];

const SOURCE: &[Rule] = &[
    opt("name", Type::Text, "where the figures come from"),
    opt(
        "kind",
        Type::Text,
        "what kind of source: an interview, a report…",
    ),
    opt("url", Type::Url, "its address (http or https)"),
];

/// Where one figure comes from, when not from the update's source.
const ITEM_SOURCE: &[Rule] = &[
    req("name", Type::Text, "where this figure comes from"),
    opt("url", Type::Url, "its address (http or https)"),
];

/// An estimate, on a traffic item or an indicator.
const APPROX: Rule = opt(
    "approx",
    Type::Bool,
    "true when the figure is an estimate: it is said \"about\" (a range needs no approx)",
);

/// A figure's own source, on a traffic item or an indicator.
const FIGURE_SOURCE: Rule = opt(
    "source",
    Type::Map(ITEM_SOURCE),
    "this figure's own source, shown as a numbered note",
);

const TELEWORK: &[Rule] = &[
    opt(
        "percent",
        between(0.0, 100.0),
        "the share of staff working remotely, in percent",
    ),
    opt(
        "except",
        Type::List(&Type::Text, Unique::Any),
        "who could not work remotely",
    ),
    opt(
        "staff",
        Type::Whole,
        "how many staff are counted (with remote: the percentage is computed)",
    ),
    opt(
        "remote",
        Type::Whole,
        "how many of the staff counted worked remotely (at most staff)",
    ),
    opt(
        "scope",
        Type::Text,
        "who is counted; updates whose scopes differ are never compared",
    ),
];

const FIELD_WORK: &[Rule] = &[opt(
    "priorities",
    Type::List(&Type::Text, Unique::Any),
    "work kept on site, in priority order",
)];

const MULTIPLIER: &[Rule] = &[
    req("label", Type::Text, "what traffic changed"),
    opt(
        "factor",
        figure(above(0.0)),
        "how many times the baseline traffic was carried: 3 means three times, 0.5 half, {min: 1.35, max: 1.6} a range (or give change_percent)",
    ),
    opt(
        "change_percent",
        figure(above(-100.0)),
        "the change in percent: 35 for a rise of 35 %, -5 for a fall of 5 %, {min: 35, max: 60} a range (or give factor)",
    ),
    APPROX,
    FIGURE_SOURCE,
];

/// Keys of which a mapping holds exactly one, by the path of the mapping.
pub const EXACTLY_ONE: &[(&str, &[&str])] =
    &[("traffic.multipliers", &["factor", "change_percent"])];

/// The keys of which `rules` must hold exactly one, if any.
pub fn exactly_one(rules: &[Rule]) -> Option<&'static [&'static str]> {
    EXACTLY_ONE
        .iter()
        .map(|(_, keys)| *keys)
        .find(|keys| keys.iter().all(|k| rules.iter().any(|r| r.key == *k)))
}

/// Keys of a mapping given together or not at all, by the mapping's path.
pub const TOGETHER: &[(&str, &[&str])] = &[("telework", &["staff", "remote"])];

/// The keys of `rules` that go together, if any.
pub fn together(rules: &[Rule]) -> Option<&'static [&'static str]> {
    TOGETHER
        .iter()
        .map(|(_, keys)| *keys)
        .find(|keys| keys.iter().all(|k| rules.iter().any(|r| r.key == *k)))
}

/// A flag that, when `true`, forbids another key of its mapping:
/// `(path, flag, forbidden)`.
pub const TRUE_EXCLUDES: &[(&str, &str, &str)] = &[("shops", "stayed_open", "reopened")];

/// The flag of `rules` that excludes another key, if any.
pub fn true_excludes(rules: &[Rule]) -> Option<(&'static str, &'static str)> {
    TRUE_EXCLUDES
        .iter()
        .map(|(_, flag, forbidden)| (*flag, *forbidden))
        .find(|(f, x)| rules.iter().any(|r| r.key == *f) && rules.iter().any(|r| r.key == *x))
}

const TRAFFIC: &[Rule] = &[
    opt("baseline", Type::Text, "what the factors compare to"),
    opt("network_held", Type::Bool, "whether the network held"),
    opt(
        "multipliers",
        Type::List(&Type::Map(MULTIPLIER), Unique::Labels),
        "traffic items, each with a unique label and a factor or a change_percent",
    ),
];

const INCIDENT: &[Rule] = &[
    req("kind", Type::Text, "what happened"),
    opt("target", Type::Text, "what it hit"),
    opt("response", Type::Text, "what was done"),
    opt(
        "source",
        Type::Map(ITEM_SOURCE),
        "this incident's own source, shown as a numbered note",
    ),
];

const ONLINE: &[Rule] = &[
    opt(
        "customers_percent",
        between(0.0, 100.0),
        "the share of customers served online, in percent",
    ),
    opt(
        "growth_percent",
        at_least(-100.0),
        "growth in percent; a fall cannot exceed −100",
    ),
];

const SHOPS: &[Rule] = &[
    opt("total", Type::Whole, "how many shops the region has"),
    opt(
        "stayed_open",
        Type::Bool,
        "true when the shops never closed (then give no reopened)",
    ),
    opt(
        "reopened",
        Type::Whole,
        "how many have reopened (at most total)",
    ),
    opt("reopened_on", Type::Date, "when they reopened (YYYY-MM-DD)"),
    opt("by_appointment", Type::Bool, "whether by appointment only"),
    opt("booking", Type::Text, "how to book"),
];

const CORRECTION: &[Rule] = &[
    req(
        "date",
        Type::Date,
        "the day of the correction, not before the update's date (YYYY-MM-DD)",
    ),
    req(
        "note",
        Type::Text,
        "what was wrong and what is right, e.g. \"18 shops had reopened, not 20.\"",
    ),
];

const QUOTE: &[Rule] = &[
    req("text", Type::Text, "what was said"),
    opt("by", Type::Text, "who said it (else the update's speaker)"),
];

const INDICATOR: &[Rule] = &[
    req("label", Type::Text, "what is measured"),
    req(
        "value",
        figure(ANY_NUMBER),
        "the figure, or a range {min: 20, max: 25} when two are stated",
    ),
    opt(
        "unit",
        Type::Text,
        "its unit; `%` is formatted as a percentage",
    ),
    APPROX,
    FIGURE_SOURCE,
];

/// The fields that plausibility checks compare with the previous update,
/// which `checked:` may name.
pub const CHECKABLE: &[&str] = &[
    "telework.percent",
    "online.customers_percent",
    "online.growth_percent",
    "shops.total",
    "traffic.multipliers",
];

pub const UPDATE: &[Rule] = &[
    req("title", Type::Text, "the update's headline"),
    req(
        "date",
        Type::Date,
        "the update's date, equal to the file name (YYYY-MM-DD)",
    ),
    opt("period", Type::Map(PERIOD), "the period the figures cover"),
    opt("source", Type::Map(SOURCE), "where the figures come from"),
    opt("speaker", Type::Map(PERSON), "who gave the figures"),
    opt("telework", Type::Map(TELEWORK), "staff working remotely"),
    opt("field_work", Type::Map(FIELD_WORK), "work kept on site"),
    opt(
        "priority_services",
        Type::List(&Type::Text, Unique::IgnoringCase),
        "services kept running, each once",
    ),
    opt("traffic", Type::Map(TRAFFIC), "network traffic"),
    opt(
        "incidents",
        Type::List(&Type::Map(INCIDENT), Unique::Any),
        "incidents and the response to each",
    ),
    opt("online", Type::Map(ONLINE), "customers served online"),
    opt("shops", Type::Map(SHOPS), "shops reopened"),
    opt(
        "indicators",
        Type::List(&Type::Map(INDICATOR), Unique::Any),
        "any other figure worth publishing",
    ),
    opt(
        "quotes",
        Type::List(&Type::TextOr(QUOTE), Unique::Any),
        "quotes: a text (the speaker's words) or {text, by}",
    ),
    opt(
        "narrative",
        Type::Markdown,
        "Markdown; or a <date>.md file beside the update, not both",
    ),
    opt(
        "publish_at",
        Type::Instant,
        "the embargo: published from this instant on, with its offset (2020-05-14T18:00:00+02:00)",
    ),
    opt(
        "corrections",
        Type::List(&Type::Map(CORRECTION), Unique::Any),
        "corrections published after the update, each dated",
    ),
    opt(
        "checked",
        Type::List(&Type::Enum(CHECKABLE), Unique::Any),
        "fields a person has checked despite an `implausible-change` warning",
    ),
];

// ------------------------------------------------------------------ lookups

/// The keys of a mapping, in the table's order.
pub fn keys(rules: &[Rule]) -> Vec<&'static str> {
    rules.iter().map(|r| r.key).collect()
}

/// The rules of the mapping at `path` (`""`: the file itself; `telework`;
/// `traffic.multipliers` for the items of a list of mappings).
pub fn map_at(root: &'static [Rule], path: &str) -> &'static [Rule] {
    if path.is_empty() {
        return root;
    }
    match rule_at(root, path).map(|r| r.ty) {
        Some(Type::Map(rules)) => rules,
        Some(Type::List(Type::Map(rules) | Type::TextOr(rules), _)) => rules,
        _ => &[],
    }
}

/// The keys accepted in the mapping at `path` of an update.
pub fn update_keys(path: &str) -> Vec<&'static str> {
    keys(map_at(UPDATE, path))
}

/// The rule of the key at a dotted `path` (`telework.percent`), through
/// mappings and lists of mappings.
pub fn rule_at(root: &'static [Rule], path: &str) -> Option<&'static Rule> {
    let mut rules = root;
    let mut found = None;
    for part in path.split('.') {
        let rule = rules.iter().find(|r| r.key == part)?;
        found = Some(rule);
        rules = match rule.ty {
            Type::Map(inner) => inner,
            Type::List(Type::Map(inner) | Type::TextOr(inner), _) => inner,
            _ => &[],
        };
    }
    found
}

/// Whether the update's key at `path` takes a range `{min, max}`.
pub fn takes_range(path: &str) -> bool {
    matches!(
        rule_at(UPDATE, path),
        Some(Rule {
            ty: Type::Figure(_),
            ..
        })
    )
}

/// The bounds of the number at `path` of an update.
pub fn update_bounds(path: &str) -> (Bounds, &'static str) {
    match rule_at(UPDATE, path) {
        Some(Rule {
            ty: Type::Number(b) | Type::Figure(b),
            doc,
            ..
        }) => (*b, doc),
        _ => (
            Bounds {
                min: None,
                above: false,
                max: None,
            },
            "",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_go_through_maps_and_lists() {
        assert_eq!(rule_at(UPDATE, "telework.percent").unwrap().key, "percent");
        assert_eq!(
            rule_at(UPDATE, "traffic.multipliers.factor").unwrap().key,
            "factor"
        );
        assert!(rule_at(UPDATE, "telework.nope").is_none());
        assert_eq!(
            update_keys("traffic.multipliers"),
            ["label", "factor", "change_percent", "approx", "source"]
        );
        assert_eq!(update_bounds("telework.percent").0.max, Some(100.0));
    }

    #[test]
    fn every_checkable_field_is_a_key() {
        for f in CHECKABLE {
            assert!(rule_at(UPDATE, f).is_some(), "{f}");
        }
    }
}
