//! The audit chain's unit tests (`audit`).

use super::*;

fn ev(action: &str) -> NewEvent {
    NewEvent {
        case_id: 7,
        action: rules::EventKind::parse(action).unwrap(),
        from_state: rules::CaseState::Accepted,
        to_state: rules::CaseState::InReview,
        actor_kind: "staff".into(),
        actor_id: 13,
        role: rules::Role::Reviewer,
        comment: "意见".into(),
        internal: false,
        on_day: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    }
}

#[test]
fn chain_links_and_detects_edits() {
    let at = Utc::now();
    let a = chained(ev("submit"), None, at);
    let b = chained(ev("accept"), Some(&a), at);
    assert_eq!(a.seq, 1);
    assert_eq!(b.seq, 2);
    assert_eq!(b.prev_hash, a.hash);
    assert_eq!(digest(&b), b.hash);
    assert_eq!(a.hash.len(), 64);
    // Any field edited → the hash no longer matches.
    for edit in [
        |m: &mut case_event::Model| m.comment.push('!'),
        |m: &mut case_event::Model| m.actor_id += 1,
        |m: &mut case_event::Model| m.internal = !m.internal,
        |m: &mut case_event::Model| m.on_day = m.on_day.succ_opt().unwrap(),
        |m: &mut case_event::Model| m.at += chrono::Duration::microseconds(1),
    ] {
        let mut c = b.clone();
        edit(&mut c);
        assert_ne!(digest(&c), b.hash);
    }
    // Length prefixes: moving text between fields changes the hash.
    let mut c = b.clone();
    // ("staff", 13) and ("staff1", 3) would read alike without them
    c.actor_kind = "staff1".into();
    c.actor_id = 3;
    assert_ne!(digest(&c), b.hash);
}
