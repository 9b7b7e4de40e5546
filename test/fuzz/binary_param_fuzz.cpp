// SPDX-License-Identifier: MIT
// Fuzz target: binary parameter encoding. decode(encode(x)) == x: COM_STMT_EXECUTE serialized from
// fuzzed Values reads back (parse_com_stmt_execute, the server's side) as the same values; and
// parse_com_stmt_execute on raw fuzzed payloads.
#include <cmath>

#include "fuzz_values.hpp"
#include "protocol/stmt_execute.hpp"
#include "protocol/stmt_execute_reader.hpp"

using namespace uvmysql::detail;
using uvmysql::Kind;
using uvmysql::Value;

namespace {

// What the server reads for a value sent as binary_param_type() chose.
bool same_after_round_trip(const Value& sent, const Value& got) {
    switch (sent.kind()) {
        case Kind::boolean: return got == Value(std::int64_t{*sent.get_if<bool>() ? 1 : 0});
        case Kind::float32: {
            // Sent as the double its shortest digits denote (docs/binary-protocol.md): the same float.
            const float f = *sent.get_if<float>();
            if (got.kind() != Kind::float64) return false;
            const double d = *got.get_if<double>();
            return std::isnan(f) ? std::isnan(d) : static_cast<float>(d) == f;
        }
        case Kind::float64: return got == sent || (std::isnan(*sent.get_if<double>()) && got.kind() == Kind::float64 &&
                                                   std::isnan(*got.get_if<double>()));
        default: return got == sent;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    if (in.ConsumeBool()) {
        // Raw bytes, as a server would receive them from anyone.
        const auto count = in.ConsumeIntegralInRange<std::size_t>(0, 20);
        StmtExecuteCommand cmd;
        if (in.ConsumeBool()) cmd.types.assign(count, ParamType{uvmysql::FieldType::longlong, false});
        const auto bytes = in.ConsumeRemainingBytes<std::uint8_t>();
        if (parse_com_stmt_execute(bytes, count, cmd).ok()) {
            UVMYSQL_FUZZ_CHECK(cmd.params.size() == count && cmd.types.size() == count);
        }
        return 0;
    }
    StmtExecuteRequest req;
    req.statement_id = in.ConsumeIntegral<std::uint32_t>();
    req.flags = in.ConsumeIntegral<std::uint8_t>();
    std::vector<Value> params;
    const auto count = in.ConsumeIntegralInRange<int>(0, 12);
    for (int i = 0; i < count; ++i) params.push_back(uvmysql::fuzz::make_scalar(in));
    req.params = params;

    std::vector<std::uint8_t> out = {0xAB};
    const Status st = serialize_com_stmt_execute(out, req);
    if (!st.ok()) {
        UVMYSQL_FUZZ_CHECK(out.size() == 1);   // nothing appended
        UVMYSQL_FUZZ_CHECK(st.client_kind == ClientKind::programming);
        return 0;
    }
    StmtExecuteCommand cmd;
    const Status back = parse_com_stmt_execute(Bytes(out).subspan(1), params.size(), cmd);
    UVMYSQL_FUZZ_CHECK(back.ok());
    UVMYSQL_FUZZ_CHECK(cmd.statement_id == req.statement_id && cmd.flags == req.flags);
    UVMYSQL_FUZZ_CHECK(cmd.params.size() == params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (!same_after_round_trip(params[i], cmd.params[i])) {
            std::fprintf(stderr, "parameter %zu: sent kind %d, read kind %d\n", i, static_cast<int>(params[i].kind()),
                         static_cast<int>(cmd.params[i].kind()));
        }
        UVMYSQL_FUZZ_CHECK(same_after_round_trip(params[i], cmd.params[i]));
    }
    // A second execute without the types: the server reads them from the first one.
    out.resize(1);
    req.send_types = false;
    UVMYSQL_FUZZ_CHECK(serialize_com_stmt_execute(out, req).ok());
    StmtExecuteCommand again;
    again.types = cmd.types;
    UVMYSQL_FUZZ_CHECK(parse_com_stmt_execute(Bytes(out).subspan(1), params.size(), again).ok());
    for (std::size_t i = 0; i < params.size(); ++i) UVMYSQL_FUZZ_CHECK(same_after_round_trip(params[i], again.params[i]));
    return 0;
}
