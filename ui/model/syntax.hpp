// Syntax colours for the editor: the language's own lexer cuts the text into tokens, and what
// lies between them is space or comments. The result is per line, for drawing line by line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::ui {

enum class Style : uint8_t { Plain, Keyword, Number, String, Comment, Builtin, Punctuation };

struct StyleRun {
  int col = 0, len = 0;  // bytes into the line
  Style style = Style::Plain;
};

// Runs of each line of `text` (lines split at '\n'); bytes not in a run are plain.
std::vector<std::vector<StyleRun>> highlight(std::string_view text);

}  // namespace loopscope::ui
