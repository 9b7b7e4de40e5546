// SPDX-License-Identifier: MIT
// Observer's empty defaults, out of line so that its vtable and type information live in the library.
#include "uvmysql/observer.hpp"

namespace uvmysql {

Observer::~Observer() = default;
void Observer::on_query_start(QueryEvent&) {}
void Observer::on_query_end(QueryEvent&, const QueryOutcome&) {}
void Observer::on_connect(const ConnectEvent&) {}
void Observer::on_close(const CloseEvent&) {}
void Observer::on_pool_acquire(const AcquireEvent&) {}

}  // namespace uvmysql
