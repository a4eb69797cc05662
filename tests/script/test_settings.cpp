// Settings from every way in — a program's @profile line, overrides as on the command line, a
// page's settings object or a share link (JSON) — and the errors a user sees for bad ones.
#include <doctest/doctest.h>

#include "runtime/script/settings.hpp"

using namespace loopscope::script;

TEST_CASE("overrides win over the @profile line, which wins over the defaults") {
  const std::string text = "// @profile tokio workers=4 seed=7\nprint(1)\n";
  RunOptions o;
  CHECK(resolve_settings(text, {}, o).empty());
  CHECK(o.profile == Profile::Tokio);
  CHECK(o.workers == 4);
  CHECK(o.seed == 7);
  RunOptions p;
  CHECK(resolve_settings(text, {{"profile", "go"}, {"workers", "2"}}, p).empty());
  CHECK(p.profile == Profile::Go);
  CHECK(p.workers == 2);
  CHECK(p.seed == 7);
  RunOptions q;
  CHECK(resolve_settings("print(1)\n", {}, q).empty());
  CHECK(q.profile == Profile::Basic);
}

TEST_CASE("a bad setting names itself and where it was written") {
  RunOptions o;
  CHECK(resolve_settings("// @profile tokio workers=0\n", {}, o) ==
        "in the @profile line: workers must be a positive integer, got '0'");
  CHECK(resolve_settings("// @profile tokio workers=0\n", {{"workers", "3"}}, o).empty());  // replaced, not read
  CHECK(resolve_settings("", {{"budget", "lots"}}, o, "--") == "--budget: budget (or off) must be a positive integer, got 'lots'");
  CHECK(resolve_settings("", {{"profile", "tokyo"}}, o) == "unknown profile 'tokyo' (basic, node, tokio or go)");
}

TEST_CASE("a settings object: JavaScript names, numbers or strings, null and unknown keys ignored") {
  std::string err;
  auto list = settings_from_json(
      R"({"profile":"tokio","workers":3,"seed":"9","budget":"off","real":false,"maxInstructions":1000,"view":{"cursor":5},"x":null,"workers2":[1]})",
      err);
  REQUIRE(list);
  SettingList expected = {{"profile", "tokio"}, {"workers", "3"}, {"seed", "9"}, {"budget", "off"},
                          {"real", "false"},    {"max-instructions", "1000"}};
  CHECK(*list == expected);
  RunOptions o;
  CHECK(resolve_settings("", *list, o).empty());
  CHECK(o.workers == 3);
  CHECK(o.budget == 0u);
  CHECK(o.limits.max_instructions == 1000);
}

TEST_CASE("a settings object of the wrong shape is refused with the reason") {
  std::string err;
  CHECK(!settings_from_json("[1,2]", err));
  CHECK(err == "the settings are not an object");
  CHECK(!settings_from_json("{\"workers\":", err));
  CHECK(err.rfind("the settings are not JSON (", 0) == 0);
  CHECK(!settings_from_json(R"({"workers":2.5})", err));
  CHECK(err == "workers must be a whole number");
  CHECK(!settings_from_json(R"({"seed":1e300})", err));
  CHECK(err == "seed must be a whole number");
  CHECK(!settings_from_json(R"({"profile":{"name":"go"}})", err));
  CHECK(err == "profile must be a number, a string or a boolean");
  // Well-formed but wrong values are resolve_settings' to refuse.
  auto list = settings_from_json(R"({"workers":-1})", err);
  REQUIRE(list);
  RunOptions o;
  CHECK(resolve_settings("", *list, o) == "workers: workers must be a positive integer, got '-1'");
}
