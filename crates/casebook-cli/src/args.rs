//! The command line of SPEC section 8. The help text is written as a user guide:
//! `casebook --help` and `casebook <command> --help` should be enough to get going.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const GUIDE: &str = "\
casebook keeps an evidence-grade record of a dispute with a school or council: every \
incident, call, meeting, absence and letter, dated and written down, in a log that \
cannot be rewritten without it showing.

Start a case, add the people, then log what happens:

  casebook case new --slug sam --child \"Sam Taylor\" \\
      --setting \"Oakfield Primary\" --setting-kind maintained
  casebook person add --name \"Mrs Patel\" --role head-teacher --email head@oakfield.example
  casebook log incident --occurred 2026-03-03T12:40 --summary \"Pushed over in the lunch queue\" \\
      --category physical --child-words \"He said nobody would believe me\"
  casebook log call --occurred 2026-03-04T09:15 --to \"Mrs Patel\" \\
      --summary \"Phoned Mrs Patel about the lunch queue\"
  casebook timeline
  casebook next                  what is due or late, and the next steps, with sources
  casebook letter --list         letters drafted from the case, checked for tone
  casebook verify

Dates can be exact (2026-03-03, 3/3/26, 3 March 2026, \"3 March\", yesterday, \
2026-03-03T14:30) or approximate (\"week of 2026-03-02\", 2026-03, \"spring term 2026\"); \
approximate dates stay approximate.

Nothing is ever overwritten: corrections are new entries (casebook amend), and a \
redaction removes text but keeps the entry's place in the chain (casebook redact).

casebook gives information, not legal advice. For advice, IPSEA, your local SENDIASS, \
Contact, Kidscape, the Anti-Bullying Alliance, Coram Child Law Advice and Citizens \
Advice can help.";

#[derive(Debug, Parser)]
#[command(name = "casebook", version, about = "An evidence-grade case file for families in a dispute with a school or council.", long_about = GUIDE)]
pub struct Cli {
    /// The store file (default: casebook.db in your data folder).
    #[arg(long, global = true, env = "CASEBOOK_STORE", value_name = "PATH")]
    pub store: Option<PathBuf>,

    /// Which case, when the store holds more than one.
    #[arg(
        long = "case",
        global = true,
        env = "CASEBOOK_CASE",
        value_name = "SLUG"
    )]
    pub case_slug: Option<String>,

    /// Print data as JSON, for scripts.
    #[arg(long, global = true)]
    pub json: bool,

    /// Who is writing entries down (shown in the log and the bundle).
    #[arg(
        long,
        global = true,
        env = "CASEBOOK_AUTHOR",
        default_value = "parent or carer"
    )]
    pub author: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a case or list the cases in the store.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Add or list the people in the case.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Write something down: an incident, a call, an email, a meeting, an absence...
    Log(Box<LogArgs>),
    /// Correct an entry. The original stays; the correction points at it.
    Amend(AmendArgs),
    /// Remove an entry's text and files, keeping its place in the chain.
    Redact(RedactArgs),
    /// The case in date order.
    Timeline(TimelineArgs),
    /// Check that nothing in the log was changed, removed or reordered; or that a
    /// bundle or export is exactly as casebook produced and signed it.
    Verify(VerifyArgs),
    /// Proof of when: a trusted timestamp of the log from an independent authority
    /// (RFC 3161). Only the hash of the newest entry leaves this computer.
    #[command(after_help = "\
Examples:
  casebook timestamp --authority http://timestamp.digicert.com
  casebook timestamp --authority http://tsa.example.org --trust tsa-root.pem --daily on
  casebook timestamp --request-out case.tsq     (then send case.tsq to the authority)
  casebook timestamp add case.tsr")]
    Timestamp(TimestampArgs),
    /// The chronology and evidence bundle, as PDF or HTML, signed with the case's key.
    Bundle(Box<BundleArgs>),
    /// Write the case to a file: jsonl (a complete, verifiable copy), csv (a chronology for a spreadsheet) or ics (reply dates for a calendar).
    Export(ExportArgs),
    /// Bring in a case from a casebook JSON Lines export, term dates from an .ics file,
    /// or the case's emails from your mailbox (mbox, Maildir, .eml).
    #[command(after_help = "\
Examples:
  casebook import alex.jsonl
  casebook import term-dates.ics
  casebook import ~/Takeout/Mail/All\\ mail\\ Including\\ Spam\\ and\\ Trash.mbox --me jo@example.org --dry-run
  casebook import ~/Maildir --me jo@example.org --domain millbrook.example --from 2026-09-01")]
    Import(ImportArgs),
    /// When something is due: a date computed from the rules, with how it was counted and its source.
    Deadline(DeadlineArgs),
    /// Record a request you sent (a subject access request, a request for an assessment)
    /// with its due date from the rules; a reply logged with --answers closes it.
    Request(RequestArgs),
    /// Time out of school counted as the school counts it: sessions possible and
    /// missed, the attendance percentage with its working, and the hours lost each week.
    #[command(after_help = "\
