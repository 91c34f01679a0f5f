//! Errors and warnings, typed where they arise and reported once, in Chinese or English.
//!
//! Every message a user can meet is written here, once, in both languages, with a hint.

mod hints;
mod messages;
mod report;
mod warnings;

use std::fmt;
use std::path::{Path, PathBuf};

pub use warnings::{Warning, WarningKind};

/// The language messages are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 简体中文
    Zh,
    /// English
    En,
}

impl Lang {
    /// Picks the language from `LC_ALL`, `LC_MESSAGES` or `LANG`, as a terminal would.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|key| std::env::var(key).ok())
            .find(|value| !value.is_empty())
            .unwrap_or_default();
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The Chinese or the English text, by the language.
    pub fn pick(self, zh: String, en: String) -> String {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Where in a file something went wrong: 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as given on disk.
    pub path: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
}

impl Location {
    /// A location in a file with no line known.
    pub fn file(path: impl Into<PathBuf>) -> Location {
        Location {
            path: path.into(),
            line: 0,
            column: 0,
        }
    }

    /// A location at a line and column.
    pub fn at(path: impl Into<PathBuf>, line: usize, column: usize) -> Location {
        Location {
            path: path.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug)]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io {
        /// What we were doing: "read", "write", "create", "copy", "remove", "rename".
        action: &'static str,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A file is not valid UTF-8 text.
    NotUtf8,
    /// A `.md` file that holds binary data (a picture or document renamed, say).
    Binary,
    /// A file too large to be a page.
    TooLarge {
        /// Its size in bytes.
        bytes: u64,
    },
    /// The front matter starts with `---` but never ends.
    FrontMatterUnclosed,
    /// A Markdown file has no front matter at all.
    FrontMatterMissing,
    /// The YAML of a front matter or of site.yaml is malformed or has a wrong type.
    Yaml {
        /// serde_yaml's message, without its own location.
        message: String,
    },
    /// A required field is absent.
    MissingField {
        /// The field's name.
        field: &'static str,
    },
    /// A date that none of the accepted forms matches.
    BadDate {
        /// The value as written.
        value: String,
    },
    /// `type:` names no kind we know.
    UnknownKind {
        /// The value as written.
        value: String,
    },
    /// `campaign:` names no campaign in content/campaigns/.
    UnknownCampaign {
        /// The id as written.
        id: String,
        /// Every campaign id the site has.
        known: Vec<String>,
    },
    /// Two sources would be written to the same URL.
    DuplicateUrl {
        /// The URL both claim.
        url: String,
        /// The other file.
        other: PathBuf,
    },
    /// A Markdown link to a `.md` file that does not exist.
    BrokenLink {
        /// The link target as written.
        target: String,
    },
    /// A cover or photo that does not exist.
    MissingAsset {
        /// The reference as written.
        reference: String,
    },
    /// An image that cannot be decoded.
    BadImage {
        /// What the decoder, or the file's structure, said.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The theme named in site.yaml is not in themes/.
    MissingTheme {
        /// The theme's name.
        name: String,
        /// Themes found in themes/.
        available: Vec<String>,
    },
    /// A template failed to parse or render.
    Template {
        /// Tera's message.
        message: String,
    },
    /// The output folder would overwrite the site's own sources.
    UnsafeOutput {
        /// The folder it would have replaced.
        output: PathBuf,
    },
    /// `herald new` would overwrite a file.
    AlreadyExists,
    /// `herald init` into a folder that already holds files.
    NotEmpty,
    /// No site.yaml where a site was expected.
    NoSite,
    /// The preview's port is taken.
    PortInUse {
        /// The first port tried.
        port: u16,
        /// How many ports were tried.
        tried: u16,
    },
    /// The preview could not listen.
    Bind {
        /// The port.
        port: u16,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The value given to `--now` or `--base-url` is wrong.
    BadOption {
        /// The option's name.
        option: &'static str,
        /// What was given.
        value: String,
    },
    /// A campaign's file or folder name cannot be its id.
    BadCampaignId {
        /// The name as it is.
        id: String,
    },
    /// A file would be published at a path no output may have.
    BadOutputPath {
        /// The path.
        path: String,
        /// What is wrong with it.
        fault: crate::limits::PathFault,
    },
    /// There is no `content/` folder.
    NoContent,
    /// A symbolic link in `content/` leads outside the site, or into a hidden folder.
    LinkOutside {
        /// Where it leads.
        target: PathBuf,
    },
    /// Image syntax (or a cover, or a photo) names a file that is no picture.
    NotAnImage {
        /// The reference as written.
        reference: String,
        /// Whether it is an SVG drawing.
        svg: bool,
    },
    /// A link to a file of a type that is not published.
    NotPublished {
        /// The reference as written.
        reference: String,
        /// Whether a browser would run it as a page of the site.
        live: bool,
    },
    /// An address with a scheme that can run code (`javascript:`, `data:` …).
    UnsafeAddress {
        /// The address as written.
        address: String,
    },
    /// The output path is a file, not a folder.
    OutputNotFolder,
    /// Two things would be published at the same path.
    OutputClash {
        /// The path both claim.
        path: String,
        /// What claimed it first.
        first: Box<Owner>,
        /// What claimed it second.
        second: Box<Owner>,
    },
    /// An `end` date earlier than its `start`.
    EndBeforeStart {
        /// The phase's name, when the dates are a phase's.
        phase: Option<String>,
        /// The first day.
        start: chrono::NaiveDate,
        /// The last day, as written.
        end: chrono::NaiveDate,
    },
    /// `timezone:` in site.yaml names no time zone.
    UnknownTimezone {
        /// The name as written.
        name: String,
        /// The zone it differs from only in letter case, if any.
        suggestion: Option<String>,
    },
    /// `base_url:` in site.yaml is neither a full http(s) URL nor a path from `/`.
    BadBaseUrl {
        /// The value as written.
        value: String,
    },
    /// A theme name (site.yaml's `theme:` or theme.yaml's `extends:`) that is not a plain
    /// folder name under themes/.
    BadThemeName {
        /// The name as written.
        name: String,
    },
    /// Themes whose `extends:` lead back to one of them, or further than herald follows.
    ThemeLoop {
        /// The themes in the order they extend each other.
        chain: Vec<String>,
    },
    /// Templates whose `{% extends %}` lead back to one of them.
    TemplateLoop {
        /// The templates in the order they extend each other, the first repeated last.
        chain: Vec<String>,
    },
    /// `{% extends %}` names a template that neither the theme nor the site has.
    MissingParentTemplate {
        /// The parent as written.
        parent: String,
    },
    /// A page needs a template that neither the theme nor the site has.
    MissingTemplate {
        /// The template's name.
        name: String,
    },
    /// Templates whose `{% include %}` lead back to one of them.
    IncludeLoop {
        /// The templates in the order they include each other, the first repeated last.
        chain: Vec<String>,
    },
    /// A page whose HTML to clean holds more tags than herald cleans in one page.
    TooMuchHtml {
        /// The most tags a page may hand the cleaner.
        limit: usize,
    },
    /// Two things would be published at paths that differ only in case.
    CaseClash {
        /// The first path and the second.
        paths: Box<(String, String)>,
        /// What claimed the first.
        first: Box<Owner>,
        /// What claimed the second.
        second: Box<Owner>,
    },
    /// Something that is not a regular file (a named pipe, a device) where a file should be.
    NotAFile,
    /// A Markdown link to a draft, which this build leaves out.
    LinkToDraft {
        /// The link target as written.
        target: String,
    },
    /// An image larger than herald decodes: too many bytes decoded, or a side too long.
    ImageTooLarge {
        /// Its width in pixels.
        width: u32,
        /// Its height in pixels.
        height: u32,
        /// The bytes it takes decoded.
        needed_bytes: u64,
        /// The most bytes one image may take decoded.
        limit_bytes: u64,
        /// The longest side herald decodes.
        limit_side: u32,
    },
    /// Processing an image failed inside herald or its image libraries, not in the image.
    ImageProcessing {
        /// What failed.
        message: String,
    },
    /// An encoder refused a copy of an image: a fault in herald or its encoders, not in the
    /// image.
    ImageEncoding {
        /// The format of the copy (`JPEG`, `WebP` …).
        format: &'static str,
        /// The encoder's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Markdown blocks or inline markup inside one another deeper than herald renders.
    MarkdownTooDeep {
        /// The deepest nesting allowed.
        limit: usize,
    },
    /// Raw HTML elements left open inside one another deeper than herald cleans.
    HtmlTooDeep {
        /// The deepest nesting allowed.
        limit: usize,
    },
    /// Front matter `[ ]` or `{ }` inside one another deeper than herald reads.
    YamlTooDeep {
        /// The deepest nesting allowed.
        limit: usize,
    },
    /// An image file of zero bytes.
    EmptyImage,
    /// An image file that stops before its end: a copy or upload cut short.
    TruncatedImage {
        /// What the decoder, or the file's structure, said.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file named as an image whose bytes are no format herald reads.
    UnknownImageFormat,
    /// A HEIC or HEIF photo (an iPhone's own format), which browsers do not show.
    HeifImage {
        /// The reference as written, or the file's name in a gallery folder.
        reference: String,
    },
}

/// What puts a file into the output, for messages about clashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A source file of the site (content, static, theme), as shown to the author.
    File(PathBuf),
    /// A page or file herald makes itself (lists, feeds, search).
    Herald,
}

/// An error with the place it happened and, where we have it, the line of source to show.
#[derive(Debug)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where, when known.
    pub location: Option<Location>,
    /// The source line at `location`, for the caret display.
    pub source_line: Option<String>,
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with no place.
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind,
            location: None,
            source_line: None,
        }
    }

    /// An error about a whole file.
    pub fn in_file(kind: ErrorKind, path: impl Into<PathBuf>) -> Error {
        Error {
            kind,
            location: Some(Location::file(path)),
            source_line: None,
        }
    }

    /// An error at a place; `text` is the whole file, used to quote the line.
    pub fn at(kind: ErrorKind, location: Location, text: Option<&str>) -> Error {
        let source_line = text.and_then(|text| {
            location
                .line
                .checked_sub(1)
                .and_then(|index| text.lines().nth(index))
                .map(str::to_string)
        });
        Error {
            kind,
            location: Some(location),
            source_line,
        }
    }

    /// An input/output error on a path.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Error {
        Error::in_file(ErrorKind::Io { action, source }, path)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{location}: {}", self.message(Lang::En)),
            None => write!(f, "{}", self.message(Lang::En)),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { source, .. } | ErrorKind::Bind { source, .. } => Some(source),
            ErrorKind::BadImage { source }
            | ErrorKind::TruncatedImage { source }
            | ErrorKind::ImageEncoding { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

thread_local! {
    static CATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work` on this thread as a region whose panics the caller catches and reports
/// itself (as an error naming the image that caused it, say), so the panic hook stays
/// quiet about them.
pub fn catching_panics<T>(work: impl FnOnce() -> T) -> T {
    let before = CATCHING.with(|catching| catching.replace(true));
    let result = work();
    CATCHING.with(|catching| catching.set(before));
    result
}

/// Whether a panic on this thread now is caught and reported by the code around it.
pub fn panic_is_caught() -> bool {
    CATCHING.with(std::cell::Cell::get)
}

/// Several errors found in one pass, so the user can fix them all at once.
#[derive(Debug)]
pub struct Errors(pub Vec<Error>);

impl From<Error> for Errors {
    fn from(error: Error) -> Errors {
        Errors(vec![error])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.0 {
            writeln!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn did_you_mean(word: &str, candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate.to_string())
}

#[cfg(test)]
mod tests {
    use super::{Error, ErrorKind, Lang, Location, did_you_mean};

    #[test]
    fn panics_in_a_catching_region_are_known_to_be_caught() {
        assert!(!super::panic_is_caught());
        let caught = super::catching_panics(|| {
            std::panic::catch_unwind(|| {
                assert!(super::panic_is_caught());
                panic!("a codec's fault");
            })
        });
        assert!(caught.is_err());
        assert!(!super::panic_is_caught(), "the region ends with the work");
    }

    #[test]
    fn a_long_line_is_quoted_around_its_fault() {
        let line = format!("{}<div>{}", "字".repeat(100_000), "x".repeat(100_000));
        let error = Error::at(
            ErrorKind::BadDate { value: "x".into() },
            Location::at("content/a.md", 1, 100_001),
            Some(&line),
        );
        let report = error.report(Lang::En);
        assert!(report.len() < 1_000, "{}", report.len());
        let mut lines = report.lines().skip(1);
        let quoted = lines.next().unwrap();
        let caret = lines.next().unwrap();
        assert!(quoted.contains("…字字") && quoted.contains("<div>xx") && quoted.ends_with('…'));
        // The caret stands under `<`: each 字 is two columns wide, `…` one.
        let under = caret.find('^').unwrap() - "1 | ".len();
        let before: usize = quoted["1 | ".len()..]
            .split("<div>")
            .next()
            .unwrap()
            .chars()
            .map(|c| if c == '字' { 2 } else { 1 })
            .sum();
        assert_eq!(under, before);
    }

    #[test]
    fn report_quotes_the_line_with_a_caret_under_the_column() {
        let text = "---\ntitle: 倡议书\ndate: 2013年2月30日\n---\n";
        let error = Error::at(
            ErrorKind::BadDate {
                value: "2013年2月30日".into(),
            },
            Location::at("content/a.md", 3, 7),
            Some(text),
        );
        let report = error.report(Lang::En);
        assert!(report.starts_with("error: content/a.md:3:7: `2013年2月30日` is not a date"));
        assert!(
            report.contains("3 | date: 2013年2月30日\n  |       ^\n"),
            "{report}"
        );
        assert!(report.contains("hint: accepted forms"));
        let zh = error.report(Lang::Zh);
        assert!(
            zh.contains("错误: content/a.md:3:7: 无法识别的日期"),
            "{zh}"
        );
        assert!(zh.contains("提示: 可用的写法"));
    }

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["title", "description", "base_url"];
        assert_eq!(did_you_mean("titel", &keys).as_deref(), Some("title"));
        assert_eq!(did_you_mean("baseurl", &keys).as_deref(), Some("base_url"));
        assert_eq!(did_you_mean("zzz", &keys), None);
    }
}
