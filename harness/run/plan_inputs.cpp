#include "harness/run/plan_inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include "harness/core/errors.h"
#include "harness/run/hash128.h"

namespace sb {

namespace {

// Content hashes of files, by absolute path, valid while size and
// modification time stay the same (a run hashes each file once).
struct HashedFile {
  std::int64_t size = -1;
  std::int64_t mtime_ns = -1;
  std::string hash;
};

std::string hash_file(const std::filesystem::path& path) {
  static std::map<std::string, HashedFile> cache;
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) throw InputError("cannot read input file '{}'", path.string());
  const std::int64_t mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  HashedFile& known = cache[path.string()];
  if (known.size == static_cast<std::int64_t>(st.st_size) && known.mtime_ns == mtime) return known.hash;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read input file '{}'", path.string());
  Hash128 hash;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.add(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
  }
  known = {static_cast<std::int64_t>(st.st_size), mtime, key_of_hash(hash)};
  // A file modified within the last 2 s may change again within the same
  // timestamp tick (coarse clocks: milliseconds): not trusted from the cache
  // ("racy" entries, as git treats them).
  if (std::time(nullptr) - st.st_mtim.tv_sec < 2) known.mtime_ns = -1;
  return known.hash;
}

}  // namespace

std::string content_hash(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  if (!fs::is_directory(absolute, ec)) return hash_file(absolute);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(absolute, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) throw InputError("cannot list input folder '{}': {}", absolute.string(), ec.message());
  std::sort(files.begin(), files.end());
  Hash128 hash;
  for (const auto& f : files) {
    hash.add(f.filename().string());
    hash.add(std::string_view("\0", 1));
    hash.add(hash_file(f));
  }
  return key_of_hash(hash);
}

std::int64_t content_size(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    const auto size = fs::file_size(path, ec);
    return ec ? -1 : static_cast<std::int64_t>(size);
  }
  std::int64_t total = 0;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    if (entry.is_regular_file()) total += static_cast<std::int64_t>(entry.file_size(ec));
  }
  return ec ? -1 : total;
}

// The user files a dataset reads (ComponentInfo::input_files), hashed into
// its parameters in place of the parameter that locates them.
std::optional<ParamSet> dataset_key_params(const ComponentInfo& info, const ParamSet& params,
                                           std::map<std::string, std::string>& inputs) {
  if (!info.input_files) return std::nullopt;
  SB_THROW_IF_NOT(InternalError, params.has(info.input_param), "dataset '{}' reads files located by '{}', which it "
                  "does not declare", info.name, info.input_param);
  const std::vector<std::string> files = info.input_files(params);
  if (files.empty()) return std::nullopt;
  std::string content;
  if (files.size() == 1) {
    content = content_hash(files[0]);  // a folder's hash already covers its files' names
    inputs[std::filesystem::absolute(files[0]).lexically_normal().string()] = content;
  } else {
    Hash128 hash;  // by file name, not path: the folder may move
    for (const auto& f : files) {
      const std::string h = content_hash(f);
      inputs[std::filesystem::absolute(f).lexically_normal().string()] = h;
      hash.add(std::filesystem::path(f).filename().string());
      hash.add(std::string_view("\0", 1));
      hash.add(h);
    }
    content = key_of_hash(hash);
  }
  ParamSet key_params = params;
  key_params.set(info.input_param, "content:" + content);
  return key_params;
}

std::string dataset_key_json(const ComponentInfo& info, const ParamSet& params,
                             std::map<std::string, std::string>& inputs) {
  const auto key_params = dataset_key_params(info, params, inputs);
  return key_params ? key_params->to_json() : "";
}

// An external method's program and script (the program when it is given as
// a path, e.g. "./detect" or "bin/x.sh", not a name looked up in PATH such
// as "python3" nor a system program under /usr or /bin; every later argument naming an existing file in its working
// folder) and its listed `files`, hashed into its key version by position
// and content, not by name: "./x.py" and "x.py", or a moved script, are the
// same. "" when it reads none.
std::string method_key_version(const std::string& version, const ExternalMethod* external,
                               const std::vector<std::string>& listed, std::map<std::string, std::string>& inputs) {
  namespace fs = std::filesystem;
  if (!external) return "";
  std::vector<std::pair<std::string, std::string>> files;  // (position, file)
  for (size_t i = 0; i < external->command.size(); ++i) {
    const std::string& arg = external->command[i];
    // The program: a user file when given as a path, not when looked up in
    // PATH ("python3") or installed by the system ("/usr/bin/python3").
    if (i == 0 && (arg.find('/') == std::string::npos || arg.rfind("/usr/", 0) == 0 || arg.rfind("/bin/", 0) == 0))
      continue;
    std::error_code ec;
    if (fs::is_regular_file(fs::path(external->workdir) / arg, ec)) files.emplace_back("argument " + std::to_string(i), arg);
  }
  for (size_t i = 0; i < listed.size(); ++i) files.emplace_back("file " + std::to_string(i), listed[i]);
  if (files.empty()) return "";
  Hash128 hash;
  for (const auto& [position, f] : files) {
    const fs::path p = (fs::path(external->workdir) / f).lexically_normal();
    const std::string h = content_hash(p.string());
    inputs[p.string()] = h;
    hash.add(position);
    hash.add(std::string_view("\0", 1));
    hash.add(h);
  }
  return version + "+content:" + key_of_hash(hash);
}

}  // namespace sb
