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
    /// U+3000, the ideographic space (全角空格): a blank one em wide that the author set on
    /// purpose (`　第1版　专版`, 本报记者　王小明). It is kept as typed, never collapsed into
    /// a word space or dropped, and breaks like an ideograph.
    FullwidthSpace,
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

/// Measure words (量词) and units that may not be parted from the number before them
/// (`keep_number_with_unit`): 7个项目, 48亿元, 2022年11月, 3.5公里. The order does not
/// matter: [`unit_after_number`] takes the longest that matches.
const NUMBER_UNITS: &[&str] = &[
    // Measure words.
    "个",
    "项",
    "家",
    "处",
    "座",
    "所",
    "条",
    "台",
    "套",
    "栋",
    "幢",
    "辆",
    "件",
    "批",
    "期",
    "届",
    "场",
    "次",
    "轮",
    "名",
    "位",
    "人",
    "户",
    "支",
    "张",
    "块",
    "片",
    "段",
    "间",
    "层",
    "份",
    "篇",
    "部",
    "本",
    "种",
    "类",
    "组",
    "对",
    "双",
    "根",
    "棵",
    "株",
    "盏",
    "架",
    "艘",
    "列",
    "趟",
    "宗",
    "笔",
    "例",
    "起",
    "票",
    "版",
    "号",
    "路",
    "线",
    "倍",
    "成",
    // Money.
    "元",
    "美元",
    "欧元",
    "港元",
    "角",
    "分",
    // Time and dates.
    "年",
    "年度",
    "月",
    "月份",
    "日",
    "天",
    "周",
    "周年",
    "小时",
    "分钟",
    "秒",
    "时",
    "岁",
    // Length, area, volume, mass, power.
    "米",
    "公里",
    "千米",
    "厘米",
    "毫米",
    "里",
    "平方米",
    "平方公里",
    "平方千米",
    "公顷",
    "亩",
    "立方米",
    "升",
    "毫升",
    "吨",
    "千克",
    "公斤",
    "克",
    "斤",
    "度",
    "千瓦",
    "瓦",
    "千瓦时",
    "兆瓦",
    "户次",
    "人次",
    "车次",
    "余人",
];

/// Magnitudes and approximations that may stand between a number and its unit, or end
/// the number themselves: 48亿元, 3万平方米, 20余个, 10多家, 5千.
const NUMBER_MAGNITUDES: &str = "十百千万亿余多";

/// How many characters of `rest`, the text right after a number, belong with it under
/// `keep_number_with_unit`: magnitudes, then the longest unit of the table.
pub fn unit_after_number(rest: &[char]) -> usize {
    let magnitudes = rest.iter().take_while(|c| NUMBER_MAGNITUDES.contains(**c)).count();
    let after = &rest[magnitudes..];
    let unit = NUMBER_UNITS
        .iter()
        .map(|u| u.chars().count())
        .zip(NUMBER_UNITS)
        .filter(|(n, u)| after.len() >= *n && after[..*n].iter().copied().eq(u.chars()))
        .map(|(n, _)| n)
        .max()
        .unwrap_or(0);
    magnitudes + unit
}

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
        // U+2028 is a title's forced break (`spec::edition::FORCED_BREAK`): a space elsewhere.
        ' ' | '\u{A0}' | '\t' | '\n' | '\r' | '\u{2028}' => Space,
        '\u{3000}' => FullwidthSpace,
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
        assert_eq!(class_of('\u{3000}'), FullwidthSpace);
        assert_eq!(class_of(' '), Space);
    }

    #[test]
    fn units_after_numbers_from_the_table() {
        let n = |s: &str| unit_after_number(&s.chars().collect::<Vec<_>>());
        assert_eq!(n("个项目"), 1);
        assert_eq!(n("亿元，"), 2);
        assert_eq!(n("万平方米的"), 4);
        assert_eq!(n("余个"), 2);
        assert_eq!(n("月，"), 1);
        assert_eq!(n("公里长"), 2);
        assert_eq!(n("亿"), 1);
        // Not a unit: the number stands alone.
        assert_eq!(n("的"), 0);
        assert_eq!(n(""), 0);
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
