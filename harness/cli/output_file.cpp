#include "harness/cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "harness/core/errors.h"
#include "harness/run/executor_wire.h"
#include "results/store/database.h"

namespace sb {

namespace fs = std::filesystem;

namespace {

// Same file on disk when both exist (catches links); otherwise the same
// normalised absolute path (a file that does not exist yet).
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec) && !ec;
  const fs::path ca = fs::weakly_canonical(a, ec);
  if (ec) return false;
  const fs::path cb = fs::weakly_canonical(b, ec);
  return !ec && ca == cb;
}

}  // namespace

void refuse_output_over_input(std::string_view command, const std::string& output,
                              const std::vector<std::string>& inputs) {
  for (const auto& input : inputs) {
    for (const char* side : kDatabaseFileSuffixes) {
      const std::string candidate = input + side;
      if (same_file(output, candidate)) {
        throw InputError("{}: the output '{}' is {}'{}', which this command reads; choose another output file",
                         command, output, *side ? "a side file of the database " : "the database ", input);
      }
    }
  }
}

void write_file_atomically(const std::string& path, std::string_view content) {
  std::error_code ec;
  fs::path target(path);
  // A symlink: its target is the file to replace, not the link.
  if (fs::is_symlink(target, ec)) target = fs::weakly_canonical(target, ec);
  const fs::file_status status = fs::status(target, ec);
  if (fs::is_directory(status)) throw InputError("cannot write '{}': it is a folder", path);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    // A device, FIFO or socket (-o /dev/stdout, a named pipe): written to,
    // never renamed over (that would replace the node itself).
    const int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw InputError("cannot write '{}': {}", path, std::strerror(errno));
    const bool written = executor_wire::write_all(fd, content.data(), content.size());
    const int err = errno;
    ::close(fd);
    if (!written) throw InputError("cannot write '{}': write failed: {}", path, std::strerror(err));
    return;
  }
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmp = (folder / fmt::format(".{}.tmp.XXXXXX", target.filename().string())).string();
  const int fd = mkstemp(tmp.data());
  if (fd < 0) throw InputError("cannot write '{}': cannot create a file in '{}': {}", path, folder.string(), std::strerror(errno));
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw InputError("cannot write '{}': {}: {}", path, what, std::strerror(err));
  };
  if (!executor_wire::write_all(fd, content.data(), content.size())) fail("write failed");
  // Readable by others like a file written the ordinary way (mkstemp: 0600).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0) fail("chmod failed");
  if (::fsync(fd) != 0) fail("fsync failed");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw InputError("cannot write '{}': close failed: {}", path, std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw InputError("cannot write '{}': rename failed: {}", path, std::strerror(err));
  }
}

}  // namespace sb
