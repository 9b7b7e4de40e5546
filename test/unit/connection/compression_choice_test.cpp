// SPDX-License-Identifier: MIT
// Tests of choose_compression: the user's algorithms against what the greeting offers.
#include "connection/compression_choice.hpp"

#include <gtest/gtest.h>

#include "protocol/capabilities.hpp"

namespace uvmysql::test {
namespace {

using detail::choose_compression;
using detail::CompressionAlgorithm;
namespace cap = detail::cap;

constexpr std::uint64_t both = cap::compress | cap::zstd_compression_algorithm;

ConnectOptions with(bool compress, std::string algorithms = {}, int level = 3) {
    ConnectOptions opt;
    opt.compress = compress;
    opt.compression_algorithms = std::move(algorithms);
    opt.zstd_compression_level = level;
    return opt;
}

TEST(CompressionChoice, OffByDefault) {
    const auto c = choose_compression(ConnectOptions{}, both);
    EXPECT_TRUE(c.error.ok());
    EXPECT_FALSE(c.algorithm);
    EXPECT_EQ(c.capability, 0u);
}

TEST(CompressionChoice, CompressMeansZlib) {
    const auto c = choose_compression(with(true), both);
    ASSERT_TRUE(c.algorithm);
    EXPECT_EQ(*c.algorithm, CompressionAlgorithm::zlib);
    EXPECT_EQ(c.capability, cap::compress);
}

TEST(CompressionChoice, CompressFallsBackSilentlyLikeConnectorC) {
    const auto c = choose_compression(with(true), cap::protocol_41);
    EXPECT_TRUE(c.error.ok());
    EXPECT_FALSE(c.algorithm);
    EXPECT_EQ(c.capability, 0u);
}

TEST(CompressionChoice, FirstOfferedAlgorithmWins) {
    auto c = choose_compression(with(false, "zstd,zlib"), both);
    EXPECT_EQ(c.algorithm, CompressionAlgorithm::zstd);
    EXPECT_EQ(c.capability, cap::zstd_compression_algorithm);
    c = choose_compression(with(false, "zstd, zlib"), cap::compress);   // MariaDB: no zstd
    EXPECT_EQ(c.algorithm, CompressionAlgorithm::zlib);
    EXPECT_EQ(c.capability, cap::compress);
    c = choose_compression(with(false, "zlib,zstd"), both);
    EXPECT_EQ(c.algorithm, CompressionAlgorithm::zlib);
}

TEST(CompressionChoice, NoCommonAlgorithmFailsUnlessUncompressedAllowed) {
    auto c = choose_compression(with(false, "zstd"), cap::compress);
    EXPECT_FALSE(c.error.ok());
    EXPECT_EQ(c.error.errno_code, detail::cr::server_handshake_err);
    EXPECT_EQ(c.error.client_kind, detail::ClientKind::operational);
    c = choose_compression(with(false, "zstd,uncompressed"), cap::compress);
    EXPECT_TRUE(c.error.ok());
    EXPECT_FALSE(c.algorithm);
    c = choose_compression(with(false, "uncompressed"), both);
    EXPECT_TRUE(c.error.ok());
    EXPECT_FALSE(c.algorithm);
}

TEST(CompressionChoice, BadOptionsAreProgrammingErrors) {
    auto c = choose_compression(with(false, "zlib,lz4"), both);
    EXPECT_EQ(c.error.client_kind, detail::ClientKind::programming);
    EXPECT_NE(c.error.message.find("lz4"), std::string::npos);
    c = choose_compression(with(false, "zstd", 0), both);
    EXPECT_EQ(c.error.client_kind, detail::ClientKind::programming);
    c = choose_compression(with(false, "zstd", 23), both);
    EXPECT_EQ(c.error.client_kind, detail::ClientKind::programming);
    c = choose_compression(with(false, "zstd", 22), both);
    EXPECT_TRUE(c.error.ok());
    EXPECT_EQ(c.zstd_level, 22);
}

}  // namespace
}  // namespace uvmysql::test
