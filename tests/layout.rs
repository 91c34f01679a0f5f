//! The shape of the code, checked: no module imports one that imports it back, `fsio` is
//! the only module that touches the file system, and no source file is over 600 lines
//! (its tests not counted).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every source file under `src/`, with its text up to its tests.
fn sources() -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(&src)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "rs"))
        .map(|entry| {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(tests) => text[..tests].to_string(),
                None => text,
            };
            (entry.path().strip_prefix(&src).unwrap().to_path_buf(), code)
        })
        .collect();
    files.sort();
    assert!(files.len() > 40, "src/ has {} files", files.len());
    files
}

/// The module a file belongs to: the first part of its path (`render/views.rs` is
/// `render`), `None` for the crate's root files.
fn module_of(path: &Path) -> Option<String> {
    let first = path.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// Each module and the modules it names as `crate::…`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, code) in sources() {
        let Some(module) = module_of(&path) else {
            continue;
        };
        let named = graph.entry(module.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            // `crate::a::b` names `a`; `crate::{a, b::c}` names `a` and `b`.
            let group = match rest.strip_prefix('{') {
                Some(inner) => &inner[..inner.find('}').unwrap_or(inner.len())],
                None => rest,
            };
            for part in group.split(',') {
                let name: String = part
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    named.insert(name);
                }
                if !rest.starts_with('{') {
                    break;
                }
            }
        }
    }
    graph
}

/// A cycle through `start`, if the graph has one.
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut path = vec![start.to_string()];
    let mut seen = BTreeSet::new();
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let here = path.last().unwrap().clone();
        for next in graph.get(&here).into_iter().flatten() {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if graph.contains_key(next) && seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    walk(graph, start, &mut path, &mut seen).then_some(path)
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = imports();
    assert!(
        graph["serve"].contains("pipeline"),
        "the reader sees imports"
    );
    for module in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, module) {
            panic!("an import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(name, named)| {
        (
            name.to_string(),
            named.into_iter().map(str::to_string).collect(),
        )
    })
    .collect();
    assert_eq!(cycle_from(&graph, "a").unwrap(), ["a", "b", "c", "a"]);
    assert_eq!(cycle_from(&graph, "d"), None);
}

#[test]
fn only_fsio_touches_the_file_system() {
    for (path, code) in sources() {
        if path == Path::new("fsio.rs") {
            continue;
        }
        for word in ["std::fs", "walkdir", "File::"] {
            assert!(
                !code.contains(word),
                "src/{} uses {word} outside its tests: go through fsio",
                path.display()
            );
        }
    }
}

#[test]
fn no_source_file_is_over_600_lines_without_its_tests() {
    for (path, code) in sources() {
        let lines = code.lines().count();
        assert!(
            lines <= 600,
            "src/{} has {lines} lines: split it along a seam",
            path.display()
        );
    }
}
