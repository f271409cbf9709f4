//! Attributes: the free `props: {"key": value}` an entity or a relation may
//! carry beside its fields, and the conditions (`--where key=value`) that
//! select by them.
//!
//! A value is text, a number (whole or decimal), a boolean or a date. In the
//! graph's RON files the value's own syntax says which: `true`, `12`, `0.5`,
//! `"text"`; a string written like a date (`"1948"`, `"1948-10"`,
//! `"1948-10-05"`, `"~1990"`) is a date. Keys are sorted, so every output
//! lists them in the same order. A key may not be the name of one of the
//! record's own fields ([`ENTITY_FIELDS`], [`RELATION_FIELDS`]): importers map
//! such columns to the field, and exports write fields and attributes side by
//! side.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::suggest::normalize;
use crate::when::{Date, Period, When};

/// One attribute value. The derived serde form (tagged) is for the load
/// cache; JSON answers use [`PropsView`], which writes plain values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PropValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Date(Date),
    Text(String),
}

/// An entity's or a relation's attributes, by key.
pub type Props = BTreeMap<String, PropValue>;

/// The fields of an entity, which attribute keys may not repeat.
pub const ENTITY_FIELDS: [&str; 9] = [
    "id",
    "name",
    "kind",
    "aliases",
    "description",
    "start",
    "end",
    "tags",
    "props",
];

/// The fields of a relation (and the columns every export gives it), which
/// attribute keys may not repeat.
pub const RELATION_FIELDS: [&str; 18] = [
    "id",
    "from",
    "to",
    "type",
    "label",
    "status",
    "claimed_by",
    "denied_by",
    "doubted_by",
    "retracted_by",
    "date",
    "period",
    "source",
    "section",
    "note",
    "weight",
    "derived",
    "props",
];

/// What kind of value an attribute holds, for typed export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PropType {
    Bool,
    Int,
    Float,
    Date,
    Text,
}

impl PropType {
    pub fn name(self) -> &'static str {
        match self {
            PropType::Bool => "boolean",
            PropType::Int => "integer",
            PropType::Float => "number",
            PropType::Date => "date",
            PropType::Text => "text",
        }
    }
}

impl PropValue {
    /// A value from text: a date when it is written like one, else text.
    pub fn from_text(text: &str) -> PropValue {
        match Date::parse(text) {
            Ok(d) => PropValue::Date(d),
            Err(_) => PropValue::Text(text.to_string()),
        }
    }

    /// A value read from an untyped cell: `true`/`false`, a whole number
    /// (without leading zeros, so codes like `007` stay text), a decimal,
    /// a date, or text.
    pub fn infer(text: &str) -> PropValue {
        match text {
            "true" | "TRUE" | "True" => return PropValue::Bool(true),
            "false" | "FALSE" | "False" => return PropValue::Bool(false),
            _ => {}
        }
        if let Some(n) = parse_int(text) {
            return PropValue::Int(n);
        }
        if let Some(x) = parse_float(text) {
            return PropValue::Float(x);
        }
        PropValue::from_text(text)
    }

    pub fn prop_type(&self) -> PropType {
        match self {
            PropValue::Bool(_) => PropType::Bool,
            PropValue::Int(_) => PropType::Int,
            PropValue::Float(_) => PropType::Float,
            PropValue::Date(_) => PropType::Date,
            PropValue::Text(_) => PropType::Text,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            PropValue::Int(n) => Some(*n as f64),
            PropValue::Float(x) => Some(*x),
            _ => None,
        }
    }
}

/// A whole number as a spreadsheet writes it: an optional `-`, digits, no
/// leading zero (except `0` itself).
pub fn parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    text.parse().ok()
}

/// A finite decimal number (`1.5`, `-0.25`, `1e3`); not `inf` or `NaN`.
pub fn parse_float(text: &str) -> Option<f64> {
    let t = text.strip_prefix('-').unwrap_or(text);
    let first = t.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'.') {
        return None;
    }
    // Codes such as 007 or 01.5 are text, as in `parse_int`.
    if first == b'0' && t.as_bytes().get(1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    text.parse::<f64>().ok().filter(|x| x.is_finite())
}

