//! `herald serve` over a temporary copy of a fixture site: pages, reload events after
//! edits, the error overlay, recovery, added/renamed/removed files and hostile paths.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::TestSite;
use common::serve::{Server, get_text, request, request_method, start};

/// Listens to the event stream in a thread; each complete event arrives on the channel.
fn events(port: u16) -> mpsc::Receiver<(String, String)> {
    let (sender, receiver) = mpsc::channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /__herald/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    std::thread::spawn(move || {
        let reader = BufReader::new(stream);
        let (mut name, mut data) = (String::new(), String::new());
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data = value.to_string();
            } else if line.is_empty()
                && !name.is_empty()
                && sender
                    .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                    .is_err()
            {
                return;
            }
        }
    });
    receiver
}

/// Starts a server and listens to its events, past the greeting.
fn start_listening(site: &TestSite) -> (Server, u16, mpsc::Receiver<(String, String)>) {
    let (server, _) = start(site, &[]);
    let port = server.port;
    let events = events(port);
    next_event(&events, "hello");
    (server, port, events)
}

fn next_event(events: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let (event, data) = events
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no {name} event"));
        if event == name {
            return data;
        }
    }
}

#[test]
fn serves_pages_with_the_right_headers() {
    let site = TestSite::fixture("basic");
    let (server, first_line) = start(&site, &[]);
    assert_eq!(
        first_line.trim(),
        format!("http://127.0.0.1:{}/", server.port),
        "the URL comes first"
    );
    let port = server.port;

    let (status, head, body) = request(port, "/plans/honghu/", &[]);
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("洪湖志愿服务队活动方案"));
    assert!(
        html.contains("<script src=\"/__herald/reload.js\"></script></body>"),
        "the reload script is injected"
    );
    assert!(
        html.contains(&format!("http://127.0.0.1:{port}/plans/honghu/")),
        "links point at the preview"
    );

    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("ETag: "))
        .expect("an ETag")
        .to_string();
    let (status, _, _) = request(port, "/plans/honghu/", &[&format!("If-None-Match: {etag}")]);
    assert_eq!(status, 304);

    let (status, head, body) = request_method(port, "HEAD", "/style.css", &[]);
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/css"));
    assert!(body.is_empty());

    let (status, head, _) = request(port, "/galleries/spring/01.png", &[]);
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: image/png"));

    let (status, head, _) = request(port, "/plans/honghu", &[]);
    assert_eq!(status, 301);
    assert!(head.contains("Location: /plans/honghu/"));

    let (status, html) = get_text(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(html.contains("页面不存在"), "the theme's 404 page");

    let (status, script) = get_text(port, "/__herald/reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));

    assert!(
        !site.path("public").exists(),
        "the preview never writes the output folder"
    );
}

#[test]
fn drafts_show_in_the_preview_unless_hidden() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/stories/draft.md",
        "---\ntitle: 草稿事迹\ndate: 2013-03-11\ndraft: true\n---\n未完成\n",
    );
    let (server, _) = start(&site, &[]);
    let (status, html) = get_text(server.port, "/stories/draft/");
    assert_eq!(status, 200);
    assert!(html.contains("badge-draft"));
    drop(server);
    let (server, _) = start(&site, &["--no-drafts"]);
    assert_eq!(get_text(server.port, "/stories/draft/").0, 404);
}

#[test]
fn an_edit_reloads_and_goes_to_the_edited_page() {
    let site = TestSite::fixture("basic");
    site.write("static/style.css", "body { color: black; }\n");
    let (_server, port, events) = start_listening(&site);

    site.write("content/stories/jinglaoyuan.md", "---\ntitle: 敬老院里的一天\ndate: 2013-03-10\ncampaign: leifeng-2013\n---\n新写的一段话。\n");
    let data = next_event(&events, "reload");
    assert!(
        data.contains("\"path\":\"/stories/jinglaoyuan/\""),
        "{data}"
    );
    assert!(
        get_text(port, "/stories/jinglaoyuan/")
            .1
            .contains("新写的一段话。")
    );

    site.write("static/style.css", "body { color: red; }\n");
    let data = next_event(&events, "css");
    assert!(data.contains("build"));
    assert_eq!(get_text(port, "/style.css").1, "body { color: red; }\n");
}

