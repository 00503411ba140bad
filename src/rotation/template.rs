//! The sink and verify commands: `{appKey}`, `{label}`, `{id}` and `{account}` stand for the
//! key's values. The command run has `"$1"`, `"$2"`, `"$3"`, `"$4"` in their place and the
//! values as `sh -c`'s positional arguments, so a label from the server ("ERP; rm -rf ~",
//! "$(id)") is never parsed as shell, whatever surrounds it (a heredoc, backquotes). Written
//! inside quotes they are refused, since `'{label}'` would then be the text `"$2"`. What is
//! shown to people (`--dry-run`) has the values themselves, shell-quoted. Everything else
//! (`$HOME`, `${VAR}`, `{a,b}`) is left to the shell.

/// The values a command may name.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    pub app_key: &'a str,
    pub label: &'a str,
    pub id: &'a str,
    pub account: &'a str,
}

const NAMES: [&str; 4] = ["appKey", "label", "id", "account"];

/// `template` as a person reads it: each placeholder replaced by its shell-quoted value.
pub fn shown(template: &str, fields: &Fields) -> String {
    replace(template, |name| shell_quote(field(fields, name)))
}

/// `template` as it runs: each placeholder replaced by its positional parameter, whose value
/// [`args`] gives.
pub fn positional(template: &str) -> String {
    replace(template, |name| {
        let at = NAMES.iter().position(|known| *known == name).unwrap_or(0);
        format!("\"${}\"", at + 1)
    })
}

/// The values of `$1`…`$4`, in the order of the placeholders' names.
pub fn args<'a>(fields: &Fields<'a>) -> [&'a str; 4] {
    [fields.app_key, fields.label, fields.id, fields.account]
}

fn field<'a>(fields: &Fields<'a>, name: &str) -> &'a str {
    match name {
        "appKey" => fields.app_key,
        "label" => fields.label,
        "id" => fields.id,
        _ => fields.account,
    }
}

/// `template` with each known placeholder (not `${…}`) replaced by `with(name)`.
fn replace(template: &str, with: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let name = after
            .find('}')
            .map(|end| (&after[..end], end))
            .filter(|(name, _)| NAMES.contains(name));
        match name {
            // `${appKey}` is the shell's variable, not ours.
            Some((name, end)) if !out.ends_with('$') => {
                out.push_str(&with(name));
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A usage error for a placeholder written in another case (`{appkey}`, `{Label}`), which would
/// reach the shell unreplaced, or written inside quotes, where it would not stand for its value.
pub fn check(template: &str, setting: &str) -> Result<(), String> {
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        if let Some(end) = after.find('}') {
            let name = &after[..end];
            if let Some(meant) = NAMES
                .iter()
                .find(|known| known.eq_ignore_ascii_case(name) && **known != name)
            {
                return Err(format!(
                    "{setting} names {{{name}}}; the placeholder is {{{meant}}} (placeholders: \
                     {{appKey}}, {{label}}, {{id}}, {{account}})"
                ));
            }
        }
        rest = after;
    }
    if let Some(name) = quoted_placeholder(template) {
        return Err(format!(
            "{setting} has {{{name}}} inside quotes; write placeholders bare (apikeys passes \
             each value as one word, whatever it holds): `--secret-id vtex/{{appKey}}`, not \
             `\"vtex/{{appKey}}\"`"
        ));
    }
    Ok(())
}

/// The first placeholder written inside '…' or "…" (backslash escapes followed as sh does).
fn quoted_placeholder(template: &str) -> Option<&'static str> {
    #[derive(PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
    }
    let mut quote = Quote::None;
    let mut chars = template.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match (&quote, c) {
            (Quote::Single, '\'') => quote = Quote::None,
            (Quote::Single, _) => {}
            (_, '\\') => {
                chars.next();
            }
            (Quote::None, '\'') => quote = Quote::Single,
            (Quote::None, '"') => quote = Quote::Double,
            (Quote::Double, '"') => quote = Quote::None,
            _ => {}
        }
        if c == '{' && quote != Quote::None && !template[..at].ends_with('$') {
            let after = &template[at + 1..];
            if let Some(name) = NAMES.iter().find(|n| after.starts_with(&format!("{n}}}"))) {
                return Some(name);
            }
        }
    }
    None
}

/// One shell word holding exactly `value`: single quotes, each `'` written as `'\''`.
pub fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: Fields = Fields {
        app_key: "vtexappkey-acme-ABCDEF",
        label: "ERP's key; rm -rf ~ $(id)",
        id: "1f0c",
        account: "acme",
    };

    #[test]
    fn placeholders_become_single_words() {
        assert_eq!(
            shown("vault kv put secret/vtex/{appKey} token=-", &FIELDS),
            "vault kv put secret/vtex/'vtexappkey-acme-ABCDEF' token=-"
        );
        assert_eq!(
            shown("store --label {label} --id {id}@{account}", &FIELDS),
            r"store --label 'ERP'\''s key; rm -rf ~ $(id)' --id '1f0c'@'acme'"
        );
        assert_eq!(
            positional("store --label {label} --id {id}@{account} {appKey}"),
            r#"store --label "$2" --id "$3"@"$4" "$1""#
        );
    }

    #[test]
    fn placeholders_inside_quotes_are_refused() {
        for quoted in [r#"echo "{label}""#, "echo '{appKey}'", r#"a "x {id} y""#] {
            let err = check(quoted, "the sink").unwrap_err();
            assert!(err.contains("inside quotes"), "{quoted}: {err}");
        }
        for bare in [
            r#"echo {label} "$HOME" 'a{b}' \"{id}"#,
            r#"echo "${label}""#,
        ] {
            assert!(check(bare, "the sink").is_ok(), "{bare}");
        }
    }

    #[test]
    fn the_shell_keeps_its_own_braces() {
        let text = "echo ${appKey} {a,b} {unknown} {label";
        assert_eq!(shown(text, &FIELDS), text);
        assert_eq!(positional(text), text);
        assert!(check(text, "sink").is_ok());
        let err = check("put {appkey}", "the sink").unwrap_err();
        assert!(err.contains("{appKey}"), "{err}");
    }

    #[test]
    fn a_label_comes_out_of_sh_unchanged_even_in_a_heredoc() {
        let script = positional("printf %s {label}; cat <<EOF\n{label}\nEOF");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .arg("apikeys-sink")
            .args(args(&FIELDS))
            .output()
            .expect("sh runs");
        let printed = String::from_utf8_lossy(&out.stdout);
        // In a heredoc the quotes are text, but the value is still never parsed as shell.
        assert_eq!(printed, format!("{0}\"{0}\"\n", FIELDS.label));
        let quoted = format!("printf %s {}", shell_quote(FIELDS.label));
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&quoted)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), FIELDS.label);
    }
}
