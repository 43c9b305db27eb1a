//! Nothing lost: the last good site survives a failed build, and practica
//! replaces only folders it made.

mod common;

use common::{Fixture, doc, find};

fn good() -> Fixture {
    let f = Fixture::new();
    f.write("practices/a.md", &doc("title: Alpha", "First version.\n"));
    f
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let f = good();
    assert!(f.build().written);
    let before = f.page("practices/a/index.html");
    f.write(
        "practices/a.md",
        &doc("title: Alpha", "Now [broken](missing.md).\n"),
    );
    let report = f.build();
    assert_eq!(report.exit_code(), 1);
    assert!(!report.written);
    assert_eq!(
        f.page("practices/a/index.html"),
        before,
        "last good page still served"
    );
    let siblings: Vec<String> = std::fs::read_dir(f.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("practica-") && !n.ends_with(".practica-lock"))
        .collect();
    assert!(siblings.is_empty(), "no staging folders left: {siblings:?}");
}

#[test]
fn a_rebuild_replaces_the_site_whole() {
    let f = good();
    f.write("practices/b.md", &doc("title: Beta", ""));
    assert!(f.build().written);
    assert!(f.out().join("practices/b/index.html").is_file());
    std::fs::remove_file(f.root().join("practices/b.md")).unwrap();
    assert!(f.build().written);
    assert!(
        !f.out().join("practices/b").exists(),
        "pages of deleted documents go away"
    );
    assert!(f.out().join(".practica-site").is_file());
}

#[test]
fn refuses_to_replace_a_folder_practica_did_not_make() {
    let f = good();
    f.write("public/keep-me.txt", "precious");
    let report = f.build();
    let d = find(&report, "practica did not create it");
    assert!(d.hint.is_some());
    assert_eq!(report.exit_code(), 2);
    assert_eq!(
        std::fs::read_to_string(f.out().join("keep-me.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn refuses_the_content_root_its_parents_and_content_folders() {
    let f = good();
    for (out, needle) in [
        (f.root().to_path_buf(), "holds the community folder"),
        (
            f.root().parent().unwrap().to_path_buf(),
            "holds the community folder",
        ),
        (
            f.root().join("practices/site"),
            "inside the content folder practices/",
        ),
    ] {
        let report = f.build_with(|o| o.output = Some(out.clone()));
        find(&report, needle);
        assert_eq!(report.exit_code(), 2);
    }
    assert!(
        f.root().join("practices/a.md").is_file(),
        "content untouched"
    );
    assert!(!f.root().join("practices/site").exists());
}

#[test]
fn an_empty_existing_folder_is_fine_and_leftovers_of_a_killed_build_are_cleaned() {
    let f = good();
    std::fs::create_dir_all(f.out()).unwrap();
    assert!(f.build().written);
    // A build killed after moving the old site aside: the next build puts it back first.
    std::fs::rename(f.out(), f.root().join(".public.practica-old-1")).unwrap();
    f.write(".public.practica-new-2/.practica-site", "");
    f.write(".public.practica-new-2/half.html", "half");
    f.write(
        ".public.practica-new-3/user-file.txt",
        "not ours: no marker",
    );
    assert!(f.build().written);
    assert!(f.out().join("practices/a/index.html").is_file());
    assert!(!f.root().join(".public.practica-old-1").exists());
    assert!(!f.root().join(".public.practica-new-2").exists());
    assert!(
        f.root()
            .join(".public.practica-new-3/user-file.txt")
            .is_file(),
        "folders without the marker are never deleted"
    );
}

#[test]
fn check_mode_writes_nothing() {
    let f = good();
    let report = f.build_with(|o| o.write = false);
    assert_eq!(report.exit_code(), 0);
    assert!(!report.written);
    assert!(!f.out().exists());
}
