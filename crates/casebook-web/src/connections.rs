//! Accepting connections so that no client can stop the server answering others. A
//! client has [`HEADER_TIMEOUT`] to send a request's headers, idle connections included;
//! the server holds at most as many connections as it has files to spare, and any one
//! address at most [`PER_ADDRESS`], so a thousand idle sockets (once enough to leave the
//! server answering nobody, for good) are closed in seconds and never crowd out the
//! store's own files.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client may take to send a request's headers, or to start its next request
/// on a connection kept open.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections one address may hold at once: far more than a browser opens.
pub const PER_ADDRESS: usize = 256;
/// Files kept free for the store, its attachments and its logs.
const FILES_KEPT_FREE: usize = 64;

/// Serves until Ctrl-C.
pub async fn serve(listener: TcpListener, app: Router) -> std::io::Result<()> {
    let most = open_files_allowed()
        .saturating_sub(FILES_KEPT_FREE)
        .clamp(16, 16_384);
    let held = Arc::new(Held::default());
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut stop => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of files, or the client gave up before it was accepted. Out of
                // files, accept fails again at once until a held connection times out:
                // without a pause this loop would take a whole core meanwhile.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Closed at once rather than kept waiting: the client can try again, and the
        // server keeps its files.
        let Some(slot) = Held::take(&held, peer.ip(), most) else {
            drop(stream);
            continue;
        };
        let app = app
            .clone()
            .map_request(move |mut request: axum::http::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        tokio::spawn(async move {
            let _slot = slot;
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
            // A connection that ends badly (a client gone, a timeout) ends only itself.
            let _ = connection.await;
        });
    }
}

/// The connections held, in all and per address.
#[derive(Default)]
struct Held {
    by_address: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// One connection's place; given back when the connection ends.
struct Slot {
    held: Arc<Held>,
    address: IpAddr,
}

impl Held {
    fn take(held: &Arc<Held>, address: IpAddr, most: usize) -> Option<Slot> {
        let mut counts = held
            .by_address
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (all, by_address) = &mut *counts;
        let mine = by_address.entry(address).or_insert(0);
        if *all >= most || *mine >= PER_ADDRESS {
            return None;
        }
        *all += 1;
        *mine += 1;
        Some(Slot {
            held: Arc::clone(held),
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self
            .held
            .by_address
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (all, by_address) = &mut *counts;
        *all = all.saturating_sub(1);
        if let Some(mine) = by_address.get_mut(&self.address) {
            *mine = mine.saturating_sub(1);
            if *mine == 0 {
                by_address.remove(&self.address);
            }
        }
    }
}

/// The process's limit on open files, as /proc/self/limits gives it (1,024 where it
/// cannot be read, the usual default).
fn open_files_allowed() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|soft| soft.parse().ok())
        })
        .unwrap_or(1024)
}
