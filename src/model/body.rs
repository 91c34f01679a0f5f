//! Stage 3, model: rendering each document's Markdown, with links resolved against the
//! site's URLs, and keeping the results between builds of a live preview.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::error::{Error, ErrorKind, Location, Warning, WarningKind};
use crate::model::LinkTarget;
use crate::model::assets::not_an_image;
use crate::model::item::AssetCopy;
use crate::model::paths::{
    Publishable, asset_target, encode_url_path, is_heif, parent_dir, publishable, resolve_reference,
};
use crate::parse::document::Document;
use crate::parse::markdown::{self, MarkdownOptions, Rendered};

/// A document's rendered body with what rendering found: warnings and the images it uses.
#[derive(Debug)]
pub struct RenderedBody {
    /// The rendered Markdown.
    pub content: Arc<Rendered>,
    /// Escaped raw HTML and the like.
    pub warnings: Vec<Warning>,
    /// Images of the body to copy beside the page.
    pub copies: Vec<AssetCopy>,
}

/// Rendered bodies kept between builds of a live preview: a document that did not change
/// (the same `Arc`) keeps its HTML, as long as every link target and image stays where it was.
#[derive(Debug, Default)]
pub struct MarkdownCache {
    pub(crate) fingerprint: u64,
    pub(crate) entries: HashMap<PathBuf, (Arc<Document>, Arc<RenderedBody>)>,
}

impl MarkdownCache {
    /// Forgets everything, e.g. after an image was added or removed.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.fingerprint = 0;
    }

    pub(crate) fn get(&self, doc: &Arc<Document>) -> Option<Arc<RenderedBody>> {
        self.entries
            .get(&doc.rel)
            .filter(|(cached, _)| Arc::ptr_eq(cached, doc))
            .map(|(_, body)| Arc::clone(body))
    }
}

/// What decides how every body renders: the URL of each file, the base path, the HTML
/// policy and the attachment types.
/// Each pair is hashed alone and the hashes added, so no sorting of the (maybe 100,000) pairs
/// is needed to make the result independent of the map's order.
pub(crate) fn render_fingerprint(
    link_targets: &HashMap<PathBuf, LinkTarget>,
    config: &SiteConfig,
) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    type Fixed = BuildHasherDefault<std::collections::hash_map::DefaultHasher>;
    let pairs = link_targets
        .iter()
        .map(|pair| Fixed::default().hash_one(pair))
        .fold(0u64, u64::wrapping_add);
    Fixed::default().hash_one((
        pairs,
        link_targets.len(),
        config.base_path(),
        config.raw_html,
        &config.attachments,
    ))
}

/// Renders a document's Markdown; broken links and missing images become errors,
/// escaped HTML warnings. Images the body uses are added to `copies`.
pub(crate) fn render_body(
    doc: &Document,
    path_url: &str,
    config: &SiteConfig,
    base_path: &str,
    link_targets: &HashMap<PathBuf, LinkTarget>,
    assets: &HashSet<&Path>,
) -> Result<RenderedBody, Error> {
    let folder = parent_dir(&doc.rel);
    let resolve_link = |link: &str| match link_targets.get(&resolve_reference(&folder, link)?)? {
        LinkTarget::Page(path) => Some(format!("{base_path}{path}")),
        LinkTarget::Unpublished => None,
    };
    let source_of = |reference: &str| {
        resolve_reference(&folder, reference).filter(|path| assets.contains(path.as_path()))
    };
    let kind_of = |source: &Path| publishable(source, &config.attachments);
    let target_of = |source: &Path| asset_target(path_url, source);
    let url_of = |source: &Path| format!("{base_path}{}", encode_url_path(&target_of(source)));
    // A body shows the file itself, which only Safari shows when it is a HEIC photo, even
    // where herald can make copies of one.
    let resolve_image = |reference: &str| {
        source_of(reference)
            .filter(|source| kind_of(source) == Publishable::Image && !is_heif(source))
            .map(|source| url_of(&source))
    };
    let resolve_file = |reference: &str| {
        source_of(reference)
            .filter(|source| {
                matches!(
                    kind_of(source),
                    Publishable::Image | Publishable::Attachment
                )
            })
            .map(|source| url_of(&source))
    };
    let content = markdown::render(
        doc.body(),
        &MarkdownOptions {
            raw_html: config.raw_html,
            resolve_link: &resolve_link,
            resolve_image: &resolve_image,
            resolve_file: &resolve_file,
        },
    )
    .map_err(|error| doc.error_in_body(error.kind, error.line))?;
    if let Some((target, line)) = content.broken_links.first() {
        let path = target.split('#').next().unwrap_or(target);
        let to_draft = resolve_reference(&folder, path)
            .and_then(|rel| link_targets.get(&rel))
            .is_some_and(|found| *found == LinkTarget::Unpublished);
        let kind = if to_draft {
            ErrorKind::LinkToDraft {
                target: target.clone(),
            }
        } else {
            ErrorKind::BrokenLink {
                target: target.clone(),
            }
        };
        return Err(doc.error_in_body(kind, *line));
    }
    if let Some((reference, line)) = content.missing_images.first() {
        let kind = match source_of(reference) {
            Some(source) => not_an_image(reference, &source),
            None => ErrorKind::MissingAsset {
                reference: reference.clone(),
            },
        };
        return Err(doc.error_in_body(kind, *line));
    }
    let mut copies: Vec<AssetCopy> = content
        .local_images
        .iter()
        .filter_map(|reference| source_of(reference))
        .map(|source| AssetCopy {
            to: target_of(&source),
            from: source,
        })
        .collect();
    for (reference, line) in &content.local_files {
        let refuse = |live| {
            doc.error_in_body(
                ErrorKind::NotPublished {
                    reference: reference.clone(),
                    live,
                },
                *line,
            )
        };
        match source_of(reference) {
            Some(source) => match kind_of(&source) {
                Publishable::Image | Publishable::Attachment => copies.push(AssetCopy {
                    to: target_of(&source),
                    from: source,
                }),
                Publishable::LiveDocument => return Err(refuse(true)),
                Publishable::Unlisted => return Err(refuse(false)),
            },
            // A link to a download that is not there; other links (to a page's folder,
            // say) are the author's to write.
            None if matches!(
                kind_of(Path::new(reference)),
                Publishable::Image | Publishable::Attachment
            ) =>
            {
                return Err(doc.error_in_body(
                    ErrorKind::BrokenLink {
                        target: reference.clone(),
                    },
                    *line,
                ));
            }
            None => {}
        }
    }
    let warnings = content
        .cleaned_lines
        .iter()
        .map(|line| Warning {
            kind: WarningKind::RawHtmlCleaned,
            location: Location::at(&doc.path, doc.body_line + line, 1),
        })
        .collect();
    Ok(RenderedBody {
        content: Arc::new(content),
        warnings,
        copies,
    })
}
