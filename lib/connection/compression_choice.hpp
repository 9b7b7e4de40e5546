// SPDX-License-Identifier: MIT
// Which compression a login asks for: the user's algorithms against the server's capabilities.
#pragma once

#include <cstdint>
#include <optional>

#include "common/status.hpp"
#include "protocol/compression_codec.hpp"
#include "uvmysql/options.hpp"

namespace uvmysql::detail {

/// The outcome of the negotiation, decided from the greeting.
struct CompressionChoice {
    std::optional<CompressionAlgorithm> algorithm;   ///< none: the session stays uncompressed
    std::uint64_t capability = 0;                     ///< the one flag to add to the login (or 0)
    int zstd_level = 3;
    Status error;                                     ///< a bad option, or no algorithm in common
};

/// Picks the first of the user's algorithms (ConnectOptions::compress / compression_algorithms)
/// that the server offers. Only one flag is sent, so the server has nothing left to choose.
/// "uncompressed" (in the list, or implied by `compress`) makes an uncompressed session an
/// acceptable outcome; without it, no common algorithm is an OperationalError
/// (cr::server_handshake_err). Unknown names and zstd levels outside 1..22 are ProgrammingErrors.
CompressionChoice choose_compression(const ConnectOptions& opt, std::uint64_t server_capabilities);

}  // namespace uvmysql::detail
