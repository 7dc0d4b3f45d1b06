// Typed errors. Library code throws these; only main() maps them to exit codes:
//   InputError    -> 2 (usage, config, input file: nothing was run or written)
//   DatabaseError -> 3, InternalError -> 3
// A method that fails throws anything derived from std::exception; the harness
// records it as a cell with status `error` and carries on.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace sb {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class InputError : public Error {
 public:
  using Error::Error;
  template <class... Args>
  explicit InputError(fmt::format_string<Args...> f, Args&&... args)
      : Error(fmt::format(f, std::forward<Args>(args)...)) {}
};

class DatabaseError : public Error {
 public:
  using Error::Error;
  template <class... Args>
  explicit DatabaseError(fmt::format_string<Args...> f, Args&&... args)
      : Error(fmt::format(f, std::forward<Args>(args)...)) {}
};

class InternalError : public Error {
 public:
  using Error::Error;
  template <class... Args>
  explicit InternalError(fmt::format_string<Args...> f, Args&&... args)
      : Error(fmt::format(f, std::forward<Args>(args)...)) {}
};

// Error raised inside a method or scenario for bad numerical input
// (e.g. a singular design). Recorded as the cell's error message.
class MethodError : public Error {
 public:
  using Error::Error;
  template <class... Args>
  explicit MethodError(fmt::format_string<Args...> f, Args&&... args)
      : Error(fmt::format(f, std::forward<Args>(args)...)) {}
};

}  // namespace sb

namespace sb::detail {
// A broken invariant is ours to debug: its message also names the C++
// condition. Input and method errors reach researchers (the terminal, a
// cell's `error` column), so their message, which carries the values, stands
// alone.
template <class E>
inline constexpr bool kErrorNamesCondition = std::is_same_v<E, InternalError>;
}  // namespace sb::detail

// Precondition check in library code: throws `Type` with a formatted message
// that gives the values (an InternalError adds "(failed: <condition>)").
#define SB_THROW_IF_NOT(Type, cond, ...)                                     \
  do {                                                                       \
    if (!(cond)) {                                                           \
      if constexpr (::sb::detail::kErrorNamesCondition<Type>) {              \
        throw Type("{} (failed: {})", fmt::format(__VA_ARGS__), #cond);      \
      } else {                                                               \
        throw Type("{}", fmt::format(__VA_ARGS__));                          \
      }                                                                      \
    }                                                                        \
  } while (0)
