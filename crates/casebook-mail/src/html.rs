//! An HTML message's words, read by html5ever's tokenizer (the WHATWG algorithm browsers
//! use), so comments such as `<!---->`, an unclosed `<HEAD>`, entities and stray `<`
//! signs are read the way the family's mail program showed them. Scanning for `<` and
//! `>` (mail-parser's own conversion) loses text after a comment it misreads.
//!
//! The conventions, shared with the Python reference reader (docs/MAIL.md): block
//! elements break lines; scripts, styles, titles, templates and noscript blocks are not
//! text.

use std::cell::{Cell, RefCell};

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];
const HIDDEN: &[&str] = &["script", "style", "title", "template", "noscript"];

#[derive(Default)]
struct Words {
    out: RefCell<String>,
    hidden: Cell<usize>,
}

impl TokenSink for Words {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(text) if self.hidden.get() == 0 => {
                self.out.borrow_mut().push_str(&text);
            }
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if HIDDEN.contains(&name) {
                    match tag.kind {
                        TagKind::StartTag if !tag.self_closing => {
                            self.hidden.set(self.hidden.get() + 1);
                            // Their content is not markup: a "<" in a script is not a tag.
                            return match name {
                                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                                "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                                "style" | "noscript" => TokenSinkResult::RawData(RawKind::Rawtext),
                                _ => TokenSinkResult::Continue,
                            };
                        }
                        TagKind::EndTag => self.hidden.set(self.hidden.get().saturating_sub(1)),
                        TagKind::StartTag => {}
                    }
                } else if BLOCKS.contains(&name) {
                    self.out.borrow_mut().push('\n');
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The text of an HTML document, with a line break at each block element.
pub fn text(html: &str) -> String {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Words::default(), TokenizerOpts::default());
    // Only a tree builder's sink asks to stop for a script; this one never does.
    while let TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    let lines: Vec<String> = tokenizer
        .sink
        .out
        .take()
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    // Runs of empty lines (one per closing and opening block) become one.
    let mut out = String::new();
    for line in lines {
        if line.is_empty() {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
        } else {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn text_survives_the_html_that_scanning_for_tags_loses() {
        assert_eq!(
            text("<p>Before<!---->after &amp; more</p><p>Next</p>"),
            "Beforeafter & more\n\nNext"
        );
        assert_eq!(
            text("<HTML><HEAD><TITLE>Hidden</TITLE><BODY><p>Dear Mrs Patel,</p>"),
            "Dear Mrs Patel,"
        );
        assert_eq!(
            text("<style>p { x: '<b>' }</style><script>if (a < b) {}</script>Words"),
            "Words"
        );
        assert_eq!(text("a<br>b<td>c</td>"), "a\nb\nc");
    }
}
