//! Errors and warnings, typed where they arise and reported once, in Chinese or English.
//!
//! Every message a user can meet is written here, once, in both languages, with a hint.

use std::fmt;
use std::path::{Path, PathBuf};

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
        source: Box<crate::media::Unreadable>,
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
        fault: crate::output_path::PathFault,
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
        /// The encoder's error.
        source: Box<crate::media::EncodeError>,
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
        source: Box<crate::media::Unreadable>,
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

impl Owner {
    fn describe(&self, lang: Lang) -> String {
        match self {
            Owner::File(path) => path.display().to_string(),
            Owner::Herald => lang.pick(
                "herald 自动生成的页面或文件".into(),
                "a page or file herald makes itself".into(),
            ),
        }
    }
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

    /// The message alone, in a language.
    pub fn message(&self, lang: Lang) -> String {
        use ErrorKind::*;
        match &self.kind {
            Io { action, source } => lang.pick(
                format!("无法{}文件：{source}", action_zh(action)),
                format!("could not {action} the file: {source}"),
            ),
            NotUtf8 => lang.pick(
                "文件不是 UTF-8 编码的文本".into(),
                "the file is not UTF-8 text".into(),
            ),
            Binary => lang.pick(
                "这不是文本文件（可能是改了扩展名的图片或 Word 文档）".into(),
                "this is not a text file (perhaps a picture or Word document renamed to .md)"
                    .into(),
            ),
            TooLarge { bytes } => lang.pick(
                format!("文件太大（{} MB），不像是一篇文章", bytes / 1_000_000),
                format!(
                    "the file is too large for a page ({} MB)",
                    bytes / 1_000_000
                ),
            ),
            FrontMatterUnclosed => lang.pick(
                "开头的 `---` 之后没有找到结束的 `---`，前置信息（front matter）没有闭合".into(),
                "the front matter opened with `---` is never closed by a second `---`".into(),
            ),
            FrontMatterMissing => lang.pick(
                "文件开头没有前置信息（front matter）".into(),
                "the file does not start with front matter".into(),
            ),
            Yaml { message } => lang.pick(
                format!("前置信息的 YAML 写法有误：{message}"),
                format!("the YAML is not valid: {message}"),
            ),
            MissingField { field } => lang.pick(
                format!("缺少必填项 `{field}`"),
                format!("the required field `{field}` is missing"),
            ),
            BadDate { value } => lang.pick(
                format!("无法识别的日期 `{value}`"),
                format!("`{value}` is not a date herald understands"),
            ),
            UnknownKind { value } => lang.pick(
                format!("未知的类型 `{value}`"),
                format!("unknown type `{value}`"),
            ),
            UnknownCampaign { id, known } => {
                let list = if known.is_empty() {
                    lang.pick("（站点还没有活动）".into(), "(the site has none)".into())
                } else {
                    known.join(", ")
                };
                lang.pick(
                    format!("没有 id 为 `{id}` 的活动；已有的活动：{list}"),
                    format!("there is no campaign with the id `{id}`; known campaigns: {list}"),
                )
            }
            DuplicateUrl { url, other } => lang.pick(
                format!("与 {} 生成同一个网址 {url}", other.display()),
                format!(
                    "this file and {} would both be published at {url}",
                    other.display()
                ),
            ),
            BrokenLink { target } => lang.pick(
                format!("链接指向的文件 `{target}` 不存在"),
                format!("the link points to `{target}`, which does not exist"),
            ),
            MissingAsset { reference } => lang.pick(
                format!("找不到图片 `{reference}`"),
                format!("the image `{reference}` cannot be found"),
            ),
            BadImage { source } => lang.pick(
                format!("图片文件已损坏，读不出来（图片库的说明：{source}）"),
                format!("the image cannot be read (damaged, or not an image): {source}"),
            ),
            MissingTheme { name, available } => lang.pick(
                format!(
                    "找不到主题 `{name}`；themes/ 里有：{}",
                    available.join(", ")
                ),
                format!(
                    "the theme `{name}` is not in themes/; available: {}",
                    available.join(", ")
                ),
            ),
            Template { message } => lang.pick(
                format!("模板出错：{message}"),
                format!("template error: {message}"),
            ),
            UnsafeOutput { output } => lang.pick(
                format!("输出目录 {} 会覆盖站点的源文件，已拒绝", output.display()),
                format!(
                    "refusing to build into {}: it holds or is part of the site's sources",
                    output.display()
                ),
            ),
            AlreadyExists => lang.pick(
                "文件已存在，不会覆盖".into(),
                "the file already exists; herald never overwrites it".into(),
            ),
            NotEmpty => lang.pick("目录不是空的".into(), "the folder is not empty".into()),
            NoSite => lang.pick(
                "这里没有 site.yaml，不是一个 herald 站点".into(),
                "there is no site.yaml here: this is not a herald site".into(),
            ),
            PortInUse { port, tried } if *tried > 1 => lang.pick(
                format!("端口 {port} 到 {} 都已被占用", port + tried - 1),
                format!("ports {port} to {} are all in use", port + tried - 1),
            ),
            PortInUse { port, .. } => lang.pick(
                format!("端口 {port} 已被占用"),
                format!("port {port} is already in use"),
            ),
            Bind { port, source } => lang.pick(
                format!("无法在端口 {port} 上启动预览：{source}"),
                format!("cannot start the preview on port {port}: {source}"),
            ),
            BadOption { option, value } => lang.pick(
                format!("选项 {option} 的值 `{value}` 不正确"),
                format!("`{value}` is not a valid value for {option}"),
            ),
            BadCampaignId { id } => lang.pick(
                format!("活动的文件名 `{id}` 不能用作活动的 id 和网址"),
                format!("the campaign's file name `{id}` cannot serve as its id and URL"),
            ),
            BadOutputPath { path, fault } => {
                use crate::output_path::PathFault::*;
                use crate::output_path::{MAX_NAME_BYTES, MAX_PATH_BYTES};
                let (zh, en): (String, String) = match fault {
                    EmptyName => ("路径里有空的名称".into(), "a part of it is empty".into()),
                    DotName => ("路径里有 `.` 或 `..`".into(), "it holds `.` or `..`".into()),
                    BadCharacter => (
                        "路径里有反斜杠或控制字符".into(),
                        "it holds a backslash or a control character".into(),
                    ),
                    NameTooLong => (
                        format!("其中一个名称超过 {MAX_NAME_BYTES} 字节"),
                        format!("one of its names is over {MAX_NAME_BYTES} bytes"),
                    ),
                    PathTooLong => (
                        format!("整个路径超过 {MAX_PATH_BYTES} 字节"),
                        format!("it is over {MAX_PATH_BYTES} bytes long"),
                    ),
                };
                lang.pick(
                    format!("不能发布到 `{path}`：{zh}"),
                    format!("nothing may be published at `{path}`: {en}"),
                )
            }
            NoContent => lang.pick(
                "站点里没有 content/ 文件夹，没有可以发布的内容".into(),
                "the site has no content/ folder: there is nothing to publish".into(),
            ),
            LinkOutside { target } => lang.pick(
                format!(
                    "这是一个指向站点文件夹以外（{}）的链接；herald 不会发布站点以外的文件",
                    target.display()
                ),
                format!(
                    "this is a link to {}, outside the site's folder; herald never publishes files from outside the site",
                    target.display()
                ),
            ),
            TooMuchHtml { limit } => lang.pick(
                format!("从这一段起，这一页要清理的 HTML 标签超过了 {limit} 个"),
                format!("from this block on, the page holds more than {limit} HTML tags to clean"),
            ),
            CaseClash {
                paths,
                first,
                second,
            } => lang.pick(
                format!(
                    "{} 发布到 /{}，{} 发布到 /{}：这两个网址只有大小写不同，在 Windows、macOS 和许多云存储上是同一个文件",
                    first.describe(lang),
                    paths.0,
                    second.describe(lang),
                    paths.1
                ),
                format!(
                    "{} is published at /{} and {} at /{}: the two differ only in case, and are one file on Windows, macOS and many cloud stores",
                    first.describe(lang),
                    paths.0,
                    second.describe(lang),
                    paths.1
                ),
            ),
            NotAFile => lang.pick(
                "这不是普通文件（可能是命名管道或设备），无法读取".into(),
                "this is not a regular file (a named pipe or a device, perhaps), so it cannot be read".into(),
            ),
            LinkToDraft { target } => lang.pick(
                format!("链接指向的 `{target}` 还是草稿（draft: true，或属于草稿活动），正式生成的网站里没有这一页"),
                format!("the link points to `{target}`, a draft (draft: true, or in a draft campaign) that the published site leaves out"),
            ),
            NotAnImage { reference, .. } => lang.pick(
                format!("`{reference}` 不是图片，不能用图片的写法插入"),
                format!("`{reference}` is not a picture, so it cannot be shown as an image"),
            ),
            NotPublished { reference, live } => {
                if *live {
                    lang.pick(
                        format!("`{reference}` 会被浏览器当作网站的网页打开并运行其中的脚本，herald 不从 content/ 发布这类文件"),
                        format!("a browser would open `{reference}` as a page of the site and run its scripts, so herald never publishes such files from content/"),
                    )
                } else {
                    lang.pick(
                        format!("`{reference}` 的文件类型不在可发布的附件类型之中"),
                        format!("`{reference}` is not of a file type herald publishes"),
                    )
                }
            }
            UnsafeAddress { address } => lang.pick(
                format!("地址 `{address}` 可能执行代码，不能作为链接或图片地址"),
                format!("the address `{address}` could run code, so it cannot be a link or image address"),
            ),
            OutputNotFolder => lang.pick(
                "输出位置是一个文件，不是文件夹".into(),
                "the output is a file, not a folder".into(),
            ),
            OutputClash {
                path,
                first,
                second,
            } => lang.pick(
                format!(
                    "{} 和 {} 都要发布到 /{path}",
                    first.describe(lang),
                    second.describe(lang)
                ),
                format!(
                    "{} and {} would both be published at /{path}",
                    first.describe(lang),
                    second.describe(lang)
                ),
            ),
            EndBeforeStart {
                phase: Some(phase),
                start,
                end,
            } => lang.pick(
                format!("阶段“{phase}”的结束日期 {end} 早于开始日期 {start}"),
                format!("the phase `{phase}` ends on {end}, before it starts on {start}"),
            ),
            EndBeforeStart {
                phase: None,
                start,
                end,
            } => lang.pick(
                format!("结束日期 end: {end} 早于开始日期 start: {start}"),
                format!("the end date {end} is before the start date {start}"),
            ),
            UnknownTimezone { name, .. } => lang.pick(
                format!("site.yaml 的 timezone `{name}` 不是时区名称"),
                format!("the timezone `{name}` in site.yaml is not a time zone name"),
            ),
            BadBaseUrl { value } => lang.pick(
                format!(
                    "site.yaml 的 base_url `{value}` 既不是以 http:// 或 https:// 开头、带网站域名的完整网址，也不是以 / 开头的路径"
                ),
                format!(
                    "the base_url `{value}` in site.yaml is neither a full http:// or https:// URL with a host nor a path starting with /"
                ),
            ),
            BadThemeName { name } => lang.pick(
                format!("主题名 `{name}` 不是 themes/ 下的一个文件夹名"),
                format!("the theme name `{name}` is not the name of a folder in themes/"),
            ),
            ThemeLoop { chain } => lang.pick(
                format!("主题通过 extends 互相继承，绕成了圈或层数过多：{}", chain.join(" → ")),
                format!(
                    "the themes extend each other in a loop, or too deeply: {}",
                    chain.join(" → ")
                ),
            ),
            TemplateLoop { chain } => lang.pick(
                format!("模板通过 extends 继承了自己：{}", chain.join(" → ")),
                format!("the template extends itself: {}", chain.join(" → ")),
            ),
            MissingParentTemplate { parent } => lang.pick(
                format!("模板出错：extends 的模板 `{parent}` 不存在"),
                format!("template error: the template `{parent}` it extends does not exist"),
            ),
            MissingTemplate { name } => lang.pick(
                format!("主题缺少模板 `{name}`"),
                format!("the theme has no template `{name}`"),
            ),
            IncludeLoop { chain } => lang.pick(
                format!("模板通过 include 包含了自己：{}", chain.join(" → ")),
                format!("the template includes itself: {}", chain.join(" → ")),
            ),
            ImageTooLarge {
                width,
                height,
                limit_side,
                ..
            } if width.max(height) > limit_side => lang.pick(
                format!("图片太大：{width}×{height} 像素，边长超过了 {limit_side} 像素的上限"),
                format!(
                    "the image is too large: {width}×{height} pixels, a side longer than the limit of {limit_side} pixels"
                ),
            ),
            ImageTooLarge {
                width,
                height,
                needed_bytes,
                limit_bytes,
                ..
            } => {
                let (needed, limit) = (needed_bytes.div_ceil(MIB), limit_bytes / MIB);
                lang.pick(
                    format!(
                        "图片太大：{width}×{height} 像素，解码需要 {needed} MB 内存，超过了每张图片 {limit} MB 的上限"
                    ),
                    format!(
                        "the image is too large: {width}×{height} pixels take {needed} MB of memory to decode, over the limit of {limit} MB per image"
                    ),
                )
            }
            ImageProcessing { message } => lang.pick(
                format!("处理这张图片时出错（是 herald 或其图片库的问题，不一定是图片坏了）：{message}"),
                format!(
                    "processing this image failed (a fault in herald or its image libraries, not necessarily in the image): {message}"
                ),
            ),
            ImageEncoding { source } => lang.pick(
                format!(
                    "生成这张图片的 {} 副本时出错（是 herald 或其图片库的问题，不一定是图片坏了）：{source}",
                    source.format()
                ),
                format!(
                    "encoding a {} copy of this image failed (a fault in herald or its image libraries, not necessarily in the image): {source}",
                    source.format()
                ),
            ),
            MarkdownTooDeep { limit } => lang.pick(
                format!("从这一段起，引用、列表或强调等格式一层套一层，超过了 {limit} 层"),
                format!("from this block on, quotes, lists, emphasis or links sit inside one another more than {limit} deep"),
            ),
            HtmlTooDeep { limit } => lang.pick(
                format!("这一段的 HTML 标签一层套一层（包括没有闭合的标签），超过了 {limit} 层"),
                format!("the HTML tags of this block sit inside one another (unclosed ones included) more than {limit} deep"),
            ),
            YamlTooDeep { limit } => lang.pick(
                format!("前置信息里的 `[ ]` 或 `{{ }}` 一层套一层，超过了 {limit} 层"),
                format!("front matter `[ ]` or `{{ }}` sit inside one another more than {limit} deep"),
            ),
            EmptyImage => lang.pick(
                "图片文件是空的（0 字节），里面没有图像".into(),
                "the image file is empty (0 bytes): there is no picture in it".into(),
            ),
            TruncatedImage { source } => lang.pick(
                format!("图片文件不完整，在中途断了，通常是复制或上传没有完成（图片库的说明：{source}）"),
                format!("the image file stops before its end, usually a copy or upload that did not finish: {source}"),
            ),
            UnknownImageFormat => lang.pick(
                "这个文件名字像图片，里面却不是 JPEG、PNG、WebP 或 GIF 图像".into(),
                "the file is named like an image, but its content is not a JPEG, PNG, WebP or GIF picture".into(),
            ),
            HeifImage { reference } => lang.pick(
                format!("`{reference}` 是 HEIC/HEIF 格式（苹果手机默认的照片格式），大多数浏览器显示不了"),
                format!("`{reference}` is a HEIC/HEIF photo (an iPhone's default format), which most browsers cannot show"),
            ),
        }
    }

