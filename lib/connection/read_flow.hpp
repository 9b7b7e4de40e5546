// SPDX-License-Identifier: MIT
// ReadFlow: how an unbuffered result stops and restarts reading from the server (backpressure).
#pragma once

namespace uvmysql::detail {

/// Implemented by the connection; a RowStream uses it so that its consumer's pace, not the
/// server's, bounds the memory rows take. Both return false when there is no stream to control
/// (the session closed): nothing changed.
class ReadFlow {
public:
    virtual bool pause_reading() = 0;
    virtual bool resume_reading() = 0;

protected:
    ~ReadFlow() = default;
};

}  // namespace uvmysql::detail
