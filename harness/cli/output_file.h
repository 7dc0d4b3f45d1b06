// Files written by commands (report -o, merge OUT): never over an input the
// command reads, and never half-written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sb {

// Throws InputError when `output` is, or resolves to (symlink, hard link,
// "./x", "../dir/x"), one of `inputs` or one of their SQLite side files
// (-wal, -shm, -journal) or its run lock (-runlock). `command` names the
// command in the message.
void refuse_output_over_input(std::string_view command, const std::string& output,
                              const std::vector<std::string>& inputs);

// Writes `content` to a temporary file beside `path`, flushes it to disk and
// renames it over `path`: readers see the old file or the whole new one, and
// a failure leaves `path` untouched. A symlink's target is replaced (the
// link stays); a device, FIFO or socket (-o /dev/stdout) is written to
// directly; a folder is refused. Throws InputError naming the path.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace sb
