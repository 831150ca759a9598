"""Ed25519 signing (RFC 8032, section 5.1) and X25519 (RFC 7748), pure Python 3, standard library only.

Written for the conformance driver: small and readable, NOT constant time. Never use it to protect
real secrets; it only signs with throwaway keys minted by the mock backend.
"""
import hashlib

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493  # order of the base point
D = (-121665 * pow(121666, P - 2, P)) % P  # curve constant d = -121665/121666
SQRT_M1 = pow(2, (P - 1) // 4, P)  # a square root of -1 mod p


def _recover_x(y: int, sign: int) -> int:
    """x for a given y on the Edwards curve, with the requested parity (RFC 8032 5.1.3)."""
    if y >= P:
        raise ValueError("y out of range")
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = (u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P)) % P
    if (v * x * x - u) % P != 0:
        x = (x * SQRT_M1) % P
    if (v * x * x - u) % P != 0:
        raise ValueError("not a curve point")
    if x == 0 and sign == 1:
        raise ValueError("invalid sign for x = 0")
    if x & 1 != sign:
        x = P - x
    return x


# Points in extended homogeneous coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, x*y = T/Z.
_BY = (4 * pow(5, P - 2, P)) % P
_BX = _recover_x(_BY, 0)
BASE = (_BX, _BY, 1, (_BX * _BY) % P)
IDENTITY = (0, 1, 1, 0)


def _add(p, q):
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = ((y1 - x1) * (y2 - x2)) % P
    b = ((y1 + x1) * (y2 + x2)) % P
    c = (2 * t1 * t2 * D) % P
    d = (2 * z1 * z2) % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return ((e * f) % P, (g * h) % P, (f * g) % P, (e * h) % P)


def _multiply(scalar: int, point):
    result = IDENTITY
    addend = point
    while scalar > 0:
        if scalar & 1:
            result = _add(result, addend)
        addend = _add(addend, addend)
        scalar >>= 1
    return result


def _encode_point(point) -> bytes:
    x, y, z, _ = point
    z_inv = pow(z, P - 2, P)
    x = (x * z_inv) % P
    y = (y * z_inv) % P
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def _expand_seed(seed: bytes):
    if len(seed) != 32:
        raise ValueError("an Ed25519 seed is 32 bytes")
    digest = hashlib.sha512(seed).digest()
    scalar = int.from_bytes(digest[:32], "little")
    scalar &= (1 << 254) - 8
    scalar |= 1 << 254
    return scalar, digest[32:]


def public_key(seed: bytes) -> bytes:
    scalar, _ = _expand_seed(seed)
    return _encode_point(_multiply(scalar, BASE))


def sign(seed: bytes, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of message under the private key seed."""
    scalar, prefix = _expand_seed(seed)
    encoded_public = _encode_point(_multiply(scalar, BASE))
    r = int.from_bytes(hashlib.sha512(prefix + message).digest(), "little") % L
    encoded_r = _encode_point(_multiply(r, BASE))
    k = int.from_bytes(hashlib.sha512(encoded_r + encoded_public + message).digest(), "little") % L
    s = (r + k * scalar) % L
    return encoded_r + int.to_bytes(s, 32, "little")


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """Checks an Ed25519 signature (used by the driver's self-test only)."""
    if len(public) != 32 or len(signature) != 64:
        return False
    try:
        y = int.from_bytes(public, "little")
        a_point = (_recover_x(y & ((1 << 255) - 1), y >> 255), y & ((1 << 255) - 1))
        ry = int.from_bytes(signature[:32], "little")
        r_point = (_recover_x(ry & ((1 << 255) - 1), ry >> 255), ry & ((1 << 255) - 1))
    except ValueError:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= L:
        return False
    a_ext = (a_point[0], a_point[1], 1, (a_point[0] * a_point[1]) % P)
    r_ext = (r_point[0], r_point[1], 1, (r_point[0] * r_point[1]) % P)
    k = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _encode_point(_multiply(s, BASE)) == _encode_point(_add(r_ext, _multiply(k, a_ext)))


# --- X25519 (RFC 7748), for unsealing an encrypted task id -------------------------------------

A24 = 121665


def x25519(scalar: bytes, u_bytes: bytes) -> bytes:
    k = bytearray(scalar)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    k_int = int.from_bytes(bytes(k), "little")
    u = int.from_bytes(u_bytes, "little") & ((1 << 255) - 1)
    x2, z2, x3, z3 = 1, 0, u, 1
    swap = 0
    for t in reversed(range(255)):
        bit = (k_int >> t) & 1
        if swap ^ bit:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = bit
        a = (x2 + z2) % P
        aa = (a * a) % P
        b = (x2 - z2) % P
        bb = (b * b) % P
        e = (aa - bb) % P
        c = (x3 + z3) % P
        d = (x3 - z3) % P
        da = (d * a) % P
        cb = (c * b) % P
        x3 = ((da + cb) ** 2) % P
        z3 = (u * (da - cb) ** 2) % P
        x2 = (aa * bb) % P
        z2 = (e * (aa + A24 * e)) % P
    if swap:
        x2, x3, z2, z3 = x3, x2, z3, z2
    return int.to_bytes((x2 * pow(z2, P - 2, P)) % P, 32, "little")


def x25519_secret_from_ed25519_seed(seed: bytes) -> bytes:
    """SHA-512 of the seed, first 32 bytes, clamped (the agent key's Curve25519 secret)."""
    k = bytearray(hashlib.sha512(seed).digest()[:32])
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    return bytes(k)