impl fmt::Display for PropValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PropValue::Bool(b) => write!(f, "{b}"),
            PropValue::Int(n) => write!(f, "{n}"),
            PropValue::Float(x) => write!(f, "{}", format_float(*x)),
            PropValue::Date(d) => write!(f, "{d}"),
            PropValue::Text(t) => f.write_str(t),
        }
    }
}

/// A float the shortest way that reads back the same, always with a
/// decimal point or exponent so it stays a decimal (`2.0`, `0.5`, `1e300`).
pub fn format_float(x: f64) -> String {
    let text = format!("{x:?}");
    if text.contains(['.', 'e', 'E']) || !x.is_finite() {
        text
    } else {
        format!("{text}.0")
    }
}

/// Attributes as plain JSON values: `{"born": "1948", "rank": 3}`.
#[derive(Debug, Clone, Copy)]
pub struct PropsView<'g>(pub &'g Props);

impl Serialize for PropsView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, &ValueView(v))?;
        }
        map.end()
    }
}

/// One attribute value as a plain JSON value.
#[derive(Debug, Clone, Copy)]
pub struct ValueView<'g>(pub &'g PropValue);

impl Serialize for ValueView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            PropValue::Bool(b) => s.serialize_bool(*b),
            PropValue::Int(n) => s.serialize_i64(*n),
            PropValue::Float(x) => s.serialize_f64(*x),
            PropValue::Date(d) => s.collect_str(d),
            PropValue::Text(t) => s.serialize_str(t),
        }
    }
}

/// Reads `props: {"key": value, …}` as curators write it, refusing lists,
/// maps and keys given twice.
pub fn deserialize_props<'de, D: Deserializer<'de>>(d: D) -> Result<Props, D::Error> {
    struct PropsVisitor;
    impl<'de> Visitor<'de> for PropsVisitor {
        type Value = Props;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of attributes like {\"key\": \"value\", \"count\": 3}")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Props, A::Error> {
            let mut props = Props::new();
            while let Some(key) = map.next_key::<String>()? {
                let value: RawValue = map.next_value()?;
                if props.insert(key.clone(), value.0).is_some() {
                    return Err(de::Error::custom(format!(
                        "the attribute \"{key}\" is given twice"
                    )));
                }
            }
            Ok(props)
        }
    }
    d.deserialize_map(PropsVisitor)
}

/// One attribute value in any self-describing format.
struct RawValue(PropValue);

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an attribute value: text, a number, true/false or a date")
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue(PropValue::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue(PropValue::Int(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
                i64::try_from(v)
                    .map(|n| RawValue(PropValue::Int(n)))
                    .map_err(|_| E::custom(format!("{v} is too large for a whole number")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
                if v.is_finite() {
                    Ok(RawValue(PropValue::Float(v)))
                } else {
                    Err(E::custom("an attribute number must be finite"))
                }
            }
            fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue(PropValue::from_text(v)))
            }
            fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue(match Date::parse(&v) {
                    Ok(d) => PropValue::Date(d),
                    Err(_) => PropValue::Text(v),
                }))
            }
        }
        d.deserialize_any(V)
    }
}

/// How a condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// The attribute is there, whatever its value.
    Has,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// Text contains (folded for case and accents).
    Contains,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Has => "",
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "~",
        }
    }
}

/// `key=value`, `key>=3`, `key~text` or just `key`, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub key: String,
    pub op: Op,
    pub value: String,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.key, self.op.symbol(), self.value)
    }
}

