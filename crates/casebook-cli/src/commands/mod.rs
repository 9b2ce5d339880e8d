mod account;
mod attendance;
mod backup;
mod bundle;
mod case;
mod correct;
mod deadline;
mod demo;
mod letter;
mod log;
mod mail;
mod migrate;
mod minutes;
mod new_file;
mod next;
mod package_files;
mod person;
mod plan;
mod recognise;
mod request;
mod serve;
mod timeline;
mod timestamp;
mod transfer;
mod verify;

use std::process::ExitCode;

use anyhow::Result;
use casebook_app::{CaseFile, SystemClock, choose_case};
use casebook_backends::{AnyBlobs, AnyStore};

use crate::args::{AccountCommand, CaseCommand, Cli, Command, PersonCommand};
use crate::open::{Opened, location, open_existing};

/// What every command gets: the parsed flags, the clock, and the store once opened.
pub struct Context {
    pub cli: Cli,
    pub clock: SystemClock,
}

impl Context {
    pub fn open(&self) -> Result<Opened> {
        open_existing(&location(self.cli.store.as_deref())?)
    }

    pub fn case_file<'a>(&'a self, opened: &'a Opened) -> Result<CaseFile<'a, AnyStore, AnyBlobs>> {
        let case = choose_case(&opened.store, self.cli.case_slug.as_deref())?;
        Ok(CaseFile {
            store: &opened.store,
            blobs: &opened.blobs,
            clock: &self.clock,
            case,
        })
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let cx = Context {
        clock: SystemClock::from_env()?,
        cli,
    };
    match &cx.cli.command {
        Command::Case(CaseCommand::New(args)) => case::new(&cx, args),
        Command::Case(CaseCommand::List) => case::list(&cx),
        Command::Case(CaseCommand::Family(args)) => case::family(&cx, args),
        Command::Case(CaseCommand::SchoolDay(args)) => attendance::school_day(&cx, args),
        Command::Case(CaseCommand::Move(args)) => case::move_school(&cx, args),
        Command::Attendance(args) => attendance::attendance(&cx, args),
        Command::Person(PersonCommand::Add(args)) => person::add(&cx, args),
        Command::Person(PersonCommand::List) => person::list(&cx),
        Command::Log(args) => log::log(&cx, args),
        Command::Amend(args) => correct::amend(&cx, args),
        Command::Redact(args) => correct::redact(&cx, args),
        Command::Timeline(args) => timeline::timeline(&cx, args),
        Command::Verify(args) => verify::verify(&cx, args),
        Command::Timestamp(args) => timestamp::timestamp(&cx, args),
        Command::Export(args) => transfer::export(&cx, args),
        Command::Import(args) => transfer::import(&cx, args),
        Command::Deadline(args) => deadline::deadline(&cx, args),
        Command::Request(args) => request::request(&cx, args),
        Command::Next => next::next(&cx),
        Command::Recognise(args) => recognise::recognise(&cx, args),
        Command::Letter(args) => letter::letter(&cx, args),
        Command::Tone(args) => letter::tone(&cx, args),
        Command::Plan(crate::args::PlanCommand::Check(args)) => plan::check(&cx, args),
        Command::Plan(crate::args::PlanCommand::Compare(args)) => plan::compare(&cx, args),
        Command::Plan(crate::args::PlanCommand::WorkingDocument(args)) => {
            plan::working_document(&cx, args)
        }
        Command::Minutes(crate::args::MinutesCommand::Check(args)) => minutes::check(&cx, args),
        Command::Demo(args) => demo::demo(&cx, args),
        Command::Bundle(args) => bundle::bundle(&cx, args),
        Command::Serve(args) => serve::serve(&cx, args),
        Command::Migrate(args) => migrate::migrate(&cx, args),
        Command::Backup(args) => backup::backup(&cx, args),
        Command::Restore(args) => backup::restore(&cx, args),
        Command::PackageFiles(args) => package_files::write(args),
        Command::Account(AccountCommand::Add(args)) => account::add(&cx, args),
        Command::Account(AccountCommand::Grant(args)) => account::grant_role(&cx, args),
    }?;
    Ok(ExitCode::SUCCESS)
}
