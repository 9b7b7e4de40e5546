// SPDX-License-Identifier: MIT
// Fuzz target: the option-file parser on fuzzed files that include each other, inside a sandbox:
// a private temporary directory whose files the input writes, with '/' mapped to '_' so that no
// include can name a path outside it.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "connection/option_file.hpp"
#include "fuzz_check.hpp"

using namespace uvmysql::detail;
namespace fs = std::filesystem;

namespace {

// mkdtemp()/box: the parent holds nothing but box, so even `!includedir ..` finds no option file.
const fs::path& sandbox() {
    static const fs::path box = [] {
        std::string tmpl = (fs::temp_directory_path() / "uvmysql-fuzz-XXXXXX").string();
        const char* dir = ::mkdtemp(tmpl.data());
        if (dir == nullptr) std::abort();
        static const fs::path top = dir;
        fs::create_directories(top / "box" / "d");
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(top, ec);
        });
        return top / "box";
    }();
    return box;
}

void write_file(const fs::path& p, std::string text) {
    std::replace(text.begin(), text.end(), '/', '_');
    std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const fs::path& box = sandbox();
    // Always the same three files, rewritten (no other file ever appears in the box).
    // Three files at most: `!includedir .` in each of them stays at 2^10 reads, not 3^10.
    const std::string a = in.ConsumeRandomLengthString(512);
    const std::string c = in.ConsumeRandomLengthString(512);
    const std::string main_text = in.ConsumeRemainingBytesAsString();
    write_file(box / "a.cnf", a);
    write_file(box / "d" / "c.cnf", c);
    write_file(box / "main.cnf", main_text);

    for (const bool from_file : {true, false}) {
        OptionGroups groups;
        const std::string name = (box / "main.cnf").string();
        std::string text = main_text;
        std::replace(text.begin(), text.end(), '/', '_');
        const Status st = from_file ? read_option_file(name, groups) : parse_option_text(text, name, groups);
        if (!st.ok()) {
            UVMYSQL_FUZZ_CHECK(!st.message.empty());
            continue;
        }
        for (const auto& [group, options] : groups) {
            UVMYSQL_FUZZ_CHECK(!group.empty());
            UVMYSQL_FUZZ_CHECK(group.find('\n') == std::string::npos);
            for (const auto& [key, value] : options) {
                UVMYSQL_FUZZ_CHECK(!key.empty());
                UVMYSQL_FUZZ_CHECK(key.find('_') == std::string::npos);   // normalised to '-'
                UVMYSQL_FUZZ_CHECK(key.find('\n') == std::string::npos);
                UVMYSQL_FUZZ_CHECK(key.find('=') == std::string::npos);
            }
        }
    }
    return 0;
}
