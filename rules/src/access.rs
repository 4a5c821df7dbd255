//! Who may see what of a case, and who may act on it: role × department × duty (DESIGN §1).
//!
//! A role held in a department is not a pass to all that department's cases. The department's
//! handlers (its window, its review, its approval) handle every case it leads; a reviewer whom
//! the case is assigned to someone else only watches it; a supervisor watches; a co-department or
//! a review stage sees a case only once one of its tasks has reached it, and then without the
//! applicant's full identity; an admin administers and handles no case; nobody on the staff sees
//! an applicant's draft (the counter's own drafts go through the intake, not through this).

use crate::case::Role;

/// What a member of staff sees of one case. Ordered: a later variant sees more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseView {
    /// Not the case's to see: refused (403).
    Refused,
    /// The case, its materials and its history, with the applicant's ID number and mobile masked.
    Masked,
    /// Everything, the applicant's identity included (each such read is logged).
    Full,
}

/// One opinion task of a case (a review stage or a co-department's opinion): whose it is, and
/// whether it has reached them (opened, answered or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDuty {
    pub department: i32,
    pub role: Role,
    pub opened: bool,
}

/// A case as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct CaseDuties<'a> {
    /// The department that leads the case (its item's).
    pub department: i32,
    /// Not yet submitted: the applicant's own.
    pub draft: bool,
    /// The reviewer the case is assigned to.
    pub assignee: Option<i32>,
    pub tasks: &'a [TaskDuty],
}

/// The roles that handle the cases their department leads.
pub const HANDLERS: [Role; 3] = [Role::WindowClerk, Role::Reviewer, Role::Approver];

/// The roles whose department's case lists (the queue's state buckets) are theirs to read: the
/// handlers and the supervisor. A co-reviewer's list is its open tasks; an admin has none.
pub fn lists_department_cases(role: Role) -> bool {
    HANDLERS.contains(&role) || role == Role::Supervisor
}

/// What staff member `me`, holding `held` (department, role) pairs, sees of case `c`.
pub fn case_view(me: i32, held: &[(i32, Role)], c: &CaseDuties) -> CaseView {
    if c.draft {
        return CaseView::Refused;
    }
    let mut best = CaseView::Refused;
    for &(department, role) in held {
        let by_department = if department != c.department {
            CaseView::Refused
        } else {
            match role {
                Role::WindowClerk | Role::Approver => CaseView::Full,
                Role::Reviewer if c.assignee.is_none_or(|a| a == me) => CaseView::Full,
                Role::Reviewer | Role::Supervisor => CaseView::Masked,
                Role::CoReviewer | Role::Admin | Role::Publisher | Role::Applicant | Role::System => CaseView::Refused,
            }
        };
        let by_task = c.tasks.iter().any(|t| t.opened && t.department == department && t.role == role);
        let by_task = if by_task { CaseView::Masked } else { CaseView::Refused };
        best = best.max(by_department).max(by_task);
    }
    best
}

