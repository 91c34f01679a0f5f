//! Work grows with the input, never faster. For each way an input can grow (front-matter
//! keys, list lengths, nesting, table cells, headings, links, footnotes, items and tags of a
//! site …) a base input, the input grown by `n` and grown by `10 n` are checked, and the
//! work beyond the base may grow at most 20 times when the input grows 10 times. Work is
//! counted, not timed: allocations and bytes allocated, by a counting allocator in this
//! test binary. Work that allocates nothing (a parser looking through its open elements
//! for each tag) is out of its sight: there the defence is a limit, and inputs past a
//! documented limit must give that limit's error, with allocations that grow only with
//! the text's length.
//!
//! Everything runs on the test's own thread (a one-thread pool made of it), so the counts
//! are this input's alone even while other tests run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use herald::config::SiteConfig;
use herald::error::{Error, ErrorKind, Errors};
use herald::load::SourceFile;
use herald::model::{ModelOptions, Site};
use herald::parse::document::Document;
use herald::parse::frontmatter::MAX_FLOW_NESTING;
use herald::parse::markdown::{self, MAX_NESTING, MarkdownOptions, Rendered};
use herald::pipeline;
use herald::project::Project;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The system allocator, counting each thread's allocations and bytes.
struct Counting;

thread_local! {
    static ALLOCATED: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

fn count_allocation(bytes: usize) {
    let _ = ALLOCATED.try_with(|counts| {
        let (allocations, total) = counts.get();
        counts.set((allocations + 1, total + bytes as u64));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_allocation(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_allocation(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Work counted while running something on this thread.
#[derive(Debug, Clone, Copy)]
struct Work {
    allocations: u64,
    bytes: u64,
}

thread_local! {
    /// A pool of this thread alone, so that the pipeline's parallel steps run here.
    static THIS_THREAD: rayon::ThreadPool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .use_current_thread()
        .build()
        .expect("a pool of the current thread");
}

fn measure<T: Send>(run: impl FnOnce() -> T + Send) -> (Work, T) {
    THIS_THREAD.with(|pool| {
        pool.install(|| {
            let (allocations_before, bytes_before) = ALLOCATED.with(Cell::get);
            let value = run();
            let (allocations_after, bytes_after) = ALLOCATED.with(Cell::get);
            let work = Work {
                allocations: allocations_after - allocations_before,
                bytes: bytes_after - bytes_before,
            };
            (work, value)
        })
    })
}

/// Growing the input from `n` to `10 n` (over the base, size 0) grows every count of work
/// beyond the base's at most 20 times; `run` must succeed at every size.
fn assert_linear<T: Send, E: Send + std::fmt::Debug>(
    what: &str,
    n: usize,
    run: impl Fn(usize) -> Result<T, E> + Sync,
) {
    let checked = |size: usize| {
        let (work, result) = measure(|| run(size));
        if let Err(error) = result {
            let mut message = format!("{error:?}");
            message.truncate(message.floor_char_boundary(2_000));
            panic!("{what} at size {size}: {message}");
        }
        work
    };
    checked(0); // Whatever is set up once (templates, the cleaner) is set up here.
    let base = checked(0);
    let small = checked(n);
    let large = checked(10 * n);
    let grown = |name: &str, base: u64, small: u64, large: u64| {
        let step = small.saturating_sub(base).max(1);
        let growth = large.saturating_sub(base) as f64 / step as f64;
        assert!(
            growth <= 20.0,
            "{what}: {name} grew {growth:.1} times from size {n} to {} ({base} at 0, {small}, {large})",
            10 * n
        );
    };
    grown(
        "allocations",
        base.allocations,
        small.allocations,
        large.allocations,
    );
    grown("bytes allocated", base.bytes, small.bytes, large.bytes);
}

// ---------------------------------------------------------------------------------------
// Inputs

const STORY: &str = "stories/a.md";

fn parse(text: String) -> Result<Document, Error> {
    parse_at(STORY, text)
}

fn parse_at(rel: &str, text: String) -> Result<Document, Error> {
    Document::parse(text, &Path::new("content").join(rel), Path::new(rel))
}

/// A story's front matter with `extra` lines added, and a body.
fn story(extra: &str, body: &str) -> String {
    format!("---\ntitle: 一篇\ndate: 2013-03-01\n{extra}---\n{body}\n")
}

fn render(body: &str, raw_html: bool) -> Result<Rendered, markdown::BodyError> {
    let resolve_link = |link: &str| Some(format!("/{}/", link.trim_end_matches(".md")));
    let resolve_image = |image: &str| Some(format!("/img/{image}"));
    markdown::render(
        body,
        &MarkdownOptions {
            raw_html,
            resolve_link: &resolve_link,
            resolve_image: &resolve_image,
            resolve_file: &resolve_image,
        },
    )
}

const SITE_YAML: &str = "title: 测试\nbase_url: https://example.org/\npaginate: 10\n";

/// Parses, models and renders a site made of `files` (relative to `content/`), as
/// `herald check` does but with the files in memory.
fn check_site(files: Vec<(String, String)>) -> Result<(), Errors> {
    let root = tempfile::tempdir().expect("a temporary folder");
    let (config, _) = SiteConfig::parse(SITE_YAML, Path::new("site.yaml"))?;
    let sources = files
        .into_iter()
        .map(|(rel, text)| SourceFile {
            path: Path::new("content").join(&rel),
            rel: PathBuf::from(rel),
            text,
        })
        .collect();
    let documents: Vec<Arc<Document>> = pipeline::parse_all(sources)?;
    let options = ModelOptions {
        drafts: false,
        now: NaiveDate::from_ymd_opt(2013, 3, 15).expect("a date"),
    };
    let project = Project::new(root.path(), config, Vec::new())?;
    let mut site = Site::build(project.config.clone(), documents, &[], &options)?;
    let media = herald::media::process(root.path(), &mut site)?;
    pipeline::Prepared::new(&project, site, media)?.render(&|_, _| Ok(()))
}

/// A campaign the stories can belong to.
fn campaign(extra: &str) -> (String, String) {
    (
        "campaigns/leifeng.md".into(),
        format!("---\ntitle: 学雷锋月\nstart: 2013-03-01\nend: 2013-03-31\n{extra}---\n三月。\n"),
    )
}

fn numbered(count: usize, line: impl Fn(usize) -> String) -> String {
    (0..count).map(line).collect()
}

/// The error kinds of a failed site check.
fn kinds(result: Result<(), Errors>) -> Vec<ErrorKind> {
    result
        .expect_err("the check should fail")
        .0
        .into_iter()
        .map(|error| error.kind)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Front matter

#[test]
fn unknown_front_matter_keys() {
    assert_linear("unknown keys", 2_000, |count| {
        parse(story(
            &numbered(count, |i| format!("extra{i}: 值\n")),
            "正文",
        ))
    });
}

#[test]
fn known_front_matter_values() {
    // Every known field, each value `count` characters long.
    assert_linear("known keys' values", 2_000, |count| {
        let long = "字".repeat(count);
        let fields = format!(
            "summary: {long}\nauthor: {long}\nslug: a{}\ncover: /{long}.jpg\nissuer: {long}\ndoc_number: {long}\nto: {long}\nclosing: {long}\norganization: {long}\nlocation: {long}\nslogan: {long}\ntags: [{long}]\nvolunteers: [{long}]\nsignatories: [{long}]\n",
            "b".repeat(count)
        );
        parse(story(&fields, "正文"))
    });
}

#[test]
fn front_matter_lists_in_a_site() {
    // Lists that the model checks and the theme shows, each `count` entries long.
    assert_linear("front matter lists", 40, |count| {
        let tags = numbered(count, |i| format!("标签{i}, "));
        let names = numbered(count, |i| format!("  - 人{i}\n"));
        let leaders = numbered(count, |i| format!("  - role: 成员\n    name: 人{i}\n"));
        let phases = numbered(count, |i| {
            format!("  - name: 阶段{i}\n    start: 2013-03-{:02}\n", i % 28 + 1)
        });
        let goals = numbered(count, |i| {
            format!("  - label: 目标{i}\n    target: \"{i}\"\n")
        });
        let organizers = numbered(count, |i| format!("  - role: 主办\n    name: 单位{i}\n"));
        let plan = (
            "plans/a.md".to_string(),
            format!(
                "---\ntitle: 方案\ndate: 2013-03-01\ncampaign: leifeng\ntags: [{tags}]\nleadership:\n{leaders}---\n正文\n"
            ),
        );
        let call = (
            "initiatives/a.md".to_string(),
            format!("---\ntitle: 倡议\ndate: 2013-03-01\nsignatories:\n{names}---\n正文\n"),
        );
        let story = (
            "stories/a.md".to_string(),
            format!("---\ntitle: 事迹\ndate: 2013-03-01\nvolunteers:\n{names}---\n正文\n"),
        );
        let campaign = campaign(&format!(
            "phases:\n{phases}goals:\n{goals}organizers:\n{organizers}"
        ));
        check_site(vec![plan, call, story, campaign])
    });
}

#[test]
fn gallery_photo_captions() {
    assert_linear("gallery photos", 200, |count| {
        let photos = numbered(count, |i| {
            format!("  - src: {i}.png\n    caption: 照片{i}\n")
        });
        let doc = parse_at(
            "galleries/g/index.md",
            format!("---\ntitle: 相册\ndate: 2013-03-01\nphotos:\n{photos}---\n"),
        )?;
        let assets: Vec<PathBuf> = (0..count)
            .map(|i| PathBuf::from(format!("galleries/g/{i}.png")))
            .collect();
        let (config, _) = SiteConfig::parse(SITE_YAML, Path::new("site.yaml"))?;
        let options = ModelOptions {
            drafts: false,
            now: NaiveDate::from_ymd_opt(2013, 3, 15).expect("a date"),
        };
        Site::build(config, vec![Arc::new(doc)], &assets, &options)
            .map(drop)
            .map_err(|errors| errors.0.into_iter().next().expect("an error"))
    });
}

#[test]
fn yaml_nesting_and_aliases() {
    // `[` and `{` nested as deep as allowed, in many fields …
    let deepest = |i: usize| {
        let depth = MAX_FLOW_NESTING;
        format!("extra{i}: {}{}\n", "[".repeat(depth), "]".repeat(depth))
    };
    assert_linear("YAML nesting", 50, |count| {
        parse(story(&numbered(count, deepest), "正文"))
    });
    // … one level more is an error at the `[` that goes too deep, and far more costs no
    // more than the text's length: the YAML reader looks through every open collection for
    // each piece it reads.
    let too_deep = format!(
        "extra: {}{}\n",
        "[".repeat(MAX_FLOW_NESTING + 1),
        "]".repeat(MAX_FLOW_NESTING + 1)
    );
    let error = parse(story(&too_deep, "")).unwrap_err();
    assert!(
        matches!(error.kind, ErrorKind::YamlTooDeep { limit } if limit == MAX_FLOW_NESTING),
        "{:?}",
        error.kind
    );
    let location = error.location.as_ref().expect("a place");
    assert_eq!((location.line, location.column), (4, 8 + MAX_FLOW_NESTING));
    assert_linear("YAML nested far too deep", 2_000, |depth| {
        let depth = MAX_FLOW_NESTING + 1 + depth;
        match parse(story(
            &format!("tags: {}{}\n", "{a: ".repeat(depth), "}".repeat(depth)),
            "",
        )) {
            Err(error) if matches!(error.kind, ErrorKind::YamlTooDeep { .. }) => Ok(()),
            Err(error) => Err(format!("{:?}", error.kind)),
            Ok(_) => Err("parsed".to_string()),
        }
    });
    // A billion laughs: each alias level repeats the one before ten times, 10^9 laughs in
    // all, in a field herald ignores and in one it reads. Neither is ever expanded whole.
    let mut laughs = String::from("a0: &a0 [\"哈\"]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        let repeated = [previous.as_str(); 10].join(", ");
        laughs.push_str(&format!("a{level}: &a{level} [{repeated}]\n"));
    }
    for read in ["", "tags: *a9\n", "volunteers: *a9\n"] {
        let (work, result) = measure(|| parse(story(&format!("{laughs}{read}"), "")));
        if let Err(error) = result {
            assert!(
                matches!(error.kind, ErrorKind::Yaml { .. }),
                "{:?}",
                error.kind
            );
        }
        assert!(work.bytes < 10_000_000, "{read}: {work:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Markdown bodies

#[test]
fn deep_markdown_at_the_limit() {
    // Blocks nested as deep as allowed, repeated: the work grows with the repetitions.
    // Two levels are left for the paragraph and the `<b>` added below.
    let quotes = format!("{} 引用\n\n", ">".repeat(MAX_NESTING - 2));
    let lists = format!("{}条\n\n", "- ".repeat(MAX_NESTING / 2 - 1));
    let emphasis = format!(
        "{}强调{}\n\n",
        "*".repeat(MAX_NESTING),
        "*".repeat(MAX_NESTING)
    );
    let brackets = format!(
        "{}链接{}\n\n",
        "[".repeat(MAX_NESTING),
        "](a.md)".repeat(MAX_NESTING)
    );
    for (name, block) in [
        ("quotes", quotes),
        ("lists", lists),
        ("emphasis", emphasis),
        ("brackets", brackets),
    ] {
        for raw_html in [false, true] {
            assert_linear(name, 5, |count| render(&block.repeat(count), raw_html));
            // With HTML in it, the block is cleaned: the cleaner meets the whole nesting.
            let with_html = block.replace("\n\n", "<b>粗</b>\n\n");
            assert_linear(name, 5, |count| render(&with_html.repeat(count), raw_html));
        }
    }
}

#[test]
fn markdown_nested_past_the_limit_is_an_error_at_its_line() {
    let cases = [
        (">".repeat(MAX_NESTING + 1) + " 引用", "quotes"),
        ("- ".repeat(MAX_NESTING / 2 + 1) + "条", "lists"),
        (
            "*".repeat(2 * MAX_NESTING) + "强调" + &"*".repeat(2 * MAX_NESTING),
            "emphasis",
        ),
        (
            ">".repeat(MAX_NESTING / 2) + " " + &"- ".repeat(MAX_NESTING / 4 + 1) + "条",
            "quotes and lists",
        ),
    ];
    for (deep, name) in cases {
        for raw_html in [false, true] {
            let body = format!("第一段\n\n{deep}\n");
            let error = render(&body, raw_html).unwrap_err();
            assert!(
                matches!(error.kind, ErrorKind::MarkdownTooDeep { limit } if limit == MAX_NESTING),
                "{name}: {error:?}"
            );
            assert_eq!(error.line, 2, "{name}");
        }
    }
    // Far past the limit the error costs no more than the text's length.
    assert_linear("quotes far too deep", 2_000, |depth| {
        match render(
            &format!("{} 引用\n", ">".repeat(MAX_NESTING + 1 + depth)),
            false,
        ) {
            Err(error) if matches!(error.kind, ErrorKind::MarkdownTooDeep { .. }) => Ok(()),
            Err(error) => Err(format!("{:?}", error.kind)),
            Ok(_) => Err("rendered".to_string()),
        }
    });
}

#[test]
fn html_nesting() {
    let nested =
        |depth: usize| format!("{}字{}\n\n", "<div>".repeat(depth), "</div>".repeat(depth));
    // As deep as allowed, repeated.
    assert_linear("nested HTML", 5, |count| {
        render(&nested(MAX_NESTING).repeat(count), false)
    });
    assert_linear("nested HTML, kept raw", 5, |count| {
        render(&nested(10 * MAX_NESTING).repeat(count), true)
    });
    // One level more is an error at the block's line, when the HTML is cleaned.
    let error = render(&format!("第一段\n\n{}", nested(MAX_NESTING + 1)), false).unwrap_err();
    assert!(
        matches!(error.kind, ErrorKind::HtmlTooDeep { limit } if limit == MAX_NESTING),
        "{error:?}"
    );
    assert_eq!(error.line, 2);
    // Markdown around the HTML counts: a quote holding the HTML adds a level.
    let quoted = format!(
        "> {}字{}\n",
        "<b>".repeat(MAX_NESTING),
        "</b>".repeat(MAX_NESTING)
    );
    assert!(render(&quoted, false).is_err());
    // Nesting the parser makes of tags that look flat counts too: each `</span>` here is
    // ignored, so every `<div>` stays open; closed formatting tags are reopened.
    for flat_looking in [
        "<span><div></span>".repeat(MAX_NESTING + 1),
        numbered(MAX_NESTING + 1, |i| format!("<p><b id={i}></p>")) + "字",
    ] {
        let error = render(&flat_looking, false).unwrap_err();
        assert!(
            matches!(error.kind, ErrorKind::HtmlTooDeep { .. }),
            "{error:?}"
        );
    }
    // Far past the limit the error costs no more than the text's length.
    type Pattern = fn(usize) -> String;
    let patterns: [(&str, Pattern); 3] = [
        ("divs", |_| "<div>".into()),
        ("ignored end tags", |_| "<span><div></span>".into()),
        ("reopened formatting", |i| format!("<p><b id={i}></p>字")),
    ];
    for (name, pattern) in patterns {
        assert_linear(name, 2_000, |depth| {
            match render(&numbered(MAX_NESTING + 1 + depth, pattern), false) {
                Err(error) if matches!(error.kind, ErrorKind::HtmlTooDeep { .. }) => Ok(()),
                Err(error) => Err(format!("{:?}", error.kind)),
                Ok(_) => Err("rendered".to_string()),
            }
        });
    }
}

#[test]
fn table_cells() {
    assert_linear("table rows", 200, |rows| {
        let table = format!(
            "| 项目 | 时间 | 地点 | 人数 |\n|---|:-:|--:|---|\n{}",
            "| 植树 | 三月 | 公园 | 30 |\n".repeat(rows)
        );
        render(&table, false)
    });
    assert_linear("table columns", 200, |columns| {
        let row = |cell: &str| format!("|{}\n", format!(" {cell} |").repeat(columns + 1));
        render(&(row("项") + &row("---") + &row("值").repeat(3)), false)
    });
}

#[test]
fn headings_links_and_footnotes() {
    assert_linear("same headings", 200, |count| {
        render(&"## 目标\n\n".repeat(count), false)
    });
    // Ids written by hand take the numbers the repeated headings would be given.
    assert_linear("headings with taken ids", 200, |count| {
        let written = numbered(count, |i| format!("## 其他 {{#目标-{}}}\n\n", i + 1));
        render(&(written + &"## 目标\n\n".repeat(count)), false)
    });
    assert_linear("links", 200, |count| {
        render(
            &numbered(count, |i| format!("[第{i}篇](../plans/p{i}.md) ")),
            false,
        )
    });
    assert_linear("unsafe links", 200, |count| {
        render(&"[点](javascript:alert(1)) ".repeat(count), false)
    });
    assert_linear("images", 200, |count| {
        render(&numbered(count, |i| format!("![图{i}](p{i}.jpg) ")), false)
    });
    assert_linear("footnotes", 200, |count| {
        let references = numbered(count, |i| format!("注[^{i}]。"));
        let notes = numbered(count, |i| format!("[^{i}]: 第{i}条注释\n"));
        render(&format!("{references}\n\n{notes}"), false)
    });
    assert_linear("reference links", 200, |count| {
        let uses = numbered(count, |i| format!("[文{i}][r{i}] "));
        let definitions = numbered(count, |i| format!("[r{i}]: https://example.org/{i}\n"));
        render(&format!("{uses}\n\n{definitions}"), false)
    });
    assert_linear("raw HTML fragments", 200, |count| {
        render(&"<span style=\"color:red\">红</span> ".repeat(count), false)
    });
}

// ---------------------------------------------------------------------------------------
// Sites

#[test]
fn items_in_a_site() {
    assert_linear("stories", 10, |count| {
        let mut files: Vec<(String, String)> = (0..count)
            .map(|i| {
                (
                    format!("stories/s{i}.md"),
                    format!(
                        "---\ntitle: 事迹{i}\ndate: 2013-03-{:02}\ncampaign: leifeng\n---\n正文{i}\n",
                        i % 28 + 1
                    ),
                )
            })
            .collect();
        files.push(campaign(""));
        check_site(files)
    });
}

#[test]
fn tags_across_a_site() {
    // Every story with tags of its own …
    assert_linear("distinct tags", 10, |count| {
        check_site(
            (0..count)
                .map(|i| {
                    (
                        format!("stories/s{i}.md"),
                        format!("---\ntitle: 事迹{i}\ndate: 2013-03-01\ntags: [甲{i}, 乙{i}]\n---\n正文\n"),
                    )
                })
                .collect(),
        )
    });
    // … and every story with the same ones.
    assert_linear("shared tags", 10, |count| {
        check_site(
            (0..count)
                .map(|i| {
                    (
                        format!("stories/s{i}.md"),
                        format!(
                            "---\ntitle: 事迹{i}\ndate: 2013-03-01\ntags: [甲, 乙]\n---\n正文\n"
                        ),
                    )
                })
                .collect(),
        )
    });
}

#[test]
fn errors_of_a_site_are_reported_with_their_kind() {
    // A site-level check gives the nesting error too, and keeps going for the others.
    let deep = ">".repeat(MAX_NESTING + 1);
    let files = vec![
        ("stories/a.md".to_string(), story("", &deep)),
        (
            "stories/b.md".to_string(),
            story("", &format!("{}字", "<div>".repeat(MAX_NESTING + 1))),
        ),
    ];
    let found = kinds(check_site(files));
    assert!(
        found
            .iter()
            .any(|kind| matches!(kind, ErrorKind::MarkdownTooDeep { .. })),
        "{found:?}"
    );
}
