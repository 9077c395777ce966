//! Character classes of Chinese composition (clreq; GB/T 15834 punctuation), from one
//! data table, and the line-break prohibitions (避头尾) of each strictness level.

pub use crate::spec::layout::Kinsoku;

/// The composition class of a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Han ideographs, 〇, kana and other full-width letters.
    Ideograph,
    /// Opening brackets and quotes: ink on the right half.
    Opening,
    /// Closing brackets and quotes: ink on the left half.
    Closing,
    /// Pause and stop marks (点号): 、，。．；：？！
    PauseStop,
    /// Interpuncts (间隔号): ·
    Interpunct,
    /// Connectors (连接号): - – — ～ used singly.
    Connector,
    /// Solidus (分隔号): / ／
    Solidus,
    /// Two-em dash unit (破折号) ——: one unbreakable unit.
    Dash,
    /// Ellipsis unit (省略号) ……: one unbreakable unit.
    Ellipsis,
    /// Latin letters (proportional).
    Latin,
    /// European digits.
    Digit,
    /// Signs kept with a following number: ¥ $ £ €
    Prefix,
    /// Signs kept with a preceding number: % ‰ ℃ °
    Suffix,
    /// A space the author typed (or a line break in the YAML).
    Space,
    /// Characters that draw nothing and take no room.
    Invisible,
    /// Anything else; breaks like an ideograph.
    Other,
}

use Class::*;

/// Punctuation and signs by class. Everything not listed is classified by range in
/// [`class_of`].
const TABLE: &[(Class, &str)] = &[
    (Opening, "“‘（〔［｛【〖《〈「『([{"),
    (Closing, "”’）〕］｝】〗》〉」』)]}"),
    (PauseStop, "、，。．；：？！‼⁇⁈⁉,.;:?!"),
    (Interpunct, "·・‧"),
    (Connector, "-–—～~－"),
    (Solidus, "/／"),
    (Prefix, "¥￥$＄£￡€#＃"),
    (Suffix, "%％‰℃°′″"),
    (Ellipsis, "…⋯"),
    (Dash, "⸺"),
];

impl Class {
    /// Punctuation and signs: everything that is not a letter, digit or ideograph.
    pub fn is_mark(self) -> bool {
        matches!(self, Opening | Closing | PauseStop | Interpunct | Connector | Solidus | Dash | Ellipsis)
    }
}

/// Marks that end a sentence: the last to shrink (clreq 3.8.3 priority 7).
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '？' | '！' | '．' | '?' | '!' | '‼' | '⁇' | '⁈' | '⁉')
}

/// “ ” ‘ ’ are East-Asian-ambiguous: in Chinese text they come from the CJK face.
pub fn is_ambiguous_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’')
}

pub fn class_of(c: char) -> Class {
    if let Some((class, _)) = TABLE.iter().find(|(_, members)| members.contains(c)) {
        return *class;
    }
    match c {
        '0'..='9' => Digit,
        'A'..='Z' | 'a'..='z' | '\u{C0}'..='\u{24F}' | '\u{391}'..='\u{3C9}' | '\u{400}'..='\u{4FF}' => Latin,
        ' ' | '\u{A0}' | '\t' | '\n' | '\r' | '\u{3000}' => Space,
        // Invisible: a zero-width space, a soft hyphen, a byte-order mark, joiners.
        '\u{200B}' | '\u{00AD}' | '\u{FEFF}' | '\u{200C}' | '\u{200D}' | '\u{2060}' => Invisible,
        '\u{3007}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}' => Ideograph,
        '\u{3040}'..='\u{30FF}' | '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF5A}' => Ideograph,
        _ => Other,
    }
}

impl Kinsoku {
    /// May a line not start with this class?
    pub fn no_start(self, class: Class) -> bool {
        match self {
            Kinsoku::None => false,
            Kinsoku::Basic | Kinsoku::Gb => {
                matches!(class, PauseStop | Closing | Connector | Interpunct | Solidus | Suffix)
            }
            Kinsoku::Strict => {
                matches!(class, PauseStop | Closing | Connector | Interpunct | Solidus | Suffix | Dash | Ellipsis)
            }
        }
    }

    /// May a line not end with this class?
    pub fn no_end(self, class: Class) -> bool {
        match self {
            Kinsoku::None => false,
            Kinsoku::Basic => matches!(class, Opening | Prefix),
            Kinsoku::Gb | Kinsoku::Strict => matches!(class, Opening | Prefix | Solidus),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_gb_punctuation() {
        for c in "“‘（〔［｛【〖《〈「『".chars() {
            assert_eq!(class_of(c), Opening, "{c}");
        }
        for c in "”’）〕］｝】〗》〉」』".chars() {
            assert_eq!(class_of(c), Closing, "{c}");
        }
        for c in "、，。．；：？！".chars() {
            assert_eq!(class_of(c), PauseStop, "{c}");
        }
        assert_eq!(class_of('国'), Ideograph);
        assert_eq!(class_of('〇'), Ideograph);
        assert_eq!(class_of('𬉼'), Ideograph);
        assert_eq!(class_of('·'), Interpunct);
        assert_eq!(class_of('—'), Connector);
        assert_eq!(class_of('…'), Ellipsis);
        assert_eq!(class_of('A'), Latin);
        assert_eq!(class_of('7'), Digit);
        assert_eq!(class_of('%'), Suffix);
        assert_eq!(class_of('¥'), Prefix);
    }

    #[test]
    fn levels() {
        assert!(!Kinsoku::None.no_start(PauseStop));
        assert!(Kinsoku::Gb.no_start(PauseStop) && Kinsoku::Gb.no_start(Closing) && Kinsoku::Gb.no_start(Interpunct));
        assert!(Kinsoku::Gb.no_end(Opening) && Kinsoku::Gb.no_end(Solidus));
        assert!(!Kinsoku::Basic.no_end(Solidus));
        assert!(!Kinsoku::Gb.no_start(Dash) && Kinsoku::Strict.no_start(Dash) && Kinsoku::Strict.no_start(Ellipsis));
    }
}