#[test]
fn a_bad_edit_shows_the_overlay_and_a_fix_clears_it() {
    let site = TestSite::fixture("basic");
    let (_server, port, events) = start_listening(&site);

    site.write(
        "content/plans/honghu.md",
        "---\ntitle: 洪湖\ndate: 2013-03-02\ntags: [学雷锋\n---\n",
    );
    let data = next_event(&events, "build-error");
    assert!(data.contains("content/plans/honghu.md:5"), "{data}");
    let (status, html) = get_text(port, "/plans/honghu/");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(html.contains("洪湖志愿服务队活动方案"));
    assert!(
        html.contains("window.__heraldError = \"error: content/plans/honghu.md:5"),
        "the page carries the error"
    );

    site.write(
        "content/plans/honghu.md",
        "---\ntitle: 洪湖志愿服务队新方案\ndate: 2013-03-02\n---\n修好了\n",
    );
    next_event(&events, "reload");
    let (_, html) = get_text(port, "/plans/honghu/");
    assert!(html.contains("修好了"));
    assert!(!html.contains("__heraldError"));
}

/// The overlay's script element in a page, and the error text it carries.
fn overlay_script(html: &str) -> (String, String) {
    const START: &str = "<script>window.__heraldError = ";
    let start = html.find(START).expect("the page carries the error");
    let end = start + html[start..].find(";</script>").expect("the script ends");
    let json = &html[start + START.len()..end];
    let text: String = serde_json::from_str(json).expect("the error is a JSON string");
    (html[start..end + ";</script>".len()].to_string(), text)
}

/// An author's line that a YAML error quotes back, written to break the page it lands in.
const HOSTILE_TITLE: &str = "title: \"<!--<script>&amp;</script>\" 方案";

#[test]
fn error_text_is_shown_as_written_and_cannot_break_the_page() {
    let site = TestSite::fixture("basic");
    let (_server, port, events) = start_listening(&site);
    let (_, good) = get_text(port, "/plans/honghu/");

    site.write(
        "content/plans/honghu.md",
        &format!("---\n{HOSTILE_TITLE}\ndate: 2013-03-02\n---\n"),
    );
    let data = next_event(&events, "build-error");
    let event: serde_json::Value = serde_json::from_str(&data).unwrap();
    let error = event["error"].as_str().unwrap().to_string();
    assert!(error.contains("content/plans/honghu.md:2"), "{error}");
    assert!(error.contains(HOSTILE_TITLE), "the line is quoted: {error}");

    let (status, html) = get_text(port, "/plans/honghu/");
    assert_eq!(status, 200, "the last good page is still served");
    let (script, shown) = overlay_script(&html);
    assert_eq!(shown, error, "the overlay gets the text exactly as written");
    assert_eq!(
        script.matches('<').count(),
        2,
        "only its own tags: {script}"
    );
    assert_eq!(
        html.replacen(&script, "", 1),
        good,
        "nothing else in the page changed"
    );

    site.write(
        "content/plans/honghu.md",
        "---\ntitle: 洪湖志愿服务队活动方案\ndate: 2013-03-02\n---\n修好了\n",
    );
    next_event(&events, "reload");
    assert!(!get_text(port, "/plans/honghu/").1.contains("__heraldError"));
}

#[test]
fn a_site_that_never_built_shows_its_error_as_text() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/plans/honghu.md",
        &format!("---\n{HOSTILE_TITLE}\ndate: 2013-03-02\n---\n"),
    );
    let (_server, port, events) = start_listening(&site);
    let (status, html) = get_text(port, "/");
    assert_eq!(status, 404, "no page was built");
    assert!(
        html.contains("<pre>error: content/plans/honghu.md:2:"),
        "the error is in the page itself: {html}"
    );
    assert!(html.contains("title: \"&lt;!--&lt;script&gt;&amp;amp;&lt;/script&gt;\" 方案"));
    let (script, _) = overlay_script(&html);
    assert_eq!(
        html.matches('<').count(),
        html.replacen(&script, "", 1).matches('<').count() + 2
    );
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the overlay's and the reload script"
    );
    assert!(!html.contains("<!--"));

    site.write(
        "content/plans/honghu.md",
        "---\ntitle: 洪湖志愿服务队活动方案\ndate: 2013-03-02\n---\n修好了\n",
    );
    next_event(&events, "reload");
    assert_eq!(get_text(port, "/").0, 200);
}

/// Makes a bad edit, checks the preview shows it and still serves the last good site, then
/// undoes it and checks the error is gone.
fn survives(
    site: &TestSite,
    port: u16,
    events: &mpsc::Receiver<(String, String)>,
    bad: &dyn Fn(),
    fix: &dyn Fn(),
    words: &[&str],
) {
    bad();
    let data = next_event(events, "build-error");
    for word in words {
        assert!(data.contains(word), "{word:?} not in {data}");
    }
    let (status, html) = get_text(port, "/plans/honghu/");
    assert_eq!(status, 200, "still serving after: {data}");
    assert!(html.contains("洪湖志愿服务队活动方案"));
    let (_, shown) = overlay_script(&html);
    assert!(shown.contains(words[0]));
    fix();
    next_event(events, "reload");
    let (status, html) = get_text(port, "/plans/honghu/");
    assert_eq!(status, 200);
    assert!(!html.contains("__heraldError"), "a fix clears the overlay");
    assert!(site.path("site.yaml").is_file());
}

