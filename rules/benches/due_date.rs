//! Due-date throughput: the issue asks for ≥ 5 million computations per second on one core.
//! Run: `cargo bench -p rules` (criterion prints time per computation; 1 / that = rate).

use chrono::{Duration, NaiveDate};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use rules::deadline::{due_date, Suspension, TimeLimit};
use rules::Calendar;

fn bench(c: &mut Criterion) {
    let cal = Calendar::shipped();
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let starts: Vec<NaiveDate> = (0..1024).map(|i| base + Duration::days((i * 7919) % 1000)).collect();
    let mut g = c.benchmark_group("due_date");
    g.throughput(Throughput::Elements(starts.len() as u64));
    g.bench_function("nth_working_day_after x1024", |b| {
        b.iter(|| {
            for s in &starts {
                black_box(cal.nth_working_day_after(black_box(*s), 20).unwrap());
            }
        })
    });
    g.bench_function("due_date 20 wd, no suspension x1024", |b| {
        b.iter(|| {
            for s in &starts {
                black_box(due_date(&cal, *s, TimeLimit::working(20), &[], *s).unwrap());
            }
        })
    });
    let susp = [Suspension::closed(base + Duration::days(300), base + Duration::days(310))];
    g.bench_function("due_date 20 wd, one suspension x1024", |b| {
        b.iter(|| {
            for s in &starts {
                black_box(due_date(&cal, *s, TimeLimit::working(20), &susp, *s).unwrap());
            }
        })
    });
    g.bench_function("working_days_between x1024", |b| {
        b.iter(|| {
            for s in &starts {
                black_box(cal.working_days_between(*s, *s + Duration::days(40)).unwrap());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
