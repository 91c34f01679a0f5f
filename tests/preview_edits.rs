//! Random sequences of the edits authors make, applied to a preview session one by one:
//! after each, every page, feed, calendar, sitemap and search file the preview serves is
//! the one a full build of the same files makes, byte for byte.
//!
//! `PROPTEST_CASES=2000 cargo test --release --test preview_edits` runs a long search.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use herald::project::BuildOptions;
use herald::serve::session::{Outcome, Session};
use herald::serve::watch::Changes;
use proptest::prelude::*;

/// The item files a sequence edits: a folder each, so the kinds all take part.
const SLOTS: &[&str] = &[
    "plans",
    "plans",
    "plans",
    "initiatives",
    "stories",
    "stories",
    "galleries",
    "",
];
const CAMPAIGNS: &[&str] = &["leifeng-2013", "qiye-2011"];
const TAGS: &[&str] = &["学雷锋", "志愿服务", "环保", "C++", "c"];
const TITLES: &[&str] = &[
    "洪湖志愿服务队",
    "三走进",
    "敬老院里的一天",
    "2013",
    "新标题",
];

/// One item file as the author wrote it.
#[derive(Debug, Clone)]
struct ItemFile {
    name: u8,
    title: u8,
    date: Option<u8>,
    tags: u8,
    campaign: Option<u8>,
    cover: bool,
    draft: bool,
    detail: u8,
    unknown: bool,
    body: u8,
    summary: Option<u8>,
}

/// One campaign file.
#[derive(Debug, Clone)]
struct CampaignFile {
    title: u8,
    start: u8,
    phases: bool,
    tags: u8,
}

/// A change to one field of an item file.
#[derive(Debug, Clone)]
enum Field {
    Title(u8),
    Date(u8),
    Tags(u8),
    Campaign(Option<u8>),
    Cover(bool),
    Draft(bool),
    Detail(u8),
    Unknown(bool),
    Body(u8),
    Summary(Option<u8>),
}

impl Field {
    fn apply(&self, file: &mut ItemFile) {
        match *self {
            Field::Title(title) => file.title = title,
            Field::Date(day) => file.date = Some(day),
            Field::Tags(tags) => file.tags = tags,
            Field::Campaign(campaign) => file.campaign = campaign,
            Field::Cover(cover) => file.cover = cover,
            Field::Draft(draft) => file.draft = draft,
            Field::Detail(detail) => file.detail = detail,
            Field::Unknown(unknown) => file.unknown = unknown,
            Field::Body(body) => file.body = body,
            Field::Summary(summary) => file.summary = summary,
        }
    }
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        (0u8..5).prop_map(Field::Title),
        (0u8..28).prop_map(Field::Date),
        (0u8..32).prop_map(Field::Tags),
        proptest::option::of(0u8..2).prop_map(Field::Campaign),
        any::<bool>().prop_map(Field::Cover),
        prop::bool::weighted(0.3).prop_map(Field::Draft),
        (0u8..3).prop_map(Field::Detail),
        any::<bool>().prop_map(Field::Unknown),
        (0u8..6).prop_map(Field::Body),
        proptest::option::of(0u8..2).prop_map(Field::Summary),
    ]
}

#[derive(Debug, Clone)]
enum Edit {
    /// Writes (or makes) an item file.
    Item(usize, ItemFile),
    /// Changes one field of an item file, when there is one.
    Field(usize, Field),
    /// Deletes one.
    Remove(usize),
    /// Gives one another file name (and so, without a slug, another address).
    Rename(usize, u8),
    /// Rewrites a campaign.
    Campaign(usize, CampaignFile),
    /// Changes the site's title or its page size.
    Site(u8, u8),
    /// Puts a site template in front of the theme's list template, or takes it away.
    ListTemplate(Option<u8>),
}

