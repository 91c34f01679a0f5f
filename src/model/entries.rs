//! Campaigns and items made from their documents and rendered bodies.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Errors, Location};
use crate::model::assets::{gallery_photos, resolve_image};
use crate::model::campaign::{Campaign, Phase};
use crate::model::item::{AssetCopy, Detail, Item};
use crate::model::kind::Kind;
use crate::model::place::Placed;
use crate::parse::document::FrontMatter;
use crate::parse::markdown::Rendered;

pub(super) fn summary_of(front: &FrontMatter, content: &Rendered) -> String {
    front
        .summary
        .clone()
        .unwrap_or_else(|| content.summary.clone())
}

pub(super) fn build_campaign(
    p: Placed,
    content: Arc<Rendered>,
    assets: &HashSet<&Path>,
    copies: &mut Vec<AssetCopy>,
) -> Result<Campaign, Error> {
    let doc = &p.doc;
    let front = &doc.front;
    let title = doc.require_title()?.to_string();
    let mut phases: Vec<Phase> = front
        .phases
        .iter()
        .enumerate()
        .map(|(number, phase)| {
            let end = phase.end.unwrap_or(phase.start);
            if end.day < phase.start.day {
                let front_matter = &doc.text[..doc.body_offset];
                let (line, column) =
                    crate::model::campaign::phase_field_at(front_matter, number, "end");
                return Err(Error::at(
                    ErrorKind::EndBeforeStart {
                        phase: Some(phase.name.clone()),
                        start: phase.start.day,
                        end: end.day,
                    },
                    Location::at(&doc.path, line, column),
                    Some(&doc.text),
                ));
            }
            Ok(Phase {
                name: phase.name.clone(),
                start: phase.start,
                end,
                summary: phase.summary.clone(),
            })
        })
        .collect::<Result<_, Error>>()?;
    phases.sort_by_key(|phase| phase.start);
    let start = front
        .start
        .or_else(|| phases.first().map(|phase| phase.start))
        .ok_or_else(|| doc.missing("start"))?;
    if let Some(end) = front.end
        && end.day < start.day
    {
        return Err(doc.error_at_field(
            ErrorKind::EndBeforeStart {
                phase: None,
                start: start.day,
                end: end.day,
            },
            "end",
        ));
    }
    // Without `end`, the last phase's end; it can only fall before `start` when every
    // phase does, and then the campaign is its first day.
    let end = front
        .end
        .or_else(|| phases.iter().map(|phase| phase.end).max())
        .unwrap_or(start);
    let cover = match &front.cover {
        Some(reference) => Some(resolve_image(doc, reference, &p.path_url, assets, copies)?),
        None => None,
    };
    Ok(Campaign {
        id: p.slug.clone(),
        path: doc.path.clone(),
        title,
        slogan: front.slogan.clone(),
        start,
        end: end.max(start),
        location: front.location.clone(),
        organizers: front.organizers.clone(),
        phases,
        goals: front.goals.clone(),
        summary: summary_of(front, &content),
        tags: front.tags.clone(),
        cover,
        content,
        items: Vec::new(),
    })
}

pub(super) fn build_item(
    p: Placed,
    kind: Kind,
    content: Arc<Rendered>,
    campaign_ids: &[String],
    assets: &HashSet<&Path>,
    copies: &mut Vec<AssetCopy>,
) -> Result<(Item, Option<String>), Errors> {
    let doc = &p.doc;
    let front = &doc.front;
    let title = doc.require_title()?.to_string();
    if kind != Kind::Page && front.date.is_none() {
        return Err(doc.missing("date").into());
    }
    if let Some(id) = &p.campaign_id
        && !campaign_ids.contains(id)
    {
        let mut known = campaign_ids.to_vec();
        known.sort();
        return Err(doc
            .error_at_field(
                ErrorKind::UnknownCampaign {
                    id: id.clone(),
                    known,
                },
                "campaign",
            )
            .into());
    }
    let cover = match &front.cover {
        Some(reference) => Some(resolve_image(doc, reference, &p.path_url, assets, copies)?),
        None => None,
    };
    let detail = match kind {
        Kind::Plan => Detail::Plan {
            issuer: front.issuer.clone(),
            doc_number: front.doc_number.clone(),
            leadership: front.leadership.clone(),
        },
        Kind::Initiative => Detail::Initiative {
            to: front.to.clone(),
            signatories: front.signatories.clone(),
            closing: front.closing.clone(),
        },
        Kind::Story => Detail::Story {
            volunteers: front.volunteers.clone(),
            organization: front.organization.clone(),
            location: front.location.clone(),
        },
        Kind::Gallery => Detail::Gallery {
            photos: gallery_photos(doc, &p.path_url, assets, copies)?,
            listed: front.photos.is_some(),
        },
        Kind::Page => Detail::Page,
    };
    let item = Item {
        kind,
        path: doc.path.clone(),
        rel: doc.rel.clone(),
        title,
        slug: p.slug.clone(),
        path_url: p.path_url.clone(),
        date: front.date,
        updated: front.updated,
        summary: summary_of(front, &content),
        tags: front.tags.clone(),
        cover,
        draft: front.draft,
        weight: front.weight,
        author: front.author.clone(),
        campaign: None,
        detail,
        content,
    };
    Ok((item, p.campaign_id))
}
