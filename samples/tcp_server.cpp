// SPDX-License-Identifier: MIT
// A small libuv TCP server that answers each request from a uvmysql Pool, on the same loop:
// the embedding pattern of docs/server.md. Clean shutdown on SIGINT/SIGTERM.
//
//   sample-tcp-server [--port P]         line protocol: "12\n" -> "144\n" (SELECT 12 * 12)
//   sample-tcp-server --http [--port P]  HTTP/1.1 keep-alive: GET /square?n=12 -> 200 "144\n"
//   sample-tcp-server --http-static      the same HTTP server answering without the database
//                                        (the baseline of test/bench/http_server.sh)
//
// Prints "listening on 127.0.0.1:PORT" once ready (port 0, the default, picks a free one).
#include <uv.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <uvmysql/uvmysql.hpp>

#include "sample_options.hpp"

namespace {

enum class Mode { line, http, http_static };

struct Server;

/// One client connection. Owned by a shared_ptr that the handle's data and every query in flight
/// hold, so that a reply arriving after the client left finds `closed` set, not freed memory.
struct Client : std::enable_shared_from_this<Client> {
    uv_tcp_t handle{};
    Server* server = nullptr;
    std::string inbox;
    std::deque<std::string> requests;   // complete requests not answered yet, in order
    bool busy = false;                  // the front request is being answered
    bool close_after_reply = false;     // HTTP "Connection: close", or a bad request
    bool closed = false;
    std::shared_ptr<Client> self;       // the handle's reference, dropped in its close callback
};

struct Server {
    uv_loop_t* loop = nullptr;
    Mode mode = Mode::line;
    uv_tcp_t listener{};
    uv_signal_t sigint{};
    uv_signal_t sigterm{};
    uvmysql::Pool pool;
    std::set<Client*> clients;
    bool stopping = false;
};

// ---- answers ---------------------------------------------------------------------------------

/// The number a request asks about, or nullopt when it is not one.
std::optional<long long> parse_number(std::string_view text) {
    long long n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return n;
}

std::string http_response(int status, std::string_view reason, std::string_view body, bool close) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                      "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    if (close) out += "Connection: close\r\n";
    out += "\r\n";
    out += body;
    return out;
}

/// The square of `n`, computed by the database through the pool (acquire, query, release).
uvmysql::Future<std::string> square_from_db(uvmysql::Pool& pool, long long n) {
    return pool.query("SELECT %s * %s", n, n).then([](std::vector<uvmysql::Row> rows) {
        return rows.at(0).at(0).to_string() + "\n";
    });
}

/// The reply to one complete request, in the server's mode.
uvmysql::Future<std::string> answer(Server& server, Client& client, const std::string& request) {
    if (server.mode == Mode::line) {
        const auto n = parse_number(request);
        if (!n) return uvmysql::make_ready_future<std::string>("error: not a number\n");
        return square_from_db(server.pool, *n).on_error(
            [](const uvmysql::Error& e) { return "error: " + std::string(e.what()) + "\n"; });
    }
    // HTTP: "GET /square?n=12 HTTP/1.1" then headers; only GET without a body is served.
    const std::string_view first = std::string_view(request).substr(0, request.find("\r\n"));
    client.close_after_reply = request.find("\r\nConnection: close") != std::string::npos;
    constexpr std::string_view prefix = "GET /square?n=";
    const auto space = first.find(' ', prefix.size());
    const auto n = first.rfind(prefix, 0) == 0 && space != std::string_view::npos
                       ? parse_number(first.substr(prefix.size(), space - prefix.size()))
                       : std::nullopt;
    if (!n || request.find("\r\nContent-Length:") != std::string::npos) {
        client.close_after_reply = true;
        return uvmysql::make_ready_future(http_response(400, "Bad Request", "try GET /square?n=12\n", true));
    }
    const bool close = client.close_after_reply;
    if (server.mode == Mode::http_static) {
        return uvmysql::make_ready_future(http_response(200, "OK", std::to_string(*n * *n) + "\n", close));
    }
    return square_from_db(server.pool, *n)
        .then([close](std::string body) { return http_response(200, "OK", body, close); })
        .on_error([close](const uvmysql::Error& e) {
            return http_response(503, "Service Unavailable", std::string(e.what()) + "\n", close);
        });
}

// ---- connections -----------------------------------------------------------------------------

void close_client(Client& client) {
    if (client.closed) return;
    client.closed = true;
    client.server->clients.erase(&client);
    uv_close(reinterpret_cast<uv_handle_t*>(&client.handle), [](uv_handle_t* h) {
        static_cast<Client*>(h->data)->self.reset();   // the last reference, unless a query holds one
    });
}

void write_reply(Client& client, std::string reply) {
    struct WriteRequest {
        uv_write_t req{};
        std::string data;
    };
    auto* w = new WriteRequest{{}, std::move(reply)};
    uv_buf_t buf = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
    const int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&client.handle), &buf, 1,
                            [](uv_write_t* req, int) { delete reinterpret_cast<WriteRequest*>(req); });
    if (rc != 0) {
        delete w;
        close_client(client);
    }
}

