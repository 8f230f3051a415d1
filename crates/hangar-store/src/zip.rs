//! Just enough of the zip format for Hangar's own archives: entries stored (not compressed:
//! JSON exports are read by Hangar, and any unzip tool opens them), with CRC-32 checks. Reading
//! accepts stored entries only and says so for anything else.

use std::io::Write;

use crate::{Error, Result};

fn crc32(bytes: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = [0u32; 256];
        for (i, slot) in table.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        table
    });
    !bytes.iter().fold(!0u32, |c, &b| {
        table[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// Writes a zip archive entry by entry to any writer.
#[derive(Debug)]
pub struct ZipWriter<W: Write> {
    out: W,
    offset: u64,
    central: Vec<u8>,
    entries: u16,
}

fn too_big() -> std::io::Error {
    std::io::Error::other("too large for a zip file (4 GB, 65,535 entries)")
}

impl<W: Write> ZipWriter<W> {
    /// An empty archive writing to `out`.
    pub fn new(out: W) -> Self {
        ZipWriter {
            out,
            offset: 0,
            central: Vec::new(),
            entries: 0,
        }
    }

    /// Adds one file.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let size = u32::try_from(bytes.len()).map_err(|_| too_big())?;
        let offset = u32::try_from(self.offset).map_err(|_| too_big())?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        self.entries = self.entries.checked_add(1).ok_or_else(too_big)?;
        let crc = crc32(bytes);
        let mut local = Vec::with_capacity(30 + name.len());
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        // version 2.0, flags: UTF-8 names, method 0 (stored), time 0, date 1980-01-01.
        for v in [20u16, 0x0800, 0, 0, 0x21] {
            local.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            local.extend_from_slice(&v.to_le_bytes());
        }
        local.extend_from_slice(&name_len.to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(name.as_bytes());
        self.out.write_all(&local)?;
        self.out.write_all(bytes)?;
        self.offset += local.len() as u64 + bytes.len() as u64;

        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [20u16, 20, 0x0800, 0, 0, 0x21] {
            c.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            c.extend_from_slice(&v.to_le_bytes());
        }
        // name length, extra, comment, disk, internal attributes.
        for v in [name_len, 0, 0, 0, 0] {
            c.extend_from_slice(&v.to_le_bytes());
        }
        c.extend_from_slice(&0u32.to_le_bytes());
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        Ok(())
    }

    /// Writes the directory and returns the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        let at = u32::try_from(self.offset).map_err(|_| too_big())?;
        let size = u32::try_from(self.central.len()).map_err(|_| too_big())?;
        self.out.write_all(&self.central)?;
        let mut end = Vec::with_capacity(22);
        end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for v in [0u16, 0, self.entries, self.entries] {
            end.extend_from_slice(&v.to_le_bytes());
        }
        end.extend_from_slice(&size.to_le_bytes());
        end.extend_from_slice(&at.to_le_bytes());
        end.extend_from_slice(&0u16.to_le_bytes());
        self.out.write_all(&end)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn bad(detail: impl Into<String>) -> Error {
    Error::Malformed {
        what: "zip archive",
        detail: detail.into(),
    }
}

fn u16_at(b: &[u8], at: usize) -> Result<u16> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| bad("it is cut short"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| bad("it is cut short"))
}

/// The files of a zip archive, `(name, bytes)` in archive order. Refuses compressed entries,
/// damaged ones (CRC mismatch) and anything that is not a zip, with the reason.
pub fn read_zip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let first = if bytes.len() < 22 {
        0
    } else {
        u32_at(bytes, 0)?
    };
    if first != 0x0403_4b50 && first != 0x0605_4b50 {
        return Err(bad("it is not a zip file"));
    }
    // The end record is in the last 64 KiB + 22 bytes (after an optional comment).
    let from = bytes.len().saturating_sub(22 + 65_535);
    let end = (from..=bytes.len() - 22)
        .rev()
        .find(|&i| bytes[i..i + 4] == 0x0605_4b50u32.to_le_bytes())
        .ok_or_else(|| bad("its directory is missing"))?;
    let count = u16_at(bytes, end + 10)? as usize;
    let mut at = u32_at(bytes, end + 16)? as usize;
    let mut files = Vec::with_capacity(count);
    for _ in 0..count {
        if u32_at(bytes, at)? != 0x0201_4b50 {
            return Err(bad("its directory is damaged"));
        }
        let method = u16_at(bytes, at + 10)?;
        let crc = u32_at(bytes, at + 16)?;
        let size = u32_at(bytes, at + 20)? as usize;
        let name_len = u16_at(bytes, at + 28)? as usize;
        let extra_len = u16_at(bytes, at + 30)? as usize;
        let comment_len = u16_at(bytes, at + 32)? as usize;
        let local = u32_at(bytes, at + 42)? as usize;
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| bad("it is cut short"))?;
        let name = String::from_utf8_lossy(name).to_string();
        at += 46 + name_len + extra_len + comment_len;
        if name.ends_with('/') {
            continue;
        }
        if method != 0 {
            return Err(bad(format!(
                "{name} is compressed; Hangar reads the archives it writes (stored entries)"
            )));
        }
        if u32_at(bytes, local)? != 0x0403_4b50 {
            return Err(bad(format!("{name} is damaged")));
        }
        let start =
            local + 30 + u16_at(bytes, local + 26)? as usize + u16_at(bytes, local + 28)? as usize;
        let data = bytes
            .get(start..start + size)
            .ok_or_else(|| bad(format!("{name} is cut short")))?;
        if crc32(data) != crc {
            return Err(bad(format!(
                "{name} is damaged (its checksum does not match)"
            )));
        }
        files.push((name, data.to_vec()));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn archives_round_trip_and_damage_is_named() {
        let mut zip = ZipWriter::new(Vec::new());
        zip.add("a.json", b"{\"a\":1}").unwrap();
        zip.add("b/é.json", b"").unwrap();
        let bytes = zip.finish().unwrap();
        let files = read_zip(&bytes).unwrap();
        assert_eq!(
            files,
            vec![
                ("a.json".to_string(), b"{\"a\":1}".to_vec()),
                ("b/é.json".to_string(), Vec::new())
            ]
        );
        let mut damaged = bytes.clone();
        damaged[30 + 6] ^= 1;
        assert!(read_zip(&damaged)
            .unwrap_err()
            .to_string()
            .contains("checksum"));
        assert!(read_zip(b"hello, this is not a zip file at all")
            .unwrap_err()
            .to_string()
            .contains("not a zip"));
        assert!(read_zip(&bytes[..bytes.len() - 5]).is_err());
    }
}
