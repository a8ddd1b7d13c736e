// The verifiable ledger arrives with issue 3; the library exists so the layering holds.
namespace restitution {
int LedgerLibraryVersion() { return 0; }
}  // namespace restitution