impl Condition {
    /// Parses a condition; the message completes "expected …".
    pub fn parse(text: &str) -> Result<Condition, String> {
        let expected = || {
            format!(
                "KEY=VALUE, KEY!=VALUE, KEY<VALUE, KEY<=VALUE, KEY>VALUE, KEY>=VALUE, KEY~TEXT or KEY, found \"{text}\""
            )
        };
        let at = text.find(['=', '!', '<', '>', '~']);
        let (key, op, value) = match at {
            None => (text, Op::Has, ""),
            Some(i) => {
                let rest = &text[i..];
                let (op, len) = if rest.starts_with("!=") {
                    (Op::Ne, 2)
                } else if rest.starts_with("<=") {
                    (Op::Le, 2)
                } else if rest.starts_with(">=") {
                    (Op::Ge, 2)
                } else if rest.starts_with("==") {
                    (Op::Eq, 2)
                } else {
                    match rest.as_bytes()[0] {
                        b'=' => (Op::Eq, 1),
                        b'<' => (Op::Lt, 1),
                        b'>' => (Op::Gt, 1),
                        b'~' => (Op::Contains, 1),
                        _ => return Err(expected()),
                    }
                };
                (&text[..i], op, &text[i + len..])
            }
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(expected());
        }
        Ok(Condition {
            key: key.to_string(),
            op,
            value: value.trim().to_string(),
        })
    }

    /// Whether attributes satisfy the condition. A missing attribute fails
    /// every test except `!=`.
    pub fn matches(&self, props: &Props) -> bool {
        self.matches_value(props.get(&self.key))
    }

    /// Whether one value (or its absence) satisfies the condition.
    pub fn matches_value(&self, value: Option<&PropValue>) -> bool {
        let Some(value) = value else {
            return self.op == Op::Ne;
        };
        match self.op {
            Op::Has => true,
            Op::Ne => !self.equal(value),
            Op::Eq => self.equal(value),
            Op::Contains => normalize(&value.to_string()).contains(&normalize(&self.value)),
            Op::Lt | Op::Le | Op::Gt | Op::Ge => match self.compare(value) {
                Some(order) => match self.op {
                    Op::Lt => order == Ordering::Less,
                    Op::Le => order != Ordering::Greater,
                    Op::Gt => order == Ordering::Greater,
                    _ => order != Ordering::Less,
                },
                None => false,
            },
        }
    }

    fn equal(&self, value: &PropValue) -> bool {
        match value {
            PropValue::Bool(b) => parse_bool(&self.value) == Some(*b),
            PropValue::Int(_) | PropValue::Float(_) => {
                parse_float(&self.value).or_else(|| parse_int(&self.value).map(|n| n as f64))
                    == value.as_f64()
            }
            PropValue::Date(d) => {
                wanted_when(&self.value).is_some_and(|w| When::Date(*d).overlaps(&w))
            }
            PropValue::Text(t) => normalize(t) == normalize(&self.value),
        }
    }

