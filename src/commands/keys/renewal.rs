//! `keys renew`, `finish-renewal` and `undo-renewal`. VTEX's token endpoints take the appKey,
//! so given one they are called directly: a key holding only "Renew API Token" (what a
//! rotation bot holds) may not list keys. Ids and labels go through the listing.

use serde_json::json;

use apikeys::keyformat;
use apikeys::output::Format;
use apikeys::vtex::VtexClient;
use apikeys::vtex::error::SELF_RENEWAL_RULE;

use super::delivery::Delivery;
use crate::cli::DeleteOld;
use crate::commands::{CommandResult, Failure, find_key};

/// The appKey the token endpoints want: `wanted` itself when it has an appKey's shape, else
/// the appKey of the key with that id or label.
async fn app_key_of(client: &VtexClient, wanted: &str) -> Result<String, Failure> {
    let wanted = wanted.trim();
    if keyformat::app_key_account(wanted).is_some() {
        return Ok(wanted.to_string());
    }
    Ok(find_key(client, wanted).await?.app_key)
}

/// "vtexappkey-… (label)", or the key alone when the server names no label.
fn named(app_key: &str, label: &str) -> String {
    if label.trim().is_empty() {
        app_key.to_string()
    } else {
        format!("{app_key} ({})", apikeys::output::for_terminal(label, 80))
    }
}

pub async fn renew(
    client: &VtexClient,
    mut delivery: Delivery,
    wanted: &str,
    delete_old: DeleteOld,
    format: Format,
) -> CommandResult {
    let app_key = app_key_of(client, wanted).await?;
    // VTEX's rule, known without asking: what was typed names the key signed in with.
    if app_key == client.app_key() {
        return Err(Failure::Usage(SELF_RENEWAL_RULE.into()));
    }
    let renewal = client.renew(&app_key).await?;
    let Some(token) = &renewal.new_token else {
        return Err(Failure::Failed(format!(
            "the renewal of {app_key} started, but the server did not return the new token; undo \
             it with `apikeys keys undo-renewal {app_key}` and try again."
        )));
    };
    let heading = format!("New token for {}.", named(&app_key, &renewal.key_name));
    // The copy comes before deleting the old token: until the new one is in hand, the old one
    // is the only token anyone has.
    let copied = match delivery.hand_over(token) {
        Ok(copied) => copied,
        Err(reason) => return Err(take_back(client, &app_key, &heading, &reason).await),
    };
    let finished = match delete_old {
        DeleteOld::Now => Some(client.finish_renewal(&app_key).await),
        DeleteOld::Later => None,
    };
    let fields = json!({
        "id": renewal.id,
        "appKey": app_key,
        "keyName": renewal.key_name,
        "creationDateToken": renewal.creation_date_token,
        "creationDateNewToken": renewal.creation_date_new_token,
        "expirationPeriod": renewal.expiration_period,
        "oldTokenDeleted": matches!(finished, Some(Ok(_))),
    });
    delivery.announce(format, &heading, token, fields, copied.as_ref());
    delivery.hold(copied.as_ref()).await;
    match finished {
        None => {
            eprintln!("The old token keeps working until `apikeys keys finish-renewal {app_key}`.");
            Ok(())
        }
        Some(Ok(_)) => {
            eprintln!("The old token is deleted.");
            Ok(())
        }
        Some(Err(err)) => Err(Failure::Failed(format!(
            "the new token works, but the old one was NOT deleted: {err}"
        ))),
    }
}

/// The copy failed after the renewal started: nobody has the new token, so the renewal is
/// undone rather than left pending.
async fn take_back(client: &VtexClient, app_key: &str, heading: &str, reason: &str) -> Failure {
    Failure::Failed(match client.undo_renewal(app_key).await {
        Ok(_) => format!(
            "{heading} It could not be copied ({reason}), so the renewal was undone: the old \
             token still works. Run without --copy to get the new token on stdout."
        ),
        Err(err) => format!(
            "{heading} It could not be copied ({reason}), and undoing the renewal failed: {err} \
             The renewal is pending with a token nobody has: `apikeys keys undo-renewal \
             {app_key}`, then renew without --copy."
        ),
    })
}

pub async fn finish(client: &VtexClient, wanted: &str) -> CommandResult {
    let app_key = app_key_of(client, wanted).await?;
    client.finish_renewal(&app_key).await?;
    eprintln!("The old token of {app_key} is deleted; only the new one works now.");
    Ok(())
}

pub async fn undo(client: &VtexClient, wanted: &str) -> CommandResult {
    let app_key = app_key_of(client, wanted).await?;
    client.undo_renewal(&app_key).await?;
    eprintln!(
        "The renewal of {app_key} is undone: the new token is gone, the old one still works."
    );
    Ok(())
}