    /// How to fix it, in a language.
    pub fn hint(&self, lang: Lang) -> Option<String> {
        use ErrorKind::*;
        let hint = match &self.kind {
            Io { source, .. } => io_hint(source.kind(), lang),
            NotUtf8 => lang.pick(
                "请用编辑器把文件另存为 UTF-8 编码（如在记事本中选择“另存为 → 编码：UTF-8”）。".into(),
                "save the file as UTF-8 in your editor (for example Notepad: Save As → Encoding: UTF-8).".into(),
            ),
            Binary => lang.pick(
                "把它移出 content/ 目录；Word 文档请另存为纯文本后再改成 .md。".into(),
                "move it out of content/; save a Word document as plain text before naming it .md.".into(),
            ),
            TooLarge { .. } => lang.pick(
                "文章应在 8 MB 以内；请检查是否粘贴了图片数据，图片请作为单独的文件放在旁边。".into(),
                "a page should be under 8 MB; check for pasted image data, and keep images as files beside it.".into(),
            ),
            FrontMatterUnclosed => lang.pick(
                "在前置信息结束处单独写一行 `---`。".into(),
                "add a line holding only `---` where the front matter ends.".into(),
            ),
            FrontMatterMissing => lang.pick(
                "在文件最前面加上：\n---\ntitle: 标题\ndate: 2024-03-05\n---".into(),
                "start the file with:\n---\ntitle: A title\ndate: 2024-03-05\n---".into(),
            ),
            Yaml { .. } => lang.pick(
                "每行写成 `名称: 值`，冒号后留一个空格；缩进只用空格、不用 Tab；含有冒号等符号的值请加英文引号。".into(),
                "write each line as `key: value` with a space after the colon; indent with spaces, never tabs; quote values that contain a colon.".into(),
            ),
            MissingField { field } => lang.pick(
                format!("在前置信息里加一行 `{field}: …`。"),
                format!("add a line `{field}: …` to the front matter."),
            ),
            BadDate { .. } => lang.pick(
                "可用的写法：2013-02-22、2013-02-22 10:00、2013/2/22、2013年2月22日。".into(),
                "accepted forms: 2013-02-22, 2013-02-22 10:00, 2013-02-22 10:00:00+08:00, 2013/2/22, 2013年2月22日.".into(),
            ),
            UnknownKind { .. } => lang.pick(
                "type 可以是 plan（活动方案）、initiative（倡议书）、story（典型事迹）、gallery（相册）、page（普通页面）。".into(),
                "type may be plan, initiative, story, gallery or page.".into(),
            ),
            UnknownCampaign { .. } => lang.pick(
                "把 campaign 改成上面列出的某个 id，或在 content/campaigns/ 下新建这个活动。".into(),
                "use one of the ids listed, or create the campaign in content/campaigns/.".into(),
            ),
            DuplicateUrl { .. } => lang.pick(
                "给其中一个文件的前置信息加上不同的 `slug:`，或改文件名。".into(),
                "give one of the two files a different `slug:` in its front matter, or rename it.".into(),
            ),
            BrokenLink { .. } => lang.pick(
                "检查链接的相对路径和文件名（从当前文件所在目录算起）。".into(),
                "check the relative path and file name; it is relative to the folder of this file.".into(),
            ),
            MissingAsset { .. } => lang.pick(
                "把图片放在该 Markdown 文件旁边，或放在 static/ 下并以 / 开头引用。".into(),
                "put the image beside the Markdown file, or in static/ and refer to it with a leading /.".into(),
            ),
            BadImage { .. } => lang.pick(
                "用看图软件打开这张图片；如果打不开，请重新导出或换一张（支持 JPEG、PNG、WebP、GIF）。".into(),
                "open the image in a viewer; if it does not open, export it again or use another one (JPEG, PNG, WebP and GIF work).".into(),
            ),
            MissingTheme { .. } => lang.pick(
                "把 site.yaml 里的 theme 改成已有的主题名。".into(),
                "set `theme:` in site.yaml to one of the available themes.".into(),
            ),
            Template { .. } => lang.pick(
                "检查模板中对应的行；变量名可查阅 themes/README.md。".into(),
                "check that line of the template; themes/README.md lists every variable.".into(),
            ),
            UnsafeOutput { .. } => lang.pick(
                "用 --output 指定一个单独的目录，例如 public。".into(),
                "choose a separate folder with --output, for example public.".into(),
            ),
            AlreadyExists => lang.pick(
                "换一个标题，或先移走已有的文件。".into(),
                "choose another title, or move the existing file away first.".into(),
            ),
            NotEmpty => lang.pick(
                "指定一个新目录或空目录。".into(),
                "give a new or empty folder.".into(),
            ),
            NoSite => lang.pick(
                "进入站点目录再运行，或用 --root 指定站点目录；新建站点用 herald init <目录>。".into(),
                "run herald inside the site's folder or pass --root; create a site with herald init <dir>.".into(),
            ),
            PortInUse { .. } | Bind { .. } => lang.pick(
                "用 --port 指定另一个端口，例如 herald serve --port 8080；或先关闭占用该端口的程序。".into(),
                "choose another port with --port, for example herald serve --port 8080, or stop the program using it.".into(),
            ),
            BadOption { option, .. } => match *option {
                "--now" => lang.pick(
                    "写成 YYYY-MM-DD，例如 --now 2013-03-05。".into(),
                    "write it as YYYY-MM-DD, for example --now 2013-03-05.".into(),
                ),
                _ => lang.pick(
                    "写成完整网址，例如 https://example.org/volunteer/。".into(),
                    "give a full URL, for example https://example.org/volunteer/.".into(),
                ),
            },
            BadCampaignId { .. } => lang.pick(
                format!("活动的文件名（或 campaigns/ 下的文件夹名）只能用字母、汉字、数字、- 和 _，不超过 {} 字节，例如 xue-leifeng-2024.md。", crate::parse::slug::MAX_SLUG_BYTES),
                format!("name the campaign's file (or its folder in campaigns/) with letters, digits, - and _ only, at most {} bytes, for example xue-leifeng-2024.md.", crate::parse::slug::MAX_SLUG_BYTES),
            ),
            BadOutputPath { .. } => lang.pick(
                "把相应的文件或文件夹改一个短一些的普通名称（只用字母、汉字、数字、- 和 _）。".into(),
                "rename the file or folder it comes from to a shorter, plain name (letters, digits, - and _).".into(),
            ),
            NoContent => lang.pick(
                "在站点目录里新建 content/ 文件夹并放入文章；或用 herald init <目录> 新建一个完整的站点。".into(),
                "make a content/ folder in the site and put pages in it, or start a whole new site with herald init <dir>.".into(),
            ),
            LinkOutside { .. } => lang.pick(
                "把要发布的文件复制到站点文件夹里，再删掉这个链接。".into(),
                "copy the file you want to publish into the site's folder, and remove the link.".into(),
            ),
            TooMuchHtml { .. } => lang.pick(
                "这么多 HTML 通常是整页网页粘贴进来的：请粘贴为纯文本后重新排版，或把内容分成几篇。".into(),
                "this much HTML usually comes from pasting a whole web page: paste it as plain text and format it again, or split it into several pages.".into(),
            ),
            CaseClash { .. } => lang.pick(
                "给其中一个换一个 `slug:` 或文件名，不要只改大小写。".into(),
                "give one of them another `slug:` or file name, one that differs by more than case.".into(),
            ),
            NotAFile => lang.pick(
                "删掉它，或换成一个普通的文件。".into(),
                "remove it, or put an ordinary file in its place.".into(),
            ),
            LinkToDraft { .. } => lang.pick(
                "等那一页定稿（去掉 draft: true）后再链接它，或先删掉这个链接；用 --drafts 生成可以连草稿一起预览。".into(),
                "link to it once it is final (without draft: true), or remove the link for now; build with --drafts to preview drafts too.".into(),
            ),
            NotAnImage { svg: true, .. } => lang.pick(
                "SVG 图形里可以藏有脚本，herald 不从 content/ 发布它；请把它导出为 PNG（图形软件里选“导出为 PNG”），或由站点管理员放进 static/。".into(),
                "an SVG drawing can carry scripts, so herald does not publish one from content/; export it as PNG, or have the site's owner put it in static/.".into(),
            ),
            NotAnImage { .. } => lang.pick(
                "图片可以是 JPEG、PNG、WebP 或 GIF；要让读者下载这个文件，请用链接的写法：[文件说明](文件名)。".into(),
                "an image may be JPEG, PNG, WebP or GIF; to offer the file for download, link to it: [what it is](file name).".into(),
            ),
            NotPublished { live: true, .. } => lang.pick(
                "把内容写成 Markdown 页面，或另存为 PDF 后链接 PDF 文件。".into(),
                "write its content as a Markdown page, or save it as PDF and link to the PDF.".into(),
            ),
            NotPublished { .. } => lang.pick(
                format!(
                    "可发布的附件类型：{}；如确需发布其他类型，请在 site.yaml 的 attachments 中加上它的扩展名。",
                    crate::model::paths::ATTACHMENTS.join("、")
                ),
                format!(
                    "herald publishes these attachment types: {}; to publish another type, add its extension to `attachments:` in site.yaml.",
                    crate::model::paths::ATTACHMENTS.join(", ")
                ),
            ),
            UnsafeAddress { .. } => lang.pick(
                "写成以 https:// 或 http:// 开头的网址，或写站内的文件名。".into(),
                "write an address starting with https:// or http://, or the name of a file of the site.".into(),
            ),
            OutputNotFolder => lang.pick(
                "把这个文件改名或移走，或用 --output 指定另一个文件夹。".into(),
                "rename or move the file away, or choose another folder with --output.".into(),
            ),
            OutputClash { .. } => lang.pick(
                "给其中一个加上不同的 `slug:`，或把其中一个文件改名、移走。".into(),
                "give one of them a different `slug:`, or rename or move one of the files.".into(),
            ),
            EndBeforeStart { phase: Some(_), .. } => lang.pick(
                "把这个阶段的 end 改成不早于它的 start 的日期；只有一天的阶段可以不写 end。".into(),
                "set the phase's end to a day on or after its start; a one-day phase may leave end out.".into(),
            ),
            EndBeforeStart { phase: None, .. } => lang.pick(
                "把 end 改成不早于 start 的日期（可能是年份或月份写错了）；只有一天的活动可以不写 end。".into(),
                "set end to a day on or after start (a mistyped year or month, perhaps); a one-day campaign may leave end out.".into(),
            ),
            UnknownTimezone { suggestion, .. } => {
                let exact = match suggestion {
                    Some(name) => lang.pick(
                        format!("大小写要一致，写成 `{name}`。"),
                        format!("letter case matters: write `{name}`; "),
                    ),
                    None => String::new(),
                };
                lang.pick(
                    format!("{exact}北京时间请写 timezone: Asia/Shanghai（中国大陆只有这一个时区名称，没有 Asia/Beijing）；其他地区的名称见 https://en.wikipedia.org/wiki/List_of_tz_database_time_zones 的 “TZ identifier” 一列。"),
                    format!("{exact}for China (Beijing time) write timezone: Asia/Shanghai (there is no Asia/Beijing); other names are in the “TZ identifier” column of https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
                )
            }
            BadBaseUrl { .. } => lang.pick(
                "写成完整网址，例如 base_url: https://example.org/volunteer/；网站放在域名根下时也可只写路径，例如 base_url: /。".into(),
                "write a full URL, for example base_url: https://example.org/volunteer/, or only a path from the root, for example base_url: /.".into(),
            ),
            BadThemeName { .. } => lang.pick(
                "只写 themes/ 下那个文件夹的名字，例如 theme: default 或 theme: paper，不要写路径、斜杠或 ..。".into(),
                "write only the name of a folder in themes/, for example theme: default or theme: paper; no paths, slashes or `..`.".into(),
            ),
            ThemeLoop { .. } => lang.pick(
                "让最后一个主题继承 default（extends: default），或删掉它的 theme.yaml 里的 extends。".into(),
                "let the last theme extend the default theme (extends: default), or remove `extends:` from its theme.yaml.".into(),
            ),
            TemplateLoop { .. } => lang.pick(
                "一个模板不能继承自己：改成 extends 另一个模板（比如主题里的 base.html 应该是不带 extends 的页面骨架），或删掉这一行。".into(),
                "a template cannot extend itself: extend another template (a theme's base.html is the page skeleton and extends nothing), or remove this line.".into(),
            ),
            MissingParentTemplate { .. } => lang.pick(
                "检查 extends 后面的模板名（相对于 templates/ 文件夹，例如 \"base.html\"），或把那个模板放进 templates/。".into(),
                "check the template name after extends (relative to the templates/ folder, for example \"base.html\"), or add that template to templates/.".into(),
            ),
            MissingTemplate { .. } => lang.pick(
                "把这个模板放进主题的 templates/ 文件夹，或在主题的 theme.yaml 里写 extends: default，缺的模板就用默认主题的。".into(),
                "add the template to the theme's templates/ folder, or write extends: default in the theme's theme.yaml so that the default theme's templates fill the gaps.".into(),
            ),
            IncludeLoop { .. } => lang.pick(
                "一个模板不能包含自己，否则会无穷无尽：删掉这一行 include，或改为包含另一个模板。".into(),
                "a template cannot include itself, or it would never end: remove this include, or include another template.".into(),
            ),
            ImageTooLarge { .. } => lang.pick(
                "请用修图软件把图片缩小后重新导出（网页上宽 3200 像素已足够清晰；特别长的长图可以分成几张），再重新生成。".into(),
                "make the image smaller in an image editor and export it again (3200 pixels wide is plenty for a web page; split a very long image into several), then build again.".into(),
            ),
            ImageProcessing { .. } | ImageEncoding { .. } => lang.pick(
                "用看图软件把图片另存为 JPEG 后再试；如果仍然出错，请把这张图片和这段信息反馈给维护者。".into(),
                "save the image again as JPEG in an image viewer and build again; if it still fails, send the image and this message to the maintainers.".into(),
            ),
            EmptyImage | TruncatedImage { .. } => lang.pick(
                "从原处（手机、相机或聊天记录）重新复制或下载这张图片，用看图软件能完整打开后再放进来。".into(),
                "copy or download the image again from where it came from (phone, camera, chat), check that a viewer shows all of it, and put it back.".into(),
            ),
            UnknownImageFormat => lang.pick(
                "用看图或修图软件打开它，另存为 JPEG（照片）或 PNG（截图、图表）后再用；打不开的话，它就不是图片，请换回正确的文件。".into(),
                "open it in an image viewer or editor and save it as JPEG (photos) or PNG (screenshots, charts); if nothing opens it, it is not a picture: put the right file back.".into(),
            ),
            HeifImage { .. } => lang.pick(
                "请换成 JPEG 后再放进来：用“照片”“预览”等看图软件打开它，导出或另存为 JPEG（或在手机上以 JPEG 共享）；以后想让苹果手机直接拍 JPEG，请在手机上打开 设置 → 相机 → 格式，选“兼容性最佳”。".into(),
                "use a JPEG instead: export or share the photo as JPEG (on a computer, the Photos app's Export does it); to make the iPhone take JPEG photos from now on, set Settings → Camera → Formats → Most Compatible.".into(),
            ),
            MarkdownTooDeep { .. } => lang.pick(
                "正常的文章用不到这么多层，通常是粘贴或生成出了错：请删去多余的 `>`、列表缩进或 `*`、`[` 等符号。".into(),
                "no real page needs this many levels; it is usually a paste or a generator gone wrong: remove the extra `>`, list indentation, or `*` and `[` marks.".into(),
            ),
            HtmlTooDeep { .. } => lang.pick(
                "通常是标签没有闭合（如 `<div>` 缺少 `</div>`、`<b>` 与 `</b>` 交错）：请补上闭合标签或删去多余的标签；从 Word 粘贴的内容可先粘贴为纯文本。".into(),
                "usually tags are left unclosed (a `<div>` without `</div>`, `<b>` and `</b>` crossed): close them or remove the extra tags; content pasted from Word can be pasted as plain text instead.".into(),
            ),
            YamlTooDeep { .. } => lang.pick(
                "列表写成 `[甲, 乙]`、照片写成 `{src: a.jpg, caption: 说明}` 即可，不需要再套更多层；请删去多余的 `[`、`{`，或给含有这些符号的文字加上引号。".into(),
                "a list is written `[a, b]` and a photo `{src: a.jpg, caption: text}`, with no further levels: remove the extra `[` and `{`, or put quotes around text that holds them.".into(),
            ),
        };
        Some(hint)
    }

    /// The full report: place, message, the source line with a caret, and the hint.
    pub fn report(&self, lang: Lang) -> String {
        let mut out = String::new();
        let label = lang.pick("错误".into(), "error".into());
        match &self.location {
            Some(location) => out.push_str(&format!("{label}: {location}: ")),
            None => out.push_str(&format!("{label}: ")),
        }
        out.push_str(&self.message(lang));
        out.push('\n');
        if let (Some(line), Some(location)) = (&self.source_line, &self.location) {
            let number = location.line.to_string();
            let (shown, column) = quoted_window(line, location.column);
            out.push_str(&format!("{number} | {shown}\n"));
            if column > 0 {
                let pad: usize = shown.chars().take(column - 1).map(display_width).sum();
                out.push_str(&format!(
                    "{} | {}^\n",
                    " ".repeat(number.len()),
                    " ".repeat(pad)
                ));
            }
        }
        if let Some(hint) = self.hint(lang) {
            let label = lang.pick("提示".into(), "hint".into());
            out.push_str(&format!("{label}: {hint}\n"));
        }
        out
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
            ErrorKind::BadImage { source } | ErrorKind::TruncatedImage { source } => {
                Some(source.as_ref())
            }
            ErrorKind::ImageEncoding { source } => Some(source.as_ref()),
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

/// Something worth telling the author that does not stop the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarningKind {
    /// A key in site.yaml that herald does not know.
    UnknownConfigKey {
        /// The key as written.
        key: String,
        /// The closest known key.
        suggestion: Option<String>,
    },
    /// Raw HTML or an unsafe link in Markdown was cleaned because `raw_html` is off.
    RawHtmlCleaned,
    /// A gallery photo with no caption, so no alt text for readers who cannot see it.
    PhotoWithoutCaption {
        /// The photo's file name.
        photo: String,
    },
    /// A key in front matter that herald does not know.
    UnknownField {
        /// The key as written.
        key: String,
        /// The closest known key.
        suggestion: Option<String>,
    },
    /// More unknown front matter keys in one file than are worth a warning each.
    MoreUnknownFields {
        /// How many were not named.
        count: usize,
    },
}

/// A warning with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// Where.
    pub location: Location,
}

impl Warning {
    /// The warning's message, in a language.
    pub fn message(&self, lang: Lang) -> String {
        let suggest = |suggestion: &Option<String>| match suggestion {
            Some(s) => lang.pick(
                format!("，是不是想写 `{s}`？"),
                format!("; did you mean `{s}`?"),
            ),
            None => String::new(),
        };
        let text = match &self.kind {
            WarningKind::UnknownConfigKey { key, suggestion } => lang.pick(
                format!("site.yaml 里有不认识的设置 `{key}`，已忽略{}", suggest(suggestion)),
                format!("unknown setting `{key}` in site.yaml is ignored{}", suggest(suggestion)),
            ),
            WarningKind::UnknownField { key, suggestion } => lang.pick(
                format!("前置信息里有不认识的项 `{key}`，已忽略{}", suggest(suggestion)),
                format!("unknown front matter field `{key}` is ignored{}", suggest(suggestion)),
            ),
            WarningKind::PhotoWithoutCaption { photo } => lang.pick(
                format!("相册照片 `{photo}` 没有说明（caption），看不到图片的读者将无从了解它；请在 photos 列表中为它写 caption"),
                format!("the gallery photo `{photo}` has no caption, so readers who cannot see it learn nothing; give it a caption in the photos list"),
            ),
            WarningKind::RawHtmlCleaned => lang.pick(
                "Markdown 中的 HTML 代码或链接已清理：保留了安全的格式，去掉了脚本、事件属性、样式和 javascript: 之类的链接；如果信任这些内容，可在 site.yaml 中设置 raw_html: true".into(),
                "raw HTML in Markdown was cleaned: safe formatting is kept, scripts, event attributes, styles and links such as javascript: are removed; set raw_html: true in site.yaml if you trust this content".into(),
            ),
            WarningKind::MoreUnknownFields { count } => lang.pick(
                format!("从这一行起，前置信息里还有 {count} 个不认识的项，均已忽略；请对照文档检查这些项的名字"),
                format!("{count} more unknown front matter fields from this line on are ignored; check their names against the documentation"),
            ),
        };
        let label = lang.pick("警告".into(), "warning".into());
        format!("{label}: {}: {text}", self.location)
    }
}

/// How to fix a failed file operation, by what the system said went wrong.
fn io_hint(kind: std::io::ErrorKind, lang: Lang) -> String {
    use std::io::ErrorKind::*;
    match kind {
        StorageFull | FileTooLarge | QuotaExceeded => lang.pick(
            "磁盘已满或文件超出了允许的大小：请清理磁盘空间，或用 --output 把网站生成到另一个磁盘；上一次生成的网站未被改动。".into(),
            "the disk is full or the file is larger than allowed: free some space, or build to another disk with --output; the previous output is untouched.".into(),
        ),
        ReadOnlyFilesystem | PermissionDenied => lang.pick(
            "没有写入权限或磁盘是只读的：请检查文件夹权限，或用 --output 选一个可以写入的文件夹。".into(),
            "you may not write there, or the disk is read-only: check the folder's permissions, or choose a writable folder with --output.".into(),
        ),
        NotADirectory | AlreadyExists => lang.pick(
            "路径中有一项是文件而不是文件夹：请改名或移走它，或用 --output 选另一个文件夹。".into(),
            "a part of the path is a file, not a folder: rename or move it, or choose another folder with --output.".into(),
        ),
        _ => lang.pick(
            "检查文件是否存在、是否有读写权限、磁盘是否已满。".into(),
            "check that the file exists, that you may read or write it, and that the disk is not full.".into(),
        ),
    }
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn did_you_mean(word: &str, candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate.to_string())
}

/// Bytes in a MB as messages count them.
const MIB: u64 = 1024 * 1024;

fn action_zh(action: &str) -> &'static str {
    match action {
        "read" => "读取",
        "write" => "写入",
        "create" => "创建",
        "copy" => "复制",
        "remove" => "删除",
        "rename" => "重命名",
        _ => "访问",
    }
}

