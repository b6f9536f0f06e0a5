//! CAN reports written as different people write them (terse, verbose, abbreviated,
//! British, imperative, past tense, wrong), across the three shipped drills and all
//! three roles, each with the grade a fair human grader gives per part. The grades
//! were written by hand before the grader was run against them; the grader must agree
//! part for part.
//!
//! Each drill's world is its commander walkthrough (bots in the other roles); a report
//! is graded as if its writer had sent it at the given moment. The walkthrough
//! timelines the grades rely on:
//! - chat-gateway-saturation: impact from 3m (SEV2), cause found 21m20s, impact over
//!   44m05s (send success back above 99.9% from 42m05s). Query metrics 10m20s-13m20s,
//!   suspend scale-in 14m20s-16m20s, mtr probe 17m20s-21m20s, provisioning logs
//!   22m20s-24m20s, fd limit 25m20s-30m20s, Stratus capacity (the fix) 31m20s-39m20s.
//! - db-replica-lag: impact from 2m (SEV2), cause found 11m30s, impact over 42m15s
//!   (write errors under 2% from 39m15s). Block spammers (Trust & Safety's work)
//!   12m30s-16m30s, snapshot 17m30s-20m30s, max_wal_senders 21m30s-25m30s, rebuild
//!   (the fix) 26m30s-36m30s.
//! - edge-waf-regex: impact from 2m (SEV1 from 3m), cause found 8m40s, impact over
//!   19m40s (5xx under 2% from 17m40s). CPU profile 5m40s-8m40s, recent deploys
//!   9m40s-10m40s, global kill (the fix) 11m40s-15m40s.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::can::graded_fairly;
use super::claims::Tasks;
use super::{BlameCheck, Facts};
use crate::engine::action::{Actor, CanAction, CanReport, Conditions, Role};
use crate::engine::journal::Entry;
use crate::scenario::{self, Duration, IncidentState, Scenario, Severity, builtin};
use crate::{inputs, run};

/// A fair human grader's verdict on one part of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum G {
    /// Every point of the part.
    Full,
    /// Some of its points.
    Part,
    /// None of them.
    Nil,
}
use G::{Full, Nil, Part};
use IncidentState::{Identified, Investigating, Mitigated, Monitoring};
use Role::{Commander as Ic, Comms, Tech};
use Severity::{Sev1, Sev2, Sev3};

const CHAT: &str = "chat-gateway-saturation";
const DB: &str = "db-replica-lag";
const EDGE: &str = "edge-waf-regex";

struct Row {
    drill: &'static str,
    role: Role,
    at: &'static str,
    kind: &'static str,
    state: IncidentState,
    severity: Severity,
    summary: &'static str,
    blast: &'static str,
    actions: &'static [(&'static str, &'static str)],
    needs: &'static [&'static str],
    /// Conditions, actions, needs.
    expect: (G, G, G),
}

