// App: the long-lived parts of restitutiond wired together — configuration, keys, database
// pool, message sender, metrics and the route table. Tests build one the same way.
#ifndef RESTITUTION_API_APP_H_
#define RESTITUTION_API_APP_H_

#include <memory>

#include "api/metrics.h"
#include "api/replica_monitor.h"
#include "api/router.h"
#include "ledger/checkpoint.h"
#include "service/config.h"
#include "service/connection_pool.h"
#include "service/ledger_sequencer.h"
#include "service/message_sender.h"
#include "service/service_context.h"
#include "service/service_keys.h"

namespace restitution {

class App {
 public:
  App(Config config, ServiceKeys keys, std::unique_ptr<MessageSender> sender);
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  const Config& config() const { return config_; }
  const ServiceContext& services() const { return services_; }
  ConnectionPool& pool() { return pool_; }
  // The read replica (config db_replica) and its monitor: both null when none is configured.
  ConnectionPool* replica_pool() { return replica_pool_.get(); }
  ReplicaMonitor* replica_monitor() { return replica_monitor_.get(); }
  MessageSender& sender() { return *sender_; }
  Metrics& metrics() { return metrics_; }
  const Router& router() const { return router_; }
  const ledger::NoteSigner& ledger_signer() const { return signer_; }
  // Not running until StartLedgerSequencer(): tests that only route requests leave it off.
  LedgerSequencer& sequencer() { return sequencer_; }
  void StartLedgerSequencer() { sequencer_.Start(); }

 private:
  const Config config_;
  const ServiceKeys keys_;
  ServiceContext services_;
  ConnectionPool pool_;
  // The sequencer's own connections: request workers holding every pooled connection must
  // never starve the one thread that gives their entries an index.
  ConnectionPool sequencer_pool_;
  // Public, non-money reads only (Route::replica_ok); never written to.
  std::unique_ptr<ConnectionPool> replica_pool_;
  std::unique_ptr<ReplicaMonitor> replica_monitor_;
  std::unique_ptr<MessageSender> sender_;
  const ledger::NoteSigner signer_;
  LedgerSequencer sequencer_;
  Metrics metrics_;
  Router router_;
};

// Every route of the API, registered once (api/routes_*.cc).
void RegisterHealthRoutes(Router& router);
void RegisterAuthRoutes(Router& router);
void RegisterUserRoutes(Router& router);
void RegisterClaimantRoutes(Router& router);
void RegisterLedgerRoutes(Router& router);
void RegisterCaseRoutes(Router& router);
void RegisterClaimRoutes(Router& router);
void RegisterClaimReviewRoutes(Router& router);
void RegisterEvidenceRoutes(Router& router);
void RegisterBookRoutes(Router& router);
void RegisterAuditRoutes(Router& router);
void RegisterAssetRoutes(Router& router);
void RegisterPoolRoutes(Router& router);
void RegisterDistributionRoutes(Router& router);

}  // namespace restitution

#endif  // RESTITUTION_API_APP_H_