Examples:
  casebook case school-day --morning 08:45-12:00 --afternoon 13:00-15:15
  casebook attendance                                   # this school year to today
  casebook attendance --from 2026-09-01 --to 2026-12-18")]
    Attendance(AttendanceArgs),
    /// What to do now: what is due, what is late, what to confirm in writing, and the
    /// next steps open for this case.
    Next,
    /// Decisions found in your mail and letters (a refusal to assess, a draft or final
    /// plan, proposed amendments, a suspension, a complaint outcome, a penalty notice, a
    /// meeting invitation), each with the sentence that says it and the dates it starts.
    /// Nothing is logged until you accept it.
    #[command(after_help = "\
Examples:
  casebook recognise                      (what was found, in the whole log)
  casebook recognise accept e12           (log it: the decision, its clock, the request it answers)
  casebook recognise dismiss e12 meeting-invitation")]
    Recognise(RecogniseArgs),
    /// Draft a letter from the case: calm, factual, with a date for the reply.
    Letter(LetterArgs),
    /// Check the minutes the school sent against the points you raised.
    #[command(subcommand)]
    Minutes(MinutesCommand),
    /// Check an EHC plan (PDF, Word or text) the way advisers do: vague or unquantified
    /// provision, needs without provision, outcomes that cannot be measured, advice left
    /// out or watered down, provision in the wrong section, and Section I.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Check any text for tone before you send it (judgements, insults, shouting,
    /// threats, other children's names). It never stops you sending.
    Tone(ToneArgs),
    /// Add an invented demonstration case to the store, to try casebook out.
    Demo(DemoArgs),
    /// The web app on this computer: open the address it prints in your browser. It
    /// answers only on 127.0.0.1, so nobody else on the network can reach it. With
    /// --org, the server for an organisation: accounts, roles per case, sharing.
    #[command(after_help = "\
Examples:
  casebook --store demo.db serve --demo
  casebook serve --addr 127.0.0.1:8080
  casebook --store /srv/casebook/org.db serve --org --addr 0.0.0.0:8080 --host cases.example.org --https

On an organisation's server, create the first account and give it its cases with
`casebook account add` and `casebook account grant`; everyone else joins by an
invitation link from a case's owner.")]
    Serve(ServeArgs),
    /// Accounts on an organisation's server (`casebook serve --org`).
    #[command(subcommand)]
    Account(AccountCommand),
    /// Move a case, or every case, to another store: a family's file to an
    /// organisation's PostgreSQL, or back. The log moves whole or not at all, and is
    /// verified where it lands and compared with the original.
    #[command(after_help = "\
Examples:
  casebook --store alex.db migrate --to postgres://casebook@db.example.org/cases
  casebook --store postgres://casebook@db.example.org/cases --case alex migrate --to alex.db
  casebook --store old.db migrate --to postgres://casebook@localhost/cases --all")]
    Migrate(MigrateArgs),
    /// A copy of every case in the store, safe to take while casebook is running: itself
    /// a store (the file and its .attachments folder), encrypted as this one is, each
    /// case verified in it.
    #[command(after_help = "\
Examples:
  casebook --store alex.db backup --out /media/usb/alex-2026-12-03.db
  casebook --store restored.db restore /media/usb/alex-2026-12-03.db")]
    Backup(BackupArgs),
    /// Makes a new store (--store) from a backup, and verifies every case's log and
    /// attached files there.
    Restore(RestoreArgs),
    /// For packagers: writes the manual page and the shell completions, from this help.
    #[command(hide = true)]
    PackageFiles(PackageFilesArgs),
}

#[derive(Debug, Args)]
pub struct RecogniseArgs {
    #[command(subcommand)]
    pub action: Option<RecogniseAction>,
}

#[derive(Debug, Subcommand)]
pub enum RecogniseAction {
    /// Log what was found in a message, linked to it: it starts its clock and closes
    /// the request it answers.
    Accept(SuggestionArgs),
    /// Record that what was found in a message is not what it seemed.
    Dismiss(SuggestionArgs),
}

#[derive(Debug, Args)]
pub struct SuggestionArgs {
    /// The message it was found in, e.g. e12.
    pub entry: String,
    /// Which of its suggestions, when it has more than one (e.g. meeting-invitation).
    pub kind: Option<String>,
}

#[derive(Debug, Args)]
pub struct PackageFilesArgs {
    /// The folder to write casebook.1 and the completions for bash, zsh and fish into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write; its attachments go in FILE.attachments beside it.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file, with its .attachments folder beside it.
    pub backup: PathBuf,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The store to move to: a file path, or postgres://USER@HOST:PORT/DATABASE. A new
    /// file is created (encrypted when CASEBOOK_PASSPHRASE is set).
    #[arg(long)]
    pub to: PathBuf,
    /// Every case in the store, not only the one --case names.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Open an account. The password comes from CASEBOOK_PASSWORD, or is asked for.
    Add(AccountAddArgs),
    /// Give an account a role on a case: owner, editor or viewer.
    Grant(GrantArgs),
}

