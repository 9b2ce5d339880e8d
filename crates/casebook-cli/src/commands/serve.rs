//! `casebook serve`: the web app on 127.0.0.1, over the embedded store.

use std::sync::Arc;

use anyhow::Result;
use casebook_app::demonstration_case;
use casebook_store::CaseStore;
use casebook_web::{Web, router, serve as run};

use super::Context;
use crate::args::ServeArgs;
use crate::open::{open_or_create, store_path};
use crate::output::say;

const DEMO: &str = "demo";

pub fn serve(cx: &Context, args: &ServeArgs) -> Result<()> {
    let opened = if args.demo {
        let opened = open_or_create(&store_path(cx.cli.store.as_deref())?)?;
        if opened.store.case_by_slug(DEMO)?.is_none() {
            demonstration_case(&opened.store, &opened.blobs, &cx.clock, DEMO)?;
        }
        opened
    } else {
        cx.open()?
    };
    let slug = if args.demo {
        Some(DEMO.to_owned())
    } else {
        cx.cli.case_slug.clone()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "casebook cannot listen on 127.0.0.1:{}: {e}. Choose another with --port.",
                    args.port
                )
            })?;
        let port = listener.local_addr()?.port();
        let mut web = Web::local(
            opened.store,
            opened.blobs,
            Box::new(cx.clock.clone()),
            port,
            cx.cli.author.clone(),
        )
        .map_err(anyhow::Error::msg)?;
        web.case_slug = slug;
        web.pdf = Some(Box::new(|layout, files| {
            casebook_bundle::bundle_pdf(layout, files)
                .map(|rendered| rendered.pdf)
                .map_err(|e| e.to_string())
        }));
        say!("casebook is running at http://127.0.0.1:{port}/ : open that address in your browser. Ctrl-C stops it.");
        run(listener, router(Arc::new(web))).await?;
        Ok(())
    })
}
