use super::*;

fn context(tab: Tab) -> Context<'static> {
    static PROFILES: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| vec!["prod".into(), "staging".into(), "store-b".into()]);
    Context {
        tab,
        roles: vec!["Owner (Admin Super)", "Operation (Admin)", "Logistics"],
        profiles: &PROFILES,
    }
}

fn words(line: &str, tab: Tab) -> Vec<String> {
    candidates(line, &context(tab)).words
}

#[test]
fn command_names_complete_first() {
    assert_eq!(words("", Tab::Keys).len(), COMMANDS.len());
    // `:ex` alone still runs :external (an alias); Tab offers both commands.
    assert_eq!(words("ex", Tab::Keys), ["external", "export"]);
    assert_eq!(words("exp", Tab::Keys), ["export"]);
    assert_eq!(words("de", Tab::Keys), ["deactivate", "delete"]);
    assert_eq!(words("  ref", Tab::Keys), ["refresh"]);
    assert!(words("zz", Tab::Keys).is_empty());
}

#[test]
fn each_argument_kind_completes() {
    assert_eq!(
        words("sort ", Tab::Keys),
        ["name", "key", "created", "token-age", "status"]
    );
    assert_eq!(
        words("sort ", Tab::External),
        ["owner", "key", "added", "status"]
    );
    assert_eq!(words("sort t", Tab::Keys), ["token-age"]);
    assert_eq!(words("sort created ", Tab::Keys), ["asc", "desc"]);
    assert_eq!(words("sort created d", Tab::Keys), ["desc"]);
    assert!(words("sort created desc ", Tab::Keys).is_empty());
    assert_eq!(words("mark in", Tab::Keys), ["inactive"]);
    assert_eq!(words("export ", Tab::Keys), ["xlsx", "csv", "json"]);
    assert_eq!(words("export j", Tab::External), ["json"]);
    assert_eq!(words("role ", Tab::Keys), ["add", "remove"]);
    assert_eq!(
        words("role add o", Tab::Keys),
        ["Owner (Admin Super)", "Operation (Admin)"]
    );
    assert_eq!(
        words("role add Owner (Ad", Tab::Keys),
        ["Owner (Admin Super)"]
    );
    assert_eq!(words("profile st", Tab::Keys), ["staging", "store-b"]);
    assert!(words("refresh ", Tab::Keys).is_empty());
    assert!(words("nonsense ", Tab::Keys).is_empty());
}

#[test]
fn a_role_name_with_spaces_is_replaced_whole() {
    let ctx = context(Tab::Keys);
    let (line, cycle) = step("role add Owner (Ad", None, &ctx, false);
    assert_eq!(line, "role add Owner (Admin Super) ");
    assert_eq!(cycle, None);
}

#[test]
fn a_unique_candidate_completes_with_a_space() {
    let ctx = context(Tab::Keys);
    assert_eq!(step("ext", None, &ctx, false), ("external ".into(), None));
    assert_eq!(step("sort cr", None, &ctx, false).0, "sort created ");
    assert_eq!(step("zz", None, &ctx, false), ("zz".into(), None));
}

#[test]
fn the_first_tab_completes_the_common_beginning_then_tabs_cycle() {
    let ctx = context(Tab::Keys);
    let (line, cycle) = step("profile s", None, &ctx, false);
    assert_eq!(line, "profile st", "the common beginning");
    let cycle = cycle.expect("several candidates stay shown");
    assert_eq!(cycle.words, ["staging", "store-b"]);
    assert_eq!(cycle.at, None);
    let (line, cycle) = step(&line, Some(cycle), &ctx, false);
    assert_eq!(line, "profile staging");
    let (line, cycle) = step(&line, cycle, &ctx, false);
    assert_eq!(line, "profile store-b");
    let (line, cycle) = step(&line, cycle, &ctx, false);
    assert_eq!(line, "profile staging", "round again");
    let (line, _) = step(&line, cycle, &ctx, true);
    assert_eq!(line, "profile store-b", "Shift-Tab goes back");
}

#[test]
fn with_no_common_beginning_the_first_tab_cycles() {
    let ctx = context(Tab::Keys);
    let (line, cycle) = step("mark ", None, &ctx, false);
    assert_eq!(line, "mark all");
    let (line, cycle) = step(&line, cycle, &ctx, false);
    assert_eq!(line, "mark none");
    let (line, _) = step("mark ", None, &ctx, true);
    assert_eq!(line, "mark pending", "Shift-Tab starts from the last");
    drop(cycle);
}

#[test]
fn the_common_beginning_ignores_case() {
    let ctx = context(Tab::Keys);
    let (line, _) = step("role add o", None, &ctx, false);
    assert_eq!(line, "role add O", "as the roles spell it");
}

#[test]
fn wide_spaces_between_words_do_not_break_completion() {
    // A no-break space (Option-Space on a Mac, or pasted) is two bytes; an ideographic
    // space three. Completion used to slice inside them and panic.
    assert_eq!(words("sort name\u{a0}", Tab::Keys), ["asc", "desc"]);
    assert_eq!(words("sort\u{3000}cr", Tab::Keys), ["created"]);
    assert_eq!(
        words("role add\u{a0}Ow", Tab::Keys),
        ["Owner (Admin Super)"]
    );
    assert_eq!(words("role\u{a0}add Log", Tab::Keys), ["Logistics"]);
}