/// The role in which `me` may write a review opinion on case `c` (an internal note of the
/// review): the lead department's approver, or its reviewer when the case is theirs or nobody's.
/// A co-department or a stage answers its own task instead; without one, no opinion.
pub fn opinion_role(me: i32, held: &[(i32, Role)], c: &CaseDuties) -> Option<Role> {
    if c.draft {
        return None;
    }
    let mine = |r: Role| held.iter().any(|&(d, h)| d == c.department && h == r);
    if mine(Role::Approver) {
        Some(Role::Approver)
    } else if mine(Role::Reviewer) && c.assignee.is_none_or(|a| a == me) {
        Some(Role::Reviewer)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseView::*;
    use Role::*;

    const LEAD: i32 = 1;
    const CO: i32 = 2;
    const OTHER: i32 = 3;
    const ME: i32 = 10;
    const COLLEAGUE: i32 = 11;

    #[test]
    fn who_sees_what_of_a_case() {
        let reached = [TaskDuty { department: CO, role: CoReviewer, opened: true }];
        let waiting = [TaskDuty { department: CO, role: CoReviewer, opened: false }];
        let stage = [TaskDuty { department: OTHER, role: Reviewer, opened: true }];
        let lead_task = [TaskDuty { department: LEAD, role: CoReviewer, opened: true }];
        fn case(tasks: &[TaskDuty], assignee: Option<i32>, draft: bool) -> CaseDuties<'_> {
            CaseDuties { department: LEAD, draft, assignee, tasks }
        }
        // (what I hold, the case, what I see)
        type Row<'a> = (Vec<(i32, Role)>, CaseDuties<'a>, CaseView);
        let table: Vec<Row> = vec![
            // the lead department's handlers
            (vec![(LEAD, WindowClerk)], case(&[], None, false), Full),
            (vec![(LEAD, Approver)], case(&[], Some(COLLEAGUE), false), Full),
            (vec![(LEAD, Reviewer)], case(&[], None, false), Full),
            (vec![(LEAD, Reviewer)], case(&[], Some(ME), false), Full),
            // a case assigned to a colleague: watched, not handled
            (vec![(LEAD, Reviewer)], case(&[], Some(COLLEAGUE), false), Masked),
            (vec![(LEAD, Supervisor)], case(&[], None, false), Masked),
            // a role in the department is no pass: the attack once seen (a co-reviewer of the
            // lead department, no task, saw the full ID number)
            (vec![(LEAD, CoReviewer)], case(&[], None, false), Refused),
            (vec![(LEAD, Admin)], case(&[], None, false), Refused),
            // an editor of the lead department publishes; it handles no case
            (vec![(LEAD, Publisher)], case(&[], None, false), Refused),
            // a co-department: only once its task has reached it
            (vec![(CO, CoReviewer)], case(&reached, None, false), Masked),
            (vec![(CO, CoReviewer)], case(&waiting, None, false), Refused),
            (vec![(CO, WindowClerk)], case(&reached, None, false), Refused),
            (vec![(CO, Supervisor)], case(&reached, None, false), Refused),
            // a review stage: its own stage only
            (vec![(OTHER, Reviewer)], case(&stage, None, false), Masked),
            (vec![(OTHER, Reviewer)], case(&reached, None, false), Refused),
            (vec![(OTHER, Approver)], case(&stage, None, false), Refused),
            // a task in the lead department for a role that handles nothing there
            (vec![(LEAD, CoReviewer)], case(&lead_task, None, false), Masked),
            // several roles: the widest view
            (vec![(CO, CoReviewer), (LEAD, Supervisor)], case(&reached, None, false), Masked),
            (vec![(CO, CoReviewer), (LEAD, WindowClerk)], case(&reached, None, false), Full),
            // other departments, nobody
            (vec![(OTHER, WindowClerk), (OTHER, Approver)], case(&[], None, false), Refused),
            (vec![], case(&[], None, false), Refused),
            // a draft is its applicant's, whoever asks
            (vec![(LEAD, WindowClerk)], case(&[], None, true), Refused),
            (vec![(LEAD, Approver)], case(&reached, None, true), Refused),
        ];
        for (i, (held, c, want)) in table.iter().enumerate() {
            assert_eq!(case_view(ME, held, c), *want, "row {i}: {held:?}");
        }
    }

    #[test]
    fn who_writes_a_review_opinion() {
        let reached = [TaskDuty { department: CO, role: CoReviewer, opened: true }];
        let case = |assignee: Option<i32>| CaseDuties { department: LEAD, draft: false, assignee, tasks: &reached };
        type Row = (Vec<(i32, Role)>, Option<i32>, Option<Role>);
        let table: Vec<Row> = vec![
            (vec![(LEAD, Approver)], Some(COLLEAGUE), Some(Approver)),
            (vec![(LEAD, Reviewer)], None, Some(Reviewer)),
            (vec![(LEAD, Reviewer)], Some(ME), Some(Reviewer)),
            (vec![(LEAD, Reviewer)], Some(COLLEAGUE), None),
            // a co-department answers its task; it writes no free opinion, nor does anyone without a duty
            (vec![(CO, CoReviewer)], None, None),
            (vec![(LEAD, CoReviewer)], None, None),
            (vec![(LEAD, WindowClerk), (LEAD, Supervisor), (LEAD, Admin)], None, None),
        ];
        for (i, (held, assignee, want)) in table.iter().enumerate() {
            assert_eq!(opinion_role(ME, held, &case(*assignee)), *want, "row {i}: {held:?}");
        }
        let draft = CaseDuties { department: LEAD, draft: true, assignee: None, tasks: &[] };
        assert_eq!(opinion_role(ME, &[(LEAD, Approver)], &draft), None);
    }

    #[test]
    fn whose_lists_are_whose() {
        assert!(lists_department_cases(WindowClerk) && lists_department_cases(Supervisor));
        assert!(!lists_department_cases(CoReviewer) && !lists_department_cases(Admin));
    }
}
