//! The theme contract: every variable a template receives is documented in
//! themes/README.md, and everything documented there is received by some template.
//!
//! A site overrides every template of the theme with one that prints Tera's dump of its
//! whole context (`__tera_context`); the key paths of those dumps (`page.photos[].caption`)
//! are then looked up in the README's tables.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::TestSite;

/// Marks the first line of a dumped page: the template that rendered it.
const MARK: &str = "template: ";

/// One step of a key path: a map key, or "any element" of an array (`[]`).
type KeyPath = Vec<String>;

fn path_text(path: &[String]) -> String {
    let mut text = String::new();
    for step in path {
        if step != "[]" && !text.is_empty() {
            text.push('.');
        }
        text.push_str(step);
    }
    text
}

fn parse_path(text: &str) -> KeyPath {
    let mut path = Vec::new();
    for part in text.split('.') {
        let name = part.trim_end_matches("[]");
        path.push(name.to_string());
        for _ in 0..(part.len() - name.len()) / 2 {
            path.push("[]".to_string());
        }
    }
    path
}

/// Reads Tera's dump of a value (its `Display`: maps and arrays as in JSON, strings inside
/// them quoted as Rust's `Debug` quotes them, `None` as nothing) and adds the path of each
/// leaf to `paths`. An empty array is the leaf `x[]`, so that its elements count as unseen.
struct Dump<'a> {
    text: &'a [u8],
    at: usize,
}

impl Dump<'_> {
    fn value(&mut self, path: &mut KeyPath, paths: &mut BTreeSet<KeyPath>) {
        match self.text.get(self.at) {
            Some(b'{') => self.map(path, paths),
            Some(b'[') => self.array(path, paths),
            Some(b'"') => {
                self.string();
                paths.insert(path.clone());
            }
            _ => {
                while !matches!(self.text.get(self.at), None | Some(b',' | b'}' | b']')) {
                    self.at += 1;
                }
                paths.insert(path.clone());
            }
        }
    }

    fn map(&mut self, path: &mut KeyPath, paths: &mut BTreeSet<KeyPath>) {
        self.expect(b"{");
        if self.eat(b"}") {
            paths.insert(path.clone());
            return;
        }
        loop {
            let key = self.string();
            self.expect(b": ");
            path.push(key);
            self.value(path, paths);
            path.pop();
            if self.eat(b"}") {
                return;
            }
            self.expect(b", ");
        }
    }

    fn array(&mut self, path: &mut KeyPath, paths: &mut BTreeSet<KeyPath>) {
        self.expect(b"[");
        path.push("[]".into());
        if self.eat(b"]") {
            paths.insert(path.clone());
        } else {
            loop {
                self.value(path, paths);
                if self.eat(b"]") {
                    break;
                }
                self.expect(b", ");
            }
        }
        path.pop();
    }

    /// A quoted string; its text, with escapes kept (keys have none).
    fn string(&mut self) -> String {
        self.expect(b"\"");
        let start = self.at;
        while self.text[self.at] != b'"' {
            self.at += if self.text[self.at] == b'\\' { 2 } else { 1 };
        }
        self.at += 1;
        String::from_utf8_lossy(&self.text[start..self.at - 1]).into_owned()
    }

    fn eat(&mut self, token: &[u8]) -> bool {
        let found = self.text[self.at..].starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    fn expect(&mut self, token: &[u8]) {
        assert!(
            self.eat(token),
            "expected {:?} at {}: {:?}",
            String::from_utf8_lossy(token),
            self.at,
            String::from_utf8_lossy(&self.text[self.at..(self.at + 80).min(self.text.len())])
        );
    }
}

/// Key paths of one dumped context.
fn context_paths(dump: &str) -> BTreeSet<KeyPath> {
    let mut paths = BTreeSet::new();
    let mut reader = Dump {
        text: dump.trim().as_bytes(),
        at: 0,
    };
    reader.map(&mut Vec::new(), &mut paths);
    assert_eq!(reader.at, reader.text.len(), "the whole dump is read");
    paths
}

/// The default theme's templates but its partials (which receive what their page does).
fn page_templates() -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".html"))
        .collect();
    names.sort();
    names
}

