//! Join codes: the short secret people read aloud to join a drill, and the netcode key
//! derived from it.
//!
//! A code is 12 symbols shown as three groups of four (`7KQM-X2RD-WN9F`), drawn from OS
//! randomness over 31 symbols that cannot be confused when read aloud or handwritten:
//! the digits 2 to 9 and the letters without I, L and O. That is 12 × log2(31) ≈ 59.4
//! bits. Typed codes are read case-insensitively, and dashes and spaces are ignored.
//!
//! The host's netcode private key is `blake3::derive_key(KEY_CONTEXT, code)` over the
//! normalized 12 symbols, so every way of typing one code gives one key, and two drills
//! with two codes have unrelated keys.

use std::fmt;

use rand::TryRngCore;
use rand::rngs::OsRng;

/// The symbols a code is made of: no 0/O, 1/I/L.
const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Symbols in a code.
const LEN: usize = 12;
/// Symbols per group when shown.
const GROUP: usize = 4;
/// blake3's key-derivation context: globally unique, names the use and its version.
const KEY_CONTEXT: &str = "firedrill 2026-01 team drill netcode private key v1";

/// A drill's join code, normalized (12 upper-case symbols from the alphabet).
#[derive(Clone, PartialEq, Eq)]
pub struct JoinCode([u8; LEN]);

/// Why a typed join code was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a join code has 12 letters and digits (like 7KQM-X2RD-WN9F); this one has {0}")]
    Length(usize),
    #[error(
        "a join code never contains '{0}': codes use the digits 2-9 and the letters except I, L and O"
    )]
    Symbol(char),
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
}

impl JoinCode {
    /// A fresh code from the operating system's randomness.
    pub fn generate() -> Result<Self, CodeError> {
        let mut symbols = [0u8; LEN];
        let mut filled = 0;
        let mut buf = [0u8; 32];
        while filled < LEN {
            OsRng
                .try_fill_bytes(&mut buf)
                .map_err(|e| CodeError::Random(e.to_string()))?;
            // Rejection sampling keeps the symbols uniform: 248 = 8 × 31.
            for &b in buf.iter().filter(|&&b| b < 248) {
                if filled == LEN {
                    break;
                }
                symbols[filled] = ALPHABET[usize::from(b % 31)];
                filled += 1;
            }
        }
        Ok(Self(symbols))
    }

    /// Reads a typed code: case-insensitive, dashes and whitespace ignored.
    pub fn parse(typed: &str) -> Result<Self, CodeError> {
        let mut symbols = [0u8; LEN];
        let mut count = 0;
        for c in typed.chars().filter(|c| *c != '-' && !c.is_whitespace()) {
            let upper = c.to_ascii_uppercase();
            if !upper.is_ascii() || !ALPHABET.contains(&(upper as u8)) {
                return Err(CodeError::Symbol(c));
            }
            if count < LEN {
                symbols[count] = upper as u8;
            }
            count += 1;
        }
        if count != LEN {
            return Err(CodeError::Length(count));
        }
        Ok(Self(symbols))
    }

    /// The drill's netcode private key.
    pub(crate) fn netcode_key(&self) -> [u8; 32] {
        blake3::derive_key(KEY_CONTEXT, &self.0)
    }
}

impl fmt::Display for JoinCode {
    /// `ABCD-EFGH-JKMN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, group) in self.0.chunks(GROUP).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            for &b in group {
                write!(f, "{}", char::from(b))?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for JoinCode {
    /// Never prints the secret itself: debug output ends up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JoinCode(****-****-****)")
    }
}

impl std::str::FromStr for JoinCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_ignore_case_dashes_and_spaces() {
        let code = JoinCode::parse("7kqm-x2rd-wn9f").unwrap();
        assert_eq!(code.to_string(), "7KQM-X2RD-WN9F");
        assert_eq!(JoinCode::parse(" 7KQM X2RD\tWN9F ").unwrap(), code);
        assert_eq!(JoinCode::parse("7KQMX2RDWN9F").unwrap(), code);
        assert_eq!(
            JoinCode::parse("7kqmx2rdwn9f").unwrap().netcode_key(),
            code.netcode_key()
        );
    }

    #[test]
    fn typed_codes_are_refused_with_a_reason() {
        assert_eq!(JoinCode::parse("7KQM-X2RD"), Err(CodeError::Length(8)));
        assert_eq!(
            JoinCode::parse("7KQM-X2RD-WN9F-2"),
            Err(CodeError::Length(13))
        );
        assert_eq!(
            JoinCode::parse("7KQM-X2RD-WNOF"),
            Err(CodeError::Symbol('O'))
        );
        assert_eq!(
            JoinCode::parse("1KQM-X2RD-WN9F"),
            Err(CodeError::Symbol('1'))
        );
        assert_eq!(
            JoinCode::parse("7KQM-X2RD-WN9é"),
            Err(CodeError::Symbol('é'))
        );
        assert_eq!(
            CodeError::Symbol('O').to_string(),
            "a join code never contains 'O': codes use the digits 2-9 and the letters except I, L and O"
        );
    }

    #[test]
    fn generated_codes_read_back_and_differ() {
        let a = JoinCode::generate().unwrap();
        let b = JoinCode::generate().unwrap();
        let shown = a.to_string();
        assert_eq!(shown.len(), 14);
        assert_eq!(shown.matches('-').count(), 2);
        assert_eq!(JoinCode::parse(&shown).unwrap(), a);
        // 2^-59 odds of a false failure.
        assert_ne!(a, b);
        assert_ne!(a.netcode_key(), b.netcode_key());
    }

    #[test]
    fn the_key_is_pinned_and_debug_hides_the_code() {
        let code = JoinCode::parse("7KQM-X2RD-WN9F").unwrap();
        // Pinned: a change of context string or normalization would split old and new
        // builds (and must come with a new PROTOCOL_ID).
        assert_eq!(
            code.netcode_key()[..8],
            [0xaa, 0xbc, 0xa3, 0x1a, 0xc4, 0x88, 0xca, 0x23]
        );
        assert_eq!(format!("{code:?}"), "JoinCode(****-****-****)");
    }
}
