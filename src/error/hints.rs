//! How to fix each error, in Chinese and in English.

use super::{Error, ErrorKind, Lang};

impl Error {
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
                format!("活动的文件名（或 campaigns/ 下的文件夹名）只能用字母、汉字、数字、- 和 _，不超过 {} 字节，例如 xue-leifeng-2024.md。", crate::limits::MAX_SLUG_BYTES),
                format!("name the campaign's file (or its folder in campaigns/) with letters, digits, - and _ only, at most {} bytes, for example xue-leifeng-2024.md.", crate::limits::MAX_SLUG_BYTES),
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
                    crate::limits::ATTACHMENTS.join("、")
                ),
                format!(
                    "herald publishes these attachment types: {}; to publish another type, add its extension to `attachments:` in site.yaml.",
                    crate::limits::ATTACHMENTS.join(", ")
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
