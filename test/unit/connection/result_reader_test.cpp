// SPDX-License-Identifier: MIT
// ResultReader fed COM_QUERY responses as payloads: OK, result sets with and without DEPRECATE_EOF,
// multi-results, ERR mid-rows, LOCAL INFILE requests, malformed packets, sink errors.
#include "connection/result_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../protocol/split.hpp"
#include "hex.hpp"
#include "protocol/capabilities.hpp"

namespace uvmysql::test {
namespace {

using detail::ClientKind;
using detail::FieldView;
using detail::OkPacket;
using detail::ResultReader;
using detail::ResultSink;
using detail::Status;
namespace cap = detail::cap;

constexpr std::uint64_t caps_eof = cap::protocol_41 | cap::transactions | cap::multi_results | cap::secure_connection;
constexpr std::uint64_t caps_deprecate = caps_eof | cap::deprecate_eof;

/// A ColumnDefinition41 of table test.t: utf8mb4 VARCHAR unless told otherwise.
ByteVec column(std::string_view name, std::uint8_t type = 0xfd, std::uint16_t flags = 0) {
    ByteVec p = concat({hex("03 646566  04 74657374  01 74  01 74"),
                        ByteVec{static_cast<std::uint8_t>(name.size())}, bytes_of(name),
                        ByteVec{static_cast<std::uint8_t>(name.size())}, bytes_of(name),
                        hex("0c 2d00 00010000"), ByteVec{type}, ByteVec{static_cast<std::uint8_t>(flags & 0xff),
                                                                       static_cast<std::uint8_t>(flags >> 8)},
                        hex("00 0000")});
    return p;
}

/// OK_Packet (no info, no session tracking).
ByteVec ok(std::uint8_t affected, std::uint8_t insert_id, std::uint16_t status, std::uint16_t warnings = 0) {
    return ByteVec{0x00, affected, insert_id, static_cast<std::uint8_t>(status & 0xff),
                   static_cast<std::uint8_t>(status >> 8), static_cast<std::uint8_t>(warnings & 0xff),
                   static_cast<std::uint8_t>(warnings >> 8)};
}

/// EOF_Packet (without DEPRECATE_EOF).
ByteVec eof(std::uint16_t status, std::uint16_t warnings = 0) {
    return ByteVec{0xfe, static_cast<std::uint8_t>(warnings & 0xff), static_cast<std::uint8_t>(warnings >> 8),
                   static_cast<std::uint8_t>(status & 0xff), static_cast<std::uint8_t>(status >> 8)};
}

/// The OK_Packet with a 0xFE header that ends rows under DEPRECATE_EOF.
ByteVec end_ok(std::uint16_t status, std::uint16_t warnings = 0) {
    ByteVec p = ok(0, 0, status, warnings);
    p[0] = 0xfe;
    return p;
}

/// ERR_Packet with SQLSTATE.
ByteVec err(std::uint16_t code, std::string_view state, std::string_view msg) {
    return concat({ByteVec{0xff, static_cast<std::uint8_t>(code & 0xff), static_cast<std::uint8_t>(code >> 8), '#'},
                   bytes_of(state), bytes_of(msg)});
}

/// A text row; std::nullopt is NULL.
ByteVec row(std::initializer_list<std::optional<std::string_view>> fields) {
    ByteVec p;
    for (const auto& f : fields) {
        if (!f) {
            p.push_back(0xfb);
            continue;
        }
        p.push_back(static_cast<std::uint8_t>(f->size()));
        p.insert(p.end(), f->begin(), f->end());
    }
    return p;
}

constexpr std::uint16_t autocommit = detail::status::autocommit;
constexpr std::uint16_t more = detail::status::more_results_exists;

/// A sink that writes every call down as a line of text, and can fail a chosen call.
class Recorder final : public ResultSink {
public:
    std::vector<std::string> events;
    std::string fail_on;   // "ok", "columns", "row", "end", "infile"

