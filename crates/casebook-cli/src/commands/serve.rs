//! `casebook serve`: the web app. Local mode on 127.0.0.1 over the family's store;
//! with --org, an organisation's server with accounts.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Result, bail};
use casebook_app::demonstration_case;
use casebook_store::BlobStore;
use casebook_store::CaseStore;
use casebook_web::{Typesetter, Web, router, serve as run};

use super::Context;
use crate::args::ServeArgs;
use crate::open::{location, open_or_create};
use crate::output::say;

const DEMO: &str = "demo";

pub fn serve(cx: &Context, args: &ServeArgs) -> Result<()> {
    let addr = args
        .addr
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], args.port.unwrap_or(7878))));
    if !args.org && !addr.ip().is_loopback() {
        bail!(
            "Without --org casebook listens only on 127.0.0.1, so nobody else on the network can reach the case: use --addr 127.0.0.1:{}.",
            addr.port()
        );
    }
    let opened = if args.demo {
        let opened = open_or_create(&location(cx.cli.store.as_deref())?)?;
        if opened.store.case_by_slug(DEMO)?.is_none() {
            demonstration_case(&opened.store, &opened.blobs, &cx.clock, DEMO)?;
        }
        opened
    } else {
        cx.open()?
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            anyhow::anyhow!("casebook cannot listen on {addr}: {e}. Choose another with --addr.")
        })?;
        let bound = listener.local_addr()?;
        let mut web = if args.org {
            let mut hosts: Vec<String> = args.hosts.clone();
            hosts.extend(args.hosts.iter().map(|h| format!("{h}:{}", bound.port())));
            if args.hosts.is_empty() {
                hosts.push(bound.to_string());
                if bound.ip().is_loopback() {
                    hosts.push(format!("localhost:{}", bound.port()));
                }
            }
            let mut web = Web::organisation(
                opened.store,
                opened.blobs,
                Box::new(cx.clock.clone()),
                hosts,
                args.https,
            );
            web.proxies = args.proxies.clone();
            web
        } else {
            let mut web = Web::local(
                opened.store,
                opened.blobs,
                Box::new(cx.clock.clone()),
                bound.port(),
                cx.cli.author.clone(),
            )
            .map_err(anyhow::Error::msg)?;
            web.case_slug = if args.demo {
                Some(DEMO.to_owned())
            } else {
                cx.cli.case_slug.clone()
            };
            web
        };
        web.typesetter = Some(Typesetter {
            bundle: Box::new(|layout, files| {
                casebook_bundle::bundle_pdf(layout, files)
                    .map(|rendered| rendered.pdf)
                    .map_err(|e| e.to_string())
            }),
            letter: Box::new(|letter, date| {
                casebook_bundle::letter_pdf(&casebook_bundle::LetterPage {
                    date,
                    subject: &letter.subject,
                    body: &letter.body,
                })
                .map_err(|e| e.to_string())
            }),
        });
        let shown = web.first_address(&if bound.ip().is_loopback() {
            format!("http://127.0.0.1:{}/", bound.port())
        } else {
            format!("http://{bound}/")
        });
        if args.org {
            say!("casebook is serving an organisation at {shown} (Ctrl-C stops it).");
        } else {
            say!("casebook is running at {shown} : open that address in your browser. Ctrl-C stops it.");
        }
        let web = Arc::new(web);
        tokio::spawn(daily_timestamps(Arc::clone(&web)));
        run(listener, router(web)).await?;
        Ok(())
    })
}

/// Once an hour, timestamps each case whose settings ask for a daily timestamp and
/// that has something new since the last one a day or more ago (`casebook timestamp
/// --daily on`). Only the slug and the outcome are printed, never what a case holds.
async fn daily_timestamps<S, B>(web: Arc<Web<S, B>>)
where
    S: CaseStore + Send + Sync + 'static,
    B: BlobStore + Send + Sync + 'static,
{
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
    loop {
        hourly.tick().await;
        let web = Arc::clone(&web);
        let round = tokio::task::spawn_blocking(move || {
            casebook_app::daily_timestamps(
                &web.store,
                &web.blobs,
                web.clock.as_ref(),
                "casebook serve (daily timestamp)",
            )
        })
        .await;
        match round {
            Ok(Ok(said)) => said.iter().for_each(|line| eprintln!("{line}")),
            Ok(Err(e)) => eprintln!("The daily timestamps could not be taken: {e}"),
            Err(_) => eprintln!("The daily timestamps stopped unexpectedly."),
        }
    }
}
