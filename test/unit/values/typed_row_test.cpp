// SPDX-License-Identifier: MIT
// Typed rows: every C++/SQL type pairing accepted or refused (with its message), conversions from
// wire text and from Values, NULL, ranges, matching by position and by name.
#include "uvmysql/typed_row.hpp"
#include "uvmysql/detail/row_sink.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "uvmysql/error.hpp"

using namespace uvmysql;

namespace {

ColumnInfo col(FieldType type, std::uint16_t flags = column_flag::not_null, std::string name = "c",
               std::uint16_t collation = 45, std::uint32_t length = 11) {
    ColumnInfo c;
    c.name = std::move(name);
    c.type = type;
    c.flags = flags;
    c.collation = collation;
    c.length = length;
    return c;
}
constexpr std::uint16_t nn = column_flag::not_null;
constexpr std::uint16_t nn_unsigned = column_flag::not_null | column_flag::unsigned_;

template <class C>
std::string check(const ColumnInfo& c, RowMapping m = {}) {
    auto e = detail::check_column(c, 0, detail::CppTypeOf<C>::value, m);
    if (!e) return "ok";
    try {
        std::rethrow_exception(e);
    } catch (const ProgrammingError& pe) {
        EXPECT_EQ(pe.sqlstate(), "07006");
        return pe.message();
    }
    return "?";
}

TEST(TypedRowCheck, IntegerWidthsAndSignedness) {
    EXPECT_EQ(check<std::int8_t>(col(FieldType::tiny)), "ok");
    EXPECT_EQ(check<std::uint8_t>(col(FieldType::tiny, nn_unsigned)), "ok");
    EXPECT_EQ(check<std::int16_t>(col(FieldType::tiny, nn_unsigned)), "ok");
    EXPECT_EQ(check<std::int32_t>(col(FieldType::int24)), "ok");
    EXPECT_EQ(check<std::int32_t>(col(FieldType::long_)), "ok");
    EXPECT_EQ(check<std::int64_t>(col(FieldType::long_, nn_unsigned)), "ok");
    EXPECT_EQ(check<std::uint32_t>(col(FieldType::long_, nn_unsigned)), "ok");
    EXPECT_EQ(check<std::int64_t>(col(FieldType::longlong)), "ok");
    EXPECT_EQ(check<std::uint64_t>(col(FieldType::longlong, nn_unsigned)), "ok");
    EXPECT_EQ(check<std::uint16_t>(col(FieldType::year, nn_unsigned)), "ok");
    EXPECT_EQ(check<std::int32_t>(col(FieldType::longlong, nn_unsigned, "big")),
              "typed row: column 1 'big' (BIGINT UNSIGNED) does not fit std::int32_t: it has values outside "
              "the C++ type's range");
    EXPECT_EQ(check<std::int64_t>(col(FieldType::longlong, nn_unsigned, "big")),
              "typed row: column 1 'big' (BIGINT UNSIGNED) does not fit std::int64_t: it has values outside "
              "the C++ type's range");
    EXPECT_EQ(check<std::uint64_t>(col(FieldType::longlong, nn, "n")),
              "typed row: column 1 'n' (BIGINT) does not fit std::uint64_t: it may be negative, which an "
              "unsigned type cannot hold");
    EXPECT_EQ(check<std::int16_t>(col(FieldType::int24, nn, "m")),
              "typed row: column 1 'm' (MEDIUMINT) does not fit std::int16_t: it has values outside the C++ "
              "type's range");
    EXPECT_NE(check<std::int8_t>(col(FieldType::tiny, nn_unsigned)).find("outside the C++ type's range"),
              std::string::npos);
    EXPECT_EQ(check<std::int64_t>(col(FieldType::double_, nn, "d")),
              "typed row: column 1 'd' (DOUBLE) does not fit std::int64_t: it is not an integer column");
    EXPECT_NE(check<std::int64_t>(col(FieldType::newdecimal)), "ok");
    EXPECT_NE(check<std::int64_t>(col(FieldType::varchar)), "ok");
}

TEST(TypedRowCheck, NullableColumnsNeedAnOptional) {
    const auto nullable = col(FieldType::long_, 0, "x");
    EXPECT_EQ(check<std::int32_t>(nullable),
              "typed row: column 1 'x' (INT) does not fit std::int32_t: it may be NULL: use "
              "std::optional<std::int32_t>");
    EXPECT_EQ(check<std::optional<std::int32_t>>(nullable), "ok");
    EXPECT_EQ(check<Value>(nullable), "ok");
    EXPECT_EQ(check<std::optional<std::string>>(col(FieldType::null, 0)), "ok");
    EXPECT_EQ(check<std::string>(col(FieldType::null, 0, "n")),
              "typed row: column 1 'n' (NULL) does not fit std::string: it is always NULL");
    // A type mismatch is reported before nullability, also for optionals.
    EXPECT_EQ(check<std::optional<Date>>(col(FieldType::varchar, 0, "s")),
              "typed row: column 1 's' (VARCHAR) does not fit std::optional<uvmysql::Date>: it is not a DATE "
              "column");
}

TEST(TypedRowCheck, FloatingPointAndDecimal) {
    EXPECT_EQ(check<float>(col(FieldType::float_)), "ok");
    EXPECT_EQ(check<double>(col(FieldType::float_)), "ok");
    EXPECT_EQ(check<double>(col(FieldType::double_)), "ok");
    EXPECT_EQ(check<float>(col(FieldType::double_)), "typed row: column 1 'c' (DOUBLE) does not fit float: it is "
                                                    "DOUBLE, which float would round: use double");
    EXPECT_EQ(check<double>(col(FieldType::newdecimal, nn, "price")),
              "typed row: column 1 'price' (DECIMAL) does not fit double: it is DECIMAL, whose digits double may "
              "lose: use uvmysql::Decimal, or ask for RowMapping::decimal_to_double");
    EXPECT_EQ(check<double>(col(FieldType::newdecimal), by_position.with_decimal_to_double()), "ok");
    EXPECT_EQ(check<Decimal>(col(FieldType::newdecimal)), "ok");
    EXPECT_NE(check<Decimal>(col(FieldType::double_)), "ok");
    EXPECT_NE(check<double>(col(FieldType::longlong)), "ok");
}

TEST(TypedRowCheck, StringsBytesAndBits) {
    for (FieldType t : {FieldType::varchar, FieldType::var_string, FieldType::string, FieldType::blob,
                        FieldType::tiny_blob, FieldType::medium_blob, FieldType::long_blob, FieldType::enum_,
                        FieldType::set, FieldType::json}) {
        EXPECT_EQ(check<std::string>(col(t)), "ok") << static_cast<int>(t);
        EXPECT_EQ(check<Bytes>(col(t, nn, "c", binary_collation)), "ok") << static_cast<int>(t);
    }
    EXPECT_EQ(check<Bytes>(col(FieldType::bit, nn, "b", binary_collation, 8)), "ok");
    EXPECT_EQ(check<Bytes>(col(FieldType::geometry)), "ok");
    EXPECT_EQ(check<std::string>(col(FieldType::long_, nn, "i")),
              "typed row: column 1 'i' (INT) does not fit std::string: it is not a string column (CHAR, VARCHAR, "
              "TEXT, BLOB, ENUM, SET, JSON)");
    EXPECT_EQ(check<bool>(col(FieldType::tiny)), "ok");
    EXPECT_EQ(check<bool>(col(FieldType::bit, nn, "b", binary_collation, 1)), "ok");
    EXPECT_EQ(check<bool>(col(FieldType::bit, nn, "b", binary_collation, 8)),
              "typed row: column 1 'b' (BIT(8)) does not fit bool: it is neither TINYINT (BOOLEAN) nor BIT(1)");
    EXPECT_NE(check<bool>(col(FieldType::long_)), "ok");
    EXPECT_EQ(check<Bytes>(col(FieldType::long_, nn, "i")),
              "typed row: column 1 'i' (INT) does not fit uvmysql::Bytes: it is not a string, BIT or GEOMETRY "
              "column");
}

TEST(TypedRowCheck, TemporalTypes) {
    EXPECT_EQ(check<Date>(col(FieldType::date)), "ok");
    EXPECT_EQ(check<DateTime>(col(FieldType::datetime)), "ok");
    EXPECT_EQ(check<DateTime>(col(FieldType::timestamp)), "ok");
    EXPECT_EQ(check<Time>(col(FieldType::time)), "ok");
    EXPECT_EQ(check<Date>(col(FieldType::datetime, nn, "d")),
              "typed row: column 1 'd' (DATETIME) does not fit uvmysql::Date: it is not a DATE column");
    EXPECT_EQ(check<DateTime>(col(FieldType::date, nn, "d")),
              "typed row: column 1 'd' (DATE) does not fit uvmysql::DateTime: it is not a DATETIME or TIMESTAMP "
              "column");
    EXPECT_EQ(check<Time>(col(FieldType::datetime, nn, "t")),
              "typed row: column 1 't' (DATETIME) does not fit uvmysql::Time: it is not a TIME column");
}

template <class C>
std::string check_default(const ColumnInfo& c) {
    return check<C>(c);
}

// Every wire type against every field type, NOT NULL columns (BIT of length 1): which pairs fit.
TEST(TypedRowCheck, EveryPairingAcceptedOrRefused) {
    const std::vector<FieldType> all{
        FieldType::decimal,  FieldType::tiny,        FieldType::short_,      FieldType::long_,     FieldType::float_,
        FieldType::double_,  FieldType::null,        FieldType::timestamp,   FieldType::longlong,  FieldType::int24,
        FieldType::date,     FieldType::time,        FieldType::datetime,    FieldType::year,      FieldType::newdate,
        FieldType::varchar,  FieldType::bit,         FieldType::timestamp2,  FieldType::datetime2, FieldType::time2,
        FieldType::json,     FieldType::newdecimal,  FieldType::enum_,       FieldType::set,       FieldType::tiny_blob,
        FieldType::medium_blob, FieldType::long_blob, FieldType::blob,       FieldType::var_string, FieldType::string,
        FieldType::geometry};
    using Set = std::vector<FieldType>;
    const Set integers{FieldType::tiny, FieldType::short_, FieldType::int24, FieldType::long_, FieldType::longlong,
                       FieldType::year};
    const Set strings{FieldType::varchar,   FieldType::var_string,  FieldType::string,    FieldType::tiny_blob,
                      FieldType::medium_blob, FieldType::long_blob, FieldType::blob,      FieldType::enum_,
                      FieldType::set,       FieldType::json};
    Set bytes = strings;
    bytes.push_back(FieldType::bit);
    bytes.push_back(FieldType::geometry);
    const auto in = [](const Set& s, FieldType t) { return std::find(s.begin(), s.end(), t) != s.end(); };
    struct Expect {
        std::string name;
        std::function<std::string(const ColumnInfo&)> check;
        Set accepted;
    };
    const std::vector<Expect> expectations{
        {"std::int64_t", check_default<std::int64_t>, integers},
        {"bool", check_default<bool>, {FieldType::tiny, FieldType::bit}},
        {"float", check_default<float>, {FieldType::float_}},
        {"double", check_default<double>, {FieldType::float_, FieldType::double_}},
        {"std::string", check_default<std::string>, strings},
        {"uvmysql::Bytes", check_default<Bytes>, bytes},
        {"uvmysql::Decimal", check_default<Decimal>, {FieldType::decimal, FieldType::newdecimal}},
        {"uvmysql::Date", check_default<Date>, {FieldType::date, FieldType::newdate}},
        {"uvmysql::DateTime", check_default<DateTime>,
         {FieldType::datetime, FieldType::datetime2, FieldType::timestamp, FieldType::timestamp2}},
        {"uvmysql::Time", check_default<Time>, {FieldType::time, FieldType::time2}},
        {"uvmysql::Value", check_default<Value>, all},
    };
    int pairs = 0;
    for (const Expect& e : expectations) {
        for (FieldType t : all) {
            const std::string got = e.check(col(t, nn, "c", 45, 1));
            ++pairs;
            if (in(e.accepted, t)) {
                EXPECT_EQ(got, "ok") << e.name << " from type " << static_cast<int>(t);
            } else {
                EXPECT_EQ(got.rfind("typed row: column 1 'c' (", 0), 0u) << e.name << " from " << static_cast<int>(t);
                EXPECT_NE(got.find(") does not fit " + e.name + ": it "), std::string::npos) << got;
            }
        }
    }
    EXPECT_EQ(pairs, 11 * 31);
}

// ---- conversions -----------------------------------------------------------------------------

using detail::FieldText;

std::shared_ptr<const Columns> cols(std::vector<ColumnInfo> cs) { return std::make_shared<const Columns>(std::move(cs)); }

TEST(TypedRowConvert, FromWireTextEveryType) {
    auto columns = cols({col(FieldType::longlong, nn, "id"), col(FieldType::varchar, 0, "name"),
                         col(FieldType::date, 0, "born"), col(FieldType::double_, nn, "score"),
                         col(FieldType::tiny, nn, "ok"), col(FieldType::newdecimal, nn, "price"),
                         col(FieldType::datetime, nn, "at"), col(FieldType::time, nn, "span"),
                         col(FieldType::blob, nn, "data", binary_collation), col(FieldType::long_, 0, "any")});
    using T = std::tuple<std::int64_t, std::optional<std::string>, std::optional<Date>, double, bool, Decimal,
                         DateTime, Time, Bytes, Value>;
    const detail::RowPlan<T> plan(*columns, {});
    const std::vector<FieldText> fields{{"-42", false},        {"Ann", false},
                                        {"", true},            {"2.5", false},
                                        {"1", false},          {"12.50", false},
                                        {"2024-02-29 10:11:12.000123", false},
                                        {"-838:59:59", false}, {std::string_view("a\0b", 3), false},
                                        {"7", false}};
    const T row = plan.convert(fields);
    EXPECT_EQ(std::get<0>(row), -42);
    EXPECT_EQ(std::get<1>(row), "Ann");
    EXPECT_FALSE(std::get<2>(row).has_value());
    EXPECT_EQ(std::get<3>(row), 2.5);
    EXPECT_TRUE(std::get<4>(row));
    EXPECT_EQ(std::get<5>(row), Decimal("12.50"));
    EXPECT_EQ(std::get<6>(row), *DateTime::parse("2024-02-29 10:11:12.000123"));
    EXPECT_EQ(std::get<7>(row), *Time::parse("-838:59:59"));
    EXPECT_EQ(std::get<8>(row).size(), 3u);
    EXPECT_EQ(std::get<9>(row), Value(7));
}

std::string field_error(const std::function<void()>& fn, std::string* sqlstate = nullptr) {
    try {
        fn();
    } catch (const DataError& e) {
        if (sqlstate) *sqlstate = e.sqlstate();
        return e.message();
    }
    return "no error";
}

TEST(TypedRowConvert, BadFieldsAreDataErrorsNamingTheColumn) {
    auto columns = cols({col(FieldType::date, nn, "d"), col(FieldType::long_, nn, "n")});
    const detail::RowPlan<std::tuple<Date, std::int32_t>> plan(*columns, {});
    std::string state;
    EXPECT_EQ(field_error([&] { (void)plan.convert(std::vector<FieldText>{{"0000-00-00", false}, {"1", false}}); },
                          &state),
              "typed row: column 1 'd' (DATE) value '0000-00-00' does not convert to uvmysql::Date");
    EXPECT_EQ(state, "22007");
    EXPECT_EQ(field_error([&] { (void)plan.convert(std::vector<FieldText>{{"2020-01-01", false}, {"", true}}); },
                          &state),
              "typed row: column 2 'n' (INT) value NULL does not convert to std::int32_t");
    EXPECT_EQ(state, "22002");
    EXPECT_EQ(field_error([&] { (void)plan.convert(std::vector<FieldText>{{"2020-01-01", false}, {"x1", false}}); },
                          &state),
              "typed row: column 2 'n' (INT) value 'x1' does not convert to std::int32_t");
    EXPECT_EQ(state, "22018");
    EXPECT_EQ(field_error([&] {
                  (void)plan.convert(std::vector<FieldText>{{"2020-01-01", false}, {"99999999999", false}});
              }, &state),
              "typed row: column 2 'n' (INT) value '99999999999' does not convert to std::int32_t");
    EXPECT_EQ(state, "22003");
}

struct User {
    std::int64_t id = 0;
    std::string name;
    std::optional<Date> born;
    static constexpr auto uvmysql_fields =
        uvmysql::fields(field("id", &User::id), field("name", &User::name), field("born", &User::born));
};

struct Legacy {   // a struct that cannot be changed: described from outside
    int code = 0;
    std::string label;
};

}  // namespace