    Status on_ok(const OkPacket& p) override {
        events.push_back("ok rows=" + std::to_string(p.affected_rows) + " id=" + std::to_string(p.last_insert_id) +
                         " status=" + std::to_string(p.status_flags) + " warnings=" + std::to_string(p.warnings) +
                         (p.info.empty() ? "" : " info=" + std::string(p.info)));
        return maybe_fail("ok");
    }
    Status on_columns(std::shared_ptr<const std::vector<ColumnInfo>> columns) override {
        std::string e = "columns";
        for (const auto& c : *columns) e += " " + c.name + ":" + std::to_string(static_cast<int>(c.type));
        events.push_back(e);
        return maybe_fail("columns");
    }
    Status on_row(std::span<const FieldView> fields) override {
        std::string e = "row";
        for (const auto& f : fields) e += " " + (f.is_null ? std::string("NULL") : "'" + std::string(f.text()) + "'");
        events.push_back(e);
        return maybe_fail("row");
    }
    Status on_end_of_rows(const OkPacket& p) override {
        events.push_back("end status=" + std::to_string(p.status_flags) + " warnings=" + std::to_string(p.warnings));
        return maybe_fail("end");
    }
    Status on_local_infile(std::string_view filename) override {
        events.push_back("infile " + std::string(filename));
        return maybe_fail("infile");
    }

private:
    Status maybe_fail(std::string_view what) {
        if (fail_on == what) return Status::client(detail::cr::unknown_error, "sink refused " + std::string(what));
        return {};
    }
};

struct Outcome {
    std::vector<std::string> events;
    std::vector<bool> done;      // `done` after each message fed
    Status error;                // the first non-ok Status (feeding stops there)
    Status server_error;
    std::uint16_t last_status = 0;
};

/// Feeds `messages` to a fresh ResultReader, one payload per call.
Outcome drive(const std::vector<ByteVec>& messages, std::uint64_t caps, std::string fail_on = {}) {
    Recorder sink;
    sink.fail_on = std::move(fail_on);
    ResultReader reader(sink);
    Outcome out;
    for (const auto& m : messages) {
        bool done = true;
        const Status st = reader.on_message(detail::Bytes(m), caps, done);
        if (!st.ok()) {
            out.error = st;
            break;
        }
        out.done.push_back(done);
    }
    out.events = sink.events;
    out.server_error = reader.server_error();
    out.last_status = reader.last_status();
    return out;
}

/// `done` false after every message but the last.
std::vector<bool> done_at_end(std::size_t n) {
    std::vector<bool> d(n, false);
    if (n) d.back() = true;
    return d;
}

/// Frames the messages back to back (sequence ids 1, 2, ...), reads them back through a
/// FrameReader cut at every offset and expects the same outcome as whole payloads give.
void expect_same_at_every_split(const std::vector<ByteVec>& messages, std::uint64_t caps) {
    const Outcome whole = drive(messages, caps);
    ByteVec wire;
    std::uint8_t seq = 1;
    for (const auto& m : messages) detail::write_frames(wire, m, seq);
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        const ReadMessages read = read_all(wire, {cut}, 1);
        std::vector<ByteVec> payloads;
        for (const auto& r : read) payloads.push_back(r.payload);
        ASSERT_EQ(payloads, messages) << "cut " << cut;
        const Outcome split = drive(payloads, caps);
        EXPECT_EQ(split.events, whole.events) << "cut " << cut;
        EXPECT_EQ(split.done, whole.done) << "cut " << cut;
    }
}

TEST(ResultReader, OkOnly) {
    const auto o = drive({ok(1, 5, autocommit)}, caps_deprecate);
    EXPECT_TRUE(o.error.ok()) << o.error.message;
    EXPECT_EQ(o.events, std::vector<std::string>{"ok rows=1 id=5 status=2 warnings=0"});
    EXPECT_EQ(o.done, std::vector<bool>{true});
    EXPECT_TRUE(o.server_error.ok());
    EXPECT_EQ(o.last_status, autocommit);
}

TEST(ResultReader, OkWithInfoAndWarnings) {
    const ByteVec p = concat({ok(3, 0, autocommit, 2), bytes_of("Records: 3  Duplicates: 0  Warnings: 2")});
    const auto o = drive({p}, caps_eof);
    EXPECT_EQ(o.events,
              std::vector<std::string>{"ok rows=3 id=0 status=2 warnings=2 info=Records: 3  Duplicates: 0  Warnings: 2"});
    EXPECT_EQ(o.done, std::vector<bool>{true});
}

TEST(ResultReader, ResultSetWithEofPackets) {
    const std::vector<ByteVec> msgs = {hex("02"),           column("id", 0x03), column("name"), eof(autocommit),
                                       row({"1", std::nullopt}), row({"2", ""}),   row({"", "abc"}),
                                       eof(autocommit | 0x20, 1)};
    const auto o = drive(msgs, caps_eof);
    EXPECT_TRUE(o.error.ok()) << o.error.message;
    EXPECT_EQ(o.events, (std::vector<std::string>{"columns id:3 name:253", "row '1' NULL", "row '2' ''",
                                                  "row '' 'abc'", "end status=34 warnings=1"}));
    EXPECT_EQ(o.done, done_at_end(msgs.size()));
    EXPECT_EQ(o.last_status, autocommit | 0x20);
    expect_same_at_every_split(msgs, caps_eof);
}

TEST(ResultReader, ResultSetWithDeprecateEof) {
    const std::vector<ByteVec> msgs = {hex("01"), column("v"), row({"x"}), row({std::nullopt}), end_ok(autocommit, 3)};
    const auto o = drive(msgs, caps_deprecate);
    EXPECT_TRUE(o.error.ok()) << o.error.message;
    EXPECT_EQ(o.events, (std::vector<std::string>{"columns v:253", "row 'x'", "row NULL", "end status=2 warnings=3"}));
    EXPECT_EQ(o.done, done_at_end(msgs.size()));
    expect_same_at_every_split(msgs, caps_deprecate);
}

TEST(ResultReader, EmptyResultSet) {
    const auto a = drive({hex("01"), column("v"), eof(autocommit), eof(autocommit)}, caps_eof);
    EXPECT_EQ(a.events, (std::vector<std::string>{"columns v:253", "end status=2 warnings=0"}));
    EXPECT_EQ(a.done, done_at_end(4));
    const auto b = drive({hex("01"), column("v"), end_ok(autocommit)}, caps_deprecate);
    EXPECT_EQ(b.events, (std::vector<std::string>{"columns v:253", "end status=2 warnings=0"}));
    EXPECT_EQ(b.done, done_at_end(3));
}

TEST(ResultReader, InRowsOnlyBetweenColumnsAndEnd) {
    Recorder sink;
    ResultReader reader(sink);
    bool done = false;
    const std::vector<ByteVec> msgs = {hex("01"), column("v"), row({"1"}), end_ok(autocommit)};
    const std::vector<bool> in_rows_after = {false, true, true, false};
    for (std::size_t i = 0; i < msgs.size(); ++i) {
        ASSERT_TRUE(reader.on_message(detail::Bytes(msgs[i]), caps_deprecate, done).ok());
        EXPECT_EQ(reader.in_rows(), in_rows_after[i]) << "after message " << i;
    }
    EXPECT_TRUE(done);
}

TEST(ResultReader, TwoResultSetsWithMoreResultsExists) {
    const std::vector<ByteVec> msgs = {hex("01"),          column("a"),       eof(autocommit),
                                       row({"1"}),         eof(autocommit | more),
                                       hex("02"),          column("b"),       column("c"),
                                       eof(autocommit),    row({"2", "3"}),   eof(autocommit)};
    const auto o = drive(msgs, caps_eof);
    EXPECT_TRUE(o.error.ok()) << o.error.message;
    EXPECT_EQ(o.events, (std::vector<std::string>{"columns a:253", "row '1'", "end status=10 warnings=0",
                                                  "columns b:253 c:253", "row '2' '3'", "end status=2 warnings=0"}));
    EXPECT_EQ(o.done, done_at_end(msgs.size()));
    expect_same_at_every_split(msgs, caps_eof);
}

TEST(ResultReader, ProcedureCallEndsWithOk) {
    // CALL p() with a SELECT inside: the result set, then the OK of the CALL itself.
    const std::vector<ByteVec> msgs = {hex("01"), column("r"), row({"7"}), end_ok(autocommit | more),
                                       ok(0, 0, autocommit)};
    const auto o = drive(msgs, caps_deprecate);
    EXPECT_EQ(o.events, (std::vector<std::string>{"columns r:253", "row '7'", "end status=10 warnings=0",
                                                  "ok rows=0 id=0 status=2 warnings=0"}));
    EXPECT_EQ(o.done, done_at_end(msgs.size()));
    expect_same_at_every_split(msgs, caps_deprecate);
}

TEST(ResultReader, OkThenResultSet) {
    // "SET @a = 1; SELECT @a" with multi-statements.
    const std::vector<ByteVec> msgs = {ok(0, 0, autocommit | more), hex("01"), column("@a"), row({"1"}),
                                       end_ok(autocommit)};
    const auto o = drive(msgs, caps_deprecate);
    EXPECT_EQ(o.events, (std::vector<std::string>{"ok rows=0 id=0 status=10 warnings=0", "columns @a:253", "row '1'",
                                                  "end status=2 warnings=0"}));
    EXPECT_EQ(o.done, done_at_end(msgs.size()));
}

TEST(ResultReader, ErrMidRowsEndsTheResponse) {
    const std::vector<ByteVec> msgs = {hex("01"), column("v"), eof(autocommit), row({"1"}), row({"2"}),
                                       err(1317, "70100", "Query execution was interrupted")};
    const auto o = drive(msgs, caps_eof);
    EXPECT_TRUE(o.error.ok()) << o.error.message;   // a server error keeps the stream in sync
    EXPECT_EQ(o.events, (std::vector<std::string>{"columns v:253", "row '1'", "row '2'"}));
    EXPECT_EQ(o.done, done_at_end(msgs.size()));
    EXPECT_EQ(o.server_error.errno_code, 1317);
    EXPECT_EQ(o.server_error.sqlstate, "70100");
    EXPECT_EQ(o.server_error.message, "Query execution was interrupted");
    EXPECT_TRUE(o.server_error.from_server);
    expect_same_at_every_split(msgs, caps_eof);
}

TEST(ResultReader, ErrAsTheSecondResult) {
    // "SELECT 1; SELECT * FROM missing": the first set, then the ERR of the second statement.
    const std::vector<ByteVec> msgs = {hex("01"), column("1"), row({"1"}), end_ok(autocommit | more),
                                       err(1146, "42S02", "Table 'test.missing' doesn't exist")};
    const auto o = drive(msgs, caps_deprecate);
    EXPECT_TRUE(o.error.ok());
    EXPECT_EQ(o.events, (std::vector<std::string>{"columns 1:253", "row '1'", "end status=10 warnings=0"}));
    EXPECT_EQ(o.done, done_at_end(msgs.size()));
    EXPECT_EQ(o.server_error.errno_code, 1146);
}

TEST(ResultReader, ErrAsTheOnlyResponse) {
    const auto o = drive({err(1064, "42000", "You have an error in your SQL syntax")}, caps_deprecate);
    EXPECT_TRUE(o.error.ok());
    EXPECT_TRUE(o.events.empty());
    EXPECT_EQ(o.done, std::vector<bool>{true});
    EXPECT_EQ(o.server_error.errno_code, 1064);
    EXPECT_EQ(o.server_error.sqlstate, "42000");
}

TEST(ResultReader, LocalInfileRequestThenOk) {
    const std::vector<ByteVec> msgs = {concat({hex("fb"), bytes_of("/tmp/data.csv")}), ok(2, 0, autocommit)};
    const auto o = drive(msgs, caps_deprecate);
    EXPECT_EQ(o.events, (std::vector<std::string>{"infile /tmp/data.csv", "ok rows=2 id=0 status=2 warnings=0"}));
    EXPECT_EQ(o.done, (std::vector<bool>{false, true}));
    expect_same_at_every_split(msgs, caps_deprecate);
}

TEST(ResultReader, MalformedHeaders) {
    for (const ByteVec& bad : {ByteVec{}, hex("fd 000001"), hex("01 00"), hex("00 01"), hex("ff 01"),
                               hex("fc 00")}) {
        SCOPED_TRACE(testing::PrintToString(bad));
        const auto o = drive({bad}, caps_deprecate);
        EXPECT_FALSE(o.error.ok());
        EXPECT_EQ(o.error.errno_code, detail::cr::malformed_packet) << o.error.message;
        EXPECT_FALSE(o.error.from_server);
        EXPECT_TRUE(o.events.empty());
    }
}

TEST(ResultReader, MalformedColumnDefinition) {
    ByteVec truncated = column("v");
    truncated.resize(truncated.size() - 3);
    const auto o = drive({hex("01"), truncated}, caps_deprecate);
    EXPECT_EQ(o.error.errno_code, detail::cr::malformed_packet);
    EXPECT_TRUE(o.events.empty());
}

TEST(ResultReader, MissingEofAfterColumns) {
    // Without DEPRECATE_EOF the column definitions must be followed by an EOF packet.
    const auto o = drive({hex("01"), column("v"), row({"1"})}, caps_eof);
    EXPECT_EQ(o.error.errno_code, detail::cr::malformed_packet);
    EXPECT_TRUE(o.events.empty());
}

TEST(ResultReader, MalformedRows) {
    const std::vector<ByteVec> bad_rows = {
        row({"1", "2"}),          // more fields than columns
        ByteVec{},                // empty packet
        hex("05 6162"),           // length runs past the payload
        hex("fe 00"),             // a terminator too short to be an EOF packet
    };
    for (const ByteVec& bad : bad_rows) {
        SCOPED_TRACE(testing::PrintToString(bad));
        const auto o = drive({hex("01"), column("v"), eof(autocommit), bad}, caps_eof);
        EXPECT_EQ(o.error.errno_code, detail::cr::malformed_packet) << o.error.message;
        EXPECT_EQ(o.events, std::vector<std::string>{"columns v:253"});
    }
    // Fewer fields than columns.
    const auto o = drive({hex("02"), column("a"), column("b"), eof(autocommit), row({"1"})}, caps_eof);
    EXPECT_EQ(o.error.errno_code, detail::cr::malformed_packet);
}

TEST(ResultReader, SinkErrorsAbortReading) {
    for (const char* what : {"ok", "columns", "row", "end", "infile"}) {
        SCOPED_TRACE(what);
        std::vector<ByteVec> msgs;
        if (std::string_view(what) == "ok") msgs = {ok(0, 0, autocommit)};
        else if (std::string_view(what) == "infile") msgs = {concat({hex("fb"), bytes_of("f")})};
        else msgs = {hex("01"), column("v"), row({"1"}), end_ok(autocommit)};
        const auto o = drive(msgs, caps_deprecate, what);
        EXPECT_FALSE(o.error.ok());
        EXPECT_EQ(o.error.message, "sink refused " + std::string(what));
    }
}

}  // namespace
}  // namespace uvmysql::test

