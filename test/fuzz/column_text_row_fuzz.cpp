// SPDX-License-Identifier: MIT
// Fuzz target: ColumnDefinition41 parsing, the ColumnCache, text rows split into fields, and the
// typed decoding of every field for every column type (both use_unicode settings).
#include "fuzz_values.hpp"
#include "protocol/column_cache.hpp"
#include "protocol/column_definition.hpp"
#include "protocol/text_row.hpp"
#include "values/text_decoder.hpp"

using namespace uvmysql::detail;
using uvmysql::ColumnInfo;
using uvmysql::FieldType;
using uvmysql::Kind;
using uvmysql::fuzz::inside;

namespace {

// What a successful decode may give for each plan (temporal values that do not parse stay text).
bool kind_fits(DecodeAs as, Kind k) {
    switch (as) {
        case DecodeAs::null: return k == Kind::null || k == Kind::bytes || k == Kind::text;
        case DecodeAs::int64: return k == Kind::int64;
        case DecodeAs::uint64: return k == Kind::uint64;
        case DecodeAs::float64: return k == Kind::float64;
        case DecodeAs::decimal: return k == Kind::decimal;
        case DecodeAs::date: return k == Kind::date || k == Kind::text;
        case DecodeAs::datetime: return k == Kind::datetime || k == Kind::date || k == Kind::text;   // PyMySQL's fallback
        case DecodeAs::time: return k == Kind::time || k == Kind::text;
        case DecodeAs::text: return k == Kind::text;
        case DecodeAs::bytes: return k == Kind::bytes;
    }
    return false;
}

void decode_all(const ColumnInfo& col, std::string_view text) {
    for (const bool unicode : {true, false}) {
        uvmysql::Value v;
        const Status st = decode_text_field(col, text, unicode, v);
        const DecodeAs plan = decode_plan(col, unicode);
        if (st.ok()) {
            if (!kind_fits(plan, v.kind())) {
                std::fprintf(stderr, "plan %d gave kind %d\n", static_cast<int>(plan), static_cast<int>(v.kind()));
            }
            UVMYSQL_FUZZ_CHECK(kind_fits(plan, v.kind()));
            if (plan == DecodeAs::int64 || plan == DecodeAs::uint64) {
                // An integer's text read back is the same integer (leading zeros aside).
                const std::string back = plan == DecodeAs::int64 ? std::to_string(v.as<std::int64_t>())
                                                                 : std::to_string(v.as<std::uint64_t>());
                const auto sig = text.find_first_not_of("0-+");
                if (sig != std::string_view::npos && text.find_first_not_of("0123456789-+") == std::string_view::npos &&
                    text.find('-') == std::string_view::npos && text.find('+') == std::string_view::npos) {
                    UVMYSQL_FUZZ_CHECK(back == text.substr(sig));
                }
            }
        } else {
            UVMYSQL_FUZZ_CHECK(st.client_kind == ClientKind::data);
        }
        // The hot path agrees with decode_text_field.
        ColumnDecoder dec(col, unicode);
        std::vector<uvmysql::Value> row;
        Status err;
        const bool ok = dec.append(text, false, row, err);
        UVMYSQL_FUZZ_CHECK(ok == st.ok() && row.size() == 1);
        if (ok) UVMYSQL_FUZZ_CHECK(row[0] == v || v.kind() == Kind::float64);   // NaN != NaN
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const int mode = in.ConsumeIntegralInRange<int>(0, 2);
    if (mode == 0) {
        // A column of a fuzzed type and a fuzzed field text: the typed decoders.
        ColumnInfo col;
        col.type = in.PickValueInArray(uvmysql::fuzz::all_field_types);
        col.flags = in.ConsumeIntegral<std::uint16_t>();
        col.collation = in.ConsumeBool() ? uvmysql::binary_collation : in.ConsumeIntegral<std::uint16_t>();
        col.decimals = in.ConsumeIntegral<std::uint8_t>();
        col.length = in.ConsumeIntegral<std::uint32_t>();
        decode_all(col, in.ConsumeRemainingBytesAsString());
        return 0;
    }
    // A result set: column definitions through the cache, then rows split and decoded.
    const auto messages = uvmysql::fuzz::take_messages(in, 40);
    if (messages.empty()) return 0;
    const std::size_t count = std::min<std::size_t>(messages[0].empty() ? 1 : messages[0][0] % 8 + 1, messages.size() - 1);
    if (count == 0) return 0;
    ColumnCache cache;
    for (int pass = 0; pass < 2; ++pass) {   // the second set has the same bytes: the cached columns
        cache.begin(count);
        for (std::size_t i = 1; i <= count; ++i) {
            const Bytes def(messages[i]);
            ColumnInfo direct;
            const bool parsed = parse_column_definition41(def, direct).ok();
            if (!parsed) UVMYSQL_FUZZ_CHECK(direct.name.size() <= def.size());
            cache.add(def);
        }
        UVMYSQL_FUZZ_CHECK(cache.complete());
        std::shared_ptr<const std::vector<ColumnInfo>> columns;
        if (!cache.finish(columns).ok()) return 0;
        UVMYSQL_FUZZ_CHECK(columns && columns->size() == count);
        auto& fields = cache.field_views();
        fields.assign(count, FieldView{});
        for (std::size_t r = count + 1; r < messages.size(); ++r) {
            const Bytes payload(messages[r]);
            if (!parse_text_row(payload, fields).ok()) continue;
            for (std::size_t c = 0; c < count; ++c) {
                const auto& f = fields[c];
                if (f.is_null) continue;
                UVMYSQL_FUZZ_CHECK(inside(f.data, f.size, payload));
                if (pass == 0) decode_all((*columns)[c], f.text());
            }
        }
    }
    return 0;
}
