//! herald builds campaign publicity portals from Markdown.
//!
//! The build is a pipeline of plain values, one module per stage:
//! [`load`] reads `content/` into `SourceFile`s, [`parse`] turns each into a
//! typed `Document`, [`model`] validates them into a `Site`, [`render`] turns
//! the `Site` into `OutputFile`s through the theme's Tera templates, and
//! [`write`] puts them on disk atomically. [`pipeline::build`] runs them in
//! order; [`cli`] is the command line around it, and [`serve`] is the live
//! preview, which calls the pipeline and is never called by it.

pub mod cli;
pub mod config;
pub mod error;
pub mod format;
pub mod fsio;
pub mod limits;
pub mod load;
pub mod media;
pub mod model;
pub mod output;
pub mod output_path;
pub mod parse;
pub mod pipeline;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod stamp;
pub mod theme;
pub mod write;
