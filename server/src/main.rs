//! `tongban`: the server and its operator commands.
#![forbid(unsafe_code)]

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use app::server::config::{Settings, ENV_VARS};
use app::server::{accounts, db};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use rules::deadline::{due_date, Suspension, TimeLimit};
use rules::{Calendar, CreditCode, IdCardNo, Lang, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use tongban::seed;

fn env_help() -> String {
    let mut s = String::from(
        "Configuration, in layers: built-in defaults → tongban.toml (in the working directory, or the\n\
         file TONGBAN_CONFIG names) → environment variables:\n",
    );
    for (k, v) in ENV_VARS {
        s.push_str(&format!("  {k:<38} {v}\n"));
    }
    s.push_str(
        "\ntongban.toml keys: data_dir, database_url, secure_cookies, session_hours, seed_demo, public_url, trusted_proxies, log,\n\
         scheduler_secs, [notify] (smtp = { host, port, from, username, password, security }, sms_url,\n\
         sms_token, max_attempts, retry_secs)",
    );
    s
}

#[derive(Parser)]
#[command(name = "tongban", version, about = "Tongban (通办): one-window government services", after_long_help = env_help(), after_help = "Run `tongban --help` for the configuration variables.")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default). Applies pending migrations first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data into the database.
    Seed {
        /// Departments, catalog items, one staff account per role and demo applicants.
        #[arg(long)]
        demo: bool,
        /// N generated cases for load tests (loads the demo data first when the database is empty).
        #[arg(long, value_name = "N")]
        bulk: Option<u64>,
    },
    /// For the load benchmark: a bare axum server with one JSON endpoint, `/queue.json`, that runs
    /// the same queue query as the back office's queue page, as staff member `--staff`.
    BenchBare {
        #[arg(long, default_value = "127.0.0.1:3012")]
        addr: std::net::SocketAddr,
        #[arg(long, default_value = "clerk")]
        staff: String,
    },
    /// Create an administrator (or reset one's password). The password comes from
    /// TONGBAN_ADMIN_PASSWORD or, when unset, from the first line of standard input.
    CreateAdmin {
        #[arg(long, default_value = "admin")]
        username: String,
        #[arg(long, default_value = "系统管理员")]
        name: String,
        /// Department code (created as 政务服务中心 when the database has none).
        #[arg(long)]
        department: Option<String>,
    },
    /// Run the daily rules sweep once (warning levels, accountability records, expired
    /// corrections and fees, deemed acceptance, 容缺 supplements) and print what it did. The
    /// server runs it by itself; this is for operators and benchmarks.
    Sweep {
        /// The day to sweep as (default: today in China).
        #[arg(long, value_parser = parse_date)]
        day: Option<NaiveDate>,
    },
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Send the notifications that are due now, once, and print what happened.
    Notify,
    /// Check the rules from outside: due dates, ID numbers, credit codes.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain of every case's events, check every case's state against its
    /// last event and every signed anchor (by the configured key); exit 1 and name the first
    /// broken link.
    Verify,
    /// Seal the events written since the last anchor now (the server does it once a day), sign
    /// the anchor and export it to <data_dir>/anchors/.
    Anchor,
}

#[derive(Clone, Copy, ValueEnum)]
enum Unit {
    Working,
    Calendar,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Due date: the N-th working day after acceptance (the acceptance day is not counted),
    /// skipping suspended days. Prints the date as YYYY-MM-DD on the last line.
    DueDate {
        #[arg(long, value_parser = parse_date)]
        accepted: NaiveDate,
        #[arg(long)]
        days: u32,
        #[arg(long, value_enum, default_value = "working")]
        unit: Unit,
        /// Working days added by an approved extension.
        #[arg(long, default_value_t = 0)]
        extend: u32,
        /// A suspension FIRST:LAST (inclusive); repeat for several.
        #[arg(long = "suspend", value_parser = parse_range)]
        suspend: Vec<(NaiveDate, NaiveDate)>,
    },
    /// Check a resident ID card number (GB 11643). Prints `valid` or `invalid: <reason>`.
    CheckId { value: String },
    /// Check a unified social credit code (GB 32100). Prints `valid` or `invalid: <reason>`.
    CheckCreditCode { value: String },
    /// Is a date a working day? Prints `working` or `off` (with the holiday's name).
    Day {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| format!("{s:?} is not a date like 2025-09-30"))
}

