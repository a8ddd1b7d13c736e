// Placeholder until the database test fixture lands.
namespace restitution::testing {
int TestSupportPlaceholder() { return 0; }
}  // namespace restitution::testing
