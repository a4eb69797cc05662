#include "ui/model/palette.hpp"

#include <algorithm>
#include <cmath>

namespace loopscope::ui {

namespace {

Rgba hsl(float h, float s, float l) noexcept {
  auto f = [&](float n) {
    float k = std::fmod(n + h * 12.0f, 12.0f);
    float a = s * std::min(l, 1.0f - l);
    float v = l - a * std::max(-1.0f, std::min({k - 3.0f, 9.0f - k, 1.0f}));
    return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
  };
  return {f(0), f(8), f(4), 255};
}

constexpr Rgba rgb(uint32_t hex) noexcept {
  return {static_cast<uint8_t>(hex >> 16), static_cast<uint8_t>(hex >> 8), static_cast<uint8_t>(hex), 255};
}

const Theme kDark{
    ThemeName::Dark,
    rgb(0x16181d), rgb(0x1d2027), rgb(0x232731), rgb(0x2e3340), rgb(0xe6e8ee), rgb(0xa3a9b8), rgb(0x82899b),
    rgb(0x6ea8fe), rgb(0xffd166), rgb(0x2f4a7a), rgb(0x2a2f3a), rgb(0xf0a04b), rgb(0xf2685c), rgb(0x5cc98a),
    rgb(0x4a5264), rgb(0x343a47), rgb(0x7a3d45), rgb(0x22262e),
    rgb(0xc792ea), rgb(0xf78c6c), rgb(0xa5d6a7), rgb(0x8b93a6), rgb(0x82aaff), rgb(0x89ddff),
};

const Theme kLight{
    ThemeName::Light,
    rgb(0xf6f7f9), rgb(0xffffff), rgb(0xeef0f4), rgb(0xd5d9e2), rgb(0x1c2230), rgb(0x4d5568), rgb(0x687082),
    rgb(0x2f6fdf), rgb(0xd98e04), rgb(0xc9dafc), rgb(0xe4e7ee), rgb(0xc46a00), rgb(0xd03b2f), rgb(0x23894f),
    rgb(0xb9c0cf), rgb(0xdde1e9), rgb(0xe9b4b9), rgb(0xf0f2f6),
    rgb(0x8e3fc2), rgb(0xb5531c), rgb(0x2e7d32), rgb(0x687082), rgb(0x2f6fdf), rgb(0x0b7285),
};

}  // namespace

Rgba mix(Rgba a, Rgba b, float t) noexcept {
  auto m = [t](uint8_t x, uint8_t y) { return static_cast<uint8_t>(std::lround(x + (y - x) * t)); };
  return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b), m(a.a, b.a)};
}

float luminance(Rgba c) noexcept {
  auto lin = [](uint8_t v) {
    float x = v / 255.0f;
    return x <= 0.04045f ? x / 12.92f : std::pow((x + 0.055f) / 1.055f, 2.4f);
  };
  return 0.2126f * lin(c.r) + 0.7152f * lin(c.g) + 0.0722f * lin(c.b);
}

float contrast(Rgba a, Rgba b) noexcept {
  float la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

Rgba text_on(Rgba background) noexcept {
  const Rgba dark{0, 0, 0, 255}, light{255, 255, 255, 255};  // (black: any colour then reaches 4.5)
  return contrast(dark, background) >= contrast(light, background) ? dark : light;
}

const Theme& theme(ThemeName name) noexcept { return name == ThemeName::Dark ? kDark : kLight; }

Rgba task_colour(uint64_t id, const Theme& theme) noexcept {
  bool dark = theme.name == ThemeName::Dark;
  if (id == 0) return dark ? rgb(0x8a90a0) : rgb(0x7d8596);
  // Golden angle: neighbouring ids land far apart on the hue circle; the first task (main) is a
  // calm blue. Lightness alternates a little so that hues that come round again stay apart.
  float hue = std::fmod(0.60f + static_cast<float>(id - 1) * 0.381966f, 1.0f);
  float light = (dark ? 0.64f : 0.42f) + (static_cast<float>(id % 3) - 1.0f) * 0.05f;
  return hsl(hue, dark ? 0.62f : 0.68f, light);
}

}  // namespace loopscope::ui
