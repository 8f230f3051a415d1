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

/// Calls `f` with the byte range and the search form ([`fold`]) of every word of `text`, in
/// order: the same words as [`words`], without an allocation per word (ranking reads hundreds
/// of texts a search).
pub fn for_each_folded(text: &str, mut f: impl FnMut(Range<usize>, &str)) {
    let mut folded = String::new();
    if text.is_ascii() {
        // ASCII text: a word is a run of ASCII letters and digits, folded by lowercasing.
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if !bytes[at].is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            let word = &text[start..at];
            if word.bytes().any(|b| b.is_ascii_uppercase()) {
                folded.clear();
                folded.push_str(word);
                folded.make_ascii_lowercase();
                f(start..at, &folded);
            } else {
                f(start..at, word);
            }
        }
        return;
    }
    for (range, word) in words(text) {
        folded.clear();
        for c in word.chars() {
            push_folded(c, &mut folded);
        }
        f(range, &folded);
    }
}

/// `text` as the index stores it: the search form of every word, one space between two.
/// Splitting it on spaces gives the non-empty `fold`s of [`words`].
pub fn index_form(text: &str) -> String {
    if text.is_ascii() {
        // Most text: a byte for a byte, no decoding, no tables.
        let mut bytes: Vec<u8> = Vec::with_capacity(text.len());
        // A space is written only before a word that follows another.
        let mut gap = false;
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() {
                if gap {
                    bytes.push(b' ');
                    gap = false;
                }
                bytes.push(b.to_ascii_lowercase());
            } else {
                gap = !bytes.is_empty();
            }
        }
        return String::from_utf8(bytes).unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            push_folded(c, &mut out);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
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
                !form.contains("  ") && !form.starts_with(' ') && !form.ends_with(' '),
                "one space between two words, none around: {form:?}"
            );
            assert!(
                index_terms(&form).all(|t| !t
                    .chars()
                    .any(|c| c.is_ascii() && !c.is_ascii_alphanumeric())),
                "no ASCII separator inside a term, so FTS5's ascii tokenizer sees the same words"
            );
        }
    }

    fn check_for_each_folded(text: &str) {
        let expected: Vec<_> = words(text).map(|(r, w)| (r, fold(w))).collect();
        let mut found = Vec::new();
        for_each_folded(text, |r, w| found.push((r, w.to_string())));
        assert_eq!(found, expected, "{text:?}");
    }

    #[test]
    fn for_each_folded_gives_the_words_and_their_search_forms() {
        for text in [
            "",
            "Where's the café? Ünïcode_ok, 42x — Ωmega!",
            "Plain ASCII, MIXED case; tabs\tand\nnewlines 42",
            "  leading and trailing  ",
        ] {
            check_for_each_folded(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn for_each_folded_matches_words_and_fold(text in "\\PC{0,40}", ascii in "[ -~\t\n]{0,60}") {
            check_for_each_folded(&text);
            check_for_each_folded(&ascii);
        }

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
