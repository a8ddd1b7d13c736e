// Test-only reference for the Merkle code: RFC 9162 section 2.1 transcribed as literally as
// possible (recursive MTH, PATH and SUBPROOF on lists of entries, hashing with crypto::Sha256
// directly), plus the Certificate Transparency test vectors. It shares no code with
// ledger/merkle.cc, so agreement between the two means something.
#ifndef RESTITUTION_TESTS_LEDGER_MERKLE_REFERENCE_H_
#define RESTITUTION_TESTS_LEDGER_MERKLE_REFERENCE_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/sha256.h"

namespace restitution::ledger::reference {

// Hex to bytes for test constants; an invalid constant is a bug in the test itself.
inline std::string Unhex(const std::string& hex) {
  auto bytes = crypto::HexDecode(hex);
  return bytes.ok() ? *bytes : std::string("invalid test constant");
}

// The leaves and roots of the RFC 6962 reference tree used by the Certificate Transparency
// log server tests (and transparency-dev/merkle's testonly package).
inline std::vector<std::string> CtLeaves() {
  return {Unhex(""),
          Unhex("00"),
          Unhex("10"),
          Unhex("2021"),
          Unhex("3031"),
          Unhex("40414243"),
          Unhex("5051525354555657"),
          Unhex("606162636465666768696a6b6c6d6e6f")};
}

// Root hashes of the trees of the first 0..8 CtLeaves().
inline const std::vector<std::string>& CtRootsHex() {
  static const std::vector<std::string> kRoots = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  return kRoots;
}

// Every perfect-subtree node of the 8-leaf tree, [level][index].
inline const std::vector<std::vector<std::string>>& CtNodesHex() {
  static const std::vector<std::vector<std::string>> kNodes = {
      {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
       "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
       "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
       "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
       "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
       "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
       "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
       "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"},
      {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
       "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
       "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
      {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
       "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
      {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"},
  };
  return kNodes;
}

// MTH, PATH and PROOF over a fixed list of entries D, straight from RFC 9162 section 2.1.
// MTH results are memoized per range only to keep the exhaustive tests fast; the recursion
// itself is the RFC's.
class Tree {
 public:
  explicit Tree(std::vector<std::string> entries) : entries_(std::move(entries)) {}

  std::string LeafHashOf(uint64_t i) const {
    return crypto::Sha256(std::string(1, '\x00') + entries_[i]);
  }

  // MTH(D[begin:end]).
  std::string Mth(uint64_t begin, uint64_t end) {
    const uint64_t n = end - begin;
    if (n == 0) return crypto::Sha256("");  // MTH({}) = HASH()
    if (n == 1) return LeafHashOf(begin);   // MTH({d(0)}) = HASH(0x00 || d(0))
    auto cached = memo_.find({begin, end});
    if (cached != memo_.end()) return cached->second;
    const uint64_t k = LargestPowerOfTwoSmallerThan(n);
    std::string hash =
        crypto::Sha256(std::string(1, '\x01') + Mth(begin, begin + k) + Mth(begin + k, end));
    memo_.emplace(std::make_pair(begin, end), hash);
    return hash;
  }

  // PATH(m, D[begin:end]), m relative to begin.
  std::vector<std::string> Path(uint64_t m, uint64_t begin, uint64_t end) {
    const uint64_t n = end - begin;
    if (n == 1) return {};  // PATH(0, {d(0)}) = {}
    const uint64_t k = LargestPowerOfTwoSmallerThan(n);
    std::vector<std::string> path;
    if (m < k) {  // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])
      path = Path(m, begin, begin + k);
      path.push_back(Mth(begin + k, end));
    } else {  // PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k])
      path = Path(m - k, begin + k, end);
      path.push_back(Mth(begin, begin + k));
    }
    return path;
  }

  // PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true).
  std::vector<std::string> Proof(uint64_t m, uint64_t n) { return SubProof(m, 0, n, true); }

 private:
  static uint64_t LargestPowerOfTwoSmallerThan(uint64_t n) {
    uint64_t k = 1;
    while (2 * k < n) k *= 2;
    return k;
  }

  // SUBPROOF(m, D[begin:end], b), m relative to begin.
  std::vector<std::string> SubProof(uint64_t m, uint64_t begin, uint64_t end, bool b) {
    const uint64_t n = end - begin;
    if (m == n) {
      if (b) return {};          // SUBPROOF(m, D[m], true) = {}
      return {Mth(begin, end)};  // SUBPROOF(m, D[m], false) = {MTH(D[m])}
    }
    const uint64_t k = LargestPowerOfTwoSmallerThan(n);
    std::vector<std::string> proof;
    if (m <= k) {  // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
      proof = SubProof(m, begin, begin + k, b);
      proof.push_back(Mth(begin + k, end));
    } else {  // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
      proof = SubProof(m - k, begin + k, end, false);
      proof.push_back(Mth(begin, begin + k));
    }
    return proof;
  }

  std::vector<std::string> entries_;
  std::map<std::pair<uint64_t, uint64_t>, std::string> memo_;
};

}  // namespace restitution::ledger::reference

#endif  // RESTITUTION_TESTS_LEDGER_MERKLE_REFERENCE_H_