#[rustfmt::skip]
const TABLE: &[Row] = &[
    // chat-gateway-saturation
    Row { drill: CHAT, role: Ic, at: "16m30s", kind: "network degradation", state: Investigating, severity: Sev2,
        summary: "Message sends failing and channels timing out since 06:03",
        blast: "users in US East and Europe, some West Coast; ~300 tickets",
        actions: &[("Querying metrics from the ops bastion: retransmits only cross-VPC (done)", "Tech Lead"), ("Scale-in suspended on web-asg", "Tech Lead")],
        needs: &["infra on-call for the network"], expect: (Full, Full, Full) },
    Row { drill: CHAT, role: Ic, at: "16m30s", kind: "net issue", state: Investigating, severity: Sev2,
        summary: "sends failing", blast: "all users",
        actions: &[("investigating", "TL")], needs: &["infra"], expect: (Part, Full, Full) },
    Row { drill: CHAT, role: Ic, at: "12m", kind: "bad deploy", state: Investigating, severity: Sev1,
        summary: "msg-api deploy broke sends", blast: "",
        actions: &[("Rolling back this morning's deploys", "Trent")], needs: &["none"], expect: (Part, Part, Nil) },
    Row { drill: CHAT, role: Tech, at: "19m", kind: "packet loss between VPCs", state: Investigating, severity: Sev2,
        summary: "Sends timing out; packet loss across VPCs", blast: "everyone",
        actions: &[("Investigate cross-VPC network saturation", "Tech Lead"), ("Confirm loss at zero and sends recovered", "Tech Lead")],
        needs: &["infra on-call"], expect: (Full, Full, Full) },
    Row { drill: CHAT, role: Ic, at: "23m", kind: "cloud provider network capacity", state: Identified, severity: Sev2,
        summary: "Stratus transit hub saturated, packet loss between VPCs, sends failing", blast: "all users in all regions",
        actions: &[("Stratus case opened with mtr evidence; capacity increase requested", "IC"), ("Scale-in suspended so the fleet stops shrinking", "Tech Lead"), ("Prioritised provisioning: checking its logs", "Tech Lead")],
        needs: &["Stratus to add hub capacity"], expect: (Full, Full, Full) },
    Row { drill: CHAT, role: Comms, at: "23m30s", kind: "network problem at our cloud provider", state: Identified, severity: Sev2,
        summary: "Cloud provider's network between our VPCs is saturated; messages fail to send",
        blast: "All customers, every region; a few hundred tickets",
        actions: &[("Status page moved to Identified, execs briefed", "Comms Lead"), ("Support macro updated with next-update time", "Comms Lead")],
        needs: &["ETA from the tech lead for the 06:43 update"], expect: (Full, Full, Full) },
    Row { drill: CHAT, role: Comms, at: "17m", kind: "outage", state: Investigating, severity: Sev2,
        summary: "Parley sends failing", blast: "users in US East and Europe, some West Coast; ~300 tickets",
        actions: &[("statuspage + exec update out", "me")], needs: &["none"], expect: (Part, Full, Full) },
    Row { drill: CHAT, role: Tech, at: "27m", kind: "transit gateway saturation", state: Identified, severity: Sev2,
        summary: "Transit hub flat at 3.8 Mpps: packet loss on every cross-VPC path, sends and channel loads time out", blast: "everyone",
        actions: &[("Ran mtr across VPC boundaries: 2% loss on every cross-VPC path", "Tech Lead"), ("Suspended scale-in on web-asg", "Tech Lead"), ("Raising the provisioner fd limit and restarting workers", "Infra on-call")],
        needs: &["Stratus: capacity on the hub"], expect: (Full, Full, Full) },
    Row { drill: CHAT, role: Ic, at: "28m", kind: "network saturation", state: Identified, severity: Sev2,
        summary: "Transit hub saturated; sends failing", blast: "all users",
        actions: &[("Provisioner fd limit raised, workers restarted", "Infra"), ("Stratus adding hub capacity", "Stratus")],
        needs: &["none"], expect: (Full, Part, Nil) },
    Row { drill: CHAT, role: Ic, at: "43m", kind: "network saturation", state: Mitigated, severity: Sev2,
        summary: "Sends recovered after Stratus added hub capacity; success back above 99.9%", blast: "all users",
        actions: &[("Watching send success and hosts in service", "Tech Lead")], needs: &["none"], expect: (Full, Full, Full) },
    Row { drill: CHAT, role: Comms, at: "40m", kind: "network capacity", state: Identified, severity: Sev2,
        summary: "Stratus moved us to a dedicated transit hub; packet loss gone, sends recovering", blast: "all regions, all users",
        actions: &[("Drafting the monitoring update for the status page", "Comms Lead")],
        needs: &["Stratus: written confirmation for the postmortem"], expect: (Full, Full, Full) },
    Row { drill: CHAT, role: Ic, at: "40m30s", kind: "transit hub saturation", state: Identified, severity: Sev2,
        summary: "Stratus added transit hub capacity; packet loss gone, sends recovering", blast: "all users",
        actions: &[("Stratus capacity change done; watching send success", "Tech Lead")], needs: &["none"], expect: (Full, Full, Full) },
    Row { drill: CHAT, role: Tech, at: "20m", kind: "packet loss", state: Investigating, severity: Sev2,
        summary: "message sends degraded", blast: "EU customers only",
        actions: &[("@infra: check the transit hub packet rate", "Infra on-call"), ("mtr across VPCs running", "Tech Lead")],
        needs: &["infra"], expect: (Part, Full, Full) },
    Row { drill: CHAT, role: Ic, at: "14m", kind: "network degradation", state: Investigating, severity: Sev2,
        summary: "sends failing, errors climbing", blast: "all workspaces",
        actions: &[("next: open a Stratus case once we have mtr evidence", "IC"), ("will suspend scale-in if hosts keep dropping", "Tech Lead")],
        needs: &["infra on-call, Stratus support"], expect: (Full, Part, Full) },
    Row { drill: CHAT, role: Tech, at: "33m", kind: "network saturation", state: Identified, severity: Sev2,
        summary: "transit hub at capacity; packet loss cross-VPC", blast: "all users",
        actions: &[("Stratus is moving us to a dedicated hub", "Stratus"), ("Hosts in service back above 1,200 after the fd limit fix", "Infra")],
        needs: &["stratus"], expect: (Full, Full, Full) },
    Row { drill: CHAT, role: Ic, at: "21m50s", kind: "capacity issue at the cloud provider", state: Identified, severity: Sev1,
        summary: "Packet loss on the transit hub; messages failing", blast: "all users across all regions; 2,400 tickets",
        actions: &[("Stratus case open", "IC")], needs: &["Stratus"], expect: (Part, Full, Full) },
    // db-replica-lag
    Row { drill: DB, role: Ic, at: "6m", kind: "db overload", state: Investigating, severity: Sev2,
        summary: "comments + MRs failing, replica lagging", blast: "all users",
        actions: &[("checking db load", "TL")], needs: &["db team", "T&S"], expect: (Full, Full, Full) },
    Row { drill: DB, role: Tech, at: "10m", kind: "bad deploy", state: Investigating, severity: Sev1,
        summary: "site slow after the 20:10 deploy", blast: "some users",
        actions: &[("Rolled back web to v16.4.2", "Tech Lead")], needs: &["none"], expect: (Part, Part, Nil) },
    Row { drill: DB, role: Ic, at: "13m", kind: "database overload from spam", state: Identified, severity: Sev2,
        summary: "Snippet spam plus a hard-delete job overloaded pg-main-1; pg-main-2 replica lost its WAL and stopped replicating; comments and MR writes time out",
        blast: "all forgehub.com users who write: comments and merge requests",
        actions: &[("Blocking the spam accounts and their IP ranges", "Trust & Safety"), ("Pause the DeleteUserWorker queue", "Tech Lead"), ("next: LVM snapshot of pg-main-1, then rebuild pg-main-2", "DB team")],
        needs: &["DB team for the rebuild", "T&S to finish the bans"], expect: (Full, Full, Full) },
    Row { drill: DB, role: Ic, at: "18m", kind: "database", state: Identified, severity: Sev2,
        summary: "spam + hard delete overloaded the primary; replica pg-main-2 broken; comments failing", blast: "users posting comments or opening MRs",
        actions: &[("Spam blocked", "T&S"), ("Taking an LVM snapshot of pg-main-1", "DB team")],
        needs: &["DB team"], expect: (Full, Full, Full) },
    Row { drill: DB, role: Tech, at: "24m", kind: "replication failure", state: Identified, severity: Sev2,
        summary: "replica pg-main-2 fell behind and lost WAL; comments erroring", blast: "comments and MRs for everyone",
        actions: &[("max_wal_senders raised to 32, primary restarted", "DB team"), ("Rebuilding pg-main-2 with pg_basebackup", "DB team")],
        needs: &["db team", "trust & safety"], expect: (Part, Part, Full) },
    Row { drill: DB, role: Comms, at: "20m", kind: "database problem", state: Identified, severity: Sev2,
        summary: "Comments and merge requests failing to save; cause found: spam overload and a broken replica",
        blast: "everyone trying to comment or open an MR; 60-odd tickets",
        actions: &[("Status page updated: Identified", "Comms Lead"), ("Support macro sent", "Comms Lead")],
        needs: &["an ETA for the rebuild"], expect: (Part, Full, Full) },
    Row { drill: DB, role: Ic, at: "40m", kind: "database overload", state: Mitigated, severity: Sev2,
        summary: "Writes recovered: comments and MRs saving again; pg-main-2 replica rebuilt and streaming", blast: "all users",
        actions: &[("Monitoring write errors and replica lag", "DB team")], needs: &["none"], expect: (Full, Full, Full) },
    Row { drill: DB, role: Ic, at: "38m", kind: "database overload", state: Mitigated, severity: Sev2,
        summary: "Replica rebuilt; comments recovering", blast: "all users",
        actions: &[("Watching write errors", "Tech Lead")], needs: &["none"], expect: (Part, Full, Full) },
    Row { drill: DB, role: Tech, at: "15m", kind: "PostgreSQL primary overload", state: Identified, severity: Sev2,
        summary: "Spam and a hard-delete job saturated pg-main-1; pg-main-2 replication broken, WAL recycled; comments and MRs erroring",
        blast: "all users writing comments or merge requests; browsing unaffected",
        actions: &[("Prioritised the bans on the spam accounts", "Trust & Safety"), ("Confirm the hostname before touching pg-main-2", "DB team"), ("Take an LVM snapshot of pg-main-1 first", "DB team")],
        needs: &["database on-call", "trust and safety"], expect: (Full, Full, Full) },
    Row { drill: DB, role: Ic, at: "30m", kind: "database", state: Identified, severity: Sev2,
        summary: "replica being rebuilt", blast: "",
        actions: &[("rebuild of pg-main-2 running", ""), ("snapshot done", "")], needs: &[], expect: (Part, Part, Nil) },
    Row { drill: DB, role: Comms, at: "8m", kind: "site issue", state: Investigating, severity: Sev2,
        summary: "users can't post comments or open MRs; ~30s spinner then error", blast: "20+ tickets in 10 min, comments on issues and MRs",
        actions: &[("Drafting a status page post", "Comms Lead")],
        needs: &["someone to confirm the cause before we post it"], expect: (Part, Full, Full) },
    Row { drill: DB, role: Ic, at: "9m", kind: "database overload", state: Investigating, severity: Sev3,
        summary: "comments and MRs timing out; replica lag 4 GB", blast: "forgehub.com users",
        actions: &[("Tech lead is checking top queries on pg-main-1", "Tech Lead"), ("DB team paged, joining", "IC")],
        needs: &["db team", "abuse team"], expect: (Part, Full, Full) },
    Row { drill: DB, role: Tech, at: "27m30s", kind: "db", state: Identified, severity: Sev2,
        summary: "Spam + DeleteUserWorker hard delete overloaded the primary; replica dead; comments failing", blast: "all users",
        actions: &[("rebuilding the replica from pg-main-1, waiting out the silent checkpoint", "DB team")],
        needs: &["db team"], expect: (Full, Full, Full) },
    // edge-waf-regex
    Row { drill: EDGE, role: Ic, at: "6m", kind: "global outage", state: Investigating, severity: Sev1,
        summary: "edge 502s everywhere, CPU pegged", blast: "every site, worldwide",
        actions: &[("profiling a pegged node", "TL")], needs: &["WAF on-call"], expect: (Full, Full, Full) },
    Row { drill: EDGE, role: Tech, at: "6m30s", kind: "DDoS attack", state: Investigating, severity: Sev1,
        summary: "we're under attack, traffic spike", blast: "big customers",
        actions: &[("Enabled Under Attack mode on all zones", "Tech Lead"), ("Blocking the top 20 ASNs", "Tech Lead")],
        needs: &["security team"], expect: (Part, Part, Nil) },
    Row { drill: EDGE, role: Ic, at: "10m", kind: "bad WAF rule", state: Identified, severity: Sev1,
        summary: "WAF rule 100173 regex pegging CPU on every node -> 502s", blast: "all customers globally + our dashboard/API",
        actions: &[("Reviewing recent deploys to confirm the rules release", "TL"), ("next: global WAF kill via bastion", "TL")],
        needs: &["WAF team on the bastion"], expect: (Full, Full, Full) },
    Row { drill: EDGE, role: Comms, at: "12m", kind: "edge outage", state: Identified, severity: Sev1,
        summary: "A faulty WAF rule is maxing out CPU on our edge; every site returns 502",
        blast: "every customer site in every region, plus dashboard and API; 600+ tickets",
        actions: &[("Status page: Identified, next update 13:58", "Comms Lead"), ("Mass reply to tickets with the status link", "Support via Comms Lead")],
        needs: &["none"], expect: (Full, Full, Full) },
    Row { drill: EDGE, role: Tech, at: "13m", kind: "WAF regex CPU exhaustion", state: Identified, severity: Sev1,
        summary: "rule 100173 regex backtracking; WAF eating all CPU; 502s", blast: "all sites",
        actions: &[("Global kill of the WAF applied", "Tech Lead")], needs: &["WAF on-call to review the rule"], expect: (Full, Part, Full) },
    Row { drill: EDGE, role: Ic, at: "18m", kind: "bad WAF rules deploy", state: Mitigated, severity: Sev1,
        summary: "WAF killed globally, 5xx back to normal, CPU recovered", blast: "all customers",
        actions: &[("Monitoring 5xx and CPU per PoP", "Tech Lead"), ("Revert rule 100173 and re-enable the WAF", "WAF team")],
        needs: &["none"], expect: (Full, Full, Full) },
    Row { drill: EDGE, role: Ic, at: "16m30s", kind: "waf", state: Mitigated, severity: Sev1,
        summary: "WAF off, edge recovering", blast: "everyone",
        actions: &[("Watching 5xx", "TL")], needs: &["none"], expect: (Part, Full, Full) },
    Row { drill: EDGE, role: Tech, at: "4m", kind: "CPU exhaustion on the edge", state: Investigating, severity: Sev1,
        summary: "Edge CPU at 100% on all PoPs, 502s", blast: "all PoPs, all customers",
        actions: &[("Capturing a CPU profile on a pegged node", "Tech Lead")], needs: &["WAF team"], expect: (Full, Part, Full) },
    Row { drill: EDGE, role: Ic, at: "7m", kind: "edge outage, cause unknown", state: Investigating, severity: Sev1,
        summary: "Northwind edge returning 502 on every PoP; HTTP CPU pegged at 100%",
        blast: "All customer sites worldwide, our dashboard and API, and internal tools behind Gate",
        actions: &[("Tech Lead: finish the CPU profile", "Tech Lead"), ("Check whether a deploy or rules push lines up with 13:42", "Tech Lead"), ("Hold off on Under Attack mode", "IC")],
        needs: &["WAF on-call via bastion"], expect: (Full, Full, Full) },
    Row { drill: EDGE, role: Ic, at: "14m", kind: "bad WAF rules deploy", state: Identified, severity: Sev2,
        summary: "WAF rule regex pegging CPU; kill switch going out", blast: "most customer sites",
        actions: &[("Global kill in progress via bastion", "Tech Lead")], needs: &["none"], expect: (Part, Full, Nil) },
    Row { drill: EDGE, role: Comms, at: "22m", kind: "WAF rules deploy", state: Monitoring, severity: Sev1,
        summary: "Sites are back: WAF rules engine switched off, 5xx back to normal", blast: "all customers",
        actions: &[("Status page moved to Monitoring", "Comms Lead"), ("Telling enterprise customers their managed rules are off for now", "Support / Comms Lead")],
        needs: &["an ETA for re-enabling the WAF"], expect: (Full, Full, Full) },
    Row { drill: EDGE, role: Tech, at: "9m", kind: "regex CPU", state: Investigating, severity: Sev1,
        summary: "edge 502s, CPU pegged in the WAF phase", blast: "everyone",
        actions: &[("Profile done: rule 100173 regex is the top frame", "Tech Lead")], needs: &["waf team"], expect: (Full, Full, Full) },
    Row { drill: EDGE, role: Ic, at: "25m", kind: "edge outage", state: Mitigated, severity: Sev1,
        summary: "recovered", blast: "", actions: &[], needs: &[], expect: (Part, Nil, Nil) },
];

