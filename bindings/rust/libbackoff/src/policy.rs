//! A built, immutable retry policy: the library's `backoff_policy`.

use std::ptr::NonNull;

use backoff_sys as sys;

use crate::builder::PolicyBuilder;
use crate::panic;

/// A retry configuration, built once with [`Policy::builder`] and used for
/// any number of runs, from any number of threads at once.
pub struct Policy {
    raw: NonNull<sys::backoff_policy>,
}

// SAFETY: the library lets any number of runs on any threads share a
// configured policy; a built Policy is never configured again (no setter
// takes it); and every closure it holds was required Send + Sync by the
// builder, since runs on several threads may call it at once.
unsafe impl Send for Policy {}
// SAFETY: as for Send: shared use is read-only as far as the library goes.
unsafe impl Sync for Policy {}

impl Policy {
    /// Starts a policy with the library's defaults: exponential waits 1, 2,
    /// 4 … seconds, full jitter, no limits.
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::new()
    }

    /// # Safety
    /// `raw` is a live, configured policy that nothing else frees.
    pub(crate) unsafe fn from_raw(raw: *mut sys::backoff_policy) -> Policy {
        Policy { raw: NonNull::new(raw).expect("a built policy is never NULL") }
    }

    pub(crate) fn as_ptr(&self) -> *const sys::backoff_policy {
        self.raw.as_ptr()
    }
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy").finish_non_exhaustive()
    }
}

impl Drop for Policy {
    fn drop(&mut self) {
        // SAFETY: every run borrows the policy, so none is left; the library
        // calls each closure's destroy, which may park a panic.
        unsafe { sys::backoff_policy_free(self.raw.as_ptr()) };
        panic::resume_unless_panicking();
    }
}
