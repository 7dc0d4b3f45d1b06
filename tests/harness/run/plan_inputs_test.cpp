// Content-hashed inputs (harness/run/plan_inputs.h): a folder's hash follows
// its files' names and bytes, not its place; a dataset's key JSON replaces
// its tagged path by the hash; an external method's key version covers its
// script and listed files.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/core/errors.h"
#include "harness/run/plan_inputs.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

class ContentHash : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("sb-plan-inputs-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "a");
    write("a/x.npy", "0123456789");
    write("a/y.npy", "abc");
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& name, const std::string& bytes) {
    std::ofstream(root_ / name, std::ios::binary | std::ios::trunc) << bytes;
  }
  std::string at(const std::string& name) const { return (root_ / name).string(); }
  fs::path root_;
};

TEST_F(ContentHash, FollowsBytesAndNamesNotThePlace) {
  const std::string h = content_hash(at("a"));
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(content_hash(at("a")), h);
  fs::rename(root_ / "a", root_ / "moved");
  EXPECT_EQ(content_hash(at("moved")), h);  // moved: same hash
  write("moved/x.npy", "0123456780");       // one byte (same size: the cache must not hide it)
  const std::string changed = content_hash(at("moved"));
  EXPECT_NE(changed, h);
  fs::rename(root_ / "moved/y.npy", root_ / "moved/z.npy");  // a renamed file is another input
  EXPECT_NE(content_hash(at("moved")), changed);
  EXPECT_NE(content_hash(at("moved/x.npy")), content_hash(at("moved/z.npy")));
  EXPECT_THROW(content_hash(at("nothing-here")), InputError);
}

TEST_F(ContentHash, ContentSizeCountsTheBytesItHashes) {
  EXPECT_EQ(content_size(at("a/x.npy")), 10);
  EXPECT_EQ(content_size(at("a")), 13);  // x.npy + y.npy
  fs::create_directories(root_ / "a/sub");
  write("a/sub/z.npy", "not counted: not hashed either (not recursive)");
  EXPECT_EQ(content_size(at("a")), 13);
  EXPECT_EQ(content_size(at("nothing-here")), -1);
}

TEST_F(ContentHash, DatasetKeyJsonReplacesTheInputParameterOnly) {
  ComponentInfo info;
  info.name = "npy";
  info.input_param = "dir";
  info.input_files = [](const ParamSet& p) { return std::vector<std::string>{p.get_string("dir")}; };
  ParamSet params;
  params.set("dir", at("a"));
  params.set("l2", 0.5);
  std::map<std::string, std::string> inputs;
  const std::string json = dataset_key_json(info, params, inputs);
  EXPECT_EQ(json, "{\"dir\":\"content:" + content_hash(at("a")) + "\",\"l2\":0.5}");
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs.begin()->first, at("a"));
  info.input_files = nullptr;
  EXPECT_EQ(dataset_key_json(info, params, inputs), "");  // reads nothing: the key keeps the params
}

TEST_F(ContentHash, DatasetKeyJsonOfSeveralFilesFollowsTheirContentsNotTheirFolder) {
  fs::create_directories(root_ / "b");
  fs::create_directories(root_ / "c");
  write("b/one.csv", "1,2");
  write("b/two.csv", "3,4");
  write("c/one.csv", "1,2");
  write("c/two.csv", "3,4");
  ComponentInfo info;
  info.name = "table";
  info.input_param = "data_dir";
  info.input_files = [](const ParamSet& p) {
    return std::vector<std::string>{p.get_string("data_dir") + "/one.csv", p.get_string("data_dir") + "/two.csv"};
  };
  std::map<std::string, std::string> inputs;
  ParamSet params;
  params.set("data_dir", at("b"));
  const std::string in_b = dataset_key_json(info, params, inputs);
  EXPECT_EQ(in_b.find(at("b")), std::string::npos) << in_b;  // the path is not in the key
  EXPECT_EQ(inputs.size(), 2u);
  params.set("data_dir", at("c"));
  EXPECT_EQ(dataset_key_json(info, params, inputs), in_b);  // moved, unchanged: same key
  write("c/two.csv", "3,5");
  EXPECT_NE(dataset_key_json(info, params, inputs), in_b);  // one changed byte: another key
}

TEST_F(ContentHash, MethodKeyVersionCoversTheScriptAndListedFiles) {
  ExternalMethod m;
  m.command = {"python3", "x.npy", "--flag"};  // x.npy stands for the script; --flag is no file
  m.workdir = at("a");
  std::map<std::string, std::string> inputs;
  const std::string v = method_key_version("3", &m, {}, inputs);
  EXPECT_EQ(v.rfind("3+content:", 0), 0u) << v;
  EXPECT_EQ(inputs.size(), 1u);
  EXPECT_NE(method_key_version("3", &m, {"y.npy"}, inputs), v);
  write("a/x.npy", "changed");
  EXPECT_NE(method_key_version("3", &m, {}, inputs), v);
  EXPECT_EQ(method_key_version("3", nullptr, {}, inputs), "");
  m.command = {"python3", "-c", "pass"};
  EXPECT_EQ(method_key_version("3", &m, {}, inputs), "");  // reads no file
}

TEST_F(ContentHash, MethodKeyVersionCoversAProgramGivenAsAPathByContentNotName) {
  ExternalMethod m;
  m.workdir = at("a");
  m.command = {"./x.npy"};  // x.npy stands for a script run directly
  std::map<std::string, std::string> inputs;
  const std::string v = method_key_version("1", &m, {}, inputs);
  EXPECT_EQ(v.rfind("1+content:", 0), 0u) << v;
  m.command = {"../a/x.npy"};  // another name of the same file
  EXPECT_EQ(method_key_version("1", &m, {}, inputs), v);
  fs::copy_file(at("a/x.npy"), at("a/moved.npy"));
  m.command = {"./moved.npy"};  // moved, unchanged
  EXPECT_EQ(method_key_version("1", &m, {}, inputs), v);
  write("a/moved.npy", "edited");
  EXPECT_NE(method_key_version("1", &m, {}, inputs), v);
  m.command = {"x.npy"};  // no '/': a program looked up in PATH, not this file
  EXPECT_EQ(method_key_version("1", &m, {}, inputs), "");
  m.command = {"/bin/sh", "-c", "true"};  // a system program: not the user's
  EXPECT_EQ(method_key_version("1", &m, {}, inputs), "");
}

}  // namespace
}  // namespace sb
