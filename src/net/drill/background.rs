//! Keeping a drill's connection alive on its own thread, for a shell that does not run
//! a loop of its own at network pace: the app draws only when something changed, and
//! may sleep for seconds while people read, but the connection needs pumping every few
//! milliseconds (keep-alives, acknowledgements, the host's clock).
//!
//! - [`ClientThread`] pumps a [`DrillClient`] and calls back when something arrived, so
//!   the app wakes to draw it; the app reads the replica and sends through
//!   [`ClientThread::with`].
//! - [`HostThread`] runs a [`Served`] drill (the host inside the app).
//!
//! Each thread stops, and its connection closes, when its handle is dropped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::client::{DrillClient, DrillEvent};
use super::host::Notice;
use super::served::Served;

/// Real time between two pumps of a connection.
const PUMP: Duration = Duration::from_millis(10);

/// A thread that stops when its handle is dropped.
struct Worker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Runs `round(elapsed)` every [`PUMP`] until dropped.
    fn spawn(name: &str, mut round: impl FnMut(Duration) + Send + 'static) -> Worker {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let mut last = Instant::now();
                while !stopping.load(Ordering::Relaxed) {
                    std::thread::sleep(PUMP);
                    let now = Instant::now();
                    round(now - last);
                    last = now;
                }
            });
        let thread = match thread {
            Ok(thread) => Some(thread),
            Err(error) => {
                log::error!("cannot start the {name} thread: {error}");
                None
            }
        };
        Worker { stop, thread }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            log::error!("a drill network thread panicked");
        }
    }
}

/// Locks, and goes on with the data even if another thread panicked holding the lock:
/// the data is a connection and a replica, valid between any two calls.
fn lock<T>(shared: &Mutex<T>) -> MutexGuard<'_, T> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A client and what its updates reported that nobody has read yet.
struct Pumped {
    client: DrillClient,
    events: Vec<DrillEvent>,
}

/// A [`DrillClient`] pumped on its own thread. Dropping it leaves the drill.
pub struct ClientThread {
    shared: Arc<Mutex<Pumped>>,
    // Dropped after `shared` is no longer used by this handle; stops the thread.
    _worker: Worker,
}

impl ClientThread {
    /// Pumps `client` until dropped, calling `wake` after every round in which a message
    /// or an event arrived.
    pub fn spawn(client: DrillClient, wake: impl Fn() + Send + 'static) -> ClientThread {
        let shared = Arc::new(Mutex::new(Pumped {
            client,
            events: Vec::new(),
        }));
        let pumped = Arc::clone(&shared);
        let worker = Worker::spawn("drill client", move |elapsed| {
            let changed = {
                let mut pumped = lock(&pumped);
                let before = pumped.client.received();
                let events = pumped.client.update(elapsed);
                let changed = pumped.client.received() != before || !events.is_empty();
                pumped.events.extend(events);
                changed
            };
            if changed {
                wake();
            }
        });
        ClientThread {
            shared,
            _worker: worker,
        }
    }

    /// Reads or drives the client (its replica, `act`, `control`, seats) while the
    /// network thread waits: keep it short.
    pub fn with<R>(&self, f: impl FnOnce(&mut DrillClient) -> R) -> R {
        f(&mut lock(&self.shared).client)
    }

    /// What the client reported since the last call, in order.
    pub fn take_events(&self) -> Vec<DrillEvent> {
        std::mem::take(&mut lock(&self.shared).events)
    }
}

impl Drop for ClientThread {
    fn drop(&mut self) {
        lock(&self.shared).client.leave();
    }
}

/// A drill host, served on its own thread until dropped.
pub struct HostThread {
    shared: Arc<Mutex<(Served, Vec<Notice>)>>,
    _worker: Worker,
}

impl HostThread {
    pub fn spawn(served: Served) -> HostThread {
        let shared = Arc::new(Mutex::new((served, Vec::new())));
        let serving = Arc::clone(&shared);
        let worker = Worker::spawn("drill host", move |elapsed| {
            let mut guard = lock(&serving);
            let (served, notices) = &mut *guard;
            let (new, problem) = served.update(elapsed);
            for notice in &new {
                log::info!("drill host: {notice}");
            }
            if let Some(problem) = problem {
                log::warn!("drill host: the LAN announcement could not be updated: {problem}");
            }
            notices.extend(new);
        });
        HostThread {
            shared,
            _worker: worker,
        }
    }

    /// Reads the served drill while the host thread waits: keep it short.
    pub fn with<R>(&self, f: impl FnOnce(&Served) -> R) -> R {
        f(&lock(&self.shared).0)
    }

    /// What the host reported since the last call, in order.
    pub fn take_notices(&self) -> Vec<Notice> {
        std::mem::take(&mut lock(&self.shared).1)
    }
}