/// Each drill's world: its commander walkthrough, played once.
fn worlds() -> BTreeMap<&'static str, (Arc<Scenario>, Vec<Entry>)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
    [CHAT, DB, EDGE]
        .into_iter()
        .map(|id| {
            let scenario = Arc::new(scenario::parse(builtin::source(id).unwrap()).unwrap());
            let path = format!("{root}scenarios/walkthroughs/{id}.commander.ron");
            let file = inputs::parse(&std::fs::read_to_string(path).unwrap(), &scenario).unwrap();
            let journal = run::play(Arc::clone(&scenario), 1, Some(&file))
                .journal()
                .to_vec();
            (id, (scenario, journal))
        })
        .collect()
}

fn verdict(points: u32, max: u32) -> G {
    match points {
        0 => Nil,
        p if p == max => Full,
        _ => Part,
    }
}

/// The report's grade per part: conditions (its first five findings), needs (the
/// one worth 20) and actions (the rest).
fn graded(row: &Row, world: &(Arc<Scenario>, Vec<Entry>)) -> ((G, G, G), String) {
    let (scenario, journal) = world;
    let facts = Facts::new(scenario, journal, Some(row.role));
    let report = CanReport {
        conditions: Conditions {
            kind: row.kind.into(),
            state: Some(row.state),
            severity: Some(row.severity),
            summary: row.summary.into(),
            blast_radius: row.blast.into(),
        },
        actions: row
            .actions
            .iter()
            .map(|&(what, who)| CanAction {
                what: what.into(),
                who: who.into(),
            })
            .collect(),
        needs: row.needs.iter().map(|n| n.to_string()).collect(),
    };
    let at = row.at.parse::<Duration>().unwrap().as_secs();
    let grade = graded_fairly(
        &facts,
        &BlameCheck::new(scenario),
        &Tasks::new(scenario),
        at,
        &Actor::Trainee(row.role),
        &report,
    );
    let f = &grade.findings;
    let sum = |part: &[super::Finding]| {
        (
            part.iter().map(|f| f.points).sum::<u32>(),
            part.iter().map(|f| f.max).sum::<u32>(),
        )
    };
    let (cp, cm) = sum(&f[..5]);
    let needs_at = f.iter().position(|f| f.max == 20).unwrap();
    let (ap, am) = sum(&f[5..needs_at]);
    let (np, nm) = sum(&f[needs_at..=needs_at]);
    let why = f
        .iter()
        .filter(|f| f.lost() > 0)
        .map(|f| format!("  -{} {}", f.lost(), f.text))
        .collect::<Vec<_>>()
        .join("\n");
    ((verdict(cp, cm), verdict(ap, am), verdict(np, nm)), why)
}

#[test]
fn the_grader_agrees_with_a_fair_human_part_for_part() {
    assert!(TABLE.len() >= 40, "{} reports", TABLE.len());
    for role in [Ic, Comms, Tech] {
        for drill in [CHAT, DB, EDGE] {
            assert!(
                TABLE.iter().any(|r| r.role == role && r.drill == drill),
                "no {role:?} report for {drill}"
            );
        }
    }
    let worlds = worlds();
    let mut disagreements = Vec::new();
    for row in TABLE {
        let (got, why) = graded(row, &worlds[row.drill]);
        if got != row.expect {
            disagreements.push(format!(
                "{} {:?} at {} \"{}\": expected {:?}, graded {:?}\n{why}",
                row.drill, row.role, row.at, row.summary, row.expect, got
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} reports graded unlike a person:\n{}",
        disagreements.len(),
        TABLE.len(),
        disagreements.join("\n")
    );
}
