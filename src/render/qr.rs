//! QR codes of page addresses, drawn at build time as inline SVG: no outside service is asked.

/// The modules of a QR code of `text`, row by row (`true` is dark), and its width.
/// The mask is fixed rather than scored eight ways: every mask scans, and scoring was a
/// fifth of a 10,000-page build.
pub fn qr_modules(text: &str) -> Option<(usize, Vec<bool>)> {
    use qrcode::EcLevel;
    use qrcode::canvas::{Canvas, MaskPattern};
    let bits = qrcode::bits::encode_auto(text.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let width = usize::try_from(version.width()).ok()?;
    let modules = canvas
        .into_colors()
        .into_iter()
        .map(|color| color == qrcode::Color::Dark)
        .collect();
    Some((width, modules))
}

/// The light margin around a QR code, in modules, that scanners need.
const QR_QUIET_ZONE: usize = 4;

/// A QR code of a URL as inline SVG, made at build time: no outside service is asked.
pub fn qr_svg(url: &str) -> String {
    let Some((width, modules)) = qr_modules(url) else {
        return String::new();
    };
    // A row is one stroke of width 1 along its middle, drawn where it is dark and moved over
    // where it is light: `M4 4.5h7m2 0h2…`, some six characters a run, on every initiative,
    // story and campaign page.
    let mut path = String::with_capacity(modules.len() * 2);
    for (y, row) in modules.chunks(width).enumerate() {
        let mut pen = None;
        let mut x = 0;
        while x < width {
            let run = row[x..].iter().take_while(|&&dark| dark).count();
            if run > 0 {
                match pen {
                    None => {
                        path.push('M');
                        push_small(&mut path, x + QR_QUIET_ZONE);
                        path.push(' ');
                        push_small(&mut path, y + QR_QUIET_ZONE);
                        path.push_str(".5");
                    }
                    Some(end) => {
                        path.push('m');
                        push_small(&mut path, x - end);
                        path.push_str(" 0");
                    }
                }
                path.push('h');
                push_small(&mut path, run);
                pen = Some(x + run);
            }
            x += run.max(1);
        }
    }
    let size = width + 2 * QR_QUIET_ZONE;
    format!(
        "<svg role=\"img\" aria-label=\"本页网址的二维码\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"164\" height=\"164\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{path}\"/></svg>"
    )
}

/// Appends a number below 1,000 (a QR code is at most 185 modules wide with its margin).
fn push_small(out: &mut String, number: usize) {
    let digit = |n: usize| char::from(b'0' + (n % 10) as u8);
    if number >= 100 {
        out.push(digit(number / 100));
    }
    if number >= 10 {
        out.push(digit(number / 10));
    }
    out.push(digit(number));
}

#[cfg(test)]
mod tests {
    use super::{QR_QUIET_ZONE, push_small, qr_modules, qr_svg};

    #[test]
    fn small_numbers_are_written_in_decimal() {
        for number in [0, 7, 10, 42, 99, 100, 105, 185, 999] {
            let mut out = String::new();
            push_small(&mut out, number);
            assert_eq!(out, number.to_string());
        }
    }

    #[test]
    fn the_qr_svg_draws_exactly_the_dark_modules() {
        let url = "https://example.org/stories/jinglaoyuan-yigong/";
        let (width, modules) = qr_modules(url).unwrap();
        let svg = qr_svg(url);
        let path = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(svg.contains("<path stroke=\"#000\" d=\""), "{svg}");
        // Replays the pen: `M{x} {y}.5` starts a row, `m{gap} 0` skips light modules and
        // `h{run}` draws dark ones.
        let mut drawn = vec![false; modules.len()];
        let (mut x, mut y) = (0, 0);
        let mut rest = path;
        while let Some(command) = rest.chars().next() {
            let end = rest[1..]
                .find(['M', 'm', 'h'])
                .map_or(rest.len(), |at| at + 1);
            let arguments = &rest[1..end];
            rest = &rest[end..];
            match command {
                'M' => {
                    let (left, top) = arguments.split_once(' ').unwrap();
                    x = left.parse().unwrap();
                    y = top.strip_suffix(".5").unwrap().parse().unwrap();
                }
                'm' => {
                    let gap: usize = arguments.strip_suffix(" 0").unwrap().parse().unwrap();
                    assert!(gap > 0, "a move between runs skips light modules");
                    x += gap;
                }
                'h' => {
                    let run: usize = arguments.parse().unwrap();
                    for column in x..x + run {
                        let index = (y - QR_QUIET_ZONE) * width + column - QR_QUIET_ZONE;
                        assert!(!drawn[index], "module drawn twice");
                        drawn[index] = true;
                    }
                    x += run;
                }
                other => panic!("unexpected path command {other:?} in {path}"),
            }
        }
        assert_eq!(drawn, modules);
    }

    #[test]
    fn qr_codes_scan_back_to_their_url() {
        for url in [
            "https://example.org/initiatives/yiyang-xue-leifeng/",
            "https://example.org/volunteer/campaigns/xue-leifeng-2013/",
            "http://127.0.0.1:1111/stories/jinglaoyuan-yigong/",
        ] {
            let (width, modules) = qr_modules(url).unwrap();
            let scale = 4;
            let side = (width + 2 * QR_QUIET_ZONE) * scale;
            let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
                let (mx, my) = (x / scale, y / scale);
                let inside = (QR_QUIET_ZONE..QR_QUIET_ZONE + width).contains(&mx)
                    && (QR_QUIET_ZONE..QR_QUIET_ZONE + width).contains(&my);
                if inside && modules[(my - QR_QUIET_ZONE) * width + (mx - QR_QUIET_ZONE)] {
                    0
                } else {
                    255
                }
            });
            let grids = image.detect_grids();
            assert_eq!(grids.len(), 1, "{url}");
            let (_, text) = grids[0].decode().unwrap();
            assert_eq!(text, url);
        }
    }
}
