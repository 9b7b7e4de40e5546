// SPDX-License-Identifier: MIT
// Text-protocol result rows (ProtocolText::ResultsetRow), split into fields without allocating.
#include "protocol/text_row.hpp"

#include "protocol/packet_reader.hpp"

namespace uvmysql::detail {

Status parse_text_row(Bytes payload, std::span<FieldView> out) {
    PacketReader r(payload);
    for (FieldView& f : out) {
        if (r.remaining() > 0 && r.peek() == lenenc::null_marker) {
            r.skip(1);
            f = FieldView{};
            continue;
        }
        const Bytes b = r.lenenc_str();
        if (!r.ok()) return Status::malformed("text row shorter than its column count");
        f = FieldView{b.data(), b.size(), false};
    }
    if (!r.done()) return Status::malformed("text row longer than its column count");
    return {};
}

}  // namespace uvmysql::detail
