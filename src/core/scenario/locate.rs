//! Finds where a value sits in RON source text, so semantic errors found on the typed
//! model can point at the line and column an author has to change.
//!
//! serde keeps no positions, so after a successful parse this module reads the same
//! text into a light tree of spans (structs, tuples, lists, maps, atoms) and resolves a
//! path such as `injects[3].do[0].metric` against it.

use super::diagnostic::Location;

/// One step of a path into the scenario: a named field or a position in a list or tuple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg {
    Field(&'static str),
    Index(usize),
}

impl From<&'static str> for Seg {
    fn from(name: &'static str) -> Self {
        Seg::Field(name)
    }
}

impl From<usize> for Seg {
    fn from(index: usize) -> Self {
        Seg::Index(index)
    }
}

/// A value in the source: its byte span and its children, named (struct fields) or
/// positional (list items, tuple and enum-variant contents).
#[derive(Debug, Default)]
struct Node {
    start: usize,
    end: usize,
    /// `Name` in `Name(...)`: a struct, an enum variant or `Some`.
    name: Option<String>,
    children: Vec<(Option<String>, Node)>,
}

/// The span tree of one source text.
pub struct SourceMap<'a> {
    source: &'a str,
    root: Option<Node>,
}

impl<'a> SourceMap<'a> {
    pub fn new(source: &'a str) -> Self {
        let mut parser = Parser {
            src: source,
            pos: 0,
        };
        let root = parser.value();
        SourceMap { source, root }
    }

    /// Where the value at `path` starts and how wide its first line is. A path that goes
    /// further than the text (a defaulted field, say) resolves to the deepest value found.
    pub fn locate(&self, path: &[Seg]) -> (Location, usize) {
        let Some(mut node) = self.root.as_ref() else {
            return (Location { line: 1, col: 1 }, 1);
        };
        for seg in path {
            node = unwrap_some(node);
            let next = match *seg {
                Seg::Field(name) => node
                    .children
                    .iter()
                    .find(|(field, _)| field.as_deref() == Some(name))
                    .map(|(_, child)| child),
                Seg::Index(index) => node
                    .children
                    .iter()
                    .filter(|(field, _)| field.is_none())
                    .nth(index)
                    .map(|(_, child)| child),
            };
            match next {
                Some(child) => node = child,
                None => break,
            }
        }
        let node = unwrap_some(node);
        let text = &self.source[node.start..node.end];
        let width = text.lines().next().map_or(1, |line| line.chars().count());
        (self.location(node.start), width)
    }

    fn location(&self, offset: usize) -> Location {
        let before = &self.source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Location { line, col }
    }
}

fn unwrap_some(node: &Node) -> &Node {
    match (&node.name, node.children.as_slice()) {
        (Some(name), [(None, inner)]) if name == "Some" => inner,
        _ => node,
    }
}

