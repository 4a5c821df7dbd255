//! The search index of the public versions: one interface, SQLite's FTS5 or PostgreSQL's
//! `tsvector`, both holding an entry's terms as they are (`rules::open::terms`) and asked for all
//! of a query's terms (`rules::open::query_terms`), so both give the same hits.

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

use crate::server::error::AppError;

/// PostgreSQL's tsquery text for terms that must all be there: each a quoted lexeme, so no
/// parser or locale touches it.
fn ts_query(terms: &[String]) -> String {
    terms.iter().map(|t| format!("'{}'", t.replace('\\', "").replace('\'', "''"))).collect::<Vec<_>>().join(" & ")
}

/// FTS5's query text for terms that must all be there: each a quoted string.
fn fts_query(terms: &[String]) -> String {
    terms.iter().map(|t| format!("\"{}\"", t.replace('"', ""))).collect::<Vec<_>>().join(" AND ")
}

/// Puts entry `id`'s public text in the index (replacing what it had).
pub async fn index(db: &impl ConnectionTrait, id: i32, text: &str) -> Result<(), AppError> {
    unindex(db, id).await?;
    let terms = rules::open::terms(text);
    let backend = db.get_database_backend();
    let st = match backend {
        DatabaseBackend::Postgres => Statement::from_sql_and_values(
            backend,
            "INSERT INTO open_search (entry_id, doc) VALUES ($1, array_to_tsvector($2::text[]))",
            [Value::from(id), Value::from(terms)],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "INSERT INTO open_search (entry_id, terms) VALUES (?, ?)",
            [Value::from(id), Value::from(terms.join(" "))],
        ),
    };
    db.execute_raw(st).await?;
    Ok(())
}

/// Takes entry `id` out of the index.
pub async fn unindex(db: &impl ConnectionTrait, id: i32) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "DELETE FROM open_search WHERE entry_id = $1",
        _ => "DELETE FROM open_search WHERE entry_id = ?",
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [Value::from(id)])).await?;
    Ok(())
}

/// The entries whose indexed text holds every term of `query`, best first (ties: newest entry
/// first), at most `limit`. A query without terms finds nothing.
pub async fn find(db: &impl ConnectionTrait, query: &str, limit: u64) -> Result<Vec<i32>, AppError> {
    let terms = rules::open::query_terms(query);
    if terms.is_empty() {
        return Ok(vec![]);
    }
    let backend = db.get_database_backend();
    let limit = limit.min(10_000) as i64;
    let st = match backend {
        DatabaseBackend::Postgres => Statement::from_sql_and_values(
            backend,
            "SELECT entry_id FROM open_search WHERE doc @@ $1::tsquery \
             ORDER BY ts_rank(doc, $1::tsquery) DESC, entry_id DESC LIMIT $2",
            [Value::from(ts_query(&terms)), Value::from(limit)],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "SELECT entry_id FROM open_search WHERE open_search MATCH ? ORDER BY rank, entry_id DESC LIMIT ?",
            [Value::from(fts_query(&terms)), Value::from(limit)],
        ),
    };
    let rows = db.query_all_raw(st).await?;
    rows.iter().map(|r| r.try_get_by_index::<i32>(0).map_err(AppError::from)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_quote_every_term() {
        let t = vec!["土地".to_string(), "o'neil".to_string(), "a\"b".to_string()];
        assert_eq!(ts_query(&t), "'土地' & 'o''neil' & 'a\"b'");
        assert_eq!(fts_query(&t), "\"土地\" AND \"o'neil\" AND \"ab\"");
    }
}