/// Answers the front request, then the next, one at a time so that replies keep their order.
void serve_next(Client& client) {
    if (client.closed || client.busy) return;
    if (client.requests.empty()) {
        if (client.server->stopping) close_client(client);   // idle: shutting down closes it now
        return;
    }
    client.busy = true;
    std::string request = std::move(client.requests.front());
    client.requests.pop_front();
    answer(*client.server, client, request)
        .then([c = client.shared_from_this()](std::string reply) {
            c->busy = false;
            if (c->closed) return;   // the client left while the database answered
            write_reply(*c, std::move(reply));
            if (c->close_after_reply) {
                close_client(*c);
                return;
            }
            serve_next(*c);
        })
        .detach();
}

/// Moves the complete requests of the inbox to the request queue.
void split_requests(Client& client) {
    const std::string_view end = client.server->mode == Mode::line ? "\n" : "\r\n\r\n";
    std::size_t start = 0;
    for (std::size_t pos; (pos = client.inbox.find(end, start)) != std::string::npos; start = pos + end.size()) {
        std::string request = client.inbox.substr(start, pos - start);
        if (client.server->mode == Mode::line && !request.empty() && request.back() == '\r') request.pop_back();
        client.requests.push_back(std::move(request));
    }
    client.inbox.erase(0, start);
}

void on_client_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    auto& client = *static_cast<Client*>(stream->data);
    if (nread > 0) {
        client.inbox.append(buf->base, static_cast<std::size_t>(nread));
        split_requests(client);
        if (client.inbox.size() > 64 * 1024) client.close_after_reply = true;   // no request is this long
        serve_next(client);
    } else if (nread < 0) {
        close_client(client);   // EOF or error: in-flight replies are dropped
    }
    delete[] buf->base;
}

void on_connection(uv_stream_t* listener, int status) {
    auto& server = *static_cast<Server*>(listener->data);
    if (status < 0 || server.stopping) return;
    auto client = std::make_shared<Client>();
    client->server = &server;
    client->self = client;
    uv_tcp_init(server.loop, &client->handle);
    client->handle.data = client.get();
    if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(&client->handle)) != 0) {
        client->closed = true;
        uv_close(reinterpret_cast<uv_handle_t*>(&client->handle),
                 [](uv_handle_t* h) { static_cast<Client*>(h->data)->self.reset(); });
        return;
    }
    uv_tcp_nodelay(&client->handle, 1);
    server.clients.insert(client.get());
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&client->handle),
        [](uv_handle_t*, std::size_t suggested, uv_buf_t* buf) { *buf = uv_buf_init(new char[suggested], static_cast<unsigned>(suggested)); },
        on_client_read);
}

// ---- shutdown --------------------------------------------------------------------------------

/// SIGINT/SIGTERM: stop accepting, let every request in flight get its reply, close idle
/// clients, then close the pool; the loop ends when the last handle is closed.
void shut_down(Server& server) {
    if (server.stopping) return;
    server.stopping = true;
    std::fprintf(stderr, "shutting down\n");
    uv_close(reinterpret_cast<uv_handle_t*>(&server.listener), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&server.sigint), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&server.sigterm), nullptr);
    for (Client* c : std::set<Client*>(server.clients)) serve_next(*c);   // idle ones close now
    server.pool.close();   // lent connections close as they come back
}

uvmysql::Task<> start(Server& server, int port) {
    uvmysql::PoolOptions pool_options;
    pool_options.minsize = 1;
    pool_options.maxsize = 16;
    if (server.mode != Mode::http_static) {
        server.pool = co_await uvmysql::create_pool(server.loop, samples::options_from_env("mysql"), pool_options);
    }
    uv_tcp_init(server.loop, &server.listener);
    server.listener.data = &server;
    sockaddr_in addr{};
    uv_ip4_addr("127.0.0.1", port, &addr);
    if (uv_tcp_bind(&server.listener, reinterpret_cast<const sockaddr*>(&addr), 0) != 0 ||
        uv_listen(reinterpret_cast<uv_stream_t*>(&server.listener), 512, on_connection) != 0) {
        throw uvmysql::OperationalError(0, "HY000", "cannot listen on 127.0.0.1:" + std::to_string(port));
    }
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(&server.listener, reinterpret_cast<sockaddr*>(&bound), &len);
    std::printf("listening on 127.0.0.1:%d\n", ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port));
    std::fflush(stdout);
    for (uv_signal_t* s : {&server.sigint, &server.sigterm}) {
        uv_signal_init(server.loop, s);
        s->data = &server;
    }
    auto on_signal = [](uv_signal_t* s, int) { shut_down(*static_cast<Server*>(s->data)); };
    uv_signal_start(&server.sigint, on_signal, SIGINT);
    uv_signal_start(&server.sigterm, on_signal, SIGTERM);
}

}  // namespace

int main(int argc, char** argv) {
    Server server;
    int port = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--http") {
            server.mode = Mode::http;
        } else if (arg == "--http-static") {
            server.mode = Mode::http_static;
        } else if (arg == "--port" && i + 1 < argc) {
            port = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: %s [--http | --http-static] [--port P]\n", argv[0]);
            return 2;
        }
    }
    uv_loop_t loop;
    uv_loop_init(&loop);
    server.loop = &loop;
    int exit_code = 0;
    uvmysql::spawn(start(server, port))
        .on_error([&](const uvmysql::Error& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            exit_code = 1;
            if (server.pool.size() > 0) server.pool.close();
        })
        .detach();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return exit_code;
}
