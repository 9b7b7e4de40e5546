// SPDX-License-Identifier: MIT
// Binary-protocol parameters: the MYSQL_TYPE_* a Value is sent as, and its value bytes.
#include "protocol/binary_param.hpp"

#include <bit>
#include <charconv>
#include <limits>
#include <string>

#include "protocol/packet_writer.hpp"

namespace uvmysql::detail {

namespace {

Status cannot_send(std::string what) {
    return Status::client(0, "cannot send " + std::move(what) + " as a binary parameter", ClientKind::programming);
}

// An int64/uint64/bool Value's integer: its 64 bits (two's complement) and its sign.
struct Integer {
    bool negative = false;
    std::uint64_t bits = 0;
};

bool integer_of(const Value& v, Integer& out) noexcept {
    if (const auto* i = v.get_if<std::int64_t>()) {
        out = {*i < 0, static_cast<std::uint64_t>(*i)};
        return true;
    }
    if (const auto* u = v.get_if<std::uint64_t>()) {
        out = {false, *u};
        return true;
    }
    if (const auto* b = v.get_if<bool>()) {
        out = {false, *b ? 1u : 0u};
        return true;
    }
    return false;
}

int integer_width(FieldType t) noexcept {
    switch (t) {
        case FieldType::tiny: return 1;
        case FieldType::short_:
        case FieldType::year: return 2;
        case FieldType::long_:
        case FieldType::int24: return 4;
        case FieldType::longlong: return 8;
        default: return 0;
    }
}

// True when `n` fits an integer of `width` bytes, signed or not.
bool fits(const Integer& n, int width, bool is_unsigned) noexcept {
    const int bits = width * 8;
    if (is_unsigned) return !n.negative && (bits == 64 || n.bits >> bits == 0);
    const auto s = static_cast<std::int64_t>(n.bits);
    if (!n.negative && n.bits > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
    if (bits == 64) return true;
    const std::int64_t limit = std::int64_t{1} << (bits - 1);
    return s >= -limit && s < limit;
}

// float is sent as the double its shortest digits denote, as the text protocol sends those
// digits: 1.1f arrives as 1.1, not as 1.100000023841858.
double widen(float f) noexcept {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, f);
    double d = f;
    std::from_chars(buf, r.ptr, d);
    return d;
}

bool byte_part(int v) noexcept { return v >= 0 && v <= 0xFF; }

Status append_date(PacketWriter& w, const Date& d) {
    if (d.year < 0 || d.year > 0xFFFF || !byte_part(d.month) || !byte_part(d.day)) {
        return cannot_send("the date " + d.to_string());
    }
    if (d.year == 0 && d.month == 0 && d.day == 0) {
        w.int1(0);
        return {};
    }
    w.int1(4);
    w.int2(static_cast<std::uint16_t>(d.year));
    w.int1(static_cast<std::uint8_t>(d.month));
    w.int1(static_cast<std::uint8_t>(d.day));
    return {};
}

Status append_datetime(PacketWriter& w, const DateTime& t) {
    if (t.year < 0 || t.year > 0xFFFF || !byte_part(t.month) || !byte_part(t.day) || !byte_part(t.hour) ||
        !byte_part(t.minute) || !byte_part(t.second) || t.microsecond < 0) {
        return cannot_send("the datetime " + t.to_string());
    }
    // The shortest of the 0/4/7/11-byte forms that holds every non-zero part.
    const bool has_us = t.microsecond != 0;
    const bool has_time = has_us || t.hour != 0 || t.minute != 0 || t.second != 0;
    const bool has_date = has_time || t.year != 0 || t.month != 0 || t.day != 0;
    w.int1(has_us ? 11 : has_time ? 7 : has_date ? 4 : 0);
    if (!has_date) return {};
    w.int2(static_cast<std::uint16_t>(t.year));
    w.int1(static_cast<std::uint8_t>(t.month));
    w.int1(static_cast<std::uint8_t>(t.day));
    if (!has_time) return {};
    w.int1(static_cast<std::uint8_t>(t.hour));
    w.int1(static_cast<std::uint8_t>(t.minute));
    w.int1(static_cast<std::uint8_t>(t.second));
    if (has_us) w.int4(static_cast<std::uint32_t>(t.microsecond));
    return {};
}

Status append_time(PacketWriter& w, const Time& t) {
    const auto count = t.duration().count();
    const auto c = static_cast<std::uint64_t>(count);
    const std::uint64_t magnitude = count < 0 ? 0 - c : c;   // no overflow at INT64_MIN
    const std::uint64_t us = magnitude % 1'000'000;
    const std::uint64_t total_s = magnitude / 1'000'000;
    const std::uint64_t days = total_s / 86'400;
    if (days > 0xFFFFFFFF) return cannot_send("the time " + t.to_string());
    if (magnitude == 0) {
        w.int1(0);
        return {};
    }
    w.int1(us != 0 ? 12 : 8);
    w.int1(count < 0 ? 1 : 0);
    w.int4(static_cast<std::uint32_t>(days));
    w.int1(static_cast<std::uint8_t>(total_s / 3600 % 24));
    w.int1(static_cast<std::uint8_t>(total_s / 60 % 60));
    w.int1(static_cast<std::uint8_t>(total_s % 60));
    if (us != 0) w.int4(static_cast<std::uint32_t>(us));
    return {};
}

Status append_integer(PacketWriter& w, const Integer& n, ParamType type) {
    const int width = integer_width(type.type);
    if (!fits(n, width, type.is_unsigned)) return cannot_send("an integer out of the parameter type's range");
    switch (width) {
        case 1: w.int1(static_cast<std::uint8_t>(n.bits)); break;
        case 2: w.int2(static_cast<std::uint16_t>(n.bits)); break;
        case 4: w.int4(static_cast<std::uint32_t>(n.bits)); break;
        default: w.int8(n.bits); break;
    }
    return {};
}

}  // namespace

Status param_error(std::size_t index, std::string what) {
    return Status::client(0, "parameter " + std::to_string(index + 1) + ": " + std::move(what),
                          ClientKind::programming);
}

Status binary_param_type(const Value& value, ParamType& out) {
    switch (value.kind()) {
        case Kind::null: out = {FieldType::null, false}; return {};
        case Kind::boolean: out = {FieldType::tiny, false}; return {};
        case Kind::int64: out = {FieldType::longlong, false}; return {};
        case Kind::uint64: out = {FieldType::longlong, true}; return {};
        case Kind::float32:
        case Kind::float64: out = {FieldType::double_, false}; return {};
        case Kind::text: out = {FieldType::string, false}; return {};
        // BLOB parameters are taken as binary-charset strings, as `_binary'...'` is.
        case Kind::bytes: out = {FieldType::blob, false}; return {};
        case Kind::decimal: out = {FieldType::newdecimal, false}; return {};
        case Kind::date: out = {FieldType::date, false}; return {};
        case Kind::datetime: out = {FieldType::datetime, false}; return {};
        case Kind::time: out = {FieldType::time, false}; return {};
        case Kind::list: break;
    }
    return cannot_send("a list (bind each element to its own placeholder)");
}

Status append_binary_param(std::vector<std::uint8_t>& out, const Value& value, ParamType type) {
    PacketWriter w(out);
    if (integer_width(type.type) != 0) {
        Integer n;
        if (!integer_of(value, n)) return cannot_send(std::string("a ") + std::string(kind_name(value.kind())) + " as an integer");
        return append_integer(w, n, type);
    }
    const auto mismatch = [&] {
        return cannot_send(std::string("a ") + std::string(kind_name(value.kind())) + " value as type " +
                           std::to_string(static_cast<int>(type.type)));
    };
    switch (type.type) {
        case FieldType::double_: {
            double d = 0;
            if (const auto* f = value.get_if<float>()) {
                d = widen(*f);
            } else if (const auto* p = value.get_if<double>()) {
                d = *p;
            } else {
                return mismatch();
            }
            w.int8(std::bit_cast<std::uint64_t>(d));
            return {};
        }
        case FieldType::string:
        case FieldType::var_string:
        case FieldType::varchar:
        case FieldType::blob:
        case FieldType::tiny_blob:
        case FieldType::medium_blob:
        case FieldType::long_blob:
        case FieldType::newdecimal:
        case FieldType::decimal:
            if (const auto* s = value.get_if<std::string>()) {
                w.lenenc_str(*s);
            } else if (const auto* b = value.get_if<uvmysql::Bytes>()) {
                w.lenenc_str(b->view());
            } else if (const auto* d = value.get_if<Decimal>()) {
                w.lenenc_str(d->str());
            } else {
                return mismatch();
            }
            return {};
        case FieldType::date:
            if (const auto* d = value.get_if<Date>()) return append_date(w, *d);
            return mismatch();
        case FieldType::datetime:
        case FieldType::timestamp:
            if (const auto* t = value.get_if<DateTime>()) return append_datetime(w, *t);
            return mismatch();
        case FieldType::time:
            if (const auto* t = value.get_if<Time>()) return append_time(w, *t);
            return mismatch();
        default: return mismatch();
    }
}

}  // namespace uvmysql::detail