#[test]
fn the_preview_survives_bad_settings_and_themes() {
    let site = TestSite::fixture("basic");
    let good_config = site.read("site.yaml");
    let (_server, port, events) = start_listening(&site);
    let config_with = |line: &'static str| {
        let site = &site;
        let good_config = good_config.clone();
        move || site.write("site.yaml", &format!("{good_config}{line}\n"))
    };
    let restore = || site.write("site.yaml", &good_config);

    survives(
        &site,
        port,
        &events,
        &config_with("timezone: Asia/Beijing"),
        &restore,
        &["site.yaml:6:11", "Asia/Beijing", "Asia/Shanghai"],
    );
    survives(
        &site,
        port,
        &events,
        &config_with("theme: /"),
        &restore,
        &["site.yaml:6:8", "theme name `/`"],
    );
    survives(
        &site,
        port,
        &events,
        &|| site.write("site.yaml", &good_config.replace("https://", "")),
        &restore,
        &["site.yaml:3:11", "base_url `example.org/volunteer/`"],
    );
    survives(
        &site,
        port,
        &events,
        &|| site.write("templates/base.html", "{% extends \"base.html\" %}\n"),
        &|| std::fs::remove_file(site.path("templates/base.html")).unwrap(),
        &["templates/base.html:1:4", "the template extends itself"],
    );
}

#[test]
fn the_preview_survives_hostile_content() {
    let site = TestSite::fixture("basic");
    let (_server, port, events) = start_listening(&site);
    let story = "content/stories/att/index.md";
    let remove = || std::fs::remove_dir_all(site.path("content/stories/att")).unwrap();
    let with_file = |name: &'static str, bytes: &'static [u8], body: String| {
        let site = &site;
        move || {
            std::fs::create_dir_all(site.path("content/stories/att")).unwrap();
            std::fs::write(site.path(&format!("content/stories/att/{name}")), bytes).unwrap();
            site.write(
                story,
                &format!("---\ntitle: 附件\ndate: 2013-03-01\n{body}"),
            );
        }
    };
    survives(
        &site,
        port,
        &events,
        &with_file(
            "evil.html",
            b"<script>alert(1)</script>",
            "---\n![ ](evil.html)\n".into(),
        ),
        &remove,
        &[
            "content/stories/att/index.md:5:1",
            "`evil.html` is not a picture",
        ],
    );
    survives(
        &site,
        port,
        &events,
        &with_file(
            "x.svg",
            b"<svg onload=\"alert(1)\"/>",
            "---\n![](x.svg)\n".into(),
        ),
        &remove,
        &["content/stories/att/index.md:5:1", "SVG"],
    );
    survives(
        &site,
        port,
        &events,
        &with_file(
            "x.txt",
            b"x",
            "type: gallery\nphotos: [{src: \"javascript://%0aalert(1)\", caption: x}]\n---\n"
                .into(),
        ),
        &remove,
        &["content/stories/att/index.md:5", "could run code"],
    );

    survives(
        &site,
        port,
        &events,
        &with_file("x.txt", b"x", format!("---\n{}\n", "<div>".repeat(300))),
        &remove,
        &["content/stories/att/index.md:5", "100"],
    );
    let campaign = "content/campaigns/qiye-2011.md";
    let good_campaign = site.read(campaign);
    survives(
        &site,
        port,
        &events,
        &|| {
            site.write(
                campaign,
                &good_campaign.replace("end: 2011-12-31", "end: 2010-12-31"),
            )
        },
        &|| site.write(campaign, &good_campaign),
        &["content/campaigns/qiye-2011.md:4", "2010-12-31"],
    );

    // A picture taller than WebP allows (a long screenshot, kept narrow to stay quick).
    let mut tall = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(16, 17_000))
        .write_to(
            &mut std::io::Cursor::new(&mut tall),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    std::fs::create_dir_all(site.path("content/stories/tall")).unwrap();
    std::fs::write(site.path("content/stories/tall/long.jpg"), &tall).unwrap();
    site.write(
        "content/stories/tall/index.md",
        "---\ntitle: 长图\ndate: 2013-03-01\n---\n![长图](long.jpg)\n",
    );
    next_event(&events, "reload");
    let (status, page) = get_text(port, "/stories/tall/");
    assert_eq!(status, 200);
    assert!(
        page.contains("long.jpg") && !page.contains("__heraldError"),
        "{page}"
    );

    // Slugs and titles that once led out of the output: the pages get addresses of
    // their own, and the home page stays the home page.
    site.write(
        "content/evil.md",
        "---\ntitle: 攻击\nslug: \"/\"\n---\n正文\n",
    );
    next_event(&events, "reload");
    site.write("content/关于.md", "---\ntitle: \"？？？\"\n---\n关于\n");
    next_event(&events, "reload");
    let (status, home) = get_text(port, "/");
    assert_eq!(status, 200);
    assert!(!home.contains("__heraldError"), "{home}");
    let (status, evil) = get_text(port, "/evil/");
    assert_eq!(status, 200);
    assert!(evil.contains("攻击"));
    assert_ne!(home, evil, "the page did not take the home page's place");
}

