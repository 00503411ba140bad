//! The sink and verify commands: `{appKey}`, `{label}`, `{id}` and `{account}` replaced by the
//! key's values, each shell-quoted, so a label from the server ("ERP; rm -rf ~") stays one word
//! and runs nothing. Everything else (`$HOME`, `${VAR}`, `{a,b}`) is left to the shell.

/// The values a command may name.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    pub app_key: &'a str,
    pub label: &'a str,
    pub id: &'a str,
    pub account: &'a str,
}

const NAMES: [&str; 4] = ["appKey", "label", "id", "account"];

/// `template` with each placeholder replaced by its shell-quoted value.
pub fn substitute(template: &str, fields: &Fields) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after.find('}').and_then(|end| {
            let name = &after[..end];
            let value = match name {
                "appKey" => fields.app_key,
                "label" => fields.label,
                "id" => fields.id,
                "account" => fields.account,
                _ => return None,
            };
            Some((value, end))
        });
        match value {
            // `${appKey}` is the shell's variable, not ours.
            Some((value, end)) if !out.ends_with('$') => {
                out.push_str(&shell_quote(value));
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
/// otherwise reach the shell unreplaced.
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
    Ok(())
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
            substitute("vault kv put secret/vtex/{appKey} token=-", &FIELDS),
            "vault kv put secret/vtex/'vtexappkey-acme-ABCDEF' token=-"
        );
        assert_eq!(
            substitute("store --label {label} --id {id}@{account}", &FIELDS),
            r"store --label 'ERP'\''s key; rm -rf ~ $(id)' --id '1f0c'@'acme'"
        );
    }

    #[test]
    fn the_shell_keeps_its_own_braces() {
        let text = "echo ${appKey} {a,b} {unknown} {label";
        assert_eq!(substitute(text, &FIELDS), text);
        assert!(check(text, "sink").is_ok());
        let err = check("put {appkey}", "the sink").unwrap_err();
        assert!(err.contains("{appKey}"), "{err}");
    }

    #[test]
    fn a_quoted_label_comes_out_of_sh_unchanged() {
        let script = format!("printf %s {}", shell_quote(FIELDS.label));
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .output()
            .expect("sh runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), FIELDS.label);
    }
}
