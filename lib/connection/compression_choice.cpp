// SPDX-License-Identifier: MIT
// choose_compression: parse compression_algorithms, match it with CLIENT_COMPRESS / CLIENT_ZSTD_...
#include "connection/compression_choice.hpp"

#include <string>
#include <string_view>

#include "protocol/capabilities.hpp"

namespace uvmysql::detail {

namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

Status bad_option(std::string what) { return Status::client(cr::unknown_error, std::move(what), ClientKind::programming); }
}  // namespace

CompressionChoice choose_compression(const ConnectOptions& opt, std::uint64_t server_capabilities) {
    CompressionChoice choice;
    choice.zstd_level = opt.zstd_compression_level;
    // MySQL's client treats --compress as "zlib" with an uncompressed fallback.
    std::string_view list = opt.compression_algorithms;
    if (list.empty()) list = opt.compress ? "zlib,uncompressed" : "";
    if (list.empty()) return choice;

    bool uncompressed_ok = false;
    bool chosen = false;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view name = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (name == "uncompressed") {
            uncompressed_ok = true;
            continue;
        }
        CompressionAlgorithm algorithm;
        std::uint64_t flag = 0;
        if (name == "zlib") {
            algorithm = CompressionAlgorithm::zlib;
            flag = cap::compress;
        } else if (name == "zstd") {
            algorithm = CompressionAlgorithm::zstd;
            flag = cap::zstd_compression_algorithm;
        } else {
            choice.error = bad_option("compression_algorithms: unknown algorithm '" + std::string(name) +
                                      "' (zlib, zstd or uncompressed)");
            return choice;
        }
        if (!chosen && (server_capabilities & flag)) {
            choice.algorithm = algorithm;
            choice.capability = flag;
            chosen = true;
        }
    }
    if (choice.algorithm == CompressionAlgorithm::zstd && (choice.zstd_level < 1 || choice.zstd_level > 22)) {
        choice.error = bad_option("zstd_compression_level must be 1..22, not " + std::to_string(choice.zstd_level));
        return choice;
    }
    if (!chosen && !uncompressed_ok) {
        choice.error = Status::client(cr::server_handshake_err,
                                      "the server supports none of the compression algorithms '" +
                                          opt.compression_algorithms + "' (add 'uncompressed' to allow none)");
    }
    return choice;
}

}  // namespace uvmysql::detail