template <>
struct uvmysql::row_fields<Legacy> {
    static constexpr auto value = uvmysql::fields(field("code", &Legacy::code), field("label", &Legacy::label));
};

namespace {

TEST(TypedRowConvert, StructsByPositionAndByName) {
    auto columns = cols({col(FieldType::longlong, nn, "id"), col(FieldType::varchar, nn, "name"),
                         col(FieldType::date, 0, "born")});
    Row row({Value(7), Value("Ann"), Value(Date{1990, 5, 17})}, columns);
    const User u = row_as<User>(row);
    EXPECT_EQ(u.id, 7);
    EXPECT_EQ(u.name, "Ann");
    EXPECT_EQ(u.born, (Date{1990, 5, 17}));

    // By name: order and extra columns do not matter.
    auto shuffled = cols({col(FieldType::date, 0, "born"), col(FieldType::varchar, nn, "extra"),
                          col(FieldType::varchar, nn, "name"), col(FieldType::longlong, nn, "id")});
    const User v = row_as<User>(Row({Value(), Value("x"), Value("Bo"), Value(9)}, shuffled), by_name);
    EXPECT_EQ(v.id, 9);
    EXPECT_EQ(v.name, "Bo");
    EXPECT_FALSE(v.born.has_value());
    // By position the same columns are refused, naming the first that does not fit.
    try {
        (void)row_as<User>(Row({Value(), Value("x"), Value("Bo"), Value(9)}, shuffled));
        FAIL() << "no error";
    } catch (const ProgrammingError& e) {
        EXPECT_EQ(e.message(), "typed row: the result has 4 columns, the row type 3 fields (matched by position)");
    }
    auto legacy = cols({col(FieldType::long_, nn, "code"), col(FieldType::var_string, nn, "label")});
    const Legacy l = row_as<Legacy>(Row({Value(3), Value("three")}, legacy));
    EXPECT_EQ(l.code, 3);
    EXPECT_EQ(l.label, "three");
}

TEST(TypedRowConvert, ByNameErrors) {
    auto columns = cols({col(FieldType::longlong, nn, "id"), col(FieldType::varchar, nn, "name")});
    try {
        (void)row_as<User>(Row({Value(1), Value("a")}, columns), by_name);
        FAIL() << "no error";
    } catch (const ProgrammingError& e) {
        EXPECT_EQ(e.message(), "typed row: no column named 'born' in the result (matched by name)");
    }
    try {
        (void)row_as<std::tuple<std::int64_t, std::string>>(Row({Value(1), Value("a")}, columns), by_name);
        FAIL() << "no error";
    } catch (const ProgrammingError& e) {
        EXPECT_NE(e.message().find("a std::tuple has no field names"), std::string::npos);
    }
}

TEST(TypedRowConvert, FromValuesZeroDatesAndRanges) {
    auto columns = cols({col(FieldType::date, nn, "d"), col(FieldType::tiny, nn_unsigned, "u")});
    using T = std::tuple<Date, std::uint8_t>;
    // A zero date decodes to text in a Value: there is no Date for it.
    EXPECT_EQ(field_error([&] { (void)row_as<T>(Row({Value("0000-00-00"), Value(1u)}, columns)); }),
              "typed row: column 1 'd' (DATE) value '0000-00-00' does not convert to uvmysql::Date");
    EXPECT_EQ(field_error([&] { (void)row_as<T>(Row({Value(Date{2020, 1, 1}), Value(300u)}, columns)); }),
              "typed row: column 2 'u' (TINYINT UNSIGNED) value '300' does not convert to std::uint8_t");
    const auto rows = rows_as<T>({Row({Value(Date{2020, 1, 1}), Value(200u)}, columns),
                                  Row({Value(Date{2021, 2, 3}), Value(0u)}, columns)});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(std::get<1>(rows[0]), 200);
    EXPECT_EQ(std::get<0>(rows[1]), (Date{2021, 2, 3}));
}

TEST(TypedRowConvert, ARowWithFewerValuesThanColumnsIsRefused) {
    auto columns = cols({col(FieldType::long_, nn, "a"), col(FieldType::long_, nn, "b")});
    using Pair = std::tuple<int, int>;
    EXPECT_THROW((void)row_as<Pair>(Row({Value(1)}, columns)), ProgrammingError);
}

TEST(TypedRowConvert, EmptyResultsAreStillChecked) {
    auto columns = cols({col(FieldType::varchar, nn, "s")});
    EXPECT_THROW((void)rows_as<std::tuple<std::int64_t>>({}, {}, columns), ProgrammingError);
    EXPECT_TRUE(rows_as<std::tuple<std::string>>({}, {}, columns).empty());
}

TEST(TypedRowConvert, APlanIsMadeOncePerResultSet) {
    auto columns = cols({col(FieldType::long_, nn, "n")});
    const auto& first = detail::plan_for<std::tuple<int>>(columns, {});
    const auto& again = detail::plan_for<std::tuple<int>>(columns, {});
    EXPECT_EQ(&first, &again);
    EXPECT_EQ(first.column_of(0), 0u);
    auto other = cols({col(FieldType::varchar, nn, "s")});
    EXPECT_THROW((void)detail::plan_for<std::tuple<int>>(other, {}), ProgrammingError);
}

/// Runs one result set of `n` rows (0, 1, 2, ...) through a fresh sink, as a query does.
std::vector<std::tuple<int>> run_sink(const std::shared_ptr<const Columns>& columns, int n) {
    detail::TypedRowSink<std::tuple<int>> sink({});
    sink.begin_set(columns);
    for (int i = 0; i < n; ++i) {
        const std::string text = std::to_string(i);
        const std::vector<FieldText> fields{{text, false}};
        sink.row(fields);
    }
    return sink.take_rows();
}

bool counts_up(const std::vector<std::tuple<int>>& rows) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (std::get<0>(rows[i]) != static_cast<int>(i)) return false;
    }
    return true;
}