fn item_file() -> impl Strategy<Value = ItemFile> {
    (
        (0u8..3, 0u8..5, 0u8..28, 0u8..32),
        (
            proptest::option::of(0u8..2),
            any::<bool>(),
            prop::bool::weighted(0.15),
        ),
        (0u8..3, any::<bool>(), 0u8..4, proptest::option::of(0u8..2)),
    )
        .prop_map(
            |(
                (name, title, date, tags),
                (campaign, cover, draft),
                (detail, unknown, body, summary),
            )| {
                ItemFile {
                    name,
                    title,
                    date: Some(date),
                    tags,
                    campaign,
                    cover,
                    draft,
                    detail,
                    unknown,
                    body,
                    summary,
                }
            },
        )
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (0..SLOTS.len(), item_file()).prop_map(|(slot, file)| Edit::Item(slot, file)),
        10 => (0..SLOTS.len(), field()).prop_map(|(slot, field)| Edit::Field(slot, field)),
        2 => (0..SLOTS.len()).prop_map(Edit::Remove),
        1 => (0..SLOTS.len(), 0u8..3).prop_map(|(slot, name)| Edit::Rename(slot, name)),
        2 => (0..CAMPAIGNS.len(), (0u8..5, 0u8..20, any::<bool>(), 0u8..32))
            .prop_map(|(slot, (title, start, phases, tags))| Edit::Campaign(
                slot,
                CampaignFile { title, start, phases, tags }
            )),
        1 => (0u8..3, 1u8..4).prop_map(|(title, paginate)| Edit::Site(title, paginate)),
        1 => proptest::option::of(0u8..2).prop_map(Edit::ListTemplate),
    ]
}

/// The files of a generated site, kept in memory to write and rename.
struct Sources {
    root: PathBuf,
    items: Vec<Option<ItemFile>>,
}

