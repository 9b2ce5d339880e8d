use anyhow::{Result, bail};
use casebook_app::{
    BundleRequest, Section, SignedFormat, bundle_html, check_page_limits, rule_pack, sign,
};
use casebook_domain::EntryId;
use casebook_store::CaseStore;
use serde_json::json;

use super::Context;
use super::new_file::NewFile;
use super::timeline::filter;
use crate::args::{BundleArgs, BundleFormat};
use crate::output::{self, say};

/// Builds, renders, signs and writes the bundle; the file appears whole or not at all.
pub fn bundle(cx: &Context, args: &BundleArgs) -> Result<()> {
    let out = NewFile::create(&args.out)?;
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let people = opened.store.people(file.case.id)?;
    let mut entries: Vec<EntryId> = args
        .entries
        .iter()
        .map(|id| id.parse())
        .collect::<Result<_, _>>()?;
    if let Some(name) = &args.selection {
        entries.extend(file.selection(name)?);
    }
    let request = BundleRequest {
        filter: filter(&args.select, &people)?,
        entries,
        sections: args
            .sections
            .iter()
            .map(|s| Section::parse(s))
            .collect::<Result<_, _>>()?,
        purpose: args.purpose.clone(),
        real_names: args.real_names,
        skip_unreadable: args.skip_unreadable,
    };
    let pack = rule_pack(&file.case.jurisdiction)?;
    let limits = match &args.page_limit {
        Some(appeal) => {
            if args.format == BundleFormat::Html {
                bail!("Page limits apply to the PDF: use --format pdf with --page-limit.");
            }
            pack.page_limits_for(appeal)?
        }
        None => Vec::new(),
    };
    let bundle = file.bundle(&request)?;
    let mut warnings = bundle.skipped.clone();
    let (mut bytes, pages, format) = match args.format {
        BundleFormat::Pdf => {
            let pdf = casebook_bundle::bundle_pdf(bundle.layout_json()?, bundle.files()?)?;
            warnings.extend(check_page_limits(&limits, &bundle, pdf.pages, &pdf.parts));
            (pdf.pdf, Some(pdf.pages), SignedFormat::Pdf)
        }
        BundleFormat::Html => (bundle_html(&bundle)?, None, SignedFormat::Html),
    };
    sign(&mut bytes, &file.signing_key()?, format);
    out.write(|out| Ok(out.write_all(&bytes)?))?;
    if let Some(name) = &args.save_selection {
        file.save_selection(name, &bundle.entries)?;
    }
    for warning in &warnings {
        eprintln!("{warning}");
    }
    if cx.cli.json {
        return output::json(&json!({
            "path": args.out,
            "pages": pages,
            "entries": bundle.entries.len(),
            "exhibits": bundle.exhibits.len(),
            "head": bundle.manifest.head,
            "key": bundle.layout.key,
            "warnings": warnings,
        }));
    }
    let pages = pages.map(|p| format!("{p} pages, ")).unwrap_or_default();
    say!(
        "Wrote {}: {pages}{} entries, {} exhibits, up to {} (head {}). Signed with the case's key {}.",
        args.out.display(),
        bundle.entries.len(),
        bundle.exhibits.len(),
        bundle.manifest.head.id,
        &bundle.manifest.head.sha256[..12],
        bundle.layout.key
    );
    Ok(())
}
