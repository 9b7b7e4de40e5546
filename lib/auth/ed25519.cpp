// SPDX-License-Identifier: MIT
// Ed25519 signing as MariaDB's client_ed25519 plugin uses it (the password is the secret seed).
//
// A small, portable implementation of what signing needs, following RFC 8032 section 5.1:
// arithmetic mod p = 2^255 - 19 on 16 limbs of 16 bits (held in int64 so products and sums
// never overflow), the twisted Edwards curve in extended coordinates (unified addition,
// RFC 8032 5.1.4) with a constant-time ladder, and arithmetic mod the group order L on
// 32-bit limbs. Verification and point decoding are not needed by a client and not provided.
// SHA-512 comes from mbedTLS.
#include "auth/ed25519.hpp"

#include <algorithm>

#include "auth/mbedtls_compat.hpp"

namespace uvmysql::detail {

namespace {

// ---- GF(p), p = 2^255 - 19: value = sum(limb[i] * 2^(16 i)) -----------------------------------

using Fe = std::array<std::int64_t, 16>;

constexpr Fe fe_zero{};
constexpr Fe fe_one{1};
// 2 * d, d = -121665 / 121666 (the curve constant).
constexpr Fe fe_d2{0xf159, 0x26b2, 0x9b94, 0xebd6, 0xb156, 0x8283, 0x149a, 0x00e0,
                   0xd130, 0xeef3, 0x80f2, 0x198e, 0xfce7, 0x56df, 0xd9dc, 0x2406};
// The base point B = (x, 4/5) with x even, and x * y.
constexpr Fe base_x{0xd51a, 0x8f25, 0x2d60, 0xc956, 0xa7b2, 0x9525, 0xc760, 0x692c,
                    0xdc5c, 0xfdd6, 0xe231, 0xc0a4, 0x53fe, 0xcd6e, 0x36d3, 0x2169};
constexpr Fe base_y{0x6658, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666,
                    0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666};
constexpr Fe base_t{0xdda3, 0xa5b7, 0x8ab3, 0x6dde, 0x52f5, 0x7751, 0x9f80, 0x20f0,
                    0xe37d, 0x64ab, 0x4e8e, 0x66ea, 0x7665, 0xd78b, 0x5f0f, 0x6787};

// Brings every limb into [0, 2^16), folding the carry out of the top limb back into the
// bottom one (2^256 = 38 mod p). The value mod p is unchanged.
void fe_carry(Fe& a) noexcept {
    for (int i = 0; i < 16; ++i) {
        const std::int64_t c = a[i] >> 16;  // floor division: C++20 defines >> on negatives
        a[i] -= c * 65536;
        if (i < 15) {
            a[i + 1] += c;
        } else {
            a[0] += 38 * c;
        }
    }
}

Fe fe_add(const Fe& a, const Fe& b) noexcept {
    Fe r;
    for (int i = 0; i < 16; ++i) r[i] = a[i] + b[i];
    return r;
}

Fe fe_sub(const Fe& a, const Fe& b) noexcept {
    Fe r;
    for (int i = 0; i < 16; ++i) r[i] = a[i] - b[i];
    return r;
}

Fe fe_mul(const Fe& a, const Fe& b) noexcept {
    std::int64_t t[31] = {};
    for (int i = 0; i < 16; ++i)
        for (int j = 0; j < 16; ++j) t[i + j] += a[i] * b[j];
    for (int i = 0; i < 15; ++i) t[i] += 38 * t[i + 16];
    Fe r;
    for (int i = 0; i < 16; ++i) r[i] = t[i];
    fe_carry(r);
    fe_carry(r);
    return r;
}

// a^(p-2) = 1/a. p - 2 = 2^255 - 21: every bit from 254 down is set except bits 4 and 2.
Fe fe_invert(const Fe& a) noexcept {
    Fe c = a;
    for (int bit = 253; bit >= 0; --bit) {
        c = fe_mul(c, c);
        if (bit != 2 && bit != 4) c = fe_mul(c, a);
    }
    return c;
}

// Constant-time: swaps a and b when bit is 1.
void fe_cswap(Fe& a, Fe& b, std::int64_t bit) noexcept {
    const std::int64_t mask = -bit;
    for (int i = 0; i < 16; ++i) {
        const std::int64_t x = mask & (a[i] ^ b[i]);
        a[i] ^= x;
        b[i] ^= x;
    }
}

// The canonical 32-byte little-endian encoding (fully reduced mod p).
std::array<std::uint8_t, 32> fe_pack(const Fe& a) noexcept {
    constexpr Fe p_limbs{0xffed, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
                         0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0x7fff};
    Fe t = a;
    fe_carry(t);
    fe_carry(t);
    fe_carry(t);
    // Now 0 <= t < 2^256 < 2p + 38: subtracting p at most twice reduces it.
    for (int round = 0; round < 2; ++round) {
        Fe m;
        std::int64_t borrow = 0;
        for (int i = 0; i < 16; ++i) {
            const std::int64_t diff = t[i] - p_limbs[i] - borrow;
            borrow = (diff >> 63) & 1;
            m[i] = diff + borrow * 65536;
        }
        fe_cswap(t, m, 1 - borrow);  // keep t - p unless it went negative
    }
    std::array<std::uint8_t, 32> out{};
    for (int i = 0; i < 16; ++i) {
        out[2 * i] = static_cast<std::uint8_t>(t[i] & 0xff);
        out[2 * i + 1] = static_cast<std::uint8_t>((t[i] >> 8) & 0xff);
    }
    return out;
}

// ---- The curve -x^2 + y^2 = 1 + d x^2 y^2 in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z

struct Point {
    Fe x, y, z, t;
};

Point point_add(const Point& p, const Point& q) noexcept {
    const Fe a = fe_mul(fe_sub(p.y, p.x), fe_sub(q.y, q.x));
    const Fe b = fe_mul(fe_add(p.y, p.x), fe_add(q.y, q.x));
    const Fe c = fe_mul(fe_mul(p.t, q.t), fe_d2);
    const Fe zz = fe_mul(p.z, q.z);
    const Fe d = fe_add(zz, zz);
    const Fe e = fe_sub(b, a);
    const Fe f = fe_sub(d, c);
    const Fe g = fe_add(d, c);
    const Fe h = fe_add(b, a);
    return {fe_mul(e, f), fe_mul(g, h), fe_mul(f, g), fe_mul(e, h)};
}

void point_cswap(Point& p, Point& q, std::int64_t bit) noexcept {
    fe_cswap(p.x, q.x, bit);
    fe_cswap(p.y, q.y, bit);
    fe_cswap(p.z, q.z, bit);
    fe_cswap(p.t, q.t, bit);
}

// scalar * B for a 256-bit little-endian scalar, with the same operations for every scalar.
Point scalarmult_base(const std::uint8_t* scalar) noexcept {
    Point r{fe_zero, fe_one, fe_one, fe_zero};  // neutral element
    Point q{base_x, base_y, fe_one, base_t};    // invariant: q = r + B
    for (int i = 255; i >= 0; --i) {
        const std::int64_t bit = (scalar[i / 8] >> (i % 8)) & 1;
        point_cswap(r, q, bit);
        q = point_add(q, r);
        r = point_add(r, r);
        point_cswap(r, q, bit);
    }
    return r;
}

// RFC 8032 5.1.2: y with the sign (parity) of x in the top bit.
std::array<std::uint8_t, 32> point_encode(const Point& p) noexcept {
    const Fe zi = fe_invert(p.z);
    std::array<std::uint8_t, 32> out = fe_pack(fe_mul(p.y, zi));
    const std::uint8_t x_parity = fe_pack(fe_mul(p.x, zi))[0] & 1;
    out[31] ^= static_cast<std::uint8_t>(x_parity << 7);
    return out;
}

// ---- Scalars mod L = 2^252 + 27742317777372353535851937790883648493, on 32-bit limbs --------

constexpr int wide = 17;  // 544 bits: room for a 512-bit number and L shifted by up to 260
using Wide = std::array<std::uint32_t, wide>;
constexpr std::uint32_t order_limbs[8] = {0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de,
                                          0x00000000, 0x00000000, 0x00000000, 0x10000000};

Wide wide_from_bytes(const std::uint8_t* in, std::size_t n) noexcept {
    Wide w{};
    for (std::size_t i = 0; i < n; ++i) w[i / 4] |= std::uint32_t{in[i]} << (8 * (i % 4));
    return w;
}

// x mod L for x < 2^512, by constant-time shift-and-subtract (x / L < 2^260).
std::array<std::uint8_t, 32> reduce_mod_order(Wide x) noexcept {
    for (int shift = 260; shift >= 0; --shift) {
        Wide s{};  // L << shift
        const int limb = shift / 32;
        const int bits = shift % 32;
        for (int i = 0; i < 8; ++i) {
            const std::uint64_t v = std::uint64_t{order_limbs[i]} << bits;
            if (i + limb < wide) s[i + limb] |= static_cast<std::uint32_t>(v);
            if (i + limb + 1 < wide) s[i + limb + 1] |= static_cast<std::uint32_t>(v >> 32);
        }
        Wide diff{};
        std::uint64_t borrow = 0;
        for (int i = 0; i < wide; ++i) {
            const std::uint64_t d = std::uint64_t{x[i]} - s[i] - borrow;
            diff[i] = static_cast<std::uint32_t>(d);
            borrow = (d >> 32) & 1;
        }
        const std::uint32_t keep_diff = static_cast<std::uint32_t>(borrow) - 1;  // all ones if x >= s
        for (int i = 0; i < wide; ++i) x[i] = (diff[i] & keep_diff) | (x[i] & ~keep_diff);
    }
    std::array<std::uint8_t, 32> out{};
    for (int i = 0; i < 32; ++i) out[i] = static_cast<std::uint8_t>(x[i / 4] >> (8 * (i % 4)));
    return out;
}

// (r + k * a) mod L, all three 32-byte little-endian.
std::array<std::uint8_t, 32> muladd_mod_order(const std::uint8_t* r, const std::uint8_t* k, const std::uint8_t* a) noexcept {
    const Wide kw = wide_from_bytes(k, 32);
    const Wide aw = wide_from_bytes(a, 32);
    Wide acc = wide_from_bytes(r, 32);
    for (int i = 0; i < 8; ++i) {
        std::uint64_t carry = 0;
        for (int j = 0; j < 8; ++j) {
            const std::uint64_t v = std::uint64_t{kw[i]} * aw[j] + acc[i + j] + carry;
            acc[i + j] = static_cast<std::uint32_t>(v);
            carry = v >> 32;
        }
        for (int j = i + 8; carry != 0 && j < wide; ++j) {
            const std::uint64_t v = std::uint64_t{acc[j]} + carry;
            acc[j] = static_cast<std::uint32_t>(v);
            carry = v >> 32;
        }
    }
    return reduce_mod_order(acc);
}

struct Expanded {
    crypto::Sha512Digest az;  // clamped secret scalar (first half) and nonce prefix (second half)
    ~Expanded() { crypto::zeroize(az.data(), az.size()); }
};

void expand(std::string_view password, Expanded& e) {
    e.az = crypto::sha512({as_bytes(password)});
    e.az[0] &= 248;
    e.az[31] &= 127;
    e.az[31] |= 64;
}

}  // namespace

std::array<std::uint8_t, 32> ed25519_password_public_key(std::string_view password) {
    Expanded e;
    expand(password, e);
    return point_encode(scalarmult_base(e.az.data()));
}

std::array<std::uint8_t, 64> ed25519_password_sign(std::string_view password, Bytes message) {
    Expanded e;
    expand(password, e);
    const auto public_key = point_encode(scalarmult_base(e.az.data()));
    const Bytes prefix(e.az.data() + 32, 32);
    auto r_hash = crypto::sha512({prefix, message});
    auto r = reduce_mod_order(wide_from_bytes(r_hash.data(), r_hash.size()));
    const auto r_point = point_encode(scalarmult_base(r.data()));
    const auto k_hash = crypto::sha512({r_point, public_key, message});
    const auto k = reduce_mod_order(wide_from_bytes(k_hash.data(), k_hash.size()));
    const auto s = muladd_mod_order(r.data(), k.data(), e.az.data());
    std::array<std::uint8_t, 64> sig{};
    std::copy(r_point.begin(), r_point.end(), sig.begin());
    std::copy(s.begin(), s.end(), sig.begin() + 32);
    crypto::zeroize(r_hash.data(), r_hash.size());
    crypto::zeroize(r.data(), r.size());
    return sig;
}

}  // namespace uvmysql::detail