/// Characters of a source line quoted on each side of the fault: a line of a megabyte
/// (minified HTML, generated text) is shown as the part around the caret.
const QUOTE_CHARS: usize = 60;

/// The part of `line` to quote around the 1-based `column` (0: from the start), with `…`
/// where it was cut, and the column within that part.
fn quoted_window(line: &str, column: usize) -> (String, usize) {
    let total = line.chars().count();
    if total <= QUOTE_CHARS * 2 {
        return (line.to_string(), column);
    }
    let at = column.saturating_sub(1).min(total);
    let start = at.saturating_sub(QUOTE_CHARS);
    let end = (at + QUOTE_CHARS).min(total);
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(line.chars().skip(start).take(end - start));
    if end < total {
        shown.push('…');
    }
    let column = if column == 0 {
        0
    } else {
        at - start + 1 + usize::from(start > 0)
    };
    (shown, column)
}

/// Terminal columns a character takes: CJK and full-width forms take two.
fn display_width(c: char) -> usize {
    let code = c as u32;
    let wide = (0x1100..=0x115F).contains(&code)
        || (0x2E80..=0xA4CF).contains(&code)
        || (0xAC00..=0xD7A3).contains(&code)
        || (0xF900..=0xFAFF).contains(&code)
        || (0xFE30..=0xFE4F).contains(&code)
        || (0xFF00..=0xFF60).contains(&code)
        || (0xFFE0..=0xFFE6).contains(&code)
        || (0x20000..=0x3FFFD).contains(&code);
    if wide { 2 } else { 1 }
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