#[test]
fn a_pipe_or_a_broken_link_in_content_is_reported_and_the_preview_goes_on() {
    let site = TestSite::fixture("basic");
    let (_server, port, events) = start_listening(&site);
    let fifo = site.path("content/plans/f.md");
    survives(
        &site,
        port,
        &events,
        &|| {
            let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
            assert!(made.success());
        },
        &|| std::fs::remove_file(&fifo).unwrap(),
        &["content/plans/f.md", "not a regular file"],
    );
    let dangling = site.path("content/plans/dangling.md");
    survives(
        &site,
        port,
        &events,
        &|| std::os::unix::fs::symlink("nowhere.md", &dangling).unwrap(),
        &|| std::fs::remove_file(&dangling).unwrap(),
        &["content/plans/dangling.md"],
    );
    // And a build says the same of the pipe.
    Command::new("mkfifo").arg(&fifo).status().unwrap();
    let run = site.herald(&["build"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("content/plans/f.md"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("not a regular file"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_mistake_in_site_yaml_at_start_is_shown_in_the_browser() {
    let site = TestSite::fixture("basic");
    let good_config = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{good_config}timezone: Asia/Beijing\n"),
    );
    let (_server, port, events) = start_listening(&site);
    let (status, html) = get_text(port, "/");
    assert_eq!(status, 404, "nothing could be built");
    assert!(html.contains("site.yaml:6:11"), "{html}");
    site.write("site.yaml", &good_config);
    next_event(&events, "reload");
    assert_eq!(get_text(port, "/").0, 200);
}

#[test]
fn added_renamed_and_removed_files() {
    let site = TestSite::fixture("basic");
    let (_server, port, events) = start_listening(&site);

    site.write(
        "content/stories/new.md",
        "---\ntitle: 新的事迹\ndate: 2013-03-20\n---\n新事迹\n",
    );
    next_event(&events, "reload");
    assert_eq!(get_text(port, "/stories/new/").0, 200);
    assert!(
        get_text(port, "/stories/").1.contains("新的事迹"),
        "the index shows it"
    );

    std::fs::rename(
        site.path("content/stories/new.md"),
        site.path("content/stories/renamed.md"),
    )
    .unwrap();
    next_event(&events, "reload");
    assert_eq!(get_text(port, "/stories/renamed/").0, 200);
    assert_eq!(get_text(port, "/stories/new/").0, 404);

    std::fs::remove_file(site.path("content/stories/renamed.md")).unwrap();
    next_event(&events, "reload");
    assert_eq!(get_text(port, "/stories/renamed/").0, 404);
    assert!(!get_text(port, "/stories/").1.contains("新的事迹"));
}

#[test]
fn hostile_paths_are_refused() {
    let site = TestSite::fixture("basic");
    std::os::unix::fs::symlink("/etc/passwd", site.path("static/passwd")).unwrap_or_else(|_| {
        std::fs::create_dir_all(site.path("static")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", site.path("static/passwd")).unwrap();
    });
    let (server, _) = start(&site, &[]);
    for target in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/plans/%2E%2E/%2E%2E/site.yaml",
        "/..%2f..%2fsite.yaml",
        "/..\\..\\site.yaml",
        "/content%00.md",
        "//etc/passwd",
        "http://127.0.0.1/../site.yaml",
        "/site.yaml",
        "/content/plans/honghu.md",
    ] {
        let (status, _, body) = request(server.port, target, &[]);
        assert!(status == 400 || status == 404, "{target} answered {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("root:"),
            "{target} leaked a file"
        );
    }
    let (status, _, body) = request(server.port, "/passwd", &[]);
    assert!(
        !String::from_utf8_lossy(&body).contains("root:x"),
        "a symlink out of the site was followed ({status})"
    );
    assert_eq!(get_text(server.port, "/").0, 200, "still serving");
}

#[test]
fn a_taken_port_is_reported_or_skipped() {
    let site = TestSite::fixture("basic");
    let blocker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = blocker.local_addr().unwrap().port();
    let run = site.herald(&["serve", "--port", &port.to_string()]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains(&format!("port {port} is already in use")),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("--port"));
}

#[test]
fn ctrl_c_ends_it_cleanly() {
    let site = TestSite::fixture("basic");
    let (mut server, _) = start(&site, &[]);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
}