/// The key paths each template received, over every page of the built site.
fn received(site: &TestSite) -> BTreeMap<String, BTreeSet<KeyPath>> {
    for name in page_templates() {
        site.write(
            &format!("templates/{name}"),
            &format!("{MARK}{name}\n{{{{ __tera_context | safe }}}}"),
        );
    }
    site.build().assert_ok();
    let mut received: BTreeMap<String, BTreeSet<KeyPath>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(site.path("public")) {
        let entry = entry.unwrap();
        if !entry.file_name().to_string_lossy().ends_with(".html") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let (first, dump) = text.split_once('\n').unwrap();
        let template = first
            .strip_prefix(MARK)
            .unwrap_or_else(|| panic!("{} not rendered by a dump", entry.path().display()));
        received
            .entry(template.to_string())
            .or_default()
            .extend(context_paths(dump));
    }
    received
}

/// `text` with `lines` put at the top of its front matter.
fn with_field(text: &str, lines: &str) -> String {
    text.replacen("---\n", &format!("---\n{lines}"), 1)
}

/// The basic fixture with every optional value set somewhere: a logo, a menu and an
/// accent; covers (in the content and in `static/`); an author, an update and a document
/// number; photos with captions, credits and dates.
fn contract_site() -> TestSite {
    let site = TestSite::fixture("basic");
    let photo = site.path("content/galleries/spring/01.png");
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::fs::copy(&photo, site.path("static/logo.png")).unwrap();
    std::fs::copy(&photo, site.path("content/stories/cover.png")).unwrap();
    site.write(
        "site.yaml",
        &format!(
            "{}logo: /logo.png\naccent: \"#c8102e\"\nmenu:\n  - name: 首页\n    url: /\n",
            site.read("site.yaml")
        ),
    );
    let edit = |rel: &str, lines: &str| site.write(rel, &with_field(&site.read(rel), lines));
    edit(
        "content/stories/jinglaoyuan.md",
        "cover: cover.png\nauthor: 王芳\nupdated: 2013-03-11\norganization: 社区志愿服务队\n",
    );
    edit("content/campaigns/leifeng-2013.md", "cover: /logo.png\n");
    edit(
        "content/plans/tianzhushan.md",
        "doc_number: 天党发〔2011〕1号\n",
    );
    edit(
        "content/galleries/spring/index.md",
        "photos:\n  - src: 01.png\n    caption: 植树\n    credit: 李明\n    date: 2013-03-12\n  - src: 02.png\n",
    );
    site
}

/// One row of a table in the README: the paths it documents and, when its second column
/// links to a value (`[card](#card)`), that value's name.
struct Row {
    paths: Vec<KeyPath>,
    value: Option<String>,
    /// The README's line, for messages.
    line: usize,
}

/// A documented path: its README line, and its place among the paths of that line.
type Documented = (usize, usize);

/// Where a table's rows apply.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    /// Every template.
    Every,
    /// The templates named in the heading.
    Template(String),
    /// A value, by its heading's anchor (`campaign-card`).
    Value(String),
}

/// The README's tables: rows by scope, and the values a value brings in whole
/// (*everything a card has*).
#[derive(Default)]
struct Contract {
    rows: BTreeMap<Scope, Vec<Row>>,
    includes: BTreeMap<String, Vec<String>>,
}

/// The anchor GitHub gives a heading: `campaign card` → `campaign-card`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The texts between backticks.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The anchor a cell links to (`[card](#card)` → `card`).
fn linked(cell: &str) -> Option<String> {
    let start = cell.find("](#")? + 3;
    let end = start + cell[start..].find(')')?;
    Some(cell[start..end].to_string())
}