#[derive(Debug, Args)]
pub struct AccountAddArgs {
    /// The email address they sign in with.
    #[arg(long)]
    pub email: String,
    /// Their name, as the families they work with know them.
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct GrantArgs {
    #[arg(long)]
    pub email: String,
    /// The case, by its slug.
    #[arg(long = "to-case")]
    pub to_case: String,
    /// owner (everything, including sharing), editor (read, add, correct) or viewer (read and export).
    #[arg(long, default_value = "owner")]
    pub role: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LetterFormat {
    /// Plain text, to paste into an email or print.
    Txt,
    /// An email file your mail program opens, ready to send.
    Eml,
    /// A Word document, to edit, print or attach.
    Docx,
    /// A PDF, to print or attach as it is.
    Pdf,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  casebook letter --list
  casebook letter confirm-in-writing --about e5 --to \"Mrs Carter\" --format txt
  casebook letter report-bullying --to \"Mrs Carter\" --format eml --from-email me@example.org --out report.eml
  casebook letter confirm-in-writing --about e5 --to \"Mrs Carter\" --format txt --sent 2026-11-23

Templates are text files. To change the wording, copy one from letters/england/ into a
folder of your own, edit it, and give that folder with --templates (or CASEBOOK_TEMPLATES).")]
pub struct LetterArgs {
    /// The letter, e.g. confirm-in-writing (see --list).
    pub template: Option<String>,
    /// List the letters, with when to use each.
    #[arg(long, conflicts_with = "template")]
    pub list: bool,
    #[arg(long, value_enum, default_value = "txt")]
    pub format: LetterFormat,
    /// Write to this file instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Who the letter goes to; the first is the one it is addressed to ("Dear ..."),
    /// repeat for more.
    #[arg(long)]
    pub to: Vec<String>,
    /// Someone copied in (repeat for more): named under the letter, and on the email's
    /// Cc line.
    #[arg(long)]
    pub cc: Vec<String>,
    /// The entry the letter is about (a call to confirm, a request to chase).
    #[arg(long, value_name = "ID")]
    pub about: Vec<String>,
    /// A date you can meet (repeat for more), or "next-week" for next week's school days.
    #[arg(long, value_name = "DATE")]
    pub propose: Vec<String>,
    /// An entry whose document goes with the letter (repeat for more): named and dated
    /// under the letter, attached to the email.
    #[arg(long, value_name = "ID")]
    pub enclose: Vec<String>,
    /// A date the reply is needed before (an exam, a hearing): the reply date moves to
    /// the working day before it if it would fall later, and the letter says why.
    #[arg(long, value_name = "DATE")]
    pub before: Option<String>,
    /// What happens on the --before date, as the letter says it ("the maths exam").
    #[arg(
        long,
        value_name = "TEXT",
        requires = "before",
        default_value = "the date it is needed"
    )]
    pub before_what: String,
    /// Your own templates folder; a file there replaces the built-in one of the same name.
    #[arg(long, env = "CASEBOOK_TEMPLATES", value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Your email address, for .eml letters.
    #[arg(long, env = "CASEBOOK_EMAIL")]
    pub from_email: Option<String>,
    /// Record that you sent it on this date: the letter joins the log, and any reply
    /// date becomes a request.
    #[arg(long, value_name = "DATE")]
    pub sent: Option<String>,
    /// mediation-adviser: you want mediation (without it, you ask for the certificate).
    #[arg(long)]
    pub mediation: bool,
}

#[derive(Debug, Subcommand)]
pub enum MinutesCommand {
    /// Each point you raised at the meeting (logged with --point), looked for in the
    /// minutes: found, "check wording" with the sentence it matched, or missing; then a
    /// drafted request to correct the minutes.
    Check(MinutesArgs),
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Each finding with the words it is about, why it matters and its source.
    #[command(after_help = "\
Examples:
  casebook plan check draft-plan.pdf
  casebook plan check plan.docx --final")]
    Check(PlanCheckArgs),
    /// What an amended plan takes away: each item of the old plan found in the new one,
    /// and what was removed, weakened (less time, a professional gone, vague words
    /// added), changed in an outcome, reworded or added; typo and date fixes kept apart.
    #[command(after_help = "\
Example:
  casebook plan compare plan-2026.pdf proposed-amendments.docx --served 2026-12-07")]
    Compare(PlanCompareArgs),
    /// The working document the SEND Tribunal asks for, as a Word table: each item the
    /// check questions, the council's wording, your wording (deletions struck through,
    /// additions in bold, gaps in brackets for you to fill), the reason and the evidence.
    #[command(after_help = "\
Example:
  casebook plan working-document final-plan.pdf --out working-document.docx")]
    WorkingDocument(PlanWorkingArgs),
}

#[derive(Debug, Args)]
pub struct PlanWorkingArgs {
    /// The plan under appeal: a PDF, a Word document (.docx) or a text file.
    pub file: PathBuf,
    /// Where to write the Word document.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct PlanCompareArgs {
    /// The plan as it stands.
    pub old: PathBuf,
    /// The plan with the proposed amendments.
    pub new: PathBuf,
    /// The day the proposed amendments were served (YYYY-MM-DD): starts the clock for
    /// your comments.
    #[arg(long, value_name = "DATE")]
    pub served: Option<String>,
}

#[derive(Debug, Args)]
pub struct PlanCheckArgs {
    /// The plan: a PDF, a Word document (.docx) or a text file.
    pub file: PathBuf,
    /// It is a draft (Section I should be blank). Without this or --final, the plan's
    /// front page decides: "draft" there makes it a draft.
    #[arg(long, conflicts_with = "final_plan")]
    pub draft: bool,
    /// It is the final plan (Section I should name the school or type of school).
    #[arg(long = "final")]
    pub final_plan: bool,
    /// Also write the report as a web page to this file, for an adviser or to print.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MinutesArgs {
    /// The meeting, e.g. e12.
    #[arg(long, value_name = "ID")]
    pub meeting: String,
    /// The minutes: a text file or a Word document (.docx).
    #[arg(long, value_name = "FILE")]
    pub minutes: PathBuf,
    /// Who the request to correct them goes to (default: the school's person at the meeting).
    #[arg(long)]
    pub to: Option<String>,
    /// Write the drafted request to this file.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ToneArgs {
    /// The text file to check (or standard input).
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Example:
  casebook request subject-access --sent 2026-03-06 --to \"Mrs Carter\"
  casebook log email --occurred 2026-04-02 --summary \"Records received\" --direction received --answers e12")]
