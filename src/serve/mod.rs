//! `herald serve`: a live preview apart from the build pipeline. It calls the pipeline,
//! serves the result from memory (never touching the output folder), watches the sources,
//! rebuilds on every save and tells the browsers to reload.

pub mod connection;
pub mod escape;
pub mod http;
pub mod session;
pub mod state;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::error::{Error, ErrorKind, Errors, Lang};
use crate::project::BuildOptions;
use crate::serve::session::Session;
use crate::serve::state::{Event, Preview, State};
use crate::serve::watch::Changes;

/// How to run the preview.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's root.
    pub root: PathBuf,
    /// The port asked for; `None` means 1111 or the next free one.
    pub port: Option<u16>,
    /// The address to listen on.
    pub bind: IpAddr,
    /// Show drafts (the default in the preview).
    pub drafts: bool,
    /// Open the browser once the server is up.
    pub open: bool,
    /// The language of messages.
    pub lang: Lang,
}

/// The port used when none is asked for.
pub const DEFAULT_PORT: u16 = 1111;
const PORT_TRIES: u16 = 20;

/// Binds the listener: the asked port or fail, or the default port and the next free ones.
pub fn bind(address: IpAddr, port: Option<u16>) -> Result<TcpListener, Error> {
    let ports: Vec<u16> = match port {
        Some(port) => vec![port],
        None => (0..PORT_TRIES).map(|step| DEFAULT_PORT + step).collect(),
    };
    let mut last_error = None;
    for candidate in &ports {
        match TcpListener::bind(SocketAddr::new(address, *candidate)) {
            Ok(listener) => return Ok(listener),
            Err(error) => last_error = Some(error),
        }
    }
    let port = ports[0];
    match last_error {
        Some(error) if error.kind() == std::io::ErrorKind::AddrInUse => {
            Err(Error::new(ErrorKind::PortInUse {
                port,
                tried: ports.len() as u16,
            }))
        }
        Some(error) => Err(Error::new(ErrorKind::Bind {
            port,
            source: error,
        })),
        None => Err(Error::new(ErrorKind::PortInUse { port, tried: 0 })),
    }
}

/// Runs the preview until the process is stopped.
pub fn run(options: ServeOptions) -> Result<(), Errors> {
    let lang = options.lang;
    // Ctrl-C: say goodbye and leave with success; nothing is on disk to clean up.
    let _ = ctrlc::set_handler(move || {
        say(lang, "预览已停止。", "preview stopped.");
        std::process::exit(0);
    });
    // Fail early, before any port is taken, when this is not a site. A mistake in
    // site.yaml is shown in the browser like any other, and fixed there.
    if !crate::fsio::exists(&options.root.join(crate::config::CONFIG_FILE)) {
        return Err(Error::new(ErrorKind::NoSite).into());
    }
    let listener = bind(options.bind, options.port)?;
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(DEFAULT_PORT);
    let shown_host = if options.bind.is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        options.bind
    };
    // As a socket address, so that an IPv6 host is written in brackets: `[::1]:1111`.
    let url = format!("http://{}/", SocketAddr::new(shown_host, port));
    say(lang, &url, &url);
    if options.port.is_none() && port != DEFAULT_PORT {
        say(
            lang,
            &format!("端口 {DEFAULT_PORT} 已被占用，改用 {port}。"),
            &format!("port {DEFAULT_PORT} is in use; using {port} instead."),
        );
    }
    if options.bind.is_unspecified() {
        say(
            lang,
            "警告：预览对局域网内所有设备开放，请只在可信的网络中使用。",
            "warning: the preview is open to every device on the network; use this only on a network you trust.",
        );
    }

    let build_options = BuildOptions {
        root: options.root.clone(),
        output: None,
        drafts: options.drafts,
        base_url: Some(url.clone()),
        now: None,
    };
    // Watch before the first build, so that no save is missed once a browser can connect.
    let root = crate::fsio::canonical(&options.root);
    let (watcher, events) = watch::start(&root)
        .map_err(|e| Error::io("read", &options.root, std::io::Error::other(e.to_string())))?;
    let state = Arc::new(State::default());
    let started = Instant::now();
    let search = spawn_search_builder(Arc::clone(&state));
    let mut session = Session::new(build_options.clone());
    match session.full() {
        Ok(outcome) => {
            let _ = search.send(Arc::clone(&outcome.site));
            let pages = outcome.rendered.len();
            print_warnings(&outcome.warnings, lang);
            state.publish(outcome.preview);
            say(
                lang,
                &format!(
                    "已生成 {pages} 个页面，用时 {} 毫秒。按 Ctrl-C 停止。",
                    started.elapsed().as_millis()
                ),
                &format!(
                    "built {pages} pages in {} ms. Press Ctrl-C to stop.",
                    started.elapsed().as_millis()
                ),
            );
        }
        Err(errors) => report_failure(&state, &errors, lang),
    }

    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || connection::serve(listener, state));
    }
    if options.open {
        open_browser(&url);
    }
    let mut watcher = watcher;
    while let Some(changes) = watch::next_batch(&events, &root, &mut watcher) {
        let started = Instant::now();
        let changed: Vec<String> = changed_paths(&changes);
        match session.apply(&changes) {
            Ok(outcome) => {
                let _ = search.send(Arc::clone(&outcome.site));
                let target = navigation_target(&changes, &outcome.preview);
                let pages = describe(&outcome.rendered);
                let was_failing = state.error().is_some();
                print_warnings(&outcome.warnings, lang);
                state.publish(outcome.preview);
                let name = if changes.only_css() && !was_failing {
                    "css"
                } else {
                    "reload"
                };
                state.broadcast(Event {
                    name,
                    data: serde_json::json!({ "build": state.build_id(), "path": target })
                        .to_string(),
                });
                let ms = started.elapsed().as_millis();
                say(
                    lang,
                    &format!(
                        "{} 有改动 → 重新生成 {pages}，用时 {ms} 毫秒",
                        changed.join(", ")
                    ),
                    &format!(
                        "{} changed → rendered {pages} in {ms} ms",
                        changed.join(", ")
                    ),
                );
            }
            Err(errors) => report_failure(&state, &errors, lang),
        }
    }
    Ok(())
}

