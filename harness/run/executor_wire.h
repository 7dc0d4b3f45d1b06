// Helpers of the cell executor (executor.cpp): pipe I/O, the setup message
// that lets a spawned child rebuild the plan, and the bounds on what a failed
// cell's error text may hold. Separate so that they can be unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/run/executor.h"

namespace sb::executor_wire {

bool write_all(int fd, const char* data, size_t size);
// False on EOF or error before `size` bytes.
bool read_all(int fd, char* data, size_t size);

// The setup message (rank -> child, before any chunk): what rebuilds the plan.
struct Setup {
  ExecutorOptions options;  // timeout_seconds is not sent: the rank times cells
  std::int32_t rank = 0;
};
// Length-prefixed message.
std::string encode_setup(const Setup& setup);
// The message's body (after its 8-byte length); InternalError when malformed.
Setup decode_setup(std::string_view body);
// Reads one message from `fd`; false on EOF.
bool read_setup(int fd, Setup& setup);

// The head (kMaxErrorMessageBytes) of an exception's message, cut at a UTF-8
// character boundary, with the full size noted when cut.
std::string clip_message(const char* what);

// The last kMaxCellOutputBytes of the output file `fd`, as a section to
// append to an error message ("" when the file is empty).
std::string output_section(int fd);

}  // namespace sb::executor_wire