/// A forgiving recursive-descent reader of RON values. It only runs on text serde has
/// already accepted; on anything unexpected it stops and keeps what it has.
struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    fn skip_trivia(&mut self) {
        loop {
            let rest = self.rest();
            if let Some(c) = rest.chars().next().filter(|c| c.is_whitespace()) {
                self.pos += c.len_utf8();
            } else if rest.starts_with("//") {
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if rest.starts_with("/*") {
                self.skip_block_comment();
            } else {
                return;
            }
        }
    }

    fn skip_block_comment(&mut self) {
        let mut depth = 0usize;
        while !self.rest().is_empty() {
            if self.rest().starts_with("/*") {
                depth += 1;
                self.pos += 2;
            } else if self.rest().starts_with("*/") {
                depth -= 1;
                self.pos += 2;
                if depth == 0 {
                    return;
                }
            } else {
                self.bump();
            }
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_trivia();
        if self.peek() == Some(c) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<Node> {
        self.skip_trivia();
        let start = self.pos;
        let first = self.peek()?;
        let mut node = Node {
            start,
            ..Node::default()
        };
        match first {
            '(' => {
                self.bump();
                node.children = self.items(')')?;
            }
            '[' => {
                self.bump();
                node.children = self.items(']')?;
            }
            '{' => {
                self.bump();
                node.children = self.map_entries()?;
            }
            '"' => self.string(),
            '\'' => self.char_literal(),
            'r' if self.rest().starts_with("r\"") || self.rest().starts_with("r#") => {
                self.raw_string()
            }
            c if is_ident_start(c) => {
                let name = self.ident();
                self.skip_trivia();
                if self.peek() == Some('(') {
                    self.bump();
                    node.children = self.items(')')?;
                }
                node.name = Some(name);
            }
            _ => self.number_like(),
        }
        node.end = self.pos.max(start + 1).min(self.src.len());
        Some(node)
    }

    /// Comma-separated items up to `close`: `name: value` fields or bare values.
    fn items(&mut self, close: char) -> Option<Vec<(Option<String>, Node)>> {
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Some(items);
            }
            let field = self.field_name();
            let value = self.value()?;
            items.push((field, value));
            if !self.eat(',') {
                return self.eat(close).then_some(items);
            }
        }
    }

    fn map_entries(&mut self) -> Option<Vec<(Option<String>, Node)>> {
        let mut entries = Vec::new();
        loop {
            if self.eat('}') {
                return Some(entries);
            }
            self.value()?;
            if !self.eat(':') {
                return None;
            }
            entries.push((None, self.value()?));
            if !self.eat(',') {
                return self.eat('}').then_some(entries);
            }
        }
    }

    /// `ident:` ahead? Consume it and return the name; otherwise leave the input alone.
    fn field_name(&mut self) -> Option<String> {
        self.skip_trivia();
        let save = self.pos;
        if self.peek().is_some_and(is_ident_start) {
            let name = self.ident();
            if self.eat(':') {
                return Some(name);
            }
        }
        self.pos = save;
        None
    }

    fn ident(&mut self) -> String {
        if self.rest().starts_with("r#") {
            self.pos += 2;
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.bump();
        }
        self.src[start..self.pos].to_string()
    }

    fn string(&mut self) {
        self.bump();
        while let Some(c) = self.peek() {
            self.bump();
            match c {
                '\\' => self.bump(),
                '"' => return,
                _ => {}
            }
        }
    }

    fn char_literal(&mut self) {
        self.bump();
        while let Some(c) = self.peek() {
            self.bump();
            match c {
                '\\' => self.bump(),
                '\'' => return,
                _ => {}
            }
        }
    }

    fn raw_string(&mut self) {
        self.bump();
        let hashes = self.rest().chars().take_while(|&c| c == '#').count();
        self.pos += hashes;
        if self.peek() != Some('"') {
            return;
        }
        self.bump();
        let closing = format!("\"{}", "#".repeat(hashes));
        match self.rest().find(&closing) {
            Some(i) => self.pos += i + closing.len(),
            None => self.pos = self.src.len(),
        }
    }

    fn number_like(&mut self) {
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && !",:()[]{}".contains(c))
        {
            self.bump();
        }
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r##"// a comment with ( and "
Scenario(
    id: "x", /* block /* nested */ */
    list: [
        (a: 1.5, b: Some("in some")),
        (a: -2, b: r#"raw "quoted""#),
    ],
    cond: Not(All([After("5m"), Flag("f")])),
)"##;

    fn at(path: &[Seg]) -> (usize, usize, usize) {
        let (loc, width) = SourceMap::new(TEXT).locate(path);
        (loc.line, loc.col, width)
    }

    #[test]
    fn resolves_fields_indices_and_variant_contents() {
        assert_eq!(at(&["id".into()]), (3, 9, 3));
        assert_eq!(at(&["list".into(), 1.into(), "a".into()]), (6, 13, 2));
        assert_eq!(at(&["list".into(), 0.into(), "b".into()]), (5, 26, 9));
        assert_eq!(at(&["list".into(), 1.into(), "b".into()]), (6, 20, 17));
        let flag = ["cond".into(), 0.into(), 0.into(), 1.into(), 0.into()];
        assert_eq!(at(&flag), (8, 38, 3));
    }

    #[test]
    fn stops_at_the_deepest_value_that_exists() {
        assert_eq!(at(&["list".into(), 7.into()]), (4, 11, 1));
        assert_eq!(at(&["missing".into()]), (2, 1, 9));
    }

    const PATH: [Seg; 3] = [Seg::Field("list"), Seg::Index(1), Seg::Field("b")];

    /// Locates `path` in `text` and checks the place is inside it: the line exists, the
    /// column is on it (or just past its end), and the underline stays on the line.
    /// Returns the byte offset of the place.
    fn locate_inside(text: &str, path: &[Seg]) -> usize {
        let (loc, width) = SourceMap::new(text).locate(path);
        let lines: Vec<&str> = text.split('\n').collect();
        assert!(
            (1..=lines.len()).contains(&loc.line),
            "line {} of {} in {text:?}",
            loc.line,
            lines.len()
        );
        let line = lines[loc.line - 1];
        let chars = line.chars().count();
        assert!(
            loc.col >= 1 && loc.col <= chars + 1,
            "col {} on a line of {chars} characters in {text:?}",
            loc.col
        );
        assert!(
            width >= 1 && loc.col - 1 + width <= chars.max(loc.col),
            "{width} characters from col {} overrun line {line:?}",
            loc.col
        );
        let line_start: usize = lines[..loc.line - 1].iter().map(|l| l.len() + 1).sum();
        line_start
            + line
                .char_indices()
                .nth(loc.col - 1)
                .map_or(line.len(), |(i, _)| i)
    }

    #[test]
    fn broken_text_is_located_inside_it_at_the_deepest_value_found() {
        let token = TEXT.find("r#\"raw").unwrap();
        assert_eq!(
            locate_inside(TEXT, &PATH),
            token,
            "the whole text: the token"
        );
        // Where `list[1].b` and the values above it start in the text; 0 when nothing
        // parses.
        let on_the_path = [
            0,
            TEXT.find("Scenario(").unwrap(),
            TEXT.find("[\n").unwrap(),
            TEXT.find("(a: -2").unwrap(),
            token,
        ];
        for cut in (0..TEXT.len()).filter(|&cut| TEXT.is_char_boundary(cut)) {
            let at = locate_inside(&TEXT[..cut], &PATH);
            assert!(on_the_path.contains(&at), "cut at {cut}: located at {at}");
        }
        // One character deleted anywhere: the place is a value on the path (its offset
        // mapped back to the original), or the text's first value when the deletion left
        // no `list` under it. A deletion inside the comment of line 1 leaves the token.
        let comment = 2..TEXT.find('\n').unwrap();
        for (i, c) in TEXT.char_indices() {
            let text = format!("{}{}", &TEXT[..i], &TEXT[i + c.len_utf8()..]);
            let at = locate_inside(&text, &PATH);
            // The start of the text (nothing parsed) is the start in both.
            let original = if at == 0 || at < i {
                at
            } else {
                at + c.len_utf8()
            };
            assert!(
                on_the_path.contains(&original) || at == locate_inside(&text, &[]),
                "{c:?} deleted at {i}: located at {original} of the original"
            );
            if comment.contains(&i) {
                assert_eq!(original, token, "{c:?} deleted from the comment at {i}");
            }
        }
    }
}
