#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! What the vault screens rely on, as reference §5.7 says: credential updates apply (and
//! return) their public fields, are refused whole when any part is wrong, and never return a
//! secret. (Skills resolving `latest` and the file list's `ids[]` are tested with uploads in
//! the shell's configure tests, which have a multipart client.)

use hangar_fake_api::{FakeConfig, FakeServer};
use serde_json::json;

async fn server() -> FakeServer {
    FakeServer::start(FakeConfig::default()).await.unwrap()
}

#[tokio::test]
async fn credential_updates_apply_public_fields_and_keep_secrets_out() {
    let s = server().await;
    let vault = s.outside_create_vault("Team").await.unwrap();
    let base = format!("/v1/vaults/{}/credentials", vault["id"].as_str().unwrap());
    let cred = s
        .outside(
            "POST",
            &base,
            Some(
                json!({"display_name": "Stripe", "auth": {"type": "environment_variable",
            "secret_name": "STRIPE_KEY", "secret_value": "sk_live_SECRET1",
            "networking": {"type": "limited", "allowed_hosts": ["api.stripe.com"]}}}),
            ),
        )
        .await
        .unwrap();
    assert!(!cred.to_string().contains("SECRET1"));
    assert_eq!(
        cred["auth"]["injection_location"],
        json!({"body": false, "header": true})
    );
    let path = format!("{base}/{}", cred["id"].as_str().unwrap());
    let updated = s
        .outside("POST", &path, Some(json!({"display_name": "Stripe live", "auth": {"type": "environment_variable",
            "secret_value": "sk_live_SECRET2", "networking": {"type": "limited", "allowed_hosts": ["api.stripe.com", "*.stripe.network"]},
            "injection_location": {"body": true}}})))
        .await
        .unwrap();
    assert_eq!(updated["display_name"], "Stripe live");
    assert_eq!(
        updated["auth"]["networking"]["allowed_hosts"],
        json!(["api.stripe.com", "*.stripe.network"])
    );
    assert_eq!(
        updated["auth"]["injection_location"],
        json!({"body": true, "header": true})
    );
    assert!(!updated.to_string().contains("SECRET2"));
    assert_eq!(
        s.outside("GET", &path, None).await.unwrap(),
        updated,
        "stored as returned"
    );

    // Refused updates change nothing: another type, an immutable name, an empty secret.
    for bad in [
        json!({"auth": {"type": "static_bearer", "token": "x"}}),
        json!({"auth": {"type": "environment_variable", "secret_name": "OTHER"}}),
        json!({"auth": {"type": "environment_variable", "secret_value": ""}}),
        json!({"display_name": "renamed", "auth": {"type": "environment_variable", "networking": {"type": "limited", "allowed_hosts": ["no host"]}}}),
    ] {
        let e = s
            .outside("POST", &path, Some(bad.clone()))
            .await
            .unwrap_err();
        assert_eq!(e.status, 400, "{bad}");
    }
    assert_eq!(s.outside("GET", &path, None).await.unwrap(), updated);

    // OAuth: expiry, scope and client authentication change; the client id does not.
    let oauth = s
        .outside("POST", &base, Some(json!({"auth": {"type": "mcp_oauth", "mcp_server_url": "https://mcp.example.com/mcp",
            "access_token": "at_SECRET3", "expires_at": "2030-01-01T00:00:00Z",
            "refresh": {"client_id": "c1", "refresh_token": "rt_SECRET4", "token_endpoint": "https://auth.example.com/token",
                "token_endpoint_auth": {"type": "client_secret_post", "client_secret": "cs_SECRET5"}, "scope": "read"}}})))
        .await
        .unwrap();
    let opath = format!("{base}/{}", oauth["id"].as_str().unwrap());
    let rotated = s
        .outside("POST", &opath, Some(json!({"auth": {"type": "mcp_oauth", "access_token": "at_SECRET6", "expires_at": "2031-01-01T00:00:00Z",
            "refresh": {"scope": "read write", "token_endpoint_auth": {"type": "client_secret_basic", "client_secret": "cs_SECRET7"}}}})))
        .await
        .unwrap();
    assert_eq!(rotated["auth"]["expires_at"], "2031-01-01T00:00:00Z");
    assert_eq!(rotated["auth"]["refresh"]["scope"], "read write");
    assert_eq!(
        rotated["auth"]["refresh"]["token_endpoint_auth"],
        json!({"type": "client_secret_basic"})
    );
    assert!(!rotated.to_string().contains("SECRET"), "{rotated}");
    let e = s
        .outside(
            "POST",
            &opath,
            Some(json!({"auth": {"type": "mcp_oauth", "refresh": {"client_id": "c2"}}})),
        )
        .await
        .unwrap_err();
    assert_eq!(e.status, 400);
}
