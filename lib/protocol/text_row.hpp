// SPDX-License-Identifier: MIT
// Text-protocol result rows (ProtocolText::ResultsetRow), split into fields without allocating.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/status.hpp"
#include "protocol/bytes.hpp"

namespace uvmysql::detail {

/// One field of a text row: a view into the row payload, or SQL NULL.
struct FieldView {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
    bool is_null = true;

    [[nodiscard]] Bytes bytes() const noexcept { return {data, size}; }
    [[nodiscard]] std::string_view text() const noexcept {
        return {reinterpret_cast<const char*>(data), size};
    }
};

/// Splits a text row into exactly out.size() fields (the column count): each is a lenenc
/// string or the NULL marker 0xFB. Fewer or more fields than columns, or a length running
/// past the payload, is cr::malformed_packet. The views live as long as the payload does;
/// `out` is the caller's (reused) array, so nothing is allocated.
Status parse_text_row(Bytes payload, std::span<FieldView> out);

}  // namespace uvmysql::detail