fn parse_range(s: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let (a, b) = s.split_once(':').ok_or_else(|| format!("{s:?}: expected FIRST:LAST, e.g. 2025-10-13:2025-10-17"))?;
    let (a, b) = (parse_date(a)?, parse_date(b)?);
    if b < a {
        return Err(format!("{s:?}: the suspension ends before it starts"));
    }
    Ok((a, b))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Rules(r)) => rules_command(r),
        other => {
            let settings = match Settings::load() {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("tongban: configuration error: {e}");
                    return ExitCode::from(2);
                }
            };
            init_tracing(&settings.log);
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
            match rt.block_on(run(other.unwrap_or(Command::Serve), settings)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("tongban: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn init_tracing(filter: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

async fn run(cmd: Command, settings: Settings) -> Result<(), String> {
    match cmd {
        Command::Serve => {
            let opts = tongban::leptos_options()?;
            let addr = opts.site_addr;
            let state = tongban::prepare(settings, opts).await?;
            tongban::serve(state, addr, |a| {
                println!("Tongban is running at http://{a}  (Ctrl-C to stop)");
                tracing::info!(%a, "listening");
            })
            .await
            .map_err(|e| format!("cannot serve on {addr}: {e}"))
        }
        Command::Migrate => {
            let conn = open(&settings).await?;
            db::migrate(&conn).await.map_err(|e| format!("migrations failed: {e}"))?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed { demo, bulk } => {
            if !demo && bulk.is_none() {
                return Err("nothing to seed: use `tongban seed --demo` or `tongban seed --bulk N`".into());
            }
            let conn = open(&settings).await?;
            db::migrate(&conn).await.map_err(|e| format!("migrations failed: {e}"))?;
            let files = app::server::files::LocalFileStore::new(settings.files_dir())
                .map_err(|e| format!("cannot create the file store: {e}"))?;
            let empty = seed::is_empty(&conn).await.map_err(|e| e.to_string())?;
            if demo || empty {
                let accounts = seed::seed_demo(&conn, &files, settings.clock().today())
                    .await
                    .map_err(|e| format!("demo data failed: {e}"))?;
                println!("demo data loaded");
                tongban::print_demo_accounts(&accounts);
            }
            if let Some(n) = bulk {
                let cal = app::server::calendar::load(&conn).await.map_err(|e| e.to_string())?;
                let today = settings.clock().today();
                let r = tongban::bulk::seed_bulk(&conn, &cal, n, today, |done| {
                    eprint!("\r  {done} / {n} cases");
                })
                .await
                .map_err(|e| format!("bulk data failed: {e}"))?;
                eprintln!();
                println!(
                    "bulk data loaded: {} cases, {} applicants, {} events in {:.1} s",
                    r.cases, r.applicants, r.events, r.seconds
                );
            }
            Ok(())
        }
        Command::Sweep { day } => {
            // As in the server: no commit waits for a checkpoint; one runs when the sweep is done.
            let conn = open_with(&settings, db::Checkpoints::Background).await?;
            db::migrate(&conn).await.map_err(|e| format!("migrations failed: {e}"))?;
            let cal = app::server::calendar::load(&conn).await.map_err(|e| e.to_string())?;
            let day = day.unwrap_or_else(|| settings.clock().today());
            let t = std::time::Instant::now();
            let r = app::server::scheduler::sweep_and_record(&conn, &cal, "cli", day)
                .await
                .map_err(|e| format!("sweep failed: {e}"))?;
            println!(
                "sweep {day}: {} ms ({} ms records, {} ms reading, {} ms writing); accountability records opened {}, examined {}, \
                 deemed accepted {}, corrections expired {}, fees expired {}, supplements overdue {}, stale {}, failed {}",
                t.elapsed().as_millis(),
                r.records_millis,
                r.read_millis,
                r.write_millis,
                r.accountability_opened,
                r.examined,
                r.deemed_accepted,
                r.corrections_expired,
                r.fees_expired,
                r.supplements_overdue,
                r.skipped_stale,
                r.failed
            );
            let t = std::time::Instant::now();
            let frames = db::checkpoint(&conn).await.map_err(|e| format!("checkpoint failed: {e}"))?;
            println!(
                "checkpoint after the sweep (in the server: in the background): {frames} pages in {} ms",
                t.elapsed().as_millis()
            );
            conn.close().await.map_err(|e| e.to_string())?;
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            let conn = open(&settings).await?;
            db::migrate(&conn).await.map_err(|e| format!("migrations failed: {e}"))?;
            let key = app::server::audit::signing_key(&settings).map_err(|e| format!("audit key: {e}"))?;
            let v = app::server::audit::verify(&conn, Some(&key.verifying_key()))
                .await
                .map_err(|e| format!("verification failed: {e}"))?;
            match (v.first_break, v.anchor_break) {
                (None, None) => {
                    println!(
                        "audit chain intact: {} events of {} cases and {} signed anchors checked in {} ms",
                        v.events, v.cases, v.anchors, v.millis
                    );
                    Ok(())
                }
                (None, Some(a)) => Err(format!("audit anchors BROKEN: {a}; {} anchors checked", v.anchors)),
                (Some(b), _) => Err(format!(
                    "audit chain BROKEN at case {} ({}), event #{} (id {}): {}; {} events checked",
                    b.case_id,
                    b.case_no.unwrap_or_default(),
                    b.seq,
                    b.event_id,
                    b.reason,
                    v.events
                )),
            }
        }
        Command::Audit(AuditCommand::Anchor) => {
            let conn = open(&settings).await?;
            db::migrate(&conn).await.map_err(|e| format!("migrations failed: {e}"))?;
            match app::server::audit::anchor(&conn, &settings, chrono::Utc::now()).await.map_err(|e| e.to_string())? {
                Some(a) => println!(
                    "anchor {}: events {}–{} ({}), root {}",
                    a.id, a.first_event_id, a.last_event_id, a.events, a.root
                ),
                None => println!("nothing new to seal"),
            }
            Ok(())
        }
        Command::Notify => {
            let opts = tongban::leptos_options()?;
            let state = tongban::prepare(Settings { seed_demo: false, ..settings }, opts).await?;
            let r = app::server::notify::dispatch(&state, chrono::Utc::now())
                .await
                .map_err(|e| format!("dispatch failed: {e}"))?;
            println!(
                "notifications: {} queued, {} sent, {} to retry, {} dead, {} skipped (opted out)",
                r.queued, r.sent, r.retried, r.dead, r.skipped
            );
            Ok(())
        }
        Command::BenchBare { addr, staff } => {
            let conn = open(&settings).await?;
            tongban::bench_bare(conn, addr, &staff).await
        }
        Command::CreateAdmin { username, name, department } => {
            let password = match std::env::var("TONGBAN_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    if std::io::stdin().is_terminal() {
                        eprintln!("Password for {username} (at least 8 characters, then Enter):");
                    }
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .map_err(|e| format!("cannot read the password: {e}"))?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            if let Err(e) = rules::validators::check_password(&password, &[&username]) {
                return Err(format!("password refused: {}", e.message(Lang::En)));
            }
            let conn = open(&settings).await?;
            db::migrate(&conn).await.map_err(|e| format!("migrations failed: {e}"))?;
            use app::server::entities::department;
            let dep = match department {
                Some(code) => department::Entity::find()
                    .filter(department::Column::Code.eq(code.to_uppercase()))
                    .one(&conn)
                    .await
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| format!("no department with code {code}"))?,
                None => match department::Entity::find().one(&conn).await.map_err(|e| e.to_string())? {
                    Some(d) => d,
                    None => department::ActiveModel {
                        code: Set("ZWFW".into()),
                        name: Set("政务服务中心".into()),
                        created_at: Set(chrono::Utc::now()),
                        ..Default::default()
                    }
                    .insert(&conn)
                    .await
                    .map_err(|e| e.to_string())?,
                },
            };
            accounts::upsert_staff(&conn, &username, &name, &password, &[(Role::Admin, dep.id)]).await.map_err(
                |e| match e.fields() {
                    Some(f) => f.iter().map(|(_, m)| m.clone()).collect::<Vec<_>>().join("; "),
                    None => e.to_string(),
                },
            )?;
            println!("administrator {username} ready (department {} {})", dep.code, dep.name);
            Ok(())
        }
        Command::Rules(_) => unreachable!("handled before"),
    }
}

async fn open(settings: &Settings) -> Result<sea_orm::DatabaseConnection, String> {
    open_with(settings, db::Checkpoints::InCommit).await
}

async fn open_with(settings: &Settings, checkpoints: db::Checkpoints) -> Result<sea_orm::DatabaseConnection, String> {
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)
            .map_err(|e| format!("cannot create {}: {e}", settings.data_dir.display()))?;
    }
    let url = settings.effective_database_url();
    db::connect_with(&url, checkpoints)
        .await
        .map_err(|e| format!("cannot open the database ({}): {e}", tongban::redact(&url)))
}