pub struct RequestArgs {
    /// The rule that sets the reply date (see casebook deadline --list).
    pub rule: String,
    /// When you sent it (or when they received it, if you know).
    #[arg(long, value_name = "DATE")]
    pub sent: String,
    /// Who it went to.
    #[arg(long)]
    pub to: String,
    /// What you asked for (default: the rule's own description).
    #[arg(long)]
    pub summary: Option<String>,
    /// Sent by first-class post (where the rule counts from delivery).
    #[arg(long)]
    pub posted: bool,
    /// The school's own limit where its policy sets it, e.g. "15 school-days".
    #[arg(long, value_name = "N UNIT")]
    pub limit: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  casebook deadline --list
  casebook deadline ehc-assessment-decision --from 2026-03-02
  casebook deadline tribunal-appeal --from 2026-06-10 --certificate 2026-07-20
  casebook deadline complaint-stage-1-response --from 2026-10-27 --limit \"15 school-days\"
  casebook deadline exclusion-review-panel-application --from 2026-03-05 --posted

School days are counted from the case's term dates (casebook import TERMS.ics), or from
--terms FILE; without them a typical school year is assumed and the date is marked as
an estimate.")]
pub struct DeadlineArgs {
    /// The rule, e.g. subject-access (see --list).
    pub rule: Option<String>,
    /// List the rules of the pack with their sources.
    #[arg(long, conflicts_with = "rule")]
    pub list: bool,
    /// The date of the event that starts the clock.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// For a tribunal appeal: the date of the mediation certificate.
    #[arg(long, value_name = "DATE")]
    pub certificate: Option<String>,
    /// The notice that starts the clock was sent by first-class post on --from.
    #[arg(long)]
    pub posted: bool,
    /// The school's own limit where its policy sets it, e.g. "15 school-days".
    #[arg(long, value_name = "N UNIT")]
    pub limit: Option<String>,
    /// Term dates to count school days with (.ics or casebook's TOML form).
    #[arg(long, value_name = "FILE")]
    pub terms: Option<PathBuf>,
    /// The rule pack, when not the case's own (england, us-idea).
    #[arg(long)]
    pub jurisdiction: Option<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The demonstration case's name in the store.
    #[arg(long, default_value = "demo")]
    pub slug: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on. Without --org it must be on 127.0.0.1.
    #[arg(long)]
    pub addr: Option<std::net::SocketAddr>,
    /// The port on 127.0.0.1 to listen on (the same as --addr 127.0.0.1:PORT).
    #[arg(long, conflicts_with = "addr")]
    pub port: Option<u16>,
    /// Open on the demonstration case, adding it to the store first if it is not there.
    #[arg(long)]
    pub demo: bool,
    /// An organisation's server: accounts, sessions, roles per case, invitations, an
    /// access log. Several servers over one store behave as one service.
    #[arg(long)]
    pub org: bool,
    /// With --org: a host name the server is reached by (repeat for several). Requests
    /// naming any other host are refused.
    #[arg(long = "host", requires = "org")]
    pub hosts: Vec<String>,
    /// With --org: the server is reached over HTTPS (through a proxy that holds the
    /// certificate), so cookies are marked Secure.
    #[arg(long, requires = "org")]
    pub https: bool,
    /// With --org: the address of a reverse proxy in front of casebook (repeat for
    /// several). Only a request from one of these is believed about where it came from
    /// (X-Forwarded-For), for counting failed sign-ins per address.
    #[arg(long = "proxy", requires = "org")]
    pub proxies: Vec<std::net::IpAddr>,
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Start a new case: one child, one school or setting.
    ///
    /// The first case creates the store. If CASEBOOK_PASSPHRASE is set, or you type a
    /// passphrase when asked, the whole store is encrypted with it. Without one the
    /// store is readable by anyone who can read the file.
    New(Box<NewCaseArgs>),
    /// The cases in the store.
    List,
    /// The name and address your letters are signed with, kept with the case.
    Family(FamilyArgs),
    /// The school day's sessions, from the school's own timetable, so time out of
    /// school is counted in hours as well as sessions.
    SchoolDay(SchoolDayArgs),
    /// The child has moved school: from the day given, what to do now and the letters
    /// follow the new school, and the bundle names each school with its dates.
    Move(MoveArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "\
Example:
  casebook case move --setting \"Riverside Academy\" --setting-kind academy --on 2026-11-02")]
pub struct MoveArgs {
    /// The new school's name.
    #[arg(long)]
    pub setting: String,
    /// maintained, academy, independent, special or alternative-provision.
    #[arg(long, value_name = "KIND")]
    pub setting_kind: String,
    /// Who runs it, when not the usual for its kind.
    #[arg(long)]
    pub governance: Option<String>,
    /// The child's first day at the new school.
    #[arg(long, value_name = "DATE")]
    pub on: String,
}

#[derive(Debug, Args)]
pub struct SchoolDayArgs {
    /// The morning session, from registration to its end ("08:45-12:00").
    #[arg(long)]
    pub morning: String,
    /// The afternoon session, from registration to the end of the day ("13:00-15:15").
    #[arg(long)]
    pub afternoon: String,
}

#[derive(Debug, Args)]
pub struct AttendanceArgs {
    /// The first day counted (default: the first day of this school year's first term,
    /// else 1 September).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// The last day counted (default: today).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct FamilyArgs {
    /// Your name, as your letters are signed.
    #[arg(long)]
    pub name: String,
    /// Your address, its lines separated by commas ("12 Acacia Road, Millbrook, MB1 2CD").
    #[arg(long, default_value = "")]
    pub address: String,
}

#[derive(Debug, Args)]
pub struct NewCaseArgs {
    /// A short name for the case, used with --case: lower-case letters, digits, hyphens.
    #[arg(long)]
    pub slug: String,
    /// The child's name (it stays in your store; exports can leave it out).
    #[arg(long)]
    pub child: String,
    /// The school or setting's name.
    #[arg(long)]
    pub setting: String,
    /// What kind of school it is: it decides who hears complaints.
    /// maintained, academy, independent, special or alternative-provision.
    #[arg(long, value_name = "KIND")]
    pub setting_kind: String,
    /// Who governs it, when not the usual for its kind (governing-board, trust, proprietor,
    /// interim-executive-board, or neither when the council answers for the school).
    #[arg(long)]
    pub governance: Option<String>,
    /// The local authority (council).
    #[arg(long)]
    pub authority: Option<String>,
    #[arg(long, default_value = "england")]
    pub jurisdiction: String,
    /// The child's year group, e.g. "Year 5".
    #[arg(long)]
    pub year_group: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub date_of_birth: Option<String>,
    /// A need, in your words (repeat for more).
    #[arg(long = "need")]
    pub needs: Vec<String>,
    /// A diagnosis, or "awaiting assessment" (repeat for more).
    #[arg(long = "diagnosis")]
    pub diagnoses: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add someone. Another child (--role other-child) is given a pseudonym such as
    /// "Child A", which every export shows instead of the name.
    Add(PersonArgs),
    /// Everyone in the case, with their ids.
    List,
}

#[derive(Debug, Args)]
pub struct PersonArgs {
    #[arg(long)]
    pub name: String,
    /// class-teacher, form-tutor, head-of-year, senco, deputy-head, head-teacher, pastoral-lead,
    /// chair-of-governors, trust, interim-executive-board, la-sen-officer, mediation-adviser,
    /// mediator, la-education-officer, education-welfare-officer, sendiass, ofsted, ombudsman,
    /// mp, gp, camhs, educational-psychologist, speech-and-language-therapist,
    /// occupational-therapist, consultant, child, other-child, witness, family-member or other.
    #[arg(long)]
    pub role: String,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub organisation: Option<String>,
}

/// People are named by id (p3), name, pseudonym or email address. Entries by id (e12).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  casebook log incident --occurred 2026-03-03T12:40 --summary \"Pushed over in the lunch queue\" \\
      --place \"lunch hall\" --category physical --involved \"Child A\" --witness \"Mr Jones\" \\
      --child-words \"He said nobody would believe me\" --reported-to \"Mrs Patel\" --reported-on 2026-03-03
  casebook log call --occurred 2026-03-04T09:15 --summary \"Mrs Patel said they are monitoring it\" --to \"Mrs Patel\"
  casebook log email --occurred 2026-03-04 --summary \"Confirmed the call in writing\" --to \"Mrs Patel\" --confirms e2
  casebook log meeting --occurred 2026-03-10T15:30 --summary \"Meeting with the SENCO\" \\
      --attendee \"Mrs Patel:school\" --point \"Sam is scared of the lunch queue\" \\
      --action \"Send a support plan; Mrs Patel; 2026-03-17\"
  casebook log absence --occurred 2026-03-11 --until 2026-03-13 --reason mental-health --sessions 6 \\
      --summary \"Too anxious to go in\" --evidence \"GP letter\" --attach gp-letter.pdf
  casebook log observation --occurred 2026-03-11 --summary \"Could not sleep, crying\" --sign sleep --sign distress
  casebook log request --occurred 2026-03-12 --summary \"Asked for the anti-bullying policy\" --to \"Mrs Patel\" --due 2026-03-26
  casebook log decision --occurred 2026-04-01 --summary \"Stage 1 complaint not upheld\" --by school --outcome not-upheld")]
