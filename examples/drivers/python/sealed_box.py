"""Opening a libsodium sealed box (crypto_box_seal: X25519 + XSalsa20-Poly1305), pure Python 3.

Layout: ephemeral public key (32) || Poly1305 tag (16) || ciphertext. The nonce is
BLAKE2b-192(ephemeral_pk || recipient_pk); the box key is HSalsa20(X25519(sk, ephemeral_pk), 0).
Not constant time: for conformance runs with throwaway keys only.
"""
import hashlib
import hmac
import struct

from ed25519_x25519 import x25519

_SIGMA = b"expand 32-byte k"
_MASK = 0xFFFFFFFF


def _rotl(v: int, n: int) -> int:
    return ((v << n) | (v >> (32 - n))) & _MASK


def _salsa_rounds(state):
    x = list(state)
    for _ in range(10):
        # column round then row round (Salsa20 quarter-round order)
        for a, b, c, d in ((0, 4, 8, 12), (5, 9, 13, 1), (10, 14, 2, 6), (15, 3, 7, 11),
                           (0, 1, 2, 3), (5, 6, 7, 4), (10, 11, 8, 9), (15, 12, 13, 14)):
            x[b] ^= _rotl((x[a] + x[d]) & _MASK, 7)
            x[c] ^= _rotl((x[b] + x[a]) & _MASK, 9)
            x[d] ^= _rotl((x[c] + x[b]) & _MASK, 13)
            x[a] ^= _rotl((x[d] + x[c]) & _MASK, 18)
    return x


def _initial_state(key: bytes, sixteen: bytes):
    k = struct.unpack("<8I", key)
    n = struct.unpack("<4I", sixteen)
    s = struct.unpack("<4I", _SIGMA)
    return [s[0], k[0], k[1], k[2], k[3], s[1], n[0], n[1], n[2], n[3], s[2], k[4], k[5], k[6], k[7], s[3]]


def hsalsa20(key: bytes, nonce16: bytes) -> bytes:
    x = _salsa_rounds(_initial_state(key, nonce16))
    return struct.pack("<8I", x[0], x[5], x[10], x[15], x[6], x[7], x[8], x[9])


def _salsa20_stream(key: bytes, nonce8: bytes, length: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < length:
        state = _initial_state(key, nonce8 + struct.pack("<Q", counter))
        mixed = _salsa_rounds(state)
        out += struct.pack("<16I", *(((m + s) & _MASK) for m, s in zip(mixed, state)))
        counter += 1
    return bytes(out[:length])


def _poly1305(key: bytes, message: bytes) -> bytes:
    r = int.from_bytes(key[:16], "little") & 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
    s = int.from_bytes(key[16:], "little")
    p = (1 << 130) - 5
    acc = 0
    for i in range(0, len(message), 16):
        block = message[i:i + 16] + b"\x01"
        acc = ((acc + int.from_bytes(block, "little")) * r) % p
    return int.to_bytes((acc + s) & ((1 << 128) - 1), 16, "little")


def seal_open(ciphertext: bytes, recipient_secret: bytes) -> bytes:
    """Opens a sealed box; raises ValueError when it is too short or the tag does not verify."""
    if len(ciphertext) < 48:
        raise ValueError("sealed box shorter than 48 bytes")
    recipient_public = x25519(recipient_secret, (9).to_bytes(32, "little"))
    ephemeral_public = ciphertext[:32]
    tag = ciphertext[32:48]
    body = ciphertext[48:]
    nonce = hashlib.blake2b(ephemeral_public + recipient_public, digest_size=24).digest()
    shared = x25519(recipient_secret, ephemeral_public)
    box_key = hsalsa20(shared, bytes(16))
    subkey = hsalsa20(box_key, nonce[:16])
    stream = _salsa20_stream(subkey, nonce[16:], 32 + len(body))
    if not hmac.compare_digest(_poly1305(stream[:32], body), tag):
        raise ValueError("sealed box authentication failed")
    return bytes(c ^ k for c, k in zip(body, stream[32:]))
