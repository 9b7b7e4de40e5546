// SPDX-License-Identifier: MIT
// Converters: the table of per-type decoder overrides.
#include "uvmysql/converters.hpp"

#include <algorithm>

namespace uvmysql {

Converters& Converters::set(FieldType type, Converter fn) {
    if (!fn) return reset(type);
    auto& slot = slot_[static_cast<std::uint8_t>(type)];
    if (slot != 0) {
        fns_[slot - 1] = std::move(fn);
        return *this;
    }
    // Reuse a slot freed by reset() before growing.
    const auto free = std::find_if(fns_.begin(), fns_.end(), [](const Converter& f) { return !f; });
    if (free != fns_.end()) {
        *free = std::move(fn);
        slot = static_cast<std::uint16_t>(free - fns_.begin() + 1);
    } else {
        fns_.push_back(std::move(fn));
        slot = static_cast<std::uint16_t>(fns_.size());
    }
    return *this;
}

Converters& Converters::reset(FieldType type) {
    auto& slot = slot_[static_cast<std::uint8_t>(type)];
    if (slot != 0) {
        fns_[slot - 1] = nullptr;
        slot = 0;
    }
    return *this;
}

bool Converters::empty() const noexcept {
    return std::all_of(slot_.begin(), slot_.end(), [](std::uint16_t s) { return s == 0; });
}

}  // namespace uvmysql
