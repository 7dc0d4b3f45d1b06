// Content-hashed inputs (docs/EXTERNAL.md, "Content-hashed inputs"): the
// user files a dataset or an external method reads enter cell keys by the
// hash of their contents, not by their paths, so a changed file reruns
// exactly the cells that read it and a moved unchanged one reruns none.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/external.h"
#include "harness/core/params.h"
#include "harness/core/registry.h"

namespace sb {

// The content hash of a file, or of a folder's regular files (names and
// contents, by name; not recursive), as 32 hex digits. Computed once per
// process for a file of unchanged size and modification time. Throws
// InputError when the path cannot be read.
std::string content_hash(const std::string& path);

// The size in bytes of a file, or of a folder's regular files (as
// content_hash reads them); -1 when the path cannot be read.
std::int64_t content_size(const std::string& path);

// The dataset's parameters as its cells' keys hash them: the parameter that
// locates the files it reads (ComponentInfo::input_param) replaced by
// "content:<hash of the files>"; "" when it reads no file. `inputs` collects
// (absolute path, hash).
std::string dataset_key_json(const ComponentInfo& info, const ParamSet& params,
                             std::map<std::string, std::string>& inputs);
// The same as parameters; nullopt when it reads no file.
std::optional<ParamSet> dataset_key_params(const ComponentInfo& info, const ParamSet& params,
                                           std::map<std::string, std::string>& inputs);

// An external method's version as its cells' keys hash it: `version` +
// "+content:<hash>" of the files it reads, by position and content (the
// program given as a path, each later argument naming an existing file in its
// working folder, its listed `files`); "" when it reads none (or is not
// external).
std::string method_key_version(const std::string& version, const ExternalMethod* external,
                               const std::vector<std::string>& listed, std::map<std::string, std::string>& inputs);

}  // namespace sb
