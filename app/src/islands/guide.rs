//! The guide's checklist preview: the applicant answers the item's questions and sees at once
//! which materials apply — computed in the browser by the `rules` crate; without JavaScript the
//! form asks the server (the answers travel in the query string).

use leptos::prelude::*;
use rules::item::Question;
use rules::materials::{checklist, Answers, ApplicantKind, MaterialSpec};

use crate::components::use_prefs;

#[island]
pub fn ChecklistPreview(
    specs: Vec<MaterialSpec>,
    questions: Vec<Question>,
    kind: ApplicantKind,
    answers: Answers,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let initial_answers = answers.clone();
    let kind = RwSignal::new(kind);
    let answers = RwSignal::new(answers);
    // what was chosen before the island woke up is in the form, not in the signals: take it
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form.get() {
            for (name, value) in crate::components::checked_radios(&form) {
                if name == "kind" {
                    if let Some(k) = ApplicantKind::parse(&value) {
                        kind.set(k);
                    }
                } else if let Some(q) = name.strip_prefix("q_") {
                    answers.update(|a| {
                        a.insert(q.to_string(), value);
                    });
                }
            }
        }
    });
    let preview = {
        let specs = specs.clone();
        let questions = questions.clone();
        move || {
            let c = answers.with(|a| checklist(&specs, kind.get(), a, &Default::default(), None));
            let name_of =
                |code: &String| specs.iter().find(|s| &s.code == code).map(|s| s.name.clone()).unwrap_or_default();
            let list = |codes: &Vec<String>| codes.iter().map(|c| view! { <li>{name_of(c)}</li> }).collect_view();
            let unanswered = questions.iter().filter(|q| answers.with(|a| !a.contains_key(&q.code))).count();
            view! {
                <h3>{lang.pick("现在需要提交", "現在需要提交", "Needed now")}</h3>
                <ul class="checklist" data-testid="required-now">{list(&c.required_now)}</ul>
                {(!c.deferrable.is_empty()).then(|| view! {
                    <h3>{lang.pick("可容缺后补（受理后 30 日内补齐）", "可容缺後補（受理後 30 日內補齊）", "May follow after acceptance (within 30 days)")}</h3>
                    <ul class="checklist">{list(&c.deferrable)}</ul>
                })}
                {(!c.optional.is_empty()).then(|| view! {
                    <h3>{lang.pick("可选", "可選", "Optional")}</h3>
                    <ul class="checklist">{list(&c.optional)}</ul>
                })}
                {(unanswered > 0).then(|| view! {
                    <p class="hint">{lang.pick("回答上面的问题后，清单会更准确。", "回答上面的問題後，清單會更準確。", "Answer the questions above for an exact list.")}</p>
                })}
            }
        }
    };

    let kind_radio = move |k: ApplicantKind, label: &'static str| {
        view! {
            <label class="radio">
                <input type="radio" name="kind" value=k.as_str() checked=kind.get_untracked() == k
                    on:change=move |_| kind.set(k)/>
                {label}
            </label>
        }
    };
    let question_fields = questions
        .iter()
        .map(|q| {
            let code = q.code.clone();
            let options = q
                .options
                .iter()
                .map(|(value, label)| {
                    let checked = initial_answers.get(&code) == Some(value);
                    let (code, value) = (code.clone(), value.clone());
                    let v2 = value.clone();
                    view! {
                        <label class="radio">
                            <input type="radio" name=format!("q_{code}") value=value checked=checked
                                on:change=move |_| answers.update(|a| { a.insert(code.clone(), v2.clone()); })/>
                            {label.clone()}
                        </label>
                    }
                })
                .collect_view();
            view! { <fieldset class="field"><legend>{q.text.clone()}</legend>{options}</fieldset> }
        })
        .collect_view();

    view! {
        <form method="get" class="preview-form" node_ref=form>
            <fieldset class="field">
                <legend>{lang.pick("申请人类型", "申請人類型", "Applicant type")}</legend>
                {kind_radio(ApplicantKind::Person, lang.pick("个人", "個人", "Person"))}
                {kind_radio(ApplicantKind::Enterprise, lang.pick("企业 / 法人", "企業 / 法人", "Enterprise"))}
            </fieldset>
            {question_fields}
            <button type="submit" class="button secondary">{lang.pick("更新清单", "更新清單", "Update the list")}</button>
        </form>
        <div class="preview" aria-live="polite">{preview}</div>
    }
}