    /// The value compared with the condition's (value ? wanted).
    fn compare(&self, value: &PropValue) -> Option<Ordering> {
        match value {
            PropValue::Int(_) | PropValue::Float(_) => {
                let wanted = self.value.parse::<f64>().ok()?;
                value.as_f64()?.partial_cmp(&wanted)
            }
            PropValue::Date(d) => {
                let (have0, have1) = When::Date(*d).days();
                let (want0, want1) = wanted_when(&self.value)?.days();
                Some(if have1 < want0 {
                    Ordering::Less
                } else if have0 > want1 {
                    Ordering::Greater
                } else {
                    Ordering::Equal
                })
            }
            PropValue::Text(t) => Some(normalize(t).cmp(&normalize(&self.value))),
            PropValue::Bool(_) => None,
        }
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

fn wanted_when(text: &str) -> Option<When> {
    if text.contains("..") {
        Period::parse(text).ok().map(When::Period)
    } else {
        Date::parse(text).ok().map(When::Date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, PropValue)]) -> Props {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn infers_cell_types() {
        assert_eq!(PropValue::infer("12"), PropValue::Int(12));
        assert_eq!(PropValue::infer("-3"), PropValue::Int(-3));
        assert_eq!(PropValue::infer("007"), PropValue::Text("007".into()));
        assert_eq!(PropValue::infer("1.5"), PropValue::Float(1.5));
        assert_eq!(PropValue::infer("true"), PropValue::Bool(true));
        assert_eq!(PropValue::infer("inf"), PropValue::Text("inf".into()));
        assert_eq!(PropValue::infer("NaN"), PropValue::Text("NaN".into()));
        assert!(matches!(PropValue::infer("1948-10"), PropValue::Date(_)));
        assert_eq!(PropValue::infer("1948"), PropValue::Int(1948));
        assert!(matches!(PropValue::from_text("1948"), PropValue::Date(_)));
    }

    #[test]
    fn floats_stay_decimal() {
        assert_eq!(format_float(2.0), "2.0");
        assert_eq!(format_float(0.1), "0.1");
        assert_eq!(format_float(1e300), "1e300");
        for x in [0.1, 2.0, 1e-7, 123456.789, -4.25] {
            assert_eq!(format_float(x).parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn conditions_parse() {
        let c = Condition::parse("born>=1950").unwrap();
        assert_eq!(
            (c.key.as_str(), c.op, c.value.as_str()),
            ("born", Op::Ge, "1950")
        );
        assert_eq!(Condition::parse("role").unwrap().op, Op::Has);
        assert_eq!(Condition::parse("a!=b").unwrap().op, Op::Ne);
        assert_eq!(Condition::parse("a~b").unwrap().op, Op::Contains);
        assert!(Condition::parse("=x").is_err());
    }

    #[test]
    fn conditions_compare_by_type() {
        let p = props(&[
            ("born", PropValue::from_text("1948-10")),
            ("rank", PropValue::Int(3)),
            ("share", PropValue::Float(0.5)),
            ("active", PropValue::Bool(true)),
            ("city", PropValue::Text("São Paulo".into())),
        ]);
        let yes = |c: &str| Condition::parse(c).unwrap().matches(&p);
        assert!(yes("born=1948"));
        assert!(yes("born=1940..1950"));
        assert!(!yes("born=1949"));
        assert!(yes("born<1949"));
        assert!(yes("rank=3"));
        assert!(yes("rank=3.0"));
        assert!(yes("rank>2"));
        assert!(!yes("rank>3"));
        assert!(yes("share<=0.5"));
        assert!(yes("active=yes"));
        assert!(yes("city=sao paulo"));
        assert!(yes("city~paulo"));
        assert!(yes("city"));
        assert!(!yes("missing"));
        assert!(!yes("missing=1"));
        assert!(yes("missing!=1"));
        assert!(!yes("rank!=3"));
    }
}

/// A list (aliases, tags, claimants) in one text cell of CSV or GraphML:
/// items joined by `sep` (which starts with `;`), with `\` written `\\` and
/// `;` written `\;` inside an item, so an alias holding a semicolon comes
/// back whole. [`split_list`] reads it back.
pub fn join_list<S: AsRef<str>>(items: &[S], sep: &str) -> String {
    items
        .iter()
        .map(|item| item.as_ref().replace('\\', "\\\\").replace(';', "\\;"))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The items of a list cell: split at every `;` not written `\;`, `\\` and
/// `\;` read as `\` and `;` (any other backslash is kept as it is, so lists
/// written by other tools read as before), each item trimmed, empty ones
/// dropped.
pub fn split_list(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        // Most list cells of a big import are empty: no allocation for them.
        return Vec::new();
    }
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('\\') | Some(';')) => {
                item.push(chars.next().unwrap_or('\\'));
            }
            ';' => items.push(std::mem::take(&mut item)),
            _ => item.push(c),
        }
    }
    items.push(item);
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod list_tests {
    use super::{join_list, split_list};

    #[test]
    fn lists_with_semicolons_and_backslashes_come_back_whole() {
        let items = [
            "Robert'); MATCH (n) DETACH DELETE n; //",
            r"C:\Users\",
            "plain",
        ];
        for sep in [";", "; "] {
            assert_eq!(split_list(&join_list(&items, sep)), items);
        }
        // Lists written by other tools read as before.
        assert_eq!(split_list(r"a; b;C:\Users"), ["a", "b", r"C:\Users"]);
    }
}
