//! Words for search: one tokenizer for the index, the query, ranking and highlighting.
//!
//! A word is a run of alphanumeric characters (any script). Its search form is lowercased with
//! accents removed ("Café" → "cafe"). The index stores text already reduced to search forms
//! separated by spaces, read by FTS5's `ascii` tokenizer, which splits exactly there: so what
//! SQLite matches, what gets ranked and what gets highlighted can never disagree, and a typed
//! word is always a single index term.

use std::ops::Range;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        // Drop the accents of a precomposed letter (é → e), but keep a character that is itself
        // a mark (a vowel sign in Devanagari is part of the word, not decoration).
        let mut parts = [char::default(); 4];
        let mut n = 0;
        let mut overflow = false;
        decompose_canonical(lower, |d| {
            if n < parts.len() {
                parts[n] = d;
                n += 1;
            } else {
                overflow = true;
            }
        });
        if n <= 1 || overflow {
            out.push(lower);
        } else {
            out.extend(parts[..n].iter().filter(|d| !is_combining_mark(**d)));
        }
    }
}

/// The search form of one word.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        push_folded(c, &mut out);
    }
    out
}

/// The words of `text` with their byte ranges in it.
pub fn words(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = chars.next()?;
            if c.is_alphanumeric() {
                break i;
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            chars.next();
        }
        Some((start..end, &text[start..end]))
    })
}

/// `text` as the index stores it: the search form of every word, with spaces (one or more)
/// between them. Splitting it on spaces gives the non-empty `fold`s of [`words`].
pub fn index_form(text: &str) -> String {
    if text.is_ascii() {
        // Most text: a byte for a byte, no decoding, no tables.
        let bytes: Vec<u8> = text
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    b.to_ascii_lowercase()
                } else {
                    b' '
                }
            })
            .collect();
        return String::from_utf8(bytes).unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            push_folded(c, &mut out);
        } else {
            out.push(' ');
        }
    }
    out
}

/// The terms of an [`index_form`].
pub fn index_terms(form: &str) -> impl Iterator<Item = &str> {
    form.split(' ').filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_their_search_forms() {
        let text = "Where's the café? Ünïcode_ok, 42x — Ωmega!";
        let found: Vec<(&str, String)> = words(text).map(|(_, w)| (w, fold(w))).collect();
        assert_eq!(
            found,
            vec![
                ("Where", "where".to_string()),
                ("s", "s".to_string()),
                ("the", "the".to_string()),
                ("café", "cafe".to_string()),
                ("Ünïcode", "unicode".to_string()),
                ("ok", "ok".to_string()),
                ("42x", "42x".to_string()),
                ("Ωmega", "ωmega".to_string()),
            ]
        );
        for (range, w) in words(text) {
            assert_eq!(&text[range], w);
        }
    }

    #[test]
    fn index_form_holds_the_folded_words() {
        for text in [
            "",
            "   ",
            "Hello, World!",
            "a\u{301}b", // a combining accent on its own splits the word, as in `words`
            "ÀÉÎÕÜ straße İstanbul ﬁne",
            "tab\tnew\nline--dash__under",
            "日本語のテキスト and emoji 🚀 rocket",
            "नमस्ते दुनिया", // the virama is no letter: words split there, the same way everywhere
            "\u{344}a \u{345}",
        ] {
            let expected: Vec<String> = words(text)
                .map(|(_, w)| fold(w))
                .filter(|w| !w.is_empty())
                .collect();
            let form = index_form(text);
            assert_eq!(index_terms(&form).collect::<Vec<_>>(), expected, "{text:?}");
            assert!(
                index_terms(&form).all(|t| !t
                    .chars()
                    .any(|c| c.is_ascii() && !c.is_ascii_alphanumeric())),
                "no ASCII separator inside a term, so FTS5's ascii tokenizer sees the same words"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn index_form_matches_words_for_any_text(text in "\\PC{0,40}") {
            let expected: Vec<String> = words(&text)
                .map(|(_, w)| fold(w))
                .filter(|w| !w.is_empty())
                .collect();
            let form = index_form(&text);
            proptest::prop_assert_eq!(index_terms(&form).collect::<Vec<_>>(), expected);
            for term in index_terms(&form) {
                proptest::prop_assert!(!term.chars().any(|c| c.is_ascii() && !c.is_ascii_alphanumeric()));
            }
        }
    }
}
