// SPDX-License-Identifier: MIT
// Fuzz target: the ResultReader state machine over a fuzzed sequence of server messages (OK, ERR,
// LOCAL INFILE, column counts, definitions, EOF, rows), with fuzzed capabilities.
#include "connection/result_reader.hpp"
#include "fuzz_check.hpp"
#include "protocol/capabilities.hpp"

using namespace uvmysql::detail;
using uvmysql::fuzz::inside;

namespace {

// Checks what the reader hands over against the message being fed.
class CheckingSink final : public ResultSink {
public:
    Bytes current;
    std::size_t columns = 0;
    bool in_set = false;
    int calls = 0;

    Status on_ok(const OkPacket& ok) override {
        UVMYSQL_FUZZ_CHECK(!in_set);
        UVMYSQL_FUZZ_CHECK(!current.empty() && (current[0] == header::ok || current[0] == header::eof));
        UVMYSQL_FUZZ_CHECK(inside(ok.info, current) && inside(ok.session_state, current));
        return done_call();
    }
    Status on_columns(std::shared_ptr<const std::vector<uvmysql::ColumnInfo>> cols) override {
        UVMYSQL_FUZZ_CHECK(!in_set && cols && !cols->empty() && cols->size() <= max_column_count);
        columns = cols->size();
        in_set = true;
        return done_call();
    }
    Status on_row(std::span<const FieldView> fields) override {
        UVMYSQL_FUZZ_CHECK(in_set && fields.size() == columns);
        for (const auto& f : fields) {
            if (f.is_null) {
                UVMYSQL_FUZZ_CHECK(f.size == 0);
            } else {
                UVMYSQL_FUZZ_CHECK(inside(f.data, f.size, current));
            }
        }
        return done_call();
    }
    Status on_end_of_rows(const OkPacket& end) override {
        UVMYSQL_FUZZ_CHECK(in_set);
        UVMYSQL_FUZZ_CHECK(!current.empty() && current[0] == header::eof);
        UVMYSQL_FUZZ_CHECK(inside(end.info, current) && inside(end.session_state, current));
        in_set = false;
        return done_call();
    }
    Status on_local_infile(std::string_view filename) override {
        UVMYSQL_FUZZ_CHECK(!in_set && inside(filename, current));
        return done_call();
    }
    // Now and then the sink refuses (as the connection does on a converter error): the reader
    // must give that error back.
    bool refuse = false;

private:
    Status done_call() {
        ++calls;
        return refuse ? Status::client(2000, "sink refused") : Status{};
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::uint64_t caps = (in.ConsumeBool() ? cap::deprecate_eof : 0) |
                               (in.ConsumeBool() ? cap::session_track : 0) | cap::protocol_41 |
                               (in.ConsumeBool() ? in.ConsumeIntegral<std::uint64_t>() : 0);
    const int refuse_at = in.ConsumeIntegralInRange<int>(-1, 32);
    const auto messages = uvmysql::fuzz::take_messages(in);

    CheckingSink sink;
    ColumnCache shared_cache;
    ResultReader reader(sink);
    if (refuse_at == 0) reader.use_column_cache(shared_cache);
    // Where the reader is, as seen from outside: a header or a row may be an ERR, a definition not.
    enum class Where { header, columns, rows } where = Where::header;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const Bytes payload(messages[i]);
        sink.current = payload;
        sink.refuse = refuse_at > 0 && sink.calls + 1 == refuse_at;
        const int calls_before = sink.calls;
        bool done = false;
        const Status st = reader.on_message(payload, caps, done);
        if (sink.refuse && sink.calls > calls_before) {
            UVMYSQL_FUZZ_CHECK(!st.ok() && st.message == "sink refused");
            break;
        }
        if (!payload.empty() && payload[0] == header::err && where != Where::columns) {
            // An ERR where a header or a row may come: the response ends in failure, never success.
            if (st.ok()) {
                UVMYSQL_FUZZ_CHECK(done);
                UVMYSQL_FUZZ_CHECK(!reader.server_error().ok() && reader.server_error().from_server);
            }
        }
        if (!st.ok()) break;   // the stream is out of sync: the connection closes it
        if (reader.in_rows()) {
            where = Where::rows;
        } else if (where == Where::header) {
            where = sink.calls == calls_before ? Where::columns : Where::header;
        } else if (where == Where::rows) {
            where = Where::header;
        }
        if (done) {
            // Done without an error: after an OK or the end of the last set (an ERR in place of a
            // row leaves in_rows() set; no caller asks it then).
            UVMYSQL_FUZZ_CHECK(!reader.server_error().ok() || !reader.in_rows());
            break;
        }
    }
    return 0;
}
