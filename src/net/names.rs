//! A person's name in the connect token's user data: UTF-8, 1 to 256 bytes, no NUL,
//! padded with zeros.

use renet_netcode::NETCODE_USER_DATA_BYTES;

/// Why a name cannot travel in a connect token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("a name cannot be empty")]
    Empty,
    #[error("a name can be at most {max} bytes long; this one has {bytes}")]
    TooLong { bytes: usize, max: usize },
    #[error("a name cannot contain a NUL character")]
    Nul,
}

/// The user data carrying `name`.
pub(crate) fn encode(name: &str) -> Result<[u8; NETCODE_USER_DATA_BYTES], NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.len() > NETCODE_USER_DATA_BYTES {
        return Err(NameError::TooLong {
            bytes: name.len(),
            max: NETCODE_USER_DATA_BYTES,
        });
    }
    if name.contains('\0') {
        return Err(NameError::Nul);
    }
    let mut data = [0u8; NETCODE_USER_DATA_BYTES];
    data[..name.len()].copy_from_slice(name.as_bytes());
    Ok(data)
}

/// The name in user data from a token, or why it is not one (a client not built from
/// this crate can put anything there).
pub(crate) fn decode(data: &[u8; NETCODE_USER_DATA_BYTES]) -> Result<String, String> {
    let len = data.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let name = std::str::from_utf8(&data[..len])
        .map_err(|_| "a name that is not UTF-8 text".to_owned())?;
    if name.is_empty() || name.contains('\0') {
        return Err("an empty name or one with NUL characters".to_owned());
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_checked() {
        let data = encode("Ana María").unwrap();
        assert_eq!(&data[..10], "Ana María".as_bytes());
        assert_eq!(data[10], 0);
        assert_eq!(decode(&data).unwrap(), "Ana María");
        let longest = "é".repeat(128);
        assert_eq!(decode(&encode(&longest).unwrap()).unwrap(), longest);
        assert_eq!(
            encode(&"x".repeat(257)),
            Err(NameError::TooLong {
                bytes: 257,
                max: 256
            })
        );
        assert_eq!(encode(""), Err(NameError::Empty));
        assert_eq!(encode("a\0b"), Err(NameError::Nul));
        let mut bad = [0u8; NETCODE_USER_DATA_BYTES];
        bad[0] = 0xFF;
        assert_eq!(
            decode(&bad),
            Err("a name that is not UTF-8 text".to_owned())
        );
        bad = [0u8; NETCODE_USER_DATA_BYTES];
        assert!(decode(&bad).is_err_and(|e| e.starts_with("an empty name")));
    }
}
