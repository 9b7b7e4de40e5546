// SPDX-License-Identifier: MIT
// Error objects: the errno, SQLSTATE and PEP 249 class of a uvmysql::Error, as one JSON line.
#include "error_report.hpp"

#include <cstdio>

#include <uvmysql/error.hpp>

#include "value_json.hpp"

namespace query_tool {

namespace {

std::string_view class_name(uvmysql::ErrorClass cls) {
    using uvmysql::ErrorClass;
    switch (cls) {
        case ErrorClass::interface: return "InterfaceError";
        case ErrorClass::database: return "DatabaseError";
        case ErrorClass::data: return "DataError";
        case ErrorClass::operational: return "OperationalError";
        case ErrorClass::integrity: return "IntegrityError";
        case ErrorClass::internal: return "InternalError";
        case ErrorClass::programming: return "ProgrammingError";
        case ErrorClass::not_supported: return "NotSupportedError";
    }
    return "Error";
}

constexpr std::string_view general_sqlstate = "HY000";

}  // namespace

std::string error_json(int errno_code, std::string_view sqlstate, std::string_view error_class,
                       std::string_view message) {
    std::string out = "{\"errno\":" + std::to_string(errno_code) + ",\"sqlstate\":";
    append_json_string(out, sqlstate);
    out += ",\"class\":";
    append_json_string(out, error_class);
    out += ",\"message\":";
    append_json_string(out, message);
    out += '}';
    return out;
}

std::string error_json(const std::exception& e) {
    if (const auto* db = dynamic_cast<const uvmysql::Error*>(&e)) {
        const std::string_view sqlstate = db->sqlstate().empty() ? general_sqlstate : db->sqlstate();
        return error_json(db->errno_code(), sqlstate, class_name(uvmysql::error_class_of(*db)), db->message());
    }
    return error_json(0, general_sqlstate, class_name(uvmysql::ErrorClass::interface), e.what());
}

std::string usage_error_json(std::string_view message) {
    return error_json(0, general_sqlstate, "UsageError", message);
}

void report_error(const std::string& json) {
    std::fflush(stdout);   // rows printed before the error come first when both go to a terminal
    std::fprintf(stderr, "%s\n", json.c_str());
}

}  // namespace query_tool