/// Builds the search index in its own thread, from the newest site it is sent, so that a
/// large site's index never delays a reload; the preview serves the last index meanwhile.
fn spawn_search_builder(state: Arc<State>) -> std::sync::mpsc::Sender<Arc<crate::model::Site>> {
    let (sender, receiver) = std::sync::mpsc::channel::<Arc<crate::model::Site>>();
    std::thread::spawn(move || {
        // While the author keeps saving, wait: the index is for searching, not for the
        // reload, and building it would only take the cores the reload needs.
        const QUIET: std::time::Duration = std::time::Duration::from_millis(800);
        // Only a weak handle is kept while waiting: the session may then update its site in
        // place after a body edit instead of copying it.
        while let Ok(site) = receiver.recv() {
            let mut latest = Arc::downgrade(&site);
            drop(site);
            while let Ok(newer) = receiver.recv_timeout(QUIET) {
                latest = Arc::downgrade(&newer);
            }
            if let Some(site) = latest.upgrade() {
                state.publish_search(crate::search::index_files(&site));
            }
        }
    });
    sender
}

/// The page to show after a save: the edited item's, when exactly one content file changed.
fn navigation_target(changes: &Changes, preview: &Preview) -> Option<String> {
    if changes.content.len() != 1 || changes.templates || changes.config {
        return None;
    }
    let changed = changes.content.iter().next()?;
    preview.urls_by_source.get(changed).cloned()
}

fn changed_paths(changes: &Changes) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    if changes.config {
        paths.push(crate::config::CONFIG_FILE.to_string());
    }
    if changes.templates {
        paths.push(crate::theme::TEMPLATES_DIR.to_string());
    }
    paths.extend(
        changes
            .content
            .iter()
            .chain(&changes.static_files)
            .map(|p| p.display().to_string()),
    );
    paths
}

/// The pages a rebuild rendered, named when they are few.
fn describe(pages: &[String]) -> String {
    const NAMED: usize = 4;
    match pages.len() {
        0 => "0 pages".into(),
        n if n <= NAMED => pages.join(" "),
        n => format!("{} … ({n} pages)", pages[..NAMED].join(" ")),
    }
}

fn print_warnings(warnings: &[crate::error::Warning], lang: Lang) {
    for warning in warnings {
        let _ = writeln!(std::io::stderr(), "{}", warning.message(lang));
    }
}

fn report_failure(state: &State, errors: &Errors, lang: Lang) {
    let text: String = errors.0.iter().map(|error| error.report(lang)).collect();
    let _ = std::io::stderr().write_all(text.as_bytes());
    state.fail(text.clone());
    state.broadcast(Event {
        name: "build-error",
        data: serde_json::json!({ "build": state.build_id(), "error": text }).to_string(),
    });
}

/// Prints a line; a closed terminal must not stop the preview, so write errors are ignored.
fn say(lang: Lang, zh: &str, en: &str) {
    let line = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(command)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
