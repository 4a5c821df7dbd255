//! The OpenAPI 3.1 document of `/api/v1` (served at `/api/v1/openapi.json`).

use rules::CaseState;
use serde_json::{json, Value};

fn nullable(t: &str, format: Option<&str>) -> Value {
    let mut v = json!({ "type": [t, "null"] });
    if let Some(f) = format {
        v["format"] = json!(f);
    }
    v
}

/// The OpenAPI 3.1 document of this API.
pub fn document() -> Value {
    let s = |t: &str| json!({ "type": t });
    let date = json!({ "type": "string", "format": "date" });
    let time = json!({ "type": "string", "format": "date-time" });
    let rate = nullable("number", None);
    let err = json!({ "description": "error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let ok = |schema: &str| json!({ "description": "OK", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } });
    let param = |name: &str, schema: Value, desc: &str| json!({ "name": name, "in": "query", "required": false, "schema": schema, "description": desc });
    // the case states, by their codes: a state the document names is one the API takes
    let state = json!({ "type": "string", "enum": CaseState::ALL.iter().map(|c| c.code()).collect::<Vec<_>>() });
    let errors = |mut r: Value| {
        for code in ["400", "401", "403", "404", "429"] {
            r[code] = err.clone();
        }
        r
    };
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Tongban (通办) integration API",
            "version": "1.0.0",
            "description": "Read-only access for other government systems: the service catalog, cases (办件) of the token's departments and statistics. Bearer tokens are issued by an administrator; at most 120 requests a minute per token."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/api/v1/catalog": { "get": {
                "summary": "Published services, newest version of each",
                "operationId": "catalog",
                "responses": errors(json!({ "200": ok("Catalog") }))
            }},
            "/api/v1/open": { "get": {
                "summary": "政务公开: today's public entries, newest change first (with q: best match first), at most 50",
                "operationId": "open",
                "parameters": [
                    param("kind", json!({ "type": "string", "enum": rules::open::OpenKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>() }), "a kind of entry"),
                    param("department", json!({ "type": "integer", "format": "int32" }), "a department id"),
                    param("q", s("string"), "words to search for (Chinese: any two characters of a word)")
                ],
                "responses": errors(json!({ "200": ok("OpenPage") }))
            }},
            "/api/v1/cases": { "get": {
                "summary": "Cases of the token's departments, oldest first, keyset-paginated",
                "operationId": "cases",
                "parameters": [
                    param("state", state.clone(), "a case state, e.g. in_review"),
                    param("updated_since", json!({ "type": "string", "format": "date-time" }), "only cases changed since (RFC 3339)"),
                    param("after", json!({ "type": "integer", "format": "int32", "minimum": 0, "maximum": i32::MAX }), "next_after of the previous page"),
                    param("limit", json!({ "type": "integer", "minimum": 1, "maximum": 200 }), "page size (default 50)")
                ],
                "responses": errors(json!({ "200": ok("CasePage") }))
            }},
            "/api/v1/cases/{case_no}": { "get": {
                "summary": "One case with its (public) events",
                "operationId": "case",
                "parameters": [{ "name": "case_no", "in": "path", "required": true, "schema": s("string") }],
                "responses": errors(json!({ "200": ok("CaseDetail") }))
            }},
            "/api/v1/statistics": { "get": {
                "summary": "Received, closed, on-time / early / same-day rates and average working days",
                "operationId": "statistics",
                "parameters": [
                    param("by", json!({ "type": "string", "enum": ["department", "item", "month"] }), "grouping (default department)"),
                    param("from", date.clone(), "first day (default 1 January)"),
                    param("to", date.clone(), "last day (default today)"),
                    param("dep", s("integer"), "one department's id")
                ],
                "responses": errors(json!({ "200": ok("Statistics") }))
            }}
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error", "message"], "properties": { "error": s("string"), "message": s("string") } },
                "Item": { "type": "object",
                    "required": ["code", "version", "name", "summary", "department_code", "department_name", "decision_limit_days", "decision_limit_unit"],
                    "properties": {
                        "code": s("string"), "version": s("integer"), "name": s("string"), "summary": s("string"),
                        "department_code": s("string"), "department_name": s("string"),
                        "decision_limit_days": s("integer"),
                        "decision_limit_unit": { "type": "string", "enum": ["working_days", "calendar_days"] }
                    } },
                "Catalog": { "type": "object", "required": ["items"], "properties": { "items": { "type": "array", "items": { "$ref": "#/components/schemas/Item" } } } },
                "Case": { "type": "object",
                    "required": ["case_no", "item_code", "item_version", "item_name", "department_code", "state", "state_label", "channel", "applicant", "submitted_at", "received_on", "accepted_on", "due_on", "warn_level", "deemed_accepted_on", "updated_at"],
                    "properties": {
                        "case_no": s("string"), "item_code": s("string"), "item_version": s("integer"), "item_name": s("string"),
                        "department_code": s("string"), "state": state.clone(), "state_label": s("string"),
                        "channel": { "type": "string", "enum": ["online", "counter"] },
                        "applicant": { "type": "string", "description": "masked name" },
                        "submitted_at": nullable("string", Some("date-time")),
                        "received_on": nullable("string", Some("date")),
                        "accepted_on": nullable("string", Some("date")),
                        "due_on": nullable("string", Some("date")),
                        "warn_level": { "type": "string", "enum": ["normal", "warning", "overdue"] },
                        "deemed_accepted_on": nullable("string", Some("date")),
                        "updated_at": time.clone()
                    } },
                "OpenEntry": { "type": "object", "required": ["id", "kind", "kind_label", "title", "department", "changed_at", "url"],
                    "properties": { "id": s("integer"),
                        "kind": { "type": "string", "enum": rules::open::OpenKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>() },
                        "kind_label": s("string"), "title": s("string"), "department": s("string"),
                        "changed_at": time.clone(), "url": s("string") } },
                "OpenPage": { "type": "object", "required": ["entries", "more"], "properties": {
                    "entries": { "type": "array", "items": { "$ref": "#/components/schemas/OpenEntry" } },
                    "more": s("boolean") } },
                "CasePage": { "type": "object", "required": ["items", "next_after"], "properties": {
                    "items": { "type": "array", "items": { "$ref": "#/components/schemas/Case" } },
                    "next_after": nullable("integer", None) } },
                "Event": { "type": "object", "required": ["seq", "action", "from_state", "to_state", "actor_kind", "role", "comment", "on_day", "at"],
                    "properties": { "seq": s("integer"), "action": s("string"), "from_state": s("string"), "to_state": s("string"),
                        "actor_kind": s("string"), "role": s("string"), "comment": s("string"), "on_day": date.clone(), "at": time.clone() } },
                "CaseDetail": { "allOf": [{ "$ref": "#/components/schemas/Case" }, { "type": "object", "required": ["events"],
                    "properties": { "events": { "type": "array", "items": { "$ref": "#/components/schemas/Event" } } } }] },
                "StatRow": { "type": "object", "required": ["key", "label", "submitted", "not_accepted", "closed", "on_time_rate", "early_rate", "same_day_rate", "avg_working_days", "delivered", "delivered_on_time_rate"],
                    "properties": { "key": s("string"), "label": s("string"), "submitted": s("integer"), "not_accepted": s("integer"), "closed": s("integer"),
                        "on_time_rate": rate.clone(), "early_rate": rate.clone(), "same_day_rate": rate.clone(), "avg_working_days": rate.clone(),
                        "delivered": s("integer"), "delivered_on_time_rate": rate.clone() } },
                "Statistics": { "type": "object", "required": ["by", "from", "to", "rows", "total"], "properties": {
                    "by": s("string"), "from": date.clone(), "to": date,
                    "rows": { "type": "array", "items": { "$ref": "#/components/schemas/StatRow" } },
                    "total": { "$ref": "#/components/schemas/StatRow" } } }
            }
        }
    })
}

// ---- the admin's page and forms ----
