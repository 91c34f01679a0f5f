//! The command line: one `Args` struct per command and a `run` that reads like a table of contents.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::{Errors, Lang};
use crate::model::kind::Kind;
use crate::pipeline::{self, BuildReport};
use crate::project::BuildOptions;
use crate::scaffold::{self, NewKind};

/// herald: build campaign publicity portals from Markdown.
#[derive(Debug, Parser)]
#[command(name = "herald", version, about)]
pub struct Cli {
    /// The site's folder (holding site.yaml).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Language of messages: zh or en (default: from LC_ALL / LANG).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--lang` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// 简体中文
    Zh,
    /// English
    En,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Preview the site with live reload.
    Serve(ServeArgs),
    /// Load and check everything; write nothing.
    Check(CheckArgs),
    /// Create a new content file from an archetype.
    New(NewArgs),
    /// Create a new site that builds at once.
    Init(InitArgs),
}

/// `herald build`
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder.
    #[arg(long, default_value = "public")]
    pub output: PathBuf,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Override base_url from site.yaml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Fix "today" (YYYY-MM-DD) for campaign status.
    #[arg(long, value_parser = parse_now)]
    pub now: Option<NaiveDate>,
}

/// `herald serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (default 1111, or the next free one).
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to listen on; 0.0.0.0 lets phones on the office network see the preview.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Hide drafts (the preview shows them by default).
    #[arg(long)]
    pub no_drafts: bool,
    /// Open the preview in the browser.
    #[arg(long)]
    pub open: bool,
}

/// `herald check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Fix "today" (YYYY-MM-DD).
    #[arg(long, value_parser = parse_now)]
    pub now: Option<NaiveDate>,
}

/// `herald new`
#[derive(Debug, Args)]
pub struct NewArgs {
    /// plan, initiative, story, gallery, page or campaign.
    pub kind: NewKind,
    /// The title, e.g. 2024年学雷锋志愿服务月活动方案.
    pub title: String,
}

/// `herald init`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new site's folder.
    pub dir: PathBuf,
}

fn parse_now(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        format!(
            "`{value}` is not a date: write it as YYYY-MM-DD, e.g. 2013-03-05 / 请写成 YYYY-MM-DD"
        )
    })
}

/// Runs a parsed command line; prints its own output and returns the errors to report.
pub fn run(cli: Cli, lang: Lang) -> Result<(), Errors> {
    match cli.command {
        Command::Build(args) => {
            let output = if args.output.is_absolute() {
                args.output
            } else {
                cli.root.join(args.output)
            };
            let options = BuildOptions {
                root: cli.root,
                output: Some(output),
                drafts: args.drafts,
                base_url: args.base_url,
                now: args.now,
            };
            let report = pipeline::build(&options)?;
            print_report(&report, lang, false);
        }
        Command::Serve(args) => {
            crate::serve::run(crate::serve::ServeOptions {
                root: cli.root,
                port: args.port,
                bind: args.bind,
                drafts: !args.no_drafts,
                open: args.open,
                lang,
            })?;
        }
        Command::Check(args) => {
            let options = BuildOptions {
                root: cli.root,
                drafts: args.drafts,
                now: args.now,
                ..BuildOptions::default()
            };
            let report = pipeline::check(&options)?;
            print_report(&report, lang, true);
        }
        Command::New(args) => {
            let now = chrono::Utc::now();
            let path = scaffold::new_content(&cli.root, args.kind, &args.title, now)?;
            match lang {
                Lang::Zh => println!("已创建 {}", path.display()),
                Lang::En => println!("created {}", path.display()),
            }
        }
        Command::Init(args) => {
            let dir = if args.dir.is_absolute() {
                args.dir
            } else {
                cli.root.join(args.dir)
            };
            scaffold::init_site(&dir, chrono::Utc::now())?;
            match lang {
                Lang::Zh => println!(
                    "已在 {} 创建新站点。进入该目录运行 herald build 即可生成网站。",
                    dir.display()
                ),
                Lang::En => println!(
                    "created a new site in {}. Run herald build inside it to build the site.",
                    dir.display()
                ),
            }
        }
    }
    Ok(())
}

/// The language: `--lang`, else the locale.
pub fn language(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    }
}

/// The message for a bug in herald itself; the previous output is untouched either way.
pub fn internal_error(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "内部错误：herald 自身出了问题（不是您的内容有错）。之前生成的网站没有被改动。\n详情：{detail}\n提示：请把这段信息和出错时编辑的文件一起反馈给维护者。"
        ),
        Lang::En => format!(
            "internal error: herald itself failed (not your content). The previously built site is unchanged.\ndetail: {detail}\nhint: please send this message, with the file you were editing, to the maintainers."
        ),
    }
}

/// Whether to colour output on a stream.
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// Wraps text in an ANSI colour when colours are on.
pub fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn print_report(report: &BuildReport, lang: Lang, check_only: bool) {
    if report.up_to_date {
        let seconds = report.elapsed.as_secs_f64();
        match lang {
            Lang::Zh => println!(
                "没有改动，{} 已是最新（用时 {seconds:.2} 秒）",
                report.output.display()
            ),
            Lang::En => println!(
                "nothing changed: {} is up to date ({seconds:.2} s)",
                report.output.display()
            ),
        }
        return;
    }
    let color = use_color(std::io::stderr().is_terminal());
    for warning in &report.warnings {
        eprintln!("{}", paint(&warning.message(lang), "33", color));
    }
    let counts: Vec<String> = report
        .items_by_kind
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|(kind, count)| match lang {
            Lang::Zh => format!("{}{count} 篇", kind.label()),
            Lang::En => format!("{count} {}", english_plural(*kind, *count)),
        })
        .collect();
    let seconds = report.elapsed.as_secs_f64();
    let line = match (lang, check_only) {
        (Lang::Zh, false) => format!(
            "已生成：活动 {} 个，{}；共 {} 个文件，用时 {seconds:.2} 秒 → {}",
            report.campaigns,
            counts.join(","),
            report.files,
            report.output.display()
        ),
        (Lang::En, false) => format!(
            "built {} campaigns, {}; {} files in {seconds:.2} s → {}",
            report.campaigns,
            counts.join(", "),
            report.files,
            report.output.display()
        ),
        (Lang::Zh, true) => format!(
            "检查通过：活动 {} 个，{}；用时 {seconds:.2} 秒",
            report.campaigns,
            counts.join(",")
        ),
        (Lang::En, true) => format!(
            "check passed: {} campaigns, {}; {seconds:.2} s",
            report.campaigns,
            counts.join(", ")
        ),
    };
    println!(
        "{}",
        paint(&line, "32", use_color(std::io::stdout().is_terminal()))
    );
}

fn english_plural(kind: Kind, count: usize) -> String {
    let name = kind.name();
    match (count, kind) {
        (1, _) => name.to_string(),
        (_, Kind::Story) => "stories".into(),
        (_, Kind::Gallery) => "galleries".into(),
        _ => format!("{name}s"),
    }
}
