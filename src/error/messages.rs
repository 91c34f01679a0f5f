//! What each error says, in Chinese and in English.

use super::{Error, ErrorKind, Lang, Owner};

impl Error {
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
                use crate::limits::PathFault::*;
                use crate::limits::{MAX_NAME_BYTES, MAX_PATH_BYTES};
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
            ImageEncoding { format, source } => lang.pick(
                format!(
                    "生成这张图片的 {format} 副本时出错（是 herald 或其图片库的问题，不一定是图片坏了）：{source}",
                ),
                format!(
                    "encoding a {format} copy of this image failed (a fault in herald or its image libraries, not necessarily in the image): {source}",
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
