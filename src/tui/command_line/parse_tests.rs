use super::*;

fn keys(line: &str) -> Result<Verb, String> {
    parse(line, Tab::Keys)
}

#[test]
fn every_command_parses() {
    assert_eq!(keys(":q"), Ok(Verb::Quit));
    assert_eq!(keys(":quit"), Ok(Verb::Quit));
    assert_eq!(keys(":q!"), Ok(Verb::Quit));
    assert_eq!(keys(":keys"), Ok(Verb::Pane(Tab::Keys)));
    assert_eq!(keys(":generated"), Ok(Verb::Pane(Tab::Keys)));
    assert_eq!(keys(":external"), Ok(Verb::Pane(Tab::External)));
    assert_eq!(keys(":settings"), Ok(Verb::Pane(Tab::Settings)));
    assert_eq!(keys(":filter erp sap"), Ok(Verb::Filter("erp sap".into())));
    assert_eq!(keys(":filter"), Ok(Verb::Filter(String::new())));
    assert_eq!(keys(":mark all"), Ok(Verb::Mark(MarkSet::All)));
    assert_eq!(keys(":mark none"), Ok(Verb::Mark(MarkSet::None)));
    assert_eq!(keys(":mark outdated"), Ok(Verb::Mark(MarkSet::Outdated)));
    assert_eq!(keys(":mark inactive"), Ok(Verb::Mark(MarkSet::Inactive)));
    assert_eq!(keys(":mark pending"), Ok(Verb::Mark(MarkSet::Pending)));
    assert_eq!(keys(":activate"), Ok(Verb::Activate));
    assert_eq!(keys(":deactivate"), Ok(Verb::Deactivate));
    assert_eq!(keys(":delete"), Ok(Verb::Delete));
    assert_eq!(keys(":refresh"), Ok(Verb::Refresh));
    assert_eq!(keys(":profile"), Ok(Verb::Profile(None)));
    assert_eq!(
        keys(":profile staging"),
        Ok(Verb::Profile(Some("staging".into())))
    );
    assert_eq!(keys(":help"), Ok(Verb::Help));
    assert_eq!(keys("help"), Ok(Verb::Help), "the colon is optional");
}

#[test]
fn unique_beginnings_and_aliases_are_accepted() {
    assert_eq!(keys(":ext"), Ok(Verb::Pane(Tab::External)));
    assert_eq!(keys(":ex"), Ok(Verb::Pane(Tab::External)));
    assert_eq!(keys(":gen"), Ok(Verb::Pane(Tab::Keys)));
    assert_eq!(keys(":ref"), Ok(Verb::Refresh));
    assert_eq!(keys(":sett"), Ok(Verb::Pane(Tab::Settings)));
    assert_eq!(keys(":deac"), Ok(Verb::Deactivate));
    assert_eq!(keys(":HELP"), Ok(Verb::Help), "case does not matter");
    assert_eq!(keys(":mark out"), Ok(Verb::Mark(MarkSet::Outdated)));
}

#[test]
fn export_takes_a_format_then_a_path_or_a_path_alone() {
    use crate::export::Format;
    let export = |format, path: Option<&str>| {
        Ok(Verb::Export {
            format,
            path: path.map(str::to_string),
        })
    };
    assert_eq!(keys(":export"), export(None, None));
    assert_eq!(keys(":exp CSV"), export(Some(Format::Csv), None));
    assert_eq!(
        keys(":export json /tmp/all keys.json"),
        export(Some(Format::Json), Some("/tmp/all keys.json"))
    );
    assert_eq!(keys(":export keys.csv"), export(None, Some("keys.csv")));
    let err = keys(":export pdf keys.pdf").unwrap_err();
    assert!(err.contains("xlsx, csv or json"), "{err}");
    // A bare word is a mistyped format, not a file named `pdf` holding a workbook.
    for typo in [":export pdf", ":export cvs"] {
        let err = keys(typo).unwrap_err();
        assert!(err.contains("xlsx, csv or json"), "{typo}: {err}");
    }
}

#[test]
fn an_ambiguous_beginning_names_the_candidates() {
    let err = keys(":de").unwrap_err();
    assert!(
        err.contains(":deactivate") && err.contains(":delete"),
        "{err}"
    );
    let err = keys(":s").unwrap_err();
    assert!(err.contains(":settings") && err.contains(":sort"), "{err}");
}