namespace uvmysql::test {
namespace {

constexpr std::uint16_t cursor_exists = detail::status::cursor_exists;
constexpr std::uint16_t last_row_sent = detail::status::last_row_sent;

/// Feeds `messages` to a fresh ResultReader that `set_up` prepared (as an op does).
template <class SetUp>
Outcome drive_set_up(const std::vector<ByteVec>& messages, std::uint64_t caps, SetUp set_up) {
    Recorder sink;
    ResultReader reader(sink);
    set_up(reader);
    Outcome out;
    for (const auto& m : messages) {
        bool done = true;
        if (const Status st = reader.on_message(detail::Bytes(m), caps, done); !st.ok()) {
            out.error = st;
            break;
        }
        out.done.push_back(done);
    }
    out.events = sink.events;
    out.last_status = reader.last_status();
    return out;
}

/// A reader for a COM_STMT_EXECUTE that asked for a cursor.
Outcome drive_cursor_open(const std::vector<ByteVec>& messages, std::uint64_t caps) {
    return drive_set_up(messages, caps, [](ResultReader& r) {
        r.use_binary_rows();
        r.expect_cursor();
    });
}

TEST(ResultReader, CursorOpenEndsAtTheEofAfterTheColumns) {
    const auto o = drive_cursor_open({ByteVec{0x01}, column("a"), eof(autocommit | cursor_exists)}, caps_eof);
    EXPECT_TRUE(o.error.ok()) << o.error.message;
    EXPECT_EQ(o.done, done_at_end(3));
    EXPECT_EQ(o.events, (std::vector<std::string>{"columns a:253", "end status=66 warnings=0"}));
    EXPECT_EQ(o.last_status, autocommit | cursor_exists);
    // Under DEPRECATE_EOF the end of rows right after the columns says the same.
    const auto d = drive_cursor_open({ByteVec{0x01}, column("a"), end_ok(autocommit | cursor_exists)}, caps_deprecate);
    EXPECT_EQ(d.done, done_at_end(3));
    EXPECT_EQ(d.events, o.events);
}

TEST(ResultReader, CursorFlagIsOnlyHonouredWhenACursorWasAskedFor) {
    // A stored procedure's own cursor sets the flag too: without expect_cursor() rows follow.
    const auto o = drive({ByteVec{0x01}, column("a"), eof(autocommit | cursor_exists), row({"x"}), eof(autocommit)},
                         caps_eof);
    EXPECT_TRUE(o.error.ok()) << o.error.message;
    EXPECT_EQ(o.done, done_at_end(5));
    EXPECT_EQ(o.events, (std::vector<std::string>{"columns a:253", "row 'x'", "end status=2 warnings=0"}));
}

TEST(ResultReader, FetchResponseIsRowsWithoutAHeader) {
    Recorder sink;
    ResultReader reader(sink);
    ColumnInfo a;
    a.name = "a";
    a.type = FieldType::var_string;
    reader.continue_rows(std::make_shared<const std::vector<ColumnInfo>>(std::vector<ColumnInfo>{a}));
    // Binary rows: 0x00, the NULL bitmap (offset 2: one byte for one column), the values.
    const std::vector<ByteVec> messages{hex("00 00 02 6869"), hex("00 04"), eof(autocommit | cursor_exists | last_row_sent)};
    std::vector<bool> done;
    for (const auto& m : messages) {
        bool d = true;
        ASSERT_TRUE(reader.on_message(detail::Bytes(m), caps_eof, d).ok());
        done.push_back(d);
    }
    EXPECT_EQ(done, done_at_end(3));
    EXPECT_EQ(sink.events, (std::vector<std::string>{"row 'hi'", "row NULL", "end status=194 warnings=0"}));
}

}  // namespace
}  // namespace uvmysql::test

