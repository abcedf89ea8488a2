#include "model/keyslot.h"

#include <array>

#include "model/types.h"

namespace slotsim::model {
namespace {

constexpr uint16_t kPolynomial = 0x1021;

// Entry b is the CRC register after shifting the byte b (placed in the high
// byte) through eight MSB-first steps of the polynomial division.
constexpr std::array<uint16_t, 256> MakeTable() {
  std::array<uint16_t, 256> table{};
  for (int b = 0; b < 256; ++b) {
    uint16_t reg = static_cast<uint16_t>(b << 8);
    for (int bit = 0; bit < 8; ++bit) {
      reg = (reg & 0x8000) ? static_cast<uint16_t>((reg << 1) ^ kPolynomial)
                           : static_cast<uint16_t>(reg << 1);
    }
    table[b] = reg;
  }
  return table;
}

constexpr std::array<uint16_t, 256> kTable = MakeTable();
static_assert(kTable[1] == kPolynomial, "table entry 1 is the polynomial");

}  // namespace

uint16_t Crc16(std::string_view data) {
  uint16_t crc = 0;
  for (char c : data) {
    const uint8_t index = static_cast<uint8_t>((crc >> 8) ^ static_cast<uint8_t>(c));
    crc = static_cast<uint16_t>((crc << 8) ^ kTable[index]);
  }
  return crc;
}

std::string_view HashTagOf(std::string_view key) {
  const size_t open = key.find('{');
  if (open == std::string_view::npos) return key;
  const size_t close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

int KeyHashSlot(std::string_view key) {
  static_assert(kClusterSlots == 0x4000, "slot mask assumes 16384 slots");
  return Crc16(HashTagOf(key)) & (kClusterSlots - 1);
}

}  // namespace slotsim::model