pub struct LogArgs {
    /// incident, call, email, letter, text, in-person, portal, meeting, absence,
    /// observation, document, request, decision or note.
    pub kind: String,
    /// When it happened: 2026-03-03, 3/3/26, "3 March", yesterday, "yesterday 15:40",
    /// 2026-03-03T14:30, "week of 2026-03-02", 2026-03, "spring term 2026".
    #[arg(long, value_name = "DATE")]
    pub occurred: String,
    /// One line saying what happened, factually.
    #[arg(long)]
    pub summary: String,
    /// More detail (line breaks allowed).
    #[arg(long, conflicts_with = "details_file")]
    pub details: Option<String>,
    /// Read the details from a text file.
    #[arg(long, value_name = "FILE")]
    pub details_file: Option<PathBuf>,
    /// Where your knowledge of this came from ("my notes at the time", "Sam told me").
    #[arg(long = "source")]
    pub sources: Vec<String>,
    /// Attach a file: a photo, a letter, a screenshot (repeat for more).
    #[arg(long = "attach", value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Another entry this one is about.
    #[arg(long, value_name = "ID")]
    pub about: Vec<String>,

    // Incident.
    /// Where it happened.
    #[arg(long, help_heading = "Incident")]
    pub place: Option<String>,
    /// physical, verbal, relational, cyber, property, sexual, prejudice-based or intimidation.
    #[arg(long = "category", help_heading = "Incident")]
    pub categories: Vec<String>,
    /// For prejudice-based bullying: the prejudice (race, religion, disability...).
    #[arg(long, help_heading = "Incident")]
    pub prejudice: Option<String>,
    /// Who was involved (repeat for more).
    #[arg(long, help_heading = "Incident")]
    pub involved: Vec<String>,
    /// Who saw it (repeat for more).
    #[arg(long = "witness", help_heading = "Incident")]
    pub witnesses: Vec<String>,
    /// Any injury or harm.
    #[arg(long, help_heading = "Incident")]
    pub harm: Option<String>,
    /// What the child said, in their own words.
    #[arg(long, help_heading = "Incident and observation")]
    pub child_words: Option<String>,
    /// Who it was reported to.
    #[arg(long, help_heading = "Incident")]
    pub reported_to: Option<String>,
    /// When it was reported.
    #[arg(long, value_name = "DATE", help_heading = "Incident")]
    pub reported_on: Option<String>,
    /// What the school said or did.
    #[arg(long, help_heading = "Incident")]
    pub school_response: Option<String>,
    /// The word the school used for it ("niggle", "friendship issue").
    #[arg(long, help_heading = "Incident")]
    pub school_word: Option<String>,