impl Sources {
    fn new(root: &Path) -> Sources {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let photos = root.join("content/galleries/photos");
        std::fs::create_dir_all(&photos).unwrap();
        for name in ["01.png", "02.png"] {
            std::fs::copy(
                fixture.join("content/galleries/spring").join(name),
                photos.join(name),
            )
            .unwrap();
        }
        let sources = Sources {
            root: root.to_path_buf(),
            items: vec![None; SLOTS.len()],
        };
        sources.write_site(0, 2);
        for slot in 0..CAMPAIGNS.len() {
            sources.write_campaign(
                slot,
                &CampaignFile {
                    title: slot as u8,
                    start: 0,
                    phases: slot == 0,
                    tags: 1,
                },
            );
        }
        sources
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn write_site(&self, title: u8, paginate: u8) {
        self.write(
            "site.yaml",
            &format!(
                "title: 测试站点{title}\nbase_url: https://example.org/v/\npaginate: {paginate}\n"
            ),
        );
    }

    fn write_campaign(&self, slot: usize, campaign: &CampaignFile) {
        let mut text = format!(
            "---\ntitle: {}活动\nstart: 2013-03-{:02}\nend: 2013-04-20\n",
            TITLES[campaign.title as usize],
            campaign.start + 1
        );
        if campaign.phases {
            text.push_str(
                "phases:\n  - name: 宣传发动\n    start: 2013-03-01\n    end: 2013-03-10\n",
            );
        }
        text.push_str(&format!(
            "tags: [{}]\n---\n活动正文。\n",
            tags(campaign.tags)
        ));
        self.write(&format!("content/campaigns/{}.md", CAMPAIGNS[slot]), &text);
    }

    /// The item's file, relative to the site.
    fn path(slot: usize, file: &ItemFile) -> String {
        let folder = SLOTS[slot];
        let stem = format!("item{slot}-{}", file.name);
        match folder {
            "" => format!("content/{stem}.md"),
            // A gallery is a folder, holding its photos.
            "galleries" => format!("content/galleries/{stem}/index.md"),
            _ => format!("content/{folder}/{stem}.md"),
        }
    }

    fn write_item(&self, slot: usize, file: &ItemFile) {
        let mut text = format!("---\ntitle: {}\n", TITLES[file.title as usize]);
        if let Some(day) = file
            .date
            .filter(|_| !SLOTS[slot].is_empty() || file.title.is_multiple_of(2))
        {
            text.push_str(&format!("date: 2013-03-{:02}\n", day + 1));
        }
        if file.tags != 0 {
            text.push_str(&format!("tags: [{}]\n", tags(file.tags)));
        }
        if let Some(campaign) = file.campaign {
            text.push_str(&format!("campaign: {}\n", CAMPAIGNS[campaign as usize]));
        }
        if file.cover {
            let cover = match SLOTS[slot] {
                "" => "galleries/photos/01.png",
                "galleries" => "../photos/01.png",
                _ => "../galleries/photos/01.png",
            };
            text.push_str(&format!("cover: {cover}\n"));
        }
        if file.draft {
            text.push_str("draft: true\n");
        }
        if let Some(summary) = file.summary {
            text.push_str(&format!("summary: 摘要{summary}\n"));
        }
        if file.unknown {
            text.push_str("location_note: 门口\n");
        }
        match (SLOTS[slot], file.detail) {
            (_, 0) => {}
            ("plans", n) => text.push_str(&format!("issuer: 文明办{n}\ndoc_number: 青社〔2024〕{n}号\n")),
            ("initiatives", n) => text.push_str(&format!("to: 广大市民{n}\nsignatories: [团市委]\n")),
            ("stories", n) => text.push_str(&format!("volunteers: [陈明{n}]\nlocation: 公园{n}\n")),
            ("galleries", _) => text.push_str(
                "photos:\n  - src: ../photos/02.png\n    caption: 第二张\n  - src: ../photos/01.png\n    caption: 第一张\n",
            ),
            _ => {}
        }
        text.push_str("---\n");
        let paragraphs = [
            "我们来到敬老院。",
            "新加的一段。",
            "第一段。\n\n<!-- more -->\n\n第二段很长。",
            "",
        ];
        match paragraphs.get(file.body as usize) {
            Some(paragraph) => text.push_str(paragraph),
            // A link to the first slot's item by one of its names: its address moves when
            // it is renamed, and the link must follow.
            None => {
                let up = match SLOTS[slot] {
                    "" => "",
                    "galleries" => "../../",
                    _ => "../",
                };
                let name = (file.body as usize - paragraphs.len()) * 2;
                text.push_str(&format!("见[另一篇]({up}{}/item0-{name}.md)。", SLOTS[0]));
            }
        }
        text.push('\n');
        self.write(&Self::path(slot, file), &text);
    }

    /// Applies an edit to the files and says what a watcher would report.
    fn apply(&mut self, edit: &Edit) -> Changes {
        let mut changes = Changes::default();
        let mut touched = |path: String| {
            changes.content.insert(PathBuf::from(path));
        };
        match edit {
            Edit::Item(slot, file) => {
                if let Some(old) = &self.items[*slot]
                    && Self::path(*slot, old) != Self::path(*slot, file)
                {
                    self.remove(*slot);
                    touched(Self::path(*slot, old));
                }
                self.write_item(*slot, file);
                touched(Self::path(*slot, file));
                self.items[*slot] = Some(file.clone());
            }
            Edit::Field(slot, field) => {
                if let Some(mut file) = self.items[*slot].clone() {
                    field.apply(&mut file);
                    self.write_item(*slot, &file);
                    touched(Self::path(*slot, &file));
                    self.items[*slot] = Some(file);
                }
            }
            Edit::Remove(slot) => {
                if let Some(old) = &self.items[*slot] {
                    touched(Self::path(*slot, old));
                    self.remove(*slot);
                    self.items[*slot] = None;
                }
            }
            Edit::Rename(slot, name) => {
                if let Some(old) = self.items[*slot].clone() {
                    let new = ItemFile {
                        name: *name,
                        ..old.clone()
                    };
                    let (from, to) = (Self::path(*slot, &old), Self::path(*slot, &new));
                    if from != to {
                        std::fs::create_dir_all(self.root.join(&to).parent().unwrap()).unwrap();
                        std::fs::rename(self.root.join(&from), self.root.join(&to)).unwrap();
                        self.remove(*slot);
                        touched(from);
                        touched(to);
                        self.items[*slot] = Some(new);
                    }
                }
            }
            Edit::Campaign(slot, campaign) => {
                self.write_campaign(*slot, campaign);
                touched(format!("content/campaigns/{}.md", CAMPAIGNS[*slot]));
            }
            Edit::Site(title, paginate) => {
                self.write_site(*title, *paginate);
                changes.config = true;
            }
            Edit::ListTemplate(template) => {
                let path = self.root.join("templates/list.html");
                match template {
                    // Lists that show more of each card than the theme does.
                    Some(n) => self.write(
                        "templates/list.html",
                        &format!(
                            "{{% extends \"base.html\" %}}{{% block content %}}<h1>{n}{{{{ title }}}}</h1>{{% for item in items %}}<p>{{{{ item.title }}}} {{{{ item.summary }}}} {{{{ item.reading_minutes }}}} {{% for tag in item.tags %}}{{{{ tag.url }}}}{{% endfor %}} {{% if item.campaign %}}{{{{ item.campaign.title }}}}{{% endif %}} {{% if item.cover_image %}}{{{{ item.cover_image.srcset }}}}{{% endif %}}</p>{{% endfor %}}{{% endblock content %}}"
                        ),
                    ),
                    None => {
                        let _ = std::fs::remove_file(path);
                    }
                }
                changes.templates = true;
            }
        }
        changes
    }

    /// Removes an item's file (and a gallery's folder, but not the shared photos).
    fn remove(&self, slot: usize) {
        let Some(old) = &self.items[slot] else { return };
        let path = self.root.join(Self::path(slot, old));
        if SLOTS[slot] == "galleries" {
            let _ = std::fs::remove_dir_all(path.parent().unwrap());
        } else {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn tags(mask: u8) -> String {
    TAGS.iter()
        .enumerate()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .map(|(_, tag)| format!("\"{tag}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        drafts: true,
        now: chrono::NaiveDate::from_ymd_opt(2013, 3, 15),
        ..BuildOptions::default()
    }
}

/// Every file the preview serves, search index included.
fn served(outcome: &Outcome) -> BTreeMap<String, Vec<u8>> {
    let mut files: BTreeMap<String, Vec<u8>> = outcome
        .preview
        .pages
        .iter()
        .map(|(path, page)| (path.clone(), page.bytes.to_vec()))
        .collect();
    for file in herald::search::index_files(&outcome.site) {
        files.insert(file.path, file.bytes);
    }
    files
}

/// A quick search of `quick` cases by default; `PROPTEST_CASES` sets a long one.
fn cases_or(quick: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(quick),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn same_as_a_full_build(root: &Path, incremental: &Outcome, step: usize) {
    let full = Session::new(options(root))
        .full()
        .unwrap_or_else(|errors| panic!("step {step}: a full build fails: {errors:?}"));
    let (left, right) = (served(incremental), served(&full));
    let names = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(names(&left), names(&right), "step {step}: the same files");
    for (path, bytes) in &left {
        assert!(
            *bytes == right[path],
            "step {step}: {path} differs from a full build:\n--- preview\n{}\n--- full\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&right[path])
        );
    }
}

proptest! {
    #![proptest_config(cases_or(32))]

    #[test]
    fn every_edit_sequence_serves_what_a_full_build_makes(
        linked in item_file(),
        first in proptest::collection::vec((0..SLOTS.len(), item_file()), 2..6),
        edits in proptest::collection::vec(edit(), 1..10),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut sources = Sources::new(dir.path());
        // The first slot's item, which bodies link to, is there from the start.
        sources.apply(&Edit::Item(0, ItemFile { name: 0, ..linked }));
        for (slot, file) in first {
            sources.apply(&Edit::Item(slot, file));
        }
        let mut session = Session::new(options(dir.path()));
        let _ = session.full();
        for (step, edit) in edits.iter().enumerate() {
            let changes = sources.apply(edit);
            match session.apply(&changes) {
                Ok(outcome) => {
                    same_as_a_full_build(dir.path(), &outcome, step);
                }
                Err(errors) => {
                    // What the preview refuses, a full build refuses too.
                    prop_assert!(
                        Session::new(options(dir.path())).full().is_err(),
                        "step {step}: the preview fails where a full build does not: {errors:?}"
                    );
                }
            }
        }
    }
}

/// An edit of the demo site's own content, written by people outside this project.
#[derive(Debug, Clone)]
enum DemoEdit {
    /// A new title for the file at this place in the list of Markdown files.
    Retitle(prop::sample::Index, u8),
    /// Another date, where the file has one.
    Redate(prop::sample::Index, u8),
    /// A paragraph more.
    Append(prop::sample::Index),
    /// The file deleted.
    Remove(prop::sample::Index),
    /// Another page size in `site.yaml`.
    Paginate(u8),
}

fn demo_edit() -> impl Strategy<Value = DemoEdit> {
    prop_oneof![
        3 => (any::<prop::sample::Index>(), 0u8..4).prop_map(|(file, n)| DemoEdit::Retitle(file, n)),
        3 => (any::<prop::sample::Index>(), 0u8..28).prop_map(|(file, n)| DemoEdit::Redate(file, n)),
        2 => any::<prop::sample::Index>().prop_map(DemoEdit::Append),
        1 => any::<prop::sample::Index>().prop_map(DemoEdit::Remove),
        1 => (1u8..4).prop_map(DemoEdit::Paginate),
    ]
}

/// Replaces the first line that starts with `key` (in the front matter) with `line`.
fn replace_line(text: &str, key: &str, line: &str) -> String {
    match text.lines().position(|l| l.starts_with(key)) {
        Some(at) => {
            let mut lines: Vec<&str> = text.lines().collect();
            lines[at] = line;
            lines.join("\n") + "\n"
        }
        None => text.to_string(),
    }
}

proptest! {
    #![proptest_config(cases_or(6))]

    #[test]
    fn edits_of_the_demo_site_serve_what_a_full_build_makes(
        edits in proptest::collection::vec(demo_edit(), 1..6),
    ) {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        for folder in ["content", "themes"] {
            common::copy_dir(&repo.join(folder), &dir.path().join(folder));
        }
        std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        let files: Vec<PathBuf> = walkdir::WalkDir::new(dir.path().join("content"))
            .into_iter()
            .map(Result::unwrap)
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
            .map(|entry| entry.path().strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        prop_assert!(files.len() > 10);
        let mut session = Session::new(options(dir.path()));
        session.full().unwrap();
        for (step, edit) in edits.iter().enumerate() {
            let mut changes = Changes::default();
            let file = |index: &prop::sample::Index| index.get(&files).clone();
            let path = |rel: &Path| dir.path().join(rel);
            match edit {
                DemoEdit::Retitle(index, n) | DemoEdit::Redate(index, n) => {
                    let rel = file(index);
                    let Ok(text) = std::fs::read_to_string(path(&rel)) else { continue };
                    let text = match edit {
                        DemoEdit::Retitle(..) => replace_line(&text, "title:", &format!("title: 改过的标题{n}")),
                        _ => replace_line(&text, "date:", &format!("date: 2013-03-{:02}", n + 1)),
                    };
                    std::fs::write(path(&rel), text).unwrap();
                    changes.content.insert(rel);
                }
                DemoEdit::Append(index) => {
                    let rel = file(index);
                    let Ok(text) = std::fs::read_to_string(path(&rel)) else { continue };
                    std::fs::write(path(&rel), text + "\n新加的一段。\n").unwrap();
                    changes.content.insert(rel);
                }
                DemoEdit::Remove(index) => {
                    let rel = file(index);
                    if std::fs::remove_file(path(&rel)).is_err() {
                        continue;
                    }
                    changes.content.insert(rel);
                }
                DemoEdit::Paginate(n) => {
                    let text = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
                    let text = replace_line(&text, "paginate:", &format!("paginate: {n}"));
                    std::fs::write(dir.path().join("site.yaml"), text).unwrap();
                    changes.config = true;
                }
            }
            match session.apply(&changes) {
                Ok(outcome) => same_as_a_full_build(dir.path(), &outcome, step),
                Err(errors) => prop_assert!(
                    Session::new(options(dir.path())).full().is_err(),
                    "step {step}: the preview fails where a full build does not: {errors:?}"
                ),
            }
        }
    }
}
