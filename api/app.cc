#include "api/app.h"

#include <cstdlib>

#include "service/log.h"

namespace restitution {
namespace {

// ServiceKeys::Load has checked the seed, and LoadConfig the origin: failing here is a bug.
crypto::Ed25519PrivateKey SigningKeyOrDie(const ServiceKeys& keys) {
  StatusOr<crypto::Ed25519PrivateKey> key = keys.LedgerSigningKey();
  if (!key.ok()) {
    Log(LogLevel::kError, "ledger signing key unusable", {{"error", key.status().ToString()}});
    std::abort();
  }
  return std::move(key).value();
}

DbConfig SequencerDbConfig(DbConfig config) {
  config.pool_size = 4;  // one for batches, the rest for receipt look-ups
  return config;
}

SequencerOptions SequencerOptionsFrom(const Config& config) {
  SequencerOptions options;
  options.checkpoint_interval_ms = config.checkpoint_interval_ms;
  return options;
}

}  // namespace

App::App(Config config, ServiceKeys keys, std::unique_ptr<MessageSender> sender)
    : config_(std::move(config)),
      keys_(std::move(keys)),
      pool_(config_.db),
      sequencer_pool_(SequencerDbConfig(config_.db)),
      replica_pool_(config_.replica_enabled() ? std::make_unique<ConnectionPool>(config_.db_replica)
                                              : nullptr),
      replica_monitor_(replica_pool_ ? std::make_unique<ReplicaMonitor>(
                                           pool_, *replica_pool_, config_.db_replica_max_lag_ms)
                                     : nullptr),
      sender_(std::move(sender)),
      signer_(config_.ledger_origin, SigningKeyOrDie(keys_)),
      sequencer_(sequencer_pool_, signer_, SystemNowMs, SequencerOptionsFrom(config_)) {
  services_.keys = &keys_;
  services_.policy.session_ttl_seconds = config_.session_ttl_seconds;
  services_.policy.password_min_length = config_.password_min_length;
  services_.policy.scrypt.log2_n = config_.scrypt_log2_n;

  RegisterHealthRoutes(router_);
  RegisterAuthRoutes(router_);
  RegisterUserRoutes(router_);
  RegisterClaimantRoutes(router_);
  RegisterLedgerRoutes(router_);
  RegisterCaseRoutes(router_);
  RegisterClaimRoutes(router_);
  RegisterClaimReviewRoutes(router_);
  RegisterEvidenceRoutes(router_);
  RegisterBookRoutes(router_);
  RegisterAuditRoutes(router_);
  RegisterAssetRoutes(router_);
  RegisterPoolRoutes(router_);
  RegisterDistributionRoutes(router_);
  for (const Route& route : router_.routes()) {
    // Replica reads skip sessions, idempotency and writes: only public GETs may ask for them.
    if (route.replica_ok &&
        (route.method != "GET" || route.access != Access::kPublic || !route.uses_database)) {
      Log(LogLevel::kError, "route may not read from the replica",
          {{"route", route.method + " " + route.pattern}});
      std::abort();
    }
  }

  metrics_.AddGauge("restitution_db_pool_size", "Database connections allowed.",
                    [this] { return int64_t{pool_.Stats().size}; });
  metrics_.AddGauge("restitution_db_pool_in_use", "Database connections lent to requests.",
                    [this] { return int64_t{pool_.Stats().in_use}; });
  metrics_.AddGauge("restitution_db_pool_idle", "Open database connections waiting.",
                    [this] { return int64_t{pool_.Stats().idle}; });
  if (replica_pool_) {
    metrics_.AddGauge("restitution_db_replica_pool_size", "Replica connections allowed.",
                      [this] { return int64_t{replica_pool_->Stats().size}; });
    metrics_.AddGauge("restitution_db_replica_pool_in_use", "Replica connections lent to reads.",
                      [this] { return int64_t{replica_pool_->Stats().in_use}; });
    metrics_.AddGauge("restitution_db_replica_pool_idle", "Open replica connections waiting.",
                      [this] { return int64_t{replica_pool_->Stats().idle}; });
    metrics_.AddGauge(
        "restitution_db_replica_usable",
        "1 while public reads go to the replica, 0 while they go to the primary.",
        [this] { return int64_t{replica_monitor_->Cached().state == ReplicaState::kOk}; });
    metrics_.AddGauge("restitution_db_replica_lag_ms",
                      "Estimated replica lag at the last probe (-1: unknown).",
                      [this] { return replica_monitor_->Cached().lag_ms; });
  }
}

}  // namespace restitution