    // Calls, emails, letters, texts, conversations, portal messages.
    /// sent (by the family) or received.
    #[arg(long, help_heading = "Communication")]
    pub direction: Option<String>,
    #[arg(long, help_heading = "Communication")]
    pub from: Option<String>,
    /// Who it went to, or who you spoke to (repeat for more).
    #[arg(long, help_heading = "Communication and request")]
    pub to: Vec<String>,
    #[arg(long, help_heading = "Communication")]
    pub cc: Vec<String>,
    #[arg(long, help_heading = "Communication")]
    pub subject: Option<String>,
    /// The call or meeting this message confirms in writing.
    #[arg(long, value_name = "ID", help_heading = "Communication")]
    pub confirms: Option<String>,
    /// The request this message answers.
    #[arg(long, value_name = "ID", help_heading = "Communication")]
    pub answers: Option<String>,
    /// The message this one replies to.
    #[arg(long, value_name = "ID", help_heading = "Communication")]
    pub replies_to: Option<String>,

    // Meeting.
    /// Someone there, as NAME or NAME:SIDE (family, school, local-authority, independent).
    #[arg(long = "attendee", help_heading = "Meeting")]
    pub attendees: Vec<String>,
    #[arg(long, help_heading = "Meeting")]
    pub purpose: Option<String>,
    /// A point the family raised (repeat for each): the minutes check looks for these.
    #[arg(long = "point", help_heading = "Meeting")]
    pub points: Vec<String>,
    /// An action agreed, as "WHAT; WHO; BY DATE" (who and date optional).
    #[arg(long = "action", help_heading = "Meeting")]
    pub actions: Vec<String>,
    /// A meeting you asked for that has not happened yet.
    #[arg(long, help_heading = "Meeting")]
    pub requested: bool,

