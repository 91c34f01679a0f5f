//! What herald accepts, as numbers and lists: each limit written once, read both by the
//! code that enforces it and by the messages that name it.

/// The longest slug, in bytes: a URL part people can still read, with room to spare
/// under the output's path limit.
pub const MAX_SLUG_BYTES: usize = 80;

/// The longest output path, in bytes: well under what any system takes beneath a
/// folder of its own (Windows' 260 characters above all), with room for the folder.
pub const MAX_PATH_BYTES: usize = 200;
/// The longest single file or folder name, in bytes: what ext4, NTFS and APFS allow.
pub const MAX_NAME_BYTES: usize = 255;

/// Why a path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathFault {
    /// Nothing, or a name that is empty (`a//b`, a leading or trailing `/`).
    EmptyName,
    /// `.` or `..`.
    DotName,
    /// A backslash, NUL or other control character.
    BadCharacter,
    /// One name over [`MAX_NAME_BYTES`].
    NameTooLong,
    /// The whole path over [`MAX_PATH_BYTES`].
    PathTooLong,
}

/// File types published as downloads when a page links to them, besides those
/// `attachments:` in site.yaml adds: documents, spreadsheets and slides (Office, WPS,
/// OFD), archives, plain text and sound and video.
pub const ATTACHMENTS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "ofd", "odt", "ods",
    "odp", "rtf", "csv", "txt", "zip", "rar", "7z", "mp3", "m4a", "wav", "mp4", "m4v", "mov",
    "webm", "epub",
];