namespace uvmysql::test {
namespace {

using detail::ColumnsSlot;
constexpr std::uint64_t caps_cache = caps_deprecate | detail::mariadb_cap::cache_metadata;

/// A reader that keeps a statement's columns in `slot`.
Outcome drive_statement(const std::vector<ByteVec>& messages, std::uint64_t caps, const ColumnsSlot& slot) {
    return drive_set_up(messages, caps, [&slot](ResultReader& r) { r.use_statement_columns(slot); });
}

TEST(ResultReader, CachedMetadataIsReusedWhenTheServerLeavesItOut) {
    auto slot = std::make_shared<std::shared_ptr<const std::vector<ColumnInfo>>>();
    // First execute: metadata follows (flag 1) and is kept.
    const auto first = drive_statement({hex("01 01"), column("a"), row({"x"}), end_ok(autocommit)}, caps_cache, slot);
    EXPECT_TRUE(first.error.ok()) << first.error.message;
    ASSERT_TRUE(*slot);
    EXPECT_EQ((*slot)->at(0).name, "a");
    // Next execute: flag 0, no definitions: the kept ones describe the rows.
    const auto next = drive_statement({hex("01 00"), row({"y"}), end_ok(autocommit)}, caps_cache, slot);
    EXPECT_TRUE(next.error.ok()) << next.error.message;
    EXPECT_EQ(next.done, done_at_end(3));
    EXPECT_EQ(next.events, (std::vector<std::string>{"columns a:253", "row 'y'", "end status=2 warnings=0"}));
    // Without DEPRECATE_EOF the EOF that ended the definitions still comes.
    const auto eofs = drive_statement({hex("01 00"), eof(autocommit), row({"z"}), eof(autocommit)},
                                      caps_eof | detail::mariadb_cap::cache_metadata, slot);
    EXPECT_EQ(eofs.events, (std::vector<std::string>{"columns a:253", "row 'z'", "end status=2 warnings=0"}));
    // Changed metadata (after an ALTER TABLE) replaces what was kept.
    (void)drive_statement({hex("02 01"), column("a"), column("b"), row({"1", "2"}), end_ok(autocommit)}, caps_cache,
                          slot);
    EXPECT_EQ((*slot)->size(), 2u);
}

TEST(ResultReader, LeftOutMetadataTheClientDoesNotHaveIsMalformed) {
    const auto no_slot = drive({hex("01 00"), row({"y"}), end_ok(autocommit)}, caps_cache);
    EXPECT_EQ(no_slot.error.errno_code, detail::cr::malformed_packet);
    auto slot = std::make_shared<std::shared_ptr<const std::vector<ColumnInfo>>>();
    const auto empty = drive_statement({hex("01 00")}, caps_cache, slot);
    EXPECT_EQ(empty.error.errno_code, detail::cr::malformed_packet);
    *slot = std::make_shared<const std::vector<ColumnInfo>>(1);
    const auto other_count = drive_statement({hex("02 00")}, caps_cache, slot);
    EXPECT_EQ(other_count.error.errno_code, detail::cr::malformed_packet);
    const auto bad_flag = drive_statement({hex("01 02")}, caps_cache, slot);
    EXPECT_EQ(bad_flag.error.errno_code, detail::cr::malformed_packet);
    // Without the capability the flag byte is not there: a trailing byte is malformed.
    const auto no_cap = drive({hex("01 01")}, caps_deprecate);
    EXPECT_EQ(no_cap.error.errno_code, detail::cr::malformed_packet);
}

}  // namespace
}  // namespace uvmysql::test
