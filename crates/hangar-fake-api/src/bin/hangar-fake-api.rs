//! `hangar-fake-api --addr 127.0.0.1:PORT [--api-key KEY] [--turn-delay-ms N]`: serves until killed.

use std::time::Duration;

use hangar_fake_api::{FakeConfig, FakeServer};

fn usage() -> ! {
    eprintln!("usage: hangar-fake-api [--addr 127.0.0.1:PORT] [--api-key KEY] [--turn-delay-ms N]");
    std::process::exit(2);
}

#[tokio::main]
async fn main() {
    let mut addr = "127.0.0.1:0".to_string();
    let mut config = FakeConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--addr" => addr = value(),
            "--api-key" => config.api_key = Some(value()),
            "--turn-delay-ms" => {
                config.turn_delay =
                    Duration::from_millis(value().parse().unwrap_or_else(|_| usage()))
            }
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    let Ok(addr) = addr.parse() else { usage() };
    match FakeServer::bind(addr, config).await {
        Ok(server) => {
            println!("listening on {}", server.base_url());
            // Serve until killed.
            std::future::pending::<()>().await;
            drop(server);
        }
        Err(e) => {
            eprintln!("hangar-fake-api: cannot bind {addr}: {e}");
            std::process::exit(1);
        }
    }
}
