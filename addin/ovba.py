"""MS-OVBA compression (section 2.4.1) for the VBA project's module and dir streams.

ms-ovba 0.0.1's own compressor emits wrong copy tokens once a module passes a few hundred bytes (Excel
and olevba then read garbled code), so the add-in build swaps in this one. Matches are found through an
index of 3-byte prefixes; any valid match is acceptable to a decompressor, so the search is bounded.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict

CHUNK = 4096
CANDIDATES = 64  # most recent earlier positions tried per match: plenty for source code


def _bit_count(difference: int) -> int:
    """Bits of a copy token used for the offset, from how far into the chunk we are (2.4.1.3.19.1)."""
    bits = 4
    while (1 << bits) < difference:
        bits += 1
    return bits


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    out = bytearray()
    seen: dict[bytes, list[int]] = defaultdict(list)
    pos = start
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            bits = _bit_count(pos - start)
            max_len = min((0xFFFF >> bits) + 3, end - pos)
            best_len, best_off = 0, 0
            if max_len >= 3:
                for cand in reversed(seen.get(data[pos:pos + 3], [])[-CANDIDATES:]):
                    n = 0
                    while n < max_len and data[cand + n] == data[pos + n]:
                        n += 1
                    if n > best_len:
                        best_len, best_off = n, pos - cand
                        if n == max_len:
                            break
            step = best_len if best_len >= 3 else 1
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bits)) | (best_len - 3)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
            else:
                out.append(data[pos])
            for p in range(pos, pos + step):  # index every position we pass, for later matches
                if p + 3 <= end:
                    seen[data[p:p + 3]].append(p)
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer (signature byte, then one chunk per 4096 bytes of input)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        end = min(start + CHUNK, len(data))
        body = _compress_chunk(data, start, end)
        if len(body) > CHUNK and end - start == CHUNK:
            header = (CHUNK + 2 - 3) | (0b011 << 12)  # stored raw: flag bit 15 clear
            out += header.to_bytes(2, "little") + data[start:end]
        else:
            header = (len(body) + 2 - 3) | (0b011 << 12) | 0x8000
            out += header.to_bytes(2, "little") + body
    return bytes(out)


@contextlib.contextmanager
def patched_ms_ovba():
    """Make ms-ovba use ``compress`` while the project is built, and restore it afterwards."""
    from ms_ovba_compression.ms_ovba import MsOvba

    original = MsOvba.compress
    MsOvba.compress = lambda self, data: compress(bytes(data))
    try:
        yield
    finally:
        MsOvba.compress = original