    // Absence.
    /// illness, mental-health, bullying-related, appointment, suspension, exclusion,
    /// sent-home, part-time-timetable, awaiting-healthcare-plan, awaiting-risk-assessment,
    /// awaiting-transport, awaiting-place or other.
    #[arg(long, help_heading = "Absence")]
    pub reason: Option<String>,
    /// The last day of the absence.
    #[arg(long, value_name = "DATE", help_heading = "Absence")]
    pub until: Option<String>,
    /// Still away: the absence runs on to today.
    #[arg(long, help_heading = "Absence")]
    pub ongoing: bool,
    /// Half-day sessions missed.
    #[arg(long, help_heading = "Absence")]
    pub sessions: Option<String>,
    /// Whether the school authorised it.
    /// yes or no.
    #[arg(long, help_heading = "Absence")]
    pub authorised: Option<String>,
    /// The evidence you have (a GP letter, a clinic appointment card).
    #[arg(long, help_heading = "Absence")]
    pub evidence: Option<String>,
    /// Sent home: when you collected your child, as 10:05 (the entry's time is the
    /// school's call). The time lost counts from it.
    #[arg(long, value_name = "TIME", help_heading = "Absence")]
    pub collected: Option<String>,
    /// Who asked for your child to go home or stay home, or agreed a part-time timetable.
    #[arg(long, value_name = "PERSON", help_heading = "Absence")]
    pub asked_by: Option<String>,
    /// The reason the school gave, in its words.
    #[arg(long, help_heading = "Absence")]
    pub reason_given: Option<String>,
    /// Whether a letter of suspension followed: yes or no.
    #[arg(long, help_heading = "Absence")]
    pub formal_letter: Option<String>,
    /// A part-time timetable: the date it was agreed to be reviewed.
    #[arg(long, value_name = "DATE", help_heading = "Absence")]
    pub review: Option<String>,

    // Observation.
    /// distress, refusal, sleep, meltdown, appetite, physical-symptoms, withdrawal, said or other.
    #[arg(long = "sign", help_heading = "Observation")]
    pub signs: Vec<String>,

    // Document.
    /// e.g. policy:anti-bullying, policy:sen-information-report, report:educational-psychologist,
    /// plan:ehc-draft, minutes, school-report, decision-letter, notice:attendance-warning,
    /// notice:penalty, other.
    #[arg(long, help_heading = "Document")]
    pub document_type: Option<String>,
    #[arg(long, help_heading = "Document")]
    pub title: Option<String>,
    #[arg(long, help_heading = "Document")]
    pub issued_by: Option<String>,
    /// The meeting these are the minutes of.
    #[arg(long, value_name = "ID", help_heading = "Document")]
    pub minutes_of: Option<String>,

    // Request.
    /// The rule that sets the deadline (see the rule pack).
    #[arg(long, help_heading = "Request")]
    pub rule: Option<String>,
    /// When the reply is due.
    #[arg(long, value_name = "DATE", help_heading = "Request")]
    pub due: Option<String>,

    // Decision.
    /// school, governors, trust, council, panel, mediator, tribunal, ombudsman or other.
    #[arg(long, help_heading = "Decision")]
    pub by: Option<String>,
    /// resolved, partly-resolved, resolved-on-conditions, not-resolved, upheld,
    /// partly-upheld, not-upheld, agreed, refused or other.
    #[arg(long, help_heading = "Decision")]
    pub outcome: Option<String>,
}

#[derive(Debug, Args)]
pub struct AmendArgs {
    /// The entry to correct, e.g. e12.
    pub id: String,
    /// What the entry should say.
    #[arg(long)]
    pub summary: String,
    /// Why it is being corrected.
    #[arg(long)]
    pub reason: String,
    /// The corrected date, when the date was wrong.
    #[arg(long, value_name = "DATE")]
    pub occurred: Option<String>,
    /// The corrected details, when they were wrong.
    #[arg(long)]
    pub details: Option<String>,
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// The entry whose text and files to remove, e.g. e12.
    pub id: String,
    /// Why (kept in the log).
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Also list the amendment and redaction entries themselves.
    #[arg(long)]
    pub all: bool,
}

/// Which entries: shared by the timeline and the bundle.
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// Only these kinds of entry (incident, communication, meeting, absence, observation,
    /// document, request, decision, note; repeat for more). A channel's name (call,
    /// email, letter) stands for --channel.
    #[arg(long = "kind")]
    pub kinds: Vec<String>,
    /// Only messages and conversations by these channels (call, email, letter, text,
    /// in-person, portal; repeat for more).
    #[arg(long = "channel")]
    pub channels: Vec<String>,
    /// From this date.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Up to this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only entries naming this person.
    #[arg(long)]
    pub person: Option<String>,
    /// Only incidents in this category.
    #[arg(long)]
    pub category: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BundleFormat {
    /// Paginated, with an index, bookmarks and the exhibits' pages: for printing and
    /// for a tribunal.
    Pdf,
    /// One file that opens in any browser.
    Html,
}

