//! A YAML document as a tree of nodes that remember where they came from.
//!
//! serde-based loaders stop at the first problem and forget positions once a
//! value is deserialised. Validation needs both: every problem of a file in one
//! run, each pointing at the offending value. So the loader builds this small
//! tree from saphyr-parser's event stream and validation walks it.
//!
//! Aliases are refused outright: fact files never need them, and refusing them
//! is the only complete defence against "billion laughs" expansion.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Deepest nesting accepted. The format needs 4 levels; 32 leaves room for
/// hand-written oddities while keeping hostile input from exhausting memory.
pub const MAX_DEPTH: usize = 32;

/// Where a node starts and ends, 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    /// Width in characters of the node on its first line (at least 1).
    pub width: usize,
}

impl Pos {
    pub const START: Pos = Pos {
        line: 1,
        column: 1,
        width: 1,
    };

    fn from_span(span: &Span) -> Pos {
        let width = if span.end.line() == span.start.line() {
            span.end.col().saturating_sub(span.start.col()).max(1)
        } else {
            1
        };
        Pos {
            line: span.start.line().max(1),
            column: span.start.col() + 1,
            width,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar; `plain` is false when it was quoted or a block scalar, which
    /// makes it a string whatever it looks like.
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

impl Node {
    /// True for `~`, `null` and an empty plain value.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, plain: true }
            if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The value of `key`, when the node is a mapping that has it.
    pub fn child(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.kind, NodeKind::Scalar { value, .. } if value == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A short description of what the node is, for "expected X, found Y".
    pub fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Seq(_) => "a list".into(),
            NodeKind::Map(_) => "a mapping (keys and values)".into(),
            NodeKind::Scalar { .. } if self.is_null() => "nothing".into(),
            NodeKind::Scalar { value, .. } => {
                let shown: String = value.chars().take(40).collect();
                if shown.len() < value.len() {
                    format!("`{shown}…`")
                } else {
                    format!("`{shown}`")
                }
            }
        }
    }
}

/// A problem found while reading YAML syntax.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parses one YAML document. An empty stream gives `Ok(None)`.
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    let mut parser = Parser::new_from_str(text);
    // Stack of containers being built: (node under construction, pending key).
    enum Frame {
        Seq(Vec<Node>, Pos),
        Map(Vec<(Node, Node)>, Option<Node>, Pos),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;

    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(pair)) => pair,
            Some(Err(e)) => {
                let m = e.marker();
                return Err(SyntaxError {
                    pos: Pos {
                        line: m.line().max(1),
                        column: m.col() + 1,
                        width: 1,
                    },
                    message: format!("YAML syntax error: {}", e.info()),
                });
            }
        };
        let pos = Pos::from_span(&span);
        let finished: Option<Node> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError {
                        pos,
                        message: "a fact file holds one YAML document; remove the second `---`"
                            .into(),
                    });
                }
                None
            }
            Event::Alias(_) => {
                return Err(SyntaxError {
                    pos,
                    message:
                        "YAML aliases (`*name`) are not allowed in fact files; write the value out"
                            .into(),
                });
            }
            Event::Scalar(_, _, _, Some(_))
            | Event::SequenceStart(_, Some(_))
            | Event::MappingStart(_, Some(_)) => {
                return Err(SyntaxError {
                    pos,
                    message: "YAML tags (`!!str`, `!name`) are not used in fact files; remove it (put a value in quotes to make it text)".into(),
                });
            }
            Event::Scalar(value, style, _, _) => Some(Node {
                kind: NodeKind::Scalar {
                    value: value.into_owned(),
                    plain: style == ScalarStyle::Plain,
                },
                pos,
            }),
            Event::SequenceStart(_, _) | Event::MappingStart(_, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        pos,
                        message: format!(
                            "nesting deeper than {MAX_DEPTH} levels; a fact file never needs this"
                        ),
                    });
                }
                if matches!(event, Event::SequenceStart(..)) {
                    stack.push(Frame::Seq(Vec::new(), pos));
                } else {
                    stack.push(Frame::Map(Vec::new(), None, pos));
                }
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, p)) => Some(Node {
                    kind: NodeKind::Seq(items),
                    pos: p,
                }),
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(entries, _, p)) => Some(Node {
                    kind: NodeKind::Map(entries),
                    pos: p,
                }),
                _ => None,
            },
        };
        if let Some(node) = finished {
            match stack.last_mut() {
                None => root = Some(node),
                Some(Frame::Seq(items, _)) => items.push(node),
                Some(Frame::Map(entries, pending, _)) => match pending.take() {
                    None => *pending = Some(node),
                    Some(key) => entries.push((key, node)),
                },
            }
        }
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_point_at_values() {
        let node = parse("a: 1\nb:\n  c: hello\n").unwrap().unwrap();
        let NodeKind::Map(entries) = &node.kind else {
            panic!("not a map")
        };
        assert_eq!(
            entries[0].1.pos,
            Pos {
                line: 1,
                column: 4,
                width: 1
            }
        );
        let NodeKind::Map(inner) = &entries[1].1.kind else {
            panic!("not a map")
        };
        assert_eq!(
            inner[0].1.pos,
            Pos {
                line: 3,
                column: 6,
                width: 5
            }
        );
    }

    #[test]
    fn aliases_are_refused() {
        let err = parse("a: &x [1]\nb: *x\n").unwrap_err();
        assert_eq!(err.pos.line, 2);
        assert!(err.message.contains("aliases"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(100) + &"]".repeat(100);
        assert!(parse(&text).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn empty_stream_is_none() {
        assert_eq!(parse("# only a comment\n").unwrap(), None);
    }
}
