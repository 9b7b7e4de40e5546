// SPDX-License-Identifier: MIT
// A scripted MySQL server on the test's own uv loop, for what MariaDB cannot show:
// other auth plugins, malformed packets, drops mid-packet, stalls.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "fake_tls.hpp"
#include "protocol/compressed_frame_writer.hpp"
#include "protocol/compression_codec.hpp"

namespace uvmysql::test {

using Bytes = std::vector<std::uint8_t>;

/// One frame the client sent: its sequence id and payload.
struct ReceivedFrame {
    std::uint8_t seq = 0;
    Bytes payload;
};

/// Listens on 127.0.0.1:0 (or a unix socket) and plays a script against the first client that
/// connects. Steps run in order: sends go out at once, an expect waits for one whole client frame,
/// start_tls waits for the TLS handshake. Build the script before running the loop; `frames()`
/// shows what the client sent.
class FakeServer {
public:
    explicit FakeServer(uv_loop_t* loop);
    /// Listens on the unix socket `path` instead of TCP.
    FakeServer(uv_loop_t* loop, const std::string& path);
    ~FakeServer();
    FakeServer(const FakeServer&) = delete;
    FakeServer& operator=(const FakeServer&) = delete;

    [[nodiscard]] int port() const { return port_; }

    /// Sends raw bytes (already framed, or deliberately broken).
    FakeServer& send_raw(Bytes bytes);
    /// Sends one payload as a frame with sequence id `seq`.
    FakeServer& send(std::uint8_t seq, const Bytes& payload);
    /// Waits for the next client frame; `check` may inspect it (use gtest EXPECTs inside).
    FakeServer& expect(std::function<void(const ReceivedFrame&)> check = {});
    /// Runs `fn` when the script reaches this point (for example to reply based on what came in).
    FakeServer& then(std::function<void(FakeServer&)> fn);
    /// Closes the client connection (a drop, possibly mid-packet after a partial send_raw).
    FakeServer& close();
    /// Stops here and keeps the connection open without answering (a stalled server).
    FakeServer& stall();
    /// From here on, takes nothing more from the socket (a server too busy to read): what the
    /// client writes fills the kernel's buffers and then stays in the client.
    FakeServer& stop_reading();
    /// Runs the server side of a TLS handshake (after the client's SSLRequest); later steps send
    /// and expect through TLS. If the client refuses the handshake, the script stops here.
    FakeServer& start_tls();

    /// From here on, both directions use the compressed protocol with `algorithm` (after the
    /// login's OK, as a server switches). Each send goes out as one compressed packet (so a
    /// send_raw of several frames bundles them); received packets are unwrapped before framing.
    /// The compressed sequence id continues the last one received, as the servers number it.
    FakeServer& compress(detail::CompressionAlgorithm algorithm);
    /// Sends bytes straight to the socket, bypassing compression (broken compressed packets).
    FakeServer& send_wire(Bytes bytes);
    /// Compressed sequence ids of the compressed packets received, in order.
    [[nodiscard]] const std::vector<std::uint8_t>& compressed_seqs() const { return compressed_seqs_; }
    /// Bytes of compressed packets received (headers included), and their inflated size.
    [[nodiscard]] std::size_t compressed_bytes_in() const { return compressed_bytes_in_; }
    [[nodiscard]] std::size_t inflated_bytes_in() const { return inflated_bytes_in_; }

    /// Frames received so far.
    [[nodiscard]] const std::vector<ReceivedFrame>& frames() const { return frames_; }
    /// True once every step ran (a stall counts as reached).
    [[nodiscard]] bool finished() const { return next_ >= steps_.size(); }
    /// True after the client closed its end.
    [[nodiscard]] bool client_closed() const { return client_closed_; }
    /// True once a start_tls step completed its handshake.
    [[nodiscard]] bool tls_established() const { return tls_ && tls_->ready(); }
    /// Stops listening and closes the client; the loop can then finish.
    void shutdown();

private:
    struct Step {
        enum Kind { send, expect, run, close, stall, tls, compress, send_wire } kind;
        Bytes bytes;
        std::function<void(const ReceivedFrame&)> check;
        std::function<void(FakeServer&)> fn;
    };

    static void on_connection(uv_stream_t* server, int status);
    static void on_alloc(uv_handle_t*, std::size_t, uv_buf_t* buf);
    static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
    void advance();
    void write(Bytes bytes);
    void write_raw(Bytes bytes);
    bool take_frame(ReceivedFrame& out);
    /// Moves whole compressed packets from wire_inbox_ to inbox_, inflated.
    void unwrap_compressed();
    /// Plaintext (after TLS) from the client.
    void receive(const std::uint8_t* bytes, std::size_t n);

    union Handle {
        uv_tcp_t tcp;
        uv_pipe_t pipe;
    };
    Handle* new_handle();
    static void close_and_free(Handle*& h);

    uv_loop_t* loop_;
    bool unix_ = false;
    Handle* listener_ = nullptr;
    Handle* client_ = nullptr;
    int port_ = 0;
    std::unique_ptr<FakeTls> tls_;
    std::vector<Step> steps_;
    std::size_t next_ = 0;
    Bytes inbox_;
    std::vector<ReceivedFrame> frames_;
    char read_buf_[65536];
    bool client_closed_ = false;
    std::unique_ptr<detail::CompressionCodec> codec_;   // set by a compress step
    Bytes wire_inbox_;                                  // compressed bytes not yet unwrapped
    std::uint8_t compressed_seq_ = 0;                   // of the next packet the server sends
    std::vector<std::uint8_t> compressed_seqs_;
    std::size_t compressed_bytes_in_ = 0;
    std::size_t inflated_bytes_in_ = 0;
};

/// Frame builders for scripts.
Bytes frame(std::uint8_t seq, const Bytes& payload);
Bytes lenenc_str(const std::string& s);
/// A HandshakeV10 payload announcing `plugin` with a 20-byte nonce.
Bytes handshake_v10(const std::string& plugin, const Bytes& nonce, std::uint32_t capabilities,
                    const std::string& version = "8.0.36-fake");
Bytes ok_packet(std::uint64_t affected = 0, std::uint64_t insert_id = 0, std::uint16_t status = 2,
                std::uint16_t warnings = 0);
/// An ERR packet; an empty `sqlstate` leaves out the '#' marker and the state (as servers do
/// before the capabilities are agreed), so err_packet(0, "", "") is the bare `FF 00 00`.
Bytes err_packet(std::uint16_t code, const std::string& sqlstate, const std::string& message);
/// A column definition (ColumnDefinition41) named `name` of MYSQL_TYPE `type`.
Bytes column_def(const std::string& name, std::uint8_t type);
/// A text-protocol row.
Bytes text_row(std::initializer_list<std::string> fields);
/// The end of a result set's rows with DEPRECATE_EOF (an OK packet with the 0xFE header).
Bytes end_of_rows(std::uint16_t status = 2);
/// The 20-byte nonce the helpers use by default.
Bytes default_nonce();

}  // namespace uvmysql::test
