// SPDX-License-Identifier: MIT
// The run queue (trampoline), the non-template half of the future state, and unhandled-failure logging.
#include "uvmysql/detail/future_state.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <string>

#include "async/block_cache.hpp"
#include "async/defer_continuations.hpp"
#include "async/unhandled.hpp"
#include "common/logger.hpp"
#include "uvmysql/error.hpp"

namespace uvmysql::detail {

namespace {

// Per-thread FIFO of ready jobs. constinit: no TLS guard on the hot path. initial-exec: a
// direct TLS access instead of a __tls_get_addr call per future from the shared library (a few
// bytes of the static TLS block that glibc keeps spare for this).
#define UVMYSQL_FAST_TLS [[gnu::tls_model("initial-exec")]]
struct RunQueue {
    Runnable* head;
    Runnable* tail;
    bool draining;
};
UVMYSQL_FAST_TLS constinit thread_local RunQueue run_queue{nullptr, nullptr, false};

std::uint16_t this_thread_tag() noexcept {
    static std::atomic<std::uint16_t> next_tag{1};
    UVMYSQL_FAST_TLS constinit thread_local std::uint16_t tag = 0;
    if (tag == 0) {
        do tag = next_tag.fetch_add(1, std::memory_order_relaxed);
        while (tag == 0);
    }
    return tag;
}

}  // namespace

void run_queued_jobs() noexcept {
    RunQueue& q = run_queue;
    while (Runnable* current = q.head) {
        q.head = current->next_;
        if (q.head == nullptr) q.tail = nullptr;
        current->run();  // may destroy *current, and may schedule more jobs
    }
    q.draining = false;
}

void schedule(Runnable& job) noexcept {
    RunQueue& q = run_queue;
    job.next_ = nullptr;
    if (q.tail != nullptr)
        q.tail->next_ = &job;
    else
        q.head = &job;
    q.tail = &job;
    if (q.draining) return;
    q.draining = true;
    run_queued_jobs();
}

DeferContinuations::DeferContinuations() noexcept : outermost_(!run_queue.draining) { run_queue.draining = true; }

DeferContinuations::~DeferContinuations() {
    if (outermost_) run_queued_jobs();
}

bool draining() noexcept { return run_queue.draining; }

void* StateBase::operator new(std::size_t size) { return cached_block_alloc(size); }

void StateBase::operator delete(void* block, std::size_t size) noexcept { cached_block_free(block, size); }

StateBase::StateBase() noexcept : owner_(this_thread_tag()) {}

StateBase::~StateBase() {
    if (failed() && exception_ && future_retrieved_) report_unhandled(exception_);
}

void StateBase::run() noexcept {
    assert(owner_ == this_thread_tag() && "a future was used from a thread other than its loop thread");
    continuation_(*this);
    continuation_ = nullptr;  // free what the continuation captured now, not when the state dies
    release();                // the reference handed to the continuation
}

std::exception_ptr broken_promise_error() {
    return std::make_exception_ptr(InterfaceError(0, "HY000", "broken promise"));
}

std::exception_ptr invalid_future_error() {
    return std::make_exception_ptr(
        InterfaceError(0, "HY000", "invalid future (default-constructed or consumed)"));
}

void throw_future_not_ready() { throw InterfaceError(0, "HY000", "future is not ready"); }

void report_unhandled(const std::exception_ptr& error) noexcept {
    try {
        if (const auto log = logger())
            log->error("a failed future was dropped without being handled: {}", describe_exception(error));
    } catch (...) {
        // Logging is best effort; a destructor must not throw.
    }
}

}  // namespace uvmysql::detail