/// Reads every table under a `###` heading of themes/README.md (see its "What templates
/// receive" for the convention).
fn contract(readme: &str) -> Contract {
    let mut contract = Contract::default();
    let mut scopes: Vec<Scope> = Vec::new();
    for (number, line) in readme.lines().enumerate() {
        if let Some(heading) = line.strip_prefix("### ") {
            let templates = backticked(heading);
            scopes = if heading == "Every template" {
                vec![Scope::Every]
            } else if !templates.is_empty() {
                templates
                    .iter()
                    .map(|name| Scope::Template(name.to_string()))
                    .collect()
            } else {
                vec![Scope::Value(anchor(heading))]
            };
            for scope in &scopes {
                contract.rows.entry(scope.clone()).or_default();
            }
            continue;
        }
        if line.starts_with("## ") {
            scopes.clear();
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if scopes.is_empty() || cells.len() < 4 || cells[1].starts_with("---") {
            continue;
        }
        if matches!(cells[1], "variable" | "field") {
            continue;
        }
        let value = linked(cells[2]);
        let paths: Vec<KeyPath> = backticked(cells[1]).into_iter().map(parse_path).collect();
        if paths.is_empty() {
            let Some(whole) = value else {
                panic!("themes/README.md:{}: a row names no variable", number + 1)
            };
            for scope in &scopes {
                let Scope::Value(name) = scope else {
                    panic!(
                        "themes/README.md:{}: only a value brings in another",
                        number + 1
                    )
                };
                contract
                    .includes
                    .entry(name.clone())
                    .or_default()
                    .push(whole.clone());
            }
            continue;
        }
        for scope in &scopes {
            contract.rows.get_mut(scope).unwrap().push(Row {
                paths: paths.clone(),
                value: value.clone(),
                line: number + 1,
            });
        }
    }
    contract
}

impl Contract {
    /// Whether `path` is documented in one of `scopes`; marks the rows that document it.
    fn documents(
        &self,
        scopes: &[Scope],
        path: &[String],
        used: &mut BTreeSet<Documented>,
    ) -> bool {
        scopes
            .iter()
            .any(|scope| self.documents_in(scope, path, used))
    }

    fn documents_in(
        &self,
        scope: &Scope,
        path: &[String],
        used: &mut BTreeSet<Documented>,
    ) -> bool {
        let rows = self
            .rows
            .get(scope)
            .unwrap_or_else(|| panic!("themes/README.md has no heading for {scope:?}"));
        for row in rows {
            for (column, documented) in row.paths.iter().enumerate() {
                if documented.as_slice() == path {
                    used.insert((row.line, column));
                    return true;
                }
                // An empty list whose entries are documented.
                if path.last().is_some_and(|step| step == "[]") && documented.starts_with(path) {
                    return true;
                }
                if let Some(value) = &row.value
                    && path.len() > documented.len()
                    && path.starts_with(documented)
                    && self.documents_in(
                        &Scope::Value(value.clone()),
                        &path[documented.len()..],
                        used,
                    )
                {
                    used.insert((row.line, column));
                    return true;
                }
            }
        }
        let Scope::Value(name) = scope else {
            return false;
        };
        self.includes
            .get(name)
            .into_iter()
            .flatten()
            .any(|whole| self.documents_in(&Scope::Value(whole.clone()), path, used))
    }

    /// Every documented path, by where it is written.
    fn all(&self) -> BTreeMap<Documented, String> {
        self.rows
            .values()
            .flatten()
            .flat_map(|row| {
                row.paths
                    .iter()
                    .enumerate()
                    .map(|(column, path)| ((row.line, column), path_text(path)))
            })
            .collect()
    }
}

#[test]
fn every_variable_a_template_receives_is_documented_and_every_documented_one_is_received() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/README.md");
    let contract = contract(&std::fs::read_to_string(readme_path).unwrap());
    let site = contract_site();
    let mut used = BTreeSet::new();
    let mut undocumented = Vec::new();
    for (template, paths) in received(&site) {
        let scopes = [Scope::Every, Scope::Template(template.clone())];
        for path in paths {
            if !contract.documents(&scopes, &path, &mut used) {
                undocumented.push(format!("{template}: {}", path_text(&path)));
            }
        }
    }
    let unreceived: Vec<String> = contract
        .all()
        .into_iter()
        .filter(|(at, _)| !used.contains(at))
        .map(|((line, _), path)| format!("themes/README.md:{line}: {path}"))
        .collect();
    assert!(
        undocumented.is_empty() && unreceived.is_empty(),
        "received by templates, missing from themes/README.md:\n{}\n\ndocumented, but no \
         template of the contract site received it (a stale line, or a value the site in \
         this test lacks):\n{}",
        undocumented.join("\n"),
        unreceived.join("\n")
    );
}

#[test]
fn a_dump_gives_the_path_of_every_leaf() {
    let dump = r#"{"a": 1, "b": , "c": {"d": "x, \"}\\", "e": []}, "f": [{"g": true}, {"g": false, "h": 2.5}], "i": ["j", "k"], "l": {}}"#;
    let paths: Vec<String> = context_paths(dump)
        .iter()
        .map(|path| path_text(path))
        .collect();
    assert_eq!(
        paths,
        ["a", "b", "c.d", "c.e[]", "f[].g", "f[].h", "i[]", "l"]
    );
    assert_eq!(parse_path("a.b[][].c"), ["a", "b", "[]", "[]", "c"]);
}
