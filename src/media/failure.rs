//! Why an image's copies could not be made, and the error the user reads about it.

use std::path::Path;

use super::strip::StripError;
use super::{DECODE_LIMIT_BYTES, MAX_DECODE_SIDE};
use crate::error::{Error, ErrorKind};

/// Why the bytes of an image are no picture herald can read: what a decoder, or the file's
/// own structure, said. Kept whole, so that what the libraries found stays at hand.
#[derive(Debug, thiserror::Error)]
pub enum Unreadable {
    /// A decoder's error.
    #[error(transparent)]
    Decoder(#[from] image::ImageError),
    /// A part of the file (a JPEG segment, a PNG chunk …) is damaged, found while its
    /// metadata was taken out.
    #[error(transparent)]
    Damaged(#[from] StripError),
    /// The file's own structure says it stops before its end.
    #[error("{0}")]
    CutShort(&'static str),
    /// libheif's error.
    #[cfg(feature = "heif")]
    #[error("HEIF: {}", .0.message)]
    Heif(#[source] libheif_rs::HeifError),
}

/// Why an encoder refused a copy: a fault in herald or its encoders, not in the image.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// The JPEG encoder's error.
    #[error(transparent)]
    Jpeg(#[from] jpeg_encoder::EncodingError),
    /// The PNG encoder's error.
    #[error(transparent)]
    Png(#[from] image::ImageError),
    /// libwebp's error code.
    #[error("{0:?}")]
    WebP(webp::WebPEncodingError),
}

impl EncodeError {
    /// The format of the copy that could not be encoded.
    pub fn format(&self) -> &'static str {
        match self {
            EncodeError::Jpeg(_) => "JPEG",
            EncodeError::Png(_) => "PNG",
            EncodeError::WebP(_) => "WebP",
        }
    }
}

/// Why an image's copies could not be made.
#[derive(Debug)]
pub enum VariantError {
    /// The file is empty.
    Empty,
    /// The bytes are no image format herald reads.
    UnknownFormat,
    /// The file stops before the image ends; what says so.
    Truncated(Unreadable),
    /// The bytes are not an image the decoders read.
    Decode(Unreadable),
    /// Decoding would take more than [`DECODE_LIMIT_BYTES`] or a side is longer than
    /// [`MAX_DECODE_SIDE`].
    TooLarge {
        width: u32,
        height: u32,
        needed_bytes: u64,
    },
    /// An encoder refused a copy.
    Encode(EncodeError),
    /// Writing into the cache failed; the error names the cache file.
    Cache(Error),
    /// A library handed back what herald cannot use; what it was.
    #[cfg(feature = "heif")]
    Library(&'static str),
}

impl VariantError {
    /// The error to report about the image shown to the user as `shown`.
    pub fn into_error(self, shown: &Path) -> Error {
        let kind = match self {
            VariantError::Empty => ErrorKind::EmptyImage,
            VariantError::UnknownFormat => ErrorKind::UnknownImageFormat,
            VariantError::Truncated(source) => ErrorKind::TruncatedImage {
                source: Box::new(source),
            },
            VariantError::Decode(source) => ErrorKind::BadImage {
                source: Box::new(source),
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
            VariantError::Encode(source) => ErrorKind::ImageEncoding {
                format: source.format(),
                source: Box::new(source),
            },
            VariantError::Cache(error) => return error,
            #[cfg(feature = "heif")]
            VariantError::Library(message) => ErrorKind::ImageProcessing {
                message: message.into(),
            },
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
            VariantError::Truncated(error.into())
        } else {
            VariantError::Decode(error.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;
    use std::path::Path;

    use super::{Unreadable, VariantError};
    use crate::error::{ErrorKind, Lang};

    #[test]
    fn a_decoder_error_is_kept_as_the_source_and_told_in_its_own_words() {
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, "bad Huffman code");
        let failure = VariantError::decoding(image::ImageError::IoError(io));
        let error = failure.into_error(Path::new("content/a.jpg"));
        assert!(matches!(error.kind, ErrorKind::BadImage { .. }));
        let report = error.report(Lang::En);
        assert!(
            report.starts_with(
                "error: content/a.jpg: the image cannot be read (damaged, or not an image): bad Huffman code"
            ),
            "{report}"
        );
        let source = error.source().unwrap().downcast_ref::<Unreadable>();
        assert!(
            matches!(
                source,
                Some(Unreadable::Decoder(image::ImageError::IoError(_)))
            ),
            "the decoder's own error is kept: {source:?}"
        );
    }

    #[test]
    fn a_decoder_error_at_the_end_of_the_bytes_is_a_cut_short_file() {
        let eof = std::io::Error::from(std::io::ErrorKind::UnexpectedEof);
        let failure = VariantError::decoding(image::ImageError::IoError(eof));
        let error = failure.into_error(Path::new("content/a.jpg"));
        assert!(matches!(error.kind, ErrorKind::TruncatedImage { .. }));
        assert!(error.source().is_some());
    }
}