fn rules_command(cmd: RulesCommand) -> ExitCode {
    let cal = Calendar::shipped();
    match cmd {
        RulesCommand::DueDate { accepted, days, unit, extend, suspend } => {
            let limit = match unit {
                Unit::Working => TimeLimit::working(days + extend),
                Unit::Calendar => TimeLimit::calendar(days + extend),
            };
            let susp: Vec<Suspension> = suspend.iter().map(|(a, b)| Suspension::closed(*a, *b)).collect();
            match due_date(&cal, accepted, limit, &susp, accepted) {
                Ok(d) => {
                    for w in cal.warnings_between(accepted, d) {
                        println!("warning: {w}");
                    }
                    println!("{d}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        RulesCommand::CheckId { value } => {
            verdict(IdCardNo::parse_on(&value, rules::validators::china_today()).map(|_| ()).map_err(|e| e.to_string()))
        }
        RulesCommand::CheckCreditCode { value } => {
            verdict(value.parse::<CreditCode>().map(|_| ()).map_err(|e| e.to_string()))
        }
        RulesCommand::Day { date } => {
            let working = cal.is_working_day(date);
            let name = cal.exception(date).map(|e| format!(" ({})", e.name)).unwrap_or_default();
            for w in cal.warnings_between(date, date) {
                println!("warning: {w}");
            }
            println!("{}{name}", if working { "working" } else { "off" });
            ExitCode::SUCCESS
        }
    }
}

fn verdict(r: Result<(), String>) -> ExitCode {
    match r {
        Ok(()) => {
            println!("valid");
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("invalid: {e}");
            ExitCode::from(1)
        }
    }
}
