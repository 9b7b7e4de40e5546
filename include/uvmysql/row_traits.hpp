// SPDX-License-Identifier: MIT
// row_traits<T>: the customisation point that makes a cursor's row type from a Row.
#pragma once

#include <utility>

#include "uvmysql/row.hpp"

namespace uvmysql {

namespace detail {
/// The customisation point before row_traits (`static RowT make(Row&&)`); row_traits' default
/// still uses a specialisation of it, so row types written against it keep working.
template <class RowT>
struct RowAdapter;
}  // namespace detail

/// How the cursors make a RowT from a Row: specialise it for a row type of your own (the
/// aiomysql docs' AttrDict example, samples/custom_row.cpp), then use BasicCursor<MyRow> or
/// BasicSSCursor<MyRow>:
///
///     template <> struct uvmysql::row_traits<MyRow> {
///         static MyRow from_row(uvmysql::Row&& row);
///     };
template <class RowT>
struct row_traits {
    /// Makes the cursor's row from the decoded Row (by default through detail::RowAdapter).
    static RowT from_row(Row&& row) { return detail::RowAdapter<RowT>::make(std::move(row)); }
};

/// Cursor and SSCursor rows: the Row itself.
template <>
struct row_traits<Row> {
    /// Returns the row unchanged.
    static Row from_row(Row&& row) { return std::move(row); }
};

/// DictCursor and SSDictCursor rows: the Row viewed by column name.
template <>
struct row_traits<DictRow> {
    /// Wraps the row in a DictRow (keys from its column metadata).
    static DictRow from_row(Row&& row) { return DictRow(std::move(row)); }
};

}  // namespace uvmysql
