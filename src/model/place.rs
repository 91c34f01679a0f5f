//! Sorting documents into campaigns and items, each with its settled URL.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::error::{Error, ErrorKind};
use crate::model::body::RenderedBody;
use crate::model::kind::Kind;
use crate::model::urls;
use crate::parse::document::Document;
use crate::parse::slug::{MAX_SLUG_BYTES, is_ascii_slug, settle_slug, slugify};

/// A placed document with its rendered body.
pub(super) type RenderedDoc = (Placed, Arc<RenderedBody>);

/// A document sorted into campaign or item, with its settled URL.
pub(super) struct Placed {
    pub(super) doc: Arc<Document>,
    pub(super) kind: Option<Kind>,
    pub(super) campaign_id: Option<String>,
    pub(super) slug: String,
    pub(super) path_url: String,
}

/// Sorts every document into campaign or item with its URL; those that cannot be placed
/// add their error.
pub(super) fn place_all(documents: Vec<Arc<Document>>, errors: &mut Vec<Error>) -> Vec<Placed> {
    let mut placed = Vec::new();
    for doc in documents {
        match place(doc) {
            Ok(Some(p)) => placed.push(p),
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    placed
}

/// Leaves out drafts, and with a draft campaign every item that belongs to it; returns
/// what was left out, so that a link to it can say why it leads nowhere.
pub(super) fn leave_out_drafts(placed: &mut Vec<Placed>) -> Vec<PathBuf> {
    let draft_campaigns: HashSet<String> = placed
        .iter()
        .filter(|p| p.kind.is_none() && p.doc.front.draft)
        .map(|p| p.slug.clone())
        .collect();
    let mut unpublished = Vec::new();
    placed.retain(|p| {
        let published = !p.doc.front.draft
            && !p
                .campaign_id
                .as_ref()
                .is_some_and(|id| draft_campaigns.contains(id));
        if !published {
            unpublished.push(p.doc.rel.clone());
        }
        published
    });
    unpublished
}

/// Decides whether a document is a campaign or an item, its kind and its URL.
pub(super) fn place(doc: Arc<Document>) -> Result<Option<Placed>, Error> {
    let parts: Vec<String> = doc
        .rel
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let file_name = parts.last().cloned().unwrap_or_default();
    let stem = file_name.trim_end_matches(".md").to_string();
    let is_bundle = file_name == "index.md";
    let folder_stem = if is_bundle && parts.len() >= 2 {
        parts[parts.len() - 2].clone()
    } else {
        stem
    };

    let in_campaigns = parts.first().is_some_and(|first| first == "campaigns");
    let is_campaign_file = in_campaigns
        && doc.front.kind.is_none()
        && (parts.len() == 2 || (parts.len() == 3 && is_bundle));
    if is_campaign_file {
        if !is_campaign_id(&folder_stem) {
            return Err(Error::in_file(
                ErrorKind::BadCampaignId {
                    id: folder_stem.clone(),
                },
                &doc.path,
            ));
        }
        return Ok(Some(Placed {
            path_url: urls::campaign(&folder_stem),
            slug: folder_stem,
            kind: None,
            campaign_id: None,
            doc,
        }));
    }

    let kind = match doc.front.kind.as_deref() {
        Some(value) => Kind::from_type(value).ok_or_else(|| {
            doc.error_at_field(
                ErrorKind::UnknownKind {
                    value: value.to_string(),
                },
                "type",
            )
        })?,
        None => parts[..parts.len().saturating_sub(1)]
            .iter()
            .find_map(|part| Kind::from_folder(part))
            .unwrap_or(Kind::Page),
    };
    let campaign_id = doc
        .front
        .campaign
        .clone()
        .or_else(|| (in_campaigns && parts.len() > 2).then(|| parts[1].clone()));
    let title = doc.require_title()?.to_string();
    // A written slug that makes no slug ("/", "..", "？？") falls back like a missing one.
    let written = doc
        .front
        .slug
        .as_deref()
        .map(slugify_keep)
        .unwrap_or_default();
    let file_slug = if is_ascii_slug(&folder_stem) {
        folder_stem.to_ascii_lowercase()
    } else {
        String::new()
    };
    let seed = doc.rel.to_string_lossy();
    let slug = settle_slug(
        [
            written.as_str(),
            file_slug.as_str(),
            slugify(&title).as_str(),
        ],
        &seed,
    );
    let path_url = urls::item(kind, &slug);
    Ok(Some(Placed {
        doc,
        kind: Some(kind),
        campaign_id,
        slug,
        path_url,
    }))
}

/// Whether a campaign's file or folder name can be its id and URL part: it is written
/// in `campaign:` fields, so it is never changed behind the author's back.
pub(super) fn is_campaign_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_SLUG_BYTES
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// A slug written by hand: kept when already a slug, otherwise made into one.
pub(super) fn slugify_keep(slug: &str) -> String {
    let slug = slug.trim().trim_matches('/');
    if is_ascii_slug(slug) {
        slug.to_string()
    } else {
        slugify(slug)
    }
}