TEST(TypedRowSink, AStatementRunAgainReservesItsRowsAndKeepsThemInOrder) {
    auto columns = cols({col(FieldType::long_, nn, "n")});
    // First run: no count known, rows wait in chunks and are gathered once.
    auto first = run_sink(columns, 50'000);
    ASSERT_EQ(first.size(), 50'000u);
    EXPECT_TRUE(counts_up(first));
    EXPECT_EQ(first.capacity(), first.size());
    // Same count again: converted in place, nothing gathered, nothing spare.
    auto same = run_sink(columns, 50'000);
    EXPECT_TRUE(counts_up(same));
    EXPECT_EQ(same.capacity(), same.size());
    // More rows than last time: the reserved ones, then chunks, in order.
    auto more = run_sink(columns, 70'001);
    ASSERT_EQ(more.size(), 70'001u);
    EXPECT_TRUE(counts_up(more));
    EXPECT_EQ(more.capacity(), more.size());
    // Far fewer: the spare room of last time's count is given back.
    auto fewer = run_sink(columns, 10);
    ASSERT_EQ(fewer.size(), 10u);
    EXPECT_TRUE(counts_up(fewer));
    EXPECT_EQ(fewer.capacity(), 10u);
    // Another statement's columns start from nothing.
    auto other = cols({col(FieldType::long_, nn, "m")});
    EXPECT_TRUE(run_sink(other, 0).empty());
    EXPECT_EQ(run_sink(other, 3).size(), 3u);
}

}  // namespace
