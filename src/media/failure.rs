//! Why an image's copies could not be made, and the error the user reads about it.

use std::path::Path;

use super::{DECODE_LIMIT_BYTES, MAX_DECODE_SIDE};
use crate::error::{Error, ErrorKind};

/// Why an image's copies could not be made.
#[derive(Debug)]
pub enum VariantError {
    /// The file is empty.
    Empty,
    /// The bytes are no image format herald reads.
    UnknownFormat,
    /// The file stops before the image ends; what says so.
    Truncated(String),
    /// The bytes are not an image the decoders read.
    Decode(image::ImageError),
    /// Decoding would take more than [`DECODE_LIMIT_BYTES`] or a side is longer than
    /// [`MAX_DECODE_SIDE`].
    TooLarge {
        width: u32,
        height: u32,
        needed_bytes: u64,
    },
    /// An encoder refused a copy.
    Encode(String),
    /// Writing into the cache failed; the error names the cache file.
    Cache(Error),
}

impl VariantError {
    /// The error to report about the image shown to the user as `shown`.
    pub fn into_error(self, shown: &Path) -> Error {
        let kind = match self {
            VariantError::Empty => ErrorKind::EmptyImage,
            VariantError::UnknownFormat => ErrorKind::UnknownImageFormat,
            VariantError::Truncated(message) => ErrorKind::TruncatedImage { message },
            VariantError::Decode(error) => ErrorKind::BadImage {
                message: error.to_string(),
            },
            VariantError::TooLarge {
                width,
                height,
                needed_bytes,
            } => ErrorKind::ImageTooLarge {
                width,
                height,
                needed_bytes,
                limit_bytes: DECODE_LIMIT_BYTES,
                limit_side: MAX_DECODE_SIDE,
            },
            VariantError::Encode(message) => ErrorKind::ImageProcessing { message },
            VariantError::Cache(error) => return error,
        };
        Error::in_file(kind, shown)
    }

    /// A decoder's error, told apart by what the user should do about it.
    pub fn decoding(error: image::ImageError) -> VariantError {
        let message = error.to_string().to_ascii_lowercase();
        let cut_short = match &error {
            image::ImageError::IoError(io) => io.kind() == std::io::ErrorKind::UnexpectedEof,
            // Decoders say so in words of their own.
            image::ImageError::Decoding(_) => ["end of file", "truncated"]
                .iter()
                .any(|words| message.contains(words)),
            _ => false,
        };
        if cut_short {
            VariantError::Truncated(error.to_string())
        } else {
            VariantError::Decode(error)
        }
    }
}
