//! A cancel token: the library's `backoff_cancel`, which every run given it
//! checks before each attempt and whose trigger wakes the library's own
//! sleep (blocking runs sleep through `backoff_state_sleep`), plus the
//! wake-up of tokio's timer for async runs.

use std::ptr::NonNull;
use std::sync::Arc;

use backoff_sys as sys;

use crate::error::internal;

/// Stops runs: once triggered, a run given this token sleeps no more and
/// ends with [`Reason::Cancelled`](crate::Reason::Cancelled) after its
/// `on_giveup` hooks. An attempt already running is not interrupted.
/// Clones share one token; it may be triggered from any thread.
#[derive(Clone)]
pub struct Cancel {
    inner: Arc<Inner>,
}

struct Inner {
    raw: NonNull<sys::backoff_cancel>,
    #[cfg(feature = "tokio")]
    notify: tokio::sync::Notify,
}

// SAFETY: every backoff_cancel function but free is thread-safe (header);
// free runs once, from Drop, when no clone is left.
unsafe impl Send for Inner {}
// SAFETY: as above; Notify is Sync itself.
unsafe impl Sync for Inner {}

impl Cancel {
    /// A new, untriggered token.
    pub fn new() -> Cancel {
        let mut raw = std::ptr::null_mut();
        // SAFETY: `raw` is a valid out pointer.
        let status = unsafe { sys::backoff_cancel_new(&mut raw) };
        let raw = NonNull::new(raw)
            .filter(|_| status == sys::BACKOFF_OK)
            .unwrap_or_else(|| internal("backoff_cancel_new", status));
        Cancel {
            inner: Arc::new(Inner {
                raw,
                #[cfg(feature = "tokio")]
                notify: tokio::sync::Notify::new(),
            }),
        }
    }

    /// Triggers the token and wakes every run sleeping on it. Triggering
    /// twice is harmless.
    pub fn trigger(&self) {
        // SAFETY: raw is a live token; this wakes blocking runs.
        let status = unsafe { sys::backoff_cancel_trigger(self.inner.raw.as_ptr()) };
        if status != sys::BACKOFF_OK {
            internal("backoff_cancel_trigger", status);
        }
        #[cfg(feature = "tokio")]
        self.inner.notify.notify_waiters();
    }

    /// Whether the token has been triggered (and not reset since).
    pub fn is_triggered(&self) -> bool {
        // SAFETY: raw is a live token.
        unsafe { sys::backoff_cancel_triggered(self.inner.raw.as_ptr()) != 0 }
    }

    /// Untriggers the token so it can be used for new runs.
    pub fn reset(&self) {
        // SAFETY: raw is a live token.
        let status = unsafe { sys::backoff_cancel_reset(self.inner.raw.as_ptr()) };
        if status != sys::BACKOFF_OK {
            internal("backoff_cancel_reset", status);
        }
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::backoff_cancel {
        self.inner.raw.as_ptr()
    }

    /// Completes once the token is triggered.
    #[cfg(feature = "tokio")]
    pub(crate) async fn triggered(&self) {
        let notified = self.inner.notify.notified();
        let mut notified = std::pin::pin!(notified);
        // Registered before the check, so a trigger in between still wakes us.
        notified.as_mut().enable();
        if !self.is_triggered() {
            notified.await;
        }
    }
}

impl Default for Cancel {
    fn default() -> Self {
        Cancel::new()
    }
}

impl std::fmt::Debug for Cancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cancel").field("triggered", &self.is_triggered()).finish()
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // SAFETY: the last clone is gone, so no run can be using the token
        // (each run borrows a Cancel for its whole length).
        unsafe { sys::backoff_cancel_free(self.raw.as_ptr()) }
    }
}
