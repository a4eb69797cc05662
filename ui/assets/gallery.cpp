#include "ui/assets/gallery.hpp"

#include <cstddef>

namespace loopscope::ui::embedded {
#define LOOPSCOPE_EXAMPLE(name) \
  extern const unsigned char name[]; \
  extern const size_t name##_size;
#include "gallery_list.inc"
#undef LOOPSCOPE_EXAMPLE
}  // namespace loopscope::ui::embedded

namespace loopscope::ui {

namespace {

std::string summary_of(const std::string& source) {
  std::string out;
  size_t pos = 0;
  while (pos < source.size()) {
    size_t eol = source.find('\n', pos);
    std::string line = source.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    pos = eol == std::string::npos ? source.size() : eol + 1;
    if (line.rfind("//", 0) != 0) break;
    if (line.find("@profile") != std::string::npos) continue;
    std::string text = line.size() > 3 ? line.substr(3) : "";
    out += (out.empty() ? "" : " ") + text;
  }
  return out;
}

std::string title_of(std::string name) {
  for (char& c : name)
    if (c == '_') c = ' ';
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

}  // namespace

const std::vector<Example>& gallery() {
  static const std::vector<Example> all = [] {
    std::vector<Example> v;
#define LOOPSCOPE_EXAMPLE(name)                                                                                      \
  {                                                                                                                  \
    std::string src(reinterpret_cast<const char*>(embedded::name), embedded::name##_size);                          \
    v.push_back({#name, title_of(#name), src, summary_of(src)});                                                     \
  }
#include "gallery_list.inc"
#undef LOOPSCOPE_EXAMPLE
    // The default first, then as listed.
    for (size_t i = 0; i < v.size(); ++i)
      if (std::string(v[i].name) == kDefaultExample) std::swap(v[0], v[i]);
    return v;
  }();
  return all;
}

const Example* find_example(const std::string& name) {
  for (const Example& e : gallery())
    if (name == e.name) return &e;
  return nullptr;
}

}  // namespace loopscope::ui