#[test]
fn sort_takes_the_columns_of_the_pane() {
    let sort = |column, direction| Ok(Verb::Sort { column, direction });
    assert_eq!(keys(":sort name"), sort(SortBy::Name, None));
    assert_eq!(keys(":sort label"), sort(SortBy::Name, None));
    assert_eq!(keys(":sort key"), sort(SortBy::Key, None));
    assert_eq!(
        keys(":sort created desc"),
        sort(SortBy::Created, Some(Direction::Desc))
    );
    assert_eq!(
        keys(":sort token-age asc"),
        sort(SortBy::TokenAge, Some(Direction::Asc))
    );
    assert_eq!(keys(":sort age"), sort(SortBy::TokenAge, None));
    assert_eq!(
        keys(":sort status d"),
        sort(SortBy::Status, Some(Direction::Desc))
    );
    let ext = |line| parse(line, Tab::External);
    assert_eq!(ext(":sort owner"), sort(SortBy::Name, None));
    assert_eq!(ext(":sort name"), sort(SortBy::Name, None));
    assert_eq!(
        ext(":sort added desc"),
        sort(SortBy::Created, Some(Direction::Desc))
    );
    assert_eq!(ext(":sort created"), sort(SortBy::Created, None));
}

#[test]
fn sort_errors_say_what_it_takes() {
    assert_eq!(
        keys(":sort").unwrap_err(),
        ":sort takes a column: name, key, created, token-age, status"
    );
    assert_eq!(
        parse(":sort", Tab::External).unwrap_err(),
        ":sort takes a column: owner, key, added, status"
    );
    assert!(
        keys(":sort colour")
            .unwrap_err()
            .starts_with(":sort takes a column")
    );
    let why = parse(":sort token-age", Tab::External).unwrap_err();
    assert!(why.contains("no token-age column"), "{why}");
    let why = keys(":sort owner").unwrap_err();
    assert!(why.contains("no owner column"), "{why}");
    assert!(
        keys(":sort name sideways")
            .unwrap_err()
            .contains("asc or desc")
    );
    assert!(
        keys(":sort name asc more")
            .unwrap_err()
            .contains("asc or desc")
    );
}

#[test]
fn role_names_keep_their_spaces() {
    assert_eq!(
        keys(":role add Owner (Admin Super)"),
        Ok(Verb::RoleAdd("Owner (Admin Super)".into()))
    );
    assert_eq!(
        keys(":role remove   Logistics  Admin "),
        Ok(Verb::RoleRemove("Logistics  Admin".into()))
    );
    assert_eq!(keys(":role rm X"), Ok(Verb::RoleRemove("X".into())));
    assert_eq!(keys(":role").unwrap_err(), text::ROLE_TAKES);
    assert_eq!(keys(":role swap X").unwrap_err(), text::ROLE_TAKES);
    assert_eq!(keys(":role add").unwrap_err(), text::ROLE_NAME);
}

#[test]
fn arguments_where_none_is_taken_are_refused() {
    assert_eq!(
        keys(":refresh now").unwrap_err(),
        ":refresh takes no argument."
    );
    assert_eq!(keys(":q x").unwrap_err(), ":quit takes no argument.");
    assert_eq!(keys(":mark").unwrap_err(), text::MARK_TAKES);
    assert_eq!(keys(":mark some").unwrap_err(), text::MARK_TAKES);
}

#[test]
fn an_unknown_command_suggests_the_closest_when_close() {
    assert_eq!(
        keys(":filtr x").unwrap_err(),
        "Unknown command :filtr — did you mean :filter?"
    );
    assert_eq!(
        keys(":rfersh").unwrap_err(),
        "Unknown command :rfersh — did you mean :refresh?"
    );
    assert_eq!(
        keys(":hlep").unwrap_err(),
        "Unknown command :hlep — did you mean :help?",
        "a swap of neighbours counts as one edit"
    );
    let far = keys(":nonsense").unwrap_err();
    assert_eq!(far, "Unknown command :nonsense; ? lists the commands.");
}

#[test]
fn edit_distance_counts_edits() {
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("abc", "abc"), 0);
    assert_eq!(edit_distance("ab", "ba"), 1);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
}