#[derive(Debug, Args)]
pub struct BundleArgs {
    #[arg(long, value_enum)]
    pub format: BundleFormat,
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Only these entries, by number (e3,e7,e12).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub entries: Vec<String>,
    /// Only the entries of a selection saved earlier with --save-selection.
    #[arg(long, value_name = "NAME")]
    pub selection: Option<String>,
    /// Save the entries of this bundle under a name, to bundle them again later.
    #[arg(long, value_name = "NAME")]
    pub save_selection: Option<String>,
    /// Only these parts, in the usual order: chronology, disputed (facts in dispute),
    /// charts, correspondence, incidents, meetings, absences, reports, policies, notes,
    /// exhibits.
    #[arg(long, value_name = "PARTS", value_delimiter = ',')]
    pub sections: Vec<String>,
    /// What the bundle is for, printed on its cover ("Stage 2 complaint to the governing board").
    #[arg(long, value_name = "TEXT")]
    pub purpose: Option<String>,
    /// Show other children's real names instead of their pseudonyms.
    #[arg(long)]
    pub real_names: bool,
    /// List an attachment that cannot be read (a PDF with a password, a damaged
    /// file) without its content, instead of refusing to make the bundle.
    #[arg(long)]
    pub skip_unreadable: bool,
    /// Warn when the PDF is longer than a tribunal allows for this kind of appeal:
    /// refusal-to-assess, refusal-to-issue, sections-b-f, section-i, cease-to-maintain.
    #[arg(long, value_name = "APPEAL")]
    pub page_limit: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A bundle (PDF or HTML) or JSON Lines export to check instead of the store.
    pub file: Option<PathBuf>,
    /// The certificates (PEM) of the time-stamping authorities to trust when checking
    /// the log's timestamps; by default the case's own list, else the system's.
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TimestampArgs {
    #[command(subcommand)]
    pub command: Option<TimestampCommand>,
    /// The time-stamping authority's address (http://...), remembered for the case.
    #[arg(long, value_name = "URL")]
    pub authority: Option<String>,
    /// The certificates (PEM) of the authorities to trust, remembered for the case;
    /// by default the system's list.
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,
    /// Whether `casebook serve` timestamps the case once a day when something new has
    /// been written.
    #[arg(long, value_name = "ON|OFF", value_parser = ["on", "off"])]
    pub daily: Option<String>,
    /// Write the request to FILE (.tsq) instead of asking the authority; bring its
    /// answer back with `casebook timestamp add`.
    #[arg(long, value_name = "FILE")]
    pub request_out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TimestampCommand {
    /// Keep an authority's answer (.tsr) to a request written with --request-out.
    Add {
        /// The answer (.tsr) or the token itself.
        file: PathBuf,
        /// The certificates (PEM) of the authorities to trust; by default the case's own
        /// list, else the system's.
        #[arg(long, value_name = "FILE")]
        trust: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// Everything, losslessly, re-importable and verifiable.
    Jsonl,
    /// The chronology, for a spreadsheet.
    Csv,
    /// Reply dates of your requests, for your phone's calendar (re-import to update).
    Ics,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to this file instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// csv: show other children's real names instead of their pseudonyms.
    #[arg(long)]
    pub real_names: bool,
    /// jsonl: list other children under their pseudonyms. The entries' own words are
    /// carried as written, because their hashes cover them: a jsonl export is a copy of
    /// the record to keep or move, not one to send (send the bundle or the csv).
    #[arg(long)]
    pub pseudonymise: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Casebook JSON Lines exports, a setting's term dates (.ics) for the case, or the
    /// family's mail: mbox files (Gmail Takeout, Thunderbird), Maildir folders, .eml files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The kind of file, when its name does not say: jsonl (a casebook export), ics or
    /// terms (term dates in casebook's TOML form), mbox, maildir or eml.
    #[arg(long, value_parser = ["jsonl", "ics", "terms", "mbox", "maildir", "eml"])]
    pub format: Option<String>,
    /// Import under a different case name.
    #[arg(long)]
    pub slug: Option<String>,
    /// Mail: your own address (repeat for each): mail from it was sent, mail to it received.
    #[arg(long = "me", value_name = "ADDRESS", help_heading = "Mail")]
    pub me: Vec<String>,
    /// Mail: also import mail to or from this domain (the school's, the council's), besides
    /// the addresses of the people in the case.
    #[arg(long = "domain", value_name = "DOMAIN", help_heading = "Mail")]
    pub domains: Vec<String>,
    /// Mail: every message is about the case (a folder or label you keep for it), whoever
    /// it is from or to.
    #[arg(long, help_heading = "Mail")]
    pub all: bool,
    /// Mail: only messages from this date.
    #[arg(long, value_name = "DATE", help_heading = "Mail")]
    pub from: Option<String>,
    /// Mail: only messages up to this date.
    #[arg(long, value_name = "DATE", help_heading = "Mail")]
    pub to: Option<String>,
    /// Mail: list what would be imported, and import nothing.
    #[arg(long, help_heading = "Mail")]
    pub dry_run: bool,
    /// Mail: the largest message read, in megabytes (default 50, at most 100, the
    /// largest file a case keeps); a larger one is skipped with its place and size.
    #[arg(long, value_name = "MB", help_heading = "Mail")]
    pub message_limit: Option<String>,
}
