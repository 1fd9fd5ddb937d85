//! The Rust column of the bad-input table (tests/bad_input/cases.tsv at the
//! top of the repository): each row's call must be refused with the status
//! and the `Display` the table gives.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use libbackoff::{parse_retry_after, Budget, Error, Jitter, Policy, PolicyBuilder};

/// "–": the layer cannot express the input.
const CANNOT: &str = "\u{2013}";

/// A literal of a call: a number, a string or a list of numbers.
#[derive(Default, Debug)]
struct Arg {
    number: f64,
    text: String,
    list: Vec<f64>,
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b':'
}

/// A number (or nan, inf) at `s[at..]`, and where it ends.
fn read_number(s: &[u8], at: usize) -> Option<(f64, usize)> {
    let p = if s[at] == b'-' { at + 1 } else { at };
    for (word, value) in [("nan", f64::NAN), ("inf", f64::INFINITY)] {
        if s[p..].starts_with(word.as_bytes()) && !s.get(p + 3).is_some_and(|&c| is_word(c)) {
            return Some((if p > at { -value } else { value }, p + 3));
        }
    }
    let end = p + s[p..].iter().take_while(|c| c.is_ascii_digit() || **c == b'.' || **c == b'e').count();
    if end == p {
        return None;
    }
    let text = std::str::from_utf8(&s[at..end]).ok()?;
    Some((text.parse().ok()?, end))
}

/// A call as its shape (each literal replaced by "_") and its literals, as
/// tests/bad_input/call.c reads the C column.
fn parse(call: &str) -> (String, Vec<Arg>) {
    let s = call.as_bytes();
    let (mut shape, mut args, mut at) = (String::new(), Vec::new(), 0);
    while at < s.len() {
        let mut arg = Arg::default();
        if s[at] == b'"' {
            let mut text = Vec::new();
            at += 1;
            while s[at] != b'"' {
                let mut c = s[at];
                if c == b'\\' {
                    at += 1;
                    c = if s[at] == b'0' { 0 } else { s[at] };
                }
                text.push(c);
                at += 1;
            }
            at += 1;
            arg.text = String::from_utf8(text).expect("UTF-8 text");
        } else if s[at] == b'[' {
            at += 1;
            while s[at] != b']' {
                if s[at] == b' ' || s[at] == b',' {
                    at += 1;
                    continue;
                }
                let (v, end) = read_number(s, at).expect("a number in a list");
                arg.list.push(v);
                at = end;
            }
            at += 1;
        } else if let Some((v, end)) = (at == 0 || !is_word(s[at - 1])).then(|| read_number(s, at)).flatten()
        {
            arg.number = v;
            at = end;
        } else {
            shape.push(s[at] as char);
            at += 1;
            continue;
        }
        shape.push('_');
        args.push(arg);
    }
    (shape, args)
}

fn secs(v: f64) -> Duration {
    Duration::from_secs_f64(v)
}

type Call = fn(&[Arg]) -> Result<(), Error>;

fn built(builder: PolicyBuilder) -> Result<(), Error> {
    builder.build().map(drop)
}

/// Each shape of the Rust column, as the real call.
fn calls() -> HashMap<&'static str, Call> {
    let table: [(&'static str, Call); 10] = [
        ("wait_expo(_, _, _)", |a| {
            built(Policy::builder().wait_expo(a[0].number, secs(a[1].number), secs(a[2].number)))
        }),
        ("wait_constant(MAX)", |_| built(Policy::builder().wait_constant(Duration::MAX))),
        ("wait_decay(_, _, _)", |a| {
            built(Policy::builder().wait_decay(secs(a[0].number), a[1].number, secs(a[2].number)))
        }),
        ("wait_sequence(_)", |a| {
            let waits: Vec<Duration> = a[0].list.iter().map(|&v| secs(v)).collect();
            built(Policy::builder().wait_sequence(&waits))
        }),
        ("jitter(Jitter::Proportional(_))", |a| {
            built(Policy::builder().jitter(Jitter::Proportional(a[0].number)))
        }),
        ("log_levels(_, _)", |a| built(Policy::builder().log_levels(a[0].number as i32, a[1].number as i32))),
        ("Budget::new(_, _, _)", |a| Budget::new(a[0].number, a[1].number, secs(a[2].number)).map(drop)),
        ("spec(_)", |a| built(Policy::builder().spec(&a[0].text))),
        ("run().label(_)", |a| {
            let policy = Policy::builder().build().expect("a default policy");
            policy.run().label(&a[0].text).map(drop)
        }),
        ("parse_retry_after(_, now)", |a| parse_retry_after(&a[0].text, SystemTime::now()).map(drop)),
    ];
    table.into_iter().collect()
}

fn status_name(status: i32) -> String {
    match status {
        -1 => "BACKOFF_E_INVALID".into(),
        -2 => "BACKOFF_E_NOMEM".into(),
        -4 => "BACKOFF_E_PARSE".into(),
        other => format!("status {other}"),
    }
}

#[test]
fn each_bad_input_gives_the_tables_answer() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/bad_input/cases.tsv");
    let table = std::fs::read_to_string(path).expect("tests/bad_input/cases.tsv");
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
    let column = |name: &str| header.iter().position(|&h| h == name).expect("a column");
    let (id, call, want) = (column("id"), column("rust"), column("rust_error"));
    let calls = calls();
    let (mut checked, mut wrong) = (0, Vec::new());
    for line in lines {
        let row: Vec<&str> = line.split('\t').collect();
        assert_eq!(row.len(), header.len(), "a row without {} fields: {line}", header.len());
        if row[call] == CANNOT {
            continue;
        }
        let (shape, args) = parse(row[call]);
        let make = calls.get(shape.as_str()).unwrap_or_else(|| panic!("{}: no Rust call {shape}", row[id]));
        let got = match make(&args) {
            Ok(()) => "ok".to_string(),
            Err(e) => format!("{}: {e}", status_name(e.status())),
        };
        if got != row[want] {
            wrong.push(format!(
                "cases.tsv {}, {}: the table says {:?}, got {got:?}",
                row[id], row[call], row[want]
            ));
        }
        checked += 1;
    }
    assert!(checked > 0, "no Rust call in the table");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
