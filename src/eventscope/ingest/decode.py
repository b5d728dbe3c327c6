"""Bytes to text: refuse binary input, then decode with a written-down cascade.

The cascade (first that succeeds wins)::

    1. known magic numbers (PDF, images, archives, executables, databases) -> BinaryInputError
    2. a byte-order mark: UTF-8-SIG, UTF-32 LE/BE, UTF-16 LE/BE -> that codec, strictly
    3. NUL bytes -> UTF-16 without a BOM when the NULs sit in every other byte of
       ASCII-range text, else BinaryInputError
    4. strict UTF-8
    5. the charset the document declares (HTTP header, <meta charset>, XML
       declaration), when Python knows it and it decodes the bytes strictly
    6. charset detection (charset_normalizer) with a chaos threshold; among
       equally good single-byte guesses Windows-1252 is preferred
    7. otherwise EncodingError

Decoding never normalises the text (newlines, Unicode forms): character offsets
downstream index the decoded string exactly. A BOM is dropped, so offsets are
counted from the first character after it.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from ..errors import BinaryInputError, EncodingError

log = logging.getLogger(__name__)

# File signatures of common non-text formats a user may drop into an input folder.
# Sources: the formats' specifications (PDF 1.7 §7.5.2, PNG §5.2, ZIP APPNOTE 4.3.7, ...).
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document; convert it to text first (e.g. `pdftotext`)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF container (WebP image, WAV or AVI)"),
    (b"PK\x03\x04", "a ZIP archive (or a DOCX/XLSX/ODT office file); unpack or convert it"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip-compressed file (only .warc.gz is read compressed); gunzip it"),
    (b"\xfd7zXZ\x00", "an xz-compressed file; decompress it"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file; decompress it"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (DOC/XLS)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"ID3\x03", "an MP3 audio file"),
    (b"ID3\x04", "an MP3 audio file"),
)
# bzip2 ("BZh" + block size + block magic) and DuckDB (magic at offset 8) are
# checked in sniff_binary: their short magics could begin a real text.
_BZIP2_RE = re.compile(rb"BZh[1-9]1AY&SY")

BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: charset_normalizer's "chaos" (mess ratio) above which a guess is not trusted.
#: Its own default cut-off is 0.2; real Latin-1/Windows-1252/KOI8/Shift-JIS news
#: text scores 0.0-0.05 while random high bytes get no candidate at all or > 0.3.
MAX_CHAOS = 0.2

#: How much worse (in chaos) than the best guess Windows-1252 may score and still be
#: preferred (see _detect).
CP1252_TOLERANCE = 0.03

#: Share of control characters (other than tab, newline, CR, FF, VT) above which
#: decoded "text" is really binary data that happened to decode.
MAX_CONTROL_SHARE = 0.01

_DECLARED_RE = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])"""
    rb"""([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)


def sniff_binary(data: bytes) -> str | None:
    """What binary format ``data`` looks like, or None when it may be text."""
    for magic, what in MAGIC:
        if data.startswith(magic):
            return what
    if data[8:12] == b"DUCK":
        return "a DuckDB database"
    if _BZIP2_RE.match(data):
        return "a bzip2-compressed file; decompress it"
    return None


def declared_charset(data: bytes, header: str | None = None) -> str | None:
    """The charset named by an HTTP Content-Type header or inside the document."""
    if header:
        in_header = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", header, re.IGNORECASE)
        if in_header:
            return in_header.group(1)
    in_document = _DECLARED_RE.search(data[:4096])
    if in_document:
        return in_document.group(1).decode("ascii")
    return None


def decode_bytes(data: bytes, *, source: str, content_type: str | None = None) -> str:
    """Decode a document's bytes to text (see the module docstring for the cascade).

    ``content_type`` is the Content-Type header the document came with (HTTP, WARC),
    whose ``charset`` counts as declared.
    Raises :class:`BinaryInputError` or :class:`EncodingError` naming ``source``.
    """
    what = sniff_binary(data)
    if what is not None:
        raise BinaryInputError(
            f"this is {what}, not text; eventscope reads text, HTML, JSONL, WARC and "
            "RSS/Atom files",
            source=source,
        )
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom) :].decode(codec), source)
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"the file starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} (byte {exc.start + len(bom)}); re-save it as UTF-8",
                    source=source,
                ) from exc
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise BinaryInputError(
                "the file contains NUL bytes, so it is binary data, not text",
                source=source,
            )
        return _check_text(utf16, source)
    try:
        return _check_text(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    header_charset = declared_charset(b"", content_type) if content_type else None
    for name in (header_charset, declared_charset(data)):
        declared_text = _try_declared(data, name)
        if declared_text is not None and _mostly_text(declared_text):
            log.debug("%s: decoded with its declared charset %s", source, name)
            return _check_text(declared_text, source)
    detected, detected_codec = _detect(data)
    if detected is None:
        raise EncodingError(
            "the bytes are not UTF-8 and no other encoding decodes them convincingly; "
            "re-save the file as UTF-8",
            source=source,
        )
    log.info("%s: not UTF-8; decoded as %s (detected)", source, detected_codec)
    return _check_text(detected, source)


def _try_declared(data: bytes, name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec in ("utf-8", "ascii"):
        return None  # already tried strictly (and ASCII is a subset)
    if codec == "latin-1" or codec == "iso8859-1":
        # WHATWG Encoding: the label iso-8859-1 means windows-1252 on the web.
        codec = "cp1252"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _detect(data: bytes) -> tuple[str | None, str | None]:
    from charset_normalizer import from_bytes

    # A guess that yields control characters (C1 controls from Latin-1) is wrong too.
    matches = [
        m
        for m in from_bytes(data)
        if m.chaos <= MAX_CHAOS and _mostly_text(str(m)) and _varied(str(m), data)
    ]
    if not matches:
        return None, None
    best = min(matches, key=lambda m: m.chaos)
    # For Latin text several single-byte code pages decode about equally well:
    # cp1250 turns "São" into "Săo" at the same chaos, and on a French sample DOS
    # cp775 scored 0.057 against cp1252's 0.077. Windows-1252 is the web's default
    # legacy encoding (WHATWG Encoding: the one for unlabelled documents), so it
    # wins when it is within CP1252_TOLERANCE of the best guess.
    for m in matches:
        if m.chaos <= best.chaos + CP1252_TOLERANCE and "cp1252" in m.could_be_from_charset:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                break
            if _mostly_text(text):
                return text, "cp1252"
            break
    return str(best), best.encoding


def _varied(text: str, data: bytes) -> bool:
    """False for a multi-byte decoding that uses implausibly few distinct characters.

    Legacy multi-byte encodings (EUC-KR, Shift-JIS, GB18030, Big5) turn almost any
    run of high bytes into valid characters with a low chaos score. Real CJK text
    uses many distinct characters, so a decoding with more than 60 non-ASCII
    characters but fewer than 20 distinct ones is not trusted. Single-byte
    decodings (one character per byte) are not judged: French text may well use
    only a handful of accented letters.
    """
    if len(text) >= len(data):
        return True
    non_ascii = [ch for ch in text if ord(ch) > 127]
    return len(non_ascii) <= 60 or len(set(non_ascii)) >= 20


def _bomless_utf16(data: bytes) -> str | None:
    """Decode UTF-16 that has no BOM, recognised by its NULs in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls >= 0.7 * half and even_nuls == 0:
        codec = "utf-16-le"
    elif even_nuls >= 0.7 * half and odd_nuls == 0:
        codec = "utf-16-be"
    else:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _controls(sample: str) -> int:
    return sum(1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")


def _mostly_text(text: str) -> bool:
    sample = text[:20000]
    return _controls(sample) <= MAX_CONTROL_SHARE * len(sample) + 1


def _check_text(text: str, source: str) -> str:
    """Reject decoded strings full of control characters (binary data that decoded)."""
    sample = text[:20000]
    if not _mostly_text(sample):
        raise BinaryInputError(
            f"{_controls(sample)} control characters in the first {len(sample)} characters: "
            "this is binary data, not text",
            source=source,
        )
    return text
