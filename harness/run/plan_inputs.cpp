#include "harness/run/plan_inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
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

// The user files a dataset reads (its `input-path:<param>` tags), hashed
// into its key JSON in place of their paths; "" when it reads none.
std::string dataset_key_json(const ComponentInfo& info, const ParamSet& params,
                             std::map<std::string, std::string>& inputs) {
  ParamSet key_params = params;
  bool any = false;
  for (const auto& tag : info.tags) {
    if (tag.rfind(kInputPathTagPrefix, 0) != 0) continue;
    const std::string param = tag.substr(std::string(kInputPathTagPrefix).size());
    if (!params.has(param)) continue;
    const std::string path = params.get_string(param);
    if (path.empty()) continue;
    const std::string hash = content_hash(path);
    inputs[std::filesystem::absolute(path).lexically_normal().string()] = hash;
    key_params.set(param, "content:" + hash);
    any = true;
  }
  return any ? key_params.to_json() : "";
}

// An external method's script (every argument after the program that names
// an existing file in its working folder) and listed `files`, hashed into its
// key version; "" when it reads none.
std::string method_key_version(const std::string& version, const ExternalMethod* external,
                               const std::vector<std::string>& listed, std::map<std::string, std::string>& inputs) {
  namespace fs = std::filesystem;
  if (!external) return "";
  std::vector<std::string> files;
  for (size_t i = 1; i < external->command.size(); ++i) {
    std::error_code ec;
    const fs::path p = fs::path(external->workdir) / external->command[i];
    if (fs::is_regular_file(p, ec)) files.push_back(external->command[i]);
  }
  for (const auto& f : listed) files.push_back(f);
  if (files.empty()) return "";
  Hash128 hash;
  for (const auto& f : files) {
    const fs::path p = (fs::path(external->workdir) / f).lexically_normal();
    const std::string h = content_hash(p.string());
    inputs[p.string()] = h;
    hash.add(f);  // as the config names it: relative names move with the folder
    hash.add(std::string_view("\0", 1));
    hash.add(h);
  }
  return version + "+content:" + key_of_hash(hash);
}

}  // namespace sb
