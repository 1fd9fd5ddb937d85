//! Built without the `tokio` feature (`--no-default-features`), the async
//! tests (asynchronous.rs, and the async cases of hints.rs and budget.rs)
//! compile to nothing; this marker makes the test summary say so ("1
//! ignored", with the reason) instead of passing in silence. With the
//! feature (the default) it holds no test.

#[cfg(not(feature = "tokio"))]
#[test]
#[ignore = "the async tests need the `tokio` feature (on by default)"]
fn async_tests_need_the_tokio_feature() {}
